"""Spreadsheet imports, built once: upload → row-by-row check → all-or-nothing commit.

An app describes its sheet with an ``Importer`` (columns with parsers, set-based checks
against the database, a set-based commit) and registers it. Core does the rest: the upload
limits (size, rows: refused before the sheet is parsed), reading the file (python-calamine),
the error report (every error of every row in one pass: row, the row's name, column, message
in Chinese; notices about ignored columns), progress for large files checked by the
background worker, and one transaction for the commit that also writes the job's status, so a
failed or interrupted import writes nothing and a job is done exactly when its rows are in.

Background runs hold a lease (``IMPORT_LEASE_SECONDS``, renewed as rows are checked); a run
whose lease ran out is taken back by ``reclaim_stale`` and queued again, up to
``IMPORT_MAX_ATTEMPTS`` runs, then left "interrupted" for the user to retry or cancel.
"""

from __future__ import annotations

import logging
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django_tasks import task
from python_calamine import CalamineWorkbook

from . import audit, dates, inbox, uploads
from .models import ImportJob
from .money import yuan

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

    @property
    def options(self) -> list[str]:
        """A choice column's values as the user may type them, for the column notes."""
        return getattr(self.parse, "options", [])


@dataclass
class RowError:
    row: int
    column: str
    message: str
    label: str = ""  # the row's name (the importer's ``label_column``), filled in by core

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "label": self.label,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ParsedRow:
    number: int  # the row number the user sees in Excel
    values: dict = field(default_factory=dict)
    label: str = ""  # the identifying cell as typed (e.g. the enterprise's name)
    failed: set = field(default_factory=set)  # keys of the columns whose cell was refused


LABEL_MAX = 100


class Importer:
    """Subclass per kind of sheet. ``check`` and ``commit`` work on all rows at once.

    ``label_column``: the key of the column that names a row (the enterprise's name), shown
    with the row number in the report. ``ignored_columns``: headers a sheet may still carry
    that the importer reads no more, with the reason shown as a notice (see ``notes``).
    ``checks_rows_with_cell_errors``: ``check`` also gets the rows whose cells were refused
    (their ``values`` lack those keys, ``row.failed`` names them), so that a row's scope and
    duplicate errors are reported in the same pass as its cell errors. An importer whose
    ``check`` reads ``row.values[key]`` without ``.get`` leaves it False: it then gets only the
    rows whose every cell was read."""

    kind: str = ""
    title: str = ""
    columns: tuple[Column, ...] = ()
    label_column: str = ""
    ignored_columns: dict[str, str] = {}
    checks_rows_with_cell_errors: bool = False
    # The job's page (a URL name taking its pk), linked from the message a background run sends.
    job_view: str = ""

    def require_permission(self, actor) -> None:
        raise NotImplementedError

    @property
    def label_header(self) -> str:
        for column in self.columns:
            if column.key == self.label_column:
                return column.header
        return ""

    def notes(self, headers: list[str]) -> list[str]:
        """Notices about the sheet that are not errors: by default, the columns it carries
        that the importer does not read (with the reason from ``ignored_columns``)."""
        known = {column.header for column in self.columns}
        ignored = []
        for header in headers:
            header = CONTROL_CHARACTERS.sub("", header)[:LABEL_MAX]  # stored on the job
            if not header or header in known or header in ignored:
                continue
            ignored.append(header)
        if not ignored:
            return []
        described = [
            f"{header}（{self.ignored_columns.get(header, '导入模板中没有该列')}）"
            for header in ignored
        ]
        return ["已忽略列：" + "；".join(described)]

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


