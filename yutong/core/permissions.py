from django.core.exceptions import PermissionDenied

from . import scope


def require_role(user, *codes: str) -> None:
    if not (user.is_authenticated and (user.is_superuser or user.has_role(*codes))):
        raise PermissionDenied("您没有执行此操作的权限。")


def require_unit(user, unit) -> None:
    if not scope.unit_in_scope(user, unit):
        raise PermissionDenied("该记录不在您的管辖范围内。")


def can(user, *codes: str) -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(*codes))
