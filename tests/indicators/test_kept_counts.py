"""The stock indicators' kept counts (``indicators/ledger.py``) against the direct computation.

Hypothesis writes random histories through the registry's services and plain saves of the other
records (enterprises founded, moved, grown, stopped and corrected back in time; enrolments of
every kind begun, ended, edited and deleted; parks opened and closed; unions and contracts),
then the kept counts must equal the counts computed from the records, for every unit and
township, on every day that matters, and month by month. The named tests pin the paths one by
one: bulk writers, the first day kept, a threshold change, and the command."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import EnterpriseFactory, IndustrialParkFactory, TownshipFactory
from yutong.core.models import DatedParameter
from yutong.harmony.models import HarmonyEnrollment
from yutong.indicators import ledger
from yutong.indicators.models import StockDelta, StockLedger
from yutong.indicators.sources import SOURCES, month_ends
from yutong.registry import services as registry
from yutong.registry.models import Enterprise, IndustrialPark
from yutong.relations.models import CollectiveContract, ContractCoverage, Union

pytestmark = pytest.mark.django_db

FIRST = ledger.start()
# Few days, so that changes fall on the same days, the day before the first kept, and on it.
DAYS = [
    FIRST - timedelta(days=40),
    FIRST - timedelta(days=1),
    FIRST,
    FIRST + timedelta(days=1),
    date(FIRST.year, 3, 1),
    date(FIRST.year, 6, 30),
    date(FIRST.year + 1, 2, 10),
    date(FIRST.year + 1, 2, 11),
    date(FIRST.year + 2, 1, 1),
]
OPTIONAL_DAYS = st.one_of(st.none(), st.sampled_from(DAYS))


@pytest.fixture
def world(city_admin, yuzhong, shapingba):
    """Two districts with two townships each, a park in each district, the key-enterprise
    threshold, and counts kept from the start."""
    DatedParameter.objects.update_or_create(
        code="key_enterprise_min_employees",
        unit=None,
        valid_from=date(2020, 1, 1),
        defaults={"value": Decimal(20), "source": "测试"},
    )
    towns = [TownshipFactory(parent=district) for district in (yuzhong, shapingba) for _ in "ab"]
    parks = [
        IndustrialParkFactory(unit=district, township=towns[2 * i], established_on=None)
        for i, district in enumerate((yuzhong, shapingba))
    ]
    ledger.rebuild()
    assert StockLedger.objects.filter(ready=True).count() == 3
    return {"actor": city_admin, "units": [yuzhong, shapingba], "towns": towns, "parks": parks}


def _agrees(days) -> None:
    for day in days:
        assert ledger.check(day) == [], day


def _monthly_agrees(year: int) -> None:
    """A trend read from the kept counts equals the one computed month by month."""
    through = min(date(year, 12, 31), date.today())
    for code in ("harmony_coverage", "collective_contract_rate"):
        source = SOURCES[code]
        options = {"include_parks": True}
        kept = source.monthly(year, through, options, "unit")
        for month, end in month_ends(year, through).items():
            assert kept[month] == source.counts(date(year, 1, 1), end, options, "unit"), (
                code,
                month,
            )


def _found(world, draw):
    town = draw(st.sampled_from(world["towns"]))
    park = draw(st.sampled_from([None, *world["parks"]]))
    if park is not None and park.township_id != town.pk:
        park = None
    day = draw(OPTIONAL_DAYS)
    return EnterpriseFactory(
        unit=town.parent,
        township=town,
        park=park,
        employee_count=draw(st.sampled_from([0, 10, 30])),
        established_on=day,
        state_since=day,
    )


def _change(world, draw, firm):
    changes = draw(
        st.sampled_from(
            [
                {"employee_count": 50},
                {"employee_count": 5},
                {"status": "suspended"},
                {"status": "operating"},
                {"township": "move"},
            ]
        )
    )
    if changes.get("township") == "move":
        town = draw(st.sampled_from(world["towns"]))
        changes = {"unit": town.parent, "township": town, "park": None}
    day = draw(st.sampled_from(DAYS[2:]))
    try:
        with transaction.atomic():
            registry.update_enterprise(
                world["actor"], Enterprise.objects.get(pk=firm.pk), effective_on=day, **changes
            )
    except ValidationError:
        pass  # a day the service refuses (before the founding, before a later change)


def _enrol(world, draw, firms):
    scope = draw(st.sampled_from(["enterprise", "region", "park", "industry"]))
    town = draw(st.sampled_from(world["towns"]))
    target = {
        "enterprise": {"enterprise": draw(st.sampled_from(firms)) if firms else None},
        "region": {"township": town},
        "park": {"park": draw(st.sampled_from(world["parks"]))},
        "industry": {"industry": "C"},
    }[scope]
    if scope == "enterprise" and target["enterprise"] is None:
        return None
    unit = (
        target["enterprise"].unit
        if scope == "enterprise"
        else target["park"].unit
        if scope == "park"
        else town.parent
    )
    starts = draw(st.sampled_from(DAYS))
    ends = draw(OPTIONAL_DAYS)
    enrollment = HarmonyEnrollment(
        scope=scope,
        unit=unit,
        starts_on=starts,
        covered_until=ends if ends is None or ends >= starts else None,
        **target,
    )
    enrollment.save()
    return enrollment


def _edit_enrolment(draw, enrollment):
    action = draw(st.sampled_from(["end", "move", "delete"]))
    if action == "delete":
        enrollment.delete()
        return
    if action == "end":
        enrollment.covered_until = max(enrollment.starts_on, draw(st.sampled_from(DAYS)))
    else:
        enrollment.starts_on = draw(st.sampled_from(DAYS))
        enrollment.covered_until = None
    enrollment.save()


def _union_and_contract(draw, firm):
    since = draw(st.sampled_from(DAYS))
    if Union.objects.filter(enterprise=firm).exists():
        return  # one union per enterprise
    union = Union.objects.create(
        enterprise=firm,
        unit=firm.unit,
        name=f"{firm.name}工会",
        form="committee",
        established_on=since,
        members=20,
        chair="王某",
        dues_rate=Decimal(2),
    )
    if draw(st.booleans()):
        union.dissolved_on = max(since, draw(st.sampled_from(DAYS)))
        union.save()
    if draw(st.booleans()):
        effective = draw(st.sampled_from(DAYS))
        contract = CollectiveContract.objects.create(
            scope="enterprise",
            kind="general",
            title="集体合同",
            unit=firm.unit,
            enterprise=firm,
            term_start=effective,
            expires_on=draw(
                st.sampled_from([d for d in DAYS if d > effective] or [date(2030, 1, 1)])
            ),
            effective_from=effective,
            stage="filed",
        )
        ContractCoverage.objects.create(contract=contract, enterprise=firm)
        if draw(st.booleans()):
            contract.terminated_on = draw(st.sampled_from([d for d in DAYS if d >= effective]))
            contract.save()


def _close_park(world, draw):
    park = IndustrialPark.objects.get(pk=draw(st.sampled_from(world["parks"])).pk)
    day = draw(st.sampled_from(DAYS[2:]))
    if not park.is_active:
        return
    try:
        with transaction.atomic():
            registry.close_park(world["actor"], park, closed_on=day)
    except ValidationError:
        pass


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_kept_counts_equal_the_records_after_any_history(world, data):
    try:
        with transaction.atomic():
            _history(world, data)
            raise _Rollback
    except _Rollback:
        pass


class _Rollback(Exception):
    """Leave each example's records behind."""


