"""Statutory clocks against the real State Council holiday schedules (2025, 2026).

Expected dates were counted by hand on the published schedules, not produced by the code:
2025 National Day 10-01..10-08 off, make-up workdays Sun 09-28 and Sat 10-11;
2026 New Year 01-01..01-03 off, make-up Sun 01-04;
2026 Spring Festival 02-15..02-23 off, make-up Sat 02-14 and Sat 02-28;
2025 Labour Day 05-01..05-05 off, make-up Sun 04-27.
"""

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from yutong.core import clocks
from yutong.core.clocks import (
    CALENDAR,
    WORKING,
    Deadline,
    add_calendar_days,
    add_months,
    add_working_days,
    calendar_days_between,
    calendar_known,
    is_working_day,
    working_days_between,
)


@pytest.fixture(autouse=True, scope="module")
def _package_calendar_only():
    """These tests pin the package's calendar; entered notices are tested in test_holidays."""
    previous = clocks._configured
    clocks.use_configured_schedules(None)
    yield
    clocks.use_configured_schedules(previous)


D = date.fromisoformat


# --- working days -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2025-09-26", True),  # Friday
        ("2025-09-27", False),  # ordinary Saturday
        ("2025-09-28", True),  # Sunday, make-up workday for National Day
        ("2025-10-01", False),
        ("2025-10-04", False),
        ("2025-10-06", False),  # Monday inside the holiday
        ("2025-10-08", False),  # last day of the 2025 National Day holiday
        ("2025-10-09", True),
        ("2025-10-11", True),  # Saturday, make-up workday
        ("2025-10-12", False),  # ordinary Sunday
        ("2026-01-01", False),
        ("2026-01-02", False),  # Friday, New Year holiday
        ("2026-01-04", True),  # Sunday, make-up workday
        ("2026-02-13", True),
        ("2026-02-14", True),  # Saturday, make-up workday for Spring Festival
        ("2026-02-15", False),
        ("2026-02-16", False),  # Monday, Spring Festival
        ("2026-02-23", False),  # Monday, last day of Spring Festival 2026
        ("2026-02-24", True),
        ("2026-02-28", True),  # Saturday, make-up workday
        ("2025-04-27", True),  # Sunday, make-up workday for Labour Day
        ("2025-05-05", False),  # Monday, Labour Day holiday
    ],
)
def test_is_working_day_follows_the_state_council_schedule(day, working):
    assert is_working_day(D(day)) is working


def test_years_outside_the_package_fall_back_to_monday_to_friday_and_say_so():
    assert calendar_known(D("2026-12-31")) is True
    assert calendar_known(D("2025-06-01")) is True
    assert calendar_known(D("2027-01-01")) is False
    assert calendar_known(D("2003-06-01")) is False
    # 2027-01-01 will surely be a holiday, but the schedule is not known yet: Friday → working.
    assert is_working_day(D("2027-01-01")) is True
    assert is_working_day(D("2027-01-02")) is False  # Saturday
    assert add_working_days(D("2026-12-31"), 1) == D("2027-01-01")


def test_datetimes_are_refused_because_the_day_depends_on_the_time_zone():
    with pytest.raises(TypeError):
        is_working_day(datetime(2025, 10, 9, 12, 0))
    with pytest.raises(TypeError):
        add_calendar_days(datetime(2025, 10, 9, 12, 0), 3)


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D("2025-10-09"), -1)
    with pytest.raises(ValueError):
        add_calendar_days(D("2025-10-09"), -1)


# --- working-day periods (labour inspection) -------------------------------------------


def test_five_working_days_across_a_weekend():
    # Thursday → Fri 7, Mon 10, Tue 11, Wed 12, Thu 13.
    assert add_working_days(D("2025-03-06"), 5) == D("2025-03-13")


