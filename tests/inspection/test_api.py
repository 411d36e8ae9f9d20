"""/api/v1/complaints/ and /api/v1/compliance-ratings/ with real tokens: create, list with
filters, the actions, 400 per field, 409 on a stale version, 404 outside the scope, and the
complainant's identity only for inspection roles."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.inspection.conftest import PHONE, complaint_data, resident_id
from yutong.core.models import AuditEntry
from yutong.inspection import services
from yutong.inspection.models import Complaint, ComplianceRating

pytestmark = pytest.mark.django_db

URL = "/api/v1/complaints/"


def today() -> str:
    return timezone.localdate().isoformat()


def payload(**overrides) -> dict:
    data = {"unit": "500103", "channel": "hotline_12333", "received_on": today()}
    data.update(complaint_data())
    data.update(overrides)
    return data


def test_create_and_read_a_complaint(api_client, inspector):
    client = api_client(inspector)
    response = client.post(URL, payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "received" and body["unit"] == "500103"
    assert body["is_wage_arrears"] is True and body["workers_affected"] == 3
    assert body["amount_owed"] == "36000.00" and body["amount_recovered"] is None
    assert body["due_on"] == body["decision_due_on"] and body["accepted_on"] is None
    assert body["complainant_name"] == "张三"
    assert body["complainant_phone_masked"] == "139****5678"
    assert PHONE not in response.content.decode()
    assert resident_id(1) not in response.content.decode()
    assert client.get(f"{URL}{body['id']}/").json()["reference"] == body["reference"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit": "500106"}, "unit"),
        ({"channel": "online"}, "channel"),
        ({"received_on": "2026-13-01"}, "received_on"),
        ({"violation_types": ["bribery"]}, "violation_types"),
        ({"amount_owed": "12abc"}, "amount_owed"),
        ({"employer_uscc": "123"}, "employer_uscc"),
        ({"complainant_phone": "110"}, "complainant_phone"),
        ({"project": "NOPE"}, "project"),
    ],
)
def test_bad_input_is_a_400_per_field_and_writes_nothing(api_client, inspector, overrides, field):
    response = api_client(inspector).post(URL, payload(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Complaint.objects.exists() and not AuditEntry.objects.exists()


def test_the_whole_journey_through_the_actions(api_client, inspector, inspector2, complaint):
    client = api_client(inspector)
    url = f"{URL}{complaint.pk}/"
    accepted = client.post(f"{url}accept/", {"accepted_on": today(), "version": 1}, format="json")
    assert accepted.status_code == 200, accepted.content
    body = accepted.json()
    assert body["status"] == "accepted" and body["accepted_on"] == today()
    assert body["case"]["number"].startswith("渝中区人社监") and body["case_version"] == 1
    assert body["due_on"] == body["case"]["due_on"] and body["decision_due_on"] is None
    team = {"lead": inspector.username, "inspectors": [inspector2.username], "version": 1}
    assert client.post(f"{url}inspectors/", team, format="json").status_code == 200
    extend = {"days": 10, "reason": "案情复杂", "approver": "王局长", "version": 2}
    assert client.post(f"{url}extend/", extend, format="json").status_code == 200
    stale = client.post(
        f"{url}close/", {"outcome": "order", "closed_on": today(), "version": 2}, format="json"
    )
    assert stale.status_code == 409
    closed = client.post(
        f"{url}close/",
        {
            "outcome": "order",
            "closed_on": today(),
            "amount_recovered": "36000",
            "workers_paid": 3,
            "version": 3,
        },
        format="json",
    )
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert body["closed_on"] == today() and body["outcome"] == "order"
    assert body["amount_recovered"] == "36000.00" and body["case"]["workers_paid"] == 3


def test_case_actions_before_acceptance_and_wrong_states_are_400(api_client, inspector, complaint):
    client = api_client(inspector)
    url = f"{URL}{complaint.pk}/"
    response = client.post(
        f"{url}extend/", {"days": 5, "reason": "x", "approver": "y"}, format="json"
    )
    assert response.status_code == 400 and "non_field_errors" in response.json()
    refused = client.post(f"{url}refuse/", {"refused_on": today(), "reason": ""}, format="json")
    assert refused.status_code == 400 and "reason" in refused.json()
    redirected = client.post(
        f"{url}redirect/",
        {"redirected_on": today(), "redirect_to": "向住房城乡建设部门反映"},
        format="json",
    )
    assert redirected.json()["status"] == "redirected"
    again = client.post(f"{url}accept/", {"accepted_on": today()}, format="json")
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_filters(api_client, inspector, complaint, yuzhong):
    other = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="letter",
        received_on=timezone.localdate(),
        **complaint_data(is_wage_arrears=False, violation_types=["social_insurance"]),
    )
    client = api_client(inspector)
    ids = lambda **params: {row["id"] for row in client.get(URL, params).json()["results"]}  # noqa: E731
    assert ids(is_wage_arrears="true") == {complaint.pk}
    assert ids(channel="letter") == {other.pk}
    assert ids(queue="unassigned") == {complaint.pk, other.pk}
    assert client.get(URL, {"queue": "later"}).status_code == 400
    assert client.get(URL, {"unit": "500106"}).status_code == 400


def test_scope_and_roles(api_client, complaint, shapingba_inspector, auditor, enterprise_user):
    url = f"{URL}{complaint.pk}/"
    other = api_client(shapingba_inspector)
    assert other.get(url).status_code == 404
    assert other.post(f"{url}accept/", {"accepted_on": today()}, format="json").status_code == 404
    assert other.get(URL).json()["count"] == 0
    # An auditor reads the complaint but never the complainant, and cannot act.
    reader = api_client(auditor)
    body = reader.get(url).json()
    assert "complainant_name" not in body and "张三" not in str(body)
    assert reader.post(f"{url}accept/", {"accepted_on": today()}, format="json").status_code == 403
    # The employer's own account sees no complaint at all.
    employer = api_client(enterprise_user)
    assert employer.get(URL).json()["count"] == 0
    assert employer.get(url).status_code == 404


def test_compliance_ratings_api(api_client, inspector, inspector2, employer, yuzhong):
    complaint = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="visit",
        received_on=timezone.localdate(),
        employer=employer,
        **complaint_data(),
    )
    case = services.accept_complaint(inspector, complaint, accepted_on=complaint.received_on)
    case = services.assign_inspectors(inspector, case, lead=inspector, inspectors=[inspector2])
    services.close_case(
        inspector, case, outcome="penalty", penalty_amount="20000", closed_on=complaint.received_on
    )
    year = complaint.received_on.year + 1
    services.compute_ratings(inspector, unit=yuzhong, year=year)
    client = api_client(inspector)
    rows = client.get("/api/v1/compliance-ratings/", {"year": year}).json()["results"]
    assert [(r["uscc"], r["grade"]) for r in rows] == [(employer.uscc, "B")]
    runs = client.get("/api/v1/compliance-rating-runs/", {"year": year}).json()["results"]
    assert runs[0]["unit"] == "500103" and runs[0]["rated_b"] == 1
    rating = ComplianceRating.objects.get()
    url = f"/api/v1/compliance-ratings/{rating.pk}/override/"
    assert client.post(url, {"grade": "A", "reason": ""}, format="json").status_code == 400
    done = client.post(url, {"grade": "A", "reason": "已全部整改", "version": 1}, format="json")
    assert done.json()["grade"] == "A" and done.json()["computed_grade"] == "B"
    assert client.get("/api/v1/compliance-ratings/", {"year": "x"}).status_code == 400
