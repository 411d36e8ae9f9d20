"""Reading what the wage rules need, set-based: a handful of grouped queries per batch of
projects (never one query per project), then ``rules`` decides in memory, and the colours are
written back with one upsert per batch.

Open wage-arrears complaints come from the inspection app's read side
(``yutong.inspection.queries.open_wage_arrears_complaints()``, a queryset of ``Complaint``
with ``project_id``), and a contractor's arrears history also counts the inspection cases that
found it owing wages (``wage_arrears_findings``); these are the places this app reads another
domain app.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import Count, F, Max, Min, Sum
from django.utils import timezone

from yutong.registry.choices import ProjectStatus
from yutong.registry.models import ConstructionProject

from . import rules
from .models import (
    PayrollEntry,
    PayrollMonth,
    SafeguardKind,
    WageCode,
    WageCodeRule,
    WageDeposit,
    WageSafeguard,
    WageSettings,
)

BATCH = 2000


def rule_settings() -> list[rules.RuleSetting]:
    return [
        rules.RuleSetting(code=r.code, colour=r.colour, threshold=r.threshold)
        for r in WageCodeRule.objects.all()
    ]


def _arrears_findings(ids: list[int]) -> dict[int, date]:
    """Per contractor, the last day an inspection case found it owing migrant workers' wages
    (an order to pay, a penalty or a transfer to the police): arrears on the record even where
    the payroll on the platform showed none (人社部发〔2021〕65号: the rate follows arrears)."""
    from yutong.inspection.queries import wage_arrears_findings

    return dict(
        wage_arrears_findings()
        .filter(employer_id__in=ids)
        .values("employer_id")
        .annotate(last=Max("closed_on"))
        .values_list("employer_id", "last")
    )


def contractor_records(contractor_ids: Iterable[int]) -> dict[int, rules.ContractorRecord]:
    """Per general contractor: its first project start and its last month with arrears."""
    ids = list(set(contractor_ids))
    firsts = dict(
        ConstructionProject.objects.filter(general_contractor_id__in=ids)
        .values("general_contractor_id")
        .annotate(first=Min("starts_on"))
        .values_list("general_contractor_id", "first")
    )
    arrears = dict(
        PayrollMonth.objects.filter(project__general_contractor_id__in=ids, unpaid_count__gt=0)
        .values("project__general_contractor_id")
        .annotate(last=Max("month"))
        .values_list("project__general_contractor_id", "last")
    )
    for contractor_id, found_on in _arrears_findings(ids).items():
        month = found_on.replace(day=1)
        if arrears.get(contractor_id) is None or arrears[contractor_id] < month:
            arrears[contractor_id] = month
    gaps = _projects_without_systems(ids)
    return {
        i: rules.ContractorRecord(
            first_start=firsts.get(i),
            last_arrears_month=arrears.get(i),
            projects_without_systems=gaps.get(i, 0),
        )
        for i in ids
    }


SYSTEMS = (SafeguardKind.WAGE_ACCOUNT, SafeguardKind.REAL_NAME, SafeguardKind.BANK_PAYROLL)


def _projects_without_systems(ids: list[int]) -> dict[int, int]:
    """Per contractor, its started projects that lack one of the three systems on record."""
    complete = set(
        WageSafeguard.objects.filter(project__general_contractor_id__in=ids, kind__in=SYSTEMS)
        .values("project_id")
        .annotate(n=Count("kind"))
        .filter(n=len(SYSTEMS))
        .values_list("project_id", flat=True)
    )
    gaps: dict[int, int] = {}
    started = ConstructionProject.objects.filter(general_contractor_id__in=ids).exclude(
        status=ProjectStatus.PLANNED
    )
    for project_id, contractor_id in started.values_list("pk", "general_contractor_id"):
        if project_id not in complete:
            gaps[contractor_id] = gaps.get(contractor_id, 0) + 1
    return gaps


def _open_complaints(project_ids: list[int]) -> dict[int, int]:
    from yutong.inspection.queries import open_wage_arrears_complaints

    rows = (
        open_wage_arrears_complaints()
        .filter(project_id__in=project_ids)
        .values("project_id")
        .annotate(n=Count("id"))
        .values_list("project_id", "n")
    )
    return dict(rows)


def project_facts(projects: list, today: date, settings=None) -> dict[int, rules.ProjectFacts]:
    """Facts for a batch of projects (objects or dicts with the project columns)."""
    settings = settings or WageSettings.current()
    ids = [p["id"] for p in projects]
    records = contractor_records(p["general_contractor_id"] for p in projects)
    facts = {
        p["id"]: rules.ProjectFacts(
            project_id=p["id"],
            status=p["status"],
            starts_on=p["starts_on"],
            completed_on=p["completed_on"],
            contract_amount=p["contract_amount"],
            requirement=rules.deposit_requirement(
                p["contract_amount"], records[p["general_contractor_id"]], settings, today
            ),
        )
        for p in projects
    }
    for project_id, amount in WageDeposit.objects.filter(project_id__in=ids).values_list(
        "project_id", "amount"
    ):
        facts[project_id].deposit_amount = amount
    for project_id, kind, since, items in WageSafeguard.objects.filter(
        project_id__in=ids
    ).values_list("project_id", "kind", "in_place_since", "notice_items"):
        facts[project_id].safeguards[kind] = rules.SafeguardFact(since, tuple(items or ()))
    for project_id, month in PayrollMonth.objects.filter(project_id__in=ids).values_list(
        "project_id", "month"
    ):
        facts[project_id].months.add(month)
    totals = (
        PayrollMonth.objects.filter(project_id__in=ids)
        .values("project_id")
        .annotate(
            unpaid=Sum("unpaid_count"),
            below=Sum("below_minimum_count"),
            not_own=Sum("not_own_account_count"),
        )
    )
    for row in totals:
        fact = facts[row["project_id"]]
        fact.unpaid_workers = row["unpaid"] or 0
        fact.below_minimum_workers = row["below"] or 0
        fact.not_own_account_workers = row["not_own"] or 0
    shortfalls = (
        PayrollEntry.objects.filter(payroll__project_id__in=ids, is_unpaid=True)
        .values("payroll__project_id")
        .annotate(short=Sum(F("amount_due") - F("amount_paid")))
        .values_list("payroll__project_id", "short")
    )
    for project_id, short in shortfalls:
        facts[project_id].unpaid_amount = short or Decimal("0")
    complaints = _open_complaints(ids)
    for fact in facts.values():
        fact.open_complaints = complaints.get(fact.project_id, 0)
    return facts


PROJECT_COLUMNS = (
    "id",
    "status",
    "starts_on",
    "completed_on",
    "contract_amount",
    "general_contractor_id",
)


def recompute(project_ids: Iterable[int] | None = None, today: date | None = None) -> int:
    """Recompute and store the wage code of the given projects (all when None), in batches.
    Returns the number of projects written."""
    today = today or timezone.localdate()
    settings = WageSettings.current()
    rule_rows = rule_settings()
    queryset = ConstructionProject.objects.order_by("id")
    if project_ids is not None:
        queryset = queryset.filter(id__in=list(project_ids))
    written, last_id = 0, 0
    while True:
        batch = list(queryset.filter(id__gt=last_id).values(*PROJECT_COLUMNS)[:BATCH])
        if not batch:
            return written
        last_id = batch[-1]["id"]
        facts = project_facts(batch, today, settings)
        now = timezone.now()
        codes = []
        for fact in facts.values():
            colour, reasons = rules.wage_code(fact, rule_rows, today)
            codes.append(
                WageCode(
                    project_id=fact.project_id, colour=colour, reasons=reasons, computed_at=now
                )
            )
        WageCode.objects.bulk_create(
            codes,
            update_conflicts=True,
            unique_fields=["project"],
            update_fields=["colour", "reasons", "computed_at"],
        )
        written += len(codes)
