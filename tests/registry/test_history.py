"""Enterprise history: the change-date rules of ``services.update_enterprise`` and the reads of
``registry.history`` (as of a day before, between and after changes)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from tests.factories import EnterpriseFactory, IndustrialParkFactory, TownshipFactory, make_uscc
from yutong.core.models import AuditEntry
from yutong.registry import history, services
from yutong.registry.models import Enterprise, EnterpriseState

pytestmark = pytest.mark.django_db

FOUNDED = date(2015, 1, 1)


def register(actor, unit, serial=1, **overrides):
    data = {
        "uscc": make_uscc(unit.code, 4000 + serial),
        "name": f"历史测试{serial}有限公司",
        "unit": unit,
        "industry": "C",
        "ownership": "private",
        "employee_count": 10,
    }
    data.update(overrides)
    return services.register_enterprise(actor, **data)


def refused(excinfo):
    return excinfo.value.message_dict


def periods(enterprise):
    """The enterprise's past periods, oldest first, with the values kept for each."""
    return [
        (s.valid_from, s.valid_until, s.employee_count, s.status)
        for s in EnterpriseState.objects.filter(enterprise=enterprise).order_by("valid_until")
    ]


def fresh(enterprise):
    return Enterprise.objects.get(pk=enterprise.pk)


def describing(enterprise, day):
    """How many records describe ``enterprise`` on ``day``: its row and its past rows."""
    current = Enterprise.objects.filter(history.current_on(day), pk=enterprise.pk).count()
    past = EnterpriseState.objects.filter(history.past_on(day), enterprise=enterprise).count()
    return current + past


# --- register ------------------------------------------------------------------------------


def test_register_starts_the_present_values_on_the_founding_day(district_staff, yuzhong):
    founded = register(district_staff, yuzhong, established_on=FOUNDED)
    assert (fresh(founded).established_on, fresh(founded).state_since) == (FOUNDED, FOUNDED)
    unknown = register(district_staff, yuzhong, serial=2)
    assert (fresh(unknown).established_on, fresh(unknown).state_since) == (None, None)
    entry = AuditEntry.objects.get(action="register_enterprise", object_id=str(founded.pk))
    assert entry.changes["established_on"] == [None, "2015-01-01"]
    assert entry.changes["state_since"] == [None, "2015-01-01"]


def test_register_refuses_a_founding_day_in_the_future(district_staff, yuzhong):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        register(district_staff, yuzhong, established_on=tomorrow)
    assert refused(excinfo) == {"established_on": ["成立日期不能晚于今天。"]}
    assert not Enterprise.objects.exists()


# --- a change with a date ------------------------------------------------------------------


def test_a_change_keeps_the_replaced_values_until_the_change_date(district_staff, yuzhong):
    street = TownshipFactory(parent=yuzhong)
    park = IndustrialParkFactory(unit=yuzhong)
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    changed = services.update_enterprise(
        district_staff,
        enterprise,
        expected_version=1,
        effective_on=date(2020, 3, 1),
        employee_count=25,
        status="suspended",
        township=street,
        park=park,
        industry="F",
    )
    assert (changed.state_since, changed.version) == (date(2020, 3, 1), 2)
    past = EnterpriseState.objects.get(enterprise=enterprise)
    assert (past.valid_from, past.valid_until) == (FOUNDED, date(2020, 3, 1))
    assert (past.unit, past.township, past.park, past.industry, past.status) == (
        yuzhong,
        None,
        None,
        "C",
        "operating",
    )
    assert past.employee_count == 10
    entry = AuditEntry.objects.get(action="update_enterprise")
    assert entry.changes["effective_on"] == [None, "2020-03-01"]
    assert entry.changes["state_since"] == ["2015-01-01", "2020-03-01"]
    assert entry.changes["employee_count"] == [10, 25]


