"""Data scope: which org units a user's records come from.

A user sees the records of their unit's subtree. Units that were merged into a unit of that
subtree (their successor chain ends inside it) belong to it too, so the staff of a new
district keep the files of the districts it absorbed. City-level users and superusers see all.

Most records sit at district level (``unit`` is the handling or registering district) and
name a township (镇街) only through a field of their own or of their enterprise. A model says
which with a class attribute ``scope_townships``: the lookup paths to the township foreign
keys (``("township",)`` on an enterprise, ``("employer__township", "project__township")`` on
a complaint). For such a model:

* a district user's records are those whose ``unit`` is a district-level unit of the subtree
  (the townships of the subtree can never match ``unit``, so they are left out, which keeps
  ``unit_id = district`` on the (unit, …) indexes);
* a township user's records are those whose township (by any of the paths) is in the
  subtree; records without a township are not the business of any township.

Townships of the subtree that lie under one of its districts are already covered by that
district's ``unit``; only the others ("loose" townships: a township user's own, or one merged
across a district boundary) are tested through the paths. A model without the attribute is
filtered on ``unit`` against the whole subtree, as before.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import Model, Q, QuerySet

from .models import OrgUnit

_CACHE_SECONDS = 300
_CACHE_VERSION_KEY = "core:orgunit-version"


def _cache_version() -> int:
    return cache.get_or_set(_CACHE_VERSION_KEY, 1, None)


def invalidate_unit_cache() -> None:
    try:
        cache.incr(_CACHE_VERSION_KEY)
    except ValueError:
        cache.set(_CACHE_VERSION_KEY, 2, None)


def sees_everything(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return user.unit_id is not None and user.unit.level == OrgUnit.Level.CITY


def subtree_ids(unit: OrgUnit) -> list[int]:
    """Ids of ``unit``, everything under it, and every unit whose successors lead into it."""
    key = f"core:subtree:{_cache_version()}:{unit.pk}"
    ids = cache.get(key)
    if ids is None:
        inside = set(
            OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True)
        )
        merged = OrgUnit.objects.filter(current_id__in=inside).exclude(id__in=inside)
        for merged_unit in merged:
            inside.update(
                OrgUnit.objects.filter(path__startswith=merged_unit.path).values_list(
                    "id", flat=True
                )
            )
        ids = sorted(inside)
        cache.set(key, ids, _CACHE_SECONDS)
    return ids


@dataclass(frozen=True)
class Reach:
    """A subtree split the way records are placed (see the module docstring)."""

    units: tuple[int, ...]  # the whole subtree
    districts: tuple[int, ...]  # its units above township level
    townships: tuple[int, ...]  # its townships that lie under none of its districts


def reach_of(unit: OrgUnit) -> Reach:
    key = f"core:reach:{_cache_version()}:{unit.pk}"
    reach = cache.get(key)
    if reach is None:
        ids = subtree_ids(unit)
        rows = OrgUnit.objects.filter(id__in=ids).values_list("id", "level", "parent_id")
        districts = {pk for pk, level, _ in rows if level != OrgUnit.Level.TOWNSHIP}
        townships = {
            pk
            for pk, level, parent_id in rows
            if level == OrgUnit.Level.TOWNSHIP and parent_id not in districts
        }
        reach = Reach(tuple(ids), tuple(sorted(districts)), tuple(sorted(townships)))
        cache.set(key, reach, _CACHE_SECONDS)
    return reach


def reach_for(user) -> Reach | None:
    """``None`` means no restriction."""
    if sees_everything(user):
        return None
    if not user.is_authenticated or user.unit_id is None:
        return Reach((), (), ())
    return reach_of(user.unit)


def unit_ids_for(user) -> list[int] | None:
    """The unit ids a user's records may come from; ``None`` means no restriction."""
    reach = reach_for(user)
    return None if reach is None else list(reach.units)


def township_fields(model) -> tuple[str, ...]:
    return tuple(getattr(model, "scope_townships", ()))