def _cell_text(value) -> str:
    """A cell as text, as typed; no checks (headers, blank-row detection)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


# C0 controls but tab and line breaks (Alt+Enter in a cell), DEL and C1 controls: invisible,
# and NUL is refused by PostgreSQL outright.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTROL_MESSAGE = "含有不可见的控制字符，请删除后重新填写"


def text(value) -> str:
    """A text cell, trimmed; control characters (NUL and the like) are refused."""
    raw = _cell_text(value)
    if CONTROL_CHARACTERS.search(raw):
        raise CellError(CONTROL_MESSAGE)
    return raw


def text_up_to(max_length: int) -> Callable[[Any], str]:
    """A text cell of at most ``max_length`` characters (the database column's length)."""

    def parse(value) -> str:
        raw = text(value)
        if len(raw) > max_length:
            raise CellError(f"不能超过 {max_length} 个字（现有 {len(raw)} 个）")
        return raw

    return parse


# A PostgreSQL integer (Django's IntegerField and PositiveIntegerField): larger is a DataError.
INTEGER_MAX = 2_147_483_647


def integer(value) -> int | None:
    raw = text(value).replace(",", "")
    if raw == "":
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError("应为整数") from None
    if not number.is_finite():
        raise CellError("应为整数")
    if number != number.to_integral_value() or number < 0:
        raise CellError("应为非负整数")
    if number > INTEGER_MAX:
        raise CellError(f"数值过大（不能超过 {INTEGER_MAX}）")
    return int(number)


# The largest amount the imported money columns hold (max_digits=12, decimal_places=2).
MONEY_MAX = Decimal("9999999999.99")


def money(value) -> Decimal | None:
    raw = text(value).replace(",", "")
    if raw == "":
        return None
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise CellError("应为金额数字") from None
    if not amount.is_finite():
        raise CellError("应为金额数字")
    if amount < 0:
        raise CellError("金额不能为负数")
    if amount > MONEY_MAX:
        raise CellError(f"金额过大（不能超过 {yuan(MONEY_MAX)} 元）")
    return amount.quantize(Decimal("0.01"))


def day(value) -> date | None:
    """A date cell: an Excel date or ``YYYY-MM-DD`` text, inside the platform's range
    (``core.dates``: later services add years to it, and PostgreSQL refuses year 0)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = date.fromisoformat(text(value).replace("/", "-"))
        except ValueError:
            raise CellError("日期格式应为 YYYY-MM-DD") from None
    if not dates.in_range(value):
        raise CellError(f"日期应在 {dates.FIRST_DAY} 至 {dates.LAST_DAY} 之间")
    return value


def yes_no(value) -> bool | None:
    raw = text(value)
    if raw == "":
        return None
    if raw in {"是", "有", "Y", "y", "1", "TRUE", "True", "true"}:
        return True
    if raw in {"否", "无", "N", "n", "0", "FALSE", "False", "false"}:
        return False
    raise CellError("应填“是”或“否”")


SEPARATORS = re.compile(r"[\s:：\-—_.．]+")


def choice(
    mapping: dict[str, str], message: str = "", show_codes: bool = False
) -> Callable[[Any], str | None]:
    """Accept the code (any case), the Chinese label, or both as the column notes show them
    ("C 制造业"). A wrong value is told the values one by one, each in quotes (labels may
    themselves contain "、"), or ``message`` for a long list that is better described.
    ``show_codes``: the codes are meant for users (a standard's letters), so the column notes
    list them with the labels."""
    by_code = {code.casefold(): code for code in mapping}
    by_label = {label: code for code, label in mapping.items()}
    both = {SEPARATORS.sub("", code + label).casefold(): code for code, label in mapping.items()}
    refusal = message or "应为以下之一：" + "".join(f"“{label}”" for label in mapping.values())

    def parse(value) -> str | None:
        raw = text(value)
        if raw == "":
            return None
        found = by_code.get(raw.casefold()) or by_label.get(raw)
        found = found or both.get(SEPARATORS.sub("", raw).casefold())
        if found is None:
            raise CellError(refusal)
        return found

    parse.options = [f"{code} {label}" if show_codes else label for code, label in mapping.items()]
    return parse


# --- reading and checking -----------------------------------------------------------------


class TooManyRows(ValueError):
    pass


def _too_many_rows(rows: int) -> str:
    limit = settings.IMPORT_MAX_ROWS
    return f"文件约有 {rows} 行数据，超过每次导入 {limit} 行的上限，请拆分后分批上传。"


ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
FIRST_SHEET = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?:id=\"([^\"]+)\"")
RELATION = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
ATTRIBUTE = re.compile(rb'\b(Id|Target)="([^"]*)"')
# An .xlsx is a zip: past this much XML a small upload is a decompression bomb.
MAX_SHEET_XML_BYTES = 1024 * 1024 * 1024
# The column letters of a cell reference (``<c r="AB12"``).
CELL_COLUMN = re.compile(rb"<(?:\w+:)?c\b[^>]*?\br=\"([A-Z]{1,3})[0-9]")
TOO_BIG = "文件解压后内容过大，无法导入。"


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _too_wide(columns: int) -> ValidationError:
    limit = settings.IMPORT_MAX_COLUMNS
    return ValidationError(
        {"file": f"工作表有 {columns} 列，超过 {limit} 列的上限，请使用导入模板。"}
    )


def count_rows(uploaded_file, stop_after: int) -> int | None:
    """Data rows of an .xlsx/.xlsm's first sheet, counted from its XML without reading a cell
    (and stopping past ``stop_after``); None for a format that cannot be counted this way.

    Refused before anything is parsed: a workbook whose parts unpack to more than
    ``IMPORT_MAX_UNZIPPED_BYTES`` (as its zip directory declares them; the sheet is also
    measured as it is read) or whose first sheet reaches past ``IMPORT_MAX_COLUMNS``."""
    try:
        uploaded_file.seek(0)
        with zipfile.ZipFile(uploaded_file) as archive:
            declared = sum(info.file_size for info in archive.infolist())
            if declared > settings.IMPORT_MAX_UNZIPPED_BYTES:
                raise ValidationError({"file": TOO_BIG})
            sheet = _first_sheet(archive)
            if sheet is None:
                return None
            return _count_row_tags(archive, sheet, stop_after + 1) - 1
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None  # not a zipped workbook: the check reports what it is
    finally:
        uploaded_file.seek(0)


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part holding the first sheet, as calamine picks it: workbook order, not file name."""
    found = FIRST_SHEET.search(archive.read("xl/workbook.xml"))
    if found is None:
        return None
    for relation in RELATION.finditer(archive.read("xl/_rels/workbook.xml.rels")):
        attributes = dict(ATTRIBUTE.findall(relation.group(1)))
        if attributes.get(b"Id") == found.group(1) and b"Target" in attributes:
            target = attributes[b"Target"].decode()
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _count_row_tags(archive: zipfile.ZipFile, name: str, stop_after: int) -> int:
    count, tail, read = 0, b"", 0
    limit = min(MAX_SHEET_XML_BYTES, settings.IMPORT_MAX_UNZIPPED_BYTES)
    with archive.open(name) as stream:
        while chunk := stream.read(1 << 20):
            read += len(chunk)
            if read > limit:
                raise ValidationError({"file": TOO_BIG})
            data = tail + chunk
            letters = max(set(CELL_COLUMN.findall(data)), key=_column_number, default=b"")
            if letters and _column_number(letters) > settings.IMPORT_MAX_COLUMNS:
                raise _too_wide(_column_number(letters))
            count += len(ROW_TAG.findall(data))
            tail = data[-128:]  # a row tag or a cell reference cut by the chunk
            count -= len(ROW_TAG.findall(tail))  # counted again with the next chunk
            if count > stop_after:
                break
        count += len(ROW_TAG.findall(tail))
    return count


def read_rows(path: str | Path) -> tuple[list[str], list[list]]:
    workbook = CalamineWorkbook.from_path(str(path))
    sheet = workbook.get_sheet_by_index(0)
    if sheet.height - 1 > settings.IMPORT_MAX_ROWS:  # before any cell becomes a Python value
        raise TooManyRows(sheet.height - 1)
    data = sheet.to_python(skip_empty_area=False)
    if not data:
        return [], []
    headers = [_cell_text(cell) for cell in data[0]]
    body = [row for row in data[1:] if any(_cell_text(cell) for cell in row)]
    return headers, body


def _heartbeat(job: ImportJob, processed: int) -> None:
    lease = timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
        processed_rows=processed, lease_until=lease
    )


def _parse(importer: Importer, headers: list[str], body: list[list], job: ImportJob | None):
    errors: list[RowError] = []
    positions = {header: index for index, header in enumerate(headers) if header}
    missing = [c.header for c in importer.columns if c.required and c.header not in positions]
    if missing:
        errors.append(RowError(1, "、".join(missing), "缺少必需的列，请使用导入模板"))
        return [], errors
    label_at = next(
        (positions.get(c.header) for c in importer.columns if c.key == importer.label_column),
        None,
    )
    rows: list[ParsedRow] = []
    for offset, raw in enumerate(body):
        number = offset + 2
        parsed = ParsedRow(number)
        if label_at is not None and label_at < len(raw):
            label = CONTROL_CHARACTERS.sub("", _cell_text(raw[label_at]))
            parsed.label = label[:LABEL_MAX]
        for column in importer.columns:
            index = positions.get(column.header)
            cell = raw[index] if index is not None and index < len(raw) else None
            try:
                value = column.parse(cell)
            except CellError as exc:
                errors.append(RowError(number, column.header, str(exc)))
                parsed.failed.add(column.key)
                continue
            if column.required and value in (None, ""):
                errors.append(RowError(number, column.header, "不能为空"))
                parsed.failed.add(column.key)
                continue
            parsed.values[column.key] = value
        rows.append(parsed)
        if job is not None and (offset + 1) % PROGRESS_EVERY == 0:
            _heartbeat(job, offset + 1)
    return rows, errors


@dataclass
class Report:
    """What a check found: the rows read, every error of every row (row order, then the
    order of the columns in the sheet's template), the notices, and the counts."""

    rows: list[ParsedRow]
    errors: list[RowError]
    total: int
    notes: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        """Data rows with at least one error (not the header row or the whole file)."""
        return len({error.row for error in self.errors if error.row > 1})

    def __iter__(self):  # (rows, errors, total), as check_file returned before the notes
        return iter((self.rows, self.errors, self.total))


def check_file(importer: Importer, actor, path, job: ImportJob | None = None, table=None):
    """Parse and check every row: a ``Report``, which unpacks as (rows, errors, total). No
    database writes but progress.

    Every row gets all its errors in one pass: its cell errors, and — when the importer
    ``checks_rows_with_cell_errors`` — its errors across rows and against the database
    (scope, duplicates) as well. ``table`` is the (headers, body) already read from
    ``path``, to avoid reading it twice."""
    try:
        headers, body = table if table is not None else read_rows(path)
    except TooManyRows as exc:
        return Report([], [RowError(0, "", _too_many_rows(exc.args[0]))], 0)
    except Exception:  # calamine raises its own types for unreadable files
        logger.info("import file unreadable: job %s", getattr(job, "pk", None))
        return Report([], [RowError(0, "", "无法读取该文件，请上传 Excel（.xlsx）文件")], 0)
    if job is not None:
        ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(total_rows=len(body))
    notes = importer.notes(headers)
    if not body:
        return Report([], [RowError(1, "", "文件中没有数据行")], 0, notes)
    rows, errors = _parse(importer, headers, body, job)
    if importer.checks_rows_with_cell_errors:
        errors.extend(importer.check(actor, rows))
    else:
        failed_rows = {error.row for error in errors}
        errors.extend(importer.check(actor, [row for row in rows if row.number not in failed_rows]))
    labels = {row.number: row.label for row in rows}
    order = {column.header: index for index, column in enumerate(importer.columns)}
    for error in errors:
        error.label = error.label or labels.get(error.row, "")
    errors.sort(key=lambda error: (error.row, order.get(error.column, len(order)), error.column))
    return Report(rows, errors, len(body), notes)


def _found(report: Report) -> str:
    rows = f"其中 {report.error_rows} 行有错误，" if report.error_rows else ""
    return f"共 {report.total} 行，{rows}发现 {len(report.errors)} 处错误"


def _report_fields(report: Report) -> dict:
    return {
        "error_count": len(report.errors),
        "error_rows": report.error_rows,
        "errors": [error.as_dict() for error in report.errors[:MAX_STORED_ERRORS]],
        "notes": report.notes,
    }


def _store_check_result(job: ImportJob, report: Report) -> bool:
    """Write the report if the job is still this run's (not cancelled, not taken back)."""
    errors, total = report.errors, report.total
    message = (
        f"{_found(report)}，请修改后重新上传。"
        if errors
        else f"共 {total} 行，校验通过，可以导入。"
    )
    stored = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.CHECKING, attempts=job.attempts
    ).update(
        total_rows=total,
        processed_rows=total,
        **_report_fields(report),
        status=ImportJob.Status.INVALID if errors else ImportJob.Status.READY,
        message=message,
        lease_until=None,
    )
    if stored and errors:
        _discard_file(job)
    return bool(stored)


