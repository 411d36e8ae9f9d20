"""Spreadsheet imports, built once: upload → row-by-row check → all-or-nothing commit.

An app describes its sheet with an ``Importer`` (columns with parsers, set-based checks
against the database, a set-based commit) and registers it. Core does the rest: reading the
file (python-calamine), the error report (row, column, message in Chinese), progress for
large files checked by the background worker, and one transaction for the commit, so a
failed import writes nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from python_calamine import CalamineWorkbook

from . import audit
from .models import ImportJob

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 1000
PROGRESS_EVERY = 2000
ALLOWED_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class CellError(ValueError):
    """A parser's complaint about one cell; its message is shown to the user as is."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    parse: Callable[[Any], Any]
    required: bool = True
    example: str = ""
    help: str = ""


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    number: int  # the row number the user sees in Excel
    values: dict = field(default_factory=dict)


class Importer:
    """Subclass per kind of sheet. ``check`` and ``commit`` work on all rows at once."""

    kind: str = ""
    title: str = ""
    columns: tuple[Column, ...] = ()

    def require_permission(self, actor) -> None:
        raise NotImplementedError

    def check(self, actor, rows: list[ParsedRow]) -> list[RowError]:
        """Checks across rows and against the database (duplicates, scope)."""
        return []

    def commit(self, actor, rows: list[ParsedRow], job: ImportJob) -> int:
        """Write every row; runs inside the import's transaction. Returns rows created."""
        raise NotImplementedError


_IMPORTERS: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    _IMPORTERS[importer.kind] = importer
    return importer


def importer_for(kind: str) -> Importer:
    return _IMPORTERS[kind]


# --- cell parsers shared by importers -----------------------------------------------------


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def integer(value) -> int | None:
    raw = text(value).replace(",", "")
    if raw == "":
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError("应为整数") from None
    if number != number.to_integral_value() or number < 0:
        raise CellError("应为非负整数")
    return int(number)


def money(value) -> Decimal | None:
    raw = text(value).replace(",", "")
    if raw == "":
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise CellError("应为金额数字") from None
    if amount < 0:
        raise CellError("金额不能为负数")
    return amount.quantize(Decimal("0.01"))


def day(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value).replace("/", "-"))
    except ValueError:
        raise CellError("日期格式应为 YYYY-MM-DD") from None


def yes_no(value) -> bool | None:
    raw = text(value)
    if raw == "":
        return None
    if raw in {"是", "有", "Y", "y", "1", "TRUE", "True", "true"}:
        return True
    if raw in {"否", "无", "N", "n", "0", "FALSE", "False", "false"}:
        return False
    raise CellError("应填“是”或“否”")


def choice(mapping: dict[str, str]) -> Callable[[Any], str | None]:
    """Accept either the code or the Chinese label of a choice."""
    by_label = {label: code for code, label in mapping.items()}

    def parse(value) -> str | None:
        raw = text(value)
        if raw == "":
            return None
        if raw in mapping:
            return raw
        if raw in by_label:
            return by_label[raw]
        raise CellError("不是可选值之一：" + "、".join(mapping.values()))

    return parse


# --- reading and checking -----------------------------------------------------------------


def read_rows(path: str | Path) -> tuple[list[str], list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    data = sheet.to_python(skip_empty_area=False)
    if not data:
        return [], []
    headers = [text(cell) for cell in data[0]]
    body = [row for row in data[1:] if any(text(cell) for cell in row)]
    return headers, body


def _parse(importer: Importer, headers: list[str], body: list[list], job: ImportJob | None):
    errors: list[RowError] = []
    positions = {header: index for index, header in enumerate(headers) if header}
    missing = [c.header for c in importer.columns if c.required and c.header not in positions]
    if missing:
        errors.append(RowError(1, "、".join(missing), "缺少必需的列，请使用导入模板"))
        return [], errors
    rows: list[ParsedRow] = []
    for offset, raw in enumerate(body):
        number = offset + 2
        parsed = ParsedRow(number)
        for column in importer.columns:
            index = positions.get(column.header)
            cell = raw[index] if index is not None and index < len(raw) else None
            try:
                value = column.parse(cell)
            except CellError as exc:
                errors.append(RowError(number, column.header, str(exc)))
                continue
            if column.required and value in (None, ""):
                errors.append(RowError(number, column.header, "不能为空"))
                continue
            parsed.values[column.key] = value
        rows.append(parsed)
        if job is not None and (offset + 1) % PROGRESS_EVERY == 0:
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=offset + 1)
    return rows, errors


def check_file(importer: Importer, actor, path, job: ImportJob | None = None, table=None):
    """Parse and check every row. Returns (rows, errors); no database writes but progress.

    ``table`` is the (headers, body) already read from ``path``, to avoid reading it twice."""
    try:
        headers, body = table if table is not None else read_rows(path)
    except Exception:  # calamine raises its own types for unreadable files
        logger.info("import file unreadable: job %s", getattr(job, "pk", None))
        return [], [RowError(0, "", "无法读取该文件，请上传 Excel（.xlsx）文件")], 0
    if job is not None:
        ImportJob.objects.filter(pk=job.pk).update(total_rows=len(body))
    if not body:
        return [], [RowError(1, "", "文件中没有数据行")], 0
    rows, errors = _parse(importer, headers, body, job)
    failed_rows = {error.row for error in errors}
    errors.extend(importer.check(actor, [row for row in rows if row.number not in failed_rows]))
    errors.sort(key=lambda error: (error.row, error.column))
    return rows, errors, len(body)


