"""Imports under faults and hostile uploads: the limits refuse before parsing, an error in the
check leaves a job to retry (never stuck), stuck background runs are taken back, the user can
retry or cancel, sheets are deleted when their job ends, and a disk that refuses the file
gives a message instead of a 500."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from tests.core import importers_for_tests  # noqa: F401 - registers the test importer
from yutong.core import imports, uploads
from yutong.core.models import AuditEntry, ImportJob
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db
KIND = "test_notes"
PAYROLL_API = "/api/v1/payroll-imports/"


def sheet_bytes(rows, headers=("内容",)) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row if isinstance(row, list | tuple) else [row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def notes(*texts, name="notes.xlsx"):
    return SimpleUploadedFile(name, sheet_bytes(texts))


def media_files(settings) -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.fixture
def payroll_sheet():
    return notes("甲", name="工资表.xlsx")


@pytest.fixture
def payroll_check_fails(monkeypatch):
    """The payroll check raises, as a check does when the cache is unreachable."""

    def fail(actor, rows):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr(imports.importer_for("payroll"), "check", fail)
    return monkeypatch


# --- limits --------------------------------------------------------------------------------


def test_a_sheet_over_the_size_limit_is_refused_before_it_is_stored(
    api_client, district_staff, settings
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024
    big = SimpleUploadedFile("big.xlsx", sheet_bytes([f"行{n}" * 20 for n in range(300)]))
    assert big.size > 1024
    response = api_client(district_staff).post(PAYROLL_API, {"file": big}, format="multipart")
    assert response.status_code == 400
    assert response.json()["file"] == ["文件不能超过 0.000976562 MB。"]
    assert ImportJob.objects.count() == 0
    assert media_files(settings) == []


def test_a_sheet_over_the_row_limit_is_refused_before_it_is_parsed(
    district_staff, settings, monkeypatch
):
    settings.IMPORT_MAX_ROWS = 50
    monkeypatch.setattr(imports, "CalamineWorkbook", None)  # reading a cell would fail
    with pytest.raises(ValidationError) as refused:
        imports.upload(district_staff, KIND, notes(*[f"第{n}行" for n in range(51)]))
    assert refused.value.message_dict == {
        "file": ["文件约有 51 行数据，超过每次导入 50 行的上限，请拆分后分批上传。"]
    }
    assert ImportJob.objects.count() == 0
    job = imports.upload(district_staff, KIND, notes(*[f"第{n}行" for n in range(50)]))
    assert job.status == "invalid"  # within the limit: read (and here the reader is gone)


def test_the_row_limit_holds_for_sheets_counted_only_when_read(settings, tmp_path):
    """An .xls or .ods cannot be counted without reading: the reader refuses before any cell
    becomes a value (shown here on an .xlsx read the same way)."""
    settings.IMPORT_MAX_ROWS = 3
    path = tmp_path / "many.xlsx"
    path.write_bytes(sheet_bytes([f"行{n}" for n in range(5)]))
    rows, errors, total = imports.check_file(importers_for_tests.NotesImporter(), None, path)
    assert (rows, total) == ([], 0)
    assert errors[0].message.startswith("文件约有 5 行数据，超过每次导入 3 行的上限")


def test_a_large_sheet_is_not_parsed_in_the_request(
    api_client, district_staff, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_THRESHOLD = 5
    monkeypatch.setattr(imports, "CalamineWorkbook", None)  # the request must not read it
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.upload(district_staff, KIND, notes(*[f"第{n}行" for n in range(6)]))
    assert (job.status, job.total_rows, job.attempts) == ("checking", 6, 1)
    assert DBTaskResult.objects.get().args_kwargs == {"args": [job.pk, 1], "kwargs": {}}


def test_a_sheet_over_the_size_limit_is_a_message_on_the_page(
    login_client, district_staff, settings
):
    settings.IMPORT_MAX_UPLOAD_BYTES = 1024 * 1024
    big = SimpleUploadedFile("big.xlsx", b"PK" + os.urandom(1024 * 1024))
    response = login_client(district_staff).post("/registry/imports/", {"file": big})
    assert response.status_code == 200
    assert "文件不能超过 1 MB。" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert media_files(settings) == []


def test_an_evaluation_document_over_the_limit_is_refused(settings):
    from yutong.harmony import services  # noqa: PLC0415

    settings.DOCUMENT_MAX_UPLOAD_BYTES = 10
    with pytest.raises(ValidationError) as refused:
        services._check_upload(SimpleUploadedFile("a.pdf", b"%PDF-1.4 " + b"x" * 20))
    assert "文件不能超过" in refused.value.message_dict["file"][0]


# --- a disk that refuses the file ---------------------------------------------------------------


@pytest.fixture
def unwritable_media(settings, tmp_path):
    """MEDIA_ROOT below a plain file: every write fails with an OSError, as on a read-only
    or full disk (the tests run as root, for whom permissions would not stop a write)."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"


