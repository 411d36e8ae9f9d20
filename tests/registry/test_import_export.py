"""Excel in and out: the enterprise import (check → commit, all or nothing, background path)
and the enterprise export (headers, scope, masking)."""

from datetime import date, datetime, timedelta
from io import BytesIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook, load_workbook

from tests.factories import PHONE, EnterpriseFactory, TownshipFactory, make_uscc
from yutong.core import imports
from yutong.core.models import AuditEntry, ImportJob, Message
from yutong.core.personal import blind_index
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

IMPORTS = "/registry/imports/"
HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "所属镇街",
    "行业门类",
    "经济类型",
    "职工人数",
    "经营状态",
    "已建工会",
    "成立日期",
    "地址",
    "法定代表人",
    "联系电话",
]


def row(serial, **overrides):
    values = {
        "统一社会信用代码": make_uscc("500103", 9000 + serial),
        "企业名称": f"导入测试{serial}有限公司",
        "所属区县": "渝中区",
        "所属镇街": "",
        "行业门类": "C",
        "经济类型": "私营企业",
        "职工人数": 10 + serial,
        "经营状态": "",
        "已建工会": "",
        "成立日期": "",
        "地址": "",
        "法定代表人": "",
        "联系电话": "",
    }
    values.update(overrides)
    return values


def write_xlsx(path, rows, headers=HEADERS):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for values in rows:
        sheet.append([values.get(header, "") for header in headers])
    workbook.save(path)
    return path


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post(IMPORTS, {"file": handle})


def job_of(response) -> ImportJob:
    assert response.status_code == 302, response.content.decode()[:2000]
    job = ImportJob.objects.get()
    assert response["Location"] == f"/registry/imports/{job.pk}/"
    return job