def _discard_file(job: ImportJob) -> None:
    """Delete the uploaded sheet once the job has ended (it can no longer be committed).

    The sheet holds personal data in the clear; the error report kept on the job does not.
    """
    if not job.file:
        return
    name, storage = job.file.name, job.file.storage

    def discard() -> None:
        storage.delete(name)
        ImportJob.objects.filter(pk=job.pk, file=name).update(file="")

    transaction.on_commit(discard)


def _interrupt(job: ImportJob, message: str) -> None:
    """Nothing was written; the sheet is kept so that the user can retry (or cancel) until
    ``sweep`` ends the job ``IMPORT_RETRY_HOURS`` after this moment."""
    ImportJob.objects.filter(pk=job.pk, attempts=job.attempts).update(
        status=ImportJob.Status.INTERRUPTED,
        message=message,
        lease_until=None,
        interrupted_at=timezone.now(),
    )


CHECK_ERROR = "校验时出错，未导入任何数据。请稍后重试，或取消后重新上传。"
COMMIT_ERROR = "导入时出错，未导入任何数据。请稍后重试，或取消后重新上传。"
DATABASE_REFUSED = (
    "数据库拒绝写入（某项数据超出允许范围，或与刚登记的记录重复），未导入任何数据。"
    "请核对后重新上传。"
)
GAVE_UP = "后台处理多次中断（后台进程退出或未运行），未导入任何数据。可重试或取消。"


