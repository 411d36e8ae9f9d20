"""Read side of inspection: complaints, cases, ratings and the blacklist scoped to the reader;
the open wage-arrears complaints the wage code counts; the closure counts the indicators use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from yutong.core import cases, roles, scope, tables
from yutong.core.permissions import can

from .models import ArrearsBlacklist, Complaint, ComplianceRating, InspectionCase

# Who reads complaints and cases (auditors read, they do not act and never see the complainant).
READERS = (*roles.INSPECTION_STAFF, roles.AUDITOR)
# Who sees the complainant's identity: inspection staff only (never the employer, never an
# auditor, never an export or API answer for anyone else).
IDENTITY_READERS = roles.INSPECTION_STAFF


def can_see_complainant(user) -> bool:
    return can(user, *IDENTITY_READERS)


def complaints_visible_to(user) -> QuerySet[Complaint]:
    if not can(user, *READERS):
        return Complaint.objects.none()
    queryset = Complaint.objects.select_related("unit", "assigned_to", "project", "employer")
    return scope.restrict_to_units(queryset, user)


def inspection_cases_visible_to(user) -> QuerySet[InspectionCase]:
    if not can(user, *READERS):
        return InspectionCase.objects.none()
    queryset = InspectionCase.objects.select_related(
        "unit", "assigned_to", "project", "employer", "complaint"
    )
    return scope.restrict_to_units(queryset, user)


WORK_ORDER = ("-is_collective", "due_on", "received_on", "id")


def work_order(queryset: QuerySet) -> QuerySet:
    """Collective matters (10+ workers) first, then the nearest deadline."""
    return queryset.order_by(*WORK_ORDER)


def queue(queryset: QuerySet, user, name: str, today: date | None = None) -> QuerySet:
    """``core.cases.queue``: "due soon" there counts in each clock's own unit, so both
    inspection clocks (working days) warn 5 working days ahead."""
    return cases.queue(queryset, user, name, today)


def queue_q(user, name: str, today: date | None = None) -> Q:
    """The condition of ``queue`` (for counting several queues in one query)."""
    return cases.queue_q(user, name, today)


def queue_counts(queryset: QuerySet, user, today: date | None = None) -> dict[str, int]:
    return {name: queue(queryset, user, name, today).count() for name in cases.QUEUES}


def open_wage_arrears_complaints() -> QuerySet[Complaint]:
    """Complaints about unpaid wages of migrant workers that are not finished: awaiting the
    decision (or materials), or accepted with the inspection case still open. Refused and
    redirected ones are finished. Not scoped (the wage code of a project is public); the
    ``project_id`` column links them to ``registry.ConstructionProject``.

    A stable contract for ``yutong.wages`` (count per project:
    ``.filter(project__isnull=False).values("project_id").annotate(n=Count("id"))``)."""
    pending = Q(status__in=[Complaint.Status.RECEIVED, Complaint.Status.MATERIALS_REQUESTED])
    investigating = Q(status=Complaint.Status.ACCEPTED, case__ended_on__isnull=True)
    return Complaint.objects.filter(Q(is_wage_arrears=True) & (pending | investigating))


def wage_arrears_findings() -> QuerySet[InspectionCase]:
    """Closed cases that found unpaid wages of migrant workers: ordered to pay, penalised or
    transferred to the police (not "no violation found"). For ``yutong.wages``: a general
    contractor's arrears history sets its wage-deposit rate."""
    return InspectionCase.objects.filter(
        is_wage_arrears=True,
        closed_on__isnull=False,
        closure__in=[
            InspectionCase.Outcome.ORDER,
            InspectionCase.Outcome.PENALTY,
            InspectionCase.Outcome.POLICE,
        ],
    )


# --- indicators 4 and 5 --------------------------------------------------------------------


@dataclass(frozen=True)
class ClosureCounts:
    closed: int  # complaint cases closed in the period
    pending_at_start: int  # accepted before the period, not closed before it started
    accepted: int  # accepted in the period

    @property
    def denominator(self) -> int:
        return self.pending_at_start + self.accepted


