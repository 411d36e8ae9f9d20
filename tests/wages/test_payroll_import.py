"""The monthly payroll upload through the core import mechanism: the row-by-row report of a bad
sheet (nothing written), the checks stored per worker, who may upload, re-uploads."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.wages import fixtures
from yutong.core import imports
from yutong.core.models import AuditEntry, DatedParameter, ImportJob
from yutong.core.personal import blind_index
from yutong.wages.models import PayrollEntry, PayrollMonth, WageCode


def upload(user, rows, **kwargs):
    job = imports.upload(user, "payroll", fixtures.sheet(rows, **kwargs))
    job.refresh_from_db()
    return job


def test_good_sheet_is_checked_then_committed(district_staff, project):
    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month, workers=3)
    rows[1][6] = "4000"  # paid 4,000 of 6,000
    rows[2][7] = "否"  # paid, but not to the worker's own account
    job = upload(district_staff, rows)
    assert job.status == ImportJob.Status.READY, job.errors
    assert not PayrollMonth.objects.exists()  # checking writes nothing
    job = imports.commit(district_staff, job)
    assert job.status == ImportJob.Status.DONE and job.created_count == 3
    payroll = PayrollMonth.objects.get(project=project, month=month)
    assert (payroll.worker_count, payroll.unpaid_count, payroll.not_own_account_count) == (3, 1, 1)
    assert payroll.total_due == Decimal("18000.00") and payroll.total_paid == Decimal("16000.00")
    assert payroll.minimum_wage == Decimal("2330.00")
    assert "2,330.00 元" in payroll.minimum_wage_trace
    entry = PayrollEntry.objects.get(payroll=payroll, row_number=2)
    assert entry.resident_id == fixtures.resident_id(100)
    assert entry.resident_id_hash == blind_index(fixtures.resident_id(100))
    audit = AuditEntry.objects.get(action="upload_payroll")
    assert audit.object_id == str(project.pk)
    assert fixtures.resident_id(100) not in str(audit.changes)
    assert WageCode.objects.get(project=project).colour == "red"  # a worker left unpaid


def test_bad_rows_are_reported_and_nothing_is_written(district_staff, project):
    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month, workers=5)
    rows[0][3] = "500103199001011234"  # wrong check digit
    rows[1][5] = "六千"  # text in an amount
    rows[2][3] = rows[3][3]  # the same worker twice
    rows[3][6] = "7000"  # paid more than payable
    rows[4][7] = "也许"
    job = upload(district_staff, rows)
    assert job.status == ImportJob.Status.INVALID
    report = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert "校验位" in report[(2, "公民身份号码")]
    assert report[(3, "应付工资（元）")] == "应为金额数字"
    assert "重复" in report[(5, "公民身份号码")]
    assert "大于应付" in report[(5, "实付工资（元）")]
    assert report[(6, "是否发放至本人账户")] == "应填“是”或“否”"
    assert not PayrollMonth.objects.exists() and not PayrollEntry.objects.exists()


def test_wrong_columns_are_reported(district_staff, project):
    job = upload(district_staff, [["x", "y"]], headers=["姓名", "金额"])
    assert job.status == ImportJob.Status.INVALID
    assert job.errors[0]["row"] == 1 and "缺少必需的列" in job.errors[0]["message"]


def test_one_project_and_one_month_per_sheet(district_staff, project, spb_project):
    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month, workers=3)
    rows[1][0] = spb_project.code
    rows[2][1] = f"{fixtures.months_ago(2):%Y-%m}"
    job = upload(district_staff, rows)
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert messages[(3, "项目编号")] == "一个文件只能包含一个项目"
    assert messages[(4, "工资月份")] == "一个文件只能包含一个月份"


def test_month_must_lie_in_the_works(district_staff, project):
    before = fixtures.months_ago(6)
    job = upload(district_staff, fixtures.payroll_rows(project, before))
    assert any(e["message"] == "早于项目开工月份" for e in job.errors)
    future = fixtures.months_ago(-1)
    job = upload(district_staff, fixtures.payroll_rows(project, future))
    assert any(e["message"] == "不能上传以后月份的工资" for e in job.errors)


def test_other_district_and_unknown_project_read_alike(shapingba_staff, project):
    month = fixtures.months_ago(1)
    job = upload(shapingba_staff, fixtures.payroll_rows(project, month))
    rows = fixtures.payroll_rows(project, month)
    for row in rows:
        row[0] = "NO-SUCH-PROJECT"
    unknown = upload(shapingba_staff, rows)
    assert job.errors[0]["message"] == unknown.errors[0]["message"]
    assert "无权上传" in job.errors[0]["message"]


def test_general_contractor_account_uploads_subcontractor_cannot(
    contractor_user, sub_user, project
):
    month = fixtures.months_ago(1)
    job = upload(contractor_user, fixtures.payroll_rows(project, month))
    assert job.status == ImportJob.Status.READY, job.errors
    assert imports.commit(contractor_user, job).status == ImportJob.Status.DONE
    refused = upload(sub_user, fixtures.payroll_rows(project, month))
    assert refused.status == ImportJob.Status.INVALID


def test_readers_cannot_upload(mediator, project):
    with pytest.raises(PermissionDenied):
        imports.upload(mediator, "payroll", fixtures.sheet([]))


def test_below_minimum_wage_pro_rata_and_in_full(
    district_staff, project, django_capture_on_commit_callbacks
):
    from yutong.wages import services

    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month, workers=2, due="1200")
    rows[0][4] = 10  # 10 days: pro rata minimum 2330 × 10 / 21.75 = 1071.26 → 1200 is above
    rows[1][4] = 22  # a full month: 1200 is below 2330
    job = imports.commit(district_staff, upload(district_staff, rows))
    assert job.status == ImportJob.Status.DONE, job.errors
    flags = dict(
        PayrollEntry.objects.values_list("row_number", "is_below_minimum").order_by("row_number")
    )
    assert flags == {2: False, 3: True}
    assert PayrollEntry.objects.get(row_number=2).minimum_applied == Decimal("1071.26")
    city_admin = fixtures_city_admin()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_settings(city_admin, min_wage_pro_rata=False)
    job = imports.commit(district_staff, upload(district_staff, rows))
    flags = dict(PayrollEntry.objects.values_list("row_number", "is_below_minimum"))
    assert flags == {2: True, 3: True}


def fixtures_city_admin():
    from tests.factories import UserFactory
    from yutong.core import roles

    return UserFactory(username="wage_admin", roles=[roles.CITY_ADMIN], unit=None)


def test_reupload_replaces_the_month(district_staff, project):
    month = fixtures.months_ago(1)
    imports.commit(district_staff, upload(district_staff, fixtures.payroll_rows(project, month, 3)))
    rows = fixtures.payroll_rows(project, month, workers=2)
    imports.commit(district_staff, upload(district_staff, rows))
    payroll = PayrollMonth.objects.get(project=project, month=month)
    assert payroll.worker_count == 2 and PayrollEntry.objects.count() == 2
    assert AuditEntry.objects.filter(action="replace_payroll").count() == 1


def test_missing_minimum_wage_is_reported(district_staff, project):
    DatedParameter.objects.filter(code__startswith="min_wage").delete()
    job = upload(district_staff, fixtures.payroll_rows(project, fixtures.months_ago(1)))
    assert job.status == ImportJob.Status.INVALID
    assert "min_wage_tier" in job.errors[0]["message"]