def _history(world, data):
    if True:
        firms, enrollments = [], []
        for _ in range(data.draw(st.integers(3, 10), label="steps")):
            step = data.draw(
                st.sampled_from(["found", "change", "enrol", "edit", "union", "park"]),
                label="step",
            )
            if step == "found" or not firms:
                firms.append(_found(world, data.draw))
            elif step == "change":
                _change(world, data.draw, data.draw(st.sampled_from(firms)))
            elif step == "enrol":
                if (enrollment := _enrol(world, data.draw, firms)) is not None:
                    enrollments.append(enrollment)
            elif step == "edit" and enrollments:
                enrollment = enrollments.pop(data.draw(st.integers(0, len(enrollments) - 1)))
                _edit_enrolment(data.draw, enrollment)
            elif step == "union":
                _union_and_contract(data.draw, data.draw(st.sampled_from(firms)))
            elif step == "park":
                _close_park(world, data.draw)
        _agrees([*DAYS[2:], date.today()])
        _monthly_agrees(FIRST.year + 1)


# --- the paths one by one ----------------------------------------------------------------------


def test_the_first_day_kept_holds_the_whole_count(world, yuzhong):
    town = world["towns"][0]
    for day in (None, FIRST - timedelta(days=400), FIRST):
        EnterpriseFactory(unit=yuzhong, township=town, established_on=day, state_since=day)
    later = EnterpriseFactory(
        unit=yuzhong, township=town, established_on=DAYS[4], state_since=DAYS[4]
    )
    first = StockDelta.objects.filter(member=ledger.HARMONY, day=FIRST, unit=yuzhong)
    assert sum(first.values_list("denominator", flat=True)) == 3
    assert StockDelta.objects.get(member=ledger.HARMONY, day=later.established_on).denominator == 1
    _agrees([FIRST, DAYS[4], date.today()])


