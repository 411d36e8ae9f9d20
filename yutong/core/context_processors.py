"""The navigation bar: the capabilities the user's roles allow, settings under one menu."""

from django.apps import apps
from django.urls import reverse

from . import queries, roles
from .permissions import can


def _work_items(user) -> list[tuple[str, str, str]]:
    """The home page, then each app's entries: an app's config offers ``nav_items(user)``
    (core names no app, so the apps say what they add)."""
    items = [("home", "工作台", "bi-house")]
    for config in apps.get_app_configs():
        provider = getattr(config, "nav_items", None)
        if provider is not None:
            items.extend(provider(user))
    return items


def _system_items(user) -> list[tuple[str, str, str]]:
    items = [
        ("core:unit_list", "行政区划", "bi-diagram-3"),
        ("core:calendar", "工作日历", "bi-calendar3"),
    ]
    if can(user, *roles.STAFF_ROLES):
        items.append(("core:parameter_list", "时效参数", "bi-sliders"))
    if can(user, *roles.USER_ADMINS):
        items.append(("core:user_list", "用户管理", "bi-people"))
        items.append(("core:organisation_list", "机构管理", "bi-bank"))
        items.append(("core:token_list", "API 令牌", "bi-key"))
    if can(user, roles.CITY_ADMIN):
        items.append(("core:two_factor_roles", "两步验证策略", "bi-shield-check"))
    if queries.reads_logs(user):
        items.append(("core:audit_list", "审计日志", "bi-journal-text"))
        items.append(("core:login_list", "登录日志", "bi-shield-lock"))
    for config in apps.get_app_configs():
        provider = getattr(config, "system_items", None)
        if provider is not None:
            items.extend(provider(user))
    items.append(("core:account", "我的账号", "bi-person-circle"))
    return items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "system_items": []}
    current = request.resolver_match.view_name if request.resolver_match else ""

    def entries(items):
        return [
            {
                "url": reverse(name),
                "label": label,
                "icon": icon,
                "active": _same_section(current, name),
            }
            for name, label, icon in items
        ]

    system = entries(_system_items(user))
    return {
        "nav_items": entries(_work_items(user)),
        "system_items": system,
        "system_active": any(item["active"] for item in system),
    }


def _same_section(current: str, name: str) -> bool:
    # registry:enterprise_detail belongs to registry:enterprise_list's section.
    return current == name or (
        name != "home" and current.rsplit("_", 1)[0] == name.rsplit("_", 1)[0]
    )
