"""/api/v1/arrears-blacklist/ with real tokens: listing on the service's conditions, 400 per
field with nothing written, the filters, early removal and cancellation with 409 on a stale
version, 404 outside the scope, 403 outside the roles; and the public list in force (no
login, no amounts, no personal data, throttled)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import EnterpriseFactory
from tests.inspection.conftest import PHONE, complaint_data
from yutong.core.models import AuditEntry
from yutong.inspection import services
from yutong.inspection.models import ArrearsBlacklist

pytestmark = pytest.mark.django_db

URL = "/api/v1/arrears-blacklist/"
PUBLIC = "/api/v1/arrears-blacklist/public/"
DAYS_AGO = 300  # long enough for an early removal (6 months after listing)


def ago(days: int):
    return timezone.localdate() - timedelta(days=days)


def closed_case(actor, team, unit, employer, *, refused=True, mass=False, days=DAYS_AGO):
    """A wage-arrears case closed with an order to pay that the employer did not follow."""
    complaint = services.register_complaint(
        actor,
        unit=unit,
        channel="visit",
        received_on=ago(days),
        employer=employer,
        **complaint_data(),
    )
    case = services.accept_complaint(actor, complaint, accepted_on=complaint.received_on)
    case = services.assign_inspectors(actor, case, lead=actor, inspectors=[team])
    return services.close_case(
        actor,
        case,
        outcome="order",
        closed_on=ago(days - 10),
        amount_owed="360000",
        refused_order=refused,
        mass_incident=mass,
    )


@pytest.fixture
def wage_case(inspector, inspector2, yuzhong, employer):
    return closed_case(inspector, inspector2, yuzhong, employer)


def listing_data(basis_case, **overrides) -> dict:
    data = {
        "case": basis_case.pk,
        "condition": "criminal_threshold",
        "basis": "拖欠 12 名农民工工资 36 万元，经责令限期支付逾期仍未支付。",
        "listed_on": ago(DAYS_AGO - 20).isoformat(),
    }
    data.update(overrides)
    return data


def list_it(case, actor):
    return services.list_in_blacklist(
        actor,
        case,
        condition="criminal_threshold",
        basis="逾期未支付",
        listed_on=ago(DAYS_AGO - 20),
    )


def test_list_an_employer_and_read_it(api_client, inspector, wage_case, employer):
    client = api_client(inspector)
    response = client.post(URL, listing_data(wage_case), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    listed_on = ago(DAYS_AGO - 20)
    assert body["enterprise_name"] == employer.name and body["uscc"] == employer.uscc
    assert body["case"] == wage_case.pk and body["case_number"] == wage_case.number
    assert body["amount_owed"] == "360000.00" and body["workers_affected"] == 3
    assert body["listed_on"] == listed_on.isoformat() and body["in_force"] is True
    expected_end = listed_on.replace(year=listed_on.year + 3) - timedelta(days=1)
    assert body["term_ends_on"] == expected_end.isoformat()
    assert body["earliest_removal"] > body["listed_on"] and body["removal"] == ""
    assert body["listed_by"] == inspector.username and body["version"] == 1
    assert client.get(f"{URL}{body['id']}/").json()["id"] == body["id"]
    case = client.get(f"/api/v1/inspection-cases/{wage_case.pk}/").json()
    assert case["listings"] == [body["id"]]
    assert "blacklisted" in [e["kind"] for e in case["events"]]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"condition": "bad_credit"}, "condition"),
        ({"condition": "mass_incident"}, "condition"),  # the case recorded no incident
        ({"basis": ""}, "basis"),
        ({"listed_on": "2026-13-01"}, "listed_on"),
        ({"listed_on": "2099-01-01"}, "listed_on"),
        ({"listed_on": ago(DAYS_AGO + 5).isoformat()}, "listed_on"),  # before the closure
        ({"case": 999999}, "case"),
        ({"case": "abc"}, "case"),
    ],
)
def test_bad_input_is_a_400_per_field_and_writes_nothing(
    api_client, inspector, wage_case, overrides, field
):
    before = AuditEntry.objects.count()
    response = api_client(inspector).post(URL, listing_data(wage_case, **overrides), format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not ArrearsBlacklist.objects.exists() and AuditEntry.objects.count() == before


def test_the_service_conditions(api_client, inspector, inspector2, yuzhong, wage_case, employer):
    client = api_client(inspector)
    followed = closed_case(
        inspector, inspector2, yuzhong, EnterpriseFactory(unit=yuzhong), refused=False
    )
    response = client.post(URL, listing_data(followed), format="json")
    assert response.status_code == 400 and "case" in response.json()
    assert client.post(URL, listing_data(wage_case), format="json").status_code == 201
    twice = client.post(URL, listing_data(wage_case), format="json")
    assert twice.status_code == 400 and "non_field_errors" in twice.json()
    assert ArrearsBlacklist.objects.count() == 1


def test_filters(api_client, inspector, inspector2, yuzhong, wage_case, employer):
    first = list_it(wage_case, inspector)
    recent = closed_case(inspector, inspector2, yuzhong, EnterpriseFactory(unit=yuzhong), days=40)
    second = services.list_in_blacklist(
        inspector, recent, condition="criminal_threshold", basis="逾期未支付", listed_on=ago(20)
    )
    services.remove_from_blacklist(
        inspector, second, removal="error", removed_on=ago(1), reason="列入错误"
    )
    client = api_client(inspector)
    ids = lambda **params: [row["id"] for row in client.get(URL, params).json()["results"]]  # noqa: E731
    assert ids() == [second.pk, first.pk]  # latest listing first
    assert ids(in_force="true") == [first.pk]
    assert ids(in_force="false") == [second.pk]
    assert ids(unit="500103") == [second.pk, first.pk]
    year = first.listed_on.year
    assert ids(year=year) == [
        listing.pk for listing in (second, first) if listing.listed_on.year == year
    ]
    assert ids(year=2001) == []
    assert ids(uscc=employer.uscc.lower()) == [first.pk]
    for bad in ({"year": "last"}, {"unit": "500106"}, {"in_force": "maybe"}, {"year": 1999}):
        response = client.get(URL, bad)
        assert response.status_code == 400 and set(response.json()) == set(bad)


def test_early_removal(api_client, inspector, wage_case):
    listing = list_it(wage_case, inspector)
    client = api_client(inspector)
    url = f"{URL}{listing.pk}/remove/"
    good = {
        "removed_on": ago(0).isoformat(),
        "paid_on": ago(30).isoformat(),
        "pledged_on": ago(10).isoformat(),
        "reason": "已全部清偿并作出信用承诺",
        "version": 1,
    }
    for overrides, field in (
        ({"removed_on": ago(DAYS_AGO - 60).isoformat()}, "removed_on"),  # under 6 months
        ({"paid_on": None}, "paid_on"),
        ({"pledged_on": "2099-01-01"}, "pledged_on"),
        ({"reason": ""}, "reason"),
        ({"removed_on": "tomorrow"}, "removed_on"),
    ):
        response = client.post(url, {**good, **overrides}, format="json")
        assert response.status_code == 400, (overrides, response.content)
        assert field in response.json()
    listing.refresh_from_db()
    assert listing.removed_on is None and listing.version == 1
    assert client.post(url, {**good, "version": 7}, format="json").status_code == 409
    done = client.post(url, good, format="json")
    assert done.status_code == 200, done.content
    body = done.json()
    assert body["removal"] == "early" and body["in_force"] is False
    assert body["removed_on"] == ago(0).isoformat() and body["removed_by"] == inspector.username
    again = client.post(url, {**good, "version": 2}, format="json")
    assert again.status_code == 400 and "non_field_errors" in again.json()
    assert AuditEntry.objects.filter(action="remove_from_blacklist").count() == 1


def test_cancellation(api_client, inspector, wage_case):
    listing = list_it(wage_case, inspector)
    client = api_client(inspector)
    url = f"{URL}{listing.pk}/cancel/"
    missing = client.post(url, {"removed_on": ago(0).isoformat(), "reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    data = {"removed_on": ago(0).isoformat(), "reason": "执行文书送达有误", "version": 1}
    done = client.post(url, data, format="json")
    assert done.status_code == 200 and done.json()["removal"] == "error"
    stale = client.post(url, data, format="json")
    assert stale.status_code == 409


def test_scope_and_roles(
    api_client, inspector, wage_case, shapingba_inspector, auditor, enterprise_user
):
    listing = list_it(wage_case, inspector)
    url = f"{URL}{listing.pk}/"
    other = api_client(shapingba_inspector)
    assert other.get(URL).json()["count"] == 0
    assert other.get(url).status_code == 404
    data = {"removed_on": ago(0).isoformat(), "reason": "x"}
    assert other.post(f"{url}cancel/", data, format="json").status_code == 404
    # A case of another district is as unknown as a case that does not exist.
    response = other.post(URL, listing_data(wage_case), format="json")
    assert response.status_code == 400 and "case" in response.json()
    reader = api_client(auditor)
    assert reader.get(URL).json()["count"] == 1 and reader.get(url).status_code == 200
    assert reader.post(f"{url}cancel/", data, format="json").status_code == 403
    assert reader.post(URL, {}, format="json").status_code == 403
    employer = api_client(enterprise_user)
    assert employer.get(URL).json()["count"] == 0 and employer.get(url).status_code == 404
    listing.refresh_from_db()
    assert listing.removed_on is None and listing.version == 1


def test_public_list_in_force_without_personal_data(
    inspector, inspector2, yuzhong, wage_case, employer
):
    listing = list_it(wage_case, inspector)
    gone_case = closed_case(inspector, inspector2, yuzhong, EnterpriseFactory(unit=yuzhong))
    gone = list_it(gone_case, inspector)
    services.remove_from_blacklist(
        inspector, gone, removal="error", removed_on=ago(0), reason="列入错误"
    )
    response = APIClient().get(PUBLIC)  # no login
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 1 and response.json()["count"] == 1
    row = rows[0]
    assert set(row) == {
        "enterprise_name",
        "uscc",
        "condition",
        "condition_label",
        "authority",
        "listed_on",
        "term_ends_on",
    }
    assert row["enterprise_name"] == employer.name and row["uscc"] == employer.uscc
    assert row["authority"] == "渝中区人力资源和社会保障局"
    assert row["term_ends_on"] == listing.term_ends_on.isoformat()
    text = response.content.decode()
    for secret in ("360000", "逾期未支付", wage_case.number, "张三", PHONE, "139****"):
        assert secret not in text


def test_public_list_is_throttled(client, settings):
    cache.clear()
    statuses = [client.get(PUBLIC).status_code for _ in range(121)]
    assert statuses[0] == 200 and statuses[-1] == 429
    response = client.get(PUBLIC)
    assert response.status_code == 429 and "Retry-After" in response
    assert response.json()["detail"].startswith("查询过于频繁，请稍后再试。")
    # Another address has its own allowance.
    assert client.get(PUBLIC, REMOTE_ADDR="127.0.0.2").status_code == 200


def test_public_blacklist_page_is_throttled(client, settings):
    from yutong.inspection.api import PublicBlacklistThrottle

    allowed = int(PublicBlacklistThrottle.rate.split("/")[0])
    for _ in range(allowed):
        assert client.get("/inspection/blacklist/public/").status_code == 200
    response = client.get("/inspection/blacklist/public/")
    assert response.status_code == 429
    assert "查询过于频繁" in response.content.decode()