# --- services -----------------------------------------------------------------------------


def upload(actor, kind: str, uploaded_file) -> ImportJob:
    """Store the file and check it: at once when small, in the background when large.

    Size and row count are refused before the sheet is parsed; the row count of an .xlsx is
    read from its XML, so the request never parses a large sheet."""
    importer = importer_for(kind)
    importer.require_permission(actor)
    name = Path(uploaded_file.name or "").name
    if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
        raise ValidationError({"file": "请上传 Excel 文件（.xlsx）。"})
    uploads.check_size(uploaded_file, settings.IMPORT_MAX_UPLOAD_BYTES)
    rows = count_rows(uploaded_file, stop_after=settings.IMPORT_MAX_ROWS)
    if rows is not None and rows > settings.IMPORT_MAX_ROWS:
        raise ValidationError({"file": _too_many_rows(rows)})
    large = _is_large(rows, uploaded_file.size)
    stored = None
    try:
        with uploads.storing(), transaction.atomic():
            job = ImportJob(kind=kind, created_by=actor, original_name=name[:200])
            job.total_rows = rows or 0
            job.file.save(name, uploaded_file, save=False)
            stored = job.file.name
            job.save()
            audit.record(actor, "upload_import", job, changes={"file": [None, job.original_name]})
            _start_check(job, large)
    except BaseException:
        if stored:  # the row is gone with the transaction: so is its sheet
            job.file.storage.delete(stored)
        raise
    job.refresh_from_db()
    return job


