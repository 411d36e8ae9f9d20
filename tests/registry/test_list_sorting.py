"""The park and project lists on the core table mechanism: sorted both ways, exports in the
page's order, another district's records never listed."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import load_workbook

from tests.factories import EnterpriseFactory, IndustrialParkFactory
from yutong.registry.models import ConstructionProject

pytestmark = pytest.mark.django_db


def names(response, key="name"):
    assert response.status_code == 200
    return [getattr(row, key) for row in response.context["object_list"]]


def sheet_column(response, column):
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(b"".join(response.streaming_content))).active.values)
    return [row[column] for row in rows[1:]]


def test_parks_by_founding_day(yuzhong, shapingba, district_staff, login_client):
    IndustrialParkFactory(name="乙园", unit=yuzhong, established_on=date(2010, 1, 1))
    IndustrialParkFactory(name="甲园", unit=yuzhong, established_on=date(2020, 1, 1))
    IndustrialParkFactory(name="丙园", unit=yuzhong, established_on=None)
    IndustrialParkFactory(name="沙园", unit=shapingba, established_on=date(2024, 1, 1))
    client = login_client(district_staff)
    assert names(client.get("/registry/parks/", {"sort": "-established_on"})) == [
        "甲园",
        "乙园",
        "丙园",
    ]
    assert names(client.get("/registry/parks/", {"sort": "established_on"})) == [
        "乙园",
        "甲园",
        "丙园",
    ]
    exported = sheet_column(client.get("/registry/parks/export/", {"sort": "-established_on"}), 1)
    assert exported == ["甲园", "乙园", "丙园"]


def _project(unit, name, amount, starts_on):
    firm = EnterpriseFactory(unit=unit, name=f"{name}公司")
    return ConstructionProject.objects.create(
        code=f"C-{name}",
        name=name,
        unit=unit,
        owner=firm,
        general_contractor=firm,
        contract_amount=Decimal(amount),
        starts_on=starts_on,
        status="under_construction",
    )


def test_projects_by_amount_and_start_day(yuzhong, shapingba, district_staff, login_client):
    _project(yuzhong, "小项目", "1000", date(2026, 5, 1))
    _project(yuzhong, "大项目", "9000000", date(2025, 1, 1))
    _project(yuzhong, "中项目", "50000", None)
    _project(shapingba, "沙项目", "99999999", date(2026, 9, 1))
    client = login_client(district_staff)
    listed = names(client.get("/registry/projects/", {"sort": "-contract_amount"}))
    assert listed == ["大项目", "中项目", "小项目"]
    listed = names(client.get("/registry/projects/", {"sort": "contract_amount"}))
    assert listed == ["小项目", "中项目", "大项目"]
    listed = names(client.get("/registry/projects/", {"sort": "-starts_on"}))
    assert listed == ["小项目", "大项目", "中项目"]
    exported = sheet_column(client.get("/registry/projects/export/", {"sort": "-starts_on"}), 1)
    assert exported == ["小项目", "大项目", "中项目"]
    default = names(client.get("/registry/projects/"))
    assert names(client.get("/registry/projects/", {"sort": "owner__contact_phone"})) == default
