"""Read side of the registry: enterprises, industrial parks and construction projects scoped to
the reader, filtered in the database."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from yutong.core import roles, scope, tables
from yutong.core.models import OrgUnit
from yutong.core.permissions import can, company_of

from .choices import SIZE_BANDS
from .models import (
    ConstructionProject,
    Enterprise,
    EnterpriseState,
    IndustrialPark,
    ParkState,
    ProjectSubcontractor,
)
from .validators import normalise_uscc


def enterprises_visible_to(user) -> QuerySet[Enterprise]:
    """The one gate for enterprise reads: lists, details, API, exports and pickers."""
    queryset = Enterprise.objects.select_related("unit", "township", "park")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or can(user, *roles.STAFF_ROLES):
        return scope.restrict_to_units(queryset, user)
    company = company_of(user)
    return queryset.none() if company is None else queryset.filter(uscc=company.uscc)


def enterprise_history(user, enterprise: Enterprise) -> QuerySet[EnterpriseState]:
    """The past states of ``enterprise``, newest first; none unless the reader may see it."""
    visible = enterprises_visible_to(user).filter(pk=enterprise.pk)
    return (
        EnterpriseState.objects.filter(enterprise__in=visible.values("pk"))
        .select_related("unit", "township", "park")
        .order_by("-valid_until", "id")
    )


def parks_visible_to(user) -> QuerySet[IndustrialPark]:
    """The one gate for park reads: lists, details, API, exports and pickers. Staff only: an
    enterprise account reads its own enterprise's park name on its record, not the park list."""
    queryset = IndustrialPark.objects.select_related("unit", "township")
    if not user.is_authenticated:
        return queryset.none()
    if not (user.is_superuser or can(user, *roles.STAFF_ROLES)):
        return queryset.none()
    return scope.restrict_to_units(queryset, user)


def park_history(user, park: IndustrialPark) -> QuerySet[ParkState]:
    """The past states of ``park``, newest first; none unless the reader may see it."""
    visible = parks_visible_to(user).filter(pk=park.pk)
    return (
        ParkState.objects.filter(park__in=visible.values("pk"))
        .select_related("unit", "township")
        .order_by("-valid_until", "id")
    )


PARK_ORDER = ("name", "id")
PARK_SORTING = tables.Sorting(
    columns={"name": ("name",), "established_on": ("established_on",)},
    default=PARK_ORDER,
    descending_first=frozenset({"established_on"}),
    nullable=frozenset({"established_on"}),
)

ENTERPRISE_ORDER = ("name", "id")
# Each order has an index (models.Enterprise.Meta.indexes) with and without the unit first.
ENTERPRISE_SORTING = tables.Sorting(
    columns={
        "name": ("name",),
        "employee_count": ("employee_count",),
        "established_on": ("established_on",),
    },
    default=ENTERPRISE_ORDER,
    descending_first=frozenset({"employee_count", "established_on"}),
    nullable=frozenset({"established_on"}),
)


def filter_parks(queryset: QuerySet[IndustrialPark], params) -> QuerySet[IndustrialPark]:
    """Apply the list filters; ``params`` is a validated dict (see forms.ParkFilterForm)."""
    unit: OrgUnit | None = params.get("unit")
    if unit is not None:
        if params.get("unit_basis") == "current":
            queryset = queryset.filter(unit__current=unit)
        else:
            queryset = queryset.filter(unit=unit)
    if params.get("township") is not None:
        queryset = queryset.filter(township=params["township"])
    active = params.get("active")
    if active in ("yes", "no"):
        queryset = queryset.filter(is_active=(active == "yes"))
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(Q(name__contains=q) | Q(code=q.upper()))
    return queryset


def filter_enterprises(queryset: QuerySet[Enterprise], params) -> QuerySet[Enterprise]:
    """Apply the list filters; ``params`` is a validated dict (see forms.EnterpriseFilterForm)."""
    unit: OrgUnit | None = params.get("unit")
    if unit is not None:
        if params.get("unit_basis") == "current":
            queryset = queryset.filter(unit__current=unit)
        else:
            queryset = queryset.filter(unit=unit)
    if params.get("township") is not None:
        queryset = queryset.filter(township=params["township"])
    for field in ("industry", "status", "ownership"):
        if params.get(field):
            queryset = queryset.filter(**{field: params[field]})
    band = SIZE_BANDS.get(params.get("size") or "")
    if band:
        _, low, high = band
        queryset = queryset.filter(employee_count__gte=low)
        if high is not None:
            queryset = queryset.filter(employee_count__lte=high)
    union = params.get("union")
    if union in ("yes", "no"):
        queryset = queryset.filter(union_established=(union == "yes"))
    q = (params.get("q") or "").strip()
    if q:
        code = normalise_uscc(q)
        # str.isalnum() is true for Chinese characters too: a USCC is ASCII letters and digits.
        looks_like_code = code.isascii() and code.isalnum()
        if len(code) == 18 and looks_like_code:
            queryset = queryset.filter(uscc=code)
        elif len(code) >= 6 and looks_like_code and code[:2].isdigit():
            queryset = queryset.filter(Q(uscc__startswith=code) | Q(name__contains=q))
        else:
            queryset = queryset.filter(name__contains=q)
    return queryset