def closure_counts(
    start: date, end: date, *, unit_ids: list[int] | None = None, wage_arrears: bool = False
) -> ClosureCounts:
    """``inspection_closure`` (wage_arrears=False) or ``wage_arrears_closure`` (True) over
    [start, end]: closed ÷ (pending at start + accepted). One indexed aggregate over
    ``InspectionCase`` with ``origin = complaint``; ``unit_ids`` None is the whole city."""
    queryset = InspectionCase.objects.filter(origin=InspectionCase.Origin.COMPLAINT)
    if wage_arrears:
        queryset = queryset.filter(is_wage_arrears=True)
    if unit_ids is not None:
        queryset = queryset.filter(unit_id__in=unit_ids)
    row = queryset.aggregate(
        closed=Count("id", filter=Q(closed_on__gte=start, closed_on__lte=end)),
        pending_at_start=Count(
            "id",
            filter=Q(accepted_on__lt=start) & (Q(closed_on__isnull=True) | Q(closed_on__gte=start)),
        ),
        accepted=Count("id", filter=Q(accepted_on__gte=start, accepted_on__lte=end)),
    )
    return ClosureCounts(**row)


# --- ratings and blacklist -----------------------------------------------------------------


def ratings_visible_to(user) -> QuerySet[ComplianceRating]:
    if not can(user, *READERS):
        return ComplianceRating.objects.none()
    queryset = ComplianceRating.objects.select_related("enterprise", "unit", "reviewed_by")
    return scope.restrict_to_units(queryset, user)


def blacklist_visible_to(user) -> QuerySet[ArrearsBlacklist]:
    if not can(user, *READERS):
        return ArrearsBlacklist.objects.none()
    queryset = ArrearsBlacklist.objects.select_related("enterprise", "unit", "case")
    return scope.restrict_to_units(queryset, user)


# The rating list: C before B before A, then by name (the small table of enterprises with
# records or a review, per unit and year).
RATING_SORTING = tables.Sorting(
    columns={
        "enterprise": ("enterprise__name",),
        "grade": ("grade", "enterprise__name"),
        "computed_grade": ("computed_grade", "enterprise__name"),
        "handled": ("handled_count",),
    },
    default=("grade", "enterprise__name", "id"),
    descending_first=frozenset({"handled"}),
)

# The blacklist: newest listing first; by the term's end, the amount owed or the employer.
BLACKLIST_SORTING = tables.Sorting(
    columns={
        "enterprise": ("enterprise__name",),
        "amount_owed": ("amount_owed",),
        "workers_affected": ("workers_affected",),
        "listed_on": ("listed_on",),
        "term_ends_on": ("term_ends_on",),
    },
    default=("-listed_on", "-id"),
    descending_first=frozenset({"amount_owed", "workers_affected", "listed_on"}),
)


# The public list sorts by what it shows (never by the amount, which stays with staff).
PUBLIC_BLACKLIST_SORTING = tables.Sorting(
    columns={k: BLACKLIST_SORTING.columns[k] for k in ("enterprise", "listed_on", "term_ends_on")},
    default=BLACKLIST_SORTING.default,
    descending_first=frozenset({"listed_on"}),
)


def active_blacklist(on: date) -> QuerySet[ArrearsBlacklist]:
    """Listings in force on ``on`` (the public list): not removed, within their term."""
    return ArrearsBlacklist.objects.filter(
        removed_on__isnull=True, listed_on__lte=on, term_ends_on__gte=on
    ).select_related("enterprise", "unit")


def search(user, q: str, limit: int) -> list[tuple[str, list[dict]]]:
    """The global search's inspection part: cases by number, complaints by their reference
    (TS + day + id), within the user's scope. The complainant is never shown here."""
    import re

    from django.urls import reverse

    q = q.strip()
    hits = []
    reference = re.fullmatch(r"TS(\d{8})(\d{6,})", q.upper())
    if reference and can(user, *READERS):
        for c in complaints_visible_to(user).filter(pk=int(reference.group(2)))[:1]:
            if f"{c.received_on:%Y%m%d}" == reference.group(1):
                hits.append(
                    {
                        "label": c.reference,
                        "note": f"投诉 · {c.employer_name}",
                        "url": reverse("inspection:complaint_detail", args=[c.pk]),
                    }
                )
    cases = inspection_cases_visible_to(user).filter(number__contains=q).order_by("-id")
    hits += [
        {
            "label": c.number,
            "note": "监察案件",
            "url": reverse("inspection:case_detail", args=[c.pk]),
        }
        for c in cases[:limit]
    ]
    return [("监察案件与投诉", hits[:limit])]
