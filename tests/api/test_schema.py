"""The OpenAPI schema tells the truth: every $ref resolves, null is declared where the API
sends it, and the pagination parameters the schema forbids are refused."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return json.loads(
        json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)
    )


def test_every_ref_resolves(schema):
    refs = set(re.findall(r"#/components/schemas/(\w+)", json.dumps(schema)))
    assert refs - set(schema["components"]["schemas"]) == set()


@pytest.mark.parametrize(
    ("component", "field"),
    [
        ("OrgUnit", "successor"),
        ("OrgUnit", "parent"),
        ("Enterprise", "park"),
        ("Enterprise", "township"),
        ("TodoEnterprise", "township"),
        ("Target", "unit"),
    ],
)
def test_related_codes_on_nullable_keys_are_nullable(schema, component, field):
    assert schema["components"]["schemas"][component]["properties"][field]["nullable"] is True


def test_units_without_successor_answer_null_as_declared(city_admin, api_client):
    row = api_client(city_admin).get("/api/v1/units/?level=city").json()["results"][0]
    assert row["successor"] is None and row["parent"] is None


@pytest.mark.parametrize("size", ["0", "-1", "501", "abc", ""])
def test_a_page_size_outside_the_schema_is_refused(size, city_admin, api_client):
    response = api_client(city_admin).get("/api/v1/enterprises/", {"page_size": size})
    assert response.status_code == 400
    assert response.json() == {"page_size": ["每页条数应为 1 至 500 的整数。"]}


def test_a_page_size_inside_is_used(city_admin, api_client, catalog):
    response = api_client(city_admin).get("/api/v1/enterprises/", {"page_size": "2"})
    assert response.status_code == 200
    assert len(response.json()["results"]) == 2


def test_page_size_bounds_are_in_the_schema(schema):
    parameters = schema["paths"]["/api/v1/enterprises/"]["get"]["parameters"]
    page_size = next(p for p in parameters if p["name"] == "page_size")
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 500}


def test_an_empty_optional_filter_is_declared_as_no_filter(schema, city_admin, api_client):
    parameters = schema["paths"]["/api/v1/harmony-enrollments/"]["get"]["parameters"]
    scope = next(p for p in parameters if p["name"] == "scope")
    assert scope["allowEmptyValue"] is True
    page_size = next(p for p in parameters if p["name"] == "page_size")
    assert "allowEmptyValue" not in page_size
    assert api_client(city_admin).get("/api/v1/harmony-enrollments/?scope=").status_code == 200


@pytest.mark.parametrize("year", ["2025.0", "1e3", "99999999999999999999"])
def test_an_integer_filter_takes_integers_only(year, city_admin, api_client):
    response = api_client(city_admin).get("/api/v1/compliance-rating-runs/", {"year": year})
    assert response.status_code == 400
    assert list(response.json()) == ["year"]


@pytest.mark.parametrize("page", ["last", " 1", "0", "1.0", ""])
def test_a_page_number_outside_the_schema_is_refused(page, city_admin, api_client, catalog):
    response = api_client(city_admin).get("/api/v1/enterprises/", {"page": page})
    assert response.status_code == 400
    assert response.json() == {"page": ["页码应为正整数。"]}


def test_a_repeated_page_parameter_is_refused(city_admin, api_client, catalog):
    client = api_client(city_admin)
    assert client.get("/api/v1/enterprises/?page=1&page=2").status_code == 400
    assert client.get("/api/v1/enterprises/?page_size=1&page_size=2").status_code == 400
