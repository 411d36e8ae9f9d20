"""The staff shell's navigation: the entries each app offers, grouped by line of work.

Core names no app. Each app's ``AppConfig.nav_items(user)`` returns the ``Entry`` objects the
user's roles allow, each naming its group; core adds its own (the bench, system management) and
drops a group with nothing in it for this user.
"""

from dataclasses import dataclass

from django.apps import apps
from django.urls import reverse

from . import queries, roles
from .permissions import can

# Order of the sidebar. A key an app names that is missing here is a programming error.
GROUPS: dict[str, tuple[str, str]] = {
    "bench": ("工作台", "bi-house"),
    "registry": ("企业与项目", "bi-building"),
    "disputes": ("争议调处", "bi-people"),
    "inspection": ("监察执法", "bi-search"),
    "wages": ("根治欠薪", "bi-cash-coin"),
    "relations": ("集体协商与民主管理", "bi-people-fill"),
    "harmony": ("和谐创建", "bi-flag"),
    "indicators": ("指标监测", "bi-speedometer2"),
    "system": ("系统管理", "bi-gear"),
}


@dataclass(frozen=True)
class Entry:
    view: str
    label: str
    icon: str
    group: str
    # A filtered list ("?colour=red") is an entry of its own; it is current only when the
    # request carries the same filter.
    query: str = ""

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"unknown navigation group {self.group!r}")

    @property
    def url(self) -> str:
        base = reverse(self.view)
        return f"{base}?{self.query}" if self.query else base


def _core_entries(user) -> list[Entry]:
    system = [
        Entry("core:unit_list", "行政区划", "bi-diagram-3", "system"),
        Entry("core:calendar", "工作日历", "bi-calendar3", "system"),
    ]
    if can(user, *roles.STAFF_ROLES):
        system.append(Entry("core:parameter_list", "时效参数", "bi-sliders", "system"))
    if can(user, *roles.USER_ADMINS):
        system += [
            Entry("core:user_list", "用户管理", "bi-people", "system"),
            Entry("core:organisation_list", "机构管理", "bi-bank", "system"),
            Entry("core:token_list", "API 令牌", "bi-key", "system"),
        ]
    if can(user, roles.CITY_ADMIN):
        system.append(Entry("core:two_factor_roles", "两步验证策略", "bi-shield-check", "system"))
    if queries.reads_logs(user):
        system += [
            Entry("core:audit_list", "审计日志", "bi-journal-text", "system"),
            Entry("core:login_list", "登录日志", "bi-shield-lock", "system"),
        ]
    bench = [
        Entry("home", "工作台", "bi-house", "bench"),
        Entry("core:message_list", "站内信", "bi-bell", "bench"),
    ]
    return bench + system


def entries_for(user) -> list[Entry]:
    entries = _core_entries(user)
    for config in apps.get_app_configs():
        provider = getattr(config, "nav_items", None)
        if provider is not None:
            entries.extend(provider(user))
    return entries


def _section(view: str) -> str:
    # registry:enterprise_detail belongs to registry:enterprise_list's section.
    return view.rsplit("_", 1)[0]


def current_entry(entries: list[Entry], view: str, query: dict) -> Entry | None:
    """The entry the page belongs to: the same view, else the same section; among several,
    the one whose filter the request carries (the longest such filter)."""
    if not view:
        return None
    exact = [e for e in entries if e.view == view]
    candidates = exact or [
        e for e in entries if e.view != "home" and _section(e.view) == _section(view)
    ]

    def carried(entry: Entry) -> bool:
        pairs = [p.split("=", 1) for p in entry.query.split("&") if p]
        return all(query.get(k) == v for k, v in pairs)

    matching = [e for e in candidates if carried(e)]
    if not matching:
        return None
    return max(matching, key=lambda e: len(e.query))


def sidebar(user, view: str, query: dict) -> dict:
    entries = entries_for(user)
    current = current_entry(entries, view, query)
    groups = []
    for key, (label, icon) in GROUPS.items():
        items = [
            {"url": e.url, "label": e.label, "icon": e.icon, "active": e == current}
            for e in entries
            if e.group == key
        ]
        if items:
            groups.append(
                {
                    "key": key,
                    "label": label,
                    "icon": icon,
                    "items": items,
                    "active": current is not None and current.group == key,
                }
            )
    crumbs = []
    if current is not None and current.view != "home":
        crumbs = [
            {"label": GROUPS[current.group][0], "url": ""},
            {"label": current.label, "url": current.url},
        ]
    return {"nav_groups": groups, "nav_entries": entries, "breadcrumbs": crumbs}
