"""Excel exports, built once: a header row and rows streamed from the database."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.http import FileResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font


def _cell_value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, bool):
        return "是" if value else "否"
    if value is None:
        return ""
    return value


def write_xlsx(target, sheet_title: str, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Write a one-sheet workbook in constant memory; returns the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
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
