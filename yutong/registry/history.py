"""Enterprises as they were on a given day.

An ``Enterprise`` row holds today's values of the tracked fields (``TRACKED``) from its
``state_since`` on (None: since before the records began). A change of a tracked field closes
the period of the values it replaces in an ``EnterpriseState`` row [valid_from, valid_until).
So on a day D an enterprise is described by exactly one of:

- its ``Enterprise`` row, if ``state_since`` is None or on or before D (``current_on``);
- the ``EnterpriseState`` row whose period holds D (``past_on``);
- neither: it was established after D.

A count "as of D" is therefore the sum of two counts, both grouped in the database: today's
rows that already held on D, and the past rows that held on D. The past rows on a recent day
are few; the query for them is skipped when there are none. Conditions are written once, as a
function of the name under which each model holds the enterprise's id (``"pk"`` on
``Enterprise``, ``"enterprise_id"`` on ``EnterpriseState``): the tracked fields have the same
names on both models.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Enterprise, EnterpriseState

TRACKED = ("unit", "township", "park", "industry", "status", "employee_count")

# A condition on the tracked fields, given the name of the enterprise id on the model read.
Condition = Callable[[str], Q]
ENTERPRISE_KEY, STATE_KEY = "pk", "enterprise_id"


def current_on(day: date) -> Q:
    """``Enterprise`` rows whose present values already held on ``day``."""
    return Q(state_since__isnull=True) | Q(state_since__lte=day)


def past_on(day: date) -> Q:
    """``EnterpriseState`` rows whose period holds ``day``."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & Q(valid_until__gt=day)


def is_today(day: date) -> bool:
    """Today's rows describe today (and no change or founding day lies in the future: the
    services refuse both), so as of today a condition needs no history at all."""
    return day >= timezone.localdate()


def any_past(day: date) -> bool:
    """Whether any enterprise was different on ``day`` from today (one index probe)."""
    return EnterpriseState.objects.filter(valid_until__gt=day).exists()


def slices(
    day: date, condition: Condition, enterprises: QuerySet | None = None
) -> Iterator[tuple[QuerySet, str]]:
    """The querysets whose rows together are the enterprises meeting ``condition`` on ``day``,
    one row each, with the name of the enterprise id on each. ``enterprises`` narrows today's
    rows (select_related and the like); past rows are narrowed by the same ``condition``."""
    enterprises = Enterprise.objects.all() if enterprises is None else enterprises
    if is_today(day):
        yield enterprises.filter(condition(ENTERPRISE_KEY)), ENTERPRISE_KEY
        return
    yield enterprises.filter(current_on(day) & condition(ENTERPRISE_KEY)), ENTERPRISE_KEY
    if any_past(day):
        past = EnterpriseState.objects.filter(past_on(day) & condition(STATE_KEY))
        yield past, STATE_KEY


def as_of_q(day: date, condition: Condition) -> Q:
    """The condition on ``Enterprise`` rows: the enterprise met ``condition`` on ``day``."""
    if is_today(day):
        return condition(ENTERPRISE_KEY)
    today = current_on(day) & condition(ENTERPRISE_KEY)
    if not any_past(day):
        return today
    past = EnterpriseState.objects.filter(past_on(day) & condition(STATE_KEY))
    return today | Q(pk__in=past.values(STATE_KEY))


def grouped_counts(
    day: date,
    condition: Condition,
    field: str,
    covered: Condition | None = None,
    where: Q | None = None,
) -> dict:
    """{value of ``field``: (covered, total)} over the enterprises meeting ``condition`` on
    ``day``; ``field`` and ``where`` name tracked fields (``unit``, ``unit__current_id``,
    ``township``), read as they were on that day."""
    totals: dict = {}
    for queryset, key in slices(day, condition):
        if where is not None:
            queryset = queryset.filter(where)
        aggregates = {"d": Count(key)}
        if covered is not None:
            aggregates["n"] = Count(key, filter=covered(key))
        for row in queryset.values(field).annotate(**aggregates).order_by():
            n, d = totals.get(row[field], (0, 0))
            totals[row[field]] = (n + row.get("n", 0), d + row["d"])
    return totals


def with_values_on(queryset: QuerySet, day: date) -> QuerySet:
    """``queryset`` of enterprises annotated with their head count, unit name and township name
    as they were on ``day`` (``employees_on``, ``unit_name_on``, ``township_name_on``). One index
    probe per row read: for pages and exports, not for counting."""
    state = EnterpriseState.objects.filter(past_on(day), enterprise=OuterRef("pk"))
    return queryset.annotate(
        employees_on=Coalesce(Subquery(state.values("employee_count")[:1]), F("employee_count")),
        unit_name_on=Coalesce(Subquery(state.values("unit__name")[:1]), F("unit__name")),
        township_name_on=Coalesce(
            Subquery(state.values("township__name")[:1]), F("township__name")
        ),
    )
