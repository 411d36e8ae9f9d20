"""The relations demo loader on a slice of the city (渝中区 and 城口县): consistent with the
registry, and the collective-contract rate on the plan's targets."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import transaction
from django.db.models import Count, F

from tests.factories import EnterpriseFactory, TownshipFactory, unit
from yutong.demo import relations as demo
from yutong.registry.models import Enterprise
from yutong.relations import queries
from yutong.relations.models import (
    AffairsDisclosure,
    CollectiveBargaining,
    CollectiveContract,
    CongressSession,
    ContractCoverage,
    EmploymentFiling,
    FollowUpItem,
    TripartiteMeeting,
    Union,
    WorkersCongress,
)

SLICE = ["500103", "500229"]
TODAY = date(2026, 11, 24)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for code in SLICE:
            district = unit(code)
            street = TownshipFactory(parent=district)
            # 100 key-size firms per district: consecutive ids, so each id % 100 bucket
            # occurs once per district; the demo gives most of them a union.
            for n in range(100):
                EnterpriseFactory(
                    unit=district,
                    township=street,
                    employee_count=100 + n * 7,
                    established_on=date(2015, 1, 1),
                )
            for size in (8, 30, 60):
                for _ in range(10):
                    EnterpriseFactory(
                        unit=district,
                        township=street,
                        employee_count=size,
                        established_on=date(2022, 3, 1),  # later than most unions' dates
                    )
            EnterpriseFactory(unit=district, township=street, employee_count=0)
            # founded in 2024: too new for a union; marked by mistake, the flag is put right
            EnterpriseFactory(
                unit=district,
                employee_count=400,
                established_on=date(2024, 3, 1),
                union_established=True,
            )
        EnterpriseFactory(unit=unit("500106"), employee_count=500, union_established=True)
        counts = demo.load(7, "small", today=TODAY, unit_codes=SLICE)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def data(loaded, db):
    return loaded


def test_unions_by_size_and_never_without_employees(data):
    unions = Union.objects.all()
    assert unions.count() == data.unions
    key = unions.filter(enterprise__employee_count__gte=100).count()
    assert 70 * 2 <= key <= 97 * 2  # about 85 % of the 2 × 100 key-size firms
    assert unions.filter(enterprise__employee_count__lt=100).exists()
    assert not unions.filter(enterprise__employee_count=0).exists()
    assert not unions.filter(enterprise__established_on__gte=date(2024, 1, 1)).exists()
    assert not unions.filter(enterprise__unit__code="500106").exists()  # outside the slice
    assert not unions.filter(established_on__gt=TODAY).exists()
    # No union is older than its enterprise.
    assert not unions.filter(established_on__lt=F("enterprise__established_on")).exists()
    assert unions.filter(established_on=date(2022, 3, 1)).count() >= 2
    # Committees from 25 employees; an organiser only below.
    assert not unions.filter(form="organiser", members__gte=25).exists()
    # Most firms of 200+ have full-time staff, not all: the to-do list has work.
    big = unions.filter(enterprise__employee_count__gte=200)
    assert 0 < big.filter(fulltime_staff=0).count() < big.count()


def test_the_registry_flag_is_the_union_records_copy(data):
    """Every enterprise marked 已建工会 has a union in being, and every one with a union is
    marked — the flag set from the records, never drawn on its own."""
    in_slice = Enterprise.objects.filter(unit__code__in=SLICE)
    with_union = set(
        Union.objects.filter(dissolved_on__isnull=True).values_list("enterprise_id", flat=True)
    )
    flagged = set(in_slice.filter(union_established=True).values_list("id", flat=True))
    assert flagged == with_union
    assert with_union and in_slice.filter(union_established=False).exists()


def test_contracts_only_where_a_union_exists(data):
    own = CollectiveContract.objects.filter(scope="enterprise")
    assert own.exists()
    assert not own.exclude(enterprise__union_established=True).exists()
    for contract in own.select_related("union"):
        assert contract.union.enterprise_id == contract.enterprise_id
    assert not ContractCoverage.objects.filter(enterprise__union_established=False).exists()
    regional = CollectiveContract.objects.filter(scope="regional")
    assert set(regional.values_list("unit__code", flat=True)) == set(SLICE)
    for contract in regional:
        for firm in contract.covered_enterprises.all():
            assert firm.township_id == contract.region_id
    # Renewals continue the first contracts without a gap.
    renewals = own.filter(previous__isnull=False).select_related("previous")
    assert renewals.count() == own.filter(term_start=date(2022, 7, 1)).count() > 0
    for renewal in renewals:
        assert renewal.term_start == renewal.previous.expires_on + timedelta(1)


def test_contract_dates_follow_the_clocks(data):
    for contract in CollectiveContract.objects.filter(stage="filed"):
        assert contract.filed_on <= contract.filing_due_on
        assert contract.effective_from > contract.review_due_on
        assert contract.effective_from >= contract.term_start
        assert contract.status_on(TODAY) in ("effective", "expired")
    assert CollectiveContract.objects.filter(queries.contract_status_q("effective", TODAY)).exists()
    # Every own contract in force was published; the publication queue is empty.
    unpublished = queries.contract_queue(CollectiveContract.objects.all(), "unpublished", TODAY)
    assert not unpublished.filter(scope="enterprise").exists()
    assert AffairsDisclosure.objects.count() == data.disclosures > 0


def test_collective_contract_rate_on_the_plan_targets(data):
    """The waves cover key enterprises by ``id % 100`` bucket: below 80 by the end of 2024,
    below 83 by the end of 2025, below 85 in 2026, of those the demo gave a union."""
    enterprises = Enterprise.objects.filter(unit__code__in=SLICE)
    key = list(
        Union.objects.filter(
            enterprise__unit__code__in=SLICE, enterprise__employee_count__gte=100
        ).values_list("enterprise_id", flat=True)
    )
    rate = queries.collective_contract_rate
    for day, wave in ((date(2024, 12, 31), 80), (date(2025, 12, 31), 83), (TODAY, 85)):
        expected = sum(1 for pk in key if pk % 100 < wave) / len(key)
        assert rate(enterprises, day).value == pytest.approx(expected)
        assert abs(rate(enterprises, day).value - wave / 100) < 0.08
    assert rate(enterprises, TODAY).total == len(key)


def test_every_district_has_the_other_records(data):
    for code in SLICE:
        assert TripartiteMeeting.objects.filter(unit__code=code).count() == 6  # 2024-2026
        # one per key-size firm with a union
        key = Union.objects.filter(enterprise__unit__code=code, enterprise__employee_count__gte=100)
        assert WorkersCongress.objects.filter(unit__code=code).count() == key.count() > 0
        assert CollectiveBargaining.objects.filter(unit__code=code, year=2026).exists()
        assert EmploymentFiling.objects.filter(unit__code=code).exists()
    assert CongressSession.objects.filter(year=2026).exists()
    assert FollowUpItem.objects.filter(done_on__isnull=True, due_on__lt=TODAY).exists()
    per_period = EmploymentFiling.objects.values("period").annotate(n=Count("id"))
    assert [p["period"] for p in per_period.order_by("period")] == [
        date(2026, 8, 1),
        date(2026, 9, 1),
        date(2026, 10, 1),
    ]
    assert EmploymentFiling.objects.filter(dispatch_over_cap=True).exists()
    for filing in EmploymentFiling.objects.all()[:50]:
        total = filing.contracted + filing.dispatched
        assert filing.dispatch_over_cap == (filing.dispatched * 100 > 10 * total)


def test_wage_bargaining_queue_has_work(data, city_admin):
    assert queries.wage_bargaining_pending(city_admin, 2026, TODAY).exists()


def test_load_once_loads_once(data):
    assert demo.load_once(7) is None


@pytest.mark.django_db
def test_the_showcase_union_goes_through_the_relations_service(yuzhong):
    """``yutong demo`` gives the demo company its union through relations' service, which sets
    the registry's flag (audited), and leaves one the bulk load already wrote."""
    from yutong.core.models import AuditEntry
    from yutong.demo.management.commands.demo import Command

    firm = EnterpriseFactory(unit=yuzhong, employee_count=186, established_on=date(2012, 3, 15))
    Command()._showcase_union(firm)
    firm.refresh_from_db()
    assert firm.union_established
    assert Union.objects.filter(enterprise=firm, dissolved_on__isnull=True).count() == 1
    assert AuditEntry.objects.filter(action="set_union_established").count() == 1
    Command()._showcase_union(firm)
    assert Union.objects.filter(enterprise=firm).count() == 1
