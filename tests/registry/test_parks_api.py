"""/api/v1/parks/ with real tokens: list (filters), read, create, PATCH (with the change day),
close and reopen, history; field-level 400s, 409 on a stale version, and the caller's scope."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import IndustrialParkFactory, TownshipFactory
from yutong.core.models import AuditEntry
from yutong.registry.models import IndustrialPark, ParkState

pytestmark = pytest.mark.django_db

BASE = "/api/v1/parks/"
TODAY = timezone.localdate()


@pytest.fixture
def parks(yuzhong, shapingba):
    return {
        "yz": IndustrialParkFactory(code="PYZ1", name="渝中数字产业园", unit=yuzhong),
        "shut": IndustrialParkFactory(
            code="PYZ2", name="渝中老工业园", unit=yuzhong, is_active=False
        ),
        "spb": IndustrialParkFactory(code="PSPB", name="沙坪坝物流园", unit=shapingba),
    }


def codes(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["code"] for row in response.json()["results"]}


def test_list_is_scoped_and_filtered(api_client, district_staff, city_admin, parks, shapingba):
    assert codes(api_client(district_staff).get(BASE)) == {"PYZ1", "PYZ2"}
    client = api_client(city_admin)
    assert codes(client.get(BASE)) == {"PYZ1", "PYZ2", "PSPB"}
    assert codes(client.get(BASE, {"unit": shapingba.code})) == {"PSPB"}
    assert codes(client.get(BASE, {"active": "no"})) == {"PYZ2"}
    assert codes(client.get(BASE, {"q": "数字"})) == {"PYZ1"}
    bad = client.get(BASE, {"active": "maybe", "unit": "999999"})
    assert bad.status_code == 400 and set(bad.json()) == {"active", "unit"}


def test_another_districts_park_is_a_404(api_client, district_staff, parks):
    client = api_client(district_staff)
    other = f"{BASE}PSPB/"
    assert client.get(other).status_code == 404
    assert client.patch(other, {"name": "改名"}, format="json").status_code == 404
    assert client.post(f"{other}close/", {}, format="json").status_code == 404
    assert client.get(f"{other}history/").status_code == 404
    parks["spb"].refresh_from_db()
    assert (parks["spb"].name, parks["spb"].is_active) == ("沙坪坝物流园", True)


def test_roles(api_client, mediator, enterprise_user, parks, yuzhong):
    reader = api_client(mediator)
    assert reader.get(f"{BASE}PYZ1/").json()["name"] == "渝中数字产业园"
    refused = reader.post(BASE, {"code": "PX", "name": "园", "unit": yuzhong.code}, format="json")
    assert refused.status_code == 403
    assert reader.post(f"{BASE}PYZ1/close/", {}, format="json").status_code == 403
    assert api_client(enterprise_user).get(BASE).status_code == 403
    assert APIClient().get(BASE).status_code == 401


def test_create_and_field_level_errors(api_client, district_staff, parks, yuzhong, shapingba):
    client = api_client(district_staff)
    street = TownshipFactory(parent=yuzhong, name="解放碑街道")
    created = client.post(
        BASE,
        {
            "code": "pnew",
            "name": "新园区",
            "unit": yuzhong.code,
            "township": street.code,
            "established_on": "2019-05-01",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["code"], body["township"], body["is_active"], body["state_since"]) == (
        "PNEW",
        street.code,
        True,
        "2019-05-01",
    )
    assert AuditEntry.objects.filter(action="create_park").count() == 1
    response = client.post(
        BASE,
        {"code": "PYZ1", "name": "", "unit": yuzhong.code, "established_on": "2999-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert {"name", "established_on"} <= set(response.json())
    duplicate = client.post(
        BASE, {"code": "pyz1", "name": "重复", "unit": yuzhong.code}, format="json"
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {"code": ["该园区代码已登记。"]}
    # Another district's unit is not offered to the caller at all.
    outside = client.post(BASE, {"code": "PX", "name": "外区", "unit": shapingba.code})
    assert outside.status_code == 400 and "unit" in outside.json()
    misplaced = client.post(
        BASE,
        {"code": "PY", "name": "园", "unit": yuzhong.code, "effective_on": "2020-01-01"},
        format="json",
    )
    assert misplaced.json() == {"effective_on": ["仅在修改园区信息时使用。"]}
    assert IndustrialPark.objects.count() == 4


def test_patch_keeps_history_and_refuses_a_stale_version(api_client, city_admin, parks, shapingba):
    client = api_client(city_admin)
    moved_on = TODAY - timedelta(days=7)
    response = client.patch(
        f"{BASE}PYZ1/",
        {"unit": shapingba.code, "effective_on": moved_on.isoformat(), "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["unit"], response.json()["version"]) == (shapingba.code, 2)
    history = client.get(f"{BASE}PYZ1/history/").json()["results"]
    assert [(row["unit"], row["valid_until"]) for row in history] == [
        ("500103", moved_on.isoformat())
    ]
    stale = client.patch(f"{BASE}PYZ1/", {"name": "再改", "version": 1}, format="json")
    assert stale.status_code == 409
    code = client.patch(f"{BASE}PYZ1/", {"code": "OTHER"}, format="json")
    assert code.status_code == 400 and code.json() == {"code": ["园区代码不能修改。"]}
    flag = client.patch(f"{BASE}PYZ1/", {"is_active": False}, format="json")
    assert flag.status_code == 200 and flag.json()["is_active"] is True  # read-only


def test_close_and_reopen(api_client, district_staff, parks):
    client = api_client(district_staff)
    closed_on = TODAY - timedelta(days=3)
    future = client.post(
        f"{BASE}PYZ1/close/", {"closed_on": (TODAY + timedelta(days=1)).isoformat()}
    )
    assert future.status_code == 400 and future.json() == {"closed_on": ["日期不能晚于今天。"]}
    bad = client.post(f"{BASE}PYZ1/close/", {"closed_on": "明天"}, format="json")
    assert bad.status_code == 400 and "closed_on" in bad.json()
    response = client.post(f"{BASE}PYZ1/close/", {"closed_on": closed_on.isoformat()})
    assert response.status_code == 200, response.content
    assert (response.json()["is_active"], response.json()["closed_on"]) == (
        False,
        closed_on.isoformat(),
    )
    again = client.post(f"{BASE}PYZ1/close/", {}, format="json")
    assert again.status_code == 400 and again.json() == {"closed_on": ["该园区已撤销。"]}
    stale = client.post(f"{BASE}PYZ1/reopen/", {"version": 1}, format="json")
    assert stale.status_code == 409
    reopened = client.post(f"{BASE}PYZ1/reopen/", {}, format="json")
    assert reopened.status_code == 200 and reopened.json()["is_active"] is True
    park = IndustrialPark.objects.get(code="PYZ1")
    assert ParkState.objects.filter(park=park).count() == 2


def test_schema_documents_the_park_endpoints(db):
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        SchemaGenerator().get_schema(request=None, public=True)
    messages = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    assert [m for m in messages if "registry/api.py" in m] == []
    schema = json.loads(APIClient().get("/api/schema/", {"format": "json"}).content)
    paths = schema["paths"]
    assert set(paths["/api/v1/parks/{code}/"]) >= {"get", "patch"}
    assert set(paths["/api/v1/parks/{code}/close/"]) == {"post"}
    assert set(paths["/api/v1/parks/{code}/reopen/"]) == {"post"}
    assert set(paths["/api/v1/parks/{code}/history/"]) == {"get"}
    listed = {p["name"] for p in paths["/api/v1/parks/"]["get"]["parameters"]}
    assert {"q", "unit", "township", "active"} <= listed
