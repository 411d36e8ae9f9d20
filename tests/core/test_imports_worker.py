"""Processes killed in the middle of an import, for real (PostgreSQL: the subprocesses share
the test database): a `db_worker` killed with SIGKILL while checking, and a web process killed
inside a small synchronous commit. Nothing is half-written and nothing stays stuck."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.core import importers_for_tests  # noqa: F401 - registers the test importer
from tests.core.test_imports_faults import KIND, notes
from yutong.core import imports
from yutong.core.models import AuditEntry, ImportJob

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="subprocesses share PostgreSQL"),
]

ROOT = Path(__file__).resolve().parents[2]
SETUP = "import django; django.setup(); import tests.core.importers_for_tests; "
WORKER = SETUP + (
    "from django.core.management import call_command; "
    "call_command('db_worker', interval=0.1, startup_delay=False, reload=False)"
)
# `yutong worker`, as docs/operations.md runs it: takes back expired runs when it starts
OUR_WORKER = WORKER.replace("'db_worker'", "'worker'")


@pytest.fixture
def env(settings):
    db = settings.DATABASES["default"]
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "YUTONG_VAR_DIR": str(Path(settings.MEDIA_ROOT).parent),
        "YUTONG_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
        "YUTONG_IMPORT_LEASE_SECONDS": "2",
        "YUTONG_IMPORT_BACKGROUND_ROWS": "0",
        "DJANGO_SETTINGS_MODULE": "yutong.settings",
    }


def start(code: str, env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, env=env)


def wait_until(condition, what: str, limit: float = 90) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.1)


def status(job) -> str:
    job.refresh_from_db()
    return job.status


def test_a_worker_killed_while_checking_is_taken_back_by_the_restarted_worker(
    district_staff, settings, env, tmp_path
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_THRESHOLD = 0
    release = tmp_path / "release"
    job = imports.upload(district_staff, KIND, notes("甲", f"block:{release}"))
    assert job.status == "checking"

    worker = start(WORKER, env)
    try:
        wait_until((tmp_path / "started").exists, "the worker to start checking")
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.wait()
    assert status(job) == "checking"
    wait_until(lambda: ImportJob.objects.get(pk=job.pk).lease_until < timezone.now(), "lease")

    release.touch()
    restarted = start(OUR_WORKER, env)  # no cron, no page read: the worker itself takes it back
    try:
        wait_until(lambda: status(job) == "ready", "the restarted worker to finish the check")
    finally:
        restarted.terminate()
        restarted.wait()
    assert job.attempts == 2


def test_a_web_process_killed_inside_a_small_commit_leaves_the_job_ready(district_staff, env):
    job = imports.upload(district_staff, KIND, notes("甲", "die"))
    assert job.status == "ready"
    code = SETUP + (
        "from yutong.core import imports; from yutong.core.models import ImportJob; "
        f"job = ImportJob.objects.get(pk={job.pk}); imports.commit(job.created_by, job)"
    )
    process = start(code, {**env, "YUTONG_IMPORT_BACKGROUND_ROWS": "2000"})  # a small commit
    assert process.wait() == -signal.SIGKILL
    assert status(job) == "ready"  # not "导入中" forever: the status went down with the rows
    assert not AuditEntry.objects.filter(action__in=["test_note", "commit_import"]).exists()
    assert job.file  # still there to commit


def test_a_worker_killed_while_committing_leaves_nothing_and_the_job_to_the_user(
    district_staff, settings, env
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    settings.IMPORT_MAX_ATTEMPTS = 1  # no second run: the user decides
    job = imports.upload(district_staff, KIND, notes("甲", "die"))
    ImportJob.objects.filter(pk=job.pk).update(status="ready", lease_until=None)  # checked
    DBTaskResult.objects.all().delete()
    job = imports.commit(district_staff, job)
    assert job.status == "committing"

    worker = start(WORKER, env)
    try:
        # The "die" row kills the worker inside the commit's transaction.
        assert worker.wait(timeout=120) == -signal.SIGKILL
    finally:
        if worker.poll() is None:
            worker.kill()
    assert status(job) == "committing"
    wait_until(lambda: ImportJob.objects.get(pk=job.pk).lease_until < timezone.now(), "lease")
    call_command("clean_uploads")
    assert status(job) == "interrupted"
    assert job.can_retry and job.file
    assert not AuditEntry.objects.filter(action__in=["test_note", "commit_import"]).exists()
