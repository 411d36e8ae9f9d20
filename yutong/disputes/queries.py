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


def work_order(queryset: QuerySet) -> QuerySet:
    """Collective disputes first (registered and heard first, Art.7), then the nearest due."""
    return queryset.order_by("-is_collective", "due_on", "received_on", "id")
