"""The enterprise import's report: every error of every row in one pass (cells, placement,
duplicates, already registered), each row with the enterprise's name, industries by letter code
or name, ignored columns as notices, and cells the database could not hold refused as row
errors."""

from __future__ import annotations

import pytest

from tests.factories import EnterpriseFactory, make_uscc, township_staff
from tests.registry.test_import_export import (
    HEADERS,
    IMPORTS,
    row,
    upload,
    workbook_rows,
    write_xlsx,
)
from yutong.core import roles
from yutong.core.models import ImportJob
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

INDUSTRY = "行业应为门类代码（A–T）或名称，例如 C 或 制造业"


def report_of(job):
    return [(e["row"], e["label"], e["column"], e["message"]) for e in job.errors]


def checked(client, path):
    response = upload(client, path)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.latest("id")
    assert response["Location"] == f"{IMPORTS}{job.pk}/"
    return job


def test_every_error_of_a_row_in_one_pass(district_staff, shapingba, login_client, tmp_path):
    path = write_xlsx(
        tmp_path / "many.xlsx",
        [
            row(
                1,
                统一社会信用代码="91500103MA5U7AB12Z",
                所属区县="沙坪坝区",
                行业门类="Z",
                职工人数="很多",
                联系电话="12345",
            ),
            row(2, 所属区县="火星区", 所属镇街="某街道", 经济类型="国营", 成立日期="明年"),
        ],
    )
    job = checked(login_client(district_staff), path)
    assert job.status == "invalid"
    assert report_of(job) == [
        (
            2,
            "导入测试1有限公司",
            "统一社会信用代码",
            "统一社会信用代码无效（应为 18 位且校验位正确）",
        ),
        (2, "导入测试1有限公司", "所属区县", "不在您的管辖范围内"),
        (2, "导入测试1有限公司", "行业门类", INDUSTRY),
        (2, "导入测试1有限公司", "职工人数", "应为整数"),
        (2, "导入测试1有限公司", "联系电话", "联系电话格式不正确"),
        # A district that does not exist: the other cells are still checked.
        (3, "导入测试2有限公司", "所属区县", "不是现行的区县级单位"),
        (
            3,
            "导入测试2有限公司",
            "经济类型",
            "应为以下之一：“国有企业”“集体企业”“股份制企业”“私营企业”“港澳台商投资企业”"
            "“外商投资企业”“个体经济组织”“其他”",
        ),
        (3, "导入测试2有限公司", "成立日期", "日期格式应为 YYYY-MM-DD"),
    ]
    assert (job.error_rows, job.error_count) == (2, 8)
    assert job.message == "共 2 行，其中 2 行有错误，发现 8 处错误，请修改后重新上传。"


def test_duplicates_and_registered_codes_come_with_the_rows_cell_errors(
    district_staff, shapingba, login_client, tmp_path
):
    existing = EnterpriseFactory(unit=shapingba, uscc=make_uscc("500106", 1))
    path = write_xlsx(
        tmp_path / "dups.xlsx",
        [
            row(1, 统一社会信用代码=existing.uscc, 职工人数="-1"),
            row(2, 统一社会信用代码=existing.uscc, 联系电话="12345"),
            row(3, 统一社会信用代码=make_uscc("500103", 7), 所属镇街="没有这个街道"),
            row(4, 统一社会信用代码=make_uscc("500103", 7), 经营状态="破产"),
        ],
    )
    job = checked(login_client(district_staff), path)
    assert report_of(job) == [
        (2, "导入测试1有限公司", "统一社会信用代码", "该企业已登记"),
        (2, "导入测试1有限公司", "职工人数", "应为非负整数"),
        (3, "导入测试2有限公司", "统一社会信用代码", "与第 2 行重复"),
        (3, "导入测试2有限公司", "统一社会信用代码", "该企业已登记"),
        (3, "导入测试2有限公司", "联系电话", "联系电话格式不正确"),
        (4, "导入测试3有限公司", "所属镇街", "渝中区没有该镇街"),
        (5, "导入测试4有限公司", "统一社会信用代码", "与第 4 行重复"),
        (5, "导入测试4有限公司", "经营状态", "应为以下之一：“存续经营”“停业歇业”“注销”"),
    ]
    assert list(Enterprise.objects.all()) == [existing]


