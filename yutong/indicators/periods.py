"""Reporting periods: a calendar year (the targets' period), a quarter, a month, or the year to
date as of a day (indicators.md, "Periods and units")."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError

FIRST_YEAR, LAST_YEAR = 2020, 2100


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None
    month: int | None = None
    as_of: date | None = None  # year to date as of this day

    @property
    def start(self) -> date:
        if self.quarter:
            return date(self.year, 3 * self.quarter - 2, 1)
        if self.month:
            return date(self.year, self.month, 1)
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        if self.as_of:
            return self.as_of
        if self.quarter:
            last_month = 3 * self.quarter
            return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])
        if self.month:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, 12, 31)

    def counted_until(self, today: date) -> date:
        """The last day with records: the period's end, or today while it is running."""
        return min(self.end, today)

    def is_over(self, today: date) -> bool:
        return self.end < today

    @property
    def key(self) -> str:
        if self.as_of:
            return f"{self.year}-ytd-{self.as_of.isoformat()}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        if self.month:
            return f"{self.year}-{self.month:02d}"
        return str(self.year)

    @property
    def label(self) -> str:
        if self.as_of:
            return f"{self.year}年1月1日至{self.as_of.month}月{self.as_of.day}日"
        if self.quarter:
            return f"{self.year}年第{'一二三四'[self.quarter - 1]}季度"
        if self.month:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年"

    def months(self) -> list[int]:
        """The months the period spans (for trends)."""
        return list(range(self.start.month, self.end.month + 1))


def parse_period(year: str | int | None, quarter=None, month=None, as_of=None) -> Period:
    """A period from request parameters; a ``ValidationError`` per field on bad input."""
    errors = {}
    try:
        year_value = int(year)
    except (TypeError, ValueError):
        raise ValidationError({"year": "请填写年度，如 2026。"}) from None
    if not FIRST_YEAR <= year_value <= LAST_YEAR:
        raise ValidationError({"year": f"年度应在 {FIRST_YEAR} 至 {LAST_YEAR} 之间。"})
    given = [
        name
        for name, value in (("quarter", quarter), ("month", month), ("as_of", as_of))
        if value not in (None, "")
    ]
    if len(given) > 1:
        raise ValidationError({given[1]: "季度、月份和截至日期只能选一个。"})
    quarter_value = month_value = None
    as_of_value = None
    if quarter not in (None, ""):
        quarter_value = _int_in(quarter, 1, 4)
        if quarter_value is None:
            errors["quarter"] = "季度应为 1 至 4。"
    if month not in (None, ""):
        month_value = _int_in(month, 1, 12)
        if month_value is None:
            errors["month"] = "月份应为 1 至 12。"
    if as_of not in (None, ""):
        try:
            as_of_value = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
        except ValueError:
            errors["as_of"] = "截至日期格式应为 YYYY-MM-DD。"
        else:
            if as_of_value.year != year_value:
                errors["as_of"] = "截至日期应在所选年度内。"
    if errors:
        raise ValidationError(errors)
    return Period(year_value, quarter_value, month_value, as_of_value)


def _int_in(value, low: int, high: int) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None