def workbook_rows(response):
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(BytesIO(content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# --- a good file ---------------------------------------------------------------------------


def test_good_file_is_checked_then_committed(district_staff, yuzhong, login_client, tmp_path):
    street = TownshipFactory(parent=yuzhong, name="七星岗街道")
    path = write_xlsx(
        tmp_path / "good.xlsx",
        [
            row(
                1, 联系电话="13812345678", 已建工会="是", 经营状态="停业歇业", 所属镇街="七星岗街道"
            ),
            row(2, 所属区县="500103", 行业门类="制造业", 经济类型="state_owned"),
            row(3, 统一社会信用代码=make_uscc("500103", 9003).lower(), 职工人数="1,200"),
        ],
    )
    client = login_client(district_staff)
    job = job_of(upload(client, path))
    job.refresh_from_db()
    assert job.status == "ready"
    assert (job.total_rows, job.error_count, job.errors) == (3, 0, [])
    assert job.message == "共 3 行，校验通过，可以导入。"
    assert job.original_name == "good.xlsx"
    page = client.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "确认导入 3 行" in page
    assert not Enterprise.objects.exists()  # nothing until confirmed

    response = client.post(f"{IMPORTS}{job.pk}/commit/")
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == "done"
    assert job.created_count == 3
    assert job.message == "已导入 3 条记录。"
    assert job.finished_at is not None
    assert "已导入 3 条记录。" in client.get(response["Location"]).content.decode()

    first = Enterprise.objects.get(uscc=make_uscc("500103", 9001))
    assert (first.name, first.unit, first.township, first.status, first.union_established) == (
        "导入测试1有限公司",
        yuzhong,
        street,
        "suspended",
        False,  # 已建工会 is the union records' copy: an imported column is ignored
    )
    assert first.contact_phone == "13812345678"
    assert first.contact_phone_hash == blind_index("13812345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact_phone FROM registry_enterprise WHERE id = %s", [first.pk])
        assert "13812345678" not in cursor.fetchone()[0]
    second = Enterprise.objects.get(uscc=make_uscc("500103", 9002))
    assert (second.industry, second.ownership, second.status) == ("C", "state_owned", "operating")
    assert Enterprise.objects.get(uscc=make_uscc("500103", 9003)).employee_count == 1200

    entries = AuditEntry.objects.filter(action="import_enterprise")
    assert entries.count() == 3
    entry = entries.get(object_id=str(first.pk))
    assert entry.actor == district_staff
    assert entry.unit == yuzhong
    assert entry.changes == {
        "contact_phone": [None, "138****5678"],
        "import_job": [None, job.pk],
        "name": [None, "导入测试1有限公司"],
        "uscc": [None, make_uscc("500103", 9001)],
    }
    assert AuditEntry.objects.filter(action="upload_import").count() == 1
    assert AuditEntry.objects.get(action="commit_import").changes == {
        "created": [None, 3],
        "file": [None, "good.xlsx"],
    }
    # A second confirmation is refused.
    with pytest.raises(ValidationError) as excinfo:
        imports.commit(district_staff, job)
    assert excinfo.value.messages == ["该文件当前不能导入（未通过校验、已导入或正在导入）。"]
    assert Enterprise.objects.count() == 3


def test_founding_days_are_imported_and_start_the_present_values(
    district_staff, yuzhong, login_client, tmp_path
):
    path = write_xlsx(
        tmp_path / "days.xlsx",
        [
            row(1, 成立日期="2015-06-30"),
            row(2, 成立日期=datetime(2001, 2, 3)),  # a real date cell
            row(3, 成立日期="2019/07/01"),
            row(4),
        ],
    )
    client = login_client(district_staff)
    job = job_of(upload(client, path))
    job.refresh_from_db()
    assert job.status == "ready", job.errors
    client.post(f"{IMPORTS}{job.pk}/commit/")
    stored = {
        e.uscc: (e.established_on, e.state_since)
        for e in Enterprise.objects.filter(uscc__startswith="91500103")
    }
    assert stored == {
        make_uscc("500103", 9001): (date(2015, 6, 30), date(2015, 6, 30)),
        make_uscc("500103", 9002): (date(2001, 2, 3), date(2001, 2, 3)),
        make_uscc("500103", 9003): (date(2019, 7, 1), date(2019, 7, 1)),
        make_uscc("500103", 9004): (None, None),
    }
    first = Enterprise.objects.get(uscc=make_uscc("500103", 9001))
    entry = AuditEntry.objects.get(action="import_enterprise", object_id=str(first.pk))
    assert entry.changes["established_on"] == [None, "2015-06-30"]


def test_a_sheet_without_the_founding_day_column_still_imports(
    district_staff, login_client, tmp_path
):
    headers = [h for h in HEADERS if h != "成立日期"]
    path = write_xlsx(tmp_path / "old.xlsx", [row(1)], headers=headers)
    client = login_client(district_staff)
    job = job_of(upload(client, path))
    job.refresh_from_db()
    assert job.status == "ready", job.errors
    client.post(f"{IMPORTS}{job.pk}/commit/")
    assert Enterprise.objects.get().established_on is None


def test_bad_founding_days_are_row_errors(district_staff, login_client, tmp_path):
    tomorrow = timezone.localdate() + timedelta(days=1)
    path = write_xlsx(
        tmp_path / "baddays.xlsx",
        [
            row(1, 成立日期="2015-13-01"),
            row(2, 成立日期="去年"),
            row(3, 成立日期=tomorrow.isoformat()),
            row(4, 成立日期=timezone.localdate().isoformat()),
        ],
    )
    job = job_of(upload(login_client(district_staff), path))
    job.refresh_from_db()
    assert job.status == "invalid"
    assert [(e["row"], e["label"], e["column"], e["message"]) for e in job.errors] == [
        (2, "导入测试1有限公司", "成立日期", "日期格式应为 YYYY-MM-DD"),
        (3, "导入测试2有限公司", "成立日期", "日期格式应为 YYYY-MM-DD"),
        (4, "导入测试3有限公司", "成立日期", "不能晚于今天"),
    ]
    assert not Enterprise.objects.exists()


# --- a bad file ----------------------------------------------------------------------------


def test_bad_file_is_reported_row_by_row_and_nothing_is_written(
    district_staff, yuzhong, shapingba, login_client, tmp_path
):
    existing = EnterpriseFactory(unit=shapingba, uscc=make_uscc("500106", 1))
    TownshipFactory(parent=shapingba, name="小龙坎街道")
    twice = make_uscc("500103", 9555)
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            row(1, 统一社会信用代码="91500103MA5U7AB12Z"),
            row(2, 职工人数="一百"),
            row(3, 所属区县="火星区"),
            row(4, 统一社会信用代码=twice),
            row(5, 统一社会信用代码=twice),
            row(6, 统一社会信用代码=existing.uscc),
            row(7, 所属区县="江北区"),
            row(8, 所属区县="沙坪坝区"),
            row(9, 所属镇街="小龙坎街道"),
            row(10, 联系电话="12345"),
            row(11, 行业门类="Z"),
            row(12),
        ],
    )
    client = login_client(district_staff)
    job = job_of(upload(client, path))
    job.refresh_from_db()
    assert job.status == "invalid"
    assert [(e["row"], e["label"], e["column"], e["message"]) for e in job.errors] == [
        (
            2,
            "导入测试1有限公司",
            "统一社会信用代码",
            "统一社会信用代码无效（应为 18 位且校验位正确）",
        ),
        (3, "导入测试2有限公司", "职工人数", "应为整数"),
        (4, "导入测试3有限公司", "所属区县", "不是现行的区县级单位"),
        (6, "导入测试5有限公司", "统一社会信用代码", "与第 5 行重复"),
        (7, "导入测试6有限公司", "统一社会信用代码", "该企业已登记"),
        (8, "导入测试7有限公司", "所属区县", "不是现行的区县级单位"),
        (9, "导入测试8有限公司", "所属区县", "不在您的管辖范围内"),
        (10, "导入测试9有限公司", "所属镇街", "渝中区没有该镇街"),
        (11, "导入测试10有限公司", "联系电话", "联系电话格式不正确"),
        (12, "导入测试11有限公司", "行业门类", "行业应为门类代码（A–T）或名称，例如 C 或 制造业"),
    ]
    assert (job.error_count, job.error_rows) == (10, 10)
    assert job.message == "共 12 行，其中 10 行有错误，发现 10 处错误，请修改后重新上传。"
    assert list(Enterprise.objects.all()) == [existing]

    page = client.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert 'data-testid="import-errors"' in page
    assert "与第 5 行重复" in page
    assert "确认导入" not in page

    response = client.post(f"{IMPORTS}{job.pk}/commit/")
    assert response.status_code == 302
    follow = client.get(response["Location"]).content.decode()
    assert "该文件当前不能导入（未通过校验、已导入或正在导入）。" in follow
    assert list(Enterprise.objects.all()) == [existing]
    assert not AuditEntry.objects.filter(action__in=["import_enterprise", "commit_import"]).exists()

    report = workbook_rows(client.get(f"{IMPORTS}{job.pk}/errors/"))
    assert report[0] == ["行号", "企业名称", "列", "问题"]
    assert report[1] == [
        2,
        "导入测试1有限公司",
        "统一社会信用代码",
        "统一社会信用代码无效（应为 18 位且校验位正确）",
    ]
    assert len(report) == 11


