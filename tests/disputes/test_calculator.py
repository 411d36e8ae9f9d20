"""The claim calculator's law (rules §8) against hand-computed amounts.

Test parameters (not the real figures): tier-1 minimum wage 2,100 from 2022-04-01 and 2,330 from
2025-05-01, tier 2 2,000 / 2,200; 渝中 is tier 1, 沙坪坝 tier 2, 万州 has no tier; the previous
year's average monthly wage is 9,000 from 2024-06-01 and 9,500 from 2025-06-01 (cap 27,000 /
28,500).
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import clear_shipped_wage_parameters
from yutong.core.models import DatedParameter, OrgUnit
from yutong.core.parameters import ParameterMissing
from yutong.disputes import calculator as calc
from yutong.disputes.calculator import InputError

D = Decimal


def set_wage_parameters() -> None:
    """The dated parameters the tests' hand computations assume (see the module docstring)."""
    clear_shipped_wage_parameters()
    rows = [
        ("min_wage_monthly_tier1", None, date(2022, 4, 1), "2100"),
        ("min_wage_monthly_tier1", None, date(2025, 5, 1), "2330"),
        ("min_wage_monthly_tier2", None, date(2022, 4, 1), "2000"),
        ("min_wage_monthly_tier2", None, date(2025, 5, 1), "2200"),
        ("min_wage_tier", "500103", date(2020, 1, 1), "1"),
        ("min_wage_tier", "500106", date(2020, 1, 1), "2"),
        ("avg_wage_monthly_prev_year", None, date(2024, 6, 1), "9000"),
        ("avg_wage_monthly_prev_year", None, date(2025, 6, 1), "9500"),
    ]
    for code, unit, valid_from, value in rows:
        DatedParameter.objects.create(
            code=code,
            unit=OrgUnit.objects.get(code=unit) if unit else None,
            valid_from=valid_from,
            value=D(value),
            source="测试：渝人社发〔2025〕X号",
        )


@pytest.fixture
def parameters(db):
    set_wage_parameters()


def texts(result) -> str:
    return "\n".join(step.text for step in result.trace)


# --- dates and service years ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "months", "days"),
    [
        (date(2024, 1, 1), date(2024, 6, 30), 6, 0),
        (date(2024, 3, 1), date(2024, 8, 30), 5, 30),
        (date(2024, 1, 31), date(2024, 2, 28), 1, 0),  # no 31 February: the month ends on the 29th
        (date(2024, 1, 1), date(2024, 1, 1), 0, 1),
        (date(2019, 3, 1), date(2025, 8, 31), 78, 0),
    ],
)
def test_span_counts_both_days(first, last, months, days):
    period = calc.span(first, last)
    assert (period.months, period.days) == (months, days)


@pytest.mark.parametrize(
    ("first", "last", "years"),
    [
        (date(2024, 1, 1), date(2024, 6, 30), D(1)),  # exactly 6 months → 1
        (date(2024, 3, 1), date(2024, 8, 30), D("0.5")),  # 5 months 30 days → 0.5
        (date(2024, 3, 1), date(2024, 8, 31), D(1)),
        (date(2024, 1, 1), date(2024, 1, 1), D("0.5")),  # one day is "不满六个月"
        (date(2020, 1, 1), date(2020, 12, 31), D(1)),
        (date(2020, 1, 1), date(2021, 1, 1), D("1.5")),
        (date(2019, 3, 1), date(2025, 8, 30), D("6.5")),
        (date(2019, 3, 1), date(2025, 8, 31), D(7)),
    ],
)
def test_service_years_rounding(first, last, years):
    assert calc.service_years(calc.span(first, last)) == years


def test_weekdays():
    assert calc.weekdays(date(2024, 4, 1), date(2024, 4, 14)) == 10  # Mon 1st .. Sun 14th
    assert calc.weekdays(date(2024, 7, 1), date(2024, 7, 30)) == 22
    assert calc.weekdays(date(2024, 4, 6), date(2024, 4, 7)) == 0  # a weekend