def test_the_change_date_defaults_to_today(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(district_staff, enterprise, employee_count=11)
    today = timezone.localdate()
    assert fresh(enterprise).state_since == today
    assert periods(enterprise) == [(FOUNDED, today, 10, "operating")]
    entry = AuditEntry.objects.get(action="update_enterprise")
    assert entry.changes["effective_on"] == [None, today.isoformat()]


def test_a_change_of_the_unit_keeps_the_old_unit(city_admin, yuzhong, shapingba):
    enterprise = register(city_admin, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        city_admin, enterprise, effective_on=date(2021, 1, 1), unit=shapingba
    )
    assert EnterpriseState.objects.get(enterprise=enterprise).unit == yuzhong
    assert fresh(enterprise).unit == shapingba


def test_two_changes_make_a_contiguous_chain(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2019, 5, 1), employee_count=20
    )
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2022, 8, 1), status="suspended"
    )
    assert periods(enterprise) == [
        (FOUNDED, date(2019, 5, 1), 10, "operating"),
        (date(2019, 5, 1), date(2022, 8, 1), 20, "operating"),
    ]
    stored = fresh(enterprise)
    assert (stored.state_since, stored.employee_count, stored.status) == (
        date(2022, 8, 1),
        20,
        "suspended",
    )
    # Every day from the founding on is described exactly once; none before it.
    assert describing(enterprise, FOUNDED - timedelta(days=1)) == 0
    for day in (FOUNDED, date(2019, 4, 30), date(2019, 5, 1), date(2022, 7, 31)):
        assert describing(enterprise, day) == 1
    assert describing(enterprise, date(2022, 8, 1)) == 1
    assert describing(enterprise, timezone.localdate()) == 1


def test_a_change_without_any_known_start_keeps_an_open_period(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2018, 1, 1), employee_count=12
    )
    assert periods(enterprise) == [(None, date(2018, 1, 1), 10, "operating")]
    assert describing(enterprise, date(1990, 1, 1)) == 1


def test_no_row_for_an_empty_period(district_staff, yuzhong):
    """A change on the founding day (or twice on one day) replaces values that never held."""
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(district_staff, enterprise, effective_on=FOUNDED, employee_count=11)
    assert periods(enterprise) == []
    assert (fresh(enterprise).employee_count, fresh(enterprise).state_since) == (11, FOUNDED)

    day = date(2020, 1, 1)
    services.update_enterprise(district_staff, enterprise, effective_on=day, employee_count=12)
    services.update_enterprise(district_staff, enterprise, effective_on=day, employee_count=13)
    assert periods(enterprise) == [(FOUNDED, day, 11, "operating")]
    assert (fresh(enterprise).employee_count, fresh(enterprise).state_since) == (13, day)


