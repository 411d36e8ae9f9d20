"""Kept counts of the stock indicators: live, exact, and read in milliseconds.

A stock indicator counts things in scope on a day (``sources.StockShare``: enterprises and
parks in harmony coverage, key enterprises under a collective contract). Computing one from the
records reads the whole registry as it was that day; a trend does it once per month. Instead,
each member of such an indicator keeps, per day, unit and township, the change in its numerator
and denominator (``StockDelta``). The count as of day D is the sum of the deltas up to D.

How a day's delta is found, with the indicator's own conditions (one truth): the records whose
values, cover or scope may differ on day d from the day before (``member["changed_on"](d)``:
founded or changed that day, targeted by an enrolment or contract beginning or ending then, or
all of them when a threshold setting changes that day) are counted on d and on d − 1 by the
same grouped query as the direct computation, and the difference is the day's delta; every
other record counts the same on both days. The first day kept (``settings.
INDICATOR_COUNTS_FROM``) holds the whole count of that day. A day's delta is a function of the
records alone, so recomputing it is always right. What a write does (``apply``):

* a save or delete of a counted record (enterprises and their states, parks and theirs,
  enrolments, unions, contracts and their cover; ``apps.py`` connects the signals) recounts,
  in its transaction, the days its old and new values name and the days within its span on
  which the records it touches change anyway (the write alters what their change adds up to),
  each only for the units and townships those records have had: there the day's count less
  the day before's, read by id;
* a bulk writer sends ``core.counts.records_changed`` with the records and the first day;
* a change reaching more than ``MOST_GROUPS`` units and townships or ``MOST_DAYS`` days, or a
  threshold setting, marks the member not whole and queues its rebuild for the worker;
* ``rebuild`` recomputes every day (``yutong counts --rebuild``), ``check`` compares the kept
  counts with the direct computation (``yutong counts --check``).

A lock per member (PostgreSQL advisory lock, held to the end of the transaction) makes two
writers recompute one after the other, the second seeing the first's records. Until a member is
built (``StockLedger.ready``) and for days before it is kept from, values come from the records.
"""

from __future__ import annotations

import functools
import threading
import zlib
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import connection, connections, transaction
from django.db.models import Q, Sum
from django.utils import timezone

from yutong.registry import history

from .models import StockDelta, StockLedger

FIELDS = ("unit", "township")
DAY = timedelta(days=1)


def start() -> date:
    return settings.INDICATOR_COUNTS_FROM


def members() -> list[dict]:
    from .sources import stock_members

    return stock_members()