# --- economic compensation and damages ------------------------------------------------------


def compensation(start, end, wage, unit="500103"):
    return calc.economic_compensation(start, end, D(wage), OrgUnit.objects.get(code=unit))


def damages(start, end, wage, unit="500103"):
    return calc.illegal_termination_damages(start, end, D(wage), OrgUnit.objects.get(code=unit))


@pytest.mark.parametrize(
    ("start", "end", "amount"),
    [
        # 民法典 Art.201: the first day is not counted, the period runs from the next day.
        (date(2024, 1, 1), date(2024, 7, 1), "8000.00"),  # exactly 6 months: N = 1
        (date(2024, 1, 1), date(2024, 6, 30), "4000.00"),  # 5 months 29 days: N = 0.5
        (date(2024, 3, 1), date(2024, 8, 31), "4000.00"),  # 5 months 30 days: N = 0.5
        (date(2024, 3, 1), date(2024, 9, 1), "8000.00"),
        (date(2019, 3, 1), date(2025, 8, 31), "52000.00"),  # 6 y 5 m 30 d: 6.5 × 8000
        (date(2019, 3, 1), date(2025, 9, 1), "56000.00"),  # 6 y 6 m: 7 × 8000
        (date(2025, 7, 1), date(2025, 7, 1), "4000.00"),  # one day's work is under 6 months
    ],
)
def test_compensation_rounding_boundaries(parameters, start, end, amount):
    assert compensation(start, end, "8000").amount == D(amount)


def test_compensation_trace_cites_articles_and_parameters(parameters):
    result = compensation(date(2019, 3, 1), date(2025, 8, 31), "8500")
    assert result.amount == D("55250.00")  # 6.5 × 8500: 2019-03-02 .. 2025-08-31
    text = texts(result)
    assert "《劳动合同法》第四十七条第一款" in text
    assert "折合 6.5 个月工资" in text
    # began before the Civil Code: 民法通则 Art.154, the same first-day rule
    assert "期间开始于 2019-03-01，在《民法典》施行（2021-01-01）之前" in text
    assert "（《民法通则》第一百五十四条）" in text
    assert "重庆市月最低工资标准（一档）：2,330.00 元，自 2025-05-01 起施行" in text
    assert "最低工资标准适用档次（渝中区）：1 档" in text
    assert "上年度职工月平均工资：9,500.00 元，自 2025-06-01 起施行" in text
    assert all(isinstance(step.as_dict()["text"], str) for step in result.trace)


def test_minimum_wage_floor_by_district_tier(parameters):
    # 2 y 6 m → N = 3; 1,800 is below both tiers' minimum on 2025-07-01.
    tier1 = compensation(date(2023, 1, 1), date(2025, 7, 1), "1800", unit="500103")
    tier2 = compensation(date(2023, 1, 1), date(2025, 7, 1), "1800", unit="500106")
    assert tier1.amount == D("6990.00")  # 3 × 2,330
    assert tier2.amount == D("6600.00")  # 3 × 2,200
    assert "按最低工资标准计算（《劳动合同法实施条例》第二十七条）" in texts(tier1)


def test_minimum_wage_in_force_on_the_end_date(parameters):
    # On 2025-04-30 the 2,100 of 2022 still applied: N = 1 (exactly 6 months).
    assert compensation(date(2024, 10, 31), date(2025, 4, 30), "1800").amount == D("2100.00")


def test_high_earner_cap_limits_years_to_twelve(parameters):
    # 18 years; 40,000 > 3 × 9,500 → W = 28,500 and N = 12.
    result = compensation(date(2008, 1, 1), date(2025, 12, 31), "40000")
    assert result.amount == D("342000.00")
    assert "按十二年计算（《劳动合同法》第四十七条第二款）" in texts(result)
    assert damages(date(2008, 1, 1), date(2025, 12, 31), "40000").amount == D("684000.00")