def test_a_change_back_in_time_is_counted_from_its_day(world, yuzhong, shapingba):
    firm = EnterpriseFactory(unit=yuzhong, township=world["towns"][0], employee_count=30)
    registry.update_enterprise(
        world["actor"], firm, effective_on=DAYS[6], employee_count=2
    )  # now out of scope from February
    firm.refresh_from_db()
    # Recorded late: it had stopped on 1 March of the year before.
    registry.update_enterprise(world["actor"], firm, effective_on=DAYS[4], status="suspended")
    _agrees(DAYS[2:])
    counts = ledger.counts(ledger.members()[0], DAYS[4] - timedelta(days=1), "unit")
    assert counts[yuzhong.pk] == (0, 1)
    assert ledger.counts(ledger.members()[0], DAYS[4], "unit").get(yuzhong.pk) is None


def test_a_bulk_writer_says_what_it_wrote(world, yuzhong):
    """Records written with bulk_create bypass the signals; the writer's notice keeps count."""
    from yutong.core import counts

    town = world["towns"][1]
    Enterprise.objects.bulk_create(
        [
            EnterpriseFactory.build(
                unit=yuzhong, township=town, established_on=day, state_since=day
            )
            for day in (None, DAYS[4], DAYS[6])
        ]
    )
    assert ledger.check(date.today()) != []  # not yet told
    counts.records_changed("enterprise", among=_in_town(town), first=None)
    _agrees(DAYS[2:])


def _in_town(town):
    """A bulk writer's ``among``: the records of one township."""
    return lambda key: Q(township_id=town.pk)


def test_a_threshold_change_rebuilds_and_computes_meanwhile(world, yuzhong):
    EnterpriseFactory(unit=yuzhong, township=world["towns"][0], employee_count=3)
    DatedParameter.objects.create(
        code="harmony_coverage_min_headcount",
        valid_from=DAYS[5],
        value=Decimal(5),
        source="测试",
    )
    kept = StockLedger.objects.get(member=ledger.HARMONY)
    assert not kept.ready  # until rebuilt, the pages compute from the records
    assert ledger.kept_from(ledger.members()[0]) is None
    ledger.rebuild(ledger.HARMONY)
    _agrees(DAYS[2:])


def test_the_command_checks_and_rebuilds(world, yuzhong, capsys):
    EnterpriseFactory(unit=yuzhong, township=world["towns"][0])
    call_command("counts", "--check", "--day", DAYS[4].isoformat())
    assert "核对一致" in capsys.readouterr().out
    StockDelta.objects.filter(member=ledger.HARMONY).delete()
    with pytest.raises(CommandError, match="不一致"):
        call_command("counts", "--check")
    assert "harmony_coverage.enterprises" in capsys.readouterr().out
    call_command("counts", "--rebuild")
    call_command("counts", "--check")
    with pytest.raises(CommandError, match="请指定"):
        call_command("counts")
    with pytest.raises(CommandError, match="没有这个计数"):
        call_command("counts", "--check", "--member", "nothing")
    with pytest.raises(CommandError, match="日期格式"):
        call_command("counts", "--check", "--day", "2025-13-01")


def test_a_bulk_write_beyond_the_limits_is_recounted_in_the_background(
    world, yuzhong, monkeypatch, django_capture_on_commit_callbacks
):
    """Thousands of enterprises imported at once: the member is computed from the records
    until the background rebuild (queued when the import commits) has recounted it."""
    from yutong.core import counts
    from yutong.indicators import engine
    from yutong.indicators.models import Indicator
    from yutong.indicators.periods import Period

    monkeypatch.setattr(ledger, "MOST_GROUPS", 0)
    town = world["towns"][0]
    Enterprise.objects.bulk_create(
        [EnterpriseFactory.build(unit=yuzhong, township=town, employee_count=40)]
    )
    with django_capture_on_commit_callbacks() as queued:
        counts.records_changed("enterprise", among=_in_town(town), first=None)
    assert ledger.kept_from(ledger.members()[0]) is None
    assert len(queued) == 2  # a rebuild for each of the two enterprise members
    indicator = Indicator.objects.get(code="harmony_coverage")
    value = engine.compute(indicator, Period(date.today().year), [yuzhong])[0]
    firms = value.parts[0]
    assert (firms.label, firms.denominator) == ("企业", 1)  # computed from the records meanwhile
    for callback in queued:
        callback()  # the tasks run at once in tests
    assert ledger.kept_from(ledger.members()[0]) == FIRST
    _agrees([FIRST, date.today()])
