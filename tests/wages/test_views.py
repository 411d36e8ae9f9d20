"""The wage pages: the project panel, the safeguards page, payroll upload and months, the
notice board, the settings pages; the public page and API (no login, no personal data,
throttled); every role boundary."""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from tests.wages import fixtures
from yutong.core.models import AuditEntry, ImportJob
from yutong.registry import services as registry_services
from yutong.wages.models import PayrollMonth, WageCodeRule, WageSafeguard, WageSettings

TODAY = timezone.localdate


def test_project_page_shows_the_wage_panel(login_client, district_staff, project):
    response = login_client(district_staff).get(f"/registry/projects/{project.pk}/")
    assert 'data-testid="wage-panel"' in response.text
    assert 'data-colour="red"' in response.text
    assert "未上传工资发放记录" in response.text
    assert f"/wages/projects/{project.pk}/safeguards/" in response.text


def test_safeguards_page_records_and_reports_errors(login_client, district_staff, project):
    client = login_client(district_staff)
    url = f"/wages/projects/{project.pk}/safeguards/"
    page = client.get(url)
    assert page.status_code == 200 and "应存：" in page.text and "2.00%" in page.text
    bad = client.post(
        url,
        {
            "section": "wage_account",
            "wage_account-in_place_since": TODAY().isoformat(),
            "wage_account-account_number": "abc",
        },
    )
    assert bad.status_code == 200 and "请填写开户银行" in bad.text
    assert not WageSafeguard.objects.exists()
    good = client.post(
        url,
        {
            "section": "notice_board",
            "notice_board-in_place_since": TODAY().isoformat(),
            "notice_board-notice_items": ["parties", "minimum_wage"],
        },
    )
    assert good.status_code == 302
    page = client.get(url)
    assert "缺少：" in page.text and "工资支付日期" in page.text


def test_safeguards_page_is_for_editors_in_scope(
    login_client, shapingba_staff, contractor_user, project
):
    url = f"/wages/projects/{project.pk}/safeguards/"
    assert login_client(shapingba_staff).get(url).status_code == 404
    assert login_client(contractor_user).get(url).status_code == 403


def test_payroll_upload_through_the_page(login_client, contractor_user, project):
    client = login_client(contractor_user)
    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month)
    rows[0][3] = "123"
    response = client.post(f"/wages/projects/{project.pk}/payroll/", {"file": fixtures.sheet(rows)})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"/wages/payroll-imports/{job.pk}/"
    report = client.get(response.url)
    assert "公民身份号码无效" in report.text and job.status == ImportJob.Status.INVALID
    rows[0][3] = fixtures.resident_id(999)
    client.post(f"/wages/projects/{project.pk}/payroll/", {"file": fixtures.sheet(rows)})
    job = ImportJob.objects.latest("id")
    assert job.status == ImportJob.Status.READY
    client.post(f"/wages/payroll-imports/{job.pk}/commit/")
    assert PayrollMonth.objects.filter(project=project, month=month).exists()
    detail = client.get(f"/wages/projects/{project.pk}/payroll/{month:%Y-%m}/")
    assert detail.status_code == 200
    assert fixtures.resident_id(100) not in detail.text  # masked
    assert fixtures.resident_id(100)[:4] + "**********" in detail.text


def test_payroll_pages_role_boundaries(
    login_client, shapingba_staff, sub_user, mediator, contractor_user, project
):
    url = f"/wages/projects/{project.pk}/payroll/"
    assert login_client(shapingba_staff).get(url).status_code == 404
    assert login_client(sub_user).get(url).status_code == 403  # a party, but not the ledger
    response = login_client(mediator).post(url, {"file": fixtures.sheet([])})
    assert response.status_code == 403  # reads the page (staff in scope), cannot upload
    template = login_client(contractor_user).get(f"{url}template/")
    assert template.status_code == 200
    assert not ImportJob.objects.exists()


