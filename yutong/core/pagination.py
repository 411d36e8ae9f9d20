"""Pages of long lists: LIMIT/OFFSET in the database, and a count that stays cheap.

Counting a million rows costs more than showing fifty of them. ``ListPaginator`` counts
exactly up to ``COUNT_CAP`` rows and within ``COUNT_BUDGET_MS``; past either it falls back
to PostgreSQL's own estimate of the result size and says so (``count_is_estimate``), and the
page shows "约 1,200,000 家" instead of an exact figure. Whether there is a next page is then
decided by fetching one row more than the page holds, never by the estimate.
"""

from __future__ import annotations

import json
import math
from functools import cached_property

from django.conf import settings
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import DatabaseError, connections, transaction
from django.db.models import QuerySet
from django.db.models.query import ModelIterable
from rest_framework.response import Response

from .drf import StandardPagination

PAGE_SIZES = (20, 50, 100)
# Exact counts up to this many rows; beyond, an estimate (settings can override both).
COUNT_CAP = 100_000
# Longest a list's count may take before the estimate is shown instead (PostgreSQL only).
COUNT_BUDGET_MS = 80
QUERY_CANCELED = "57014"


class ListPage(Page):
    has_more: bool | None = None

    def has_next(self) -> bool:
        if self.has_more is not None:
            return self.has_more
        return super().has_next()


class ListPaginator(Paginator):
    """A Paginator whose count is exact when cheap and an honest estimate otherwise."""

    _estimated = False

    @property
    def count_is_estimate(self) -> bool:
        """True when ``count`` is PostgreSQL's estimate rather than an exact count."""
        return self.count is not None and self._estimated

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        cap = getattr(settings, "LIST_COUNT_CAP", COUNT_CAP)
        if (
            not isinstance(queryset, QuerySet)
            or connections[queryset.db].vendor != "postgresql"
            or not cap
        ):
            return super().count
        budget = getattr(settings, "LIST_COUNT_BUDGET_MS", COUNT_BUDGET_MS)
        counted = _count_within(queryset, cap, budget)
        if counted is not None and counted <= cap:
            return counted
        estimate = _planner_estimate(queryset)
        self._estimated = True
        return _round(max(estimate, counted or 0))

    @property
    def count_display(self) -> str:
        """The count with thousands separators ("1,200,000"), for "约 …" on the page."""
        return f"{self.count:,}"

    def validate_number(self, number):
        if not self.count_is_estimate:
            return super().validate_number(number)
        # The estimate may be short of the truth: any page may be asked for, and an empty
        # one past the end is reported by page().
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("页码必须为整数") from None
        if number < 1:
            raise EmptyPage("页码小于 1")
        return number

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if self.count_is_estimate:
            rows = self._rows(bottom, bottom + self.per_page + 1)
            if not rows and number > 1:
                raise EmptyPage("该页没有结果")
            page = self._get_page(rows[: self.per_page], number, self)
            page.has_more = len(rows) > self.per_page
            return page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int) -> list:
        """Rows ``bottom:top``: first their ids, then the rows for those ids.

        The ids come from a narrow query that PostgreSQL answers from a covering index
        (registry: name order with the filter columns included) without visiting the table
        for the rows it skips, so a deep page costs little more than the first; the second
        query fetches the page's rows with their joins by primary key.
        """
        queryset = self.object_list
        if (
            not isinstance(queryset, QuerySet)
            or queryset._iterable_class is not ModelIterable  # values(), values_list()
            or queryset.query.distinct
            or top <= bottom
        ):
            return list(queryset[bottom:top])
        ids = list(queryset.values_list("pk", flat=True)[bottom:top])
        if not ids:
            return []
        found = {row.pk: row for row in queryset.order_by().filter(pk__in=set(ids))}
        return [found[pk] for pk in ids if pk in found]

    def _get_page(self, *args, **kwargs) -> Page:
        return ListPage(*args, **kwargs)


def count_for_display(queryset) -> int | str:
    """A count for a dashboard card: exact when cheap, else the estimate ("约 1,030,000")."""
    paginator = ListPaginator(queryset, 1)
    count = paginator.count
    return f"约 {paginator.count_display}" if paginator.count_is_estimate else count


def _count_within(queryset: QuerySet, cap: int, budget_ms: int | None) -> int | None:
    """``min(count, cap + 1)``, or None when that takes longer than ``budget_ms``."""
    capped = queryset.order_by()[: cap + 1]
    if not budget_ms:
        return capped.count()
    connection = connections[queryset.db]
    nested = connection.in_atomic_block
    try:
        # A transaction (or a savepoint inside one) bounds SET LOCAL; a cancelled count
        # rolls it back together with the setting.
        with transaction.atomic(using=queryset.db), connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('statement_timeout'), "
                "set_config('statement_timeout', %s, true)",
                [f"{int(budget_ms)}ms"],
            )
            previous = cursor.fetchone()[0]
            counted = capped.count()
            if nested:  # a released savepoint would pass the setting on to the caller
                cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])
            return counted
    except DatabaseError as exc:
        if getattr(exc.__cause__, "sqlstate", None) != QUERY_CANCELED:
            raise
        return None


def _planner_estimate(queryset: QuerySet) -> int:
    """PostgreSQL's estimate of how many rows the queryset holds (from its statistics)."""
    sql, params = queryset.order_by().values("pk").query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])


def _round(number: int) -> int:
    """Three significant figures: an estimate should not look exact."""
    if number < 1000:
        return number
    scale = 10 ** (int(math.log10(number)) - 2)
    return round(number / scale) * scale


def paginate(request, queryset, per_page: int = 50) -> dict:
    """Page of a queryset (LIMIT/OFFSET in the database) plus the query string to keep filters."""
    try:
        # "page_size", as in the API: "size" is the enterprise list's size-band filter.
        size = int(request.GET.get("page_size", per_page))
    except ValueError:
        size = per_page
    # A list whose own page is longer than the usual sizes offers that size too.
    sizes = tuple(sorted({*PAGE_SIZES, per_page}))
    size = size if size in sizes else per_page
    paginator = ListPaginator(queryset, size)
    try:
        page = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(1 if paginator.count_is_estimate else paginator.num_pages)
    params = request.GET.copy()
    params.pop("page", None)
    encoded = params.urlencode()
    # The page-size and jump-to-page forms carry the other parameters (filters, sort) as
    # hidden fields; a new page size starts again from page 1.
    kept = [(key, value) for key, values in params.lists() for value in values]
    return {
        "page_obj": page,
        "object_list": page.object_list,
        "querystring_without_page": f"{encoded}&" if encoded else "",
        "querystring": encoded,
        "page_size": size,
        "page_sizes": sizes,
        "hidden_params": [(k, v) for k, v in kept if k != "page_size"],
        "hidden_params_with_size": kept,
    }


class EstimatedCountPagination(StandardPagination):
    """The API's page-number pagination with ListPaginator's count.

    ``count_is_estimate`` tells clients when ``count`` is PostgreSQL's estimate; walk the
    ``next`` links to read everything — they never depend on the estimate.
    """

    django_paginator_class = ListPaginator

    def get_paginated_response(self, data):
        return Response(
            {
                "count": self.page.paginator.count,
                "count_is_estimate": self.page.paginator.count_is_estimate,
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        response["properties"] = {
            "count": properties["count"],
            "count_is_estimate": {
                "type": "boolean",
                "description": "true when count is the database's estimate, not exact",
            },
            **{key: value for key, value in properties.items() if key != "count"},
        }
        response["required"] = [*response.get("required", []), "count_is_estimate"]
        return response