def test_an_upload_the_disk_refuses_is_a_message_on_the_page(
    login_client, district_staff, unwritable_media
):
    response = login_client(district_staff).post(
        "/registry/imports/", {"file": notes("甲", name="企业.xlsx")}
    )
    assert response.status_code == 200
    assert uploads.STORE_FAILED in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_an_upload_the_disk_refuses_is_a_400_on_the_api(
    api_client, district_staff, unwritable_media
):
    response = api_client(district_staff).post(
        PAYROLL_API, {"file": notes("甲")}, format="multipart"
    )
    assert response.status_code == 400
    assert response.json() == {"file": [uploads.STORE_FAILED]}


def test_an_evaluation_document_the_disk_refuses_is_a_message(
    enterprise_user, own_enterprise, unwritable_media
):
    from tests.harmony.conftest import pdf  # noqa: PLC0415
    from yutong.harmony import services  # noqa: PLC0415
    from yutong.harmony.models import DocumentKind, EvaluationDocument  # noqa: PLC0415

    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    kind = DocumentKind.objects.filter(is_active=True).first()
    with pytest.raises(ValidationError) as refused:
        services.add_document(enterprise_user, evaluation, kind=kind, file=pdf())
    assert refused.value.message_dict == {"file": [uploads.STORE_FAILED]}
    assert not EvaluationDocument.objects.exists()


# --- an error in the check path -------------------------------------------------------------


def test_an_error_in_the_check_leaves_a_job_to_retry_not_a_500(
    district_staff, settings, monkeypatch
):
    job = imports.upload(district_staff, KIND, notes("甲", "cache-down"))
    assert job.status == "interrupted"
    assert job.can_retry and job.can_cancel
    assert job.message == imports.CHECK_ERROR
    assert len(media_files(settings)) == 1  # kept for the retry
    # The cache is back (the sheet is the same; the importer now passes): retry checks again.
    monkeypatch.setattr(importers_for_tests.NotesImporter, "check", lambda self, a, rows: [])
    job = imports.retry(district_staff, job)
    assert job.status == "ready"
    assert AuditEntry.objects.filter(action="retry_import", object_id=str(job.pk)).exists()


def test_an_error_in_a_background_check_leaves_a_job_to_retry(
    district_staff, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD = 1
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.upload(district_staff, KIND, notes("甲", "cache-down"))
    job.refresh_from_db()
    assert (job.status, job.lease_until) == ("interrupted", None)


def test_an_error_in_the_commit_writes_nothing_and_can_be_retried(district_staff, monkeypatch):
    job = imports.upload(district_staff, KIND, notes("甲", "乙"))

    def broken(self, actor, rows, job):
        audit_count = AuditEntry.objects.count()
        assert audit_count
        raise ConnectionError("lost")

    monkeypatch.setattr(importers_for_tests.NotesImporter, "commit", broken)
    job = imports.commit(district_staff, job)
    assert job.status == "interrupted"
    assert not AuditEntry.objects.filter(action="commit_import").exists()
    monkeypatch.undo()
    job = imports.retry(district_staff, job)
    assert job.status == "ready"
    job = imports.commit(district_staff, job)
    assert (job.status, job.created_count) == ("done", 2)


# --- stuck background runs ------------------------------------------------------------------


def stuck(job: ImportJob, status: str, *, attempts: int = 1) -> ImportJob:
    """The state a killed worker leaves: running, its lease run out."""
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, attempts=attempts, lease_until=timezone.now() - timedelta(seconds=1)
    )
    job.refresh_from_db()
    return job