def test_wage_cap_below_twelve_years_keeps_the_years(parameters):
    assert compensation(date(2020, 1, 1), date(2025, 12, 31), "40000").amount == D("171000.00")


def test_twelve_year_cap_only_with_the_wage_cap(parameters):
    # 20,000 ≤ 28,500: no cap at all, all 18 years count.
    assert compensation(date(2008, 1, 1), date(2025, 12, 31), "20000").amount == D("360000.00")


def test_exactly_three_times_the_average_is_not_capped(parameters):
    result = compensation(date(2008, 1, 1), date(2025, 12, 31), "28500")
    assert result.amount == D("513000.00")  # 18 × 28,500


def test_start_before_2008_compensation_counts_from_2008(parameters):
    result = compensation(date(2005, 7, 1), date(2025, 7, 1), "6000")
    # 2008-01-02 .. 2025-07-01 = 17 y 6 m → N = 18.
    assert result.amount == D("108000.00")
    text = texts(result)
    assert "自 2008-01-01 起计算" in text
    assert "《劳动合同法》第九十七条第三款" in text
    assert "当时有关规定" in text


def test_start_before_2008_damages_count_from_start(parameters):
    result = damages(date(2005, 7, 1), date(2025, 6, 30), "6000")
    # 2005-07-01 .. 2025-06-30 = 20 years → 2 × 20 × 6,000.
    assert result.amount == D("240000.00")
    assert "《劳动合同法实施条例》第二十五条" in texts(result)
    assert "《劳动合同法》第四十八条、第八十七条" in texts(result)


def test_half_fen_rounds_half_up(parameters):
    # 0.5 × 8,000.01 = 4,000.005 → 4,000.01.
    assert compensation(date(2024, 3, 1), date(2024, 8, 30), "8000.01").amount == D("4000.01")


def test_district_without_tier_says_what_is_missing_in_plain_words(parameters):
    with pytest.raises(calc.ValueMissing) as caught:
        compensation(date(2024, 1, 1), date(2025, 6, 30), "8000", unit="500101")
    message = str(caught.value)
    assert "2025-06-30 适用的万州区最低工资标准档次" in message
    assert "12333" in message and "min_wage" not in message
    assert re.search("最低工资标准适用档次.*min_wage_tier.*市级管理员", caught.value.for_staff)


def test_no_average_wage_in_force_asks_the_administrator(parameters):
    with pytest.raises(ParameterMissing, match="上年度职工月平均工资"):
        compensation(date(2023, 1, 1), date(2024, 5, 31), "8000")


def test_invalid_tier_value_is_a_configuration_error(parameters):
    DatedParameter.objects.create(
        code="min_wage_tier",
        unit=OrgUnit.objects.get(code="500101"),
        valid_from=date(2020, 1, 1),
        value=D(3),
        source="测试",
    )
    with pytest.raises(calc.ValueMissing, match="设置有误") as caught:
        compensation(date(2024, 1, 1), date(2025, 6, 30), "8000", unit="500101")
    assert "只能是 1 或 2" in caught.value.for_staff


@pytest.mark.parametrize(
    ("start", "end", "wage", "field"),
    [
        (date(2025, 1, 1), date(2024, 12, 31), "8000", "end_date"),
        (date(2000, 1, 1), date(2007, 12, 31), "8000", "end_date"),
        (date(2024, 1, 1), date(2025, 6, 30), "-1", "monthly_wage"),
    ],
)
def test_termination_input_errors(parameters, start, end, wage, field):
    with pytest.raises(InputError) as error:
        compensation(start, end, wage)
    assert field in error.value.errors


def test_unit_abolished_before_the_end_date_names_its_successor(parameters):
    with pytest.raises(InputError, match="请选择承继单位两江新区") as error:
        compensation(date(2024, 1, 1), date(2025, 12, 31), "8000", unit="500105")
    assert "unit" in error.value.errors


