"""The deployment of docs/operations.md, run as written: production settings, the documented
commands as subprocesses, gunicorn on a loopback port, and a browser's and an API client's
requests over HTTP behind a (pretend) TLS proxy.

The suite runs on SQLite and on PostgreSQL; here the deployment gets a database of its own: a
file in its var directory, or a PostgreSQL database this test creates and drops."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url
import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PASSWORD = "Deploy-check-2026"
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'",
    "Strict-Transport-Security": "max-age=",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}

pytestmark = pytest.mark.skipif(
    not (ROOT / "node_modules").is_dir(), reason="front-end packages missing: run `make assets`"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_url(tmp_path):
    """The deployment's own database, on the engine the suite runs on."""
    suite_url = os.environ.get("DATABASE_URL", "")
    if not suite_url.startswith(("postgres://", "postgresql://")):
        yield f"sqlite:///{tmp_path / 'var' / 'yutong.sqlite3'}"
        return
    import psycopg

    config = dj_database_url.parse(suite_url)
    server = {
        "host": config["HOST"] or "127.0.0.1",
        "port": config["PORT"] or 5432,
        "user": config["USER"],
        "password": config["PASSWORD"] or None,
        "dbname": "postgres",
        "autocommit": True,
    }
    name = f"yutong_deploycheck_{secrets.token_hex(4)}"
    with psycopg.connect(**server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield suite_url.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(**server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def production_env(tmp_path, database_url):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("YUTONG_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        HOME=str(tmp_path),  # gunicorn's control socket: not shared with another run
        YUTONG_VAR_DIR=str(tmp_path / "var"),
        YUTONG_DEBUG="0",
        YUTONG_SECRET_KEY=secrets.token_urlsafe(50),
        YUTONG_FIELD_KEY=secrets.token_urlsafe(32),
        YUTONG_ALLOWED_HOSTS="127.0.0.1",
        YUTONG_CSRF_TRUSTED_ORIGINS="https://127.0.0.1",
        DATABASE_URL=database_url,
    )
    return env


def run(env, *command: str) -> str:
    done = subprocess.run(
        command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, f"{' '.join(command)}:\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


@contextlib.contextmanager
def gunicorn(env, log: Path):
    port = free_port()
    command = ["gunicorn", "yutong.wsgi:application", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}"]
    with log.open("w") as out:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert server.poll() is None, log.read_text()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Browser:
    """HTTP through the TLS proxy: every request says it came over https, and the cookies
    (Secure ones included) are kept and sent back."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method, path, body=None, headers=None, https=True):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if https:
            sent["X-Forwarded-Proto"] = "https"
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response, content

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post_form(self, path, data):
        return self.request(
            "POST",
            path,
            body=urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
                "Referer": f"https://127.0.0.1:{self.port}{path}",
            },
        )


def csrf_token(page: bytes) -> str:
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()


def test_documented_deployment_serves_pages_api_and_static_files(production_env, tmp_path):
    env = production_env
    var = Path(env["YUTONG_VAR_DIR"])
    # docs/operations.md, "Deploying", in order (npm ci has run: node_modules is there)
    run(env, sys.executable, "tools/vendor_assets.py")
    assert "no issues" in run(env, "yutong", "check", "--deploy", "--fail-level", "WARNING")
    run(env, "yutong", "migrate")
    run(env, "yutong", "collectstatic", "--noinput")
    run(env, "yutong", "adduser", "admin", "--password", PASSWORD, "--role", "city_admin",
        "--unit", "500000")  # fmt: skip
    run(env, "yutong", "adduser", "yz", "--password", PASSWORD, "--role", "district_staff",
        "--unit", "500103")  # fmt: skip
    manifest = json.loads((var / "static" / "staticfiles.json").read_text())["paths"]

    with gunicorn(env, tmp_path / "gunicorn.log") as port:
        browser = Browser(port)
        # plain http is sent to https by the application, as the proxy expects
        response, _ = browser.get("/login/", https=False)
        assert response.status == 301
        assert response.headers["Location"] == f"https://127.0.0.1:{port}/login/"

        response, page = browser.get("/login/")
        assert response.status == 200, page[:2000]
        for header, value in SECURITY_HEADERS.items():
            assert value in (response.headers[header] or ""), header
        bundle = manifest["vendor/bootstrap/bootstrap.bundle.min.js"]
        assert f"/static/{bundle}".encode() in page  # pages name the hashed files

        response, _ = browser.post_form(
            "/login/",
            {"username": "yz", "password": PASSWORD, "csrfmiddlewaretoken": csrf_token(page)},
        )
        assert response.status == 302 and response.headers["Location"] == "/"
        for path in ("/", "/registry/enterprises/"):
            response, page = browser.get(path)
            assert response.status == 200, (path, page[:2000])
            assert "渝中区".encode() in page

        api = Browser(port)
        response, body = api.request(
            "POST",
            "/api/v1/auth/token/",
            body=json.dumps({"username": "yz", "password": PASSWORD}),
            headers={"Content-Type": "application/json"},
        )
        assert response.status == 200, body
        token = json.loads(body)["token"]
        response, body = api.get(
            "/api/v1/enterprises/", headers={"Authorization": f"Token {token}"}
        )
        assert response.status == 200, body
        assert json.loads(body)["count"] == 0

        response, body = browser.get(f"/static/{bundle}")
        assert response.status == 200 and body.startswith(b"/*!")
        assert "max-age=315360000" in response.headers["Cache-Control"]  # hashed: forever
