"""Read side of harmony: records scoped to the reader, the coverage of the creation activity
(indicator ``harmony_coverage``), and the public list of graded enterprises.

Coverage on a day D (``shared/domain/indicators.md`` §1), all in the database:

* in scope: enterprises operating on D (``status = operating``) with at least the minimum
  headcount (dated parameter ``harmony_coverage_min_headcount``) on D, read as they were that day
  (``registry.history``: today's rows that already held, plus the past states that held), plus
  industrial parks operating on D;
* an enrolment is active on D when ``starts_on <= D`` and ``covered_until`` is null or ``>= D``
  (``covered_until`` folds the end date and a withdrawal into one column);
* an enterprise is covered when an active enrolment targets it, its township (``region``), its
  park (``park``) or its (unit, industry) (``industry``). The first three are uncorrelated
  ``IN (subquery)`` tests (hashed once by PostgreSQL), the fourth literal (unit, industry) pairs;
  township, park and industry are also read as they were on D;
* a park is in scope when it operated on D and covered when an active ``park`` enrolment targets
  it; parks are read as they were on D too (``registry.history.PARKS``: a park set up after D or
  closed on or before D is not counted, and counts under the unit and township of that day).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q, QuerySet

from yutong.core import parameters, roles, scope, tables
from yutong.core.models import OrgUnit
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import can
from yutong.registry import history
from yutong.registry.choices import EnterpriseStatus
from yutong.registry.models import Enterprise

from . import services
from .models import HarmonyEnrollment, HarmonyEvaluation, HealthCheck

Scope = HarmonyEnrollment.Scope


# --- scoped reads ---------------------------------------------------------------------------------


def _visible(queryset: QuerySet, user, enterprise_field: str = "enterprise") -> QuerySet:
    """Staff: their units' subtree. An enterprise account: its own enterprise's records."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or can(user, *services.STAFF_READERS):
        return scope.restrict_to_units(queryset, user)
    own = services.own_enterprise(user)
    if own is None:
        return queryset.none()
    return queryset.filter(**{enterprise_field: own})


def enrollments_visible_to(user) -> QuerySet[HarmonyEnrollment]:
    queryset = HarmonyEnrollment.objects.select_related(
        "unit", "enterprise", "township", "park", "enrolled_by"
    )
    return _visible(queryset, user)


def health_checks_visible_to(user) -> QuerySet[HealthCheck]:
    return _visible(HealthCheck.objects.select_related("enterprise", "unit"), user)


def evaluations_visible_to(user) -> QuerySet[HarmonyEvaluation]:
    queryset = HarmonyEvaluation.objects.select_related("enterprise", "unit")
    return _visible(queryset, user)


# The sortable columns of the lists (small tables: enrolments are one row per target, regional
# ones never expanded; checks and evaluations one per enterprise and occasion).
ENROLLMENT_SORTING = tables.Sorting(
    columns={
        "starts_on": ("starts_on",),
        "ends_on": ("ends_on",),
        "unit": ("unit__code", "starts_on"),
        "scope": ("scope", "starts_on"),
    },
    default=("-starts_on", "-id"),
    descending_first=frozenset({"starts_on", "ends_on"}),
    nullable=frozenset({"ends_on"}),
)
CHECK_SORTING = tables.Sorting(
    columns={
        "checked_on": ("checked_on",),
        "enterprise": ("enterprise__name", "checked_on"),
        "score": ("score",),
    },
    default=("-checked_on", "-id"),
    descending_first=frozenset({"checked_on"}),
)
EVALUATION_SORTING = tables.Sorting(
    columns={
        "created_at": ("created_at",),
        "enterprise": ("enterprise__name",),
        "self_score": ("self_score",),
        "review_score": ("review_score",),
        "valid_until": ("valid_until",),
    },
    default=("-created_at", "-id"),
    descending_first=frozenset({"created_at", "self_score", "review_score", "valid_until"}),
    nullable=frozenset({"self_score", "review_score", "valid_until"}),
)
# The public list: by district, the higher grade first, then by name.
GRADED_SORTING = tables.Sorting(
    columns={
        "enterprise": ("enterprise__name",),
        "grade": ("grade", "enterprise__name"),
        "granted_on": ("granted_on",),
        "valid_until": ("valid_until",),
    },
    default=("unit__code", "-grade", "enterprise__name", "id"),
    descending_first=frozenset({"grade", "granted_on"}),
)
# The enterprises of the coverage page (the registry's name index, with the unit first too).
COVERAGE_SORTING = tables.Sorting(columns={"name": ("name",)}, default=("name", "id"))


