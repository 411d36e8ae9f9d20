from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from yutong.indicators import engine
from yutong.indicators.models import Indicator, IndicatorTarget
from yutong.indicators.periods import Period, parse_period

TODAY = date(2026, 11, 24)
YEAR_2026 = Period(2026)


def value_for(code, period, unit, **kwargs):
    indicator = Indicator.objects.get(code=code)
    (value,) = engine.compute(indicator, period, [unit], today=TODAY, **kwargs)
    return value


def set_option(code, **options):
    indicator = Indicator.objects.get(code=code)
    indicator.options = {**indicator.options, **options}
    indicator.save()


# --- arbitration_closure ---------------------------------------------------------------------


@pytest.fixture
def arbitration_2026(cases, yuzhong, shapingba):
    # carried over from 2025: one closed in 2026, one still open, one closed in 2025 (not counted)
    cases.arbitration(yuzhong, "2025-12-01", "2026-01-10")
    cases.arbitration(yuzhong, "2025-12-15")
    cases.arbitration(yuzhong, "2025-10-01", "2025-11-20")
    # accepted in 2026: two closed, one open, one received but never accepted
    cases.arbitration(yuzhong, "2026-02-01", "2026-03-10", "mediation_document")
    cases.arbitration(yuzhong, "2026-05-01", "2026-06-01", "withdrawn")
    cases.arbitration(yuzhong, "2026-10-01")
    cases.arbitration(yuzhong, None)
    # another district
    cases.arbitration(shapingba, "2026-03-01", "2026-04-01")


def test_arbitration_closure_counts_carried_over_and_accepted(arbitration_2026, yuzhong):
    value = value_for("arbitration_closure", YEAR_2026, yuzhong)
    assert (value.numerator, value.denominator) == (3, 5)
    assert value.value == Decimal("60.00")
    assert value.target == Decimal("97.00")
    assert value.gap == Decimal("-37.00")
    assert value.status == engine.AT_RISK  # the year is still running


def test_city_adds_every_unit(arbitration_2026, city):
    value = value_for("arbitration_closure", YEAR_2026, city)
    assert (value.numerator, value.denominator) == (4, 6)


def test_carried_over_left_out_of_the_denominator(arbitration_2026, yuzhong):
    set_option("arbitration_closure", include_carried_over=False)
    value = value_for("arbitration_closure", YEAR_2026, yuzhong)
    # the closure of the carried-over case still counts: the rate may pass 100 % (rules §2)
    assert (value.numerator, value.denominator) == (3, 3)
    assert value.settings["options"]["include_carried_over"] is False


def test_quarter_and_year_to_date(arbitration_2026, yuzhong):
    first = value_for("arbitration_closure", parse_period(2026, quarter=1), yuzhong)
    # pending on 1 January: two; accepted in Q1: one; closed in Q1: two
    assert (first.numerator, first.denominator) == (2, 3)
    ytd = value_for("arbitration_closure", parse_period(2026, as_of="2026-05-31"), yuzhong)
    assert (ytd.numerator, ytd.denominator) == (2, 4)


def test_rounding_and_truncation(cases, yuzhong):
    for _ in range(2):
        cases.arbitration(yuzhong, "2026-01-05", "2026-02-01")
    cases.arbitration(yuzhong, "2026-01-05")
    assert value_for("arbitration_closure", YEAR_2026, yuzhong).value == Decimal("66.67")
    set_option("arbitration_closure", rounding="truncate")
    assert value_for("arbitration_closure", YEAR_2026, yuzhong).value == Decimal("66.66")
    set_option("arbitration_closure", rounding="round", decimals=1)
    assert value_for("arbitration_closure", YEAR_2026, yuzhong).value == Decimal("66.7")


def test_no_cases_is_no_data(yuzhong):
    value = value_for("arbitration_closure", YEAR_2026, yuzhong)
    assert (value.numerator, value.denominator, value.value) == (0, 0, None)
    assert value.status == engine.NO_DATA