def test_five_working_days_across_national_day_use_the_make_up_sunday():
    # Fri 09-26 → Sun 28 (make-up), Mon 29, Tue 30, [10-01..08 off], Thu 10-09, Fri 10-10.
    assert add_working_days(D("2025-09-26"), 5) == D("2025-10-10")
    assert working_days_between(D("2025-09-26"), D("2025-10-10")) == 5
    assert calendar_days_between(D("2025-09-26"), D("2025-10-10")) == 14


def test_five_working_days_across_spring_festival_2026():
    # Thu 02-12 → Fri 13, Sat 14 (make-up), [15..23 off], Tue 24, Wed 25, Thu 26.
    assert add_working_days(D("2026-02-12"), 5) == D("2026-02-26")


def test_sixty_working_day_inspection_clock_and_its_thirty_day_extension():
    # Case opened Mon 2025-09-01. September: 2-5, 8-12, 15-19, 22-26 = 19; Sun 28 = 20;
    # 29, 30 = 22. October: 9, 10 = 24; Sat 11 = 25; 13-31 = 40. November: 3-28 = 60.
    assert add_working_days(D("2025-09-01"), 60) == D("2025-11-28")
    assert working_days_between(D("2025-09-01"), D("2025-11-28")) == 60
    # +30: December 1-31 = 83; 2026-01-01..03 off; Sun 01-04 (make-up) = 84; 5-9 = 89; Mon 12.
    clock = Deadline(D("2025-09-01"), 60, WORKING, extensions=[30])
    assert clock.total == 90
    assert clock.due == D("2026-01-12")
    assert clock.calendar_known is True


def test_working_days_between_is_signed_and_excludes_the_start_day():
    assert working_days_between(D("2025-10-10"), D("2025-09-26")) == -5
    assert working_days_between(D("2025-10-09"), D("2025-10-09")) == 0
    assert working_days_between(D("2025-10-08"), D("2025-10-09")) == 1
    assert working_days_between(D("2025-09-30"), D("2025-10-08")) == 0
    assert add_working_days(D("2025-10-09"), 0) == D("2025-10-09")


# --- calendar-day periods (mediation, arbitration) -------------------------------------


def test_forty_five_day_award_limit_ending_in_national_day_moves_to_the_next_working_day():
    # Accepted Tue 2025-08-19: 12 days to 08-31, 30 to 09-30, 3 more: Fri 10-03 (holiday).
    # The holiday ends on 10-08, so the period ends on Thu 10-09 (民法典 Art.203).
    assert add_calendar_days(D("2025-08-19"), 45) == D("2025-10-09")
    assert calendar_days_between(D("2025-08-19"), D("2025-10-03")) == 45


def test_fifteen_day_extension_lands_on_an_ordinary_saturday():
    # Aug 19 + 60 = Sat 10-18 (not a make-up day) → Mon 10-20.
    clock = Deadline(D("2025-08-19"), 45, CALENDAR, extensions=(15,))
    assert clock.due == D("2025-10-20")


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        ("2025-09-18", 10, "2025-09-28"),  # last day is a make-up Sunday: a working day, no move
        ("2025-10-01", 10, "2025-10-11"),  # last day is a make-up Saturday: no move
        ("2025-03-01", 7, "2025-03-10"),  # ordinary Saturday 03-08 → Monday
        ("2025-12-22", 10, "2026-01-04"),  # New Year 01-01..03 → make-up Sunday 01-04
        ("2026-02-05", 15, "2026-02-24"),  # mediation 15 days into Spring Festival 2026
        ("2025-09-20", 30, "2025-10-20"),  # holiday inside the period does not extend it
        ("2025-04-01", 30, "2025-05-06"),  # Labour Day 05-01..05 → Tue 05-06
    ],
)
def test_add_calendar_days(start, n, due):
    assert add_calendar_days(D(start), n) == D(due)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        ("2024-03-10", 12, "2025-03-10"),  # one-year arbitration limitation
        ("2025-01-31", 1, "2025-02-28"),  # no corresponding day → month end (Art.202)
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-10-01", 12, "2025-10-09"),  # lands in National Day → first working day
        ("2024-02-15", 24, "2026-02-24"),  # two-year look-back ending in Spring Festival 2026
    ],
)
def test_add_months(start, months, due):
    assert add_months(D(start), months) == D(due)


