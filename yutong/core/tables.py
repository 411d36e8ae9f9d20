"""Sortable lists, declared once per list (issue #13).

A list view declares which columns people may sort by and how each one orders the rows::

    ENTERPRISE_SORTING = tables.Sorting(
        columns={"name": ("name",), "employees": ("employee_count",)},
        default=("name", "id"),
    )

    rows, sort = ENTERPRISE_SORTING.apply(request, queryset)
    context = paginate(request, rows)
    context["sort"] = sort

``?sort=employees`` orders ascending, ``?sort=-employees`` descending. Every order ends with
the tie-breaker (``id`` by default, in the same direction), so LIMIT/OFFSET pages are stable
and a descending order can read an index backwards. A key not in ``columns`` is ignored and
the list keeps its default order. Exports call ``apply`` the same way, so they hold exactly
the rows, in the order, that the page shows. Fields named in ``nullable`` keep their empty
rows last both ways.

Headers render with ``{% load tables %}{% sort_header "employees" "职工人数" num=True %}``: a link
that keeps the other query parameters (the filters), drops ``page`` and toggles the
direction, with ``bi-sort-up`` / ``bi-sort-down`` on the column the list is sorted by.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F, OrderBy, QuerySet

SORT_PARAM = "sort"


def _reverse(order: str) -> str:
    return order[1:] if order.startswith("-") else f"-{order}"


@dataclass(frozen=True)
class SortState:
    """What the page is sorted by: ``key`` None means the list's default order."""

    key: str | None = None
    descending: bool = False
    sorting: Sorting | None = None

    @property
    def param(self) -> str:
        if self.key is None:
            return ""
        return f"-{self.key}" if self.descending else self.key


@dataclass(frozen=True)
class Sorting:
    """The sortable columns of one list: key -> the ordering fields, ascending."""

    columns: dict[str, tuple[str, ...]]
    default: tuple[str, ...]
    tiebreak: str = "id"
    # Columns whose first click sorts descending (newest date, largest amount first).
    descending_first: frozenset[str] = field(default_factory=frozenset)
    # Fields that may be empty: their empty rows come last in either direction (the same on
    # PostgreSQL and SQLite), rather than first when descending.
    nullable: frozenset[str] = field(default_factory=frozenset)

    def state(self, request) -> SortState:
        raw = (request.GET.get(SORT_PARAM) or "").strip()
        descending = raw.startswith("-")
        key = raw[1:] if descending else raw
        if key not in self.columns:
            return SortState(sorting=self)
        return SortState(key, descending, self)

    def order_by(self, state: SortState, default=None) -> tuple[str | OrderBy, ...]:
        if state.key is None:
            return tuple(self.default if default is None else default)
        fields = list(self.columns[state.key])
        if self.tiebreak not in {f.lstrip("-") for f in fields}:
            fields.append(self.tiebreak)
        if state.descending:
            fields = [_reverse(f) for f in fields]
        return tuple(self._nulls_last(f) for f in fields)

    def _nulls_last(self, order: str) -> str | OrderBy:
        name = order.lstrip("-")
        if name not in self.nullable:
            return order
        expression = F(name)
        if order.startswith("-"):
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)

    def apply(self, request, queryset: QuerySet, default=None) -> tuple[QuerySet, SortState]:
        """``queryset`` in the order the request asks for, and that order. Without a valid
        ``sort`` the order is ``default`` if given (a queue's own work order), else the
        declared one."""
        state = self.state(request)
        return queryset.order_by(*self.order_by(state, default)), state

    def next_param(self, key: str, state: SortState) -> str:
        """The ``sort`` value a click on column ``key`` asks for."""
        if state.key == key:
            return key if state.descending else f"-{key}"
        return f"-{key}" if key in self.descending_first else key
