"""Background import runs: one worker per run (the lease is taken in the claim), retry measures
the sheet the way the upload does, the worker hands back its own tasks left running, and an
.xlsx that unpacks too large or too wide is refused before it is parsed. SQLite and
PostgreSQL alike (no subprocesses here)."""

from __future__ import annotations

import zipfile
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.core import importers_for_tests  # noqa: F401 - registers the test importer
from tests.core.test_imports_faults import KIND, notes, sheet_bytes
from yutong.core import imports
from yutong.core.management.commands.worker import ReconnectingWorker
from yutong.core.models import ImportJob

pytestmark = pytest.mark.django_db


def queued(district_staff, settings, status="checking") -> ImportJob:
    settings.IMPORT_BACKGROUND_THRESHOLD = 0
    job = imports.upload(district_staff, KIND, notes("甲", "乙"))
    assert (job.status, job.attempts, job.claimed_at) == ("checking", 1, None)
    if status != "checking":
        ImportJob.objects.filter(pk=job.pk).update(status=status)
    return job


# --- the claim ------------------------------------------------------------------------------


def test_of_two_workers_handed_the_same_run_one_claims_it(district_staff, settings):
    job = queued(district_staff, settings)
    first = imports._claim(job.pk, "checking", 1)
    second = imports._claim(job.pk, "checking", 1)
    assert first is not None and second is None
    first.refresh_from_db()
    assert first.claimed_at is not None and first.lease_until > timezone.now()


def test_a_second_run_of_a_claimed_task_does_nothing(district_staff, settings):
    job = queued(district_staff, settings)
    assert imports._claim(job.pk, "checking", 1) is not None
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=1)
    imports.check_import_task.call(job.pk, 1)  # the same run handed to another worker
    job.refresh_from_db()
    assert (job.status, job.processed_rows) == ("checking", 1)  # untouched: not its run


def test_a_claim_whose_lease_ran_out_is_free_again(district_staff, settings):
    # The worker that claimed it died; its task row was handed out again.
    job = queued(district_staff, settings)
    assert imports._claim(job.pk, "checking", 1) is not None
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    imports.check_import_task.call(job.pk, 1)  # claims it again and checks
    job.refresh_from_db()
    assert job.status == "ready"


def test_a_queued_again_run_is_claimed_afresh(district_staff, settings):
    job = queued(district_staff, settings)
    assert imports._claim(job.pk, "checking", 1) is not None
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    assert imports.reclaim_stale() == 1
    job.refresh_from_db()
    assert (job.attempts, job.claimed_at) == (2, None)
    assert imports._claim(job.pk, "checking", 1) is None  # the old run
    assert imports._claim(job.pk, "checking", 2) is not None


# --- retry decides like the upload --------------------------------------------------------


def test_retry_measures_the_sheet_like_the_upload(district_staff, settings):
    # An interrupted check stored no row count: the retry counts the sheet again, so a large
    # sheet goes to the worker instead of being checked in the request.
    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    job = imports.upload(district_staff, KIND, notes("甲", "乙", "丙"))
    assert job.status == "checking" and job.attempts == 1
    ImportJob.objects.filter(pk=job.pk).update(status="interrupted", total_rows=0, lease_until=None)
    retried = imports.retry(district_staff, job)
    assert (retried.status, retried.attempts) == ("checking", 2)
    assert retried.lease_until is not None  # queued for the worker, not checked here
    small = imports.upload(district_staff, KIND, notes("甲"))
    assert small.status == "ready"
    ImportJob.objects.filter(pk=small.pk).update(status="interrupted", total_rows=5)
    assert imports.retry(district_staff, small).status == "ready"  # checked at once


# --- the interruption time ------------------------------------------------------------------


def test_an_interruption_records_its_time(district_staff):
    before = timezone.now()
    job = imports.upload(district_staff, KIND, notes("cache-down"))
    assert job.status == "interrupted" and job.interrupted_at >= before


# --- the worker hands back its own running tasks --------------------------------------------


def test_after_a_reconnect_the_worker_requeues_its_own_running_tasks():
    def task_row(worker_ids, status=TaskResultStatus.RUNNING):
        return DBTaskResult.objects.create(
            status=status,
            args_kwargs={"args": [1, 1], "kwargs": {}},
            task_path="yutong.core.imports.check_import_task",
            worker_ids=worker_ids,
            backend_name="default",
            queue_name="default",
            run_after=timezone.now(),
            started_at=timezone.now(),
        )

    mine = task_row(["old", "me"])
    handed_on = task_row(["me", "other"])  # another worker runs it now
    someone_elses = task_row(["other"])
    done = task_row(["me"], status=TaskResultStatus.SUCCESSFUL)
    worker = ReconnectingWorker(
        max_backoff=1,
        queue_names=["default"],
        excluded_queue_names=[],
        interval=0.1,
        batch=True,
        max_tasks=None,
        worker_id="me",
        backend_name="default",
        startup_delay=False,
    )
    assert worker.release_own_running() == 1
    states = {
        row.pk: row.status
        for row in DBTaskResult.objects.filter(pk__in=[mine.pk, handed_on.pk, someone_elses.pk])
    }
    assert states == {
        mine.pk: TaskResultStatus.READY,
        handed_on.pk: TaskResultStatus.RUNNING,
        someone_elses.pk: TaskResultStatus.RUNNING,
    }
    done.refresh_from_db()
    assert done.status == TaskResultStatus.SUCCESSFUL


# --- decompression bombs --------------------------------------------------------------------


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing(settings):
    settings.IMPORT_MAX_UNZIPPED_BYTES = 64 * 1024
    buffer = BytesIO(sheet_bytes(["甲"]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (128 * 1024))  # compresses to ~0
    upload = SimpleUploadedFile("bomb.xlsx", buffer.getvalue())
    assert upload.size < 64 * 1024
    with pytest.raises(ValidationError) as caught:
        imports.count_rows(upload, stop_after=10)
    assert caught.value.message_dict == {"file": [imports.TOO_BIG]}


def test_a_sheet_too_wide_is_refused_before_parsing(settings, district_staff):
    settings.IMPORT_MAX_COLUMNS = 30
    wide = SimpleUploadedFile("wide.xlsx", sheet_bytes([["甲", *[""] * 40, "尾"]]))
    with pytest.raises(ValidationError) as caught:
        imports.upload(district_staff, KIND, wide)
    assert "42 列" in caught.value.message_dict["file"][0]
    assert not ImportJob.objects.exists()
    narrow = SimpleUploadedFile("ok.xlsx", sheet_bytes([["甲", "乙"]], headers=("内容", "备注")))
    assert imports.count_rows(narrow, stop_after=10) == 1