# --- Deadline: state, suspension, overdue --------------------------------------------------


def test_deadline_state_around_a_rolled_forward_last_day():
    clock = Deadline(D("2025-08-19"), 45)
    assert clock.due == D("2025-10-09")
    # 47 calendar days are used by 10-05, more than 45, yet the clock is not overdue: Art.203.
    state = clock.state(D("2025-10-05"), warn_within=3)
    assert (state.days_used, state.days_left, state.overdue, state.due_soon) == (
        47,
        4,
        False,
        False,
    )
    assert clock.state(D("2025-10-06")).due_soon is True
    on_due = clock.state(D("2025-10-09"))
    assert (on_due.days_left, on_due.overdue, on_due.due_soon) == (0, False, True)
    late = clock.state(D("2025-10-10"))
    assert (late.days_left, late.overdue, late.due_soon) == (-1, True, False)
    assert clock.days_used(D("2025-08-19")) == 0
    assert clock.days_used(D("2025-08-01")) == 0
    assert clock.days_left(D("2025-08-01")) == 51  # before the start: the whole run to 10-09


def test_suspension_days_are_not_counted():
    # Accepted Mon 2025-03-03; suspended 03-10..03-19 (10 days, both ends excluded).
    # Counted: 03-04..09 (6), then 03-20..31 (12) = 18, then 04-01..27 = 45.
    # 2025-04-27 is a Sunday but a make-up workday, so it stays.
    plain = Deadline(D("2025-03-03"), 45)
    suspended = Deadline(D("2025-03-03"), 45, suspensions=[(D("2025-03-10"), D("2025-03-19"))])
    assert plain.due == D("2025-04-17")
    assert suspended.due == D("2025-04-27")
    assert suspended.days_used(D("2025-03-09")) == 6
    assert suspended.days_used(D("2025-03-15")) == 6
    assert suspended.is_suspended(D("2025-03-15")) is True
    assert suspended.is_suspended(D("2025-03-20")) is False
    assert suspended.days_used(D("2025-03-25")) == 12
    assert suspended.days_left(D("2025-03-25")) == 33


def test_open_suspension_stops_the_clock():
    clock = Deadline(D("2025-03-03"), 45, suspensions=[(D("2025-03-10"), None)])
    assert clock.due is None
    state = clock.state(D("2025-06-01"))
    assert (state.days_used, state.days_left) == (6, 39)
    assert (state.overdue, state.due_soon, state.suspended) == (False, False, True)


def test_suspension_in_a_working_day_clock():
    # The 60 working days end on 11-28; a suspension Mon 11-03..Fri 11-07 takes 5 working days
    # out, so the clock runs to Fri 12-05.
    clock = Deadline(D("2025-09-01"), 60, WORKING, suspensions=[(D("2025-11-03"), D("2025-11-07"))])
    assert clock.due == D("2025-12-05")
    assert clock.days_used(D("2025-11-07")) == working_days_between(
        D("2025-09-01"), D("2025-11-02")
    )


def test_overlapping_and_earlier_suspensions_are_merged_and_clipped():
    clock = Deadline(
        D("2025-03-03"),
        45,
        suspensions=[
            (D("2025-03-15"), D("2025-03-19")),
            (D("2025-02-01"), D("2025-02-10")),  # before the start: ignored
            (D("2025-03-10"), D("2025-03-16")),
        ],
    )
    assert clock.due == D("2025-04-27")


def test_clock_into_an_unknown_year_is_flagged():
    assert Deadline(D("2026-12-20"), 30).calendar_known is False
    assert Deadline(D("2026-11-01"), 30).calendar_known is True
    assert Deadline(D("2026-12-01"), 60, WORKING).calendar_known is False