def _is_large(rows: int | None, size: int) -> bool:
    """Whether a sheet is checked in the background: by its rows, or (an .xls/.ods, whose rows
    are known only once read) by its size, so that only a small file is read in a request."""
    if rows is None:
        return size > settings.IMPORT_SYNC_MAX_BYTES
    return rows > settings.IMPORT_BACKGROUND_THRESHOLD


def _start_check(job: ImportJob, large: bool) -> None:
    if large:
        _queue(job, ImportJob.Status.CHECKING)
    else:
        _check_now(job)


def _check_now(job: ImportJob) -> None:
    """Check inside the caller's transaction; an error becomes an interrupted job, not a 500."""
    importer = importer_for(job.kind)
    try:
        with transaction.atomic():  # a failed query must not poison the caller's transaction
            report = check_file(importer, job.created_by, job.file.path)
    except Exception:
        logger.exception("import %s: check failed", job.pk)
        _interrupt(job, CHECK_ERROR)
        return
    _store_check_result(job, report)


def _queue(job: ImportJob, status: str) -> None:
    """Hand the job to the worker: a new run number and a lease that covers the wait."""
    lease = timezone.now() + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        attempts=F("attempts") + 1,
        lease_until=lease,
        claimed_at=None,
        processed_rows=0,
    )
    job.refresh_from_db()
    run = check_import_task if status == ImportJob.Status.CHECKING else commit_import_task
    pk, attempt = job.pk, job.attempts
    # If this enqueue is lost (the process dies right after the commit), the lease runs out
    # and reclaim_stale (worker start, cron sweep) queues the job again.
    transaction.on_commit(lambda: run.enqueue(pk, attempt))