def filter_enrollments(queryset, params: dict):
    if params.get("scope"):
        queryset = queryset.filter(scope=params["scope"])
    if params.get("unit") is not None:
        queryset = queryset.filter(unit=params["unit"])
    if params.get("year"):
        year = params["year"]
        queryset = queryset.filter(starts_on__lte=date(year, 12, 31)).filter(
            Q(covered_until__isnull=True) | Q(covered_until__gte=date(year, 1, 1))
        )
    if params.get("active_on"):
        queryset = queryset.filter(active_q(params["active_on"]))
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(
            Q(enterprise__name__contains=q)
            | Q(township__name__contains=q)
            | Q(park__name__contains=q)
        )
    return queryset


def filter_evaluations(queryset, params: dict):
    for field in ("status", "grade"):
        if params.get(field):
            queryset = queryset.filter(**{field: params[field]})
    if params.get("unit") is not None:
        queryset = queryset.filter(unit=params["unit"])
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(enterprise__name__contains=q)
    return queryset


# --- coverage -------------------------------------------------------------------------------------


def active_q(as_of: date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": as_of}) & (
        Q(**{f"{prefix}covered_until__isnull": True}) | Q(**{f"{prefix}covered_until__gte": as_of})
    )


def active_enrollments(as_of: date) -> QuerySet[HarmonyEnrollment]:
    return HarmonyEnrollment.objects.filter(active_q(as_of))


def covered_q(as_of: date, key: str = history.ENTERPRISE_KEY, among: list | None = None) -> Q:
    """Covered on ``as_of`` (see the module docstring): the condition on ``Enterprise`` rows, or
    on the past states (``key`` is where the model keeps the enterprise's id). ``among``: the
    ids of the only enterprises asked about, so that their own enrolments are read by index
    rather than all enterprises' hashed (the kept counts ask about a few at a time)."""
    return _targeted_q(active_enrollments(as_of), key, among)


def _targeted_q(enrollments: QuerySet, key: str, among: list | None = None) -> Q:
    """The enterprises ``enrollments`` cover, each by its own way of covering (of ``among``
    only, when given: their own enrolments are then read by index)."""
    found = Q(pk__in=[])
    for part in _targeted(enrollments, among):
        found |= part(key)
    return found


def _targeted(enrollments: QuerySet, among: list | None = None) -> list[history.Condition]:
    """``_targeted_q`` as one condition per way of covering (their union)."""
    own = enrollments.filter(scope=Scope.ENTERPRISE)
    if among is not None:
        own = own.filter(enterprise_id__in=among)
    return [
        lambda key: Q(**{f"{key}__in": own.values("enterprise_id")}),
        lambda key: Q(township_id__in=enrollments.filter(scope=Scope.REGION).values("township_id")),
        lambda key: Q(park_id__in=enrollments.filter(scope=Scope.PARK).values("park_id")),
        lambda key: _industry_q(enrollments),
    ]


def _bounded_on(day: date) -> QuerySet[HarmonyEnrollment]:
    """The enrolments whose cover begins on ``day`` or ended the day before."""
    return HarmonyEnrollment.objects.filter(
        Q(starts_on=day) | Q(covered_until=day - timedelta(days=1))
    )


def coverage_changed_on(day: date) -> list[history.Condition]:
    """The enterprises whose coverage or scope may differ on ``day`` from the day before (for
    the kept counts), as conditions whose union they are: those an enrolment beginning or
    ending then covers, those whose own values changed, or all of them when the head-count
    threshold changes that day."""
    if parameters.change_days(services.COVERAGE_MIN_HEADCOUNT, day - timedelta(days=1), day):
        return [lambda key: Q()]
    return [*history.ENTERPRISES.changed_on(day), *_targeted(_bounded_on(day))]