def test_deadline_validation():
    with pytest.raises(ValueError):
        Deadline(D("2025-03-03"), 45, "weeks")
    with pytest.raises(ValueError):
        Deadline(D("2025-03-03"), 45, suspensions=[(D("2025-03-10"), D("2025-03-09"))])
    with pytest.raises(ValueError):
        Deadline(D("2025-03-03"), 45, extensions=[-1])
    clock = Deadline(D("2025-03-03"), 45, extensions=[15])
    assert clock == Deadline(D("2025-03-03"), 45, extensions=(15,))
    assert hash(clock) == hash(Deadline(D("2025-03-03"), 45, extensions=(15,)))


# --- properties ----------------------------------------------------------------------------

# Start dates whose results stay inside the years chinese_calendar knows (2004-2026).
known_days = st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 12, 31))
any_days = st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31))


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_is_working_day_agrees_with_chinese_calendar(day):
    assert is_working_day(day) is chinese_calendar.is_workday(day)


@given(known_days, st.integers(min_value=0, max_value=360))
def test_working_days_between_agrees_with_a_day_by_day_count(start, n):
    end = start + timedelta(days=n)
    expected = sum(
        1 for i in range(1, n + 1) if chinese_calendar.is_workday(start + timedelta(days=i))
    )
    assert working_days_between(start, end) == expected


@given(known_days, st.integers(min_value=1, max_value=200))
def test_add_working_days_lands_on_a_working_day_after_exactly_n(start, n):
    due = add_working_days(start, n)
    assert calendar_known(due)
    assert is_working_day(due)
    assert working_days_between(start, due) == n
    assert working_days_between(start, due - timedelta(days=1)) == n - 1


@given(any_days, st.integers(min_value=0, max_value=300))
def test_add_calendar_days_only_skips_rest_days(start, n):
    due = add_calendar_days(start, n)
    last = start + timedelta(days=n)
    assert due >= last
    assert is_working_day(due)
    assert all(not is_working_day(last + timedelta(days=i)) for i in range((due - last).days))


@given(any_days, any_days, any_days)
def test_working_days_between_adds_up(a, b, c):
    assert working_days_between(a, c) == working_days_between(a, b) + working_days_between(b, c)
    assert working_days_between(a, b) == -working_days_between(b, a)


@given(st.dates(min_value=date(2027, 1, 1), max_value=date(2100, 12, 31)))
def test_unknown_years_are_monday_to_friday(day):
    assert calendar_known(day) is False
    assert is_working_day(day) is (day.weekday() < 5)


@given(known_days, st.integers(min_value=0, max_value=120), st.sampled_from([CALENDAR, WORKING]))
def test_deadline_without_suspension_matches_the_plain_functions(start, n, unit):
    add = add_calendar_days if unit == CALENDAR else add_working_days
    assert Deadline(start, n, unit).due == add(start, n)


@given(
    known_days,
    st.integers(min_value=1, max_value=90),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=0, max_value=150),
)
def test_working_clock_used_plus_left_is_total(start, n, offset, span, look):
    lo = start + timedelta(days=offset)
    clock = Deadline(start, n, WORKING, suspensions=[(lo, lo + timedelta(days=span))])
    assert clock.due is not None
    assert clock.due >= add_working_days(start, n)
    as_of = min(start + timedelta(days=look), clock.due)
    assert clock.days_used(as_of) + clock.days_left(as_of) == n
    # nothing is used while suspended
    assert clock.days_used(lo + timedelta(days=span)) == clock.days_used(lo - timedelta(days=1))


@given(
    known_days,
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=30),
)
def test_calendar_suspension_never_brings_the_due_date_forward(start, n, offset, span):
    lo = start + timedelta(days=offset)
    clock = Deadline(start, n, CALENDAR, suspensions=[(lo, lo + timedelta(days=span))])
    assert clock.due >= add_calendar_days(start, n)
    assert is_working_day(clock.due)
    assert not clock.is_suspended(clock.due)