def _require_owner(actor, job: ImportJob, doing: str) -> None:
    if job.created_by_id != actor.pk:
        raise ValidationError(f"只能{doing}本人上传的导入文件。")


def commit(actor, job: ImportJob) -> ImportJob:
    """Queue (large) or run (small) the all-or-nothing commit of a checked file.

    A small commit runs in one transaction with the job's status: if the web worker dies in
    it, the job is still ready and nothing was written."""
    importer = importer_for(job.kind)
    importer.require_permission(actor)
    _require_owner(actor, job, "确认")
    with transaction.atomic():
        current = _lock(job, ImportJob.Status.READY)
        if current is None:
            raise ValidationError("该文件当前不能导入（未通过校验、已导入或正在导入）。")
        if current.total_rows > settings.IMPORT_BACKGROUND_THRESHOLD:
            _queue(current, ImportJob.Status.COMMITTING)
        else:
            _commit_locked(current)
    job.refresh_from_db()
    return job


def _lock(job: ImportJob, *statuses: str, attempt: int | None = None) -> ImportJob | None:
    """The job row locked for this transaction, if it is in one of ``statuses``; None if not
    (or if a running commit holds it — on PostgreSQL its lock says it is alive)."""
    found = ImportJob.objects.select_for_update(skip_locked=True, of=("self",))
    found = found.select_related("created_by")
    found = found.filter(pk=job.pk, status__in=statuses)
    if attempt is not None:
        found = found.filter(attempts=attempt)
    return found.first()


def _commit_locked(job: ImportJob) -> None:
    """Re-check and write every row, and mark the job done, in the caller's transaction."""
    importer = importer_for(job.kind)
    actor = job.created_by
    try:
        with transaction.atomic():  # a refusal or an error undoes the rows only
            # The database may have changed since the check: check again.
            report = check_file(importer, actor, job.file.path)
            if report.errors:
                raise _CommitRefused(report)
            created = importer.commit(actor, report.rows, job)
            audit.record(
                actor,
                "commit_import",
                job,
                changes={"created": [None, created], "file": [None, job.original_name]},
            )
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.DONE,
                created_count=created,
                processed_rows=report.total,
                notes=report.notes,
                message=f"已导入 {created} 条记录。",
                finished_at=timezone.now(),
                lease_until=None,
            )
    except _CommitRefused as refused:
        report = refused.report
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            **_report_fields(report),
            message=f"导入前复核发现错误，未导入任何数据：{_found(report)}，请修改后重新上传。",
            finished_at=timezone.now(),
            lease_until=None,
        )
    except (DataError, IntegrityError):
        # A value the checks let through and the database refused (or a record written by
        # someone else meanwhile): trying the same sheet again would fail the same way.
        logger.exception("import %s: the database refused the rows", job.pk)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED,
            message=DATABASE_REFUSED,
            finished_at=timezone.now(),
            lease_until=None,
        )
    except Exception:
        logger.exception("import %s: commit failed", job.pk)
        _interrupt(job, COMMIT_ERROR)
        return
    _discard_file(job)


