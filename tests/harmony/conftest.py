"""Harmony fixtures: townships and a park in 渝中区, a union officer, and helpers that take an
evaluation through scoring and a complete pack."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import (
    EnterpriseFactory,
    IndustrialParkFactory,
    OrganisationFactory,
    TownshipFactory,
    UserFactory,
)
from yutong.core import roles
from yutong.core.models import Organisation
from yutong.harmony import services
from yutong.harmony.models import DocumentKind, HarmonyEvaluation, ScoringItem

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def full_scores(ratio: float = 1.0) -> dict:
    return {
        item.code: round(item.max_points * ratio, 1)
        for item in ScoringItem.objects.filter(is_active=True)
    }


def complete_pack(actor, evaluation) -> None:
    for kind in DocumentKind.objects.filter(is_active=True, is_required=True):
        services.add_document(actor, evaluation, kind=kind, file=pdf(f"{kind.code}.pdf"))


def ready_evaluation(actor, enterprise, grade="A", ratio=0.95) -> HarmonyEvaluation:
    evaluation = services.start_evaluation(actor, enterprise, grade=grade)
    services.set_self_scores(actor, evaluation, scores=full_scores(ratio))
    complete_pack(actor, evaluation)
    return HarmonyEvaluation.objects.get(pk=evaluation.pk)


def granted(enterprise, grade: str, granted_on: date, months: int = 36) -> HarmonyEvaluation:
    """A grade granted on ``granted_on`` (set-up data written straight to the table)."""
    HarmonyEvaluation.objects.filter(enterprise=enterprise, is_current=True).update(
        is_current=False
    )
    return HarmonyEvaluation.objects.create(
        enterprise=enterprise,
        unit=enterprise.unit,
        grade=grade,
        status=HarmonyEvaluation.Status.APPROVED,
        self_score=95,
        review_score=95,
        decision="approve",
        submitted_on=granted_on,
        reviewed_on=granted_on,
        granted_on=granted_on,
        valid_until=services.add_months(granted_on, months) - timedelta(days=1),
        is_current=True,
    )


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def street_a(yuzhong):
    return TownshipFactory(parent=yuzhong, name="解放碑街道")


@pytest.fixture
def street_b(yuzhong):
    return TownshipFactory(parent=yuzhong, name="七星岗街道")


@pytest.fixture
def park(yuzhong):
    return IndustrialParkFactory(unit=yuzhong, name="渝中数字产业园")


@pytest.fixture
def shapingba_enterprise(shapingba):
    return EnterpriseFactory(unit=shapingba, name="沙坪坝重工有限公司")


@pytest.fixture
def union_officer(yuzhong):
    return UserFactory(
        username="yz_union",
        display_name="工会干部甲",
        unit=yuzhong,
        organisation=OrganisationFactory(
            name="渝中区总工会", kind=Organisation.Kind.TRADE_UNION, unit=yuzhong
        ),
        roles=[roles.UNION_OFFICER],
    )


@pytest.fixture
def other_enterprise_user(yuzhong):
    """An enterprise account of another 渝中 enterprise."""
    other = EnterpriseFactory(unit=yuzhong, name="渝中另一家有限公司")
    organisation = OrganisationFactory(
        name=other.name, kind=Organisation.Kind.ENTERPRISE, unit=yuzhong, uscc=other.uscc
    )
    return UserFactory(
        username="other_ent",
        unit=yuzhong,
        organisation=organisation,
        roles=[roles.ENTERPRISE_USER],
    )