def park_coverage_changed_on(day: date) -> list[history.Condition]:
    """The parks whose coverage or operation may differ on ``day`` from the day before."""
    parks = _bounded_on(day).filter(scope=Scope.PARK).values("park_id")
    return [*history.PARKS.changed_on(day), lambda key: Q(**{f"{key}__in": parks})]


def targeted_by(values: dict) -> history.Condition:
    """The enterprises one enrolment covers, from its values (``scope``, ``enterprise``,
    ``township``, ``park``, ``unit``, ``industry``: ids): as ``_targeted_q`` reads a set of
    them, for one that may no longer be stored as it was."""
    scope = values["scope"]
    if scope == Scope.ENTERPRISE:
        return lambda key: Q(**{key: values["enterprise"]})
    if scope == Scope.REGION:
        return lambda key: Q(township_id=values["township"])
    if scope == Scope.PARK:
        return lambda key: Q(park_id=values["park"])
    return lambda key: Q(unit_id=values["unit"], industry=values["industry"])


def _enrollment_days(after, until, enrollments: QuerySet) -> set[date]:
    """The days in (``after``, ``until``] on which one of ``enrollments`` begins or ends."""
    starts = enrollments.filter(starts_on__gt=after)
    ends = enrollments.filter(covered_until__gte=after)
    if until is not None:
        starts = starts.filter(starts_on__lte=until)
        ends = ends.filter(covered_until__lt=until)
    days = set(starts.values_list("starts_on", flat=True).distinct().order_by())
    last = ends.values_list("covered_until", flat=True).distinct().order_by()
    return days | {day + timedelta(days=1) for day in last}


def _targeting(among: history.Condition) -> QuerySet[HarmonyEnrollment]:
    """The enrolments that may cover an enterprise meeting ``among`` on some day: by its id,
    or by a township, park or (unit, industry) it has had."""
    tracked = history.ENTERPRISES
    ids = tracked.ever(among)
    condition = Q(scope=Scope.ENTERPRISE, enterprise_id__in=ids)
    townships = {t for (t,) in tracked.ever_had(ids, "township_id") if t is not None}
    parks = {p for (p,) in tracked.ever_had(ids, "park_id") if p is not None}
    condition |= Q(scope=Scope.REGION, township_id__in=sorted(townships))
    condition |= Q(scope=Scope.PARK, park_id__in=sorted(parks))
    for unit_id, industry in sorted(tracked.ever_had(ids, "unit_id", "industry")):
        condition |= Q(scope=Scope.INDUSTRY, unit_id=unit_id, industry=industry)
    return HarmonyEnrollment.objects.filter(condition)


def coverage_change_days(
    after: date, until: date | None = None, among: history.Condition | None = None
) -> set[date]:
    """The days in (``after``, ``until``] on which the coverage or scope of some enterprise (of
    those meeting ``among`` on some day, when given) may change."""
    enrollments = HarmonyEnrollment.objects.all() if among is None else _targeting(among)
    return (
        _enrollment_days(after, until, enrollments)
        | history.ENTERPRISES.change_days(after, until, among)
        | parameters.change_days(services.COVERAGE_MIN_HEADCOUNT, after, until)
    )


def park_coverage_change_days(
    after: date, until: date | None = None, among: history.Condition | None = None
) -> set[date]:
    """The days in (``after``, ``until``] on which some park's coverage or operation may
    change (of the parks meeting ``among`` on some day, when given)."""
    enrollments = HarmonyEnrollment.objects.filter(scope=Scope.PARK)
    if among is not None:
        enrollments = enrollments.filter(park_id__in=history.PARKS.ever(among))
    return _enrollment_days(after, until, enrollments) | history.PARKS.change_days(
        after, until, among
    )


def _industry_q(active: QuerySet) -> Q:
    """Industry-wide enrolments, read first: they are few (an industry per district at most),
    and as literal (unit, industries) pairs the test costs a comparison per enterprise, where a
    correlated EXISTS ran an index probe for each of a million rows."""
    by_unit: dict[int, set[str]] = {}
    for unit_id, industry in active.filter(scope=Scope.INDUSTRY).values_list("unit_id", "industry"):
        by_unit.setdefault(unit_id, set()).add(industry)
    condition = Q(pk__in=[])
    for unit_id, industries in sorted(by_unit.items()):
        condition |= Q(unit_id=unit_id, industry__in=sorted(industries))
    return condition


