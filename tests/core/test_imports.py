"""The generic import machinery: cell parsers, reading a sheet, the row-by-row report."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from yutong.core import imports
from yutong.core.imports import CellError
from yutong.registry.importers import EnterpriseImporter

# --- cell parsers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(None, ""), ("  渝中区 ", "渝中区"), (500103.0, "500103"), (12.5, "12.5"), (7, "7")],
)
def test_text(raw, expected):
    assert imports.text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("120", 120), (120.0, 120), ("1,200", 1200), (" 15 ", 15), ("", None), (None, None), (0, 0)],
)
def test_integer(raw, expected):
    assert imports.integer(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [("一百", "应为整数"), ("abc", "应为整数"), ("1.5", "应为非负整数"), (-3, "应为非负整数")],
)
def test_integer_errors(raw, message):
    with pytest.raises(CellError) as excinfo:
        imports.integer(raw)
    assert str(excinfo.value) == message


@given(st.integers(min_value=0, max_value=10**9))
def test_integer_round_trips_any_non_negative_number(number):
    assert imports.integer(str(number)) == number
    assert imports.integer(float(number)) == number
    assert imports.integer(f"{number:,}") == number


def test_money():
    assert imports.money("1,234.567") == Decimal("1234.57")
    assert imports.money(2500) == Decimal("2500.00")
    assert imports.money("") is None
    with pytest.raises(CellError, match="^应为金额数字$"):
        imports.money("两千")
    with pytest.raises(CellError, match="^金额不能为负数$"):
        imports.money("-1")


def test_day():
    assert imports.day(datetime(2026, 3, 4, 10, 30)) == date(2026, 3, 4)
    assert imports.day(date(2026, 3, 4)) == date(2026, 3, 4)
    assert imports.day("2026-03-04") == date(2026, 3, 4)
    assert imports.day("2026/03/04") == date(2026, 3, 4)
    assert imports.day("") is None
    assert imports.day(None) is None
    for bad in ("2026-13-01", "3月4日", "20260304x"):
        with pytest.raises(CellError) as excinfo:
            imports.day(bad)
        assert str(excinfo.value) == "日期格式应为 YYYY-MM-DD"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("是", True),
        ("有", True),
        ("Y", True),
        (1, True),
        ("否", False),
        ("无", False),
        ("N", False),
        (0, False),
        ("", None),
        (None, None),
    ],
)
def test_yes_no(raw, expected):
    assert imports.yes_no(raw) is expected


def test_yes_no_error():
    with pytest.raises(CellError) as excinfo:
        imports.yes_no("也许")
    assert str(excinfo.value) == "应填“是”或“否”"


def test_choice_accepts_code_or_label():
    parse = imports.choice({"operating": "存续经营", "suspended": "停业歇业"})
    assert parse("存续经营") == "operating"
    assert parse("suspended") == "suspended"
    assert parse(" 停业歇业 ") == "suspended"
    assert parse("") is None
    assert parse("SUSPENDED") == "suspended"
    with pytest.raises(CellError) as excinfo:
        parse("破产")
    assert str(excinfo.value) == "应为以下之一：“存续经营”“停业歇业”"


# --- reading and checking ------------------------------------------------------------------


def write_sheet(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_read_rows_skips_blank_rows_and_keeps_headers(tmp_path):
    path = write_sheet(
        tmp_path / "a.xlsx",
        [["甲", "乙"], ["1", 2], [None, None], ["", "  "], ["3", None]],
    )
    headers, body = imports.read_rows(path)
    assert headers == ["甲", "乙"]
    assert len(body) == 2
    assert [imports.text(cell) for cell in body[0]] == ["1", "2"]
    assert imports.text(body[1][0]) == "3"


def test_missing_required_columns_are_reported_on_row_1(tmp_path, district_staff):
    importer = EnterpriseImporter()
    path = write_sheet(tmp_path / "b.xlsx", [["企业名称", "所属区县"], ["某公司", "渝中区"]])
    rows, errors, total = imports.check_file(importer, district_staff, path)
    assert rows == []
    assert total == 1
    assert [e.as_dict() for e in errors] == [
        {
            "row": 1,
            "label": "",
            "column": "统一社会信用代码、行业门类、经济类型、职工人数",
            "message": "缺少必需的列，请使用导入模板",
        }
    ]


def test_an_empty_sheet_is_reported(tmp_path, db):
    path = write_sheet(tmp_path / "c.xlsx", [[c.header for c in EnterpriseImporter.columns]])
    rows, errors, total = imports.check_file(EnterpriseImporter(), None, path)
    assert total == 0
    assert [e.as_dict() for e in errors] == [
        {"row": 1, "label": "", "column": "", "message": "文件中没有数据行"}
    ]


def test_an_unreadable_file_is_reported(tmp_path, db):
    path = tmp_path / "not-excel.xlsx"
    path.write_bytes(b"this is not a spreadsheet")
    rows, errors, total = imports.check_file(EnterpriseImporter(), None, path)
    assert (rows, total) == ([], 0)
    assert [e.as_dict() for e in errors] == [
        {
            "row": 0,
            "label": "",
            "column": "",
            "message": "无法读取该文件，请上传 Excel（.xlsx）文件",
        }
    ]


def test_required_cells_and_parser_errors_name_row_and_column(tmp_path, district_staff):
    headers = [c.header for c in EnterpriseImporter.columns]
    blank = dict.fromkeys(headers, "")
    row = {
        **blank,
        "企业名称": "某公司",
        "所属区县": "渝中区",
        "行业门类": "制造业",
        "经济类型": "私营企业",
        "职工人数": "很多",
    }
    path = write_sheet(tmp_path / "d.xlsx", [headers, [row[h] for h in headers]])
    _, errors, total = imports.check_file(EnterpriseImporter(), district_staff, path)
    assert total == 1
    assert [e.as_dict() for e in errors] == [
        {"row": 2, "label": "某公司", "column": "统一社会信用代码", "message": "不能为空"},
        {"row": 2, "label": "某公司", "column": "职工人数", "message": "应为整数"},
    ]


def test_template_rows_are_headers_then_examples():
    rows = list(imports.template_rows(EnterpriseImporter()))
    assert rows[0] == [
        "统一社会信用代码",
        "企业名称",
        "所属区县",
        "所属镇街",
        "行业门类",
        "经济类型",
        "职工人数",
        "经营状态",
        "成立日期",
        "地址",
        "法定代表人",
        "联系电话",
    ]
    assert rows[1][:3] == ["91500000MA5U7AB121", "重庆某某机械制造有限公司", "渝中区"]


def test_the_template_example_row_passes_every_column_parser():
    for column in EnterpriseImporter.columns:
        value = column.parse(column.example)
        if column.required:
            assert value not in (None, ""), column.header


def test_progress_percent():
    from yutong.core.models import ImportJob

    job = ImportJob(status=ImportJob.Status.CHECKING, total_rows=0)
    assert job.progress_percent == 0
    assert job.is_running is True
    job.total_rows, job.processed_rows = 8, 2
    assert job.progress_percent == 25
    job.status, job.total_rows = ImportJob.Status.DONE, 0
    assert job.progress_percent == 100
    assert job.is_running is False


# --- counting rows before parsing ----------------------------------------------------------


def _workbook_bytes(workbook) -> BytesIO:
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def test_rows_are_counted_on_the_first_sheet_in_workbook_order():
    workbook = Workbook()
    later = workbook.active
    for n in range(10):
        later.append([n])
    first = workbook.create_sheet("首表", 0)  # first in the workbook, stored as sheet2.xml
    for n in range(4):
        first.append([n])
    assert imports.count_rows(_workbook_bytes(workbook), stop_after=100) == 3
    assert imports.count_rows(BytesIO(b"not a zip"), stop_after=100) is None


def test_a_sheet_that_inflates_past_the_cap_is_refused(monkeypatch):
    from django.core.exceptions import ValidationError  # noqa: PLC0415

    workbook = Workbook()
    workbook.active.append(["x" * 5000])
    monkeypatch.setattr(imports, "MAX_SHEET_XML_BYTES", 1000)
    with pytest.raises(ValidationError) as refused:
        imports.count_rows(_workbook_bytes(workbook), stop_after=100)
    assert refused.value.message_dict == {"file": ["文件解压后内容过大，无法导入。"]}