# --- status and targets -----------------------------------------------------------------------


def test_status_against_target_and_margin(cases, yuzhong):
    for _ in range(24):
        cases.arbitration(yuzhong, "2024-02-01", "2024-03-01")
    cases.arbitration(yuzhong, "2024-02-01")  # 24/25 = 96 % against 95 %
    value = value_for("arbitration_closure", Period(2024), yuzhong)
    assert (value.value, value.status) == (Decimal("96.00"), engine.MET)
    IndicatorTarget.objects.create(
        indicator_id="arbitration_closure", unit=yuzhong, year=2024, value=Decimal("97.5")
    )
    value = value_for("arbitration_closure", Period(2024), yuzhong)
    assert (value.target, value.status) == (Decimal("97.50"), engine.AT_RISK)  # within 2 points
    set_option("arbitration_closure", at_risk_margin="1")
    assert value_for("arbitration_closure", Period(2024), yuzhong).status == engine.MISSED


def test_unit_target_only_for_that_unit(cases, yuzhong, shapingba):
    IndicatorTarget.objects.create(
        indicator_id="arbitration_closure", unit=yuzhong, year=2026, value=Decimal("99")
    )
    assert value_for("arbitration_closure", YEAR_2026, yuzhong).target == Decimal("99")
    assert value_for("arbitration_closure", YEAR_2026, shapingba).target == Decimal("97")


# --- mediation_success -------------------------------------------------------------------------


@pytest.fixture
def mediation_2026(cases, yuzhong, township):
    cases.mediation(yuzhong, "2026-02-01", "agreement", township)
    cases.mediation(yuzhong, "2026-02-02", "settlement")
    cases.mediation(yuzhong, "2026-02-03", "no_agreement", township)
    cases.mediation(yuzhong, "2026-02-04", "withdrawn", township)
    cases.mediation(yuzhong, None, "")
    cases.mediation(yuzhong, "2025-12-30", "agreement")  # last year
    cases.arbitration(yuzhong, "2026-01-05", "2026-03-01", "mediation_document")
    cases.arbitration(yuzhong, "2026-01-05", "2026-03-02", "award")
    cases.arbitration(yuzhong, "2026-01-05", "2026-03-03", "withdrawn")


def test_mediation_success_default(mediation_2026, yuzhong):
    value = value_for("mediation_success", YEAR_2026, yuzhong)
    # successes: agreement, settlement, mediation document; counted: those + no agreement + award
    assert (value.numerator, value.denominator) == (3, 5)


def test_mediation_success_options(mediation_2026, yuzhong):
    set_option("mediation_success", include_other_closures=True)
    value = value_for("mediation_success", YEAR_2026, yuzhong)
    assert (value.numerator, value.denominator) == (3, 7)
    set_option("mediation_success", include_other_closures=False, include_arbitral_mediation=False)
    value = value_for("mediation_success", YEAR_2026, yuzhong)
    assert (value.numerator, value.denominator) == (2, 4)


def test_township_values_from_mediation_bodies(mediation_2026, township):
    indicator = Indicator.objects.get(code="mediation_success")
    (value,) = engine.compute(indicator, YEAR_2026, [township], today=TODAY)
    # only the mediation bodies carry a township; arbitration cases do not
    assert (value.numerator, value.denominator) == (1, 2)


# --- division changes ----------------------------------------------------------------------------


