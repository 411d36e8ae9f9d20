"""Data scope: which org units a user's records come from.

A user sees the records of their unit's subtree. Units that were merged into a unit of that
subtree (their successor chain ends inside it) belong to it too, so the staff of a new
district keep the files of the districts it absorbed. City-level users and superusers see all.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet

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


def unit_ids_for(user) -> list[int] | None:
    """The unit ids a user's records may come from; ``None`` means no restriction."""
    if sees_everything(user):
        return None
    if not user.is_authenticated or user.unit_id is None:
        return []
    return subtree_ids(user.unit)


def restrict_to_units(queryset: QuerySet, user, field: str = "unit") -> QuerySet:
    ids = unit_ids_for(user)
    if ids is None:
        return queryset
    return queryset.filter(**{f"{field}_id__in": ids})


def unit_in_scope(user, unit: OrgUnit | None) -> bool:
    if unit is None:
        return sees_everything(user)
    ids = unit_ids_for(user)
    return ids is None or unit.pk in ids


def units_visible_to(user) -> QuerySet:
    ids = unit_ids_for(user)
    queryset = OrgUnit.objects.select_related("parent")
    return queryset if ids is None else queryset.filter(id__in=ids)