def park_covered_q(as_of: date, key: str = history.RECORD_KEY) -> Q:
    """Covered on ``as_of``: the condition on ``IndustrialPark`` rows, or on their past states
    (``key`` is where the model keeps the park's id)."""
    parks = active_enrollments(as_of).filter(scope=Scope.PARK).values("park_id")
    return Q(**{f"{key}__in": parks})


def park_in_scope(as_of: date) -> history.Condition:
    """In scope on ``as_of``, as a condition on a park's values of that day: it operated."""
    return lambda key: Q(is_active=True)


def min_headcount(as_of: date) -> int:
    try:
        return int(parameter_value(services.COVERAGE_MIN_HEADCOUNT, as_of).value)
    except ParameterMissing:
        return 1


def in_scope(as_of: date) -> history.Condition:
    """In scope on ``as_of``, as a condition on an enterprise's values of that day."""
    minimum = min_headcount(as_of)
    return lambda key: Q(status=EnterpriseStatus.OPERATING, employee_count__gte=minimum)


def in_scope_enterprises(as_of: date, queryset: QuerySet | None = None) -> QuerySet[Enterprise]:
    queryset = Enterprise.objects.all() if queryset is None else queryset
    return queryset.filter(history.as_of_q(as_of, in_scope(as_of)))


@dataclass(frozen=True)
class UnitCoverage:
    unit_id: int
    unit_code: str
    unit_name: str
    enterprises: int
    enterprises_covered: int
    parks: int
    parks_covered: int
    district_id: int | None = None  # the row's own unit, or a township's district

    @property
    def numerator(self) -> int:
        return self.enterprises_covered + self.parks_covered

    @property
    def denominator(self) -> int:
        return self.enterprises + self.parks

    @property
    def rate(self) -> Decimal | None:
        """Percent with one decimal; ``None`` when nothing is in scope."""
        return _percent(self.numerator, self.denominator)

    @property
    def enterprise_rate(self) -> Decimal | None:
        """The enterprises' part of the coverage alone."""
        return _percent(self.enterprises_covered, self.enterprises)

    @property
    def park_rate(self) -> Decimal | None:
        """The parks' part of the coverage alone."""
        return _percent(self.parks_covered, self.parks)


def _percent(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / denominator).quantize(Decimal("0.1"))


def _district_ids(units) -> list[int] | None:
    """District-level unit ids for ``units`` (OrgUnits or ids), with the units merged into them:
    the districts of each unit's reach (``core.scope``), the split the data scope itself uses."""
    if units is None:
        return None
    ids: set[int] = set()
    for unit in units:
        unit = unit if isinstance(unit, OrgUnit) else OrgUnit.objects.get(pk=unit)
        ids.update(scope.reach_of(unit).districts)
    return sorted(ids)


def coverage(as_of: date, units=None, *, basis: str = "recorded") -> list[UnitCoverage]:
    """Numerator and denominator of ``harmony_coverage`` per district-level unit on ``as_of``.

    ``units``: OrgUnits (or ids) to restrict to — each with its subtree and the units merged
    into it; ``None`` for the whole city. ``basis="recorded"`` groups by the unit each
    enterprise and park is registered under; ``basis="current"`` by that unit's current
    successor (江北区's enterprises under 两江新区). Grouped queries in the database (today's rows
    and, for a past day, the past states of enterprises and of parks), however many records;
    rows come back in unit-code order, units with nothing in scope omitted.
    """
    key = "unit__current_id" if basis == "current" else "unit_id"
    ids = _district_ids(units)
    return _grouped_coverage(as_of, key, None if ids is None else Q(unit_id__in=ids))


def township_coverage(as_of: date, townships) -> list[UnitCoverage]:
    """``coverage`` per township (ids) on ``as_of``: the enterprises and parks whose township
    was that one on the day (read from ``registry.history``, like the district rows). The same
    grouped queries, keyed on the township instead of the unit."""
    return _grouped_coverage(as_of, "township_id", Q(township_id__in=list(townships)))