def test_a_change_of_an_untracked_field_writes_no_row(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    changed = services.update_enterprise(
        district_staff,
        enterprise,
        effective_on=date(2020, 1, 1),
        name="改名后有限公司",
        address="解放碑",
    )
    assert changed.version == 2
    assert periods(enterprise) == []
    assert fresh(enterprise).state_since == FOUNDED
    entry = AuditEntry.objects.get(action="update_enterprise")
    assert "effective_on" not in entry.changes
    assert "state_since" not in entry.changes


# --- the change-date rules -----------------------------------------------------------------


def _refused_change(actor, enterprise, effective_on, **changes):
    before = fresh(enterprise)
    with pytest.raises(ValidationError) as excinfo:
        services.update_enterprise(
            actor, enterprise, effective_on=effective_on, **(changes or {"employee_count": 99})
        )
    after = fresh(enterprise)
    # Nothing of the refused change is written.
    assert (after.employee_count, after.version, after.state_since) == (
        before.employee_count,
        before.version,
        before.state_since,
    )
    assert after.established_on == before.established_on
    return refused(excinfo)


def test_a_change_date_in_the_future_is_refused(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert _refused_change(district_staff, enterprise, tomorrow) == {
        "effective_on": ["变更日期不能晚于今天。"]
    }
    assert not EnterpriseState.objects.exists()
    assert not AuditEntry.objects.filter(action="update_enterprise").exists()


def test_a_change_date_before_the_founding_day_is_refused(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    assert _refused_change(district_staff, enterprise, FOUNDED - timedelta(days=1)) == {
        "effective_on": ["变更日期不能早于成立日期。"]
    }
    # Also when the founding day is given in the same change.
    unknown = register(district_staff, yuzhong, serial=2)
    assert _refused_change(
        district_staff,
        unknown,
        date(2019, 12, 31),
        established_on=date(2020, 1, 1),
        employee_count=3,
    ) == {"effective_on": ["变更日期不能早于成立日期。"]}
    assert not EnterpriseState.objects.exists()


def test_a_late_change_of_a_field_that_moved_since_is_refused(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2020, 6, 1), employee_count=20
    )
    assert _refused_change(district_staff, enterprise, date(2020, 5, 31)) == {
        "effective_on": [
            "职工人数在 2020-06-01 另有变更，不能登记更早的变更。请按时间顺序登记，或勾选“更正”。"
        ]
    }
    assert periods(enterprise) == [(FOUNDED, date(2020, 6, 1), 10, "operating")]


def test_a_late_change_splits_the_period_that_holds_its_day(district_staff, yuzhong):
    """A firm's head count was edited on 2020-06-01; its stop on 2020-03-01 is entered later."""
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2020, 6, 1), employee_count=20
    )
    services.update_enterprise(
        district_staff, fresh(enterprise), effective_on=date(2020, 3, 1), status="suspended"
    )
    assert periods(enterprise) == [
        (FOUNDED, date(2020, 3, 1), 10, "operating"),
        (date(2020, 3, 1), date(2020, 6, 1), 10, "suspended"),
    ]
    now = fresh(enterprise)
    assert (now.status, now.employee_count, now.state_since) == ("suspended", 20, date(2020, 6, 1))
    for day in (FOUNDED, date(2020, 2, 29), date(2020, 3, 1), date(2020, 6, 1), date(2024, 1, 1)):
        assert describing(enterprise, day) == 1
    operating = history.as_of_q(date(2020, 4, 1), lambda key: Q(status="operating"))
    assert not Enterprise.objects.filter(operating, pk=enterprise.pk).exists()
    entry = AuditEntry.objects.filter(action="update_enterprise").latest("pk")
    assert entry.changes["effective_on"] == [None, "2020-03-01"]


def test_a_late_change_on_a_period_boundary_rewrites_the_later_periods(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2019, 1, 1), employee_count=15
    )
    services.update_enterprise(
        district_staff, fresh(enterprise), effective_on=date(2020, 6, 1), employee_count=20
    )
    services.update_enterprise(
        district_staff, fresh(enterprise), effective_on=date(2019, 1, 1), industry="F"
    )
    assert [(p[0], p[1], p[2]) for p in periods(enterprise)] == [
        (FOUNDED, date(2019, 1, 1), 10),
        (date(2019, 1, 1), date(2020, 6, 1), 15),
    ]
    industries = EnterpriseState.objects.filter(enterprise=enterprise).order_by("valid_until")
    assert [s.industry for s in industries] == ["C", "F"]
    assert fresh(enterprise).industry == "F"


def test_a_correction_keeps_no_history(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2020, 6, 1), employee_count=20
    )
    corrected = services.update_enterprise(
        district_staff,
        enterprise,
        correction=True,
        effective_on=timezone.localdate() + timedelta(days=30),  # ignored by a correction
        employee_count=21,
    )
    assert (corrected.employee_count, corrected.state_since) == (21, date(2020, 6, 1))
    assert periods(enterprise) == [(FOUNDED, date(2020, 6, 1), 10, "operating")]
    entry = AuditEntry.objects.filter(action="update_enterprise").latest("id")
    assert entry.changes == {"employee_count": [20, 21], "effective_on": [None, "更正"]}


# --- the founding day ----------------------------------------------------------------------


def test_a_new_founding_day_moves_the_start_of_the_first_period(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2019, 1, 1), employee_count=20
    )
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2021, 1, 1), employee_count=30
    )
    services.update_enterprise(district_staff, enterprise, established_on=date(2012, 3, 4))
    assert periods(enterprise) == [
        (date(2012, 3, 4), date(2019, 1, 1), 10, "operating"),
        (date(2019, 1, 1), date(2021, 1, 1), 20, "operating"),
    ]
    assert fresh(enterprise).state_since == date(2021, 1, 1)
    services.update_enterprise(district_staff, enterprise, established_on=None)
    assert periods(enterprise)[0][0] is None


