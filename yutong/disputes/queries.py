"""Read side of disputes: cases scoped to the reader, queues, similar closed cases, and the
registries behind the cases (mediation bodies and mediators, arbitration commissions and their
people, the lawyer pool) with the sortable columns of their lists."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from yutong.core import roles, scope, tables
from yutong.core.permissions import can

from .models import (
    ArbitrationCase,
    ArbitrationCommission,
    Arbitrator,
    Lawyer,
    MediationBody,
    MediationCase,
    Mediator,
)

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


# --- the registries behind the cases ---------------------------------------------------------

# Who reads the registries; the services decide who changes them (services.BODY_EDITORS).
BODY_READERS = (
    roles.CITY_ADMIN,
    roles.DISTRICT_STAFF,
    roles.MEDIATOR,
    roles.ARBITRATOR,
    roles.AUDITOR,
)


def bodies_visible_to(user) -> QuerySet[MediationBody]:
    if not can(user, *BODY_READERS):
        return MediationBody.objects.none()
    queryset = MediationBody.objects.select_related("unit", "township", "enterprise", "park")
    return scope.restrict_to_units(queryset, user)


def mediators_visible_to(user) -> QuerySet[Mediator]:
    if not can(user, *BODY_READERS):
        return Mediator.objects.none()
    queryset = Mediator.objects.select_related("body__unit", "user")
    return scope.restrict_to_units(queryset, user, field="body__unit")


def commissions_visible_to(user) -> QuerySet[ArbitrationCommission]:
    if not can(user, *BODY_READERS):
        return ArbitrationCommission.objects.none()
    return scope.restrict_to_units(ArbitrationCommission.objects.select_related("unit"), user)


def arbitrators_visible_to(user) -> QuerySet[Arbitrator]:
    if not can(user, *BODY_READERS):
        return Arbitrator.objects.none()
    queryset = Arbitrator.objects.select_related("commission__unit", "user")
    return scope.restrict_to_units(queryset, user, field="commission__unit")


def lawyers_visible_to(user) -> QuerySet[Lawyer]:
    if not can(user, *BODY_READERS):
        return Lawyer.objects.none()
    return scope.restrict_to_units(Lawyer.objects.select_related("unit"), user)


def with_mediator_counts(bodies: QuerySet[MediationBody]) -> QuerySet[MediationBody]:
    """Each body with the number of its mediators on duty (``mediator_count``)."""
    return bodies.annotate(mediator_count=Count("mediators", filter=Q(mediators__is_active=True)))


def with_people_counts(
    commissions: QuerySet[ArbitrationCommission],
) -> QuerySet[ArbitrationCommission]:
    """Each commission with its arbitrators and clerks on duty (``arbitrator_count``,
    ``clerk_count``)."""
    on_duty = Q(arbitrators__is_active=True)
    return commissions.annotate(
        arbitrator_count=Count(
            "arbitrators", filter=on_duty & Q(arbitrators__role=Arbitrator.Role.ARBITRATOR)
        ),
        clerk_count=Count(
            "arbitrators", filter=on_duty & Q(arbitrators__role=Arbitrator.Role.CLERK)
        ),
    )


def filter_registry(rows: QuerySet, data: dict, search: tuple[str, ...]) -> QuerySet:
    """A registry list narrowed by its filter form: the words in any of the ``search`` fields,
    the kind, the district and whether the row is in use."""
    q = (data.get("q") or "").strip()
    if q:
        condition = Q()
        for field in search:
            condition |= Q(**{f"{field}__icontains": q})
        rows = rows.filter(condition)
    if data.get("kind"):
        rows = rows.filter(kind=data["kind"])
    if data.get("unit") is not None:
        rows = rows.filter(unit=data["unit"])
    if data.get("status"):
        rows = rows.filter(is_active=data["status"] == "active")
    return rows


# The registries are small (a few hundred rows per district): their sorts need no index.
REGISTRY_ORDER = ("unit__code", "name", "id")
BODY_SORTING = tables.Sorting(
    columns={
        "code": ("code",),
        "name": ("name",),
        "unit": ("unit__code", "name"),
        "mediators": ("mediator_count",),
    },
    default=REGISTRY_ORDER,
    descending_first=frozenset({"mediators"}),
)
COMMISSION_SORTING = tables.Sorting(
    columns={
        "code": ("code",),
        "name": ("name",),
        "unit": ("unit__code", "name"),
        "arbitrators": ("arbitrator_count",),
        "clerks": ("clerk_count",),
    },
    default=REGISTRY_ORDER,
    descending_first=frozenset({"arbitrators", "clerks"}),
)
LAWYER_SORTING = tables.Sorting(
    columns={"name": ("name",), "firm": ("firm", "name"), "unit": ("unit__code", "name")},
    default=REGISTRY_ORDER,
)
# The people of a body or a commission, on its page: those on duty first.
MEDIATOR_SORTING = tables.Sorting(
    columns={"name": ("name",), "status": ("-is_active", "name")},
    default=("-is_active", "name", "id"),
)
ARBITRATOR_SORTING = tables.Sorting(
    columns={
        "name": ("name",),
        "role": ("role", "name"),
        "status": ("-is_active", "role", "name"),
    },
    default=("-is_active", "role", "name", "id"),
)
