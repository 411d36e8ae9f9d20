"""A new complaint or case is filed under a district the account may file under: a township
inspector under its township's district only, a district inspector under its own district.
Through the service (403) and the API (400 on ``unit``)."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import EnterpriseFactory, township_staff
from tests.inspection.conftest import complaint_data, working_days_ago
from yutong.core import roles
from yutong.inspection import services
from yutong.inspection.models import Complaint, InspectionCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def x_inspector(towns):
    return township_staff(towns.x, roles.INSPECTOR)


@pytest.fixture
def x_firm(units, towns):
    return EnterpriseFactory(unit=units.yuzhong, township=towns.x, name="解放碑劳务有限公司")


def complain(actor, unit, employer):
    return services.register_complaint(
        actor,
        unit=unit,
        channel="visit",
        received_on=working_days_ago(0),
        employer=employer,
        **complaint_data(employer_name=employer.name),
    )


def test_a_township_inspector_files_under_its_own_district_only(x_inspector, x_firm, units):
    assert complain(x_inspector, units.yuzhong, x_firm).unit == units.yuzhong
    with pytest.raises(PermissionDenied):
        complain(x_inspector, units.shapingba, x_firm)
    with pytest.raises(PermissionDenied):
        services.open_inspection(
            x_inspector,
            unit=units.shapingba,
            origin="patrol",
            opened_on=working_days_ago(0),
            employer=x_firm,
            matter="巡视发现未按月支付工资。",
            violation_types=["wages"],
        )
    assert Complaint.objects.filter(unit=units.shapingba).count() == 0
    assert InspectionCase.objects.filter(unit=units.shapingba).count() == 0


@pytest.mark.parametrize("who", ["district", "township"])
def test_the_api_refuses_another_districts_unit_on_the_field(
    who, inspector, x_inspector, x_firm, towns, api_client
):
    client = api_client(inspector if who == "district" else x_inspector)
    data = {"channel": "visit", "received_on": working_days_ago(0).isoformat()}
    data |= complaint_data(employer_name=x_firm.name, employer_uscc=x_firm.uscc)
    for unit in ("500106", towns.z.code, towns.x.code):
        response = client.post("/api/v1/complaints/", data | {"unit": unit}, format="json")
        assert response.status_code == 400, response.content
        assert "unit" in response.json()
    case = {
        "unit": "500106",
        "origin": "patrol",
        "opened_on": working_days_ago(0).isoformat(),
        "employer_name": x_firm.name,
        "matter": "巡视发现未按月支付工资。",
        "violation_types": ["wages"],
    }
    response = client.post("/api/v1/inspection-cases/", case, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    assert not Complaint.objects.exists() and not InspectionCase.objects.exists()
    ok = client.post("/api/v1/complaints/", data | {"unit": "500103"}, format="json")
    assert ok.status_code == 201, ok.content