# --- double wages ---------------------------------------------------------------------------


def test_double_wages_never_signed_for_two_years_capped_at_eleven_months():
    result = calc.double_wages(date(2023, 3, 1), date(2025, 2, 28), D(6000), None)
    # 2023-04-01 .. 2024-02-29: 11 whole months.
    assert result.amount == D("66000.00")
    text = texts(result)
    assert "计至 2024-02-29（用工满一年的前一日）" in text
    assert "视为已订立无固定期限劳动合同" in text
    assert "《劳动合同法》第十四条第三款" in text


def test_double_wages_signed_in_month_four():
    result = calc.double_wages(date(2024, 1, 1), date(2025, 6, 30), D(6000), date(2024, 4, 15))
    # 2024-02-01 .. 2024-04-14: 2 months (12,000) + 14 days holding 10 weekdays
    # (10 × 6,000 / 21.75 = 2,758.62).
    assert result.amount == D("14758.62")
    text = texts(result)
    assert "补订书面劳动合同的前一日" in text
    assert "21.75" in text


def test_double_wages_left_without_contract_after_three_months():
    result = calc.double_wages(date(2024, 1, 1), date(2024, 3, 31), D(6000), None)
    assert result.amount == D("12000.00")  # 2024-02-01 .. 2024-03-31
    assert "劳动关系结束之日" in texts(result)


def test_double_wages_part_month_never_exceeds_a_month():
    # 2024-07-01 (Mon) .. 07-30: 30 days, 22 weekdays; 22 / 21.75 of a month is capped at one.
    result = calc.double_wages(date(2024, 6, 1), date(2024, 7, 30), D(6000), None)
    assert result.amount == D("6000.00")
    assert "按一个月工资计" in texts(result)


@pytest.mark.parametrize(
    ("signed", "end"),
    [
        (date(2024, 1, 20), date(2025, 6, 30)),  # signed within the first month
        (date(2023, 12, 15), date(2025, 6, 30)),  # signed before starting work
        (date(2024, 2, 1), date(2025, 6, 30)),  # signed on the 1-month anniversary: no day owed
        (None, date(2024, 1, 25)),  # left within the first month
    ],
)
def test_double_wages_nothing_owed(signed, end):
    assert calc.double_wages(date(2024, 1, 1), end, D(6000), signed).amount == D("0.00")


def test_double_wages_signed_after_leaving_counts_to_the_last_day():
    result = calc.double_wages(date(2024, 1, 1), date(2024, 5, 31), D(6000), date(2024, 8, 1))
    assert result.amount == D("24000.00")  # 2024-02-01 .. 2024-05-31


def test_double_wages_months_count_from_the_start_at_month_end():
    # Started 31 January: the 1-month anniversary is 29 February, yet the year still holds
    # exactly 11 owed months (to 2009-01-30), not 11 months and 2 days.
    result = calc.double_wages(date(2008, 1, 31), date(2009, 6, 30), D(6000), None)
    assert result.amount == D("66000.00")


def test_double_wages_end_before_start_is_refused():
    with pytest.raises(InputError) as error:
        calc.double_wages(date(2024, 1, 1), date(2023, 1, 1), D(6000), None)
    assert "end_date" in error.value.errors


# --- overtime -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weekday", "rest_day", "holiday", "amount"),
    [
        (10, 0, 0, "600.00"),  # 10 × 40 × 150%
        (0, 8, 0, "640.00"),  # 8 × 40 × 200%
        (0, 0, 8, "960.00"),  # 8 × 40 × 300%
        (10, 8, 8, "2200.00"),
        ("0.5", 0, 0, "30.00"),
    ],
)
def test_overtime_rates(weekday, rest_day, holiday, amount):
    # 6,960 / (21.75 × 8) = 40 an hour.
    result = calc.overtime(D(6960), D(weekday), D(rest_day), D(holiday))
    assert result.amount == D(amount)
    assert "三十六小时" not in texts(result)


