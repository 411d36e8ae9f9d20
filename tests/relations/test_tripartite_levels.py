"""Tripartite bodies at township and industry level (三方机制向园区、镇街和产业延伸, issue 12):
recorded through the service, the page and the API, filtered, and seen by the township whose
body it is and by no other township."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import township_staff
from yutong.core import roles
from yutong.relations import queries, services
from yutong.relations.models import TripartiteMeeting

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/tripartite-meetings/"
FOUR = ("hrss", "trade_union", "enterprise_confederation", "commerce_federation")
PEOPLE = [{"body": b, "name": f"{b}代表", "position": "科长"} for b in FOUR]


def record(actor, **overrides):
    data = {
        "held_on": date(2025, 5, 20),
        "title": "三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        "participants": PEOPLE,
    }
    data.update(overrides)
    return services.record_meeting(actor, **data)


def test_township_and_industry_meetings(union_officer, yuzhong, streets):
    town = record(union_officer, level="township", township=streets.jiefangbei)
    assert (town.unit, town.township, town.industry) == (yuzhong, streets.jiefangbei, "")
    assert town.place == "解放碑街道"
    trade = record(union_officer, level="industry", unit=yuzhong, industry="E")
    assert (trade.unit, trade.township, trade.industry) == (yuzhong, None, "E")
    assert trade.place == "渝中区 · 建筑业"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"level": "township"}, "township"),
        ({"level": "township", "township": "district"}, "township"),
        ({"level": "industry", "unit": "district"}, "industry"),
        ({"level": "industry", "industry": "C"}, "unit"),
        ({"level": "industry", "unit": "district", "industry": "Z"}, "industry"),
    ],
)
def test_bad_places_are_refused_and_nothing_written(
    union_officer, yuzhong, streets, overrides, field
):
    places = {"district": yuzhong}
    if "township" in overrides:
        overrides["township"] = places.get(overrides["township"])
    if "unit" in overrides:
        overrides["unit"] = places[overrides["unit"]]
    with pytest.raises(ValidationError) as excinfo:
        record(union_officer, **overrides)
    assert field in excinfo.value.message_dict
    assert not TripartiteMeeting.objects.exists()


def test_a_street_sees_its_own_township_body_only(union_officer, streets):
    own = record(union_officer, level="township", township=streets.jiefangbei)
    other = record(union_officer, level="township", township=streets.chaotianmen)
    street = township_staff(streets.jiefangbei, roles.UNION_OFFICER)
    assert set(queries.meetings_visible_to(street)) == {own}
    assert other in set(queries.meetings_visible_to(union_officer))
    # A street records its own body's meetings and no other street's.
    assert record(street, level="township", township=streets.jiefangbei).unit == own.unit
    with pytest.raises(PermissionDenied):
        record(street, level="township", township=streets.chaotianmen)


def test_api_records_and_filters_by_level_and_industry(api_client, union_officer, yuzhong, streets):
    client = api_client(union_officer)
    base = {
        "held_on": "2025-05-20",
        "title": "三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        "participants": PEOPLE,
    }
    town = client.post(
        MEETINGS, {**base, "level": "township", "township": streets.jiefangbei.code}, format="json"
    )
    assert town.status_code == 201, town.content
    assert (town.json()["township"], town.json()["unit"]) == (streets.jiefangbei.code, yuzhong.code)
    trade = client.post(
        MEETINGS,
        {**base, "level": "industry", "unit": yuzhong.code, "industry": "E"},
        format="json",
    )
    assert trade.status_code == 201, trade.content
    assert trade.json()["industry"] == "E"
    missing = client.post(
        MEETINGS, {**base, "level": "industry", "unit": yuzhong.code}, format="json"
    )
    assert missing.status_code == 400 and "industry" in missing.json()
    listed = client.get(MEETINGS, {"industry": "E"}).json()["results"]
    assert [m["id"] for m in listed] == [trade.json()["id"]]
    townships = client.get(MEETINGS, {"level": "township"}).json()["results"]
    assert [m["id"] for m in townships] == [town.json()["id"]]


def test_the_page_records_a_township_meeting_and_lists_it(login_client, union_officer, streets):
    client = login_client(union_officer)
    data = {
        "level": "township",
        "township": streets.jiefangbei.pk,
        "held_on": "2025-05-20",
        "title": "解放碑街道三方会议",
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        **{f"p_{b}_name": f"{b}代表" for b in FOUR},
    }
    response = client.post("/relations/tripartite/new/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = TripartiteMeeting.objects.get()
    assert meeting.township == streets.jiefangbei
    page = client.get("/relations/tripartite/?level=township").content.decode()
    assert "解放碑街道三方会议" in page and "解放碑街道</td>" in page
    bad = client.post("/relations/tripartite/new/", {**data, "township": ""})
    assert bad.status_code == 400 and "镇街三方会议请选择镇（街道）。" in bad.content.decode()
    assert TripartiteMeeting.objects.count() == 1
