"""The engine's sources for the indicators of the other apps agree with those apps' own
definitions, on hand-built records."""

from __future__ import annotations

from datetime import date

from tests.factories import EnterpriseFactory, IndustrialParkFactory
from yutong.harmony import queries as harmony
from yutong.harmony.models import HarmonyEnrollment
from yutong.indicators import engine
from yutong.indicators.models import Indicator
from yutong.indicators.periods import Period

TODAY = date(2026, 11, 24)


def _enrol(scope, unit, starts_on, ends_on=None, **target):
    enrollment = HarmonyEnrollment(
        scope=scope, unit=unit, starts_on=starts_on, ends_on=ends_on, **target
    )
    enrollment.covered_until = ends_on
    enrollment.save()
    return enrollment


def _values(code, period, units, **kwargs):
    indicator = Indicator.objects.get(code=code)
    return {v.unit.code: v for v in engine.compute(indicator, period, units, today=TODAY, **kwargs)}


def test_harmony_coverage_matches_the_harmony_app(city, yuzhong, shapingba, township):
    park = IndustrialParkFactory(unit=yuzhong, township=township)
    covered = [EnterpriseFactory(unit=yuzhong, township=township) for _ in range(3)]
    EnterpriseFactory(unit=yuzhong)  # not covered
    EnterpriseFactory(unit=yuzhong, township=township, status="deregistered")  # out of scope
    EnterpriseFactory(unit=shapingba, industry="C")
    _enrol("region", yuzhong, date(2025, 1, 1), date(2025, 12, 31), township=township)
    _enrol("park", yuzhong, date(2025, 6, 1), park=park)
    period = Period(2025)
    values = _values("harmony_coverage", period, [city, yuzhong, shapingba, township])
    app = {row.unit_code: row for row in harmony.coverage(period.end)}
    for code in (yuzhong.code, shapingba.code):
        assert (values[code].numerator, values[code].denominator) == (
            app[code].numerator,
            app[code].denominator,
        )
    assert (values[yuzhong.code].numerator, values[yuzhong.code].denominator) == (4, 5)
    assert (values[township.code].numerator, values[township.code].denominator) == (4, 4)
    assert values[city.code].denominator == 6
    assert len(covered) == 3


def test_harmony_coverage_is_as_of_the_period_end(yuzhong, township):
    EnterpriseFactory(unit=yuzhong, township=township)
    _enrol("region", yuzhong, date(2025, 7, 1), date(2025, 12, 31), township=township)
    first_half = _values("harmony_coverage", Period(2025, quarter=2), [yuzhong])
    assert first_half[yuzhong.code].numerator == 0
    second_half = _values("harmony_coverage", Period(2025, quarter=3), [yuzhong])
    assert second_half[yuzhong.code].numerator == 1
    indicator = Indicator.objects.get(code="harmony_coverage")
    series = engine.trend(indicator, 2025, [yuzhong], today=TODAY)
    assert [series[m][0].numerator for m in (6, 7, 12)] == [0, 1, 1]


def test_parks_can_be_left_out(yuzhong):
    EnterpriseFactory(unit=yuzhong)
    IndustrialParkFactory(unit=yuzhong)
    assert _values("harmony_coverage", Period(2025), [yuzhong])[yuzhong.code].denominator == 2
    indicator = Indicator.objects.get(code="harmony_coverage")
    indicator.options = {**indicator.options, "include_parks": False}
    indicator.save()
    assert _values("harmony_coverage", Period(2025), [yuzhong])[yuzhong.code].denominator == 1


def test_harmony_drill_down(yuzhong, township):
    park = IndustrialParkFactory(unit=yuzhong)
    EnterpriseFactory(unit=yuzhong, township=township)
    EnterpriseFactory(unit=yuzhong)
    _enrol("region", yuzhong, date(2025, 1, 1), township=township)
    indicator = Indicator.objects.get(code="harmony_coverage")
    parts = engine.drill(indicator, Period(2025), yuzhong, today=TODAY)
    assert [(p.label, p.numerator.count(), p.denominator.count()) for p in parts] == [
        ("企业", 1, 2),
        ("工业园区", 0, 1),
    ]
    assert park.unit == yuzhong


