"""Statutory clocks: on which day a period that the law sets in days, working days or months ends.

Every time limit the platform watches (mediation 15 days, arbitration award 45 + 15 days,
inspection 60 + 30 working days, the 5-day acceptance decisions, the 1-year limitation) is counted
by the same rules, so they live here once, as pure functions on dates, with no models.

Legal basis, and why each rule is encoded the way it is:

* 民法典 Art.201: "开始的当日不计入，自下一日开始计算". The start day never counts: a period
  of n days from day S covers S+1 .. S+n. The same rule is in 民事诉讼法 and the arbitration
  rules, so every function here excludes ``start``.
* 民法典 Art.202: a period in months or years ends on the corresponding day of the last month,
  or on that month's last day when there is none (31 January + 1 month = 28/29 February).
* 民法典 Art.203: "期间的最后一日是法定休假日的，以法定休假日结束的次日为期间的最后一日". A
  period in calendar days (or months) that would end on a rest day or a public holiday ends on the
  first working day after it. Days in the middle of the period count even if they are holidays.
  A period in working days (工作日, labour inspection) cannot end on a rest day, so Art.203 has
  nothing to add there.
* Working days are those of the State Council's yearly holiday notice, which also turns some
  Saturdays and Sundays into make-up workdays (调休上班日). A weekday test is therefore wrong
  around every long holiday; the ``chinese_calendar`` package carries the notices.
* 劳动人事争议仲裁办案规则 Art.46(6): periods of suspension (中止审理) and of service by public
  notice (公告送达) do not count towards the award deadline. ``Deadline`` takes such intervals.
  A restart (Art.46(1)-(5)) is a new start date, which is the caller's decision.

The holiday notice for year Y appears around November of Y-1 and reaches ``chinese_calendar``
with a new release. For a year the installed package does not know, a working day is taken to be
Monday to Friday; ``calendar_known`` and ``Deadline.calendar_known`` say when a result rests on
that guess, so the interface can mark the date as provisional instead of presenting it as law.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Literal

import chinese_calendar

Unit = Literal["calendar", "working"]
CALENDAR: Unit = "calendar"
WORKING: Unit = "working"
UNITS: tuple[Unit, ...] = (CALENDAR, WORKING)

Suspension = tuple[date, date | None]

_ONE_DAY = timedelta(days=1)


def _as_day(day: date) -> date:
    # datetime is a subclass of date and would get through the type check, then fail in a
    # comparison far from here; and which day a moment falls on depends on the time zone, which
    # only the caller knows (timezone.localdate()).
    if isinstance(day, datetime):
        raise TypeError(f"expected a date, got a datetime ({day!r}); pass timezone.localdate()")
    if not isinstance(day, date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day


# A year's notice can be entered by an administrator before the package ships it (the notice
# comes out in November, deadlines reach into January at once). core.apps installs a provider that
# reads those entries; None (pure use, tests of this module) means no entries.
ScheduleProvider = Callable[[int], "frozenset[date] | None"]
_configured: ScheduleProvider | None = None


def use_configured_schedules(provider: ScheduleProvider | None) -> None:
    """Install the source of administrator-entered schedules: year -> days that depart from
    Monday-Friday, or None when nothing was entered for that year."""
    global _configured
    _configured = provider


def _configured_exceptions(year: int) -> frozenset[date] | None:
    return _configured(year) if _configured is not None else None


@lru_cache(maxsize=64)
def _package_knows(year: int) -> bool:
    # Ask the package itself rather than reading its tables, so an upgrade that adds a year is
    # picked up without touching this module.
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _year_known(year: int) -> bool:
    return _package_knows(year) or _configured_exceptions(year) is not None


def _years_known(first: date, last: date) -> bool:
    return all(_year_known(year) for year in range(first.year, last.year + 1))


def calendar_known(day: date) -> bool:
    """Whether the State Council holiday schedule of ``day``'s year is known to this installation.

    When it is not, ``is_working_day`` falls back to Monday-Friday, and every date derived from it
    is an estimate.
    """
    return _year_known(_as_day(day).year)


@lru_cache(maxsize=1)
def _schedule_exceptions_by_year() -> dict[int, frozenset[date]]:
    """Per year, the days on which the holiday schedule departs from Monday-Friday.

    About thirty a year: weekday holidays and weekend make-up workdays. Keeping only these turns
    "working days in a range" into weekday arithmetic plus a short correction, instead of a call
    into chinese_calendar (which re-checks its year range each time) for every day.
    """
    by_year: dict[int, set[date]] = {}
    for day in {*chinese_calendar.holidays, *chinese_calendar.workdays}:
        # The package decides (a day may be in both tables); we only keep where it disagrees
        # with the weekday rule.
        if chinese_calendar.is_workday(day) != (day.weekday() < 5):
            by_year.setdefault(day.year, set()).add(day)
    return {year: frozenset(days) for year, days in by_year.items()}


def _exceptions(year: int) -> frozenset[date]:
    if _package_knows(year):
        return _schedule_exceptions_by_year().get(year, frozenset())
    return _configured_exceptions(year) or frozenset()


def _is_working_day(day: date) -> bool:
    return (day.weekday() < 5) != (day in _exceptions(day.year))


def _weekdays(first: date, last: date) -> int:
    """Monday-Friday days in first .. last (0 if last < first)."""
    days = (last - first).days + 1
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    start = first.weekday()
    return weeks * 5 + sum(1 for i in range(rest) if (start + i) % 7 < 5)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day: public holidays are not, make-up workdays (调休) are.

    Outside the years that ``chinese_calendar`` knows: Monday to Friday (see ``calendar_known``).
    """
    return _is_working_day(_as_day(day))