def cancel(actor, job: ImportJob) -> None:
    """Drop a job that is not done: ready, invalid, interrupted, or running (a check writes
    nothing; a queued or dead commit has written nothing; a live commit cannot be cancelled)."""
    _require_owner(actor, job, "取消")
    with transaction.atomic():
        current = _lock(job, *CANCELLABLE)
        if current is None:
            raise ValidationError("该导入正在写入数据或已结束，不能取消。")
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.CANCELLED, lease_until=None, finished_at=timezone.now()
        )
        audit.record(actor, "cancel_import", current)
        _discard_file(current)
    job.refresh_from_db()


CANCELLABLE = (
    ImportJob.Status.READY,
    ImportJob.Status.INVALID,
    ImportJob.Status.CHECKING,
    ImportJob.Status.COMMITTING,
    ImportJob.Status.INTERRUPTED,
)


def retry(actor, job: ImportJob) -> ImportJob:
    """Check an interrupted or stuck job's sheet again (then commit it as usual)."""
    importer_for(job.kind).require_permission(actor)
    _require_owner(actor, job, "重试")
    with transaction.atomic():
        current = _lock(job, ImportJob.Status.INTERRUPTED, *RUNNING)
        if current is None or not current.can_retry:
            raise ValidationError("该导入正在进行或已结束，不能重试。")
        if not current.file:
            raise ValidationError("上传的文件已删除，请重新上传。")
        audit.record(actor, "retry_import", current)
        # The same rule as the upload: the sheet is measured again, not its last run's count
        # (an .xls whose check was interrupted knows no rows).
        with current.file.open("rb") as sheet:
            rows = count_rows(sheet, stop_after=settings.IMPORT_MAX_ROWS)
            size = current.file.size
        if _is_large(rows, size):
            _queue(current, ImportJob.Status.CHECKING)
        else:
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportJob.Status.CHECKING, attempts=F("attempts") + 1, lease_until=None
            )
            current.refresh_from_db()
            _check_now(current)
    job.refresh_from_db()
    return job


RUNNING = (ImportJob.Status.CHECKING, ImportJob.Status.COMMITTING)


def reclaim_stale(user=None) -> int:
    """Take back the background runs whose lease ran out (the worker was killed, restarted or
    never ran): queue each again, or after ``IMPORT_MAX_ATTEMPTS`` runs leave it interrupted
    for its user. Returns how many were taken back. Run when ``yutong worker`` starts or
    reconnects to the database, and by ``sweep`` (``yutong clean_uploads``, from cron) — never
    on a page view or an API read."""
    stale = ImportJob.objects.filter(status__in=RUNNING, lease_until__lt=timezone.now())
    if user is not None:
        stale = stale.filter(created_by=user)
    taken = 0
    for pk in stale.values_list("pk", flat=True):
        with transaction.atomic():
            job = (
                ImportJob.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, status__in=RUNNING, lease_until__lt=timezone.now())
                .first()
            )
            if job is None:  # finished meanwhile, or a live commit holds it
                continue
            if job.attempts >= settings.IMPORT_MAX_ATTEMPTS:
                _interrupt(job, GAVE_UP)
            else:
                _queue(job, job.status)
            logger.warning("import %s: run %s taken back", job.pk, job.attempts)
            taken += 1
    return taken


ENDED = (
    ImportJob.Status.INVALID,
    ImportJob.Status.DONE,
    ImportJob.Status.FAILED,
    ImportJob.Status.CANCELLED,
)