def test_a_township_accounts_scope_error_comes_with_the_cell_errors(towns, login_client, tmp_path):
    street = township_staff(towns.x, roles.DISTRICT_STAFF)
    path = write_xlsx(
        tmp_path / "street.xlsx",
        [
            row(1, 所属镇街="七星岗街道", 联系电话="12345", 职工人数=""),
            row(2, 所属区县="沙坪坝区", 行业门类="制造"),
            row(3, 所属镇街="解放碑街道"),
        ],
    )
    job = checked(login_client(street), path)
    assert report_of(job) == [
        (2, "导入测试1有限公司", "所属镇街", "不在您的管辖范围内（只能导入解放碑街道的企业）"),
        (2, "导入测试1有限公司", "职工人数", "不能为空"),
        (2, "导入测试1有限公司", "联系电话", "联系电话格式不正确"),
        (3, "导入测试2有限公司", "所属区县", "不在您的管辖范围内"),
        (3, "导入测试2有限公司", "行业门类", INDUSTRY),
    ]


def test_a_refused_township_cell_is_not_reported_twice(district_staff, login_client, tmp_path):
    path = write_xlsx(tmp_path / "ctl.xlsx", [row(1, 所属镇街="解放碑_x0007_街道")])
    job = checked(login_client(district_staff), path)
    assert report_of(job) == [
        (2, "导入测试1有限公司", "所属镇街", "含有不可见的控制字符，请删除后重新填写")
    ]


def test_industries_by_letter_code_name_or_both(district_staff, login_client, tmp_path):
    path = write_xlsx(
        tmp_path / "codes.xlsx",
        [
            row(1, 行业门类="c"),
            row(2, 行业门类="F 批发和零售业"),
            row(3, 行业门类="A农、林、牧、渔业"),
            row(4, 行业门类="信息传输、软件和信息技术服务业"),
        ],
    )
    client = login_client(district_staff)
    job = checked(client, path)
    assert (job.status, job.errors) == ("ready", [])
    client.post(f"{IMPORTS}{job.pk}/commit/")
    stored = dict(Enterprise.objects.values_list("name", "industry"))
    assert stored == {
        "导入测试1有限公司": "C",
        "导入测试2有限公司": "F",
        "导入测试3有限公司": "A",
        "导入测试4有限公司": "I",
    }


def test_the_column_notes_list_the_letter_codes(district_staff, login_client):
    page = login_client(district_staff).get(IMPORTS).content.decode()
    assert "门类代码 A–T 或名称" in page
    assert "<li>C 制造业</li>" in page
    assert "<li>A 农、林、牧、渔业</li>" in page
    assert "<li>私营企业</li>" in page


