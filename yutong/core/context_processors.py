"""The navigation bar: one entry per capability the user's roles allow."""

from django.urls import reverse

from . import roles
from .permissions import can


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [("home", "工作台", "bi-house")]
    if can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
        items.append(("registry:enterprise_list", "企业名录", "bi-building"))
    if can(user, *roles.REGISTRY_EDITORS):
        items.append(("registry:import_list", "批量导入", "bi-upload"))
    items.append(("core:unit_list", "行政区划", "bi-diagram-3"))
    items.append(("core:calendar", "工作日历", "bi-calendar3"))
    if can(user, *roles.USER_ADMINS):
        items.append(("core:user_list", "用户管理", "bi-people"))
        items.append(("core:organisation_list", "机构管理", "bi-bank"))
    if can(user, *roles.AUDIT_READERS):
        items.append(("core:audit_list", "审计日志", "bi-journal-text"))
        items.append(("core:login_list", "登录日志", "bi-shield-lock"))
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "nav_items": [
            {
                "url": reverse(name),
                "label": label,
                "icon": icon,
                "active": _same_section(current, name),
            }
            for name, label, icon in items
        ]
    }


def _same_section(current: str, name: str) -> bool:
    # registry:enterprise_detail belongs to registry:enterprise_list's section.
    return current == name or (
        name != "home" and current.rsplit("_", 1)[0] == name.rsplit("_", 1)[0]
    )