def test_notice_board_from_the_records(login_client, district_staff, project):
    fixtures.safeguards_in_place(district_staff, project)
    # 行业主管部门 is the project's own authority (条例 Art.10), not the human-resources bureau.
    registry_services.update_project(
        district_staff, project, sector="housing", authority="渝中区住房和城乡建设委员会"
    )
    response = login_client(district_staff).get(f"/wages/projects/{project.pk}/notice-board/")
    assert response.status_code == 200
    text = response.text
    assert "2,330.00 元/月" in text and "每月 15 日前" in text and "12333" in text
    assert project.owner.name in text and "渝中区住房和城乡建设委员会" in text
    assert "<svg" in text  # the QR code to the public page


def test_public_page_has_no_personal_data(client, district_staff, project):
    fixtures.safeguards_in_place(district_staff, project)
    response = client.get(f"/wages/code/{project.pk}/")
    assert response.status_code == 200
    text = response.text
    assert project.name in text and project.general_contractor.name in text
    assert "2,330.00 元/月" in text
    assert 'data-colour="red"' in text and "未上传工资发放记录" in text
    for secret in (
        project.labour_officer,
        fixtures.OFFICER_PHONE,
        fixtures.MASKED_OFFICER_PHONE,
        "6222000011112222",
        "2222",
    ):
        assert secret not in text
    assert f"/inspection/complain/?district={project.unit.code}&amp;" in text
    assert client.get("/wages/code/999999/").status_code == 404
    qr = client.get(f"/wages/code/{project.pk}/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"


def test_public_api_and_throttle(client, project, settings):
    response = client.get(f"/api/v1/projects/{project.pk}/wage-code/")
    assert response.status_code == 200
    body = response.json()
    assert body["colour"] == "red" and any("未上传" in reason for reason in body["reasons"])
    assert set(body) == {"colour", "reasons"}
    assert client.get("/api/v1/projects/999999/wage-code/").status_code == 404
    cache.clear()
    statuses = [client.get(f"/api/v1/projects/{project.pk}/wage-code/").status_code]
    statuses += [client.get(f"/wages/code/{project.pk}/").status_code for _ in range(130)]
    assert statuses[0] == 200 and statuses[-1] == 429


def test_settings_pages(login_client, city_admin, district_staff, enterprise_user, project):
    assert login_client(enterprise_user).get("/wages/settings/").status_code == 403
    staff = login_client(district_staff)
    page = staff.get("/wages/settings/")
    assert page.status_code == 200 and "工资发放记录缺月" in page.text
    assert staff.get("/wages/settings/edit/").status_code == 403
    assert staff.get("/wages/settings/rules/unpaid/").status_code == 403
    admin = login_client(city_admin)
    current = WageSettings.current()
    data = {
        field: getattr(current, field)
        for field in (
            "deposit_base_rate",
            "deposit_reduced_rate",
            "deposit_raised_rate",
            "deposit_floor_rate",
            "exemption_contract_below",
            "exemption_clean_months",
            "exemption_systems_months",
            "reduced_clean_months",
            "raised_arrears_months",
            "safeguard_working_days",
            "standard_days_per_month",
            "complaint_hotline",
            "arbitration_channel",
            "legal_aid",
        )
    }
    data.update(version=current.version, min_wage_pro_rata="on", deposit_base_rate="0.3")
    bad = admin.post("/wages/settings/edit/", data)
    assert bad.status_code == 200 and "不得低于保证金最低比例" in bad.text
    data["deposit_base_rate"] = "2.5"
    assert admin.post("/wages/settings/edit/", data).status_code == 302
    assert WageSettings.current().deposit_base_rate == 2.5
    assert AuditEntry.objects.filter(action="update_wage_settings").exists()
    response = admin.post(
        "/wages/settings/rules/unpaid/", {"version": 1, "colour": "yellow", "threshold": 2}
    )
    assert response.status_code == 302
    rule = WageCodeRule.objects.get(code="unpaid")
    assert (rule.colour, rule.threshold, rule.version) == ("yellow", 2, 2)
    stale = admin.post(
        "/wages/settings/rules/unpaid/", {"version": 1, "colour": "red", "threshold": 1}
    )
    assert "已被他人修改" in stale.text


def test_navigation_and_home_cards(login_client, district_staff, project):
    page = login_client(district_staff).get("/")
    assert "工程项目" in page.text and "在建项目（红码）" in page.text