def _check_count(n: int, what: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"{what} must be an int, got {type(n).__name__}")
    if n < 0:
        # Counting backwards ("at least 5 days before the hearing") follows other rules
        # (no Art.203 roll-forward), so it is not silently offered here.
        raise ValueError(f"{what} must be >= 0, got {n}")


def _roll_to_working_day(day: date) -> date:
    while not _is_working_day(day):
        day += _ONE_DAY
    return day


def add_calendar_days(start: date, n: int) -> date:
    """Last day of a period of ``n`` calendar days that starts on ``start`` (民法典 Art.201, 203).

    ``start`` is not counted; if day start+n is a rest day or a public holiday, the period ends on
    the first working day after it.
    """
    _check_count(n, "n")
    return _roll_to_working_day(_as_day(start) + timedelta(days=n))


def add_months(start: date, months: int) -> date:
    """Last day of a period of ``months`` months (12 for one year) from ``start`` (Art.201-203).

    The corresponding day of the last month, or that month's last day when there is none; then
    moved to the first working day if it is a rest day or a public holiday.
    """
    _check_count(months, "months")
    start = _as_day(start)
    years, month0 = divmod(start.month - 1 + months, 12)
    year, month = start.year + years, month0 + 1
    day = min(start.day, monthrange(year, month)[1])
    return _roll_to_working_day(date(year, month, day))


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start`` (``start`` itself is not counted).

    For n >= 1 the result is always a working day; for n == 0 it is ``start``.
    """
    _check_count(n, "n")
    day = _as_day(start)
    while n:
        day += _ONE_DAY
        if _is_working_day(day):
            n -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days in start+1 .. end: those a clock started on ``start`` has used by ``end``.

    Negative when ``end`` is before ``start`` (the working days in end+1 .. start, negated), so
    that ``working_days_between(a, b) == -working_days_between(b, a)``.
    """
    start, end = _as_day(start), _as_day(end)
    if end < start:
        return -working_days_between(end, start)
    first = start + _ONE_DAY
    count = _weekdays(first, end)
    for year in range(first.year, end.year + 1):
        for day in _exceptions(year):
            if first <= day <= end:
                count += 1 if day.weekday() >= 5 else -1
    return count


def calendar_days_between(start: date, end: date) -> int:
    """Calendar days in start+1 .. end (negative when ``end`` is before ``start``)."""
    return (_as_day(end) - _as_day(start)).days


def _merge_suspensions(suspensions: Iterable[Suspension], after: date) -> tuple[Suspension, ...]:
    """Sorted, disjoint, non-adjacent intervals, cut to the days after ``after``; None = open."""
    merged: list[Suspension] = []
    for lo, hi in sorted(suspensions, key=lambda s: s[0]):
        if hi is not None and hi <= after:
            continue  # over before the first day that could count
        lo = max(lo, after + _ONE_DAY)
        if merged:
            prev_lo, prev_hi = merged[-1]
            if prev_hi is None:
                break  # an open suspension swallows everything after it
            if lo <= prev_hi + _ONE_DAY:
                merged[-1] = (prev_lo, None if hi is None else max(prev_hi, hi))
                continue
        merged.append((lo, hi))
    return tuple(merged)


@dataclass(frozen=True)
class ClockState:
    """A deadline as seen on ``as_of``; what a list or a badge needs, in the clock's unit."""

    as_of: date
    due: date | None
    days_used: int
    days_left: int
    overdue: bool
    due_soon: bool
    suspended: bool
    calendar_known: bool


