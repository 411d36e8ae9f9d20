"""Township accounts in the registry: enterprises and construction projects of their own
township through the list, the detail page, the API and the export; acting on them, and on
nothing else."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import EnterpriseFactory, make_uscc, township_staff
from tests.township_checks import assert_reads_only
from yutong.core import roles
from yutong.registry import services
from yutong.registry.models import ConstructionProject

pytestmark = pytest.mark.django_db


@pytest.fixture
def firms(units, towns):
    return {
        "x": EnterpriseFactory(unit=units.yuzhong, township=towns.x, name="解放碑钟表有限公司"),
        "y": EnterpriseFactory(unit=units.yuzhong, township=towns.y, name="七星岗印刷有限公司"),
        "none": EnterpriseFactory(unit=units.yuzhong, name="渝中无镇街贸易有限公司"),
        "z": EnterpriseFactory(unit=units.shapingba, township=towns.z, name="小龙坎火锅有限公司"),
    }


@pytest.fixture
def x_staff(towns):
    return township_staff(towns.x, roles.DISTRICT_STAFF)


def test_a_township_account_reads_its_townships_enterprises(
    x_staff, firms, login_client, api_client
):
    inside = {firms["x"].name: firms["x"].uscc}
    outside = {firms[k].name: firms[k].uscc for k in ("y", "none", "z")}
    assert_reads_only(
        login_client(x_staff),
        api_client(x_staff),
        inside=inside,
        outside=outside,
        list_url="/registry/enterprises/",
        api_url="/api/v1/enterprises/",
        export_url="/registry/enterprises/export/",
        detail_url=lambda uscc: f"/registry/enterprises/{uscc}/",
        api_detail_url=lambda uscc: f"/api/v1/enterprises/{uscc}/",
    )


def test_the_district_keeps_all_its_townships(district_staff, firms, login_client, api_client):
    names = {firms[k].name: firms[k].uscc for k in ("x", "y", "none")}
    assert_reads_only(
        login_client(district_staff),
        api_client(district_staff),
        inside=names,
        outside={firms["z"].name: firms["z"].uscc},
        list_url="/registry/enterprises/",
        api_url="/api/v1/enterprises/",
        export_url="/registry/enterprises/export/",
    )


def test_a_township_account_edits_its_enterprises_and_no_other(x_staff, firms, towns, units):
    updated = services.update_enterprise(x_staff, firms["x"], employee_count=77)
    assert updated.employee_count == 77
    for key in ("y", "none", "z"):
        with pytest.raises(PermissionDenied):
            services.update_enterprise(x_staff, firms[key], employee_count=77)
    # Moving one of its enterprises out of the township would hand it away: refused.
    with pytest.raises(PermissionDenied):
        services.update_enterprise(x_staff, firms["x"], township=towns.y, correction=True)


def test_a_township_account_registers_enterprises_in_its_township_only(x_staff, towns, units):
    data = {"name": "解放碑新开有限公司", "industry": "C", "ownership": "private"}
    created = services.register_enterprise(
        x_staff,
        uscc=make_uscc("500103", 901),
        unit=units.yuzhong,
        township=towns.x,
        employee_count=5,
        **data,
    )
    assert created.township == towns.x
    with pytest.raises(PermissionDenied):
        services.register_enterprise(
            x_staff,
            uscc=make_uscc("500103", 902),
            unit=units.yuzhong,
            township=towns.y,
            employee_count=5,
            **data,
        )


def project(code, unit, township, owner, name):
    contractor = EnterpriseFactory(unit=unit, name=f"{name}总承包公司")
    return ConstructionProject.objects.create(
        code=code,
        name=name,
        unit=unit,
        township=township,
        owner=owner,
        general_contractor=contractor,
        contract_amount=Decimal("1000000"),
        starts_on=date(2026, 3, 1),
        status="under_construction",
    )


@pytest.fixture
def projects(units, towns, firms):
    return {
        "x": project("P-X-1", units.yuzhong, towns.x, firms["x"], "解放碑广场改造项目"),
        "y": project("P-Y-1", units.yuzhong, towns.y, firms["y"], "七星岗道路项目"),
        "z": project("P-Z-1", units.shapingba, towns.z, firms["z"], "小龙坎安置房项目"),
    }


def test_a_township_account_reads_its_townships_projects(towns, projects, login_client, api_client):
    user = township_staff(towns.x, roles.INSPECTOR)
    assert_reads_only(
        login_client(user),
        api_client(user),
        inside={projects["x"].name: projects["x"].pk},
        outside={projects[k].name: projects[k].pk for k in ("y", "z")},
        list_url="/registry/projects/",
        api_url="/api/v1/projects/",
        export_url="/registry/projects/export/",
        detail_url=lambda pk: f"/registry/projects/{pk}/",
        api_detail_url=lambda pk: f"/api/v1/projects/{pk}/",
    )
    services.update_project(user, projects["x"], labour_officer="王专管")
    with pytest.raises(PermissionDenied):
        services.update_project(user, projects["y"], labour_officer="王专管")


def test_a_township_account_registers_through_the_api_under_its_district(
    x_staff, towns, api_client
):
    client = api_client(x_staff)
    data = {
        "name": "解放碑接口登记有限公司",
        "unit": "500103",
        "township": towns.x.code,
        "industry": "C",
        "ownership": "private",
        "employee_count": 8,
    }
    created = client.post("/api/v1/enterprises/", data | {"uscc": make_uscc("500103", 903)})
    assert created.status_code == 201, created.content
    other = data | {"uscc": make_uscc("500103", 904), "township": towns.y.code}
    assert client.post("/api/v1/enterprises/", other).status_code == 400  # Y: not its township
    listed = client.get("/api/v1/enterprises/", {"unit": "500103"}).json()
    assert [row["name"] for row in listed["results"]] == ["解放碑接口登记有限公司"]
