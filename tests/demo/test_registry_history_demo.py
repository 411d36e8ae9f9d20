"""The registry demo's enterprise history on a small city (2 townships per district, 3,000
enterprises): founding days, earlier states that tile each firm's time, and counts as of the
start of 2024 that differ from today's. Loaded once for the module inside a transaction that
is rolled back at the end."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from yutong.core.models import OrgUnit
from yutong.demo import generate
from yutong.registry import history
from yutong.registry.models import Enterprise, EnterpriseState

COUNT = 3000
START = date(2024, 1, 1)
OPERATING = "operating"


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        rng = random.Random(2024)
        generate.create_townships(rng, 2)
        generate.create_parks(rng, 1)
        written = generate.create_enterprises(rng, COUNT, batch=700)
        yield written
        transaction.set_rollback(True)


@pytest.fixture
def firms(loaded, db):
    return {
        row["pk"]: row
        for row in Enterprise.objects.values(
            "pk",
            "established_on",
            "state_since",
            "unit_id",
            "township_id",
            "park_id",
            "industry",
            "status",
            "employee_count",
            "union_established",
        )
    }


@pytest.fixture
def states(loaded, db):
    rows: dict[int, list[EnterpriseState]] = {}
    for state in EnterpriseState.objects.order_by("enterprise_id", "valid_until"):
        rows.setdefault(state.enterprise_id, []).append(state)
    return rows


def test_every_enterprise_has_a_founding_day_and_its_states_tile_its_time(loaded, firms, states):
    assert loaded == COUNT == len(firms)
    assert set(states) <= set(firms)
    for pk, firm in firms.items():
        founded = firm["established_on"]
        assert founded is not None, pk
        rows = states.get(pk, [])
        if rows:
            assert rows[0].valid_from == founded, pk
        for previous, following in zip(rows, rows[1:], strict=False):
            assert following.valid_from == previous.valid_until, pk
        assert firm["state_since"] == (rows[-1].valid_until if rows else founded), pk


def test_founding_days_mostly_1995_to_2023_and_some_new(firms):
    days = [firm["established_on"] for firm in firms.values()]
    old = sum(date(1995, 1, 1) <= day < START for day in days)
    new = sum(day >= START for day in days)
    assert old / len(days) > 0.9
    assert 0.025 <= new / len(days) <= 0.055
    assert max(days) <= generate.LAST_DAY
    # More firms were founded lately than in the first years.
    assert sum(day.year >= 2015 for day in days) > sum(day.year < 2004 for day in days)


def test_new_enterprises_are_small_operating_without_a_union_and_without_history(firms, states):
    ends = dict(
        OrgUnit.objects.filter(valid_to__isnull=False, level=OrgUnit.Level.DISTRICT).values_list(
            "pk", "valid_to"
        )
    )
    new = [firm for firm in firms.values() if firm["established_on"] >= START]
    assert new
    for firm in new:
        assert firm["employee_count"] < 25, firm
        assert not firm["union_established"], firm
        assert firm["status"] == OPERATING, firm
        assert firm["pk"] not in states, firm
        if firm["unit_id"] in ends:
            assert firm["established_on"] <= ends[firm["unit_id"]], firm
    # The generator marks no firm "已建工会": the flag is the union records' copy, set by the
    # relations demo from the unions it writes.
    assert not any(f["union_established"] for f in firms.values())


def test_about_a_third_of_the_firms_not_operating_stopped_since_2024(firms, states):
    stopped = [firm for firm in firms.values() if firm["status"] != OPERATING]
    assert 0.1 <= len(stopped) / len(firms) <= 0.18
    with_row = [firm for firm in stopped if firm["pk"] in states]
    assert 0.25 <= len(with_row) / len(stopped) <= 0.42
    for firm in with_row:
        (row,) = states[firm["pk"]]
        assert row.status == OPERATING
        assert row.employee_count == firm["employee_count"]
        assert generate.STOPPED_FROM <= row.valid_until <= generate.LAST_DAY
        assert row.valid_from == firm["established_on"] < START
        assert firm["state_since"] == row.valid_until


def test_about_six_percent_grew_since_march_2024(firms, states):
    grown = [
        firm for firm in firms.values() if firm["status"] == OPERATING and firm["pk"] in states
    ]
    assert 0.045 <= len(grown) / len(firms) <= 0.075
    crossed = 0
    for firm in grown:
        (row,) = states[firm["pk"]]
        assert row.status == OPERATING
        assert 1 <= row.employee_count < firm["employee_count"], firm
        assert row.employee_count >= int(0.7 * firm["employee_count"]), firm
        assert generate.GROWN_FROM <= row.valid_until <= generate.LAST_DAY
        crossed += any(row.employee_count < t <= firm["employee_count"] for t in (25, 100, 200))
    assert crossed >= 0.25 * len(grown)


def test_states_keep_the_places_and_industry_of_today(firms, states):
    assert states
    for pk, rows in states.items():
        firm = firms[pk]
        for row in rows:
            assert (row.unit_id, row.township_id, row.park_id, row.industry) == (
                firm["unit_id"],
                firm["township_id"],
                firm["park_id"],
                firm["industry"],
            )


def _operating_on(day, firms, states) -> Counter:
    """Operating firms per unit on ``day``, worked out from the rows one firm at a time."""
    counts: Counter = Counter()
    for pk, firm in firms.items():
        held = firm if firm["state_since"] <= day else None
        for row in states.get(pk, []):
            if row.valid_from <= day < row.valid_until:
                held = {"status": row.status, "unit_id": row.unit_id}
        if held is not None and held["status"] == OPERATING:
            counts[held["unit_id"]] += 1
    return counts


def test_operating_counts_as_of_2024_differ_from_today(firms, states):
    def operating(key):
        return Q(status=OPERATING)

    def totals(day):
        return {
            unit: total
            for unit, (_, total) in history.grouped_counts(day, operating, "unit").items()
        }

    then, today = totals(START), totals(timezone.localdate())
    assert then == _operating_on(START, firms, states)
    assert today == Counter(f["unit_id"] for f in firms.values() if f["status"] == OPERATING)
    assert then != today
    # Founded since and stopped since both move the counts, in opposite directions.
    assert sum(then.values()) - sum(today.values()) == sum(
        1 for pk, rows in states.items() if firms[pk]["status"] != OPERATING
    ) - sum(1 for f in firms.values() if f["established_on"] >= START)
