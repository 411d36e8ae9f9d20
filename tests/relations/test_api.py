"""/api/v1/unions/ and /api/v1/collective-contracts/: the contract of issue #5, bad input as
400 with the field, stale versions as 409, and the scope of every role."""

from __future__ import annotations

from datetime import date

import pytest

from tests.relations.conftest import draft, to_stage
from yutong.relations.models import CollectiveContract, Union

pytestmark = pytest.mark.django_db

CONTRACTS = "/api/v1/collective-contracts/"
UNIONS = "/api/v1/unions/"


def test_register_a_union_and_read_it(api_client, union_officer, firms):
    client = api_client(union_officer)
    response = client.post(
        UNIONS,
        {
            "enterprise": firms.big.uscc,
            "name": "解放碑重工有限公司工会委员会",
            "form": "committee",
            "established_on": "2024-06-01",
            "members": 200,
            "chair": "张主席",
            "fulltime_staff": 1,
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["enterprise"] == firms.big.uscc
    assert body["dues_rate"] == "2.00"
    assert body["is_active"] is True
    listed = client.get(UNIONS, {"active": "true"}).json()
    assert [u["id"] for u in listed["results"]] == [body["id"]]


def test_union_bad_input_is_a_400_with_the_field(api_client, union_officer, firms):
    response = api_client(union_officer).post(
        UNIONS,
        {
            "enterprise": firms.big.uscc,
            "name": "x",
            "form": "organiser",
            "established_on": "2024-06-01",
            "members": 40,
            "chair": "张",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "form" in response.json()
    assert not Union.objects.exists()


def test_a_union_in_another_district_cannot_be_registered_or_read(
    api_client, spb_union_officer, union_officer, firms, unions
):
    client = api_client(spb_union_officer)
    response = client.post(
        UNIONS,
        {
            "enterprise": firms.big.uscc,
            "name": "x",
            "form": "committee",
            "established_on": "2024-06-01",
            "members": 30,
            "chair": "张",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "enterprise" in response.json()  # not in the caller's scope
    assert client.get(f"{UNIONS}{unions.big.pk}/").status_code == 404
    assert client.get(UNIONS).json()["count"] == 0
    dissolve = client.post(
        f"{UNIONS}{unions.big.pk}/dissolve/",
        {"dissolved_on": "2025-01-01", "reason": "x"},
        format="json",
    )
    assert dissolve.status_code == 404


def test_enterprise_account_reads_its_own_union_only(
    api_client, enterprise_user, own_enterprise, union_officer, unions
):
    from tests.relations.conftest import establish

    own = establish(union_officer, own_enterprise, members=40)
    client = api_client(enterprise_user)
    ids = [u["id"] for u in client.get(UNIONS).json()["results"]]
    assert ids == [own.pk]
    assert client.get(f"{UNIONS}{unions.big.pk}/").status_code == 404
    response = client.post(
        f"{UNIONS}{own.pk}/dissolve/", {"dissolved_on": "2025-01-01", "reason": "x"}
    )
    assert response.status_code == 403


def _draft_payload(enterprise, **overrides):
    payload = {
        "scope": "enterprise",
        "kind": "general",
        "title": "集体合同",
        "enterprise": enterprise.uscc,
        "term_start": "2025-04-01",
        "expires_on": "2028-03-31",
    }
    payload.update(overrides)
    return payload


def test_contract_journey_through_the_api(api_client, union_officer, district_staff, firms, unions):
    officer = api_client(union_officer)
    created = officer.post(CONTRACTS, _draft_payload(firms.big), format="json")
    assert created.status_code == 201, created.content
    contract = created.json()
    assert contract["scope"] == "enterprise"
    assert contract["covered_enterprises"] == [firms.big.uscc]
    assert contract["status"] == "draft"
    assert contract["effective_from"] is None
    url = f"{CONTRACTS}{contract['id']}/"
    approved = officer.post(
        f"{url}approve/",
        {
            "version": contract["version"],
            "adopted_on": "2025-03-03",
            "congress_total": 60,
            "congress_attending": 45,
            "congress_approving": 40,
        },
        format="json",
    )
    assert approved.status_code == 200, approved.content
    assert approved.json()["status"] == "adopted"
    signed = officer.post(f"{url}sign/", {"signed_on": "2025-03-03"}, format="json").json()
    assert signed["filing_due_on"] == "2025-03-13"
    filed = api_client(district_staff).post(
        f"{url}file/", {"filed_on": "2025-03-10", "version": signed["version"]}, format="json"
    )
    assert filed.status_code == 200, filed.content
    body = filed.json()
    assert body["review_due_on"] == "2025-03-25"
    assert body["effective_from"] == "2025-04-01"
    assert body["expires_on"] == "2028-03-31"
    assert body["status"] == "effective"  # today is after the review period
    listed = officer.get(CONTRACTS, {"status": "effective"}).json()
    assert [c["id"] for c in listed["results"]] == [contract["id"]]


def test_approval_without_quorum_is_a_400(api_client, union_officer, firms, unions):
    contract = draft(union_officer, firms.big)
    response = api_client(union_officer).post(
        f"{CONTRACTS}{contract.pk}/approve/",
        {
            "adopted_on": "2025-03-03",
            "congress_total": 60,
            "congress_attending": 30,
            "congress_approving": 30,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "congress_attending" in response.json()
    contract.refresh_from_db()
    assert contract.stage == "draft"


def test_filing_after_the_deadline_is_received_and_marked_late(
    api_client, union_officer, firms, unions
):
    contract = to_stage(union_officer, draft(union_officer, firms.big), "signed")
    response = api_client(union_officer).post(
        f"{CONTRACTS}{contract.pk}/file/", {"filed_on": "2025-03-20"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["stage"], response.json()["filed_late"]) == ("filed", True)


def test_term_over_three_years_is_a_400(api_client, union_officer, firms, unions):
    response = api_client(union_officer).post(
        CONTRACTS, _draft_payload(firms.big, expires_on="2028-04-01"), format="json"
    )
    assert response.status_code == 400
    assert "expires_on" in response.json()
    assert not CollectiveContract.objects.exists()


def test_regional_contract_outside_its_region_is_a_400(api_client, union_officer, firms, streets):
    response = api_client(union_officer).post(
        CONTRACTS,
        {
            "scope": "regional",
            "kind": "wages",
            "title": "解放碑街道工资专项集体合同",
            "region": streets.jiefangbei.code,
            "covered_enterprises": [firms.big.uscc, firms.small.uscc],
            "term_start": "2025-04-01",
            "expires_on": "2026-03-31",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "朝天门餐饮有限公司" in response.json()["covered_enterprises"][0]
    assert not CollectiveContract.objects.exists()


def test_action_in_the_wrong_state_is_a_400(
    api_client, union_officer, district_staff, firms, unions
):
    contract = draft(union_officer, firms.big)
    for action, payload in (
        ("file", {"filed_on": "2025-03-03"}),
        ("object", {"objected_on": "2025-03-03", "reason": "x"}),
        ("renew", {"expires_on": "2031-03-31"}),
        ("sign", {"signed_on": "2025-03-03"}),
    ):
        response = api_client(district_staff).post(
            f"{CONTRACTS}{contract.pk}/{action}/", payload, format="json"
        )
        assert response.status_code == 400, action
        assert "non_field_errors" in response.json()


def test_stale_version_is_a_409(api_client, union_officer, firms, unions):
    contract = draft(union_officer, firms.big)
    client = api_client(union_officer)
    payload = {
        "version": contract.version,
        "adopted_on": "2025-03-03",
        "congress_total": 60,
        "congress_attending": 45,
        "congress_approving": 40,
    }
    assert (
        client.post(f"{CONTRACTS}{contract.pk}/approve/", payload, format="json").status_code == 200
    )
    response = client.post(
        f"{CONTRACTS}{contract.pk}/sign/",
        {"version": contract.version, "signed_on": "2025-03-03"},
        format="json",
    )
    assert response.status_code == 409
    assert CollectiveContract.objects.get(pk=contract.pk).stage == "adopted"


def test_objection_by_the_reviewer_only(api_client, union_officer, district_staff, firms, unions):
    contract = to_stage(
        union_officer, draft(union_officer, firms.big), "filed", filed_on=date(2025, 3, 5)
    )
    payload = {"objected_on": "2025-03-10", "reason": "条款违法"}
    url = f"{CONTRACTS}{contract.pk}/object/"
    assert api_client(union_officer).post(url, payload, format="json").status_code == 403
    response = api_client(district_staff).post(url, payload, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "objected"
    assert response.json()["effective_from"] is None


def test_other_district_sees_no_contract(api_client, shapingba_staff, union_officer, firms, unions):
    contract = draft(union_officer, firms.big)
    client = api_client(shapingba_staff)
    assert client.get(CONTRACTS).json()["count"] == 0
    assert client.get(f"{CONTRACTS}{contract.pk}/").status_code == 404
    response = client.post(
        f"{CONTRACTS}{contract.pk}/approve/",
        {
            "adopted_on": "2025-03-03",
            "congress_total": 60,
            "congress_attending": 45,
            "congress_approving": 40,
        },
        format="json",
    )
    assert response.status_code == 404
    created = client.post(CONTRACTS, _draft_payload(firms.big), format="json")
    assert created.status_code == 400  # the enterprise is outside 沙坪坝's scope
    assert "enterprise" in created.json()


def test_enterprise_account_reads_contracts_covering_it(
    api_client, enterprise_user, own_enterprise, union_officer, firms, unions, streets
):
    from tests.relations.conftest import establish

    establish(union_officer, own_enterprise, members=40)
    own = draft(union_officer, own_enterprise)
    draft(union_officer, firms.big)
    client = api_client(enterprise_user)
    assert [c["id"] for c in client.get(CONTRACTS).json()["results"]] == [own.pk]
    response = client.post(CONTRACTS, _draft_payload(own_enterprise), format="json")
    assert response.status_code == 403


def test_renew_through_the_api(api_client, union_officer, firms, unions):
    from django.utils import timezone

    from yutong.relations import services

    today = timezone.localdate()
    start = services.add_years(today, -1)
    contract = draft(
        union_officer,
        firms.big,
        term_start=start,
        expires_on=services.add_years(start, 1),
    )
    contract = to_stage(union_officer, contract, "filed", signed_on=start, filed_on=start)
    response = api_client(union_officer).post(
        f"{CONTRACTS}{contract.pk}/renew/",
        {"expires_on": services.add_years(contract.expires_on, 3).isoformat()},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["previous"] == contract.pk
    assert response.json()["status"] == "draft"


def test_the_actions_are_in_the_schema(client):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "/api/v1/collective-contracts/{id}/approve/" in text
    assert "/api/v1/unions/{id}/dissolve/" in text