def test_the_old_union_column_is_a_notice_not_an_error(district_staff, login_client, tmp_path):
    assert "已建工会" in HEADERS  # sheets made from the old template
    path = write_xlsx(tmp_path / "old.xlsx", [row(1, 已建工会="是")])
    client = login_client(district_staff)
    job = checked(client, path)
    assert (job.status, job.errors) == ("ready", [])
    assert job.notes == ["已忽略列：已建工会（工会情况以工会组建记录为准）"]
    page = client.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert 'data-testid="import-notes"' in page
    assert "已忽略列：已建工会（工会情况以工会组建记录为准）" in page
    client.post(f"{IMPORTS}{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "done"
    assert job.notes == ["已忽略列：已建工会（工会情况以工会组建记录为准）"]
    assert Enterprise.objects.get().union_established is False

    headers = [h for h in HEADERS if h != "已建工会"]
    job = checked(client, write_xlsx(tmp_path / "new.xlsx", [row(2)], headers=headers))
    assert job.notes == []
    assert 'data-testid="import-notes"' not in client.get(f"{IMPORTS}{job.pk}/").content.decode()


def test_the_report_page_groups_errors_by_row_with_the_name_and_counts(
    district_staff, login_client, tmp_path
):
    path = write_xlsx(
        tmp_path / "page.xlsx",
        [row(1, 职工人数="x", 联系电话="1"), row(2), row(3, 行业门类="Z")],
    )
    client = login_client(district_staff)
    job = checked(client, path)
    page = client.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert 'data-testid="import-total">3<' in page
    assert 'data-testid="import-error-rows">2<' in page
    assert 'data-testid="import-error-count">3 处<' in page
    assert page.count('data-testid="import-error-row"') == 2
    assert 'data-row="2"' in page and 'data-row="4"' in page and 'data-row="3"' not in page
    assert "第 2 行" in page and "导入测试1有限公司" in page and "导入测试3有限公司" in page
    assert "导入测试2有限公司" not in page
    assert 'rowspan="2"' in page  # the first row's two errors under one row heading
    assert "下载错误清单" in page
    # The HTMX refresh renders the same report.
    partial = client.get(f"{IMPORTS}{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'data-testid="import-error-rows">2<' in partial

    sheet = workbook_rows(client.get(f"{IMPORTS}{job.pk}/errors/"))
    assert sheet == [
        ["行号", "企业名称", "列", "问题"],
        [2, "导入测试1有限公司", "职工人数", "应为整数"],
        [2, "导入测试1有限公司", "联系电话", "联系电话格式不正确"],
        [4, "导入测试3有限公司", "行业门类", INDUSTRY],
    ]


def test_another_users_error_list_is_not_found(
    district_staff, shapingba_staff, login_client, tmp_path
):
    job = checked(
        login_client(district_staff), write_xlsx(tmp_path / "e.xlsx", [row(1, 职工人数="x")])
    )
    other = login_client(shapingba_staff)
    assert other.get(f"{IMPORTS}{job.pk}/errors/").status_code == 404
    assert other.get(f"{IMPORTS}{job.pk}/").status_code == 404


def test_cells_the_database_could_not_hold_are_row_errors(district_staff, login_client, tmp_path):
    path = write_xlsx(
        tmp_path / "hostile.xlsx",
        [
            row(1, 职工人数="3000000000"),
            row(2, 地址="长" * 201, 法定代表人="名" * 65),
            row(3, 企业名称="坏_x0000_名字有限公司"),
            row(4, 成立日期="1900-01-01"),
            row(5, 所属区县="渝中_x001b_区", 职工人数="1e400"),
        ],
    )
    client = login_client(district_staff)
    job = checked(client, path)
    assert report_of(job) == [
        (2, "导入测试1有限公司", "职工人数", "数值过大（不能超过 2147483647）"),
        (3, "导入测试2有限公司", "地址", "不能超过 200 个字（现有 201 个）"),
        (3, "导入测试2有限公司", "法定代表人", "不能超过 64 个字（现有 65 个）"),
        (4, "坏名字有限公司", "企业名称", "含有不可见的控制字符，请删除后重新填写"),
        (5, "导入测试4有限公司", "成立日期", "日期应在 1950-01-01 至 2100-12-31 之间"),
        (6, "导入测试5有限公司", "所属区县", "含有不可见的控制字符，请删除后重新填写"),
        (6, "导入测试5有限公司", "职工人数", "数值过大（不能超过 2147483647）"),
    ]
    assert not Enterprise.objects.exists()
    # The longest values the columns hold go in.
    path = write_xlsx(
        tmp_path / "edge.xlsx",
        [
            row(
                1,
                职工人数="2147483647",
                地址="长" * 200,
                法定代表人="名" * 64,
                成立日期="1950-01-01",
            )
        ],
    )
    job = checked(client, path)
    assert (job.status, job.errors) == ("ready", [])
    client.post(f"{IMPORTS}{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "done"
    stored = Enterprise.objects.get()
    assert (stored.employee_count, len(stored.address), len(stored.legal_representative)) == (
        2147483647,
        200,
        64,
    )