def _inspection_case(unit, accepted, closed=None, *, origin="complaint", arrears=False):
    from yutong.inspection.models import Complaint, InspectionCase

    accepted_on = date.fromisoformat(accepted)
    closed_on = date.fromisoformat(closed) if closed else None
    complaint = None
    if origin == "complaint":
        complaint = Complaint.objects.create(
            unit=unit,
            channel="hotline_12333",
            status="accepted",
            is_anonymous=True,
            received_on=accepted_on,
            accepted_on=accepted_on,
            ended_on=accepted_on,
            employer_name="重庆测试建筑劳务有限公司",
            matter="拖欠工资",
            is_wage_arrears=arrears,
        )
    return InspectionCase.objects.create(
        unit=unit,
        origin=origin,
        complaint=complaint,
        number=f"测试监〔{accepted_on.year}〕{InspectionCase.objects.count() + 1}号",
        received_on=accepted_on,
        accepted_on=accepted_on,
        employer_name="重庆测试建筑劳务有限公司",
        matter="拖欠工资",
        is_wage_arrears=arrears,
        status="closed" if closed_on else "investigating",
        closed_on=closed_on,
        ended_on=closed_on,
        closure="order" if closed_on else "",
    )


def test_inspection_indicators_match_the_inspection_app(city, yuzhong, shapingba):
    from yutong.inspection import queries as inspection

    _inspection_case(yuzhong, "2025-12-10", "2026-01-20", arrears=True)  # carried over
    _inspection_case(yuzhong, "2025-12-11")  # carried over, still open
    _inspection_case(yuzhong, "2026-03-01", "2026-04-01")
    _inspection_case(yuzhong, "2026-05-01", "2026-05-20", arrears=True)
    _inspection_case(yuzhong, "2026-06-01", arrears=True)
    _inspection_case(yuzhong, "2026-06-01", "2026-06-05", origin="patrol")  # not a complaint
    _inspection_case(shapingba, "2026-02-01", "2026-02-15", arrears=True)
    period = Period(2026)
    for code, arrears in (("inspection_closure", False), ("wage_arrears_closure", True)):
        values = _values(code, period, [city, yuzhong])
        for unit, ids in ((city, None), (yuzhong, [yuzhong.pk])):
            app = inspection.closure_counts(period.start, TODAY, unit_ids=ids, wage_arrears=arrears)
            assert (values[unit.code].numerator, values[unit.code].denominator) == (
                app.closed,
                app.pending_at_start + app.accepted,
            ), (code, unit.code)
    assert _values("inspection_closure", period, [yuzhong])[yuzhong.code].denominator == 5
    assert _values("wage_arrears_closure", period, [yuzhong])[yuzhong.code].numerator == 2


def test_collective_contract_rate_matches_the_relations_app(city, yuzhong, shapingba):
    from decimal import Decimal

    from yutong.core.models import DatedParameter
    from yutong.registry.models import Enterprise
    from yutong.relations import queries as relations
    from yutong.relations.models import CollectiveContract, ContractCoverage, Union

    DatedParameter.objects.update_or_create(
        code="key_enterprise_min_employees",
        unit=None,
        valid_from=date(2020, 1, 1),
        defaults={"value": Decimal(100), "source": "测试"},
    )
    big = EnterpriseFactory(unit=yuzhong, employee_count=300)
    mid = EnterpriseFactory(unit=yuzhong, employee_count=120)
    small = EnterpriseFactory(unit=yuzhong, employee_count=40)
    other = EnterpriseFactory(unit=shapingba, employee_count=500)
    for firm, since in ((big, "2024-01-10"), (mid, "2025-06-01"), (small, "2024-01-10")):
        Union.objects.create(
            enterprise=firm,
            unit=yuzhong,
            name=f"{firm.name}工会",
            form="committee",
            established_on=date.fromisoformat(since),
            members=firm.employee_count,
            chair="王某",
            dues_rate=Decimal(2),
        )
    contract = CollectiveContract.objects.create(
        scope="enterprise",
        kind="general",
        title="集体合同",
        unit=yuzhong,
        enterprise=big,
        term_start=date(2025, 1, 1),
        expires_on=date(2027, 12, 31),
        effective_from=date(2025, 3, 21),
        stage="filed",
    )
    ContractCoverage.objects.create(contract=contract, enterprise=big)
    for day in ("2024-12-31", "2025-03-31", "2025-06-30", "2025-12-31"):
        period = Period(2025, as_of=date.fromisoformat(day)) if day[:4] == "2025" else Period(2024)
        values = _values("collective_contract_rate", period, [city, yuzhong])
        app = relations.collective_contract_rate(Enterprise.objects.all(), period.end)
        assert (values[city.code].numerator, values[city.code].denominator) == (
            app.covered,
            app.total,
        ), day
    june = _values("collective_contract_rate", Period(2025, quarter=2), [yuzhong])
    assert (june[yuzhong.code].numerator, june[yuzhong.code].denominator) == (1, 2)
    assert other.unit == shapingba
