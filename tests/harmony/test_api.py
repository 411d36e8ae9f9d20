"""The harmony API: create, list, read and act; 400 per field, 404 outside the scope, 409 on a
stale version; coverage and the public list."""

from __future__ import annotations

from datetime import timedelta

from rest_framework.test import APIClient

from tests.factories import EnterpriseFactory
from tests.harmony.conftest import full_scores, granted, pdf, ready_evaluation
from yutong.harmony import services
from yutong.harmony.models import DocumentKind, HarmonyEnrollment, HarmonyEvaluation

ENROL = "/api/v1/harmony-enrollments/"
EVAL = "/api/v1/harmony-evaluations/"


def test_enrol_list_and_withdraw(api_client, district_staff, street_a, yuzhong):
    client = api_client(district_staff)
    response = client.post(
        ENROL, {"scope": "region", "township": street_a.code, "year": 2026}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["scope"] == "region" and body["township"] == street_a.code
    assert body["unit"] == yuzhong.code and body["starts_on"] == "2026-01-01"
    listing = client.get(ENROL, {"active_on": "2026-03-01"}).json()
    assert [row["id"] for row in listing["results"]] == [body["id"]]
    assert client.get(ENROL, {"active_on": "2025-03-01"}).json()["results"] == []
    url = f"{ENROL}{body['id']}/withdraw/"
    stale = client.post(url, {"on": "2026-06-01", "reason": "调整", "version": 5}, format="json")
    assert stale.status_code == 409
    done = client.post(url, {"on": "2026-06-01", "reason": "调整", "version": 1}, format="json")
    assert done.status_code == 200 and done.json()["covered_until"] == "2026-05-31"
    again = client.post(url, {"reason": "再次"}, format="json")
    assert again.status_code == 400 and "non_field_errors" in again.json()


def test_enrolment_errors_per_field(api_client, district_staff, shapingba_enterprise):
    client = api_client(district_staff)
    response = client.post(ENROL, {"scope": "galaxy"}, format="json")
    assert response.status_code == 400 and "scope" in response.json()
    response = client.post(ENROL, {"scope": "region", "year": 2026}, format="json")
    assert response.status_code == 400 and response.json() == {"township": ["请选择镇街。"]}
    response = client.post(
        ENROL,
        {"scope": "enterprise", "enterprise": shapingba_enterprise.uscc, "year": 2026},
        format="json",
    )
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.json()["enterprise"][0]
    assert HarmonyEnrollment.objects.count() == 0


def test_enrolments_outside_the_scope_are_404(
    api_client, district_staff, shapingba_staff, shapingba_enterprise
):
    theirs = services.enrol(
        shapingba_staff, scope="enterprise", enterprise=shapingba_enterprise, year=2026
    )
    client = api_client(district_staff)
    assert client.get(f"{ENROL}{theirs.pk}/").status_code == 404
    response = client.post(f"{ENROL}{theirs.pk}/withdraw/", {"reason": "x"}, format="json")
    assert response.status_code == 404
    assert client.get(ENROL).json()["results"] == []


def test_evaluation_to_grade_a_through_the_api(
    api_client, enterprise_user, own_enterprise, district_staff
):
    client = api_client(enterprise_user)
    skip = client.post(EVAL, {"enterprise": own_enterprise.uscc, "grade": "AAA"}, format="json")
    assert skip.status_code == 400 and "不得越级" in skip.json()["grade"][0]
    created = client.post(EVAL, {"enterprise": own_enterprise.uscc, "grade": "A"}, format="json")
    assert created.status_code == 201
    ev = created.json()
    url = f"{EVAL}{ev['id']}/"
    low = client.post(url + "scores/", {"scores": full_scores(0.5), "version": 1}, format="json")
    assert low.status_code == 200 and low.json()["self_score"] == "50.0"
    refused = client.post(url + "submit/", {}, format="json")
    assert refused.status_code == 400 and "self_score" in refused.json()
    client.post(url + "scores/", {"scores": full_scores(0.9)}, format="json")
    for kind in DocumentKind.objects.filter(is_required=True):
        response = client.post(
            url + "documents/", {"kind": kind.code, "file": pdf(f"{kind.code}.pdf")}
        )
        assert response.status_code == 201, response.content
    body = client.get(url).json()
    assert body["missing_documents"] == []
    submitted = client.post(url + "submit/", {"version": body["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.post(url + "review/", {"decision": "approve", "score": 90}).status_code == 403
    staff = api_client(district_staff)
    reviewed = staff.post(
        url + "review/", {"decision": "approve", "score": "88.5", "vetoes": []}, format="json"
    )
    assert reviewed.status_code == 200, reviewed.content
    assert reviewed.json()["status"] == "approved" and reviewed.json()["is_current"]
    public = APIClient().get("/api/v1/harmony-graded/").json()
    assert [row["enterprise"] for row in public["results"]] == [own_enterprise.uscc]


def test_review_with_veto_and_wrong_state(
    api_client, enterprise_user, own_enterprise, district_staff
):
    evaluation = ready_evaluation(enterprise_user, own_enterprise)
    staff = api_client(district_staff)
    url = f"{EVAL}{evaluation.pk}/review/"
    early = staff.post(url, {"decision": "approve", "score": 90}, format="json")
    assert early.status_code == 400 and "non_field_errors" in early.json()
    services.submit_evaluation(enterprise_user, evaluation)
    vetoed = staff.post(
        url, {"decision": "approve", "score": 90, "vetoes": ["child_labour"]}, format="json"
    )
    assert vetoed.status_code == 400 and "一票否决" in vetoed.json()["vetoes"][0]
    unknown = staff.post(url, {"decision": "approve", "score": 90, "vetoes": ["x"]}, format="json")
    assert unknown.status_code == 400 and "vetoes" in unknown.json()
    assert HarmonyEvaluation.objects.get(pk=evaluation.pk).status == "submitted"


def test_revoke_and_held_less_than_a_year(api_client, district_staff, yuzhong, today):
    enterprise = EnterpriseFactory(unit=yuzhong)
    evaluation = granted(enterprise, "A", today - timedelta(days=100))
    staff = api_client(district_staff)
    early = staff.post(EVAL, {"enterprise": enterprise.uscc, "grade": "AA"}, format="json")
    assert early.status_code == 400 and "持有不满" in early.json()["grade"][0]
    url = f"{EVAL}{evaluation.pk}/revoke/"
    assert staff.post(url, {"reason": ""}, format="json").status_code == 400
    done = staff.post(url, {"reason": "拖欠工资", "version": evaluation.version}, format="json")
    assert done.status_code == 200 and done.json()["status"] == "revoked"


def test_evaluations_outside_the_scope_are_404(
    api_client, enterprise_user, own_enterprise, shapingba_staff, other_enterprise_user
):
    evaluation = services.start_evaluation(enterprise_user, own_enterprise, grade="A")
    for user in (shapingba_staff, other_enterprise_user):
        client = api_client(user)
        assert client.get(f"{EVAL}{evaluation.pk}/").status_code == 404
        assert client.post(f"{EVAL}{evaluation.pk}/withdraw/", {}).status_code == 404
        assert client.get(EVAL).json()["results"] == []
    assert HarmonyEvaluation.objects.get(pk=evaluation.pk).status == "draft"


def test_coverage_endpoint(api_client, district_staff, enterprise_user, street_a, yuzhong):
    EnterpriseFactory(unit=yuzhong, township=street_a)
    EnterpriseFactory(unit=yuzhong)
    services.enrol(district_staff, scope="region", township=street_a, year=2026)
    rows = (
        api_client(district_staff).get("/api/v1/harmony-coverage/", {"as_of": "2026-12-31"}).json()
    )
    assert [(r["unit"], r["numerator"], r["denominator"], r["rate"]) for r in rows] == [
        (yuzhong.code, 1, 3, "33.3")  # the enterprise user's own enterprise is in scope too
    ]
    assert api_client(enterprise_user).get("/api/v1/harmony-coverage/").status_code == 403
    assert APIClient().get("/api/v1/harmony-coverage/").status_code in (401, 403)