def test_recorded_and_current_units(cases, jiangbei, yubei, liangjiang):
    cases.arbitration(jiangbei, "2025-03-01", "2025-04-01")
    cases.arbitration(yubei, "2025-03-01")
    cases.arbitration(liangjiang, "2025-12-01", "2025-12-20")
    period = Period(2025)
    indicator = Indicator.objects.get(code="arbitration_closure")
    listed = engine.units_listed(period, engine.RECORDED, TODAY)
    assert {jiangbei, yubei, liangjiang} <= set(listed)
    by_time = {
        v.unit.code: (v.numerator, v.denominator)
        for v in engine.compute(indicator, period, listed, today=TODAY)
    }
    assert by_time["500105"] == (1, 1)
    assert by_time["500157"] == (1, 1)
    current = engine.units_listed(period, engine.CURRENT, TODAY)
    assert jiangbei not in current and liangjiang in current
    today_units = {
        v.unit.code: (v.numerator, v.denominator)
        for v in engine.compute(indicator, period, current, basis=engine.CURRENT, today=TODAY)
    }
    assert today_units["500157"] == (2, 3)


# --- trends, projection, drill-down ---------------------------------------------------------------


def test_monthly_trend_matches_year_to_date_values(arbitration_2026, mediation_2026, yuzhong):
    for code in ("arbitration_closure", "mediation_success"):
        indicator = Indicator.objects.get(code=code)
        series = engine.trend(indicator, 2026, [yuzhong], today=TODAY)
        assert sorted(series) == list(range(1, 12))
        for month in (1, 3, 6, 11):
            (from_trend,) = series[month]
            end = min(Period(2026, month=month).end, TODAY)
            expected = value_for(code, Period(2026, as_of=end), yuzhong)
            assert (from_trend.numerator, from_trend.denominator) == (
                expected.numerator,
                expected.denominator,
            ), (code, month)


def test_projection_follows_the_run():
    assert engine.project([Decimal(90), Decimal(92), Decimal(94)]) == Decimal("100.00")
    assert engine.project([Decimal(80), None, Decimal(80)]) == Decimal("80.00")
    assert engine.project([Decimal(60), Decimal(58)]) == Decimal("38.00")
    assert engine.project([]) is None


def test_drill_down_gives_the_counted_records(mediation_2026, yuzhong, shapingba):
    indicator = Indicator.objects.get(code="mediation_success")
    value = value_for("mediation_success", YEAR_2026, yuzhong)
    parts = engine.drill(indicator, YEAR_2026, yuzhong, today=TODAY)
    assert sum(part.numerator.count() for part in parts) == value.numerator
    assert sum(part.denominator.count() for part in parts) == value.denominator
    other = engine.drill(indicator, YEAR_2026, shapingba, today=TODAY)
    assert sum(part.denominator.count() for part in other) == 0


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"year": "x"}, "year"),
        ({"year": 1999}, "year"),
        ({"year": 2026, "quarter": 5}, "quarter"),
        ({"year": 2026, "month": "13"}, "month"),
        ({"year": 2026, "as_of": "2026-13-01"}, "as_of"),
        ({"year": 2026, "as_of": "2025-12-31"}, "as_of"),
        ({"year": 2026, "quarter": 1, "month": 2}, "month"),
    ],
)
def test_bad_periods(kwargs, field):
    with pytest.raises(ValidationError) as caught:
        parse_period(**kwargs)
    assert field in caught.value.message_dict


def test_period_bounds():
    assert (Period(2026, quarter=2).start, Period(2026, quarter=2).end) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
    assert Period(2024, month=2).end == date(2024, 2, 29)
    assert Period(2026, as_of=date(2026, 5, 3)).key == "2026-ytd-2026-05-03"


def test_monthly_trend_without_carried_over(arbitration_2026, yuzhong):
    set_option("arbitration_closure", include_carried_over=False)
    indicator = Indicator.objects.get(code="arbitration_closure")
    series = engine.trend(indicator, 2026, [yuzhong], today=TODAY)
    for month in (1, 2, 5, 10):
        (from_trend,) = series[month]
        expected = value_for(
            "arbitration_closure", Period(2026, as_of=Period(2026, month=month).end), yuzhong
        )
        assert (from_trend.numerator, from_trend.denominator) == (
            expected.numerator,
            expected.denominator,
        )
