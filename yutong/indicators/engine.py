"""Computing indicator values from the records, per unit and period, against target.

A value is one grouped query per source (``sources.py``) rolled up over the org-unit tree, so a
change to a case shows on the next load; the stock indicators read counts kept per day in the
transaction that changes their records (``ledger.py``), with the same result. Records keep the
unit of their time; ``basis="current"`` re-cuts them by today's units through ``OrgUnit.current``
(rules §11).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from yutong.core.models import OrgUnit

from .definitions import BY_CODE, STOCK
from .models import Indicator, IndicatorTarget
from .periods import Period
from .sources import SOURCES, TOWNSHIP, UNIT, Counts, month_ends

RECORDED, CURRENT = "recorded", "current"
BASES = {RECORDED: "按当时单位", CURRENT: "按现行单位"}
MET, AT_RISK, MISSED, NO_DATA = "met", "at_risk", "missed", "no_data"
STATUS_LABELS = {MET: "达标", AT_RISK: "有风险", MISSED: "未达标", NO_DATA: "无数据"}
HUNDRED = Decimal(100)


class SourceUnavailable(LookupError):
    """The records this indicator counts are not kept by the platform yet."""


@dataclass(frozen=True)
class PartValue:
    """One kind of record's share of a value made of several (harmony coverage: enterprises,
    parks): its own numerator, denominator and rate; the value's are their sums."""

    label: str
    numerator: int
    denominator: int
    value: Decimal | None


@dataclass
class Value:
    indicator: Indicator
    unit: OrgUnit
    period: Period
    numerator: int
    denominator: int
    value: Decimal | None
    target: Decimal | None
    gap: Decimal | None
    status: str
    as_of: datetime
    settings: dict = field(default_factory=dict)
    # The value split by kind of record, for sources made of several (else empty).
    parts: list[PartValue] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def settings_of(indicator: Indicator) -> dict:
    """The indicator's options with the defaults for any not yet set."""
    return BY_CODE[indicator.code].defaults() | (indicator.options or {})


def rate(counts: Counts, options: dict) -> Decimal | None:
    if not counts.denominator:
        return None
    exact = Decimal(counts.numerator) * HUNDRED / Decimal(counts.denominator)
    places = Decimal(1).scaleb(-int(options.get("decimals", 2)))
    mode = ROUND_DOWN if options.get("rounding") == "truncate" else ROUND_HALF_UP
    return exact.quantize(places, rounding=mode)


def status_of(value, target, options, period_over: bool) -> str:
    if value is None:
        return NO_DATA
    if target is None or value >= target:
        return MET
    margin = Decimal(str(options.get("at_risk_margin", "2")))
    if not period_over or target - value <= margin:
        return AT_RISK
    return MISSED


# --- units -------------------------------------------------------------------------------------


def units_listed(period: Period, basis: str, today: date) -> list[OrgUnit]:
    """The city and the district-level units a league table lists: those of the period's time
    (recorded basis), or those in force today (current basis)."""
    if basis == CURRENT:
        valid = OrgUnit.valid_on_q(today)
    else:
        valid = (Q(valid_from__isnull=True) | Q(valid_from__lte=period.end)) & (
            Q(valid_to__isnull=True) | Q(valid_to__gte=period.start)
        )
    districts = OrgUnit.objects.filter(valid, level=OrgUnit.Level.DISTRICT).order_by("code")
    city = OrgUnit.objects.filter(level=OrgUnit.Level.CITY).order_by("code")
    return [*city, *districts]


def townships_of(district: OrgUnit, basis: str, today: date) -> list[OrgUnit]:
    queryset = OrgUnit.objects.filter(parent=district, level=OrgUnit.Level.TOWNSHIP)
    if basis == CURRENT:
        queryset = queryset.filter(OrgUnit.valid_on_q(today))
    return list(queryset.order_by("code"))


