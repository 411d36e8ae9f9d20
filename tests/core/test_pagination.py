"""ListPaginator: page rows fetched by id, and an honest count (exact, or a labelled estimate)."""

import pytest
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL

from tests.factories import EnterpriseFactory
from yutong.core.pagination import ListPaginator, _count_within, count_for_display
from yutong.registry.models import Enterprise

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="estimates and time budgets need PostgreSQL"
)


@pytest.fixture
def seven(db):
    for n in range(7):
        EnterpriseFactory(name=f"分页企业{n}有限公司")
    return Enterprise.objects.select_related("unit").order_by("name", "id")


def names(page):
    return [e.name[4] for e in page.object_list]


def test_pages_come_in_order_with_their_joins(seven, django_assert_max_num_queries):
    paginator = ListPaginator(seven, 3)
    assert (paginator.count, paginator.count_is_estimate, paginator.num_pages) == (7, False, 3)
    with django_assert_max_num_queries(2):
        page = paginator.page(2)
        assert names(page) == ["3", "4", "5"]
        assert {e.unit.code for e in page.object_list} == {"500103"}
    assert page.has_next() and page.has_previous()
    assert names(paginator.page(3)) == ["6"] and not paginator.page(3).has_next()


def test_values_querysets_and_lists_are_sliced_as_before(seven):
    assert list(ListPaginator(seven.values_list("name", flat=True), 3).page(3)) == [
        "分页企业6有限公司"
    ]
    assert list(ListPaginator(list(range(5)), 2).page(3)) == [4]


def test_small_counts_are_exact_on_cards(seven):
    assert count_for_display(seven) == 7


@postgres_only
def test_past_the_cap_the_count_is_an_estimate_and_pages_still_end(seven, settings):
    settings.LIST_COUNT_CAP = 2
    paginator = ListPaginator(seven, 3)
    assert paginator.count_is_estimate
    assert paginator.count >= 3
    assert count_for_display(seven).startswith("约 ")
    first = paginator.page(1)
    assert names(first) == ["0", "1", "2"] and first.has_next()
    last = paginator.page(3)
    assert names(last) == ["6"] and not last.has_next()
    with pytest.raises(EmptyPage):
        paginator.page(4)


@postgres_only
def test_a_slow_count_gives_up_within_its_budget_and_restores_the_timeout(seven):
    slow = seven.filter(RawSQL("pg_sleep(0.2) IS NOT NULL", [], output_field=BooleanField()))
    assert _count_within(slow, cap=100, budget_ms=20) is None
    assert _count_within(seven, cap=100, budget_ms=1000) == 7
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "0"
    assert Enterprise.objects.count() == 7  # the surrounding transaction is still usable