def _store_check_result(job: ImportJob, errors: list[RowError], total: int) -> None:
    job.total_rows = total
    job.processed_rows = total
    job.error_count = len(errors)
    job.errors = [error.as_dict() for error in errors[:MAX_STORED_ERRORS]]
    job.status = ImportJob.Status.INVALID if errors else ImportJob.Status.READY
    job.message = (
        f"共 {total} 行，发现 {len(errors)} 处错误，请修改后重新上传。"
        if errors
        else f"共 {total} 行，校验通过，可以导入。"
    )
    job.save(
        update_fields=["total_rows", "processed_rows", "error_count", "errors", "status", "message"]
    )
    if errors:
        _discard_file(job)


def _discard_file(job: ImportJob) -> None:
    """Delete the uploaded sheet once it can no longer be committed.

    The sheet holds personal data in the clear; the error report kept on the job does not.
    """
    if not job.file:
        return
    name, storage = job.file.name, job.file.storage

    def discard() -> None:
        storage.delete(name)
        ImportJob.objects.filter(pk=job.pk, file=name).update(file="")

    transaction.on_commit(discard)


# --- services -----------------------------------------------------------------------------


@transaction.atomic
def upload(actor, kind: str, uploaded_file) -> ImportJob:
    """Store the file and check it: at once when small, in the background when large."""
    importer = importer_for(kind)
    importer.require_permission(actor)
    name = Path(uploaded_file.name or "").name
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError({"file": "请上传 Excel 文件（.xlsx）。"})
    job = ImportJob.objects.create(
        kind=kind, created_by=actor, file=uploaded_file, original_name=name[:200]
    )
    audit.record(actor, "upload_import", job, changes={"file": [None, job.original_name]})
    try:
        table = read_rows(job.file.path)
    except Exception:
        table = None  # check_file reports the unreadable file
    size = len(table[1]) if table is not None else 0
    if size > settings.IMPORT_BACKGROUND_THRESHOLD:
        job.total_rows = size
        job.save(update_fields=["total_rows"])
        transaction.on_commit(lambda: check_import_task.enqueue(job.pk))
    else:
        _run_check(job, table)
    return job


def _run_check(job: ImportJob, table=None) -> None:
    importer = importer_for(job.kind)
    _, errors, total = check_file(importer, job.created_by, job.file.path, job, table)
    _store_check_result(job, errors, total)


def commit(actor, job: ImportJob) -> ImportJob:
    """Queue (large) or run (small) the all-or-nothing commit of a checked file."""
    importer = importer_for(job.kind)
    importer.require_permission(actor)
    if job.created_by_id != actor.pk:
        raise ValidationError("只能确认本人上传的导入文件。")
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.READY).update(
        status=ImportJob.Status.COMMITTING, processed_rows=0
    )
    if not updated:
        raise ValidationError("该文件当前不能导入（未通过校验、已导入或正在导入）。")
    job.refresh_from_db()
    if job.total_rows > settings.IMPORT_BACKGROUND_THRESHOLD:
        commit_import_task.enqueue(job.pk)
    else:
        _run_commit(job)
    job.refresh_from_db()
    return job


@transaction.atomic
def cancel(actor, job: ImportJob) -> None:
    if job.created_by_id != actor.pk:
        raise ValidationError("只能取消本人上传的导入文件。")
    if job.status not in (ImportJob.Status.READY, ImportJob.Status.INVALID):
        raise ValidationError("该导入已开始或已结束，不能取消。")
    job.status = ImportJob.Status.CANCELLED
    job.save(update_fields=["status"])
    audit.record(actor, "cancel_import", job)
    _discard_file(job)


def _run_commit(job: ImportJob) -> None:
    importer = importer_for(job.kind)
    actor = job.created_by
    # The database may have changed since the check: check again inside the transaction.
    try:
        with transaction.atomic():
            rows, errors, total = check_file(importer, actor, job.file.path)
            if errors:
                raise _CommitRefused(errors)
            created = importer.commit(actor, rows, job)
            audit.record(
                actor,
                "commit_import",
                job,
                changes={"created": [None, created], "file": [None, job.original_name]},
            )
    except _CommitRefused as refused:
        _store_check_result(job, refused.errors, job.total_rows)
        job.status = ImportJob.Status.FAILED
        job.message = "导入前复核发现错误，未导入任何数据：" + job.message
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "message", "finished_at"])
        return
    except Exception:
        logger.exception("import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            message="导入失败，未导入任何数据，请联系管理员。",
            finished_at=timezone.now(),
        )
        _discard_file(job)
        return
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE,
        created_count=created,
        processed_rows=total,
        message=f"已导入 {created} 条记录。",
        finished_at=timezone.now(),
    )
    _discard_file(job)


class _CommitRefused(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("import refused")
        self.errors = errors


@task()
def check_import_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    _run_check(job)


@task()
def commit_import_task(job_id: int) -> None:
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    _run_commit(job)


def jobs_visible_to(user, kind: str | None = None):
    jobs = ImportJob.objects.filter(created_by=user)
    return jobs.filter(kind=kind) if kind else jobs


def template_rows(importer: Importer) -> Iterable[list[str]]:
    yield [column.header for column in importer.columns]
    yield [column.example for column in importer.columns]
