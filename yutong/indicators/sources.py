"""Where each indicator's numbers come from: one source per indicator, over the records of the
domain apps (this app reads them all; none of them imports it).

A source answers three questions with aggregate queries grouped in the database:
* ``counts(start, end, options, group)``: numerator and denominator per unit id;
* ``monthly(year, through, options, group)``: the same, year to date, at each month's end — one
  query with a pair of conditional counts per month, not twelve queries;
* ``parts(start, end, options)``: the querysets behind the numerator and the denominator, for the
  drill-down and its export.
``group`` is the field that names the unit: the recorded handling unit, or a township field where
the records carry one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractMonth
from django.urls import reverse

from yutong.disputes import queries as disputes
from yutong.disputes.models import ArbitrationCase, MediationCase
from yutong.harmony import queries as harmony
from yutong.inspection import queries as inspection
from yutong.inspection.models import InspectionCase
from yutong.registry import history
from yutong.registry.models import Enterprise, IndustrialPark
from yutong.relations import queries as relations

from . import ledger
from .periods import Period


@dataclass(frozen=True)
class Counts:
    numerator: int = 0
    denominator: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True)
class Column:
    """A column of the drill-down list and its export. ``sort`` names the field (or the
    annotation) the list may be sorted by on this column (empty: not sortable); ``num`` marks
    a count, right-aligned with thousands separators."""

    header: str
    value: Callable
    sort: str = ""
    num: bool = False


@dataclass
class Part:
    """One kind of record behind a value (mediation_success has two: mediation and arbitration)."""

    label: str
    numerator: QuerySet
    denominator: QuerySet
    columns: list[Column]
    url: Callable | None = None
    township_group: str | None = None
    readers: tuple | None = None  # roles that may open a record's page (None: any staff role)
    # (numerator, denominator) of the units a condition names, for records whose unit is read
    # as of a day rather than from the record itself (None: filter the querysets).
    narrow: Callable[[Q], tuple[QuerySet, QuerySet]] | None = None


def month_ends(year: int, through: date) -> dict[int, date]:
    """The last day of each month of ``year`` up to ``through`` (the running month ends there)."""
    ends = {}
    for month in range(1, 13):
        end = Period(year, month=month).end
        if Period(year, month=month).start > through:
            break
        ends[month] = min(end, through)
    return ends


UNIT, TOWNSHIP = "unit", "township"


def _grouped(queryset: QuerySet, field: str, aggregates: dict) -> list[dict]:
    rows = queryset.values(field).annotate(**aggregates).order_by()
    return [{**row, "key": row[field]} for row in rows]


def _within(queryset: QuerySet, where, field: str) -> QuerySet:
    """Only the records of the units asked for (``where(field)``), when not the whole city."""
    return queryset if where is None else queryset.filter(where(field))


def group_field(source, group: str) -> str | None:
    """The field that names the unit a record counts for: the handling unit, or the township
    where the records carry one (None: these records cannot be cut by township)."""
    return "unit" if group == UNIT else source.township_group


def _per_month(cases: QuerySet, field: str, day: str, start: date, through: date) -> dict:
    """{(unit key, month): count} of the cases whose ``day`` falls in [start, through]."""
    rows = (
        cases.filter(**{f"{day}__gte": start, f"{day}__lte": through})
        .values(field, month=ExtractMonth(day))
        .annotate(c=Count("pk"))
    )
    return {(row[field], row["month"]): row["c"] for row in rows}


def _running_totals(ends: dict, numerators: dict, denominators: dict, base: dict) -> dict:
    """Year-to-date Counts per unit at each month's end from per-month counts; ``base`` is
    added to every denominator (the cases carried over from the year before)."""
    keys = {key for key, _ in numerators} | {key for key, _ in denominators} | set(base)
    series: dict = {}
    running = {key: Counts(0, base.get(key, 0)) for key in keys}
    for month in ends:
        for key in keys:
            running[key] = running[key] + Counts(
                numerators.get((key, month), 0), denominators.get((key, month), 0)
            )
        series[month] = dict(running)
    return series


@dataclass
class CaseFlow:
    """Closure rate of cases: closed in the period ÷ (pending at its start + accepted in it)."""

    code: str
    cases: Callable[[dict], QuerySet]
    label: str
    columns: list[Column]
    url: Callable | None = None
    township_group: str | None = None
    readers: tuple | None = None
    accepted: str = "accepted_on"
    closed: str = "closed_on"

    def _open_at(self, start: date) -> Q:
        return Q(**{f"{self.closed}__isnull": True}) | Q(**{f"{self.closed}__gte": start})

    def _denominator(self, start: date, end: date, options: dict) -> Q:
        q = Q(**{f"{self.accepted}__lte": end}) & self._open_at(start)
        if not options.get("include_carried_over", True):
            q &= Q(**{f"{self.accepted}__gte": start})
        return q

    def _closed_in(self, start: date, end: date) -> Q:
        return Q(**{f"{self.closed}__gte": start, f"{self.closed}__lte": end})

    def _base(self, start: date, end: date, options: dict) -> QuerySet:
        # Every case closed in the period was accepted before its end and open at its start.
        base = Q(**{f"{self.accepted}__lte": end}) & self._open_at(start)
        return self.cases(options).filter(base)

    def counts(self, start: date, end: date, options: dict, group: str, where=None) -> dict:
        field = group_field(self, group)
        if field is None:
            return {}
        rows = _grouped(
            _within(self._base(start, end, options), where, field),
            field,
            {
                "num": Count("pk", filter=self._closed_in(start, end)),
                "den": Count("pk", filter=self._denominator(start, end, options)),
            },
        )
        return {row["key"]: Counts(row["num"], row["den"]) for row in rows}

    def monthly(self, year: int, through: date, options: dict, group: str, where=None) -> dict:
        """Acceptances and closures counted per month in two grouped queries (plus one for
        the cases carried over), then added up month by month."""
        field = group_field(self, group)
        if field is None:
            return {}
        start = date(year, 1, 1)
        cases = _within(self.cases(options).order_by(), where, field)
        carried: dict = {}
        if options.get("include_carried_over", True):
            before = cases.filter(Q(**{f"{self.accepted}__lt": start}) & self._open_at(start))
            carried = {row["key"]: row["c"] for row in _grouped(before, field, {"c": Count("pk")})}
        accepted = _per_month(cases, field, self.accepted, start, through)
        closed = _per_month(
            cases.filter(**{f"{self.accepted}__isnull": False}), field, self.closed, start, through
        )
        return _running_totals(month_ends(year, through), closed, accepted, carried)

    def parts(self, start: date, end: date, options: dict) -> list[Part]:
        cases = self.cases(options)
        return [
            Part(
                self.label,
                cases.filter(self._closed_in(start, end)),
                cases.filter(self._denominator(start, end, options)),
                self.columns,
                self.url,
                self.township_group,
                self.readers,
            )
        ]


@dataclass
class ClosureMix:
    """A share of closures: closures of some kinds ÷ closures of other kinds, in the period."""

    label: str
    cases: Callable[[dict], QuerySet]
    successes: Callable[[dict], list[str]]
    counted: Callable[[dict], list[str]]
    columns: list[Column]
    url: Callable | None = None
    township_group: str | None = None
    readers: tuple | None = None

    def _closed_in(self, start: date, end: date) -> Q:
        return Q(closed_on__gte=start, closed_on__lte=end)

    def _aggregates(self, start, end, options, suffix=""):
        return {
            f"n{suffix}": Count(
                "pk",
                filter=self._closed_in(start, end) & Q(closure__in=self.successes(options)),
            ),
            f"d{suffix}": Count(
                "pk", filter=self._closed_in(start, end) & Q(closure__in=self.counted(options))
            ),
        }

    def counts(self, start, end, options, group, where=None) -> dict:
        field = group_field(self, group)
        if field is None:
            return {}
        queryset = _within(self.cases(options), where, field).filter(self._closed_in(start, end))
        rows = _grouped(queryset, field, self._aggregates(start, end, options))
        return {row["key"]: Counts(row["n"], row["d"]) for row in rows}

    def monthly(self, year, through, options, group, where=None) -> dict:
        field = group_field(self, group)
        if field is None:
            return {}
        start = date(year, 1, 1)
        successes, counted = set(self.successes(options)), set(self.counted(options))
        rows = (
            _within(self.cases(options), where, field)
            .order_by()
            .filter(self._closed_in(start, through))
            .values(field, "closure", month=ExtractMonth("closed_on"))
            .annotate(c=Count("pk"))
        )
        numerators: dict = {}
        denominators: dict = {}
        for row in rows:
            key = (row[field], row["month"])
            if row["closure"] in successes:
                numerators[key] = numerators.get(key, 0) + row["c"]
            if row["closure"] in counted:
                denominators[key] = denominators.get(key, 0) + row["c"]
        return _running_totals(month_ends(year, through), numerators, denominators, {})

    def parts(self, start, end, options) -> list[Part]:
        closed = self.cases(options).filter(self._closed_in(start, end))
        return [
            Part(
                self.label,
                closed.filter(closure__in=self.successes(options)),
                closed.filter(closure__in=self.counted(options)),
                self.columns,
                self.url,
                self.township_group,
                self.readers,
            )
        ]


@dataclass
class Combined:
    """A value made of several kinds of record, added together unit by unit."""

    code: str
    members: list = field(default_factory=list)

    def counts(self, start, end, options, group, where=None) -> dict:
        total: dict = {}
        for member in self.members:
            for key, counts in member.counts(start, end, options, group, where).items():
                total[key] = total.get(key, Counts()) + counts
        return total

    def monthly(self, year, through, options, group, where=None) -> dict:
        total: dict = {}
        for member in self.members:
            for month, by_unit in member.monthly(year, through, options, group, where).items():
                into = total.setdefault(month, {})
                for key, counts in by_unit.items():
                    into[key] = into.get(key, Counts()) + counts
        return total

    def parts(self, start, end, options) -> list[Part]:
        return [part for member in self.members for part in member.parts(start, end, options)]


# --- disputes (issue #3) -----------------------------------------------------------------------

ARBITRATION_COLUMNS = [
    Column("案号", lambda c: c.number or f"仲裁 {c.pk}", sort="number"),
    Column("办理单位", lambda c: c.unit.name),
    Column("仲裁委员会", lambda c: c.commission.name),
    Column("收到日期", lambda c: c.received_on, sort="received_on"),
    Column("受理日期", lambda c: c.accepted_on, sort="accepted_on"),
    Column("结案日期", lambda c: c.closed_on, sort="closed_on"),
    Column("结案方式", lambda c: c.get_closure_display()),
]
MEDIATION_COLUMNS = [
    Column("编号", lambda c: f"调解 {c.pk}"),
    Column("办理单位", lambda c: c.unit.name),
    Column("调解组织", lambda c: c.body.name),
    Column("收到日期", lambda c: c.received_on, sort="received_on"),
    Column("结案日期", lambda c: c.closed_on, sort="closed_on"),
    Column("结案方式", lambda c: c.get_closure_display()),
]


def _arbitration_cases(_options=None) -> QuerySet:
    return ArbitrationCase.objects.select_related("unit", "commission")


def _mediation_cases(_options=None) -> QuerySet:
    return MediationCase.objects.select_related("unit", "body")


def _arbitration_url(case) -> str:
    return reverse("disputes:arbitration_detail", args=[case.pk])


def _mediation_url(case) -> str:
    return reverse("disputes:mediation_detail", args=[case.pk])


A = ArbitrationCase.Closure
M = MediationCase.Closure
ARBITRATION_OTHER = [A.WITHDRAWN, A.DEEMED_WITHDRAWN, A.CANCELLED, A.TERMINATED]


def _arbitral_successes(options) -> list[str]:
    return [A.MEDIATION_DOCUMENT] if options.get("include_arbitral_mediation", True) else []


def _arbitral_counted(options) -> list[str]:
    counted = [A.AWARD, *_arbitral_successes(options)]
    if options.get("include_other_closures"):
        counted += ARBITRATION_OTHER
    return counted


def _mediation_counted(options) -> list[str]:
    counted = [M.AGREEMENT, M.SETTLEMENT, M.NO_AGREEMENT]
    if options.get("include_other_closures"):
        counted.append(M.WITHDRAWN)
    return counted


SOURCES: dict = {
    "arbitration_closure": CaseFlow(
        "arbitration_closure",
        _arbitration_cases,
        "仲裁案件",
        ARBITRATION_COLUMNS,
        _arbitration_url,
        readers=disputes.ARBITRATION_READERS,
    ),
    "mediation_success": Combined(
        "mediation_success",
        [
            ClosureMix(
                "调解组织调解案件",
                _mediation_cases,
                lambda options: [M.AGREEMENT, M.SETTLEMENT],
                _mediation_counted,
                MEDIATION_COLUMNS,
                _mediation_url,
                township_group="body__township",
                readers=disputes.MEDIATION_READERS,
            ),
            ClosureMix(
                "仲裁案件（裁决及仲裁调解）",
                _arbitration_cases,
                _arbitral_successes,
                _arbitral_counted,
                ARBITRATION_COLUMNS,
                _arbitration_url,
                readers=disputes.ARBITRATION_READERS,
            ),
        ],
    ),
}


# --- harmony (issue #5) --------------------------------------------------------------------------


@dataclass
class StockShare:
    """A share of things in scope on the period's last day (harmony coverage, contract rate).

    Each member is a dict: ``label``, ``columns``, ``url``, ``township`` (the field naming the
    township), ``readers`` and ``only_if`` (the option without which it is left out), and either
    - ``condition`` and ``covered``: functions of the day giving ``registry.history`` conditions
      on a record's values of that day (records are read as they were); ``history`` names the
      kind of record (``registry.history.ENTERPRISES`` unless given, or ``PARKS``), or
    - ``scope`` and ``covered``: functions of the day giving the in-scope queryset and the
      covered ``Q`` (records without history).

    A value made of several members also comes split by member (``split_counts``): the pages
    show, for harmony coverage, the enterprises and the parks beside the combined figure.
    """

    code: str
    members: list

    def _active(self, options):
        return [m for m in self.members if not m.get("only_if") or options.get(m["only_if"], True)]

    def counts(self, start, end, options, group, where=None) -> dict:
        total: dict = {}
        for by_key in self.split_counts(start, end, options, group, where).values():
            for key, counts in by_key.items():
                total[key] = total.get(key, Counts()) + counts
        return total

    def split_counts(self, start, end, options, group, where=None) -> dict:
        """{member label: {unit key: Counts}}, the members in order; ``counts`` is their sum."""
        split: dict = {}
        for member in self._active(options):
            field = "unit" if group == UNIT else member["township"]
            by_key = split.setdefault(member["label"], {})
            if field is None:
                continue
            for key, (n, d) in self._grouped(member, end, field, where).items():
                by_key[key] = by_key.get(key, Counts()) + Counts(n, d)
        return split

    @staticmethod
    def _grouped(member, day, field, where) -> dict:
        where = None if where is None else where(field)
        kept = ledger.kept_from(member) if "key" in member else None
        if kept is not None and day >= kept:
            return ledger.counts(member, day, field, where)
        if "condition" in member:
            return member.get("history", history.ENTERPRISES).grouped_counts(
                day,
                member["condition"](day),
                field,
                covered=member["covered"](day),
                where=where,
            )
        rows = _grouped(
            member["scope"](day).order_by()
            if where is None
            else member["scope"](day).filter(where),
            field,
            {"n": Count("pk", filter=member["covered"](day)), "d": Count("pk")},
        )
        return {row["key"]: (row["n"], row["d"]) for row in rows}

    def monthly(self, year, through, options, group, where=None) -> dict:
        """Each month's end read from the kept counts in one query per member (the months
        before they are kept from: computed from the records)."""
        ends = month_ends(year, through)
        series: dict = {month: {} for month in ends}
        for member in self._active(options):
            field = "unit" if group == UNIT else member["township"]
            if field is None:
                continue
            kept = ledger.kept_from(member) if "key" in member else None
            fast = {m: end for m, end in ends.items() if kept is not None and end >= kept}
            by_month = ledger.monthly(member, fast, field, None if where is None else where(field))
            for month, end in ends.items():
                found = by_month.get(month)
                if found is None:
                    found = self._grouped(member, end, field, where)
                into = series[month]
                for key, (n, d) in found.items():
                    into[key] = into.get(key, Counts()) + Counts(n, d)
        return series

    def parts(self, start, end, options) -> list[Part]:
        parts = []
        for member in self._active(options):
            if "condition" in member:
                parts.append(self._enterprise_part(member, end))
                continue
            in_scope = member["scope"](end)
            parts.append(
                Part(
                    member["label"],
                    in_scope.filter(member["covered"](end)),
                    in_scope,
                    member["columns"],
                    member["url"],
                    member["township"],
                    member.get("readers"),
                )
            )
        return parts

    @staticmethod
    def _enterprise_part(member, day) -> Part:
        """The records (enterprises, parks) in scope and covered on ``day``, by their values of
        that day (unit and township too, so a unit's list holds what its count held), shown
        with those values."""
        in_scope, covered = member["condition"](day), member["covered"](day)
        tracked = member.get("history", history.ENTERPRISES)

        def lists(where: Q) -> tuple[QuerySet, QuerySet]:
            base = tracked.with_values_on(member["records"](), day)
            numerator = base.filter(
                tracked.as_of_q(day, lambda key: in_scope(key) & covered(key) & where)
            )
            return numerator, base.filter(tracked.as_of_q(day, lambda key: in_scope(key) & where))

        numerator, denominator = lists(Q())
        return Part(
            member["label"],
            numerator,
            denominator,
            member["columns"],
            member["url"],
            member["township"],
            member.get("readers"),
            narrow=lists,
        )


# Enterprises as they were on the period's last day (history.with_values_on).
ENTERPRISE_COLUMNS = [
    Column("统一社会信用代码", lambda e: e.uscc),
    Column("企业名称", lambda e: e.name, sort="name"),
    Column("所属区县", lambda e: e.unit_name_on),
    Column("所属镇街", lambda e: e.township_name_on or ""),
    # Not sortable: the head count of the day is a subquery per row, and ordering the city's
    # million enterprises by it took 2–5 s (docs/performance.md); by name reads an index.
    Column("职工人数", lambda e: e.employees_on, num=True),
]
# Parks as they were on the period's last day (history.PARKS.with_values_on).
PARK_COLUMNS = [
    Column("园区代码", lambda p: p.code),
    Column("园区名称", lambda p: p.name, sort="name"),
    Column("所在区县", lambda p: p.unit_name_on),
    Column("所在镇街", lambda p: p.township_name_on or ""),
]


def _enterprise_url(enterprise) -> str:
    return reverse("registry:enterprise_detail", args=[enterprise.uscc])


def _park_url(park) -> str:
    return reverse("registry:park_detail", args=[park.pk])


SOURCES["harmony_coverage"] = StockShare(
    "harmony_coverage",
    [
        {
            "key": "harmony_coverage.enterprises",
            "label": "企业",
            "records": Enterprise.objects.all,
            "condition": lambda day, among=None: harmony.in_scope(day),
            "changed_on": harmony.coverage_changed_on,
            "change_days": harmony.coverage_change_days,
            "covered": lambda day, among=None: lambda key: harmony.covered_q(day, key, among),
            "columns": ENTERPRISE_COLUMNS,
            "url": _enterprise_url,
            "township": "township",
        },
        {
            "key": "harmony_coverage.parks",
            "label": "工业园区",
            "history": history.PARKS,
            "changed_on": harmony.park_coverage_changed_on,
            "change_days": harmony.park_coverage_change_days,
            "records": IndustrialPark.objects.all,
            "condition": lambda day, among=None: harmony.park_in_scope(day),
            "covered": lambda day, among=None: lambda key: harmony.park_covered_q(day, key),
            "columns": PARK_COLUMNS,
            "url": _park_url,
            "township": "township",
            "only_if": "include_parks",
        },
    ],
)


# --- inspection (issue #4) ---------------------------------------------------------------------

INSPECTION_COLUMNS = [
    Column("案号", lambda c: c.number, sort="number"),
    Column("办理单位", lambda c: c.unit.name),
    Column("用人单位", lambda c: c.employer_name),
    Column("立案日期", lambda c: c.accepted_on, sort="accepted_on"),
    Column("结案日期", lambda c: c.closed_on, sort="closed_on"),
    Column("处理结果", lambda c: c.get_closure_display()),
    Column("拖欠农民工工资", lambda c: c.is_wage_arrears),
]


def _complaint_cases(wage_arrears: bool):
    """Cases opened on a complaint (举报投诉案件); proactive inspections are not counted."""

    def cases(_options=None) -> QuerySet:
        queryset = InspectionCase.objects.filter(origin=InspectionCase.Origin.COMPLAINT)
        if wage_arrears:
            queryset = queryset.filter(is_wage_arrears=True)
        return queryset.select_related("unit")

    return cases


def _inspection_url(case) -> str:
    return reverse("inspection:case_detail", args=[case.pk])


SOURCES["inspection_closure"] = CaseFlow(
    "inspection_closure",
    _complaint_cases(wage_arrears=False),
    "举报投诉案件",
    INSPECTION_COLUMNS,
    _inspection_url,
    township_group="employer__township",
    readers=inspection.READERS,
)
SOURCES["wage_arrears_closure"] = CaseFlow(
    "wage_arrears_closure",
    _complaint_cases(wage_arrears=True),
    "拖欠农民工工资举报投诉案件",
    INSPECTION_COLUMNS,
    _inspection_url,
    township_group="employer__township",
    readers=inspection.READERS,
)


# --- relations (issue #5) -------------------------------------------------------------------------

SOURCES["collective_contract_rate"] = StockShare(
    "collective_contract_rate",
    [
        {
            "key": "collective_contract_rate.enterprises",
            "label": "重点建会企业",
            "records": Enterprise.objects.all,
            "condition": relations.key_condition,
            "changed_on": relations.key_changed_on,
            "change_days": relations.key_change_days,
            "covered": lambda day, among=None: (
                lambda key: relations.covered_by_contract(day, key, among)
            ),
            "columns": ENTERPRISE_COLUMNS,
            "url": _enterprise_url,
            "township": "township",
        }
    ],
)


def stock_members() -> list[dict]:
    """Every member of a stock indicator whose counts are kept (``ledger.py``)."""
    return [
        member
        for source in SOURCES.values()
        if isinstance(source, StockShare)
        for member in source.members
        if "key" in member
    ]