@dataclass(frozen=True)
class Deadline:
    """A statutory clock: ``length`` days of ``unit`` after ``start``, + extensions, - suspensions.

    * ``extensions``: days granted on top (e.g. 15 for a complex arbitration case, 30 working
      days for a complex inspection case), in the same unit. Whether they were allowed and who
      approved them is recorded by the caller.
    * ``suspensions``: (first day, last day or None while still suspended). Both the day the
      suspension starts and the day it ends are left out of the count (the common wording is
      "自中止之日起至恢复之日止"), so counting resumes on the day after the last day.
    * A clock that restarts (办案规则 Art.46(1)-(5)) is a new ``Deadline`` with a new ``start``.

    ``due`` is the last day on which the act is still in time; the clock is overdue from the
    next day. ``due`` is None while an open suspension stops the clock before it ran out.
    """

    start: date
    length: int
    unit: Unit = CALENDAR
    extensions: tuple[int, ...] = ()
    suspensions: tuple[Suspension, ...] = ()

    def __post_init__(self) -> None:
        _as_day(self.start)
        _check_count(self.length, "length")
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, got {self.unit!r}")
        # Lists are accepted for convenience; tuples keep the instance hashable and immutable.
        extensions = tuple(self.extensions)
        for days in extensions:
            _check_count(days, "extension")
        suspensions = tuple((lo, hi) for lo, hi in self.suspensions)
        for lo, hi in suspensions:
            _as_day(lo)
            if hi is not None and _as_day(hi) < lo:
                raise ValueError(f"suspension ends ({hi}) before it starts ({lo})")
        object.__setattr__(self, "extensions", extensions)
        object.__setattr__(self, "suspensions", suspensions)

    @property
    def total(self) -> int:
        """Length with every extension: the number of days the clock runs."""
        return self.length + sum(self.extensions)

    @cached_property
    def _stops(self) -> tuple[Suspension, ...]:
        return _merge_suspensions(self.suspensions, self.start)

    def _stop_at(self, day: date) -> Suspension | None:
        for lo, hi in self._stops:
            if lo <= day and (hi is None or day <= hi):
                return lo, hi
        return None

    def _between(self, after: date, last: date) -> int:
        if self.unit == CALENDAR:
            return calendar_days_between(after, last)
        return working_days_between(after, last)

    def _count(self, after: date, last: date) -> int:
        """Days of the unit in after+1 .. last that the clock runs on (0 if last <= after)."""
        if last <= after:
            return 0
        count = self._between(after, last)
        for lo, hi in self._stops:
            lo, hi = max(lo, after + _ONE_DAY), last if hi is None else min(hi, last)
            if lo <= hi:
                count -= self._between(lo - _ONE_DAY, hi)
        return count

    @cached_property
    def _walk(self) -> tuple[date | None, date | None, date | None]:
        """(due, first and last day whose working-day status was consulted)."""
        consulted = self.start + _ONE_DAY if self.unit == WORKING else None
        day, left = self.start, self.total
        while left:
            day += _ONE_DAY
            stop = self._stop_at(day)
            if stop is not None:
                if stop[1] is None:
                    return None, consulted, day
                day = stop[1]  # jump to the suspension's last day; counting resumes after it
            elif self.unit == CALENDAR or _is_working_day(day):
                left -= 1
        if self.unit == WORKING:
            return day, consulted, day
        # Art.203: the last day moves to the first working day on which the clock is running.
        consulted = day
        while True:
            stop = self._stop_at(day)
            if stop is None and _is_working_day(day):
                return day, consulted, day
            if stop is not None and stop[1] is None:
                return None, consulted, day
            day = (day if stop is None else stop[1]) + _ONE_DAY

    @property
    def due(self) -> date | None:
        return self._walk[0]

    @property
    def calendar_known(self) -> bool:
        """False if ``due`` rests on a Monday-Friday guess for a year the calendar lacks."""
        _, first, last = self._walk
        return first is None or last is None or first > last or _years_known(first, last)

    def days_used(self, as_of: date) -> int:
        """Days of the clock's unit used by the end of ``as_of`` (may exceed ``total``)."""
        as_of = _as_day(as_of)
        return self._count(self.start, as_of) if as_of > self.start else 0

    def days_left(self, as_of: date) -> int:
        """Days of the clock's unit after ``as_of`` up to ``due``; negative once overdue.

        While an open suspension holds the clock, the days it still has when it resumes.
        """
        as_of = max(_as_day(as_of), self.start)
        due = self.due
        if due is None:
            return self.total - self.days_used(as_of)
        if as_of <= due:
            return self._count(as_of, due)
        return -self._count(due, as_of)

    def is_suspended(self, as_of: date) -> bool:
        return self._stop_at(_as_day(as_of)) is not None

    def is_overdue(self, as_of: date) -> bool:
        due = self.due
        return due is not None and _as_day(as_of) > due

    def is_due_within(self, as_of: date, days: int) -> bool:
        """Not yet overdue and at most ``days`` days (in the clock's unit) left after ``as_of``."""
        _check_count(days, "days")
        return self.due is not None and not self.is_overdue(as_of) and self.days_left(as_of) <= days

    def state(self, as_of: date, warn_within: int = 3) -> ClockState:
        return ClockState(
            as_of=as_of,
            due=self.due,
            days_used=self.days_used(as_of),
            days_left=self.days_left(as_of),
            overdue=self.is_overdue(as_of),
            due_soon=self.is_due_within(as_of, warn_within),
            suspended=self.is_suspended(as_of),
            calendar_known=self.calendar_known,
        )