def test_overtime_rounds_only_the_amount():
    # 5,000 / 174 × 3 × 1.5 = 129.3103…
    assert calc.overtime(D(5000), D(3), D(0), D(0)).amount == D("129.31")


def test_overtime_over_36_hours_is_flagged_not_refused():
    result = calc.overtime(D(6960), D(20), D(16), D(8))
    assert result.amount == D("3440.00")  # 40 × (30 + 32 + 24)
    text = texts(result)
    assert "本月加班合计 44 小时，超过每月不得超过三十六小时的限制" in text
    assert "加班费仍应照付（《劳动法》第四十一条）" in text


def test_overtime_negative_hours_are_refused():
    with pytest.raises(InputError) as error:
        calc.overtime(D(6960), D(0), D(-1), D(0))
    assert "rest_day_hours" in error.value.errors


# --- annual leave ---------------------------------------------------------------------------

# 8,700 / 21.75 = 400 a day; unused days owe 200% extra, i.e. 800 each.


@pytest.mark.parametrize(
    ("years", "amount"),
    [
        (0, "0.00"),
        (1, "4000.00"),
        (9, "4000.00"),
        (10, "8000.00"),
        (19, "8000.00"),
        (20, "12000.00"),
    ],
)
def test_annual_leave_whole_year_thresholds(years, amount):
    assert calc.annual_leave(years, D(8700), 0, year=2025).amount == D(amount)


def test_annual_leave_under_one_year_says_so():
    result = calc.annual_leave(0, D(8700), 0, year=2025)
    assert "不满一年" in texts(result)


def test_annual_leave_leaver_mid_year():
    # 2025-06-30 is day 181: 181 / 365 × 5 = 2.48 → 2 days.
    result = calc.annual_leave(5, D(8700), 0, end_date=date(2025, 6, 30))
    assert result.amount == D("1600.00")
    text = texts(result)
    assert "《企业职工带薪年休假实施办法》第十二条第一款" in text
    assert "300%" in text
    assert "200%" in text


def test_annual_leave_leaver_with_ten_years_and_days_taken():
    # 2025-09-30 is day 273: 273 / 365 × 10 = 7.48 → 7, less 2 taken = 5 days.
    result = calc.annual_leave(10, D(8700), 2, end_date=date(2025, 9, 30))
    assert result.amount == D("4000.00")


def test_annual_leave_leaver_at_twenty_years_on_31_december_of_a_leap_year():
    # 366 / 365 × 15 is capped at the 15 days of the year.
    result = calc.annual_leave(20, D(8700), 0, end_date=date(2024, 12, 31))
    assert result.amount == D("12000.00")


def test_annual_leave_excess_taken_is_not_clawed_back():
    result = calc.annual_leave(5, D(8700), 3, end_date=date(2025, 6, 30))
    assert result.amount == D("0.00")
    assert "不再扣回" in texts(result)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({}, "year"),
        ({"year": 2024, "end_date": date(2025, 6, 30)}, "year"),
        ({"year": 2007}, "year"),  # before the regulation
        ({"end_date": date(2007, 6, 30)}, "end_date"),
    ],
)
def test_annual_leave_needs_one_consistent_period(kwargs, field):
    with pytest.raises(InputError) as error:
        calc.annual_leave(5, D(8700), 0, **kwargs)
    assert field in error.value.errors


def test_annual_leave_year_and_matching_end_date_is_the_leaver_case():
    both = calc.annual_leave(5, D(8700), 0, year=2025, end_date=date(2025, 6, 30))
    assert both.amount == D("1600.00")


def test_unknown_kind():
    with pytest.raises(InputError) as error:
        calc.calculate("bonus")
    assert "kind" in error.value.errors


