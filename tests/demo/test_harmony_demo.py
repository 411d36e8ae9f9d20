"""The harmony demo loader on a slice of the city: 渝中区, 江北区 (ended 2025-11-05), 两江新区 and
城口县, each with townships, a park and enterprises. Loaded once for the module inside a
transaction that is rolled back at the end."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count

from tests.factories import EnterpriseFactory, IndustrialParkFactory, TownshipFactory, unit
from yutong.demo import harmony as demo
from yutong.harmony import queries, services
from yutong.harmony.models import (
    HarmonyEnrollment,
    HarmonyEvaluation,
    HealthCheck,
)

SLICE = ["500103", "500105", "500157", "500229"]
TODAY = date(2026, 11, 24)
SCALE = demo.Scale(checks_per_unit=4, graded_per_unit=8, pending_per_unit=1)
PLAN = {2024: 0.50, 2025: 0.60, 2026: 0.70}


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        for code in SLICE:
            district = unit(code)
            streets = [TownshipFactory(parent=district) for _ in range(6)]
            park = IndustrialParkFactory(unit=district)
            for n in range(60):
                EnterpriseFactory(
                    unit=district,
                    township=streets[n % 6] if n % 10 else None,
                    park=park if n % 15 == 0 else None,
                    industry="CF"[n % 2],
                    status="deregistered" if n % 29 == 0 else "operating",
                )
        counts = demo.load(11, SCALE, today=TODAY, unit_codes=SLICE)
        yield counts
        transaction.set_rollback(True)


@pytest.fixture
def data(loaded, db):
    return loaded


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_coverage_is_near_the_plan_in_every_unit(data, year):
    as_of = min(date(year, 12, 31), TODAY)
    per_unit = demo.per_unit_coverage(as_of, SLICE)
    assert set(per_unit) == set(SLICE)
    for code, (numerator, denominator) in per_unit.items():
        rate = numerator / denominator
        assert PLAN[year] - 0.04 <= rate <= PLAN[year] + 0.15, (code, year, rate)
    assert data.coverage[year] == tuple(sum(v[i] for v in per_unit.values()) for i in (0, 1))


def test_regional_and_individual_enrolments_in_every_unit(data):
    kinds = set(
        HarmonyEnrollment.objects.values_list("unit__code", "scope")
        .annotate(n=Count("id"))
        .values_list("unit__code", "scope")
    )
    for code in SLICE:
        assert (code, "region") in kinds and (code, "enterprise") in kinds, code
    years = set(HarmonyEnrollment.objects.values_list("year", flat=True))
    assert years == {2024, 2025, 2026}
    assert not HarmonyEnrollment.objects.filter(enrolled_at__date__gt=TODAY).exists()
    # an enterprise is never enrolled twice for the same day
    doubles = (
        HarmonyEnrollment.objects.filter(scope="enterprise")
        .values("enterprise", "year")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert not doubles.exists()


def test_health_checks_follow_the_scoring_rule(data):
    assert HealthCheck.objects.count() == data.health_checks == 4 * len(SLICE)
    for check in HealthCheck.objects.prefetch_related("answers", "findings"):
        answers = list(check.answers.all())
        assert check.points == sum(a.points for a in answers)
        assert check.max_points == sum(a.max_points for a in answers)
        for finding in check.findings.all():
            assert finding.score < 60 and finding.guidance


def test_grades_are_in_sequence_with_the_holding_period(data):
    approved = HarmonyEvaluation.objects.filter(status="approved").order_by("granted_on")
    assert approved.filter(grade="AA").exists()
    for evaluation in approved.exclude(grade="A"):
        below = "A" if evaluation.grade == "AA" else "AA"
        earlier = HarmonyEvaluation.objects.get(
            enterprise=evaluation.enterprise, grade=below, status="approved"
        )
        assert services.add_months(earlier.granted_on, 12) <= evaluation.granted_on
        assert not earlier.is_current
    current = HarmonyEvaluation.objects.filter(is_current=True)
    assert current.values("enterprise").distinct().count() == current.count()
    assert not HarmonyEvaluation.objects.filter(granted_on__gt=TODAY).exists()
    assert queries.graded_enterprises(TODAY).count() == data.graded


def test_applications_waiting_for_review_are_complete(data):
    pending = HarmonyEvaluation.objects.filter(status="submitted")
    assert pending.count() == data.pending == len(SLICE)
    for evaluation in pending:
        assert services.missing_documents(evaluation) == []
        assert evaluation.self_score >= 80