def _lock(key: str) -> None:
    """Serialise the recomputation of one member until the transaction ends."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [zlib.crc32(key.encode())])


def _named(member: dict, parts: list[history.Condition]) -> list | None:
    """The ids of the records meeting one of ``parts`` on some day (a superset is enough), each
    part read on its own (by its index), or None when there are more than ``history.NAMED``."""
    tracked = member.get("history", history.ENTERPRISES)
    ids: set = set()
    for part in parts:
        found = tracked.named(part, history.NAMED - len(ids))
        if found is None:
            return None
        ids |= set(found)
        if len(ids) > history.NAMED:
            return None
    return sorted(ids)


def _union(parts: list[history.Condition]) -> history.Condition:
    def condition(key):
        found = Q(pk__in=[])
        for part in parts:
            found |= part(key)
        return found

    return condition


def _counted(member: dict, day: date, among: history.Condition | None, ids=None) -> dict:
    """{(unit id, township id): (numerator, denominator)} on ``day`` over the records meeting
    ``among`` (None: all), read by id when ``ids`` names them."""
    tracked = member.get("history", history.ENTERPRISES)
    condition = member["condition"](day, ids)

    def narrowed(key):
        found = condition(key)
        if ids is not None:
            found &= Q(**{f"{key}__in": ids})
        return found if among is None else found & among(key)

    fields = ("unit", member["township"])
    return tracked.grouped_counts(day, narrowed, fields, covered=member["covered"](day, ids))


def delta(member: dict, day: date) -> dict:
    """{(unit id, township id): (numerator, denominator)} of the change on ``day`` (on the first
    day kept, the whole count of that day)."""
    if day <= start():
        return _counted(member, start(), None)
    parts = member["changed_on"](day)
    ids = _named(member, parts)
    if ids == []:
        return {}
    # Named by id, a superset of the records changing that day is enough: the rest count the
    # same on both days.
    among = _union(parts) if ids is None else None
    return _difference(_counted(member, day, among, ids), _counted(member, day - DAY, among, ids))


def _write(member: dict, day: date) -> None:
    StockDelta.objects.filter(member=member["key"], day=day).delete()
    _insert(member, day, delta(member, day))


def _insert(member: dict, day: date, found: dict) -> None:
    StockDelta.objects.bulk_create(
        StockDelta(
            member=member["key"],
            day=day,
            unit_id=unit,
            township_id=township,
            numerator=numerator,
            denominator=denominator,
        )
        for (unit, township), (numerator, denominator) in found.items()
        if (numerator, denominator) != (0, 0)
    )


@dataclass
class Change:
    """What one write may have changed: for the members ``keys``, how the records meeting
    ``among`` count on the days from ``first`` to ``last`` (None: from before the records
    began / on every later day). ``days`` are the days the write's old and new values name;
    ``groups`` the (unit, township) pairs its old and new values name (a record's own)."""

    keys: tuple[str, ...]
    among: history.Condition
    first: date | None
    last: date | None
    days: set = field(default_factory=set)
    groups: set = field(default_factory=set)


# Beyond this many units and townships, or days, a change is recounted by a rebuild in the
# background (an import of thousands of enterprises) rather than day by day in its transaction.
MOST_GROUPS, MOST_DAYS = 200, 400


def apply(change: Change) -> None:
    """Recompute, in the caller's transaction, the deltas the change may alter: on its own
    days, and on the days within its span on which a record it touches changes anyway (the
    change alters what that record's change adds up to), each only for the units and townships
    its records have had. When a day holds too many records to recount by id (a bulk write),
    the member is rebuilt in the background and computed from the records meanwhile."""
    first_kept = start()
    if change.last is not None and change.last < first_kept:
        return
    with transaction.atomic():
        for member in sorted(_members(change.keys), key=lambda m: m["key"]):
            _lock(member["key"])
            groups = change.groups | _groups(member, change.among)
            days = _days(member, change)
            if len(groups) > MOST_GROUPS or len(days) > MOST_DAYS:
                _rebuild_later(member["key"])  # a bulk write: cheaper to recount all at once
                continue
            within = _within(groups)
            # every record ever in those groups: asked for only when a day's own are too many
            everyone = functools.cache(
                lambda member=member, within=within: _named(member, [lambda k: within])
            )
            for day in sorted(days):
                if not _rewrite(member, day, within, everyone):
                    _rebuild_later(member["key"])
                    break


def _days(member: dict, change: Change) -> set[date]:
    first_kept = start()
    begins = first_kept if change.first is None else max(change.first, first_kept)
    days = {day for day in change.days if day is not None and day >= begins}
    if change.last is not None:
        days = {day for day in days if day <= change.last}
    days |= member["change_days"](begins, change.last, change.among)
    return days | {begins}


def _groups(member: dict, among: history.Condition) -> set:
    """The (unit, township) pairs the records meeting ``among`` have had."""
    tracked = member.get("history", history.ENTERPRISES)
    fields = ("unit_id", f"{member['township']}_id")
    found = set()
    for model, key in (
        (tracked.model, history.RECORD_KEY),
        (tracked.state_model, tracked.state_key),
    ):
        rows = model.objects.filter(among(key)).values_list(*fields).distinct().order_by()
        found |= set(rows)
    return found


def _within(groups: set) -> Q:
    within = Q(pk__in=[])
    for unit, township in sorted(groups, key=str):
        within |= Q(unit_id=unit, township_id=township)
    return within


def _rewrite(member: dict, day: date, within: Q, everyone) -> bool:
    """Recount the delta of ``day`` for the units and townships ``within`` names: the records
    there on the day, less those there the day before (on the first day kept: the whole count).
    Read by id: every record ever there (``everyone``) when they are few, else the records
    changing that day (the others count the same on both days). False when both are too many."""
    ids = everyone()
    if ids is None and day > start():
        ids = _named(member, member["changed_on"](day))
    if ids is None:
        return False
    now = _counted(member, day, lambda key: within, ids)
    if day > start():
        now = _difference(now, _counted(member, day - DAY, lambda key: within, ids))
    StockDelta.objects.filter(within, member=member["key"], day=day).delete()
    _insert(member, day, now)
    return True


def _difference(now: dict, before: dict) -> dict:
    found = {}
    for key in now.keys() | before.keys():
        n1, d1 = now.get(key, (0, 0))
        n0, d0 = before.get(key, (0, 0))
        if (n1 - n0, d1 - d0) != (0, 0):
            found[key] = (n1 - n0, d1 - d0)
    return found


def _rebuild_later(key: str) -> None:
    """Too much changed to recount day by day: values come from the records until rebuilt."""
    StockLedger.objects.filter(member=key).update(ready=False)
    transaction.on_commit(lambda: _enqueue_rebuild(key))


def _members(keys) -> list[dict]:
    return [m for m in members() if keys is None or m["key"] in keys]


def rebuild(key: str | None = None, *, progress=None) -> None:
    """Recompute every day of the members named (all by default) and mark them whole. Each
    day is its own transaction; a change meanwhile recomputes its own days. On PostgreSQL,
    outside a transaction, the members are rebuilt side by side, each on its own connection."""
    chosen = [m for m in members() if key is None or m["key"] == key]
    if connection.vendor != "postgresql" or connection.in_atomic_block or len(chosen) < 2:
        for member in chosen:
            _rebuild(member, progress)
        return
    with ThreadPoolExecutor(max_workers=len(chosen)) as pool:
        for done in [pool.submit(_rebuild_apart, member, progress) for member in chosen]:
            done.result()


def _rebuild_apart(member: dict, progress) -> None:
    try:
        _rebuild(member, progress)
    finally:
        connections.close_all()  # this thread's own connection


def _rebuild(member: dict, progress) -> None:
    first = start()
    with transaction.atomic():
        _lock(member["key"])
        StockLedger.objects.update_or_create(
            member=member["key"], defaults={"starts_on": first, "ready": False}
        )
        StockDelta.objects.filter(member=member["key"]).delete()
        _write(member, first)
    days = sorted(member["change_days"](first))
    for number, day in enumerate(days, start=1):
        with transaction.atomic():
            _lock(member["key"])
            _write(member, day)
        if progress and number % 100 == 0:
            progress(member["key"], number, len(days))
    StockLedger.objects.filter(member=member["key"]).update(ready=True, built_at=timezone.now())


# --- reads -----------------------------------------------------------------------------------


def kept_from(member: dict) -> date | None:
    """The first day the member's counts are kept from, or None while they are not whole."""
    row = StockLedger.objects.filter(member=member["key"], ready=True).first()
    # Built from another first day than the setting now names: not whole until rebuilt.
    return None if row is None or row.starts_on != start() else row.starts_on


def _rows(member: dict, through: date, where: Q | None):
    rows = StockDelta.objects.filter(member=member["key"], day__lte=through)
    return rows if where is None else rows.filter(where)


def counts(member: dict, day: date, field: str, where: Q | None = None) -> dict:
    """{value of ``field`` ("unit" or "township"): (numerator, denominator)} as of ``day``."""
    rows = (
        _rows(member, day, where).values(field).annotate(n=Sum("numerator"), d=Sum("denominator"))
    )
    return {row[field]: (row["n"], row["d"]) for row in rows.order_by() if row["d"] or row["n"]}


def monthly(member: dict, ends: dict[int, date], field: str, where: Q | None = None) -> dict:
    """{month: {value of ``field``: (numerator, denominator)}} as of each of ``ends``, in one
    grouped query."""
    if not ends:
        return {}
    sums = {}
    for month, end in ends.items():
        sums[f"n{month}"] = Sum("numerator", filter=Q(day__lte=end))
        sums[f"d{month}"] = Sum("denominator", filter=Q(day__lte=end))
    rows = _rows(member, max(ends.values()), where).values(field).annotate(**sums).order_by()
    series: dict = {month: {} for month in ends}
    for row in rows:
        for month in ends:
            n, d = row[f"n{month}"] or 0, row[f"d{month}"] or 0
            if n or d:
                series[month][row[field]] = (n, d)
    return series


# --- check -----------------------------------------------------------------------------------


def check(day: date, keys: Iterable[str] | None = None) -> list[tuple[str, object, tuple, tuple]]:
    """The differences on ``day`` between the kept counts and the direct computation, per
    member and unit or township: (member, (field, id), kept, computed). Empty when they agree."""
    differences = []
    for member in members():
        if keys is not None and member["key"] not in set(keys):
            continue
        for name in FIELDS:
            grouped = name if name == "unit" else member["township"]
            kept, computed = counts(member, day, grouped), _direct(member, day, grouped)
            for value in kept.keys() | computed.keys():
                if kept.get(value, (0, 0)) != computed.get(value, (0, 0)):
                    differences.append(
                        (member["key"], (name, value), kept.get(value), computed.get(value))
                    )
    return differences


def _direct(member: dict, day: date, field: str) -> dict:
    tracked = member.get("history", history.ENTERPRISES)
    found = tracked.grouped_counts(
        day, member["condition"](day, None), field, covered=member["covered"](day, None)
    )
    return {key: value for key, value in found.items() if value != (0, 0)}


# --- keeping the counts: which writes change which members, records and days ---------------------

HARMONY, PARKS = "harmony_coverage.enterprises", "harmony_coverage.parks"
CONTRACTS = "collective_contract_rate.enterprises"
# The settings a count depends on (city-wide dated parameters), and whose counts.
PARAMETERS = {"harmony_coverage_min_headcount": HARMONY, "key_enterprise_min_employees": CONTRACTS}


def _after(day: date | None) -> date | None:
    return None if day is None else day + DAY


def _span(values: list[dict], begin: str, end) -> tuple[date | None, date | None]:
    """The earliest start and the latest end of the versions of a record (None: unbounded)."""
    starts = [v[begin] for v in values]
    ends = [end(v) for v in values]
    first = None if None in starts else min(starts)
    last = None if None in ends else max(ends)
    return first, last


def _tracked_changes(keys, tracked: history.Tracked, state: bool):
    """A record of the registry (``state``: one of its past states): the record itself, from its
    earliest version's start on (a present row: for good). The registry's way of recording a
    change is recognised, so that only what changed is recounted: a past state that takes over
    the present values up to the change day (no count changes), then the present row starting
    on that day with its new values (the counts change from that day on)."""
    since, until = ("valid_from", "valid_until") if state else ("state_since", None)

    def changes(pk, versions: list[dict]) -> list[Change]:
        record_id = versions[0][tracked.owner] if state else pk
        if state and len(versions) == 1 and _takes_over(tracked, record_id, versions[0]):
            return []
        first, last = _span(versions, since, (lambda v: v[until]) if until else (lambda v: None))
        if not state and len(versions) == 2 and _handed_over(tracked, record_id, *versions):
            first = versions[1][since]
        days = {v[since] for v in versions} | ({v[until] for v in versions} if until else set())
        groups = {(v["unit"], v["township"]) for v in versions}
        return [Change(keys, _one_record(record_id), first, last, days, groups)]

    return changes


def _tracked_values(tracked: history.Tracked, values: dict) -> dict:
    return {tracked.model._meta.get_field(name).attname: values[name] for name in tracked.fields}


def _takes_over(tracked: history.Tracked, record_id, state: dict) -> bool:
    """A new past state holding the values the present row still holds, from the same day."""
    return tracked.model.objects.filter(
        pk=record_id, state_since=state["valid_from"], **_tracked_values(tracked, state)
    ).exists()


def _handed_over(tracked: history.Tracked, record_id, old: dict, new: dict) -> bool:
    """A present row whose old values, from their day to the new day, are now a past state."""
    if old["state_since"] == new["state_since"] or new["state_since"] is None:
        return False
    if old["state_since"] is not None and old["state_since"] > new["state_since"]:
        return False
    return tracked.state_model.objects.filter(
        **{tracked.owner: record_id},
        valid_from=old["state_since"],
        valid_until=new["state_since"],
        **_tracked_values(tracked, old),
    ).exists()


def _one_record(record_id) -> history.Condition:
    # A condition on the name under which a model holds the record's id ("pk", "enterprise_id").
    return lambda key: Q(**{key: record_id})


def _enrollment_changes(pk, versions: list[dict]) -> list[Change]:
    from yutong.harmony.queries import targeted_by

    found = []
    for v in versions:
        last = _after(v["covered_until"])
        days = {v["starts_on"], last}
        found.append(Change((HARMONY,), targeted_by(v), v["starts_on"], last, days))
        if v["scope"] == "park":
            found.append(Change((PARKS,), _one_record(v["park"]), v["starts_on"], last, days))
    return found


def _union_changes(pk, versions: list[dict]) -> list[Change]:
    return [
        Change(
            (CONTRACTS,),
            _one_record(v["enterprise"]),
            v["established_on"],
            v["dissolved_on"],
            {v["established_on"], v["dissolved_on"]},
        )
        for v in versions
    ]


def _in_force(v: dict, among) -> Change | None:
    """A contract's span in force (none while it has never come into force)."""
    if v["effective_from"] is None:
        return None
    ends = [day for day in (_after(v["expires_on"]), v["terminated_on"]) if day is not None]
    last = max(ends) if ends else None
    days = {v["effective_from"], *ends}
    return Change((CONTRACTS,), among, v["effective_from"], last, days)


def _contract_changes(pk, versions: list[dict]) -> list[Change]:
    from yutong.relations.models import ContractCoverage

    covered = ContractCoverage.objects.filter(contract_id=pk).values("enterprise_id")
    among = lambda key: Q(**{f"{key}__in": covered})  # noqa: E731
    return [c for v in versions if (c := _in_force(v, among)) is not None]


def _coverage_changes(pk, versions: list[dict]) -> list[Change]:
    found = []
    for v in versions:
        dates = {k.removeprefix("contract__"): value for k, value in v.items()}
        change = _in_force(dates, _one_record(v["enterprise"]))
        if change is not None:
            found.append(change)
    return found


def _watched() -> dict:
    """{model: (the fields whose values matter, their versions → Changes)}."""
    from yutong.harmony.models import HarmonyEnrollment
    from yutong.registry.models import Enterprise, EnterpriseState, IndustrialPark, ParkState
    from yutong.relations.models import CollectiveContract, ContractCoverage, Union

    enterprise_keys = (HARMONY, CONTRACTS)
    return {
        Enterprise: (
            (*history.TRACKED, "state_since"),
            _tracked_changes(enterprise_keys, history.ENTERPRISES, state=False),
        ),
        EnterpriseState: (
            ("enterprise", *history.TRACKED, "valid_from", "valid_until"),
            _tracked_changes(enterprise_keys, history.ENTERPRISES, state=True),
        ),
        IndustrialPark: (
            (*history.PARK_TRACKED, "state_since"),
            _tracked_changes((PARKS,), history.PARKS, state=False),
        ),
        ParkState: (
            ("park", *history.PARK_TRACKED, "valid_from", "valid_until"),
            _tracked_changes((PARKS,), history.PARKS, state=True),
        ),
        HarmonyEnrollment: (
            ("scope", "unit", "enterprise", "township", "park", "industry")
            + ("starts_on", "covered_until"),
            _enrollment_changes,
        ),
        Union: (("enterprise", "established_on", "dissolved_on"), _union_changes),
        CollectiveContract: (("effective_from", "expires_on", "terminated_on"), _contract_changes),
        ContractCoverage: (
            ("enterprise", "contract__effective_from", "contract__expires_on")
            + ("contract__terminated_on",),
            _coverage_changes,
        ),
    }


def _values(model, fields, pk) -> dict | None:
    names = [f if "__" in f else model._meta.get_field(f).attname for f in fields]
    row = model.objects.filter(pk=pk).values(*names).first()
    if row is None:
        return None
    return {f: row[name] for f, name in zip(fields, names, strict=True)}


_state = threading.local()


@contextmanager
def deferred():
    """Keep no counts while loading records in bulk (the demo): the caller rebuilds them."""
    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = False


def _keeping() -> bool:
    return not getattr(_state, "deferred", False)


def _written(changes, pk, old, new) -> None:
    if old == new or not _keeping():
        return
    for change in changes(pk, [v for v in (old, new) if v is not None]):
        apply(change)


def connect() -> None:
    """Keep the counts on every save and delete of a counted record (``apps.py``)."""
    from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

    from yutong.core import counts as core_counts
    from yutong.core.models import DatedParameter

    for model, (fields, changes) in _watched().items():

        def before(sender, instance, raw=False, _fields=fields, **kwargs):
            if not raw and instance.pk is not None:
                instance._counted_before = _values(sender, _fields, instance.pk)

        def saved(sender, instance, raw=False, _fields=fields, _changes=changes, **kwargs):
            if raw:
                return
            old = getattr(instance, "_counted_before", None)
            new = _values(sender, _fields, instance.pk)
            instance._counted_before = new
            _written(_changes, instance.pk, old, new)

        def deleted(sender, instance, _changes=changes, **kwargs):
            _written(_changes, instance.pk, getattr(instance, "_counted_before", None), None)

        uid = f"indicators.ledger.{model._meta.label}"
        pre_save.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}.pre_save")
        pre_delete.connect(before, sender=model, weak=False, dispatch_uid=f"{uid}.pre_delete")
        post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}.save")
        post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}.delete")
    for signal in (post_save, post_delete):
        signal.connect(
            _parameter_written, sender=DatedParameter, weak=False, dispatch_uid=f"ledger.{signal}"
        )
    core_counts.changed.connect(_on_records_changed, weak=False, dispatch_uid="indicators.ledger")


def _parameter_written(sender, instance, raw=False, **kwargs) -> None:
    """A threshold setting changes who is in scope from its day on, for every record: the
    member's counts are rebuilt in the background, and computed from the records meanwhile."""
    key = PARAMETERS.get(instance.code)
    if raw or key is None or instance.unit_id is not None or not _keeping():
        return
    StockLedger.objects.filter(member=key).update(ready=False)
    transaction.on_commit(lambda: _enqueue_rebuild(key))


def _enqueue_rebuild(key: str) -> None:
    from .tasks import rebuild_counts

    rebuild_counts.enqueue(key)


def _on_records_changed(sender, among=None, first=None, **kwargs) -> None:
    """A bulk write of ``sender`` records ("enterprise", "park") meeting ``among`` (None: any),
    which count differently from ``first`` on (None: from before the records began)."""
    if not _keeping():
        return
    keys = {"enterprise": (HARMONY, CONTRACTS), "park": (PARKS,)}[sender]
    among = among or (lambda key: Q())
    apply(Change(keys, among, first, None))