def test_a_new_founding_day_without_history_moves_the_present_start(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong)
    services.update_enterprise(district_staff, enterprise, established_on=date(2012, 3, 4))
    stored = fresh(enterprise)
    assert (stored.established_on, stored.state_since) == (date(2012, 3, 4), date(2012, 3, 4))
    assert periods(enterprise) == []


def test_a_founding_day_after_the_first_change_is_refused(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong, established_on=FOUNDED)
    services.update_enterprise(
        district_staff, enterprise, effective_on=date(2019, 1, 1), employee_count=20
    )
    with pytest.raises(ValidationError) as excinfo:
        services.update_enterprise(district_staff, enterprise, established_on=date(2019, 1, 1))
    assert refused(excinfo) == {
        "established_on": ["成立日期不能晚于已记录的登记事项变更日期（2019-01-01）。"]
    }
    assert fresh(enterprise).established_on == FOUNDED
    assert periods(enterprise)[0][0] == FOUNDED


def test_a_founding_day_in_the_future_is_refused_on_edit(district_staff, yuzhong):
    enterprise = register(district_staff, yuzhong)
    with pytest.raises(ValidationError) as excinfo:
        services.update_enterprise(
            district_staff, enterprise, established_on=timezone.localdate() + timedelta(days=1)
        )
    assert refused(excinfo) == {"established_on": ["成立日期不能晚于今天。"]}
    assert fresh(enterprise).established_on is None


# --- reads as of a day ---------------------------------------------------------------------


@pytest.fixture
def timeline(city_admin, yuzhong, shapingba):
    """Three enterprises of 渝中区:

    - ``moved``: founded 2015-01-01 with 10 staff; 20 staff and a township from 2020-01-01;
      suspended and moved to 沙坪坝区 from 2023-01-01;
    - ``late``: founded 2022-06-01 with 5 staff, unchanged;
    - ``old``: founding day unknown, 7 staff, unchanged.
    """
    street = TownshipFactory(parent=yuzhong, name="七星岗街道")
    moved = register(city_admin, yuzhong, 1, established_on=FOUNDED, employee_count=10)
    services.update_enterprise(
        city_admin, moved, effective_on=date(2020, 1, 1), employee_count=20, township=street
    )
    services.update_enterprise(
        city_admin,
        fresh(moved),
        effective_on=date(2023, 1, 1),
        status="suspended",
        unit=shapingba,
        township=None,
    )
    late = register(city_admin, yuzhong, 2, established_on=date(2022, 6, 1), employee_count=5)
    old = register(city_admin, yuzhong, 3, employee_count=7)
    return moved, late, old, street


def as_of(day, condition):
    q = history.as_of_q(day, condition)
    return set(Enterprise.objects.filter(q).values_list("name", flat=True))


def everyone(key):
    return Q()


def operating_in(unit):
    return lambda key: Q(status="operating", unit=unit)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2014, 12, 31), {3}),  # before any founding day but the unknown one
        (FOUNDED, {1, 3}),
        (date(2019, 12, 31), {1, 3}),
        (date(2020, 1, 1), {1, 3}),
        (date(2022, 6, 1), {1, 2, 3}),
        (date(2022, 12, 31), {1, 2, 3}),
        (date(2023, 1, 1), {2, 3}),  # moved out and suspended on that day
        (date(2024, 5, 1), {2, 3}),
    ],
)
def test_as_of_q(timeline, yuzhong, day, expected):
    assert as_of(day, operating_in(yuzhong)) == {f"历史测试{n}有限公司" for n in expected}