def registry_summary(user) -> dict:
    visible = enterprises_visible_to(user)
    return {
        "total": visible.count(),
        "operating": visible.filter(status="operating").count(),
    }


# --- construction projects ------------------------------------------------------------------


def _own_enterprise_ids(user) -> list[int]:
    """The enterprise an enterprise account acts for (by its organisation's USCC)."""
    company = company_of(user)
    if company is None:
        return []
    return list(Enterprise.objects.filter(uscc=company.uscc).values_list("id", flat=True))


def projects_visible_to(user) -> QuerySet[ConstructionProject]:
    """The one gate for project reads. Staff: their units' subtree. An enterprise account: the
    projects where its enterprise is owner, general contractor or subcontractor."""
    queryset = ConstructionProject.objects.select_related(
        "unit", "township", "owner", "general_contractor"
    )
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser or can(user, *roles.STAFF_ROLES):
        return scope.restrict_to_units(queryset, user)
    if can(user, roles.ENTERPRISE_USER):
        ids = _own_enterprise_ids(user)
        if not ids:
            return queryset.none()
        subcontracted = ProjectSubcontractor.objects.filter(
            project=OuterRef("pk"), enterprise_id__in=ids
        )
        return queryset.filter(
            Q(owner_id__in=ids) | Q(general_contractor_id__in=ids) | Exists(subcontracted)
        )
    return queryset.none()


def projects_editable_by(user) -> QuerySet[ConstructionProject]:
    """Projects whose record the user may change (register, edit, wage safeguards)."""
    if not can(user, *roles.PROJECT_EDITORS):
        return ConstructionProject.objects.none()
    return scope.restrict_to_units(ConstructionProject.objects.select_related("unit"), user)


def projects_contracted_by(user) -> QuerySet[ConstructionProject]:
    """For an enterprise account: the projects its enterprise is general contractor of (it
    pays the workers through the bank, Art.31, so it uploads their payroll)."""
    if not can(user, roles.ENTERPRISE_USER):
        return ConstructionProject.objects.none()
    ids = _own_enterprise_ids(user)
    return ConstructionProject.objects.filter(general_contractor_id__in=ids)


def filter_projects(queryset: QuerySet[ConstructionProject], params) -> QuerySet:
    """Apply the list filters; ``params`` is a validated dict (see forms.ProjectFilterForm).

    The wage-code colour is kept by the ``wages`` app on its ``WageCode`` row (reverse name
    ``wage_code``), stored and indexed so that the filter is a join, not a computation."""
    unit: OrgUnit | None = params.get("unit")
    if unit is not None:
        if params.get("unit_basis") == "current":
            queryset = queryset.filter(unit__current=unit)
        else:
            queryset = queryset.filter(unit=unit)
    if params.get("township") is not None:
        queryset = queryset.filter(township=params["township"])
    if params.get("status"):
        queryset = queryset.filter(status=params["status"])
    if params.get("colour"):
        queryset = queryset.filter(wage_code__colour=params["colour"])
    contractor = (params.get("contractor") or "").strip()
    if contractor:
        code = normalise_uscc(contractor)
        if len(code) == 18 and code.isascii() and code.isalnum():
            queryset = queryset.filter(general_contractor__uscc=code)
        else:
            queryset = queryset.filter(general_contractor__name__contains=contractor)
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(Q(name__contains=q) | Q(code=q.upper()))
    return queryset


PROJECT_ORDER = ("-id",)
PROJECT_SORTING = tables.Sorting(
    columns={
        "name": ("name",),
        "contract_amount": ("contract_amount",),
        "starts_on": ("starts_on",),
    },
    default=PROJECT_ORDER,
    descending_first=frozenset({"contract_amount", "starts_on"}),
    nullable=frozenset({"starts_on"}),
)


def search(user, q: str, limit: int) -> list[tuple[str, list[dict]]]:
    """The global search's registry part: enterprises by name or USCC, projects by name or
    code, each within the user's scope."""
    from django.urls import reverse

    enterprises = filter_enterprises(enterprises_visible_to(user), {"q": q}).select_related("unit")[
        :limit
    ]
    projects = filter_projects(projects_visible_to(user), {"q": q}).select_related("unit")[:limit]
    return [
        (
            "企业",
            [
                {
                    "label": e.name,
                    "note": f"{e.uscc} · {e.unit.name}",
                    "url": reverse("registry:enterprise_detail", args=[e.uscc]),
                }
                for e in enterprises
            ],
        ),
        (
            "工程项目",
            [
                {
                    "label": p.name,
                    "note": f"{p.code} · {p.unit.name}",
                    "url": reverse("registry:project_detail", args=[p.pk]),
                }
                for p in projects
            ],
        ),
    ]
