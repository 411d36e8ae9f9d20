"""``queries.coverage`` on hand-built cases: individual, regional, park and industry enrolments,
withdrawals, deregistered and suspended enterprises, the minimum headcount, merged units."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import EnterpriseFactory, IndustrialParkFactory
from yutong.core import services as core_services
from yutong.harmony import queries, services
from yutong.harmony.models import HarmonyEnrollment

Y2025 = date(2025, 12, 31)


def enrol(scope, unit, starts_on, ends_on=None, **target):
    """An enrolment written straight to the table (set-up data, not the service under test)."""
    enrollment = HarmonyEnrollment(
        scope=scope, unit=unit, starts_on=starts_on, ends_on=ends_on, **target
    )
    enrollment.covered_until = ends_on
    enrollment.save()
    return enrollment


def by_code(rows):
    return {row.unit_code: row for row in rows}


@pytest.fixture
def city_slice(yuzhong, shapingba, street_a, street_b, park):
    """渝中: 6 operating enterprises (2 in 解放碑街道, 1 in the park, 2 制造业 elsewhere, 1 more),
    1 deregistered and 1 suspended in 解放碑街道; 沙坪坝: 2 enterprises. One park each."""
    make = EnterpriseFactory
    rows = {
        "a1": make(unit=yuzhong, township=street_a, industry="F"),
        "a2": make(unit=yuzhong, township=street_a, industry="F"),
        "dead": make(unit=yuzhong, township=street_a, status="deregistered"),
        "idle": make(unit=yuzhong, township=street_a, status="suspended"),
        "p1": make(unit=yuzhong, township=street_b, park=park, industry="I"),
        "c1": make(unit=yuzhong, township=street_b, industry="C"),
        "c2": make(unit=yuzhong, industry="C", employee_count=3),
        "x": make(unit=yuzhong, township=street_b, industry="H"),
        "s1": make(unit=shapingba, industry="C"),
        "s2": make(unit=shapingba, industry="C"),
    }
    rows["spb_park"] = IndustrialParkFactory(unit=shapingba, name="沙坪坝物流园")
    return rows


def test_nothing_enrolled_counts_the_scope_only(city_slice, yuzhong, shapingba):
    rows = by_code(queries.coverage(Y2025))
    yz = rows[yuzhong.code]
    # 6 operating enterprises (the deregistered and suspended are out of scope) + 1 park
    assert (yz.enterprises, yz.parks, yz.numerator, yz.denominator) == (6, 1, 0, 7)
    assert rows[shapingba.code].denominator == 3
    assert yz.rate == Decimal("0.0")


def test_regional_park_industry_and_individual_enrolments(
    city_slice, yuzhong, shapingba, street_a, park
):
    s = city_slice
    enrol("region", yuzhong, date(2025, 1, 1), date(2025, 12, 31), township=street_a)
    enrol("park", yuzhong, date(2025, 3, 1), park=park)
    enrol("industry", yuzhong, date(2025, 1, 1), date(2025, 12, 31), industry="C")
    enrol("enterprise", yuzhong, date(2025, 6, 1), date(2025, 12, 31), enterprise=s["x"])
    # the individual enrolment of an enterprise already covered by its region counts once
    enrol("enterprise", yuzhong, date(2025, 1, 1), date(2025, 12, 31), enterprise=s["a1"])
    yz = by_code(queries.coverage(Y2025))[yuzhong.code]
    # a1, a2 (region), p1 (park), c1, c2 (industry), x (own): all 6; the park itself too
    assert (yz.enterprises_covered, yz.parks_covered) == (6, 1)
    assert (yz.numerator, yz.denominator, yz.rate) == (7, 7, Decimal("100.0"))
    # an industry enrolment of 渝中 does not reach 沙坪坝's manufacturers
    assert by_code(queries.coverage(Y2025))[shapingba.code].numerator == 0


def test_coverage_is_as_of_the_day(city_slice, yuzhong, street_a, park):
    enrol("region", yuzhong, date(2025, 1, 1), date(2025, 12, 31), township=street_a)
    enrol("park", yuzhong, date(2025, 3, 1), park=park)
    before = by_code(queries.coverage(date(2024, 12, 31)))[yuzhong.code]
    assert before.numerator == 0
    feb = by_code(queries.coverage(date(2025, 2, 28)))[yuzhong.code]
    assert (feb.enterprises_covered, feb.parks_covered) == (2, 0)
    after = by_code(queries.coverage(date(2026, 1, 1)))[yuzhong.code]
    assert (after.enterprises_covered, after.parks_covered) == (1, 1)  # the park is open-ended


def test_a_withdrawal_ends_coverage_from_its_day(
    city_slice, yuzhong, street_a, city_admin, district_staff
):
    enrollment = services.enrol(
        district_staff, scope="region", township=street_a, year=2025, note="街道整体创建"
    )
    assert by_code(queries.coverage(date(2025, 6, 30)))[yuzhong.code].enterprises_covered == 2
    services.withdraw_enrollment(
        district_staff, enrollment, on=date(2025, 7, 1), reason="街道重新规划"
    )
    assert by_code(queries.coverage(date(2025, 6, 30)))[yuzhong.code].enterprises_covered == 2
    assert by_code(queries.coverage(date(2025, 7, 1)))[yuzhong.code].enterprises_covered == 0


def test_minimum_headcount_option(city_slice, yuzhong, city_admin):
    enrol("industry", yuzhong, date(2025, 1, 1), date(2025, 12, 31), industry="C")
    core_services.set_parameter(
        city_admin,
        code=services.COVERAGE_MIN_HEADCOUNT,
        valid_from=date(2025, 1, 1),
        value=Decimal(10),
        source="测试",
    )
    yz = by_code(queries.coverage(Y2025))[yuzhong.code]
    # c2 has 3 employees: out of scope from 2025 on
    assert (yz.enterprises, yz.enterprises_covered) == (5, 1)
    assert by_code(queries.coverage(date(2024, 6, 30)))[yuzhong.code].enterprises == 6


def test_units_restrict_and_merged_units_roll_up(jiangbei, liangjiang, yuzhong, shapingba):
    EnterpriseFactory(unit=jiangbei)
    EnterpriseFactory(unit=liangjiang)
    EnterpriseFactory(unit=yuzhong)
    recorded = by_code(queries.coverage(Y2025, [liangjiang]))
    assert set(recorded) == {jiangbei.code, liangjiang.code}
    current = by_code(queries.coverage(Y2025, [liangjiang], basis="current"))
    assert set(current) == {liangjiang.code}
    assert current[liangjiang.code].enterprises == 2
    assert set(by_code(queries.coverage(Y2025, [shapingba]))) == set()


def test_covered_and_uncovered_lists(city_slice, yuzhong, street_a):
    enrol("region", yuzhong, date(2025, 1, 1), date(2025, 12, 31), township=street_a)
    from yutong.registry.models import Enterprise

    mine = Enterprise.objects.filter(unit=yuzhong)
    covered = set(queries.enterprises_by_coverage(mine, Y2025, True))
    uncovered = set(queries.enterprises_by_coverage(mine, Y2025, False))
    s = city_slice
    assert covered == {s["a1"], s["a2"]}
    # enterprises without a township (c2) are uncovered, not lost to NULL logic
    assert uncovered == {s["p1"], s["c1"], s["c2"], s["x"]}


def test_coverage_reads_enterprises_as_they_were(
    city_slice, yuzhong, street_a, street_b, city_admin
):
    """A change recorded with its day moves an enterprise between the lists from that day on:
    a1 left 解放碑 (covered by a regional enrolment) for street B on 2025-07-01, and the
    deregistered one stopped operating on 2025-09-01."""
    from yutong.registry import services as registry
    from yutong.registry.models import Enterprise

    enrol("region", yuzhong, date(2025, 1, 1), township=street_a)
    s = city_slice
    for firm, day, changes in (
        (s["a1"], date(2025, 7, 1), {"township": street_b}),
        (s["dead"], date(2025, 9, 1), {}),
    ):
        firm = Enterprise.objects.get(pk=firm.pk)
        if not changes:  # "dead" was operating until its day: record that history first
            registry.update_enterprise(city_admin, firm, correction=True, status="operating")
            firm = Enterprise.objects.get(pk=firm.pk)
            changes = {"status": "deregistered"}
        registry.update_enterprise(city_admin, firm, effective_on=day, **changes)

    mine = Enterprise.objects.filter(unit=yuzhong)
    june, august, year_end = date(2025, 6, 30), date(2025, 8, 31), Y2025
    assert set(queries.enterprises_by_coverage(mine, june, True)) == {s["a1"], s["a2"], s["dead"]}
    assert set(queries.enterprises_by_coverage(mine, august, True)) == {s["a2"], s["dead"]}
    assert set(queries.enterprises_by_coverage(mine, year_end, True)) == {s["a2"]}
    assert s["a1"] in set(queries.enterprises_by_coverage(mine, august, False))
    counts = [by_code(queries.coverage(day))[yuzhong.code] for day in (june, august, year_end)]
    assert [(c.enterprises_covered, c.enterprises) for c in counts] == [(3, 7), (2, 7), (1, 6)]
