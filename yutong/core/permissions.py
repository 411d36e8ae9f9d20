from django.core.exceptions import PermissionDenied

from . import scope

OUT_OF_SCOPE = "该记录不在您的管辖范围内。"


def require_role(user, *codes: str) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.has_role(*codes))):
        raise PermissionDenied("您没有执行此操作的权限。")


def require_unit(user, unit) -> None:
    if not scope.unit_in_scope(user, unit):
        raise PermissionDenied(OUT_OF_SCOPE)


def require_record(user, obj) -> None:
    """Acting on an existing record: the reading rule of ``scope.restrict_to_units``, so a
    township user acts on its township's records and nothing else."""
    if not scope.record_in_scope(user, obj):
        raise PermissionDenied(OUT_OF_SCOPE)


def can(user, *codes: str) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*codes))


def company_of(user):
    """The enterprise organisation an enterprise account acts for; ``None`` for staff (whose
    pages show their units' records, not one company's)."""
    from . import roles
    from .models import Organisation

    if not can(user, roles.ENTERPRISE_USER) or can(user, *roles.STAFF_ROLES):
        return None
    organisation = user.organisation
    if organisation is None or organisation.kind != Organisation.Kind.ENTERPRISE:
        return None
    return organisation
