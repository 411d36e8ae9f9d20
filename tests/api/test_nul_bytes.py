"""A NUL byte anywhere in the input is refused with a 400, on pages and on the API.

PostgreSQL cannot hold NUL in text: before core refused it, each of these was a 500 there.
"""

import pytest
from rest_framework.test import APIClient

from tests.factories import PHONE, make_uscc
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

MESSAGE = "不能包含空字符（\\u0000）。"


def _api_refused(response, field):
    assert response.status_code == 400, response.content
    assert response.json() == {field: [MESSAGE]}


def _page_refused(response):
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求有误" in body
    assert MESSAGE in body
    assert "default-src 'self'" in response["Content-Security-Policy"]


# --- API -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/enterprises/%00/", "uscc"),
        ("/api/v1/enterprises/91500103%0000/history/", "uscc"),
        ("/api/v1/units/50%0003/", "code"),
        ("/api/v1/enterprises/?q=%00", "q"),
        ("/api/v1/enterprises/?township=a%00b", "township"),
        ("/api/v1/units/?parent=%00", "parent"),
    ],
)
def test_api_refuses_nul_in_path_and_query(url, field, city_admin, api_client, catalog):
    _api_refused(api_client(city_admin).get(url), field)


def test_api_refuses_nul_in_a_json_string_and_stores_nothing(city_admin, api_client):
    data = {
        "uscc": make_uscc("500103", 701),
        "name": "接口\u0000登记有限公司",
        "unit": "500103",
        "industry": "C",
        "ownership": "private",
        "employee_count": 66,
        "contact_phone": PHONE,
    }
    response = api_client(city_admin).post("/api/v1/enterprises/", data, format="json")
    _api_refused(response, "name")
    assert not Enterprise.objects.filter(uscc=data["uscc"]).exists()


def test_api_refuses_nul_in_a_nested_json_string(city_admin, api_client, catalog):
    response = api_client(city_admin).patch(
        f"/api/v1/enterprises/{catalog.A.uscc}/",
        {"address": {"street": "\u0000"}},
        format="json",
    )
    _api_refused(response, "address")


def test_api_refuses_nul_in_a_form_field(city_admin, api_client, catalog):
    response = api_client(city_admin).patch(
        f"/api/v1/enterprises/{catalog.A.uscc}/",
        "address=%E8%A7%A3%00",
        content_type="application/x-www-form-urlencoded",
    )
    _api_refused(response, "address")
    catalog.A.refresh_from_db()
    assert "\x00" not in catalog.A.address


def test_token_endpoint_refuses_nul_in_the_username(district_staff):
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "yz\u0000staff", "password": "x"}, format="json"
    )
    # The token view keeps DRF's own parsers; its CharField refuses NUL in its own words.
    assert response.status_code == 400
    assert list(response.json()) == ["username"]


# --- pages ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/registry/enterprises/%00/",
        "/registry/enterprises/%00/edit/",
        "/registry/enterprises/?q=%00",
        "/core/logins/?username=%00",
        "/core/users/?q=ab%00",
    ],
)
def test_pages_refuse_nul_with_a_chinese_message(url, city_admin, login_client):
    _page_refused(login_client(city_admin).get(url))


def test_page_form_refuses_nul_and_stores_nothing(district_staff, login_client, yuzhong):
    data = {
        "uscc": make_uscc(yuzhong.code, 501),
        "name": "表单\u0000登记有限公司",
        "unit": yuzhong.pk,
        "industry": "C",
        "ownership": "private",
        "employee_count": "88",
        "status": "operating",
    }
    response = login_client(district_staff).post("/registry/enterprises/new/", data)
    _page_refused(response)
    assert not Enterprise.objects.filter(uscc=data["uscc"]).exists()


def test_login_page_refuses_nul_in_the_username(district_staff):
    from django.test import Client

    _page_refused(Client().post("/login/", {"username": "yz\u0000staff", "password": "x"}))


def test_plain_input_still_passes(city_admin, api_client, login_client, catalog):
    assert api_client(city_admin).get("/api/v1/enterprises/?q=解放碑").status_code == 200
    assert login_client(city_admin).get("/registry/enterprises/?q=解放碑").status_code == 200
