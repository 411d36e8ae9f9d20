"""The import report, built once in core: every error of every row in one pass, each row with
its name; notices for ignored columns; cells that would break the database refused as row
errors; a value the database still refuses at commit ends the job as failed, not a crash."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from openpyxl import Workbook

from yutong.core import imports, viewutils
from yutong.core.import_api import ImportJobSerializer
from yutong.core.imports import CellError, Column, Importer, RowError
from yutong.core.models import AuditEntry, ImportJob, Role

# --- cells that would break the database -----------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["某\x00公司", "某\x07公司", "\x1b[31m红", "某\x7f公司", "某\x85公司"]
)
def test_text_refuses_control_characters(raw):
    with pytest.raises(CellError) as refused:
        imports.text(raw)
    assert str(refused.value) == "含有不可见的控制字符，请删除后重新填写"


def test_text_keeps_tabs_and_line_breaks_typed_in_a_cell():
    assert imports.text(" 第一行\n第二行\t止 ") == "第一行\n第二行\t止"


def test_text_up_to_the_column_length():
    parse = imports.text_up_to(5)
    assert parse("一二三四五") == "一二三四五"
    with pytest.raises(CellError) as refused:
        parse("一二三四五六")
    assert str(refused.value) == "不能超过 5 个字（现有 6 个）"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2147483648", "数值过大（不能超过 2147483647）"),
        ("1e30", "数值过大（不能超过 2147483647）"),
        ("Infinity", "应为整数"),
        ("NaN", "应为整数"),
        ("sNaN", "应为整数"),
    ],
)
def test_integer_refuses_what_the_database_column_cannot_hold(raw, message):
    with pytest.raises(CellError) as refused:
        imports.integer(raw)
    assert str(refused.value) == message


def test_integer_accepts_the_largest_database_integer():
    assert imports.integer("2147483647") == 2_147_483_647


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("Infinity", "应为金额数字"),
        ("NaN", "应为金额数字"),
        ("1e40", "金额过大（不能超过 9,999,999,999.99 元）"),
        ("10000000000", "金额过大（不能超过 9,999,999,999.99 元）"),
    ],
)
def test_money_refuses_what_the_database_column_cannot_hold(raw, message):
    with pytest.raises(CellError) as refused:
        imports.money(raw)
    assert str(refused.value) == message


def test_money_accepts_the_largest_amount():
    assert imports.money("9999999999.99") == Decimal("9999999999.99")


@pytest.mark.parametrize(
    "raw", ["0001-01-01", "1949-12-31", "2101-01-01", date(1, 1, 1), datetime(9999, 12, 31, 8)]
)
def test_days_outside_the_platforms_range_are_refused(raw):
    with pytest.raises(CellError) as refused:
        imports.day(raw)
    assert str(refused.value) == "日期应在 1950-01-01 至 2100-12-31 之间"


def test_days_at_the_ends_of_the_range_are_accepted():
    assert imports.day("1950-01-01") == date(1950, 1, 1)
    assert imports.day(datetime(2100, 12, 31, 23, 59)) == date(2100, 12, 31)


# --- choices -------------------------------------------------------------------------------


SECTIONS = {"A": "农、林、牧、渔业", "B": "采矿业", "C": "制造业"}


@pytest.mark.parametrize(
    "raw", ["C", "c", " C ", "制造业", "C 制造业", "C制造业", "c-制造业", "C：制造业"]
)
def test_a_choice_takes_the_code_the_label_or_both(raw):
    assert imports.choice(SECTIONS)(raw) == "C"


def test_a_choice_with_a_label_holding_the_list_separator():
    parse = imports.choice(SECTIONS)
    assert parse("农、林、牧、渔业") == "A"
    assert parse("A 农、林、牧、渔业") == "A"
    with pytest.raises(CellError) as refused:
        parse("农")
    # Each value in quotes: "、" inside a label does not read as a separator.
    assert str(refused.value) == "应为以下之一：“农、林、牧、渔业”“采矿业”“制造业”"


@pytest.mark.parametrize("raw", ["C 采矿业", "Z", "制造", "CC"])
def test_a_choice_refuses_a_code_with_another_label_or_unknown_values(raw):
    parse = imports.choice(SECTIONS, message="行业应为门类代码（A–C）")
    with pytest.raises(CellError) as refused:
        parse(raw)
    assert str(refused.value) == "行业应为门类代码（A–C）"


def test_a_choice_column_lists_its_values_for_the_column_notes():
    assert Column("x", "行业", imports.choice(SECTIONS, show_codes=True)).options == [
        "A 农、林、牧、渔业",
        "B 采矿业",
        "C 制造业",
    ]
    assert Column("y", "状态", imports.choice({"on": "开", "off": "关"})).options == ["开", "关"]
    assert Column("z", "名称", imports.text).options == []


# --- one pass, names, notes ------------------------------------------------------------------


class PeopleImporter(Importer):
    """Name and age per row; the check refuses the name "重名" (as a scope or duplicate check
    refuses a row), and sees whatever rows core hands it."""

    kind = "test_people"
    title = "测试"
    label_column = "name"
    ignored_columns = {"备注": "备注不导入"}
    columns = (
        Column("name", "姓名", imports.text_up_to(10)),
        Column("age", "年龄", imports.integer),
        Column("born", "出生日期", imports.day, required=False),
    )
    checks_rows_with_cell_errors = True
    seen: list[int] = []

    def require_permission(self, actor) -> None:
        return None

    def check(self, actor, rows):
        PeopleImporter.seen = [row.number for row in rows]
        return [
            RowError(row.number, "姓名", "已有同名记录")
            for row in rows
            if row.values.get("name") == "重名"
        ]

    def commit(self, actor, rows, job) -> int:
        return len(rows)


class StrictPeopleImporter(PeopleImporter):
    kind = "test_people_strict"
    checks_rows_with_cell_errors = False


class ClashImporter(Importer):
    """Writes a role per row: a code that exists already is refused by the database."""

    kind = "test_clash"
    title = "测试"
    columns = (Column("code", "代码", imports.text), Column("name", "名称", imports.text))

    def require_permission(self, actor) -> None:
        return None

    def commit(self, actor, rows, job) -> int:
        for row in rows:
            Role.objects.create(code=row.values["code"], name=row.values["name"])
        return len(rows)


for _importer in (PeopleImporter(), StrictPeopleImporter(), ClashImporter()):
    imports.register(_importer)


def sheet(path, headers, rows):
    workbook = Workbook()
    workbook.active.append(headers)
    for values in rows:
        workbook.active.append(values)
    workbook.save(path)
    return path


def test_every_error_of_every_row_in_one_pass_with_the_rows_name(tmp_path, db):
    path = sheet(
        tmp_path / "p.xlsx",
        ["姓名", "年龄", "出生日期"],
        [["重名", "很多", "1900-01-01"], ["张三", 30, ""], ["重名", 20, "昨天"]],
    )
    report = imports.check_file(PeopleImporter(), None, path)
    assert PeopleImporter.seen == [2, 3, 4]  # rows with cell errors are checked too
    assert [e.as_dict() for e in report.errors] == [
        {"row": 2, "label": "重名", "column": "姓名", "message": "已有同名记录"},
        {"row": 2, "label": "重名", "column": "年龄", "message": "应为整数"},
        {
            "row": 2,
            "label": "重名",
            "column": "出生日期",
            "message": "日期应在 1950-01-01 至 2100-12-31 之间",
        },
        {"row": 4, "label": "重名", "column": "姓名", "message": "已有同名记录"},
        {"row": 4, "label": "重名", "column": "出生日期", "message": "日期格式应为 YYYY-MM-DD"},
    ]
    assert (report.total, report.error_rows) == (3, 2)
    rows, errors, total = report  # still unpacks as before
    assert (len(rows), len(errors), total) == (3, 5, 3)


def test_an_importer_may_keep_its_check_to_rows_whose_cells_were_read(tmp_path, db):
    path = sheet(tmp_path / "s.xlsx", ["姓名", "年龄"], [["重名", "很多"], ["重名", 20]])
    report = imports.check_file(StrictPeopleImporter(), None, path)
    assert StrictPeopleImporter.seen == [3]
    assert [(e.row, e.column) for e in report.errors] == [(2, "年龄"), (3, "姓名")]


def test_the_name_is_shown_even_when_its_own_cell_is_refused(tmp_path, db):
    # An .xlsx carries a control character as Excel's escape "_x0000_"; calamine decodes it.
    path = sheet(
        tmp_path / "n.xlsx",
        ["姓名", "年龄"],
        [["一个很长很长很长很长的名字", 1], ["坏_x0000_名", 2]],
    )
    report = imports.check_file(PeopleImporter(), None, path)
    assert [(e.row, e.label, e.message) for e in report.errors] == [
        (2, "一个很长很长很长很长的名字", "不能超过 10 个字（现有 13 个）"),
        (3, "坏名", "含有不可见的控制字符，请删除后重新填写"),  # the label without the NUL
    ]


def test_ignored_columns_are_notices_not_errors(tmp_path, db):
    path = sheet(tmp_path / "i.xlsx", ["姓名", "备注", "年龄", "电话", "_x0000_"], [["甲", "", 1]])
    report = imports.check_file(PeopleImporter(), None, path)
    assert report.errors == []
    assert report.notes == ["已忽略列：备注（备注不导入）；电话（导入模板中没有该列）"]


def test_a_sheet_of_the_template_has_no_notices():
    assert PeopleImporter().notes(["姓名", "年龄", "", "出生日期"]) == []


def upload_bytes(headers, rows, name="x.xlsx"):
    workbook = Workbook()
    workbook.active.append(headers)
    for values in rows:
        workbook.active.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def test_the_job_keeps_counts_and_notices(district_staff):
    job = imports.upload(
        district_staff,
        "test_people",
        upload_bytes(["姓名", "年龄", "备注"], [["重名", "x"], ["乙", 2], ["丙", "y"]]),
    )
    assert job.status == "invalid"
    assert (job.total_rows, job.error_rows, job.error_count) == (3, 2, 3)
    assert job.message == "共 3 行，其中 2 行有错误，发现 3 处错误，请修改后重新上传。"
    assert job.notes == ["已忽略列：备注（备注不导入）"]
    assert job.errors[0] == {"row": 2, "label": "重名", "column": "姓名", "message": "已有同名记录"}


def test_the_api_adds_the_new_fields_and_reads_old_reports(district_staff):
    job = ImportJob.objects.create(
        kind="test_people",
        created_by=district_staff,
        original_name="old.xlsx",
        status=ImportJob.Status.INVALID,
        error_count=1,
        errors=[{"row": 2, "column": "年龄", "message": "应为整数"}],  # stored before labels
    )
    data = ImportJobSerializer(job).data
    assert data["errors"] == [{"row": 2, "label": "", "column": "年龄", "message": "应为整数"}]
    assert (data["error_count"], data["error_rows"], data["notes"]) == (1, 0, [])


# --- the database refuses at commit -------------------------------------------------------


def test_a_database_refusal_at_commit_fails_the_job_with_a_message(
    district_staff, django_capture_on_commit_callbacks
):
    job = imports.upload(
        district_staff, "test_clash", upload_bytes(["代码", "名称"], [["测试角色", "新"]])
    )
    assert job.status == "ready"
    Role.objects.create(code="测试角色", name="抢先")  # written meanwhile
    with django_capture_on_commit_callbacks(execute=True):
        job = imports.commit(district_staff, job)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.message == (
        "数据库拒绝写入（某项数据超出允许范围，或与刚登记的记录重复），未导入任何数据。"
        "请核对后重新上传。"
    )
    assert job.finished_at is not None and not job.file  # ended: the sheet is gone
    assert Role.objects.get(code="测试角色").name == "抢先"
    assert not AuditEntry.objects.filter(action="commit_import").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps over-long text")
def test_a_value_too_long_for_its_column_fails_the_job_on_postgresql(district_staff):
    job = imports.upload(
        district_staff, "test_clash", upload_bytes(["代码", "名称"], [["新角色", "名" * 40]])
    )
    job = imports.commit(district_staff, job)
    assert job.status == "failed"
    assert not Role.objects.filter(code="新角色").exists()


def test_a_sheet_without_a_name_column_reports_rows_only(district_staff):
    job = imports.upload(
        district_staff, "test_clash", upload_bytes(["代码", "名称"], [["甲", ""], ["乙", ""]])
    )
    assert (job.error_rows, job.error_count) == (2, 2)
    context = viewutils.import_report(job)
    assert context["label_header"] == ""
    assert [(g["row"], g["label"]) for g in context["error_groups"]] == [(2, ""), (3, "")]
    page = render_to_string("core/import_report.html", context)
    assert "第 2 行" in page and "第 3 行" in page
    assert '<th scope="col">列</th>' in page
    assert page.count('<th scope="col">') == 3  # 行号, 列, 问题: no name column


def test_errors_of_a_row_are_grouped_under_it(district_staff):
    job = imports.upload(
        district_staff,
        "test_people",
        upload_bytes(["姓名", "年龄", "出生日期"], [["重名", "x", "昨天"], ["乙", "y"]]),
    )
    context = viewutils.import_report(job)
    assert context["label_header"] == "姓名"
    assert [(g["row"], g["label"], len(g["errors"])) for g in context["error_groups"]] == [
        (2, "重名", 3),
        (3, "乙", 1),
    ]
    assert context["error_rows"] == 2
    page = render_to_string("core/import_report.html", context)
    assert '<th scope="col">姓名</th>' in page and 'rowspan="3"' in page
