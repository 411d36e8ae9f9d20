"""/api/v1/inspection-cases/ with real tokens: a proactive case opened and read, 400 per field
with nothing written, the case actions (inspectors, suspend, resume, extend, close) with 409 on
a stale version, the queues and filters, the complainant only for inspection staff, 404 outside
the scope and 403 outside the roles; and the complaint's suspend/resume on its case."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.inspection.conftest import PHONE, complaint_data, resident_id, working_days_ago
from yutong.core.models import AuditEntry
from yutong.inspection import services
from yutong.inspection.models import InspectionCase

pytestmark = pytest.mark.django_db

URL = "/api/v1/inspection-cases/"


def today() -> str:
    return timezone.localdate().isoformat()


def proactive(**overrides) -> dict:
    data = {
        "unit": "500103",
        "origin": "campaign",
        "opened_on": today(),
        "campaign": "根治欠薪冬季专项行动",
        "employer_name": "重庆某某建筑劳务有限公司",
        "matter": "专项检查发现 2026 年 9 月起未按月足额支付农民工工资。",
        "violation_types": ["wages"],
        "is_wage_arrears": True,
        "workers_affected": 12,
        "amount_owed": "86000",
    }
    data.update(overrides)
    return data


def test_open_a_proactive_case_and_read_it(api_client, inspector, project):
    client = api_client(inspector)
    response = client.post(URL, proactive(project=project.code), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["origin"] == "campaign" and body["campaign"] == "根治欠薪冬季专项行动"
    assert body["number"].startswith("渝中区人社监") and body["status"] == "investigating"
    assert body["unit"] == "500103" and body["project"] == project.code
    assert body["accepted_on"] == today() and body["due_on"] == body["clock"]["due"]
    assert body["clock"]["days_used"] == 0 and body["clock"]["suspended"] is False
    assert body["is_collective"] is True and body["workers_affected"] == 12
    assert body["amount_owed"] == "86000.00" and body["complaint"] is None
    assert body["assigned_to"] == inspector.username  # an inspector opening it leads it
    assert [e["kind"] for e in body["events"]] == ["opened"]
    assert body["version"] == 1 and body["extended"] is False and body["listings"] == []
    detail = client.get(f"{URL}{body['id']}/")
    assert detail.status_code == 200 and detail.json()["number"] == body["number"]
    assert AuditEntry.objects.filter(action="open_inspection_case").count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": "500106"}, "unit"),
        ({"origin": "complaint"}, "origin"),
        ({"opened_on": "2026-02-30"}, "opened_on"),
        ({"opened_on": "2099-01-04"}, "opened_on"),
        ({"campaign": ""}, "campaign"),
        ({"matter": ""}, "matter"),
        ({"violation_types": []}, "violation_types"),
        ({"violation_types": ["bribery"]}, "violation_types"),
        ({"amount_owed": "12abc"}, "amount_owed"),
        ({"workers_affected": 0}, "workers_affected"),
        ({"employer_uscc": "123"}, "employer_uscc"),
        ({"employer_name": ""}, "employer_name"),
        ({"project": "NOPE"}, "project"),
    ],
)
def test_bad_input_is_a_400_per_field_and_writes_nothing(api_client, inspector, overrides, field):
    response = api_client(inspector).post(URL, proactive(**overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not InspectionCase.objects.exists() and not AuditEntry.objects.exists()


def test_the_case_actions_with_versions(api_client, inspector, inspector2, case):
    client = api_client(inspector)
    url = f"{URL}{case.pk}/"
    assert client.get(url).json()["version"] == 2  # opened, then inspectors assigned
    suspended = client.post(
        f"{url}suspend/",
        {"from_day": today(), "reason": "等待司法鉴定意见", "approver": "王局长", "version": 2},
        format="json",
    )
    assert suspended.status_code == 200, suspended.content
    body = suspended.json()
    assert body["suspended"] is True and body["clock"]["suspended"] is True
    assert body["clock_changes"][0]["kind"] == "suspension"
    assert body["clock_changes"][0]["to_day"] is None
    resumed = client.post(f"{url}resume/", {"to_day": today(), "version": 3}, format="json")
    assert resumed.status_code == 200 and resumed.json()["suspended"] is False
    assert resumed.json()["clock_changes"][0]["to_day"] == today()
    extended = client.post(
        f"{url}extend/",
        {"days": 10, "reason": "案情复杂", "approver": "王局长", "version": 4},
        format="json",
    )
    assert extended.status_code == 200 and extended.json()["extended"] is True
    team = {"lead": inspector2.username, "inspectors": [inspector.username], "version": 5}
    led = client.post(f"{url}inspectors/", team, format="json")
    assert led.json()["assigned_to"] == inspector2.username
    assert sorted(led.json()["inspectors"]) == sorted([inspector.username, inspector2.username])
    stale = client.post(
        f"{url}close/", {"outcome": "order", "closed_on": today(), "version": 5}, format="json"
    )
    assert stale.status_code == 409 and "detail" in stale.json()
    closed = client.post(
        f"{url}close/",
        {
            "outcome": "order",
            "closed_on": today(),
            "amount_recovered": "36000",
            "workers_paid": 3,
            "version": 6,
        },
        format="json",
    )
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["status"] == "closed" and body["outcome"] == "order"
    assert body["closed_on"] == today() and body["ended_on"] == today()
    assert body["clock"] is None and body["amount_recovered"] == "36000.00"
    kinds = [e["kind"] for e in body["events"]]
    assert kinds == ["opened", "assigned", "suspended", "resumed", "extended", "assigned", "closed"]
    again = client.post(f"{url}extend/", {"days": 5, "reason": "x", "approver": "y"}, format="json")
    assert again.status_code == 400 and "non_field_errors" in again.json()


@pytest.mark.parametrize(
    ("action", "data", "field"),
    [
        ("extend", {"days": 31, "reason": "案情复杂", "approver": "王局长"}, "days"),
        ("extend", {"days": 5, "reason": "", "approver": "王局长"}, "reason"),
        ("extend", {"days": 5, "reason": "案情复杂", "approver": ""}, "approver"),
        ("extend", {"days": "ten", "reason": "x", "approver": "y"}, "days"),
        ("suspend", {"from_day": "2099-01-01", "reason": "x", "approver": "y"}, "from_day"),
        ("suspend", {"from_day": "", "reason": "x", "approver": "y"}, "from_day"),
        ("resume", {"to_day": "2026-01-01"}, "to_day"),  # not suspended
        ("inspectors", {"lead": "nobody", "inspectors": []}, "lead"),
        ("inspectors", {"lead": "yz_inspector", "inspectors": []}, "inspectors"),
        ("close", {"outcome": "fine", "closed_on": "2026-01-01"}, "outcome"),
        ("close", {"outcome": "penalty", "closed_on": today()}, "penalty_amount"),
        ("close", {"outcome": "police", "closed_on": today()}, "note"),
        ("close", {"outcome": "order", "closed_on": today(), "version": "x"}, "version"),
    ],
)
def test_action_bad_input_is_a_400_per_field(api_client, inspector, case, action, data, field):
    response = api_client(inspector).post(f"{URL}{case.pk}/{action}/", data, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    case.refresh_from_db()
    assert case.version == 2 and case.is_open and not case.clock_changes.exists()


def test_queues_and_filters(api_client, inspector, inspector2, case, yuzhong):
    patrol = services.open_inspection(
        inspector2,
        unit=yuzhong,
        origin="patrol",
        opened_on=timezone.localdate(),
        employer_name="解放碑餐饮管理有限公司",
        matter="日常巡视发现未签订劳动合同。",
        violation_types=["labour_contracts"],
    )
    client = api_client(inspector)
    ids = lambda **params: {row["id"] for row in client.get(URL, params).json()["results"]}  # noqa: E731
    assert ids() == {case.pk, patrol.pk}
    assert ids(origin="patrol") == {patrol.pk}
    assert ids(queue="mine") == {case.pk}
    assert ids(is_wage_arrears="true") == {case.pk}
    assert ids(employer="餐饮") == {patrol.pk}
    assert ids(accepted_from=today()) == {patrol.pk}  # the case was opened 2 working days ago
    assert ids(accepted_to=case.accepted_on.isoformat()) == {case.pk}
    assert ids(queue="closed") == set()
    services.close_case(
        inspector, case, outcome="no_violation", closed_on=timezone.localdate(), note="已核实"
    )
    assert ids(queue="closed") == {case.pk} == ids(outcome="no_violation")
    assert ids(status="investigating") == {patrol.pk}
    for bad in (
        {"queue": "later"},
        {"unit": "500106"},
        {"origin": "hotline"},
        {"is_wage_arrears": "perhaps"},
        {"accepted_from": today(), "accepted_to": "2020-01-01"},
    ):
        response = client.get(URL, bad)
        assert response.status_code == 400, bad
        assert set(response.json()) & set(bad)


def test_complainant_only_for_inspection_staff(api_client, inspector, auditor, case):
    url = f"{URL}{case.pk}/"
    body = api_client(inspector).get(url).json()
    complaint = body["complaint"]
    assert complaint["id"] == case.complaint_id and complaint["reference"].startswith("TS")
    assert complaint["complainant_name"] == "张三"
    assert complaint["complainant_phone_masked"] == "139****5678"
    assert complaint["complainant_resident_id_masked"].startswith("5001")
    response = api_client(auditor).get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert "complainant_name" not in text and "张三" not in text and "139****" not in text
    for content in (text, str(body)):
        assert PHONE not in content and resident_id(1) not in content


def test_scope_and_roles(api_client, case, shapingba_inspector, auditor, enterprise_user):
    url = f"{URL}{case.pk}/"
    other = api_client(shapingba_inspector)
    assert other.get(url).status_code == 404
    assert other.get(URL).json()["count"] == 0
    response = other.post(f"{url}extend/", {"days": 5, "reason": "x", "approver": "y"})
    assert response.status_code == 404
    # An auditor reads but never acts: 403 whatever the body.
    reader = api_client(auditor)
    assert reader.get(URL).json()["count"] == 1
    assert reader.post(f"{url}resume/", {"to_day": today()}, format="json").status_code == 403
    assert reader.post(URL, {}, format="json").status_code == 403
    employer = api_client(enterprise_user)
    assert employer.get(URL).json()["count"] == 0
    assert employer.get(url).status_code == 404
    assert employer.post(URL, proactive(), format="json").status_code == 403
    case.refresh_from_db()
    assert case.version == 2 and not case.clock_changes.exists()


def test_complaint_suspend_and_resume_act_on_its_case(api_client, inspector, case):
    client = api_client(inspector)
    url = f"/api/v1/complaints/{case.complaint_id}/"
    data = {"from_day": today(), "reason": "等待有关部门认定", "approver": "王局长", "version": 2}
    suspended = client.post(f"{url}suspend/", data, format="json")
    assert suspended.status_code == 200, suspended.content
    assert suspended.json()["case_version"] == 3
    stale = client.post(f"{url}resume/", {"to_day": today(), "version": 2}, format="json")
    assert stale.status_code == 409
    resumed = client.post(f"{url}resume/", {"to_day": today(), "version": 3}, format="json")
    assert resumed.status_code == 200 and resumed.json()["case_version"] == 4
    bad = client.post(f"{url}resume/", {"to_day": today()}, format="json")
    assert bad.status_code == 400 and "to_day" in bad.json()


def test_complaint_suspend_before_acceptance_is_400(api_client, inspector, complaint):
    response = api_client(inspector).post(
        f"/api/v1/complaints/{complaint.pk}/suspend/",
        {"from_day": today(), "reason": "x", "approver": "y"},
        format="json",
    )
    assert response.status_code == 400 and "non_field_errors" in response.json()


def test_online_complaint_case_reads_alike(api_client, inspector, yuzhong):
    complaint = services.submit_online_complaint(
        unit=yuzhong, **complaint_data(is_anonymous=True, complainant_name="")
    )
    case = services.accept_complaint(inspector, complaint, accepted_on=complaint.received_on)
    body = api_client(inspector).get(f"{URL}{case.pk}/").json()
    assert body["origin"] == "complaint"
    assert body["complaint"]["is_anonymous"] is True
    assert body["complaint"]["complainant_name"] == ""
    assert body["complaint"]["channel"] == "online"


def test_the_list_reads_a_page_in_a_fixed_number_of_queries(api_client, inspector, case, yuzhong):
    client = api_client(inspector)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    one = queries_for_list()
    for n in range(3):
        opened = services.open_inspection(
            inspector,
            unit=yuzhong,
            origin="random_draw",
            opened_on=working_days_ago(3),
            employer_name=f"抽查企业{n}",
            matter="双随机抽查。",
            violation_types=["working_time"],
        )
        services.suspend_case(
            inspector, opened, from_day=timezone.localdate(), reason="x", approver="y"
        )
    assert client.get(URL).json()["count"] == 4
    assert queries_for_list() == one


def test_compute_ratings_through_the_api(api_client, inspector, shapingba_inspector, auditor):
    url = "/api/v1/compliance-rating-runs/"
    year = timezone.localdate().year
    client = api_client(inspector)
    response = client.post(url, {"unit": "500103", "year": year}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["unit"] == "500103" and body["year"] == year and body["with_records"] == 0
    assert body["computed_by"] == inspector.username and body["rules"]
    assert client.get(url, {"year": year}).json()["count"] == 1
    for data, field in (
        ({"unit": "500106", "year": year}, "unit"),  # another district's
        ({"unit": "500103", "year": "last"}, "year"),
        ({"unit": "500103", "year": year + 5}, "year"),
    ):
        bad = client.post(url, data, format="json")
        assert bad.status_code == 400 and field in bad.json(), data
    other = api_client(shapingba_inspector)
    assert other.post(url, {"unit": "500103", "year": year}, format="json").status_code == 400
    assert api_client(auditor).post(url, {}, format="json").status_code == 403
