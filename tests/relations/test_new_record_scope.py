"""New relations records are filed under a district the account may file under: a district's
union officer under its own district, a street's officer for its township only. Through the
service (403) and the API (400 on the field that names the place)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import township_staff
from tests.relations.conftest import PEOPLE, meeting
from yutong.core import roles
from yutong.relations.models import TripartiteMeeting

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/tripartite-meetings/"


@pytest.fixture
def x_officer(towns):
    return township_staff(towns.x, roles.UNION_OFFICER)


def payload(**overrides) -> dict:
    return {
        "level": "district",
        "unit": "500103",
        "held_on": "2025-05-20",
        "title": "协调劳动关系三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        "participants": PEOPLE,
    } | overrides


def test_a_street_records_meetings_of_its_township_only(x_officer, units, towns):
    own = meeting(x_officer, None, level="township", township=towns.x, held_on=date(2025, 5, 2))
    assert own.unit == units.yuzhong
    for unit, place in (
        (None, {"level": "township", "township": towns.z}),
        (units.shapingba, {"level": "district"}),
        (units.shapingba, {"level": "industry", "industry": "C"}),
        (units.yuzhong, {"level": "industry", "industry": "C"}),
    ):
        with pytest.raises(PermissionDenied):
            meeting(x_officer, unit, **place)
    assert TripartiteMeeting.objects.count() == 1


@pytest.mark.parametrize("who", ["district", "township"])
def test_the_api_refuses_another_districts_place_on_the_field(
    who, union_officer, x_officer, towns, api_client
):
    client = api_client(union_officer if who == "district" else x_officer)
    for overrides, field in (
        ({"unit": "500106"}, "unit"),
        ({"level": "industry", "industry": "C", "unit": "500106"}, "unit"),
        ({"level": "township", "unit": None, "township": towns.z.code}, "township"),
    ):
        response = client.post(MEETINGS, payload(**overrides), format="json")
        assert response.status_code == 400, response.content
        assert field in response.json()
    assert not TripartiteMeeting.objects.exists()


def test_a_streets_pickers_offer_only_its_township(x_officer, towns, api_client):
    # A district-wide or industry meeting names no township: a street files none, so its own
    # district is not offered (a field error, not a refusal after the fact).
    client = api_client(x_officer)
    for overrides in ({}, {"level": "industry", "industry": "C"}):
        response = client.post(MEETINGS, payload(**overrides), format="json")
        assert response.status_code == 400, response.content
        assert "unit" in response.json()
    own = payload(level="township", unit=None, township=towns.x.code)
    assert client.post(MEETINGS, own, format="json").status_code == 201