def test_as_of_q_today_and_in_another_unit(timeline, yuzhong, shapingba):
    today = timezone.localdate()
    assert as_of(today, operating_in(yuzhong)) == {"历史测试2有限公司", "历史测试3有限公司"}
    in_shapingba = lambda key: Q(unit=shapingba)  # noqa: E731
    assert as_of(today, in_shapingba) == {"历史测试1有限公司"}
    assert as_of(date(2022, 12, 31), in_shapingba) == set()
    assert as_of(date(2023, 1, 1), in_shapingba) == {"历史测试1有限公司"}


def test_as_of_q_reads_the_head_count_of_the_day(timeline):
    big = lambda key: Q(employee_count__gte=15)  # noqa: E731
    assert as_of(date(2019, 12, 31), big) == set()
    assert as_of(date(2020, 1, 1), big) == {"历史测试1有限公司"}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # {unit: (covered: at least 8 staff, total)}
        (date(2014, 12, 31), {"yuzhong": (0, 1)}),
        (date(2019, 12, 31), {"yuzhong": (1, 2)}),
        (date(2021, 1, 1), {"yuzhong": (1, 2)}),
        (date(2022, 6, 1), {"yuzhong": (1, 3)}),
        (date(2023, 1, 1), {"yuzhong": (0, 2), "shapingba": (1, 1)}),
    ],
)
def test_grouped_counts_by_unit(timeline, units, day, expected):
    counts = history.grouped_counts(
        day, everyone, "unit", covered=lambda key: Q(employee_count__gte=8)
    )
    assert counts == {getattr(units, name).pk: value for name, value in expected.items()}


def test_grouped_counts_by_township_within_a_unit(timeline, yuzhong):
    _, _, _, street = timeline
    where = Q(unit=yuzhong)

    def by_township(day):
        return history.grouped_counts(day, everyone, "township", where=where)

    assert by_township(date(2019, 12, 31)) == {None: (0, 2)}
    assert by_township(date(2020, 1, 1)) == {street.pk: (0, 1), None: (0, 1)}
    assert by_township(date(2022, 6, 1)) == {street.pk: (0, 1), None: (0, 2)}
    assert by_township(date(2023, 1, 1)) == {None: (0, 2)}


def test_grouped_counts_with_a_condition(timeline, yuzhong):
    counts = history.grouped_counts(date(2022, 6, 1), operating_in(yuzhong), "status")
    assert counts == {"operating": (0, 3)}
    counts = history.grouped_counts(date(2023, 1, 1), everyone, "status")
    assert counts == {"operating": (0, 2), "suspended": (0, 1)}


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 12, 31), {1: (10, "渝中区", None), 3: (7, "渝中区", None)}),
        (date(2021, 1, 1), {1: (20, "渝中区", "七星岗街道"), 3: (7, "渝中区", None)}),
        (
            date(2023, 1, 1),
            {1: (20, "沙坪坝区", None), 2: (5, "渝中区", None), 3: (7, "渝中区", None)},
        ),
    ],
)
def test_with_values_on(timeline, day, expected):
    present = Enterprise.objects.filter(history.as_of_q(day, everyone))
    rows = history.with_values_on(present, day).values_list(
        "name", "employees_on", "unit_name_on", "township_name_on"
    )
    assert {name: values for name, *values in rows} == {
        f"历史测试{n}有限公司": list(values) for n, values in expected.items()
    }


def test_with_values_on_a_day_before_the_founding_gives_the_present_values(timeline):
    """It annotates, it does not filter: an enterprise not yet founded on the day keeps its
    present values, so callers narrow with as_of_q first (as test_with_values_on does)."""
    _, late, _, _ = timeline
    row = history.with_values_on(Enterprise.objects.filter(pk=late.pk), date(2020, 1, 1)).get()
    assert (row.employees_on, row.unit_name_on) == (5, "渝中区")


def test_reads_without_any_history_use_todays_rows(yuzhong):
    EnterpriseFactory(unit=yuzhong, name="无历史有限公司", employee_count=3)
    assert not history.any_past(date(2000, 1, 1))
    assert as_of(date(2000, 1, 1), everyone) == {"无历史有限公司"}
    assert history.grouped_counts(date(2000, 1, 1), everyone, "unit") == {yuzhong.pk: (0, 1)}
