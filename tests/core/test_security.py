"""Security headers, CSRF on forms, and `check --deploy` under production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.factories import PASSWORD
from yutong.registry.models import Enterprise

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/login/", "/registry/enterprises/"])
def test_security_headers(url, district_staff, login_client):
    client = Client() if url == "/login/" else login_client(district_staff)
    response = client.get(url)
    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self';" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == "camera=(), microphone=(), geolocation=()"
    assert len(response["X-Request-ID"]) == 36


@pytest.mark.django_db
def test_pages_of_logged_in_users_are_not_cached(district_staff, login_client):
    response = login_client(district_staff).get("/registry/enterprises/")
    assert "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_no_inline_script_in_pages(district_staff, login_client):
    # CSP allows only 'self' scripts: an inline <script> would be blocked in the browser.
    body = login_client(district_staff).get("/registry/enterprises/").content.decode()
    assert "<script>" not in body
    assert "<script src=" in body


@pytest.mark.django_db
def test_login_post_without_csrf_token_is_rejected(district_staff):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/login/", {"username": "yz_staff", "password": PASSWORD})
    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_post_with_the_csrf_token_works(district_staff):
    client = Client(enforce_csrf_checks=True)
    client.get("/login/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/login/", {"username": "yz_staff", "password": PASSWORD, "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_form_post_without_csrf_token_is_rejected_and_writes_nothing(district_staff, yuzhong):
    client = Client(enforce_csrf_checks=True)
    client.force_login(district_staff)
    response = client.post(
        "/registry/enterprises/new/",
        {"uscc": "91500103000000001X", "name": "跨站请求企业", "unit": yuzhong.pk},
    )
    assert response.status_code == 403
    assert not Enterprise.objects.exists()


@pytest.mark.django_db
def test_api_with_session_auth_needs_csrf_but_token_auth_does_not(
    district_staff, yuzhong, api_client
):
    from rest_framework.test import APIClient

    session_client = APIClient(enforce_csrf_checks=True)
    session_client.force_login(district_staff)
    response = session_client.post("/api/v1/enterprises/", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    token_client = api_client(district_staff)
    token_client.handler.enforce_csrf_checks = True
    response = token_client.post("/api/v1/enterprises/", {"name": "x"}, format="json")
    assert response.status_code == 400  # past CSRF, refused by validation


def production_env():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("YUTONG_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        YUTONG_DEBUG="0",
        YUTONG_SECRET_KEY="q7$Vn2!xLp#9Rw@Zk4^Tm8&Yc1*Hb6(Jd3)Fg5_Ns0+Ue2=Ga8-Xi4%Ko7",
        YUTONG_FIELD_KEY="field-key-for-the-deploy-check-only",
        YUTONG_ALLOWED_HOSTS="example.gov.cn",
    )
    return env


def test_check_deploy_is_clean_under_production_settings():
    assert len(production_env()["YUTONG_SECRET_KEY"]) >= 50
    yutong = Path(sys.executable).parent / "yutong"
    result = subprocess.run(
        [str(yutong), "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secrets():
    env = production_env()
    del env["YUTONG_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "yutong.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "YUTONG_SECRET_KEY must be set when YUTONG_DEBUG=0" in result.stderr

    env = production_env()
    del env["YUTONG_FIELD_KEY"]
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "yutong.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "YUTONG_FIELD_KEY must be set when YUTONG_DEBUG=0" in result.stderr


# --- client address behind the proxy -------------------------------------------------------


@pytest.mark.django_db
def test_client_address_is_the_hop_the_proxy_added(district_staff):
    from yutong.core.models import LoginEvent

    # The client sent its own X-Forwarded-For (spoofable); the proxy appended the real address.
    response = Client().post(
        "/login/",
        {"username": "yz_staff", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.7, 10.20.30.40",
    )
    assert response.status_code == 302
    assert LoginEvent.objects.get().ip == "10.20.30.40"


@pytest.mark.django_db
@pytest.mark.parametrize("forwarded", ["not-an-ip", "10.0.0.1, <script>", ", ", "999.1.1.1"])
def test_a_malformed_forwarded_header_falls_back_to_the_peer_address(district_staff, forwarded):
    from yutong.core.models import LoginEvent

    response = Client().post(
        "/login/",
        {"username": "yz_staff", "password": PASSWORD},
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    assert response.status_code == 302
    assert LoginEvent.objects.get().ip == "127.0.0.1"


@pytest.mark.django_db
def test_login_never_redirects_off_site(district_staff):
    response = Client().post(
        "/login/?next=https://evil.example.com/",
        {"username": "yz_staff", "password": PASSWORD, "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_session_cookie_flags(district_staff):
    client = Client()
    client.post("/login/", {"username": "yz_staff", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == ""  # ends with the browser session (and after 30 idle minutes)


def test_redis_cache_is_shared_when_configured():
    """With YUTONG_REDIS_URL the cache (rate limits, lockout-free caches) is Redis, which the
    machine runs on 127.0.0.1:6379; a value set by one process is read by another."""
    import os
    import socket
    import subprocess
    import sys

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (CI has one; install redis-server to run this)")
    env = {
        **os.environ,
        "YUTONG_REDIS_URL": "redis://127.0.0.1:6379/15",
        "DJANGO_SETTINGS_MODULE": "yutong.settings",
    }
    script = (
        "import django, sys; django.setup(); from django.core.cache import cache; "
        "cache.set('probe', sys.argv[1], 30) if sys.argv[1] != '-' else "
        "print(cache.get('probe'))"
    )
    subprocess.run([sys.executable, "-c", script, "seen"], env=env, check=True)
    shown = subprocess.run(
        [sys.executable, "-c", script, "-"], env=env, check=True, capture_output=True, text=True
    )
    assert shown.stdout.strip() == "seen"