def test_missing_required_column(district_staff, login_client, tmp_path):
    headers = [h for h in HEADERS if h != "职工人数"]
    path = write_xlsx(tmp_path / "cols.xlsx", [row(1)], headers=headers)
    job = job_of(upload(login_client(district_staff), path))
    job.refresh_from_db()
    assert job.status == "invalid"
    assert job.errors == [
        {"row": 1, "label": "", "column": "职工人数", "message": "缺少必需的列，请使用导入模板"}
    ]
    assert not Enterprise.objects.exists()


def test_non_excel_upload_is_refused_with_a_clear_message(district_staff, login_client, tmp_path):
    path = tmp_path / "enterprises.csv"
    path.write_text("统一社会信用代码,企业名称\n", encoding="utf-8")
    response = upload(login_client(district_staff), path)
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["请上传 Excel 文件（.xlsx）。"]}
    assert "请上传 Excel 文件（.xlsx）。" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_unreadable_excel_file(district_staff, login_client, tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    job = job_of(upload(login_client(district_staff), path))
    job.refresh_from_db()
    assert job.status == "invalid"
    assert job.errors == [
        {
            "row": 0,
            "label": "",
            "column": "",
            "message": "无法读取该文件，请上传 Excel（.xlsx）文件",
        }
    ]


def test_upload_without_a_file(district_staff, login_client):
    # A browser always sends the CSRF token along (this test client does not check it).
    response = login_client(district_staff).post(IMPORTS, {"csrfmiddlewaretoken": "x"})
    assert response.context["form"].errors == {"file": ["请选择要上传的 Excel 文件。"]}


# --- background path -----------------------------------------------------------------------


def test_large_file_is_checked_and_committed_by_the_task(
    district_staff, login_client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD = 5
    path = write_xlsx(tmp_path / "big.xlsx", [row(n) for n in range(1, 7)])
    client = login_client(district_staff)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = upload(client, path)
        job = job_of(response)
        job.refresh_from_db()
        # Until the upload's transaction commits, the job waits for the worker.
        assert (job.status, job.total_rows) == ("checking", 6)
    assert len(callbacks) == 2  # the queued check, then the message it sent on finishing
    job.refresh_from_db()
    assert job.status == "ready"
    assert job.processed_rows == 6
    # The uploader hears that the background check finished, with a link to the job.
    (message,) = Message.objects.filter(recipient=district_staff, kind="job")
    assert job.get_status_display() in message.title
    assert message.url == f"{IMPORTS}{job.pk}/"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{IMPORTS}{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "done"
    assert job.created_count == 6
    assert Enterprise.objects.count() == 6


def test_large_file_goes_to_the_task_queue(
    district_staff, login_client, tmp_path, settings, django_capture_on_commit_callbacks
):
    """With the database backend (the default) the check is queued for the worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.IMPORT_BACKGROUND_THRESHOLD = 5
    path = write_xlsx(tmp_path / "big.xlsx", [row(n) for n in range(1, 7)])
    client = login_client(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, path))
    queued = DBTaskResult.objects.get()
    assert queued.task_path == "yutong.core.imports.check_import_task"
    assert queued.args_kwargs == {"args": [job.pk, 1], "kwargs": {}}
    job.refresh_from_db()
    assert job.status == "checking"
    page = client.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert 'data-status="checking"' in page
    assert 'hx-trigger="every 2s"' in page
    partial = client.get(f"{IMPORTS}{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "0 / 6" in partial


def test_small_file_is_checked_at_once(
    district_staff, login_client, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_THRESHOLD = 5
    path = write_xlsx(tmp_path / "small.xlsx", [row(n) for n in range(1, 6)])
    with django_capture_on_commit_callbacks() as callbacks:
        job = job_of(upload(login_client(district_staff), path))
    assert callbacks == []
    job.refresh_from_db()
    assert job.status == "ready"


# --- commit rules --------------------------------------------------------------------------


@pytest.fixture
def ready_job(district_staff, login_client, tmp_path):
    path = write_xlsx(tmp_path / "ready.xlsx", [row(1), row(2), row(3)])
    job = job_of(upload(login_client(district_staff), path))
    job.refresh_from_db()
    assert job.status == "ready"
    return job


def test_someone_elses_job_cannot_be_committed(ready_job, city_admin, yuzhong, login_client):
    from tests.factories import UserFactory
    from yutong.core import roles

    colleague = UserFactory(unit=yuzhong, roles=[roles.DISTRICT_STAFF])
    with pytest.raises(ValidationError) as excinfo:
        imports.commit(colleague, ready_job)
    assert excinfo.value.messages == ["只能确认本人上传的导入文件。"]
    for other in (colleague, city_admin):
        client = login_client(other)
        assert client.post(f"{IMPORTS}{ready_job.pk}/commit/").status_code == 404
        assert client.get(f"{IMPORTS}{ready_job.pk}/").status_code == 404
        assert client.post(f"{IMPORTS}{ready_job.pk}/cancel/").status_code == 404
    ready_job.refresh_from_db()
    assert ready_job.status == "ready"
    assert not Enterprise.objects.exists()


def test_commit_rechecks_and_writes_nothing_if_the_database_changed(
    ready_job, district_staff, shapingba, login_client
):
    # Between the check and the commit, someone registers the second row's enterprise.
    EnterpriseFactory(unit=shapingba, uscc=make_uscc("500103", 9002), name="抢先登记的企业")
    response = login_client(district_staff).post(f"{IMPORTS}{ready_job.pk}/commit/")
    assert response.status_code == 302
    ready_job.refresh_from_db()
    assert ready_job.status == "failed"
    assert ready_job.message == (
        "导入前复核发现错误，未导入任何数据：共 3 行，其中 1 行有错误，发现 1 处错误，"
        "请修改后重新上传。"
    )
    assert ready_job.errors == [
        {
            "row": 3,
            "label": "导入测试2有限公司",
            "column": "统一社会信用代码",
            "message": "该企业已登记",
        }
    ]
    assert list(Enterprise.objects.values_list("name", flat=True)) == ["抢先登记的企业"]
    assert not AuditEntry.objects.filter(action__in=["import_enterprise", "commit_import"]).exists()


def test_cancel(ready_job, district_staff, login_client):
    client = login_client(district_staff)
    response = client.post(f"{IMPORTS}{ready_job.pk}/cancel/")
    assert response.status_code == 302
    ready_job.refresh_from_db()
    assert ready_job.status == "cancelled"
    assert AuditEntry.objects.filter(action="cancel_import").count() == 1
    client.post(f"{IMPORTS}{ready_job.pk}/commit/")
    ready_job.refresh_from_db()
    assert ready_job.status == "cancelled"
    assert not Enterprise.objects.exists()


def test_job_list_shows_only_ones_own_jobs(ready_job, shapingba_staff, login_client):
    response = login_client(shapingba_staff).get(IMPORTS)
    assert response.status_code == 200
    assert list(response.context["jobs"]) == []
    assert "ready.xlsx" not in response.content.decode()


@pytest.mark.parametrize("fixture", ["mediator", "auditor", "enterprise_user"])
def test_import_is_forbidden_to_non_editors(request, fixture, login_client, tmp_path):
    client = login_client(request.getfixturevalue(fixture))
    assert client.get(IMPORTS).status_code == 403
    assert client.get(f"{IMPORTS}template/").status_code == 403
    response = upload(client, write_xlsx(tmp_path / "x.xlsx", [row(1)]))
    assert response.status_code == 403
    assert not ImportJob.objects.exists()


def test_import_template_download(district_staff, login_client):
    rows = workbook_rows(login_client(district_staff).get(f"{IMPORTS}template/"))
    # 已建工会 is no longer a column: the union records keep it (older files' column is ignored).
    assert rows[0] == [header for header in HEADERS if header != "已建工会"]
    assert rows[1][:3] == ["91500000MA5U7AB121", "重庆某某机械制造有限公司", "渝中区"]


# --- export --------------------------------------------------------------------------------

EXPORT = "/registry/enterprises/export/"


def test_export_has_chinese_headers_masked_phone_and_only_in_scope_rows(
    district_staff, catalog, login_client
):
    response = login_client(district_staff).get(EXPORT)
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "attachment" in response["Content-Disposition"]
    rows = workbook_rows(response)
    assert rows[0] == HEADERS
    assert {r[1] for r in rows[1:]} == {catalog.A.name, catalog.B.name}
    a = next(r for r in rows[1:] if r[1] == catalog.A.name)
    assert a == [
        catalog.A.uscc,
        catalog.A.name,
        "渝中区",
        None,
        "C",
        "私营企业",
        15,
        "存续经营",
        "是",
        None,  # no founding day on record
        None,
        None,
        "138****5678",
    ]
    flat = [str(cell) for r in rows for cell in r]
    assert PHONE not in flat
    assert all(PHONE not in cell for cell in flat)
    assert "沙坪坝重工有限公司" not in flat


def test_export_has_the_founding_day(district_staff, yuzhong, login_client):
    EnterpriseFactory(unit=yuzhong, name="老字号有限公司", established_on=date(1998, 4, 5))
    rows = workbook_rows(login_client(district_staff).get(EXPORT))
    column = rows[0].index("成立日期")
    (exported,) = [r for r in rows[1:] if r[1] == "老字号有限公司"]
    assert exported[column] == datetime(1998, 4, 5)  # a date cell, sortable in Excel


def test_export_follows_the_filters(city_admin, catalog, login_client):
    rows = workbook_rows(login_client(city_admin).get(EXPORT, {"industry": "G"}))
    assert {r[1] for r in rows[1:]} == {catalog.B.name, catalog.F.name}
    rows = workbook_rows(
        login_client(city_admin).get(EXPORT, {"unit": "500157", "unit_basis": "current"})
    )
    assert {r[2] for r in rows[1:]} == {"江北区", "渝北区", "两江新区"}


def test_export_for_the_successor_district(liangjiang_staff, catalog, login_client):
    rows = workbook_rows(login_client(liangjiang_staff).get(EXPORT))
    assert {r[1] for r in rows[1:]} == {catalog.D.name, catalog.E.name, catalog.F.name}


def test_export_for_the_city(city_admin, catalog, login_client):
    rows = workbook_rows(login_client(city_admin).get(EXPORT))
    assert len(rows) == 7


def test_export_for_an_enterprise_user(enterprise_user, own_enterprise, catalog, login_client):
    rows = workbook_rows(login_client(enterprise_user).get(EXPORT))
    assert [r[0] for r in rows[1:]] == [own_enterprise.uscc]


def test_export_refuses_too_many_rows(city_admin, catalog, login_client, settings):
    settings.EXPORT_MAX_ROWS = 2
    client = login_client(city_admin)
    response = client.get(EXPORT, {"union": "yes"})
    assert response.status_code == 302
    assert response["Location"] == "/registry/enterprises/?union=yes"
    assert (
        "导出结果超过 2 行，请增加筛选条件后再导出。"
        in client.get(response["Location"]).content.decode()
    )
    assert client.get(EXPORT, {"industry": "G"}).status_code == 200  # two rows: allowed


def test_export_needs_a_registry_role(yuzhong, login_client, catalog):
    from tests.factories import UserFactory

    response = login_client(UserFactory(unit=yuzhong)).get(EXPORT)
    assert response.status_code == 403


def test_uploaded_sheet_is_deleted_once_it_cannot_be_committed(
    district_staff, login_client, tmp_path, django_capture_on_commit_callbacks
):
    """The sheet holds phone numbers in the clear: it is kept only while it may be committed."""
    client = login_client(district_staff)
    with django_capture_on_commit_callbacks(execute=True):
        job = job_of(upload(client, write_xlsx(tmp_path / "ok.xlsx", [row(1), row(2)])))
    job.refresh_from_db()
    stored = Path(job.file.path)
    assert job.status == "ready" and stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/registry/imports/{job.pk}/commit/")
    job.refresh_from_db()
    assert job.status == "done" and not job.file and not stored.exists()

    bad = write_xlsx(tmp_path / "bad.xlsx", [row(3, **{"职工人数": "很多"})])
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, bad)
    invalid = ImportJob.objects.get(status="invalid")
    assert not invalid.file and invalid.errors[0]["column"] == "职工人数"
