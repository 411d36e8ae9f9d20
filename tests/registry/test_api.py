"""/api/v1/enterprises/ and /api/v1/units/ with real tokens: scope, validation, concurrency,
filters, and the OpenAPI schema."""

import json

import pytest
from rest_framework.test import APIClient

from tests.factories import PHONE, TownshipFactory, make_uscc
from yutong.core.models import AuditEntry
from yutong.registry import services
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

BASE = "/api/v1/enterprises/"
CONFLICT = "该企业信息已被他人修改，请刷新页面查看最新内容后再保存。"


def one(e):
    return f"{BASE}{e.uscc}/"


def names(response):
    assert response.status_code == 200, response.content
    return {row["name"] for row in response.json()["results"]}


def payload(unit_code="500103", **overrides):
    data = {
        "uscc": make_uscc(unit_code, 701),
        "name": "接口登记有限公司",
        "unit": unit_code,
        "industry": "C",
        "ownership": "private",
        "employee_count": 66,
        "contact_phone": PHONE,
    }
    data.update(overrides)
    return data


# --- authentication ------------------------------------------------------------------------


def test_anonymous_requests_are_refused(catalog):
    response = APIClient().get(BASE)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_bad_token_is_refused(catalog):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token " + "0" * 40)
    assert client.get(BASE).status_code == 401


# --- scope ---------------------------------------------------------------------------------


def test_list_shape_and_masked_phone(district_staff, catalog, api_client):
    response = api_client(district_staff).get(BASE)
    data = response.json()
    assert data["count"] == 2
    assert data["next"] is None
    first = data["results"][0]
    assert set(first) == {
        "uscc",
        "name",
        "unit",
        "township",
        "park",
        "industry",
        "ownership",
        "employee_count",
        "status",
        "union_established",
        "address",
        "legal_representative",
        "contact_phone_masked",
        "version",
        "created_at",
        "updated_at",
    }
    assert first["contact_phone_masked"] == "138****5678"
    assert PHONE not in response.content.decode()


def test_district_staff_cannot_list_read_or_edit_other_districts(
    district_staff, catalog, api_client
):
    client = api_client(district_staff)
    assert names(client.get(BASE)) == {catalog.A.name, catalog.B.name}
    assert client.get(one(catalog.A)).status_code == 200
    assert client.get(one(catalog.C)).status_code == 404
    response = client.patch(one(catalog.C), {"employee_count": 1}, format="json")
    assert response.status_code == 404
    assert Enterprise.objects.get(pk=catalog.C.pk).employee_count == 1200
    assert names(client.get(BASE, {"q": catalog.C.uscc})) == set()


def test_successor_district_reads_merged_districts(liangjiang_staff, catalog, api_client):
    client = api_client(liangjiang_staff)
    assert names(client.get(BASE)) == {catalog.D.name, catalog.E.name, catalog.F.name}
    response = client.get(one(catalog.D))
    assert response.status_code == 200
    assert response.json()["unit"] == "500105"
    assert client.get(one(catalog.A)).status_code == 404


def test_city_admin_reads_all(city_admin, catalog, api_client):
    assert api_client(city_admin).get(BASE).json()["count"] == 6


