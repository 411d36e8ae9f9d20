"""Every date the platform accepts lies in one range (core/dates.py), on pages and on the API."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from rest_framework import serializers

import yutong
from tests.factories import PHONE, make_uscc
from yutong.core import dates
from yutong.core.drf import DayField, MomentField
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

OUT_OF_RANGE = "日期应在 1950-01-01 至 2100-12-31 之间。"


def _payload(**overrides):
    return {
        "uscc": make_uscc("500103", 702),
        "name": "成立日期有限公司",
        "unit": "500103",
        "industry": "C",
        "ownership": "private",
        "employee_count": 66,
        "contact_phone": PHONE,
        **overrides,
    }


@pytest.mark.parametrize("day", ["0001-01-01", "1949-12-31", "2101-01-01", "9999-12-31"])
def test_api_refuses_a_founding_day_out_of_range(day, city_admin, api_client):
    data = _payload(established_on=day)
    response = api_client(city_admin).post("/api/v1/enterprises/", data, format="json")
    assert response.status_code == 400, response.content
    assert response.json() == {"established_on": [OUT_OF_RANGE]}
    assert not Enterprise.objects.filter(uscc=data["uscc"]).exists()


def test_api_accepts_the_bounds(city_admin, api_client):
    response = api_client(city_admin).post(
        "/api/v1/enterprises/", _payload(established_on="1950-01-01"), format="json"
    )
    assert response.status_code == 201, response.content


def test_api_refuses_an_effective_day_out_of_range(city_admin, api_client, catalog):
    response = api_client(city_admin).patch(
        f"/api/v1/enterprises/{catalog.A.uscc}/",
        {"employee_count": 16, "effective_on": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json() == {"effective_on": [OUT_OF_RANGE]}
    catalog.A.refresh_from_db()
    assert catalog.A.employee_count == 15


def test_units_on_query_is_bounded(city_admin, api_client):
    response = api_client(city_admin).get("/api/v1/units/?on=0001-01-01")
    assert response.status_code == 400
    assert response.json() == {"on": [OUT_OF_RANGE]}


def test_page_refuses_a_founding_day_out_of_range(district_staff, login_client, yuzhong):
    data = {
        "uscc": make_uscc(yuzhong.code, 502),
        "name": "表单成立日期有限公司",
        "unit": yuzhong.pk,
        "industry": "C",
        "ownership": "private",
        "employee_count": "88",
        "status": "operating",
        "established_on": "0001-01-01",
    }
    response = login_client(district_staff).post("/registry/enterprises/new/", data)
    assert response.status_code == 200
    assert OUT_OF_RANGE in response.content.decode()
    assert not Enterprise.objects.filter(uscc=data["uscc"]).exists()


# --- the mechanism covers every form and serializer -----------------------------------------


def _yutong_modules(suffix):
    for info in pkgutil.walk_packages(yutong.__path__, "yutong."):
        if info.name.endswith(suffix):
            yield importlib.import_module(info.name)


def _classes(suffix, base):
    for module in _yutong_modules(suffix):
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, base) and cls.__module__ == module.__name__:
                yield cls


def test_every_writable_api_date_is_bounded():
    unbounded = []
    for cls in _classes(".api", serializers.Serializer):
        try:
            fields = cls(context={"request": None}).fields
        except Exception:  # noqa: BLE001, S112 (a serializer that needs a live request)
            continue
        for name, field in fields.items():
            if field.read_only or not isinstance(
                field, serializers.DateField | serializers.DateTimeField
            ):
                continue
            if not isinstance(field, DayField | MomentField):
                unbounded.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert unbounded == []


def test_every_form_date_field_is_bounded():
    unbounded = []
    for cls in _classes(".forms", forms.BaseForm):
        for name, field in cls.base_fields.items():
            if not isinstance(field, forms.DateField | forms.DateTimeField):
                continue
            if dates.validate_day not in field.validators:
                unbounded.append(f"{cls.__module__}.{cls.__name__}.{name}")
    assert unbounded == []