class _Paths:
    """Each record unit's path, by the units of the time or by today's successor."""

    def __init__(self, basis: str):
        rows = OrgUnit.objects.values_list("id", "path", "current__path")
        index = 2 if basis == CURRENT else 1
        self.path = {row[0]: (row[index] or row[1]) for row in rows}

    def total(self, counts: dict, unit: OrgUnit) -> Counts:
        total = Counts()
        for key, value in counts.items():
            path = self.path.get(key)
            if path is not None and path.startswith(unit.path):
                total += value
        return total


# --- targets -----------------------------------------------------------------------------------


def _targets(codes, year: int) -> dict:
    found = {}
    rows = IndicatorTarget.objects.filter(indicator_id__in=codes, year=year)
    for row in rows.values_list("indicator_id", "unit_id", "value"):
        found[(row[0], row[1])] = row[2]
    return found


def target_for(targets: dict, code: str, unit: OrgUnit) -> Decimal | None:
    """The unit's own target, else its district's (for a township), else the default."""
    for unit_id in (unit.pk, unit.parent_id if unit.level == OrgUnit.Level.TOWNSHIP else None):
        if unit_id is not None and (code, unit_id) in targets:
            return targets[(code, unit_id)]
    return targets.get((code, None))


# --- values ------------------------------------------------------------------------------------


def indicators(codes=None) -> list[Indicator]:
    queryset = Indicator.objects.all()
    if codes:
        queryset = queryset.filter(code__in=codes)
    return list(queryset)


def source_for(indicator: Indicator):
    source = SOURCES.get(indicator.code)
    if source is None:
        raise SourceUnavailable(indicator.code)
    return source


def grouping(unit: OrgUnit) -> str:
    """A township's value counts records by their township; any other unit's by handling unit."""
    return TOWNSHIP if unit.level == OrgUnit.Level.TOWNSHIP else UNIT


def _where(units: list[OrgUnit], group: str, basis: str):
    """A filter on the records of the units asked for, so a district's value reads only that
    district's rows; None when the city is among them (then every row counts anyway)."""
    wanted = [unit for unit in units if grouping(unit) == group]
    if any(unit.level == OrgUnit.Level.CITY for unit in wanted):
        return None

    def where(field: str) -> Q:
        condition = Q(pk__in=[])
        for unit in wanted:
            condition |= unit_filter(unit, basis, field)
        return condition

    return where


def compute(
    indicator: Indicator,
    period: Period,
    units: list[OrgUnit],
    *,
    basis: str = RECORDED,
    today: date | None = None,
) -> list[Value]:
    today = today or timezone.localdate()
    options = settings_of(indicator)
    source = source_for(indicator)
    until = period.counted_until(today)
    counts, splits = {}, {}
    for group in {grouping(unit) for unit in units}:
        if until < period.start:
            counts[group] = {}
            continue
        where = _where(units, group, basis)
        if hasattr(source, "split_counts"):
            # The parts and their sum from the same queries: the combined value is theirs.
            splits[group] = source.split_counts(period.start, until, options, group, where)
            counts[group] = _summed(splits[group])
        else:
            counts[group] = source.counts(period.start, until, options, group, where)
    paths = _Paths(basis)
    values = _values(indicator, period, units, counts, options, basis, today, paths)
    for value in values:
        split = splits.get(grouping(value.unit)) or {}
        if len(split) < 2:
            continue
        for label, by_key in split.items():
            total = paths.total(by_key, value.unit)
            value.parts.append(
                PartValue(label, total.numerator, total.denominator, rate(total, options))
            )
    return values


def _summed(split: dict) -> dict:
    total: dict = {}
    for by_key in split.values():
        for key, counts in by_key.items():
            total[key] = total.get(key, Counts()) + counts
    return total


def _values(
    indicator, period, units, counts, options, basis, today, paths=None, targets=None
) -> list[Value]:
    paths = paths or _Paths(basis)
    targets = _targets([indicator.code], period.year) if targets is None else targets
    now = timezone.now()
    settings = {"options": options, "version": indicator.version, "basis": basis}
    over = period.is_over(today) if indicator.kind != STOCK else period.end < today
    values = []
    for unit in units:
        total = paths.total(counts[grouping(unit)], unit)
        value = rate(total, options)
        target = target_for(targets, indicator.code, unit)
        gap = None if value is None or target is None else value - target
        values.append(
            Value(
                indicator,
                unit,
                period,
                total.numerator,
                total.denominator,
                value,
                target,
                gap,
                status_of(value, target, options, over),
                now,
                settings,
            )
        )
    return values


