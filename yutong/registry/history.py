"""Enterprises and industrial parks as they were on a given day.

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

Industrial parks keep their history the same way (``IndustrialPark`` / ``ParkState``, the park's
id as ``"park_id"`` on its states; tracked: unit, township and whether it operates). Each kind
of record is a ``Tracked`` (``ENTERPRISES``, ``PARKS``) with the same functions; the module-level
functions are those of ``ENTERPRISES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Enterprise, EnterpriseState, IndustrialPark, ParkState

TRACKED = ("unit", "township", "park", "industry", "status", "employee_count")
PARK_TRACKED = ("unit", "township", "is_active")

# A condition on the tracked fields, given the name of the record's id on the model read.
Condition = Callable[[str], Q]
ENTERPRISE_KEY, STATE_KEY = "pk", "enterprise_id"
RECORD_KEY = "pk"
# Up to this many records are named by id in a lookup (``Tracked.named``), so that what is
# looked up by them reads an index; beyond, a subquery.
NAMED = 5000


def current_on(day: date) -> Q:
    """Today's rows (``Enterprise``, ``IndustrialPark``) whose present values already held on
    ``day``."""
    return Q(state_since__isnull=True) | Q(state_since__lte=day)


def past_on(day: date) -> Q:
    """Past-state rows whose period holds ``day``."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & Q(valid_until__gt=day)


def is_today(day: date) -> bool:
    """Today's rows describe today (and no change or founding day lies in the future: the
    services refuse both), so as of today a condition needs no history at all."""
    return day >= timezone.localdate()


@dataclass(frozen=True)
class Tracked:
    """One kind of record with a history: the model holding today's values, the model of its
    past states, the name of the record's id on a state, the tracked fields, and the values a
    page shows "as of the day" (annotation name → field path, read from the state that held)."""

    model: type[Model]
    state_model: type[Model]
    state_key: str
    fields: tuple[str, ...]
    shown: tuple[tuple[str, str], ...]

    @property
    def owner(self) -> str:
        """The state's foreign key to its record (``"enterprise"``, ``"park"``)."""
        return self.state_key.removesuffix("_id")

    def states_of(self, record) -> QuerySet:
        return self.state_model.objects.filter(**{self.owner: record})

    def any_past(self, day: date) -> bool:
        """Whether any record was different on ``day`` from today (one index probe)."""
        return self.state_model.objects.filter(valid_until__gt=day).exists()

    def slices(
        self, day: date, condition: Condition, records: QuerySet | None = None
    ) -> Iterator[tuple[QuerySet, str]]:
        """The querysets whose rows together are the records meeting ``condition`` on ``day``,
        one row each, with the name of the record's id on each. ``records`` narrows today's
        rows (select_related and the like); past rows are narrowed by the same ``condition``."""
        records = self.model.objects.all() if records is None else records
        if is_today(day):
            yield records.filter(condition(RECORD_KEY)), RECORD_KEY
            return
        yield records.filter(current_on(day) & condition(RECORD_KEY)), RECORD_KEY
        if self.any_past(day):
            past = self.state_model.objects.filter(past_on(day) & condition(self.state_key))
            yield past, self.state_key

    def as_of_q(self, day: date, condition: Condition) -> Q:
        """The condition on today's rows: the record met ``condition`` on ``day``."""
        if is_today(day):
            return condition(RECORD_KEY)
        today = current_on(day) & condition(RECORD_KEY)
        if not self.any_past(day):
            return today
        past = self.state_model.objects.filter(past_on(day) & condition(self.state_key))
        return today | Q(pk__in=past.values(self.state_key))

    def grouped_counts(
        self,
        day: date,
        condition: Condition,
        field: str | tuple[str, ...],
        covered: Condition | None = None,
        where: Q | None = None,
    ) -> dict:
        """{value of ``field``: (covered, total)} over the records meeting ``condition`` on
        ``day``; ``field`` and ``where`` name tracked fields (``unit``, ``unit__current_id``,
        ``township``), read as they were on that day. A tuple of fields groups by all of them
        (the keys are then tuples)."""
        fields = (field,) if isinstance(field, str) else field
        totals: dict = {}
        for queryset, key in self.slices(day, condition):
            if where is not None:
                queryset = queryset.filter(where)
            aggregates = {"d": Count(key)}
            if covered is not None:
                aggregates["n"] = Count(key, filter=covered(key))
            for row in queryset.values(*fields).annotate(**aggregates).order_by():
                group = row[field] if isinstance(field, str) else tuple(row[f] for f in fields)
                n, d = totals.get(group, (0, 0))
                totals[group] = (n + row.get("n", 0), d + row["d"])
        return totals

    def changed_on(self, day: date) -> list[Condition]:
        """The records whose tracked values on ``day`` may differ from the day before (founded
        that day, or a change took effect): conditions on the record's id whose union they are
        (each read by its own index)."""
        began = self.model.objects.filter(state_since=day).values(RECORD_KEY)
        states = self.state_model.objects.filter(Q(valid_from=day) | Q(valid_until=day))
        ended = states.values(self.state_key)
        return [lambda key: Q(**{f"{key}__in": began}), lambda key: Q(**{f"{key}__in": ended})]

    def named(self, among: Condition, limit: int) -> list | None:
        """The ids of the records meeting ``among`` on some day (today or in a past state), or
        None when there are more than ``limit``."""
        present = self.model.objects.filter(among(RECORD_KEY)).order_by()
        past = self.state_model.objects.filter(among(self.state_key)).order_by()
        ids = set(present.values_list(RECORD_KEY, flat=True)[: limit + 1])
        ids |= set(past.values_list(self.state_key, flat=True)[: limit + 1])
        return sorted(ids) if len(ids) <= limit else None

    def ever(self, among: Condition) -> list | QuerySet:
        """The ids of the records meeting ``among`` on some day: a list when they are few (so
        that what is looked up by them reads an index), else a subquery."""
        ids = self.named(among, NAMED)
        if ids is not None:
            return ids
        past = self.state_model.objects.filter(among(self.state_key)).values(self.state_key)
        return self.model.objects.filter(among(RECORD_KEY) | Q(pk__in=past)).values(RECORD_KEY)

    def ever_had(self, ids: list | QuerySet, *fields: str) -> set[tuple]:
        """The distinct values of ``fields`` the records ``ids`` have had, today or before."""
        found = set()
        for model, key in ((self.model, RECORD_KEY), (self.state_model, self.state_key)):
            rows = model.objects.filter(**{f"{key}__in": ids}).order_by()
            found |= set(rows.values_list(*fields).distinct())
        return found

    def change_days(
        self, after: date, until: date | None = None, among: Condition | None = None
    ) -> set[date]:
        """The days in (``after``, ``until``] on which the tracked values of some record (of
        those meeting ``among`` on any day, when given) changed."""
        window = {"__gt": after} if until is None else {"__gt": after, "__lte": until}
        records = self.model.objects.all()
        states = self.state_model.objects.all()
        if among is not None:
            ids = self.ever(among)
            records = records.filter(pk__in=ids)
            states = states.filter(**{f"{self.state_key}__in": ids})
        days = set()
        for queryset, bound in (
            (records, "state_since"),
            (states, "valid_from"),
            (states, "valid_until"),
        ):
            rows = queryset.filter(**{f"{bound}{op}": day for op, day in window.items()})
            days |= set(rows.values_list(bound, flat=True).distinct().order_by())
        return days

    def with_values_on(self, queryset: QuerySet, day: date) -> QuerySet:
        """``queryset`` annotated with the values ``shown`` as they were on ``day``. One index
        probe per row read: for pages and exports, not for counting."""
        state = self.state_model.objects.filter(past_on(day), **{self.owner: OuterRef("pk")})
        return queryset.annotate(
            **{
                name: Coalesce(Subquery(state.values(path)[:1]), F(path))
                for name, path in self.shown
            }
        )