def sweep() -> dict[str, int]:
    """What ``yutong clean_uploads`` does for imports: take back stale runs, end interrupted
    jobs nobody retried within ``IMPORT_RETRY_HOURS``, and delete any sheet an ended job
    still holds (its deletion after commit was lost, e.g. the process died right then)."""
    taken = reclaim_stale()
    cutoff = timezone.now() - timedelta(hours=settings.IMPORT_RETRY_HOURS)
    # Aged from the interruption (a job uploaded days ago and interrupted a minute ago still
    # has its hours); rows interrupted before that moment was recorded, from the upload.
    aged = Q(interrupted_at__lt=cutoff) | Q(interrupted_at__isnull=True, created_at__lt=cutoff)
    abandoned = ImportJob.objects.filter(aged, status=ImportJob.Status.INTERRUPTED).update(
        status=ImportJob.Status.FAILED,
        message="中断后未重试，已结束，未导入任何数据。",
        finished_at=timezone.now(),
    )
    sheets = 0
    for job in ImportJob.objects.filter(status__in=ENDED).exclude(file=""):
        job.file.storage.delete(job.file.name)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        sheets += 1
    return {"reclaimed": taken, "abandoned": abandoned, "sheets": sheets}


class _CommitRefused(Exception):
    def __init__(self, report: Report):
        super().__init__("import refused")
        self.report = report


def _claim(job_id: int, status: str, attempt: int) -> ImportJob | None:
    """Start run ``attempt``, taking its lease in the same UPDATE; None if the job moved on
    (cancelled, taken back and queued again, or finished) or another worker holds the run.

    The run is free while nobody claimed it, or once its claimer's lease ran out (a worker
    that died, its task handed out again): of two workers given the same run, one wins."""
    now = timezone.now()
    lease = now + timedelta(seconds=settings.IMPORT_LEASE_SECONDS)
    free = Q(claimed_at__isnull=True) | Q(lease_until__lt=now)
    claimed = (
        ImportJob.objects.filter(pk=job_id, status=status, attempts=attempt)
        .filter(free)
        .update(lease_until=lease, claimed_at=now)
    )
    if not claimed:
        logger.info("import %s: run %s is not current, skipped", job_id, attempt)
        return None
    return ImportJob.objects.select_related("created_by").get(pk=job_id)


@task()
def check_import_task(job_id: int, attempt: int = 1) -> None:
    job = _claim(job_id, ImportJob.Status.CHECKING, attempt)
    if job is None:
        return
    try:
        report = check_file(importer_for(job.kind), job.created_by, job.file.path, job)
    except Exception:
        logger.exception("import %s: check failed", job.pk)
        _interrupt(job, CHECK_ERROR)
        return
    with transaction.atomic():
        if _store_check_result(job, report):
            _tell_owner(job.pk)


@task()
def commit_import_task(job_id: int, attempt: int = 1) -> None:
    if _claim(job_id, ImportJob.Status.COMMITTING, attempt) is None:
        return
    with transaction.atomic():
        # Held until the rows and the "done" are committed together: a reclaim skips it.
        job = _lock(ImportJob(pk=job_id), ImportJob.Status.COMMITTING, attempt=attempt)
        if job is not None:
            _commit_locked(job)
            _tell_owner(job.pk)


def _tell_owner(job_id: int) -> None:
    """A background run has ended: the uploader hears how, with a link to the job."""
    job = ImportJob.objects.get(pk=job_id)
    importer = importer_for(job.kind)
    inbox.send(
        [job.created_by_id],
        inbox.Kind.JOB,
        f"{importer.title or '批量导入'}（{job.original_name}）：{job.get_status_display()}",
        url=reverse(importer.job_view, args=[job.pk]) if importer.job_view else "",
        body=job.message,
        key=f"import:{job.pk}:{job.status}:{job.attempts}",
    )


def jobs_visible_to(user, kind: str | None = None):
    jobs = ImportJob.objects.filter(created_by=user)
    return jobs.filter(kind=kind) if kind else jobs


def template_rows(importer: Importer) -> Iterable[list[str]]:
    yield [column.header for column in importer.columns]
    yield [column.example for column in importer.columns]