# --- properties -----------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
wages = st.decimals(min_value=0, max_value=100_000, places=2, allow_nan=False)
dates = st.dates(min_value=date(2008, 1, 1), max_value=date(2030, 12, 31))
hours = st.decimals(min_value=0, max_value=744, places=2, allow_nan=False)


def in_force(start: date, end: date) -> tuple[date, date]:
    """Ordered, ending when the 2,330 floor and the 28,500 cap of the test parameters apply."""
    return min(start, end), max(start, end, date(2025, 6, 1))


@PROPERTY_SETTINGS
@given(start=dates, end=dates, wage=st.decimals(min_value=2330, max_value=28500, places=2))
def test_damages_are_twice_compensation_without_cut_off_or_cap(parameters, start, end, wage):
    start, end = in_force(start, end)
    comp = compensation(start, end, wage)
    dam = damages(start, end, wage)
    # Each amount is rounded on its own: N × W can end in half a fen, so allow one fen.
    assert abs(dam.amount - 2 * comp.amount) <= D("0.01")
    years = calc.service_years(calc.span(start + timedelta(days=1), end))
    assert comp.amount == (years * wage).quantize(D("0.01"), rounding=ROUND_HALF_UP)


@PROPERTY_SETTINGS
@given(start=dates, end=dates, wage=wages)
def test_compensation_is_at_least_half_a_minimum_wage(parameters, start, end, wage):
    start, end = in_force(start, end)
    assert compensation(start, end, wage).amount >= D("0.5") * D(2330)


@settings(max_examples=200, deadline=None)
@given(start=dates, end=dates, signed=st.none() | dates, wage=wages)
def test_double_wages_never_negative_nor_beyond_eleven_months(start, end, signed, wage):
    start, end = min(start, end), max(start, end)
    amount = calc.double_wages(start, end, wage, signed).amount
    assert D(0) <= amount <= (11 * wage).quantize(D("0.01"))


@settings(max_examples=200, deadline=None)
@given(wage=wages, weekday=hours, rest_day=hours, holiday=hours)
def test_overtime_never_negative_and_rises_with_rate(wage, weekday, rest_day, holiday):
    result = calc.overtime(wage, weekday, rest_day, holiday)
    assert result.amount >= 0
    assert (
        calc.overtime(wage, D(0), D(0), weekday).amount
        >= calc.overtime(wage, weekday, D(0), D(0)).amount
    )


@settings(max_examples=200, deadline=None)
@given(
    years=st.integers(min_value=0, max_value=60),
    wage=wages,
    taken=st.integers(min_value=0, max_value=30),
    end=dates,
)
def test_leaver_never_gets_more_than_the_whole_year(years, wage, taken, end):
    leaver = calc.annual_leave(years, wage, taken, end_date=end).amount
    whole_year = calc.annual_leave(years, wage, taken, year=end.year).amount
    assert D(0) <= leaver <= whole_year


# --- period convention (民法典 Art.201) ------------------------------------------------------


def test_exit_on_the_anniversary_is_whole_years(parameters):
    # Start 2024-07-01, last day 2025-07-01: the first day is not counted, so exactly 1 year.
    result = compensation(date(2024, 7, 1), date(2025, 7, 1), "8000")
    assert result.amount == D("8000.00")
    assert "共 1 年；" in texts(result)
    assert "开始的当日不计入（《民法典》第二百零一条）" in texts(result)


def test_period_convention_is_a_dated_setting_shown_in_the_trace(parameters):
    DatedParameter.objects.create(
        code="period_count_first_day",
        valid_from=date(2020, 1, 1),
        value=D(1),
        source="测试：某地裁审口径",
    )
    result = compensation(date(2024, 7, 1), date(2025, 7, 1), "8000")
    assert result.amount == D("12000.00")  # 1 year 1 day → 1.5
    text = texts(result)
    assert "工作年限计算是否计入开始当日（0 否、1 是）：1，自 2020-01-01 起施行" in text
    assert "首尾两日均计入" in text
