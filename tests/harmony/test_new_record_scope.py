"""New enrolments are filed under a district the account may file under: a district's staff in
its own district, a street's for its township only. Through the service (403) and the API
(400 on the field that names the place)."""

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import township_staff
from yutong.core import roles
from yutong.harmony import services
from yutong.harmony.models import HarmonyEnrollment

pytestmark = pytest.mark.django_db

ENROL = "/api/v1/harmony-enrollments/"


@pytest.fixture
def street(towns):
    return township_staff(towns.x, roles.DISTRICT_STAFF, roles.UNION_OFFICER)


def test_staff_enrol_places_of_their_own_district_only(street, district_staff, units, towns):
    assert services.enrol(street, scope="region", township=towns.x, year=2026).unit == (
        units.yuzhong
    )
    for actor in (street, district_staff):
        for target in (
            {"scope": "region", "township": towns.z},
            {"scope": "industry", "unit": units.shapingba, "industry": "C"},
        ):
            with pytest.raises(PermissionDenied):
                services.enrol(actor, year=2026, **target)
    assert HarmonyEnrollment.objects.count() == 1


@pytest.mark.parametrize("who", ["district", "township"])
def test_the_api_refuses_another_districts_place_on_the_field(
    who, street, district_staff, towns, api_client
):
    client = api_client(district_staff if who == "district" else street)
    for data, field in (
        ({"scope": "industry", "industry": "C", "unit": "500106"}, "unit"),
        ({"scope": "region", "township": towns.z.code}, "township"),
    ):
        response = client.post(ENROL, data | {"year": 2026}, format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
    assert not HarmonyEnrollment.objects.exists()


def test_a_streets_pickers_offer_only_its_township(street, towns, units, api_client):
    client = api_client(street)
    industry = {"scope": "industry", "industry": "C", "unit": units.yuzhong.code, "year": 2026}
    response = client.post(ENROL, industry, format="json")
    assert response.status_code == 400 and "unit" in response.json()
    region = {"scope": "region", "township": towns.x.code, "year": 2026}
    assert client.post(ENROL, region, format="json").status_code == 201
