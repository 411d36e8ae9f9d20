"""Excel exports, built once: a header row and rows streamed from the database.

Every cell goes through ``cell``: user text is written as text, never as a formula. openpyxl
turns a string starting with ``=`` into a live formula, and Excel evaluates ``+ - @`` (and a
leading tab or CR) as one once the cell is edited — so a name typed on a public form could run
in a staff member's spreadsheet. Such text is stored as a string with Excel's quote prefix
(the cell shows exactly what was typed); numbers and dates stay numbers and dates. Control
characters the file format cannot hold (openpyxl's ``ILLEGAL_CHARACTERS_RE``: a stray \x0b or
\x1f pasted into a stored text) are dropped, so an export never fails on one.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

# What spreadsheet programs read as the start of a formula (OWASP "CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _cell_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return "是" if value else "否"
    return value


def cell(sheet, value, *, font: Font | None = None) -> Cell:
    """One cell for ``sheet`` (write-only or not): text always as text, numbers as numbers."""
    value = _cell_value(value)
    made = WriteOnlyCell(sheet, value=None if isinstance(value, str) else value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        made._value = value  # bypass openpyxl's "a leading = is a formula" guess
        made.data_type = "s"
        if value.startswith(FORMULA_PREFIXES):
            made.quotePrefix = True  # Excel keeps it text even when the cell is edited
    if font is not None:
        made.font = font
    return made


def append(sheet, values: Iterable, *, font: Font | None = None) -> None:
    """``sheet.append`` through ``cell``: the one way rows get into a workbook."""
    sheet.append([cell(sheet, value, font=font) for value in values])


def write_xlsx(target, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write a one-sheet workbook in constant memory; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    append(sheet, headers, font=Font(bold=True))
    count = 0
    for row in rows:
        append(sheet, row)
        count += 1
    workbook.save(target)
    return count


def xlsx_response(filename: str, sheet_title: str, headers, rows) -> FileResponse:
    handle = tempfile.SpooledTemporaryFile(max_size=20 * 1024 * 1024)  # noqa: SIM115
    write_xlsx(handle, sheet_title, headers, rows)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def dated_filename(stem: str, day: date | None = None) -> str:
    return f"{stem}-{(day or timezone.localdate()).isoformat()}.xlsx"
