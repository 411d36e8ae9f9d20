"""/api/v1/enterprises/ and /api/v1/units/ with real tokens: scope, validation, concurrency,
filters, and the OpenAPI schema."""

import json
import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from tests.factories import (
    PHONE,
    EnterpriseFactory,
    IndustrialParkFactory,
    TownshipFactory,
    make_uscc,
)
from yutong.core.models import AuditEntry
from yutong.registry import services
from yutong.registry.models import Enterprise, EnterpriseState

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
        "established_on",
        "state_since",
        "address",
        "legal_representative",
        "contact_phone_masked",
        "version",
        "created_at",
        "updated_at",
    }
    # effective_on and correction are write-only: they say how to apply a change.
    assert (first["established_on"], first["state_since"]) == (None, None)
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
        {"employee_count": 21, "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    assert response.json()["employee_count"] == 21
    stored = Enterprise.objects.get(pk=registered.pk)
    assert stored.employee_count == 21
    today = timezone.localdate().isoformat()
    assert response.json()["state_since"] == today
    assert AuditEntry.objects.get(action="update_enterprise").changes == {
        "employee_count": [12, 21],
        "state_since": [None, today],
        "effective_on": [None, today],
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


# --- founding day, change dates and history ------------------------------------------------


def test_create_with_a_founding_day(district_staff, api_client):
    response = api_client(district_staff).post(
        BASE, payload(established_on="2015-06-30", state_since="2000-01-01"), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    # state_since is read-only: the service sets it to the founding day.
    assert (body["established_on"], body["state_since"]) == ("2015-06-30", "2015-06-30")
    stored = Enterprise.objects.get()
    assert stored.state_since == date(2015, 6, 30)


@pytest.mark.parametrize(
    ("extra", "field"),
    [({"effective_on": "2020-01-01"}, "effective_on"), ({"correction": True}, "correction")],
)
def test_change_date_or_correction_on_create_is_400(district_staff, api_client, extra, field):
    response = api_client(district_staff).post(BASE, payload(**extra), format="json")
    assert response.status_code == 400
    assert response.json() == {field: ["仅在修改企业信息时使用。"]}
    assert not Enterprise.objects.exists()


def test_patch_with_a_past_change_date(district_staff, registered, api_client):
    response = api_client(district_staff).patch(
        one(registered),
        {"employee_count": 30, "status": "suspended", "effective_on": "2024-03-01"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["employee_count"], body["state_since"]) == (30, "2024-03-01")
    assert "effective_on" not in body and "correction" not in body
    past = EnterpriseState.objects.get(enterprise=registered)
    assert (past.valid_from, past.valid_until) == (None, date(2024, 3, 1))
    assert (past.employee_count, past.status) == (12, "operating")
    entry = AuditEntry.objects.get(action="update_enterprise")
    assert entry.changes["effective_on"] == [None, "2024-03-01"]


def test_patch_as_a_correction(district_staff, registered, api_client):
    response = api_client(district_staff).patch(
        one(registered),
        {"employee_count": 13, "effective_on": "2024-03-01", "correction": True},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state_since"] is None
    assert Enterprise.objects.get(pk=registered.pk).employee_count == 13
    assert not EnterpriseState.objects.exists()


def test_patch_with_bad_change_dates(district_staff, registered, api_client):
    client = api_client(district_staff)
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.patch(
        one(registered), {"employee_count": 30, "effective_on": tomorrow}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"effective_on": ["变更日期不能晚于今天。"]}
    response = client.patch(
        one(registered),
        {"employee_count": 30, "established_on": "2020-05-01", "effective_on": "2019-12-31"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"effective_on": ["变更日期不能早于成立日期。"]}
    response = client.patch(
        one(registered),
        {"employee_count": 30, "effective_on": "昨天", "correction": "maybe"},
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()) == {"effective_on", "correction"}
    stored = Enterprise.objects.get(pk=registered.pk)
    assert (stored.employee_count, stored.established_on, stored.version) == (12, None, 1)
    assert not EnterpriseState.objects.exists()


def test_patch_a_founding_day_after_the_first_change_is_400(district_staff, registered, api_client):
    client = api_client(district_staff)
    client.patch(
        one(registered), {"employee_count": 30, "effective_on": "2024-03-01"}, format="json"
    )
    response = client.patch(one(registered), {"established_on": "2024-03-01"}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "established_on": ["成立日期不能晚于已记录的登记事项变更日期（2024-03-01）。"]
    }
    response = client.patch(one(registered), {"established_on": "2011-11-11"}, format="json")
    assert response.status_code == 200
    assert EnterpriseState.objects.get().valid_from == date(2011, 11, 11)


def history(e):
    return f"{one(e)}history/"


@pytest.fixture
def changed(district_staff, yuzhong):
    """An enterprise of 渝中区 that moved township and park, then shrank."""
    street = TownshipFactory(parent=yuzhong, name="七星岗街道")
    park = IndustrialParkFactory(unit=yuzhong, code="P9001")
    enterprise = services.register_enterprise(
        district_staff,
        uscc=make_uscc("500103", 901),
        name="历史变更有限公司",
        unit=yuzhong,
        industry="C",
        ownership="private",
        employee_count=100,
        established_on=date(2010, 1, 1),
    )
    enterprise = services.update_enterprise(
        district_staff,
        enterprise,
        effective_on=date(2020, 1, 1),
        township=street,
        park=park,
        employee_count=80,
    )
    return services.update_enterprise(
        district_staff, enterprise, effective_on=date(2024, 6, 1), employee_count=60
    )


def test_history_lists_past_states_newest_first(district_staff, changed, api_client):
    response = api_client(district_staff).get(history(changed))
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["count"], data["next"]) == (2, None)
    rows = data["results"]
    assert [(r["valid_from"], r["valid_until"], r["employee_count"]) for r in rows] == [
        ("2020-01-01", "2024-06-01", 80),
        ("2010-01-01", "2020-01-01", 100),
    ]
    street = changed.township.code
    assert rows[0] == {
        "valid_from": "2020-01-01",
        "valid_until": "2024-06-01",
        "unit": "500103",
        "township": street,
        "park": "P9001",
        "industry": "C",
        "status": "operating",
        "employee_count": 80,
        "recorded_at": rows[0]["recorded_at"],
    }
    assert (rows[1]["township"], rows[1]["park"]) == (None, None)
    page = api_client(district_staff).get(history(changed), {"page_size": 1}).json()
    assert [r["employee_count"] for r in page["results"]] == [80]
    assert page["next"].endswith("page=2&page_size=1")


def test_history_is_empty_for_an_unchanged_enterprise(district_staff, registered, api_client):
    data = api_client(district_staff).get(history(registered)).json()
    assert (data["count"], data["results"]) == (0, [])


def test_history_outside_scope_is_404(
    shapingba_staff, enterprise_user, mediator, changed, api_client
):
    assert api_client(shapingba_staff).get(history(changed)).status_code == 404
    assert api_client(enterprise_user).get(history(changed)).status_code == 404
    assert api_client(mediator).get(history(changed)).status_code == 200


def test_district_staff_cannot_change_another_districts_history(
    shapingba_staff, changed, api_client
):
    response = api_client(shapingba_staff).patch(
        one(changed),
        {"employee_count": 1, "effective_on": "2025-01-01", "correction": True},
        format="json",
    )
    assert response.status_code == 404
    assert Enterprise.objects.get(pk=changed.pk).employee_count == 60
    assert EnterpriseState.objects.filter(enterprise=changed).count() == 2


def test_enterprise_user_reads_its_own_history(enterprise_user, own_enterprise, api_client):
    EnterpriseState.objects.create(
        enterprise=own_enterprise,
        valid_until=date(2024, 1, 1),
        unit=own_enterprise.unit,
        industry="C",
        status="operating",
        employee_count=7,
    )
    other = EnterpriseFactory(unit=own_enterprise.unit)
    client = api_client(enterprise_user)
    data = client.get(history(own_enterprise)).json()
    assert [r["employee_count"] for r in data["results"]] == [7]
    assert client.get(history(other)).status_code == 404


def test_history_is_read_only(district_staff, changed, api_client):
    client = api_client(district_staff)
    assert client.post(history(changed), {}, format="json").status_code == 405
    assert client.patch(history(changed), {}, format="json").status_code == 405


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
    assert set(schema["paths"]["/api/v1/enterprises/{uscc}/history/"]) == {"get"}
    components = schema["components"]["schemas"]
    assert "state_since" in components["Enterprise"]["properties"]
    assert "effective_on" not in components["Enterprise"]["properties"]
    patch = components["PatchedEnterpriseRequest"]["properties"]
    assert {"established_on", "effective_on", "correction"} <= set(patch)
    assert "state_since" not in patch
    assert "/api/v1/auth/token/" in schema["paths"]
    listed = {p["name"] for p in schema["paths"]["/api/v1/enterprises/"]["get"]["parameters"]}
    assert {"q", "unit", "unit_basis", "industry", "size", "status", "union"} <= listed


def test_schema_has_no_warnings_for_the_enterprise_endpoints(db):
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    messages = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    # A state's status shares the enterprise's choice set: as an enum it would collide.
    assert [m for m in messages if "registry/api.py" in m or "status" in m] == []
    components = schema["components"]["schemas"]
    used = set()
    for name in ("Enterprise", "EnterpriseState", "PatchedEnterpriseRequest"):
        used |= set(re.findall(r"#/components/schemas/(\w+)", json.dumps(components[name])))
    assert not [name for name in used if re.search(r"[0-9a-f]{3}Enum$", name)]


def test_openapi_schema_default_format(db):
    response = APIClient().get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/enterprises/:" in response.content


def test_api_docs_page(db):
    response = APIClient().get("/api/docs/")
    assert response.status_code == 200
    assert "default-src 'self'" in response["Content-Security-Policy"]
