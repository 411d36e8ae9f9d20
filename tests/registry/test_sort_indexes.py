"""Every sort order of the enterprise and project lists has an index that gives it, with and
without the unit first: the page's ids are read from the index in order, never sorted.

Founding day and start day are nullable and their empty values come last both ways
(``tables.Sorting.nullable``): descending that is ``DESC NULLS LAST``, which a plain index read
backwards cannot give (it yields NULLS FIRST); ``SortIndex`` stores that order. Checked on
PostgreSQL with sorting and sequential scans switched off, so a plan without a Sort node
exists only if some index holds the order; on SQLite the indexes must at least exist."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from yutong.core.tables import SortState
from yutong.registry import queries
from yutong.registry.models import ConstructionProject, Enterprise

pytestmark = pytest.mark.django_db

ENTERPRISES, PROJECTS = queries.ENTERPRISE_SORTING, queries.PROJECT_SORTING

# (model, sorting, key, descending, with the unit first, the index that must give the order)
CASES = [
    (Enterprise, ENTERPRISES, "established_on", True, False, "enterprise_founded_desc"),
    (Enterprise, ENTERPRISES, "established_on", True, True, "enterprise_unit_founded_desc"),
    (Enterprise, ENTERPRISES, "established_on", False, False, "enterprise_founded"),
    (Enterprise, ENTERPRISES, "established_on", False, True, "enterprise_unit_founded"),
    (Enterprise, ENTERPRISES, "employee_count", True, False, "enterprise_staff"),
    (Enterprise, ENTERPRISES, "employee_count", True, True, "enterprise_unit_staff"),
    (ConstructionProject, PROJECTS, "contract_amount", True, False, "project_amount"),
    (ConstructionProject, PROJECTS, "contract_amount", False, False, "project_amount"),
    (ConstructionProject, PROJECTS, "contract_amount", True, True, "project_unit_amount"),
    (ConstructionProject, PROJECTS, "starts_on", True, False, "project_starts_desc"),
    (ConstructionProject, PROJECTS, "starts_on", True, True, "project_unit_starts_desc"),
    (ConstructionProject, PROJECTS, "starts_on", False, False, "project_starts"),
    (ConstructionProject, PROJECTS, "starts_on", False, True, "project_unit_starts"),
]
NEW = {
    "enterprise_founded_desc",
    "enterprise_unit_founded_desc",
    "project_amount",
    "project_starts",
    "project_starts_desc",
    "project_unit_starts_desc",
}


def _indexes(model) -> set[str]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {name for name, info in found.items() if info["index"]}


def test_the_sort_indexes_exist():
    assert NEW.issubset(_indexes(Enterprise) | _indexes(ConstructionProject))


def _page_ids(model, sorting, key, descending, unit):
    state = SortState(key, descending, sorting)
    queryset = model.objects.all()
    if unit is not None:
        queryset = queryset.filter(unit=unit)
    return queryset.order_by(*sorting.order_by(state)).values_list("pk", flat=True)[:50]


def _plan(queryset, drop=()) -> str:
    """The plan with sorts and table scans priced out (and ``drop``ped indexes gone, all of
    it rolled back)."""
    sql, params = queryset.query.sql_with_params()
    with transaction.atomic():
        with connection.cursor() as cursor:
            for setting in ("enable_sort", "enable_incremental_sort", "enable_seqscan"):
                cursor.execute(f"SET LOCAL {setting} = off")
            for name in drop:
                cursor.execute(f'DROP INDEX "{name}"')
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
        transaction.set_rollback(True)
    return plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index order and NULLS LAST")
@pytest.mark.parametrize("model, sorting, key, descending, by_unit, index", CASES)
def test_each_sort_order_reads_its_index(yuzhong, model, sorting, key, descending, by_unit, index):
    queryset = _page_ids(model, sorting, key, descending, yuzhong if by_unit else None)
    sql = str(queryset.query)
    if key in sorting.nullable:
        assert "NULLS LAST" in sql  # the order the page asks for
    # With the unit first the planner could also walk the city-wide index and filter; take
    # that one away so the case shows its own index is enough.
    others = {name for *_, u, name in CASES if not u} - {index} if by_unit else set()
    plan = _plan(queryset, drop=sorted(others & _indexes(model)))
    assert "Sort" not in plan, plan
    assert f"using {index} " in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index order and NULLS LAST")
def test_without_the_new_index_founding_day_descending_must_sort(yuzhong):
    """The case this migration is for: the ascending index read backwards is no help."""
    queryset = _page_ids(Enterprise, ENTERPRISES, "established_on", True, None)
    plan = _plan(queryset, drop=["enterprise_founded_desc", "enterprise_unit_founded_desc"])
    assert "Sort" in plan, plan