def test_enterprise_user_reads_only_its_own(enterprise_user, own_enterprise, catalog, api_client):
    client = api_client(enterprise_user)
    response = client.get(BASE)
    assert response.json()["count"] == 1
    assert names(response) == {own_enterprise.name}
    assert client.get(one(own_enterprise)).status_code == 200
    assert client.get(one(catalog.A)).status_code == 404
    response = client.patch(one(own_enterprise), {"employee_count": 1}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有登记或修改企业的权限。"}


# --- create --------------------------------------------------------------------------------


def test_create(district_staff, api_client):
    response = api_client(district_staff).post(BASE, payload(), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["uscc"] == make_uscc("500103", 701)
    assert body["unit"] == "500103"
    assert body["version"] == 1
    assert body["contact_phone_masked"] == "138****5678"
    assert "contact_phone" not in body
    enterprise = Enterprise.objects.get()
    assert enterprise.contact_phone == PHONE
    entry = AuditEntry.objects.get(action="register_enterprise")
    assert entry.actor == district_staff
    assert entry.changes["contact_phone"] == [None, "138****5678"]


def test_create_with_bad_input_gives_per_field_errors(district_staff, api_client):
    response = api_client(district_staff).post(
        BASE,
        payload(industry="Z", employee_count="很多", unit="999999", name=""),
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"industry", "employee_count", "unit", "name"}
    assert not Enterprise.objects.exists()


def test_create_with_invalid_uscc(district_staff, api_client):
    response = api_client(district_staff).post(
        BASE, payload(uscc="91500103MA5U7AB12Z"), format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"uscc": ["统一社会信用代码无效：应为 18 位，且校验位正确。"]}
    assert not Enterprise.objects.exists()


def test_create_with_invalid_phone(district_staff, api_client):
    response = api_client(district_staff).post(BASE, payload(contact_phone="12345"), format="json")
    assert response.status_code == 400
    assert response.json() == {
        "contact_phone": ["联系电话格式不正确：手机号为 11 位，固定电话如 023-12345678。"]
    }


def test_create_duplicate_uscc(district_staff, catalog, api_client):
    response = api_client(district_staff).post(BASE, payload(uscc=catalog.C.uscc), format="json")
    assert response.status_code == 400
    assert response.json() == {"uscc": ["该统一社会信用代码已登记。"]}
    assert Enterprise.objects.count() == 6
    assert not AuditEntry.objects.exists()


def test_create_in_an_ended_unit_or_outside_scope(city_admin, district_staff, api_client):
    response = api_client(city_admin).post(
        BASE, payload("500105", uscc=make_uscc("500105", 1)), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}
    response = api_client(district_staff).post(
        BASE, payload("500106", uscc=make_uscc("500106", 1)), format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}
    assert not Enterprise.objects.exists()


def test_create_with_a_township_of_another_unit(city_admin, shapingba, api_client):
    other = TownshipFactory(parent=shapingba, name="小龙坎街道")
    response = api_client(city_admin).post(BASE, payload(township=other.code), format="json")
    assert response.status_code == 400
    assert response.json() == {"township": ["小龙坎街道不属于渝中区。"]}
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("fixture", ["mediator", "auditor", "enterprise_user"])
def test_create_is_forbidden_to_non_editors(request, fixture, api_client):
    response = api_client(request.getfixturevalue(fixture)).post(BASE, payload(), format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有登记或修改企业的权限。"}
    assert not Enterprise.objects.filter(name="接口登记有限公司").exists()


# --- update --------------------------------------------------------------------------------


@pytest.fixture
def registered(district_staff, yuzhong):
    return services.register_enterprise(
        district_staff,
        uscc=make_uscc("500103", 801),
        name="解放碑书店有限公司",
        unit=yuzhong,
        industry="F",
        ownership="private",
        employee_count=12,
        contact_phone=PHONE,
    )


def test_patch_by_uscc(district_staff, registered, api_client):
    response = api_client(district_staff).patch(
        one(registered),
        {"employee_count": 21, "union_established": True, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["employee_count"] == 21
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.employee_count, stored.union_established) == (21, True)
    assert AuditEntry.objects.get(action="update_enterprise").changes == {
        "employee_count": [12, 21],
        "union_established": [False, True],
    }


def test_patch_with_a_stale_version_is_a_conflict(
    district_staff, city_admin, registered, api_client
):
    services.update_enterprise(city_admin, registered, expected_version=1, employee_count=13)
    response = api_client(district_staff).patch(
        one(registered), {"employee_count": 99, "version": 1}, format="json"
    )
    assert response.status_code == 409
    assert response.json() == {"detail": CONFLICT}
    assert Enterprise.objects.get(pk=registered.pk).employee_count == 13


def test_patch_cannot_change_the_uscc(district_staff, registered, api_client):
    response = api_client(district_staff).patch(
        one(registered), {"uscc": make_uscc("500103", 802)}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"uscc": ["统一社会信用代码不能修改。"]}
    assert Enterprise.objects.filter(uscc=registered.uscc).exists()


def test_patch_with_bad_values(district_staff, registered, api_client):
    response = api_client(district_staff).patch(
        one(registered), {"employee_count": -1, "status": "bankrupt"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"employee_count", "status"}
    assert Enterprise.objects.get(pk=registered.pk).employee_count == 12


def test_put_and_delete_are_not_offered(district_staff, registered, api_client):
    client = api_client(district_staff)
    assert client.put(one(registered), payload(), format="json").status_code == 405
    assert client.delete(one(registered)).status_code == 405
    assert Enterprise.objects.filter(pk=registered.pk).exists()


# --- filters -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"unit": "500103"}, {"A", "B"}),
        ({"unit": "500157"}, {"E"}),
        ({"unit": "500157", "unit_basis": "current"}, {"D", "E", "F"}),
        ({"unit": "500105", "unit_basis": "recorded"}, {"D"}),
        ({"industry": "G"}, {"B", "F"}),
        ({"size": "20_99"}, {"D", "F"}),
        ({"size": "1000plus"}, {"C"}),
        ({"status": "operating"}, {"A", "C", "E", "F"}),
        ({"union": "no"}, {"B", "D", "F"}),
        ({"q": "精密"}, {"A"}),
        ({"q": "91500106"}, {"C"}),
    ],
)
def test_filters(city_admin, catalog, api_client, params, expected):
    response = api_client(city_admin).get(BASE, params)
    assert names(response) == {getattr(catalog, key).name for key in expected}


def test_search_by_exact_uscc(city_admin, catalog, api_client):
    assert names(api_client(city_admin).get(BASE, {"q": catalog.E.uscc})) == {catalog.E.name}


@pytest.mark.parametrize(
    "params",
    [
        {"industry": "Z"},
        {"size": "huge"},
        {"status": "closed"},
        {"union": "maybe"},
        {"unit_basis": "tomorrow"},
        {"unit": "999999"},
    ],
)
def test_invalid_filter_values_are_400(city_admin, catalog, api_client, params):
    response = api_client(city_admin).get(BASE, params)
    assert response.status_code == 400
    assert set(response.json()) == set(params)


def test_filter_by_a_unit_outside_scope_is_400(district_staff, catalog, api_client):
    response = api_client(district_staff).get(BASE, {"unit": "500106"})
    assert response.status_code == 400
    assert set(response.json()) == {"unit"}


def test_pagination(city_admin, catalog, api_client):
    data = api_client(city_admin).get(BASE, {"page_size": 4}).json()
    assert data["count"] == 6
    assert len(data["results"]) == 4
    assert data["next"].endswith("page=2&page_size=4")


# --- units ---------------------------------------------------------------------------------


def test_units_in_scope(district_staff, city_admin, yuzhong, api_client):
    street = TownshipFactory(parent=yuzhong)
    data = api_client(district_staff).get("/api/v1/units/").json()
    assert [row["code"] for row in data["results"]] == ["500103", street.code]
    assert api_client(district_staff).get("/api/v1/units/500106/").status_code == 404

    client = api_client(city_admin)
    assert client.get("/api/v1/units/", {"level": "district"}).json()["count"] == 41
    in_force = client.get("/api/v1/units/", {"level": "district", "on": "2026-01-01"}).json()
    assert in_force["count"] == 39
    before = client.get("/api/v1/units/", {"level": "district", "on": "2025-11-05"}).json()
    assert before["count"] == 41
    children = client.get("/api/v1/units/", {"parent": "500103"}).json()
    assert [row["code"] for row in children["results"]] == [street.code]
    jiangbei = client.get("/api/v1/units/500105/").json()
    assert jiangbei == {
        "code": "500105",
        "name": "江北区",
        "level": "district",
        "kind": "district",
        "parent": "500000",
        "valid_from": None,
        "valid_to": "2025-11-05",
        "successor": "500157",
        "current": "500157",
    }
    response = client.get("/api/v1/units/", {"on": "yesterday"})
    assert response.status_code == 400
    assert set(response.json()) == {"on"}


# --- schema --------------------------------------------------------------------------------


def test_openapi_schema_lists_the_enterprise_endpoints(db):
    response = APIClient().get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "yutong API"
    assert "/api/v1/enterprises/" in schema["paths"]
    assert "/api/v1/enterprises/{uscc}/" in schema["paths"]
    assert set(schema["paths"]["/api/v1/enterprises/{uscc}/"]) >= {"get", "patch"}
    assert "put" not in schema["paths"]["/api/v1/enterprises/{uscc}/"]
    assert "/api/v1/auth/token/" in schema["paths"]
    listed = {p["name"] for p in schema["paths"]["/api/v1/enterprises/"]["get"]["parameters"]}
    assert {"q", "unit", "unit_basis", "industry", "size", "status", "union"} <= listed


def test_openapi_schema_default_format(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/enterprises/:" in response.content


def test_api_docs_page(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    assert "Content-Security-Policy" not in response
