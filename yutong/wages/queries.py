"""Read side of wages: what a user may read of a project's safeguards and payroll, and the
public information of a project (the rights notice board of Art.34 and the wage code)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from yutong.core import roles
from yutong.core.parameters import ParameterMissing, ParameterValue
from yutong.core.permissions import can
from yutong.registry import queries as registry_queries
from yutong.registry.models import ConstructionProject, ProjectSubcontractor

from .importers import minimum_wage
from .models import (
    PayrollMonth,
    SafeguardKind,
    WageCode,
    WageDeposit,
    WageSafeguard,
    WageSettings,
)


def can_read_payroll(user, project: ConstructionProject) -> bool:
    """Staff who see the project, and the general contractor's own account (it keeps the
    ledger); owners and subcontractors read the safeguards but not the workers' lines."""
    if can(user, *roles.STAFF_ROLES):
        return registry_queries.projects_visible_to(user).filter(pk=project.pk).exists()
    return registry_queries.projects_contracted_by(user).filter(pk=project.pk).exists()


def payroll_months(project: ConstructionProject):
    return PayrollMonth.objects.filter(project=project).order_by("-month")


def safeguards_of(project: ConstructionProject) -> dict[str, WageSafeguard]:
    rows = WageSafeguard.objects.filter(project=project).select_related("recorded_by")
    return {row.kind: row for row in rows}


def deposit_of(project: ConstructionProject) -> WageDeposit | None:
    return WageDeposit.objects.filter(project=project).select_related("recorded_by").first()


def wage_code_of(project: ConstructionProject) -> WageCode | None:
    return WageCode.objects.filter(project=project).first()


@dataclass
class RightsInformation:
    """The contents of the rights notice board (条例 Art.34), from the project's records."""

    project: ConstructionProject
    subcontractors: list
    authority: str
    minimum_wage: ParameterValue | None
    minimum_wage_missing: str
    pay_day: int | None
    complaint_hotline: str
    arbitration_channel: str
    legal_aid: str
    has_labour_officer: bool


def rights_information(project: ConstructionProject, on: date | None = None) -> RightsInformation:
    on = on or timezone.localdate()
    settings = WageSettings.current()
    try:
        wage, missing = minimum_wage(project, on), ""
    except ParameterMissing as exc:
        wage, missing = None, str(exc)
    payroll = WageSafeguard.objects.filter(project=project, kind=SafeguardKind.BANK_PAYROLL).first()
    subcontractors = [
        row.enterprise
        for row in ProjectSubcontractor.objects.filter(project=project)
        .select_related("enterprise")
        .order_by("id")
    ]
    return RightsInformation(
        project=project,
        subcontractors=subcontractors,
        # 条例 Art.10: the project's industry authority (construction, transport, water), as
        # recorded on the project; the human-resources bureau is not it.
        authority=project.authority or "未登记",
        minimum_wage=wage,
        minimum_wage_missing=missing,
        pay_day=payroll.pay_day if payroll else None,
        complaint_hotline=settings.complaint_hotline,
        arbitration_channel=settings.arbitration_channel,
        legal_aid=settings.legal_aid,
        has_labour_officer=bool(project.labour_officer),
    )


def public_project(pk: int) -> ConstructionProject | None:
    """A project as the public page shows it (no scope: the page holds no personal data)."""
    return (
        ConstructionProject.objects.select_related(
            "unit", "township", "owner", "general_contractor", "wage_code"
        )
        .filter(pk=pk)
        .first()
    )
