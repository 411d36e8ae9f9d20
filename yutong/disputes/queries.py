"""Read side of disputes: cases scoped to the reader, queues, similar closed cases."""

from __future__ import annotations

from django.db.models import QuerySet

from yutong.core import roles, scope
from yutong.core.permissions import can

from .models import ArbitrationCase, MediationCase

# Mediators and arbitrators may read both kinds (a failed mediation becomes an arbitration case
# and each side needs the other's record) — in the API, the pages and the printed documents
# alike; the services decide who may act on which.
MEDIATION_READERS = (
    roles.CITY_ADMIN,
    roles.DISTRICT_STAFF,
    roles.MEDIATOR,
    roles.ARBITRATOR,
    roles.AUDITOR,
)
ARBITRATION_READERS = MEDIATION_READERS


def mediation_cases_visible_to(user) -> QuerySet[MediationCase]:
    if not can(user, *MEDIATION_READERS):
        return MediationCase.objects.none()
    queryset = MediationCase.objects.select_related("dispute", "body", "mediator", "unit")
    return scope.restrict_to_units(queryset, user)


def arbitration_cases_visible_to(user) -> QuerySet[ArbitrationCase]:
    if not can(user, *ARBITRATION_READERS):
        return ArbitrationCase.objects.none()
    queryset = ArbitrationCase.objects.select_related("dispute", "commission", "unit")
    return scope.restrict_to_units(queryset, user)


WORK_ORDER = ("-is_collective", "due_on", "received_on", "id")


def work_order(queryset: QuerySet) -> QuerySet:
    """Collective disputes first (registered and heard first, Art.7), then the nearest due."""
    return queryset.order_by(*WORK_ORDER)


def search(user, q: str, limit: int) -> list[tuple[str, list[dict]]]:
    """The global search's disputes part: cases by number ("调<id>" for a mediation case),
    each within the user's scope."""
    import re

    from django.urls import reverse

    from yutong.core.templatetags.display import case_no

    q = q.strip()
    mediation = MediationCase.objects.none()
    unnumbered = re.fullmatch(r"调\s*(\d{1,12})", q)
    if unnumbered:
        mediation = mediation_cases_visible_to(user).filter(pk=int(unnumbered.group(1)))
    arbitration = arbitration_cases_visible_to(user).filter(number__contains=q).order_by("-id")
    hits = [
        {
            "label": case_no(c),
            "note": f"调解 · {c.dispute.employer_name}",
            "url": reverse("disputes:mediation_detail", args=[c.pk]),
        }
        for c in mediation.select_related("dispute")[:limit]
    ]
    hits += [
        {
            "label": case_no(c),
            "note": f"仲裁 · {c.dispute.employer_name}",
            "url": reverse("disputes:arbitration_detail", args=[c.pk]),
        }
        for c in arbitration.select_related("dispute")[:limit]
    ]
    return [("调解仲裁案件", hits[:limit])]