def scope_q(model, reach: Reach, field: str = "unit") -> Q | None:
    """The condition for records of ``model`` inside ``reach``; ``None`` when none can be."""
    paths = township_fields(model)
    if not paths:
        return Q(**{f"{field}_id__in": reach.units}) if reach.units else None
    parts = []
    if reach.districts:
        parts.append(Q(**{f"{field}_id__in": reach.districts}))
    if reach.townships:
        parts.extend(Q(**{f"{path}_id__in": reach.townships}) for path in paths)
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition |= part
    return condition


def restrict_to_units(queryset: QuerySet, user, field: str = "unit") -> QuerySet:
    """The one scope filter: ``queryset`` reduced to the records of the user's subtree."""
    reach = reach_for(user)
    if reach is None:
        return queryset
    condition = scope_q(queryset.model, reach, field)
    return queryset.none() if condition is None else queryset.filter(condition)


def _value(obj, path: str):
    """Follow ``a__b_id`` on an instance; ``None`` as soon as a link is empty."""
    *links, last = path.split("__")
    for link in links:
        obj = getattr(obj, link, None)
        if obj is None:
            return None
    return getattr(obj, last, None)


def record_in_scope(user, obj: Model, field: str = "unit") -> bool:
    """Whether ``obj`` is one of the user's records: the same rule as ``restrict_to_units``,
    for the services that act on a record they were handed, or check the unsaved record they
    are about to create (so a township account files records inside its township only).

    An unsaved record (``obj._state.adding``) is also judged by its district: a district-level
    account files under a district of its own subtree (never under another district through a
    township merged into its subtree), and a township account under the district its township
    belongs to. A township the record names in a field of its own (not through its enterprise
    or employer, who may be registered elsewhere) must lie inside the subtree too."""
    reach = reach_for(user)
    if reach is None:
        return True
    unit_id = _value(obj, f"{field}_id")
    paths = township_fields(type(obj))
    if obj._state.adding:
        return _new_record_in_scope(reach, obj, unit_id, paths)
    if not paths:
        return unit_id in reach.units
    if unit_id in reach.districts:
        return True
    return any(_value(obj, f"{path}_id") in reach.townships for path in paths)


def _new_record_in_scope(reach: Reach, obj: Model, unit_id, paths) -> bool:
    if not paths:
        return unit_id in reach.units
    own = [_value(obj, f"{path}_id") for path in paths if "__" not in path]
    if any(t is not None and t not in reach.units for t in own):
        return False
    if reach.districts:
        return unit_id in reach.districts
    placed = {_value(obj, f"{path}_id") for path in paths} & set(reach.townships)
    if not placed or unit_id is None:
        return False
    return OrgUnit.objects.filter(pk__in=placed, parent_id=unit_id).exists()


def unit_in_scope(user, unit: OrgUnit | None) -> bool:
    if unit is None:
        return sees_everything(user)
    ids = unit_ids_for(user)
    return ids is None or unit.pk in ids


def units_visible_to(user) -> QuerySet:
    """The units a user may pick (filters, the unit of a new record): the subtree, and for a
    township account also the district its records are filed under. Picking that district
    gives nothing more: reads stay ``restrict_to_units`` and changes ``require_record``.
    A district account's townships merged in from another district do not offer that
    district: it files nothing there (``record_in_scope`` of a new record)."""
    reach = reach_for(user)
    queryset = OrgUnit.objects.select_related("parent")
    if reach is None:
        return queryset
    if not reach.townships or reach.districts:
        return queryset.filter(id__in=reach.units)
    parents = OrgUnit.objects.filter(id__in=reach.townships).values("parent_id")
    return queryset.filter(Q(id__in=reach.units) | Q(id__in=parents))


def filing_units(user) -> QuerySet:
    """The units a new record may name as its ``unit`` (the picker of a create form or API
    field): the district-level units of ``units_visible_to`` — for a township account, the
    district of its township; its township itself files nothing (``record_in_scope``)."""
    return units_visible_to(user).exclude(level=OrgUnit.Level.TOWNSHIP)


def placing_units(user) -> QuerySet:
    """The units a new record may name as its place (a region, a township, the district of an
    industry-wide record): the subtree. A township account places records in its township
    only — a record placed at its district names no township of its own."""
    reach = reach_for(user)
    queryset = OrgUnit.objects.select_related("parent")
    return queryset if reach is None else queryset.filter(id__in=reach.units)
