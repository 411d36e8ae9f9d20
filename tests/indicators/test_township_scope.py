"""Indicator values across units, and the drill-down for township accounts.

Decided: values (numerator, denominator, rate) of every unit are shared among staff on purpose
(the league table is a comparison between units, and a value holds no record and no personal
data). The records behind a value follow the data scope: a drill-down outside the reader's
units is a 404, and inside them it lists only the reader's records — for a township account,
its township's."""

import re

import pytest
from django.utils import timezone

from tests.factories import TownshipFactory, township_staff
from yutong.core import roles
from yutong.indicators import engine
from yutong.indicators.models import Indicator
from yutong.indicators.periods import Period

pytestmark = pytest.mark.django_db

VALUES = "/api/v1/indicator-values/"
LEAGUE = "/indicators/league/"
DRILL = "/indicators/drill/"
EXPORT = "/indicators/drill/export/"


def value_of(code, unit):
    indicator = Indicator.objects.get(code=code)
    (value,) = engine.compute(indicator, Period(2025), [unit], today=timezone.localdate())
    return value


@pytest.fixture
def street(year_2025):
    return township_staff(year_2025.township, roles.DISTRICT_STAFF, roles.MEDIATOR)


def test_any_staff_account_reads_the_values_of_other_units_by_design(
    year_2025, street, district_staff, api_client
):
    shapingba = value_of("arbitration_closure", year_2025.shapingba)
    for user in (district_staff, street):
        response = api_client(user).get(
            VALUES, {"indicator": "arbitration_closure", "unit": "500106", "year": 2025}
        )
        assert response.status_code == 200
        (row,) = response.json()
        assert row["unit"] == "500106"
        assert (row["numerator"], row["denominator"]) == (
            shapingba.numerator,
            shapingba.denominator,
        )


def test_the_league_table_compares_units_but_links_only_the_readers_records(
    year_2025, street, login_client
):
    page = login_client(street).get(LEAGUE, {"year": 2025, "indicator": "arbitration_closure"})
    page = page.content.decode()
    shapingba = value_of("arbitration_closure", year_2025.shapingba)
    row = page[page.index('data-unit="500106"') :]
    assert f"{shapingba.numerator} / {shapingba.denominator}" in row[: row.index("</tr>")]
    drills = re.findall(r'href="/indicators/drill/\?([^"]+)"', page)
    # The street reads no district's records, so no district row links to them.
    assert not any("unit=500106" in d or "unit=500103&" in d for d in drills)


@pytest.mark.parametrize("path", [DRILL, EXPORT])
def test_a_township_account_drills_into_its_township_only(year_2025, street, login_client, path):
    client = login_client(street)
    params = {"indicator": "mediation_success", "year": 2025}
    assert client.get(path, params | {"unit": "500103"}).status_code == 404
    assert client.get(path, params | {"unit": "500106"}).status_code == 404
    other = TownshipFactory(parent=year_2025.yuzhong, name="七星岗街道")
    assert client.get(path, params | {"unit": other.code}).status_code == 404
    assert client.get(path, params | {"unit": year_2025.township.code}).status_code in (200, 302)


def test_the_township_drill_down_lists_what_its_value_counted(year_2025, street, login_client):
    township = year_2025.township
    value = value_of("mediation_success", township)
    assert (value.numerator, value.denominator) == (1, 2)
    client = login_client(street)
    params = {"indicator": "mediation_success", "year": 2025, "unit": township.code}
    page = client.get(DRILL, params).content.decode()
    assert f"共 {value.numerator} 条" in page
    page = client.get(DRILL, params | {"list": "denominator"}).content.decode()
    assert f"共 {value.denominator} 条" in page
    # The district's own mediation (no street) stays with the district.
    district = client.get(DRILL, params | {"unit": "500103"})
    assert district.status_code == 404


def test_another_streets_account_reads_none_of_these_records(year_2025, login_client):
    other = TownshipFactory(parent=year_2025.yuzhong, name="七星岗街道")
    user = township_staff(other, roles.DISTRICT_STAFF, roles.MEDIATOR)
    params = {"indicator": "mediation_success", "year": 2025, "unit": other.code}
    page = login_client(user).get(DRILL, params | {"list": "denominator"}).content.decode()
    assert "共 0 条" in page