@pytest.mark.parametrize("status", ["checking", "committing"])
def test_a_stale_run_is_queued_again_then_left_to_the_user(
    district_staff, settings, status, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    job = stuck(imports.upload(district_staff, KIND, notes("甲")), status)
    with django_capture_on_commit_callbacks(execute=True):
        assert imports.reclaim_stale() == 1
    job.refresh_from_db()
    assert (job.status, job.attempts) == (status, 2)
    assert job.lease_until > timezone.now()
    task = "check" if status == "checking" else "commit"
    queued = DBTaskResult.objects.get()
    assert queued.task_path == f"yutong.core.imports.{task}_import_task"
    assert queued.args_kwargs["args"] == [job.pk, 2]

    stuck(job, status, attempts=settings.IMPORT_MAX_ATTEMPTS)
    assert imports.reclaim_stale() == 1
    job.refresh_from_db()
    assert (job.status, job.message) == ("interrupted", imports.GAVE_UP)


def test_a_run_that_was_taken_back_cannot_write_its_result(district_staff):
    job = stuck(imports.upload(district_staff, KIND, notes("甲")), "checking", attempts=1)
    assert imports.reclaim_stale() == 1  # the worker's start (or the cron) takes it back
    imports.check_import_task.call(job.pk, 1)  # the old run wakes up late: not current
    job.refresh_from_db()
    assert (job.status, job.attempts) == ("checking", 2)
    imports.check_import_task.call(job.pk, 2)
    job.refresh_from_db()
    assert job.status == "ready"


def test_the_user_retries_an_interrupted_job_in_the_api(
    api_client, district_staff, payroll_sheet, payroll_check_fails
):
    client = api_client(district_staff)
    created = client.post(PAYROLL_API, {"file": payroll_sheet}, format="multipart")
    assert created.status_code == 201
    shown = client.get(f"{PAYROLL_API}{created.json()['id']}/").json()
    assert (shown["status"], shown["can_retry"], shown["can_cancel"]) == ("interrupted", True, True)
    payroll_check_fails.undo()  # the cache is back
    retried = client.post(f"{PAYROLL_API}{shown['id']}/retry/")
    assert retried.status_code == 200
    assert retried.json()["status"] == "invalid"  # checked again: this sheet has no payroll
    assert client.post(f"{PAYROLL_API}{shown['id']}/retry/").status_code == 400


def test_the_user_cancels_an_interrupted_job_in_the_api(
    api_client,
    district_staff,
    payroll_sheet,
    payroll_check_fails,
    settings,
    django_capture_on_commit_callbacks,
):
    client = api_client(district_staff)
    created = client.post(PAYROLL_API, {"file": payroll_sheet}, format="multipart").json()
    assert created["status"] == "interrupted"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{PAYROLL_API}{created['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert media_files(settings) == []


def test_reading_a_job_does_not_take_back_a_dead_run(
    api_client, district_staff, payroll_sheet, settings, django_capture_on_commit_callbacks
):
    # Taking back is the worker's (at start and reconnect) and the cron's: a list or a page
    # read writes nothing and queues nothing; the user sees the run stuck and may retry it.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = api_client(district_staff)
    created = client.post(PAYROLL_API, {"file": payroll_sheet}, format="multipart").json()
    job = stuck(ImportJob.objects.get(pk=created["id"]), "checking")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        shown = client.get(f"{PAYROLL_API}{created['id']}/").json()
        client.get(PAYROLL_API)
    assert callbacks == [] and not DBTaskResult.objects.exists()
    assert (shown["status"], shown["can_retry"]) == ("checking", True)
    assert ImportJob.objects.get(pk=job.pk).attempts == job.attempts


def test_the_user_cancels_a_stuck_commit_on_the_page(
    login_client, district_staff, tmp_path, django_capture_on_commit_callbacks
):
    from tests.registry.test_import_export import row, write_xlsx  # noqa: PLC0415

    path = write_xlsx(tmp_path / "e.xlsx", [row(1)])
    client = login_client(district_staff)
    with path.open("rb") as handle:
        client.post("/registry/imports/", {"file": handle})
    job = stuck(ImportJob.objects.get(), "committing")
    ImportJob.objects.filter(pk=job.pk).update(lease_until=timezone.now() + timedelta(hours=1))
    page = client.get(f"/registry/imports/{job.pk}/").content.decode()
    assert "取消" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not job.file
    assert Enterprise.objects.count() == 0


def test_a_stale_job_page_offers_retry(login_client, district_staff, tmp_path, settings):
    from tests.registry.test_import_export import row, write_xlsx  # noqa: PLC0415

    path = write_xlsx(tmp_path / "e.xlsx", [row(1)])
    client = login_client(district_staff)
    with path.open("rb") as handle:
        client.post("/registry/imports/", {"file": handle})
    job = stuck(ImportJob.objects.get(), "checking")
    page = client.get(f"/registry/imports/{job.pk}/").content.decode()
    assert 'data-status="checking"' in page and 'data-testid="import-stale"' in page
    assert 'data-testid="import-retry"' in page
    assert 'hx-trigger="every 2s"' not in page  # nothing is working on it: no polling
    assert ImportJob.objects.get(pk=job.pk).attempts == 1  # the page took nothing back
    client.post(f"/registry/imports/{job.pk}/retry/")
    job.refresh_from_db()
    assert job.status == "ready"


# --- sheets deleted when the job ends ---------------------------------------------------------


def test_sheets_go_when_the_job_ends_and_the_sweep_removes_the_rest(
    district_staff, settings, django_capture_on_commit_callbacks
):
    job = imports.upload(district_staff, KIND, notes("甲"))
    with django_capture_on_commit_callbacks(execute=True):
        done = imports.commit(district_staff, job)
    done.refresh_from_db()
    assert (done.status, done.file.name) == ("done", "")
    interrupted = imports.upload(district_staff, KIND, notes("cache-down"))
    assert interrupted.file and interrupted.interrupted_at is not None
    long_ago = timezone.now() - timedelta(hours=settings.IMPORT_RETRY_HOURS + 1)
    ImportJob.objects.filter(pk=interrupted.pk).update(interrupted_at=long_ago)
    # Uploaded long ago but interrupted just now (say, on a retry): its hours run from now.
    recent = imports.upload(district_staff, KIND, notes("cache-down"))
    ImportJob.objects.filter(pk=recent.pk).update(created_at=long_ago)
    lost = imports.upload(district_staff, KIND, notes("乙"))  # ended, but its sheet stayed
    ImportJob.objects.filter(pk=lost.pk).update(status="cancelled")
    media = Path(settings.MEDIA_ROOT)
    orphan = media / "imports" / "2020" / "01" / "left-behind.xlsx"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"x")
    old = time.time() - 2 * 3600
    os.utime(orphan, (old, old))
    young = media / "imports" / "young.xlsx"  # an upload whose row is not committed yet
    young.write_bytes(b"x")
    kept = imports.upload(district_staff, KIND, notes("丙"))  # ready: still needs its sheet

    call_command("clean_uploads")

    interrupted.refresh_from_db()
    assert (interrupted.status, interrupted.file.name) == ("failed", "")
    recent.refresh_from_db()
    assert recent.status == "interrupted"
    assert sorted(p.relative_to(media).as_posix() for p in media_files(settings)) == sorted(
        [kept.file.name, recent.file.name, "imports/young.xlsx"]
    )