SHOWN = (("unit_name_on", "unit__name"), ("township_name_on", "township__name"))
ENTERPRISES = Tracked(
    Enterprise,
    EnterpriseState,
    STATE_KEY,
    TRACKED,
    (("employees_on", "employee_count"), *SHOWN),
)
PARKS = Tracked(IndustrialPark, ParkState, "park_id", PARK_TRACKED, SHOWN)


def any_past(day: date) -> bool:
    """Whether any enterprise was different on ``day`` from today (one index probe)."""
    return ENTERPRISES.any_past(day)


def slices(
    day: date, condition: Condition, enterprises: QuerySet | None = None
) -> Iterator[tuple[QuerySet, str]]:
    """``ENTERPRISES.slices``: the enterprises meeting ``condition`` on ``day``."""
    return ENTERPRISES.slices(day, condition, enterprises)


def as_of_q(day: date, condition: Condition) -> Q:
    """The condition on ``Enterprise`` rows: the enterprise met ``condition`` on ``day``."""
    return ENTERPRISES.as_of_q(day, condition)


def grouped_counts(
    day: date,
    condition: Condition,
    field: str,
    covered: Condition | None = None,
    where: Q | None = None,
) -> dict:
    """``ENTERPRISES.grouped_counts``."""
    return ENTERPRISES.grouped_counts(day, condition, field, covered, where)


def with_values_on(queryset: QuerySet, day: date) -> QuerySet:
    """``queryset`` of enterprises annotated with their head count, unit name and township name
    as they were on ``day`` (``employees_on``, ``unit_name_on``, ``township_name_on``)."""
    return ENTERPRISES.with_values_on(queryset, day)
