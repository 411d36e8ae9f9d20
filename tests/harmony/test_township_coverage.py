"""Coverage for a township account: its township's row (enterprises placed there on the day,
its parks), through the query, the page and the API; nothing of other townships."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import EnterpriseFactory, IndustrialParkFactory, township_staff
from yutong.core import roles
from yutong.harmony import queries
from yutong.harmony.models import HarmonyEnrollment
from yutong.registry import services as registry
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

DAY = date(2025, 12, 31)


@pytest.fixture
def street(towns):
    return township_staff(towns.x, roles.DISTRICT_STAFF)


@pytest.fixture
def firms(units, towns):
    """解放碑街道 (x): 3 operating (one in its park) + 1 deregistered; 七星岗街道 (y): 2;
    小龙坎街道 (z): 1; 渝中区 without a township: 1. A park each in x and y."""
    park_x = IndustrialParkFactory(unit=units.yuzhong, township=towns.x, name="解放碑数字园")
    IndustrialParkFactory(unit=units.yuzhong, township=towns.y, name="七星岗创意园")
    make = EnterpriseFactory
    return {
        "x1": make(unit=units.yuzhong, township=towns.x),
        "x2": make(unit=units.yuzhong, township=towns.x),
        "xp": make(unit=units.yuzhong, township=towns.x, park=park_x),
        "xdead": make(unit=units.yuzhong, township=towns.x, status="deregistered"),
        "y1": make(unit=units.yuzhong, township=towns.y),
        "y2": make(unit=units.yuzhong, township=towns.y),
        "z1": make(unit=units.shapingba, township=towns.z),
        "none": make(unit=units.yuzhong),
        "park_x": park_x,
    }


def enrol(scope, unit, **target):
    enrollment = HarmonyEnrollment(scope=scope, unit=unit, starts_on=date(2025, 1, 1), **target)
    enrollment.save()
    return enrollment


def test_a_township_account_gets_its_townships_coverage_only(street, firms, towns, units):
    enrol("enterprise", units.yuzhong, enterprise=firms["x1"])
    enrol("park", units.yuzhong, park=firms["park_x"])
    enrol("region", units.yuzhong, township=towns.y)
    rows = queries.coverage_for(street, DAY)
    assert [(r.unit_code, r.unit_name) for r in rows] == [(towns.x.code, "解放碑街道")]
    row = rows[0]
    # x1 (own enrolment), xp (its park); x2 uncovered; the deregistered one out of scope
    assert (row.enterprises_covered, row.enterprises, row.parks_covered, row.parks) == (2, 3, 1, 1)
    assert row.district_id == units.yuzhong.pk


def test_the_district_keeps_its_district_row(district_staff, firms, units):
    rows = queries.coverage_for(district_staff, DAY)
    assert [(r.unit_code, r.enterprises, r.parks) for r in rows] == [(units.yuzhong.code, 6, 2)]


def test_the_township_is_read_as_it_was_on_the_day(street, firms, towns, city_admin):
    # x2 moved to 七星岗街道 on 2025-07-01: it counts for 解放碑 before that day only.
    firm = Enterprise.objects.get(pk=firms["x2"].pk)
    registry.update_enterprise(city_admin, firm, effective_on=date(2025, 7, 1), township=towns.y)
    assert queries.coverage_for(street, date(2025, 6, 30))[0].enterprises == 3
    assert queries.coverage_for(street, DAY)[0].enterprises == 2


def test_the_count_is_grouped_in_the_database(street, firms, towns, units, city_admin):
    firm = Enterprise.objects.get(pk=firms["x2"].pk)
    registry.update_enterprise(city_admin, firm, effective_on=date(2025, 7, 1), township=towns.y)

    def queries_run() -> int:
        with CaptureQueriesContext(connection) as captured:
            queries.coverage_for(street, date(2025, 6, 30))
        return len(captured)

    queries_run()  # the unit cache is filled on the first call
    few = queries_run()
    for _ in range(5):
        EnterpriseFactory(unit=units.yuzhong, township=towns.x)
    assert queries_run() == few


def test_the_page_and_the_api_show_the_townships_row(
    street, firms, towns, units, login_client, api_client
):
    enrol("enterprise", units.yuzhong, enterprise=firms["x1"])
    page = login_client(street).get("/harmony/coverage/", {"as_of": "2025-12-31"})
    assert page.status_code == 200
    table = page.content.decode().split('data-testid="coverage-table"')[1].split("</table>")[0]
    assert "解放碑街道" in table and "1 / 3" in table
    assert "七星岗街道" not in table and "渝中区" not in table
    # picking its district (the unit a township account files under) keeps the row
    filtered = login_client(street).get(
        "/harmony/coverage/", {"as_of": "2025-12-31", "unit": units.yuzhong.code}
    )
    assert "1 / 3" in filtered.content.decode()
    answer = api_client(street).get("/api/v1/harmony-coverage/", {"as_of": "2025-12-31"})
    assert answer.status_code == 200
    assert [(r["unit"], r["enterprises_covered"], r["enterprises"]) for r in answer.json()] == [
        (towns.x.code, 1, 3)
    ]