def trend(
    indicator: Indicator,
    year: int,
    units: list[OrgUnit],
    *,
    basis: str = RECORDED,
    today: date | None = None,
) -> dict[int, list[Value]]:
    """Year-to-date values at each month's end, for the months that have begun."""
    today = today or timezone.localdate()
    options = settings_of(indicator)
    source = source_for(indicator)
    through = min(date(year, 12, 31), today)
    if through < date(year, 1, 1):
        return {}
    groups = {grouping(unit) for unit in units}
    by_group = {
        group: source.monthly(year, through, options, group, _where(units, group, basis))
        for group in groups
    }
    paths, targets = _Paths(basis), _targets([indicator.code], year)
    series = {}
    for month in month_ends(year, through):
        counts = {group: by_group[group].get(month, {}) for group in groups}
        period = Period(year, as_of=min(Period(year, month=month).end, through))
        series[month] = _values(
            indicator, period, units, counts, options, basis, today, paths, targets
        )
    return series


def project(series: list[Decimal | None]) -> Decimal | None:
    """Year-end value from the run of year-to-date values: a least-squares line through the
    months so far, carried to December and kept within 0–100. With one month, that month."""
    points = [(month, value) for month, value in enumerate(series, start=1) if value is not None]
    if not points:
        return None
    if len(points) == 1:
        return points[0][1]
    n = Decimal(len(points))
    mean_x = sum(Decimal(x) for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    sxx = sum((Decimal(x) - mean_x) ** 2 for x, _ in points)
    sxy = sum((Decimal(x) - mean_x) * (y - mean_y) for x, y in points)
    slope = sxy / sxx if sxx else Decimal(0)
    projected = mean_y + slope * (Decimal(12) - mean_x)
    return min(max(projected, Decimal(0)), HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)


def ranks(keys: list, *, descending: bool = True) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of ``keys`` in a league table's direction: the largest
    first when ``descending``. A key None (no value: no denominator, no target for a gap)
    gets no rank."""
    ordered = sorted((k for k in keys if k is not None), reverse=descending)
    first = {}
    for position, key in enumerate(ordered, start=1):
        first.setdefault(key, position)
    return [None if key is None else first[key] for key in keys]


def league_ranks(values: list[Value]) -> list[int | None]:
    """Each value's place among the district-level units of a league (by value, highest
    first); the city, townships and units without a value get none."""
    keys = [value.value if value.unit.level == OrgUnit.Level.DISTRICT else None for value in values]
    return ranks(keys)


# --- drill-down --------------------------------------------------------------------------------


def unit_filter(unit: OrgUnit, basis: str, group: str) -> Q:
    """Records counted for ``unit``: its subtree by the units of the time, or by today's units."""
    if unit.level == OrgUnit.Level.CITY:
        return Q()
    lookup = (
        f"{group}__current__path__startswith" if basis == CURRENT else f"{group}__path__startswith"
    )
    return Q(**{lookup: unit.path})


def drill(indicator: Indicator, period: Period, unit: OrgUnit, *, basis=RECORDED, today=None):
    """The parts behind one value, each with numerator and denominator querysets."""
    today = today or timezone.localdate()
    options = settings_of(indicator)
    source = source_for(indicator)
    parts = source.parts(period.start, period.counted_until(today), options)
    township = unit.level == OrgUnit.Level.TOWNSHIP
    for part in parts:
        group = part.township_group if township else "unit"
        if group is None:  # these records do not say which township they belong to
            part.numerator, part.denominator = part.numerator.none(), part.denominator.none()
            continue
        condition = unit_filter(unit, basis, group)
        if part.narrow is not None:
            part.numerator, part.denominator = part.narrow(condition)
            continue
        part.numerator = part.numerator.filter(condition)
        part.denominator = part.denominator.filter(condition)
    return parts
