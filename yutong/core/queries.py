"""Read side of core: users, audit entries and login events, each already scoped to the reader."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from rest_framework.authtoken.models import Token

from . import roles, scope
from .models import AuditEntry, LoginEvent, Organisation, OrgUnit, User
from .permissions import can


def users_visible_to(user) -> QuerySet[User]:
    if not can(user, *roles.USER_ADMINS, roles.AUDITOR):
        return User.objects.none()
    queryset = User.objects.select_related("unit", "organisation").prefetch_related("roles")
    return scope.restrict_to_units(queryset, user)


def organisations_visible_to(user) -> QuerySet[Organisation]:
    return scope.restrict_to_units(Organisation.objects.select_related("unit"), user)


def reads_logs(user) -> bool:
    """Whether ``user`` reads the audit trail and the login log. Never a township account,
    even one that holds the role from before it was refused there (core.services): entries are
    placed by the district of their record, so its subtree would hold a misleading fraction."""
    if not can(user, *roles.AUDIT_READERS):
        return False
    return user.is_superuser or user.unit_id is None or user.unit.level != OrgUnit.Level.TOWNSHIP


def require_log_reader(user) -> None:
    if not reads_logs(user):
        raise PermissionDenied("您没有执行此操作的权限。")


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    if not reads_logs(user):
        return AuditEntry.objects.none()
    queryset = AuditEntry.objects.select_related("unit", "actor")
    ids = scope.unit_ids_for(user)
    if ids is None:
        return queryset
    # Entries without a unit (e.g. city-wide settings) are the city's business.
    return queryset.filter(unit_id__in=ids)


def audit_trail(user, obj) -> QuerySet[AuditEntry]:
    return audit_entries_visible_to(user).filter(
        object_type=obj._meta.label_lower, object_id=str(obj.pk)
    )


def login_events_visible_to(user) -> QuerySet[LoginEvent]:
    if not reads_logs(user):
        return LoginEvent.objects.none()
    queryset = LoginEvent.objects.select_related("user")
    ids = scope.unit_ids_for(user)
    if ids is None:
        return queryset
    # A district sees the events of its own accounts; unknown usernames are the city's business.
    return queryset.filter(Q(user__unit_id__in=ids))


def tokens_visible_to(user) -> QuerySet[Token]:
    """API tokens of the accounts the reader administers (user administrators only)."""
    if not can(user, *roles.USER_ADMINS):
        return Token.objects.none()
    queryset = Token.objects.select_related("user", "user__unit").order_by("-created")
    return scope.restrict_to_units(queryset, user, field="user__unit")
