"""PostgreSQL restarts: the web process and the background worker carry on afterwards.

PostgreSQL only: SQLite has no server to restart."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings as django_settings
from django.db import connection, connections
from django_tasks import TaskResultStatus

from tests.deploy.tcpproxy import TcpProxy
from tests.deploy.worker_tasks import echo
from yutong.wsgi import application

pytestmark = [
    pytest.mark.skipif(
        django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="PostgreSQL only: SQLite has no server connections to lose",
    ),
    # committed data, seen by the worker subprocess; serialized_rollback restores the org units
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]


def terminate_other_connections() -> int:
    """pg_terminate_backend, from a second connection, on every other session of this database."""
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return cursor.fetchone()[0]
    finally:
        other.close()


def wsgi_get(path: str, cookies) -> int:
    """A GET through the WSGI application itself: unlike the test client, it opens and ends the
    request as gunicorn does, with Django's connection housekeeping at both ends."""
    environ: dict = {}
    setup_testing_defaults(environ)
    environ.update(
        PATH_INFO=path,
        HTTP_HOST="127.0.0.1",
        HTTP_COOKIE="; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items()),
    )
    status: list[str] = []
    response = application(environ, lambda line, headers, exc_info=None: status.append(line))
    try:
        b"".join(response)
    finally:
        response.close()  # sends request_finished, as a WSGI server does
    return int(status[0].split()[0])


def test_first_request_after_the_connection_was_terminated_succeeds(login_client, district_staff):
    cookies = login_client(district_staff).cookies
    assert wsgi_get("/", cookies) == 200
    # the request kept its connection (CONN_MAX_AGE), as a gunicorn worker does
    assert connection.connection is not None
    assert terminate_other_connections() >= 1
    assert wsgi_get("/", cookies) == 200
    assert wsgi_get("/registry/enterprises/", cookies) == 200


def wait_for(result, status, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result.refresh()
        if result.status == status:
            return
        time.sleep(0.1)
    raise AssertionError(f"task {result.id} is {result.status}, not {status}")


@pytest.fixture
def database_behind_proxy():
    """A TCP forwarder to the test database, to take it 'down' and bring it back."""
    params = connection.settings_dict
    proxy = TcpProxy(params["HOST"] or "127.0.0.1", int(params["PORT"] or 5432))
    proxy.up()
    yield proxy
    proxy.down()


def start_worker(proxy: TcpProxy, tmp_path: Path, log: Path) -> subprocess.Popen:
    params = connection.settings_dict
    auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{auth}@127.0.0.1:{proxy.port}/{params['NAME']}",
        "YUTONG_VAR_DIR": str(tmp_path),
        "PYTHONPATH": str(ROOT),  # the worker imports the test task
    }
    env.pop("YUTONG_TASK_BACKEND", None)
    command = [
        str(Path(sys.executable).with_name("yutong")),
        "worker",
        "--interval=0.2",
        "--max-backoff=1",
        "--no-startup-delay",
        "--no-reload",
    ]
    return subprocess.Popen(
        command, env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT
    )


def test_worker_survives_a_database_restart(settings, tmp_path, database_behind_proxy):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    log = tmp_path / "worker.log"
    worker = start_worker(database_behind_proxy, tmp_path, log)
    try:
        wait_for(echo.enqueue("before"), TaskResultStatus.SUCCESSFUL)

        database_behind_proxy.down()  # connections cut, new ones refused: a restart
        time.sleep(3)  # several polls and reconnection attempts fail meanwhile
        assert worker.poll() is None, log.read_text()
        database_behind_proxy.up()

        after = echo.enqueue("after")
        wait_for(after, TaskResultStatus.SUCCESSFUL)
        assert after.return_value == "after"
        assert worker.poll() is None
        text = log.read_text()
        assert "database error (OperationalError: " in text
        assert "database reachable again" in text
    finally:
        worker.terminate()
        worker.wait(timeout=10)
