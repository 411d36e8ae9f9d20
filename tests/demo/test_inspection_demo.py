"""The inspection demo loader on a slice of the city: 渝中区 (with the demo accounts and the
complaints taken through the services), 江北区 (ended 2025-11-05), 两江新区 (its successor) and
城口县. Loaded once for the module inside a transaction rolled back at the end."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Count

from tests.factories import EnterpriseFactory, unit
from yutong.core import clocks
from yutong.core.models import AuditEntry, OrgUnit
from yutong.demo import accounts
from yutong.demo import inspection as demo
from yutong.inspection import queries
from yutong.inspection.models import (
    ArrearsBlacklist,
    CaseNumberSequence,
    Complaint,
    ComplianceRating,
    InspectionCase,
    RatingRun,
)
from yutong.registry.models import ConstructionProject

SLICE = ["500103", "500105", "500157", "500229"]
TODAY = date(2026, 11, 24)
SCALE = demo.Scale(complaints_per_year=4000, proactive_share=0.25, employers_per_unit=15)


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for code in SLICE:
            district = unit(code)
            firms = [EnterpriseFactory(unit=district) for _ in range(12)]
            ConstructionProject.objects.create(
                code=f"P{code}",
                name=f"{district.name}示范工程",
                unit=district,
                owner=firms[0],
                general_contractor=firms[1],
                contract_amount=Decimal("50000000"),
                status="under_construction",
            )
        showcase = EnterpriseFactory(unit=unit("500103"), name="重庆山城精工机械有限公司")
        accounts.create_accounts(showcase.uscc, showcase.name)
        counts = demo.load(7, SCALE, today=TODAY, unit_codes=SLICE)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def data(loaded, db):
    return loaded


def test_every_unit_has_complaints_and_cases_within_its_time(data):
    per_unit = dict(
        Complaint.objects.values_list("unit__code")
        .annotate(n=Count("id"))
        .values_list("unit__code", "n")
    )
    assert set(per_unit) == set(SLICE)
    jiangbei = OrgUnit.objects.get(code="500105")
    assert not Complaint.objects.filter(unit=jiangbei, received_on__gt=jiangbei.valid_to).exists()
    for district in OrgUnit.objects.filter(code__in=SLICE, valid_from__isnull=False):
        assert not Complaint.objects.filter(
            unit=district, received_on__lt=district.valid_from
        ).exists()
    assert Complaint.objects.filter(received_on__lt=date(2024, 1, 8)).exists()
    assert not Complaint.objects.filter(received_on__gt=TODAY).exists()
    assert data.complaints + data.service_complaints == Complaint.objects.count()


def test_volume_and_mix(data):
    years = Complaint.objects.filter(received_on__year=2025, unit__code__in=SLICE)
    # 4000 a year shared by ~39 units: about 100 per unit-year, 3 units a year in force.
    assert 150 < years.count() < 700
    share = years.filter(is_wage_arrears=True).count() / years.count()
    assert 0.25 < share < 0.42
    assert Complaint.objects.filter(project__isnull=False).exists()
    assert Complaint.objects.filter(is_anonymous=True).exists()
    assert set(Complaint.objects.values_list("status", flat=True)) >= {
        "accepted",
        "refused",
        "redirected",
    }
    assert InspectionCase.objects.exclude(origin="complaint").exists()


def test_clocks_are_the_services(data):
    for complaint in Complaint.objects.filter(status="received"):
        assert complaint.due_on == clocks.add_working_days(complaint.clock_start, 5)
    for case in InspectionCase.objects.filter(ended_on__isnull=True).prefetch_related(
        "clock_changes"
    ):
        assert case.due_on == case.deadline().due
        assert case.inspectors.count() == 2
    closed = InspectionCase.objects.filter(closed_on__isnull=False)
    assert not closed.filter(due_on__isnull=False).exists()
    assert not closed.filter(closure="").exists()


def test_closure_rates_are_near_the_targets(data):
    ids = list(OrgUnit.objects.filter(code__in=SLICE).values_list("id", flat=True))
    overall = queries.closure_counts(date(2025, 1, 1), date(2025, 12, 31), unit_ids=ids)
    rate = overall.closed / overall.denominator
    assert 0.95 <= rate <= 0.995, rate
    arrears = queries.closure_counts(
        date(2025, 1, 1), date(2025, 12, 31), unit_ids=ids, wage_arrears=True
    )
    assert 0.96 <= arrears.closed / arrears.denominator <= 1.0


def test_numbers_continue_and_services_were_used(data):
    sequence = CaseNumberSequence.objects.get(unit__code="500103", year=2026)
    assert InspectionCase.objects.filter(
        unit__code="500103", number=f"渝中区人社监〔2026〕{sequence.last}号"
    ).exists()
    assert data.service_complaints == 5
    assert AuditEntry.objects.filter(action="close_inspection_case").exists()
    assert len(set(InspectionCase.objects.values_list("number", flat=True))) == (
        InspectionCase.objects.count()
    )


def test_ratings_and_blacklist(data):
    assert RatingRun.objects.filter(year=2026).count() == 3  # 江北区 ended
    assert ComplianceRating.objects.filter(grade__in=["B", "C"]).exists()
    for listing in ArrearsBlacklist.objects.all():
        assert listing.case.refused_order and listing.case.is_wage_arrears
