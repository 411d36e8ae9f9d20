"""Harmony coverage split into enterprises and parks beside the combined figure: the indicator
value (engine, API, overview card, league table, drill-down) and the harmony coverage page and
API — each compared with records counted here independently. A park is counted as of a day
only if it was set up by then and not yet closed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import EnterpriseFactory, IndustrialParkFactory
from yutong.harmony import queries as harmony
from yutong.harmony.models import HarmonyEnrollment
from yutong.indicators import engine
from yutong.indicators.models import Indicator
from yutong.indicators.periods import Period
from yutong.registry import services as registry
from yutong.registry.models import Enterprise, IndustrialPark

pytestmark = pytest.mark.django_db

YEAR = Period(2025)
DAY = YEAR.end  # 2025-12-31


def _park(code, unit, founded, **kwargs):
    return IndustrialParkFactory(
        code=code, unit=unit, established_on=founded, state_since=founded, **kwargs
    )


def _enrol(unit, starts_on, **target):
    enrollment = HarmonyEnrollment(unit=unit, starts_on=starts_on, **target)
    enrollment.save()
    return enrollment


@pytest.fixture
def slice_2025(city_admin, yuzhong, shapingba):
    """渝中: 4 enterprises in scope (2 covered), 1 too small; parks: covered and operating, set up
    in 2026 (later), closed in 2025 (earlier), closed in 2026 (still open on the day), and one
    with no dates (since before the records). 沙坪坝: 1 enterprise, 1 covered park."""
    firms = [EnterpriseFactory(unit=yuzhong, employee_count=30) for _ in range(4)]
    EnterpriseFactory(unit=yuzhong, employee_count=0)
    EnterpriseFactory(unit=shapingba, employee_count=30)
    parks = {
        "covered": _park("PA", yuzhong, date(2015, 1, 1)),
        "later": _park("PB", yuzhong, date(2026, 1, 10)),
        "closed_before": _park("PC", yuzhong, date(2015, 1, 1)),
        "closed_after": _park("PD", yuzhong, date(2015, 1, 1)),
        "undated": IndustrialParkFactory(code="PE", unit=yuzhong),
        "spb": _park("PS", shapingba, date(2010, 5, 1)),
    }
    registry.close_park(city_admin, parks["closed_before"], closed_on=date(2025, 6, 30))
    registry.close_park(city_admin, parks["closed_after"], closed_on=date(2026, 2, 1))
    for firm in firms[:2]:
        _enrol(yuzhong, date(2025, 1, 1), scope="enterprise", enterprise=firm)
    for key in ("covered", "later", "closed_before", "spb"):
        _enrol(parks[key].unit, date(2025, 1, 1), scope="park", park=parks[key])
    return parks


def counted_here(unit, day):
    """The split counted independently: plain Python over every record, as the rule reads."""
    minimum = harmony.min_headcount(day)
    active = [e for e in HarmonyEnrollment.objects.all() if e.starts_on <= day]
    covered_firms = {e.enterprise_id for e in active if e.scope == "enterprise"}
    covered_parks = {e.park_id for e in active if e.scope == "park"}
    firms = [
        e
        for e in Enterprise.objects.filter(unit=unit)
        if e.status == "operating" and e.employee_count >= minimum
    ]
    parks = [
        p
        for p in IndustrialPark.objects.filter(unit=unit)
        if (p.established_on is None or p.established_on <= day)
        and (p.closed_on is None or p.closed_on > day)
        and (p.is_active or p.closed_on is not None)
    ]
    return (
        (sum(e.pk in covered_firms for e in firms), len(firms)),
        (sum(p.pk in covered_parks for p in parks), len(parks)),
    )


def _value(unit, **options):
    indicator = Indicator.objects.get(code="harmony_coverage")
    if options:
        indicator.options = (indicator.options or {}) | options
    (value,) = engine.compute(indicator, YEAR, [unit], today=timezone.localdate())
    return value


def test_the_indicator_value_comes_split_and_adds_up(slice_2025, yuzhong, shapingba, city):
    firms, parks = counted_here(yuzhong, DAY)
    assert firms == (2, 4)
    assert parks == (1, 3)  # covered, closed in 2026 and the undated one; not PB, not PC
    value = _value(yuzhong)
    split = [(p.label, p.numerator, p.denominator) for p in value.parts]
    assert split == [("企业", *firms), ("工业园区", *parks)]
    assert (value.numerator, value.denominator) == (3, 7)
    assert value.parts[0].value == Decimal("50.00") and value.parts[1].value == Decimal("33.33")
    # The city adds up both districts, part by part.
    spb_firms, spb_parks = counted_here(shapingba, DAY)
    whole = _value(city)
    assert [(p.numerator, p.denominator) for p in whole.parts] == [
        (firms[0] + spb_firms[0], firms[1] + spb_firms[1]),
        (parks[0] + spb_parks[0], parks[1] + spb_parks[1]),
    ]
    assert whole.numerator == sum(p.numerator for p in whole.parts)


def test_the_harmony_coverage_rows_agree(slice_2025, yuzhong):
    firms, parks = counted_here(yuzhong, DAY)
    row = {r.unit_code: r for r in harmony.coverage(DAY)}[yuzhong.code]
    assert ((row.enterprises_covered, row.enterprises), (row.parks_covered, row.parks)) == (
        firms,
        parks,
    )
    assert (row.enterprise_rate, row.park_rate, row.rate) == (
        Decimal("50.0"),
        Decimal("33.3"),
        Decimal("42.9"),
    )
    # Today the parks closed in 2025 and 2026 are out, the one set up in 2026 is in.
    today = {r.unit_code: r for r in harmony.coverage(timezone.localdate())}[yuzhong.code]
    assert (today.parks_covered, today.parks) == (2, 3)


def test_without_parks_there_is_no_split(slice_2025, yuzhong):
    value = _value(yuzhong, include_parks=False)
    assert value.parts == []
    assert (value.numerator, value.denominator) == counted_here(yuzhong, DAY)[0]


def test_the_pages_and_apis_show_the_split(
    slice_2025, yuzhong, district_staff, login_client, api_client
):
    client = login_client(district_staff)
    params = {"indicator": "harmony_coverage", "year": 2025, "unit": yuzhong.code}
    drill = client.get("/indicators/drill/", params).content.decode()
    assert 'data-testid="part-0"' in drill and "其中企业" in drill and "其中工业园区" in drill
    assert "2 / 4" in drill.split('data-testid="part-0"')[1].split("</div></div>")[0]
    assert "1 / 3" in drill.split('data-testid="part-1"')[1].split("</div></div>")[0]
    # The drill-down's park list holds the parks counted, linked to their pages.
    parks = client.get("/indicators/drill/", params | {"part": 1, "list": "denominator"})
    listed = parks.content.decode().split('data-testid="drill-table"')[1]
    assert {"PA", "PD", "PE"} == {code for code in ("PA", "PB", "PC", "PD", "PE") if code in listed}
    assert f'href="/registry/parks/{slice_2025["covered"].pk}/"' in listed
    card = client.get("/indicators/card/", params).content.decode()
    assert "企业 50.00%（2 / 4） · 工业园区 33.33%（1 / 3）" in card
    league = client.get("/indicators/league/", params).content.decode()
    assert "工业园区 1 / 3（33.33%）" in league
    values = api_client(district_staff).get("/api/v1/indicator-values/", params).json()
    parts = [row for row in values if row["unit"] == yuzhong.code][0]["parts"]
    assert parts == [
        {"label": "企业", "numerator": 2, "denominator": 4, "value": "50.00"},
        {"label": "工业园区", "numerator": 1, "denominator": 3, "value": "33.33"},
    ]
    page = client.get("/harmony/coverage/", {"as_of": DAY.isoformat()}).content.decode()
    table = page.split('data-testid="coverage-table"')[1].split("</table>")[0]
    assert "企业覆盖率" in table and "园区覆盖率" in table and "覆盖率（合计）" in table
    for cell in ("2 / 4", "50.0%", "1 / 3", "33.3%", "3 / 7", "42.9%"):
        assert cell in table
    rows = api_client(district_staff).get("/api/v1/harmony-coverage/", {"as_of": DAY}).json()
    assert (rows[0]["enterprise_rate"], rows[0]["park_rate"], rows[0]["rate"]) == (
        "50.0",
        "33.3",
        "42.9",
    )


def test_a_park_moved_between_districts_counts_where_it_was(city_admin, yuzhong, shapingba):
    park = _park("PM", yuzhong, date(2015, 1, 1))
    registry.update_park(city_admin, park, effective_on=date(2026, 3, 1), unit=shapingba)
    assert [(p.label, p.denominator) for p in _value(yuzhong).parts][1] == ("工业园区", 1)
    assert _value(shapingba).parts[1].denominator == 0  # in 2025 it was still 渝中区's
