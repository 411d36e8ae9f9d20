"""The inspection pages: queues, entry forms, case pages and actions, exports, the printable
notice, the public complaint form; role boundaries, scope, and the complainant-identity rule."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from tests.captcha import fetch
from tests.factories import EnterpriseFactory
from tests.inspection.conftest import PHONE, complaint_data
from yutong.core.models import AuditEntry
from yutong.inspection import services
from yutong.inspection.models import Complaint, InspectionCase

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def sheet(response) -> list[list]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.fixture
def staff(login_client, inspector):
    return login_client(inspector)


def test_every_page_renders(staff, complaint, case):
    services.register_complaint(
        complaint.registered_by,
        unit=complaint.unit,
        channel="letter",
        received_on=today(),
        **complaint_data(),
    )
    for url in (
        "/inspection/complaints/",
        "/inspection/complaints/?queue=due_soon",
        "/inspection/complaints/new/",
        f"/inspection/complaints/{complaint.pk}/",
        "/inspection/cases/",
        "/inspection/cases/?queue=closed",
        "/inspection/cases/new/",
        f"/inspection/cases/{case.pk}/",
        "/inspection/ratings/",
        "/inspection/blacklist/",
        "/",
    ):
        response = staff.get(url)
        assert response.status_code == 200, url
    home = staff.get("/").content.decode()
    assert "我的投诉" in home and "监察案件已超期" in home


def test_public_pages_need_no_login(client):
    assert client.get("/inspection/complain/").status_code == 200
    assert client.get("/inspection/blacklist/public/").status_code == 200
    assert client.get("/inspection/complaints/").status_code == 302


def test_roles_without_inspection_get_403(login_client, mediator, enterprise_user, complaint):
    for user in (mediator, enterprise_user):
        client = login_client(user)
        assert client.get("/inspection/complaints/").status_code == 403
        assert client.get(f"/inspection/complaints/{complaint.pk}/").status_code == 403
        assert client.get("/inspection/complaints/export/").status_code == 403
        assert client.get("/inspection/ratings/").status_code == 403


def test_another_district_gets_404_everywhere(login_client, shapingba_inspector, complaint, case):
    client = login_client(shapingba_inspector)
    assert client.get(f"/inspection/complaints/{complaint.pk}/").status_code == 404
    assert client.get(f"/inspection/cases/{case.pk}/").status_code == 404
    response = client.post(
        f"/inspection/cases/{case.pk}/close/",
        {"version": case.version, "outcome": "order", "closed_on": today()},
    )
    assert response.status_code == 404
    assert client.get(f"/inspection/complaints/{complaint.pk}/notice/").status_code == 404
    rows = sheet(client.get("/inspection/complaints/export/?queue=closed"))
    assert len(rows) == 1  # the header only
    rows = sheet(client.get("/inspection/cases/export/"))
    assert len(rows) == 1


def test_complainant_is_shown_only_to_inspection_staff(staff, login_client, auditor, complaint):
    page = staff.get(f"/inspection/complaints/{complaint.pk}/").content.decode()
    assert "张三" in page and "139****5678" in page and PHONE not in page  # revealed on demand
    reader = login_client(auditor)
    page = reader.get(f"/inspection/complaints/{complaint.pk}/").content.decode()
    assert "张三" not in page and PHONE not in page and "仅劳动保障监察人员可见" in page
    assert reader.get(f"/inspection/complaints/{complaint.pk}/notice/").status_code == 403
    # The audit trail (auditors) masks the phone too.
    assert "139****5678" in page


def test_exports_mask_and_keep_identity_to_inspection_roles(
    staff, login_client, auditor, complaint
):
    rows = sheet(staff.get("/inspection/complaints/export/"))
    header, first = rows[0], rows[1]
    assert header[-3:] == ["投诉人", "联系电话", "公民身份号码"]
    assert first[-3] == "张三" and first[-2] == "139****5678"
    assert PHONE not in str(rows)
    audited = sheet(login_client(auditor).get("/inspection/complaints/export/"))
    assert "投诉人" not in audited[0] and "张三" not in str(audited)
    assert len(audited) == 2


def test_case_export_has_no_complainant(staff, case):
    rows = sheet(staff.get("/inspection/cases/export/"))
    assert rows[1][0] == case.number and "张三" not in str(rows)


def test_staff_entry_with_bad_input_shows_chinese_errors(staff, yuzhong):
    data = {
        "unit": yuzhong.pk,
        "channel": "hotline_12333",
        "received_on": today().isoformat(),
        "employer_name": "某公司",
        "matter": "拖欠工资",
        "violation_types": ["wages"],
        "workers_affected": "2",
        "amount_owed": "abc",
        "complainant_name": "",
        "complainant_phone": "12",
    }
    response = staff.post("/inspection/complaints/new/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "请输入一个数字" in page or "数字" in page
    assert not Complaint.objects.exists()
    data["amount_owed"] = "5000"
    response = staff.post("/inspection/complaints/new/", data)
    page = response.content.decode()
    assert "实名投诉请填写姓名。" in page and "联系电话格式不正确" in page
    assert not Complaint.objects.exists()
    data.update(complainant_name="李四", complainant_phone="13800001111")
    response = staff.post("/inspection/complaints/new/", data)
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and complaint.complainant_name == "李四"
    assert response["Location"] == f"/inspection/complaints/{complaint.pk}/"


def test_unknown_project_code_is_an_error(staff, yuzhong):
    data = {
        "unit": yuzhong.pk,
        "channel": "visit",
        "received_on": today().isoformat(),
        "employer_name": "某公司",
        "matter": "拖欠工资",
        "violation_types": ["wages"],
        "workers_affected": "2",
        "is_wage_arrears": "on",
        "project_code": "NOPE",
        "is_anonymous": "on",
    }
    response = staff.post("/inspection/complaints/new/", data)
    assert "项目编号或名称不存在、重名或不在您的管辖范围内" in response.content.decode()
    assert not Complaint.objects.exists()


def test_accept_through_the_page_then_stale_form(staff, complaint):
    url = f"/inspection/complaints/{complaint.pk}/accept/"
    response = staff.post(url, {"version": 1, "accepted_on": today().isoformat()})
    assert response.status_code == 302
    case = InspectionCase.objects.get()
    page = staff.get(response["Location"]).content.decode()
    assert case.number in page
    # The same form posted again (an old tab): a conflict message, nothing changes.
    response = staff.post(url, {"version": 1, "accepted_on": today().isoformat()}, follow=True)
    assert "已被他人处理" in response.content.decode()
    assert InspectionCase.objects.count() == 1


def test_refusal_notice_prints_the_reason(staff, complaint):
    staff.post(
        f"/inspection/complaints/{complaint.pk}/refuse/",
        {"version": 1, "refused_on": today().isoformat(), "reason": "违法行为已超过两年"},
    )
    page = staff.get(f"/inspection/complaints/{complaint.pk}/notice/").content.decode()
    assert "不予受理决定书" in page and "违法行为已超过两年" in page and "张三" in page


def test_close_with_errors_stays_on_the_page(staff, case):
    url = f"/inspection/cases/{case.pk}/close/"
    response = staff.post(
        url, {"version": case.version, "outcome": "penalty", "closed_on": today().isoformat()}
    )
    assert response.status_code == 200
    assert "请填写金额。" in response.content.decode()
    case.refresh_from_db()
    assert case.is_open
    response = staff.post(
        url,
        {
            "version": case.version,
            "outcome": "order",
            "closed_on": today().isoformat(),
            "amount_recovered": "36000",
            "workers_paid": "3",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.closure == "order" and str(case.amount_recovered) == "36000.00"


def test_queue_filters_and_tabs(staff, complaint, inspector, yuzhong):
    services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="letter",
        received_on=today(),
        **complaint_data(
            employer_name="另一家公司", is_wage_arrears=False, violation_types=["training"]
        ),
    )
    page = staff.get("/inspection/complaints/?wage_arrears=yes").content.decode()
    assert "重庆某某建筑劳务有限公司" in page and "另一家公司" not in page
    page = staff.get("/inspection/complaints/?employer=另一家").content.decode()
    assert "另一家公司" in page and "重庆某某建筑" not in page
    page = staff.get("/inspection/complaints/?date_from=2026-12-01&date_to=2026-01-01")
    assert "截止日期不能早于起始日期。" in page.content.decode()


# --- the public form ----------------------------------------------------------------------------

URL = "/inspection/complain/"


def public_data(client, **overrides) -> dict:
    data = {
        **fetch(client, URL),
        "district": "500103",
        "employer_name": "重庆某某建筑劳务有限公司",
        "matter": "工地拖欠三个月工资。",
        "violation_types": ["wages"],
        "is_wage_arrears": "on",
        "workers_affected": "5",
        "amount_owed": "42000",
        "complainant_name": "王五",
        "complainant_phone": "13700001111",
    }
    data.update(overrides)
    return data


def test_public_complaint_is_received_and_answers_the_same_for_any_employer(yuzhong, project):
    known = EnterpriseFactory(unit=yuzhong)
    answers = []
    for uscc in ("", known.uscc):
        client = Client()
        data = public_data(client, employer_uscc=uscc, project_code=project.code)
        response = client.post(URL, data)
        assert response.status_code == 302 and response["Location"] == "/inspection/complain/done/"
        page = client.get("/inspection/complain/done/").content.decode()
        page = page.replace(Complaint.objects.latest("id").reference, "REF")
        answers.append(re.sub(r'"X-CSRFToken": "[^"]+"', "", page))
    assert answers[0] == answers[1]
    first, second = Complaint.objects.order_by("id")
    assert first.employer is None and second.employer == known
    assert first.project == project and first.channel == "online"
    assert first.due_on is not None and first.registered_by is None


def test_public_form_anonymous_and_bad_input(client):
    data = public_data(client, is_anonymous="on", complainant_name="", complainant_phone="")
    assert client.post(URL, data).status_code == 302
    assert Complaint.objects.get().is_anonymous
    data = public_data(client, matter="", captcha="999")
    response = client.post(URL, data)
    page = response.content.decode()
    assert "验证码不正确" in page and "该字段是必填项。" in page
    assert Complaint.objects.count() == 1


def test_public_form_rate_limit(client):
    for _ in range(5):
        data = public_data(client)
        assert client.post(URL, data).status_code == 302
    response = client.post(URL, data)
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert Complaint.objects.count() == 5
    assert client.get(URL).status_code == 429


def test_failed_attempts_are_limited_too(client):
    for _ in range(30):
        client.post(URL, {"captcha": "0"})
    assert client.get(URL).status_code == 429
    assert not Complaint.objects.exists() and not AuditEntry.objects.exists()