def _grouped_coverage(as_of: date, key: str, where: Q | None) -> list[UnitCoverage]:
    """Rows keyed on ``key`` (a column both enterprises and parks have) within ``where``."""
    enterprise_rows = {
        unit_id: {"total": total, "covered": covered}
        for unit_id, (covered, total) in history.grouped_counts(
            as_of,
            in_scope(as_of),
            key,
            covered=lambda id_key: covered_q(as_of, id_key),
            where=where,
        ).items()
    }
    park_rows = {
        unit_id: {"total": total, "covered": covered}
        for unit_id, (covered, total) in history.PARKS.grouped_counts(
            as_of,
            park_in_scope(as_of),
            key,
            covered=lambda id_key: park_covered_q(as_of, id_key),
            where=where,
        ).items()
    }
    names = OrgUnit.objects.in_bulk([*enterprise_rows, *park_rows])
    result = []
    for unit_id, unit in names.items():
        ent, park = enterprise_rows.get(unit_id, {}), park_rows.get(unit_id, {})
        result.append(
            UnitCoverage(
                unit_id=unit_id,
                unit_code=unit.code,
                unit_name=unit.name,
                enterprises=ent.get("total", 0),
                enterprises_covered=ent.get("covered", 0),
                parks=park.get("total", 0),
                parks_covered=park.get("covered", 0),
                district_id=unit.parent_id if unit.level == OrgUnit.Level.TOWNSHIP else unit_id,
            )
        )
    return sorted(result, key=lambda row: row.unit_code)


def coverage_total(rows: list[UnitCoverage]) -> UnitCoverage:
    return UnitCoverage(
        unit_id=0,
        unit_code="",
        unit_name="合计",
        enterprises=sum(r.enterprises for r in rows),
        enterprises_covered=sum(r.enterprises_covered for r in rows),
        parks=sum(r.parks for r in rows),
        parks_covered=sum(r.parks_covered for r in rows),
    )


def coverage_for(user, as_of: date) -> list[UnitCoverage]:
    """``coverage`` of the user's data scope (``core.scope``): a row per district-level unit of
    the subtree, and a row per township whose enterprises the scope reaches through their
    township alone (a township account's own; one merged across a district boundary)."""
    if scope.sees_everything(user):
        return coverage(as_of)
    if user.unit_id is None or not can(user, *services.STAFF_READERS):
        return []
    reach = scope.reach_for(user)
    rows = []
    if reach.districts:
        rows += _grouped_coverage(as_of, "unit_id", Q(unit_id__in=reach.districts))
    if reach.townships:
        rows += township_coverage(as_of, reach.townships)
    return sorted(rows, key=lambda row: row.unit_code)


def enterprises_by_coverage(enterprises: QuerySet, as_of: date, covered: bool | None):
    """In-scope enterprises of ``enterprises`` (already scoped), covered or not on ``as_of``,
    both judged on their values of that day."""
    scope_on = in_scope(as_of)
    if covered is None:
        condition = scope_on
    elif covered:
        condition = lambda key: scope_on(key) & covered_q(as_of, key)  # noqa: E731
    else:
        condition = lambda key: scope_on(key) & ~covered_q(as_of, key)  # noqa: E731
    return enterprises.filter(history.as_of_q(as_of, condition))


# --- the public list ------------------------------------------------------------------------------


def graded_enterprises(day: date | None = None) -> QuerySet[HarmonyEvaluation]:
    """Grades held today: granted, not revoked, not superseded, not expired. No login needed:
    only the enterprise's name, USCC, unit, grade and dates are shown."""
    from django.utils import timezone

    day = day or timezone.localdate()
    return (
        HarmonyEvaluation.objects.filter(is_current=True, valid_until__gte=day)
        .select_related("enterprise", "unit")
        .order_by("unit__code", "-grade", "enterprise__name", "id")
    )


def is_staff_reader(user) -> bool:
    return user.is_authenticated and (user.is_superuser or can(user, *services.STAFF_READERS))


def enterprise_role(user) -> bool:
    return can(user, roles.ENTERPRISE_USER)
