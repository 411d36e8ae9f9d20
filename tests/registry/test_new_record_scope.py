"""A new enterprise or project is filed under a district the account may file under: a
street's account under its own district, a district's in its own district with its own
streets. Through the service (403) and the API (400 on the field)."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import make_uscc, township_staff
from yutong.core import roles
from yutong.registry import services
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def x_staff(towns):
    return township_staff(towns.x, roles.DISTRICT_STAFF)


def test_a_street_registers_under_its_own_district_only(x_staff, district_staff, units, towns):
    data = {"name": "解放碑新开有限公司", "industry": "C", "ownership": "private"}
    for actor, unit, township in (
        (x_staff, units.shapingba, towns.x),
        (district_staff, units.yuzhong, towns.z),
        (district_staff, units.shapingba, towns.z),
    ):
        with pytest.raises(PermissionDenied):
            services.register_enterprise(
                actor, uscc=make_uscc("500103", 801), unit=unit, township=township, **data
            )
    assert not Enterprise.objects.exists()


@pytest.mark.parametrize("who", ["district", "township"])
def test_the_api_refuses_another_districts_unit_on_the_field(
    who, x_staff, district_staff, towns, api_client
):
    client = api_client(district_staff if who == "district" else x_staff)
    data = {
        "uscc": make_uscc("500103", 802),
        "name": "接口登记有限公司",
        "industry": "C",
        "ownership": "private",
        "employee_count": 8,
    }
    for place, field in (
        ({"unit": "500106", "township": towns.x.code}, "unit"),
        ({"unit": "500103", "township": towns.z.code}, "township"),
        ({"unit": towns.x.code, "township": towns.x.code}, "unit"),
    ):
        response = client.post("/api/v1/enterprises/", data | place)
        assert response.status_code == 400, response.content
        assert field in response.json()
    assert not Enterprise.objects.exists()
