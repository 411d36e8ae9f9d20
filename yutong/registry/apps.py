from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "yutong.registry"
    label = "registry"
    verbose_name = "主体登记"

    def ready(self) -> None:
        # Importing registers the enterprise and park sheets and the revealable contact numbers.
        from . import importers, personal  # noqa: F401

    @staticmethod
    def search(user, q: str, limit: int):
        from .queries import search

        return search(user, q, limit)

    @staticmethod
    def nav_items(user):
        from yutong.core import roles
        from yutong.core.navigation import Entry
        from yutong.core.permissions import can

        g = "registry"
        items = []
        if can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
            items.append(Entry("registry:enterprise_list", "企业名录", "bi-building", g))
        if can(user, *roles.STAFF_ROLES):
            items.append(Entry("registry:park_list", "工业园区", "bi-buildings", g))
        if can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
            items.append(Entry("registry:project_list", "工程项目", "bi-cone-striped", g))
        if can(user, *roles.REGISTRY_EDITORS):
            items.append(Entry("registry:import_list", "批量导入", "bi-upload", g))
        return items

    @staticmethod
    def home_cards(user):
        """An enterprise account: its own record. Staff: operating enterprises and those with
        a union in their scope, loaded after the page (``home_card``): counted as the list
        they link to counts (an estimate past a hundred thousand), they read the registry."""
        from django.urls import reverse

        from yutong.core import roles
        from yutong.core.permissions import can, company_of

        from .queries import enterprises_visible_to

        if not can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
            return []
        if company_of(user) is not None:
            # An enterprise account: its own record, not counts of "the registry".
            own = enterprises_visible_to(user).select_related("unit").first()
            if own is None:
                return []
            return [
                {
                    "label": "本企业登记信息",
                    "value": own.get_status_display(),
                    "url": reverse("registry:enterprise_detail", args=[own.uscc]),
                    "note": own.unit.name,
                }
            ]
        return [{**card, "later": key} for key, (card, _) in _staff_cards().items()]

    @staticmethod
    def home_card(user, key: str):
        """A staff card of the bench, counted now."""
        from yutong.core import roles
        from yutong.core.pagination import count_for_display
        from yutong.core.permissions import can, company_of

        from .queries import enterprises_visible_to

        shown = _staff_cards().get(key)
        if shown is None or not can(user, *roles.STAFF_ROLES) or company_of(user) is not None:
            return None
        card, condition = shown
        return {**card, "value": count_for_display(enterprises_visible_to(user).filter(condition))}


def _staff_cards() -> dict:
    """key: (card, condition of the count), each the filter of the list the card links to."""
    from django.db.models import Q
    from django.urls import reverse

    url = reverse("registry:enterprise_list")
    return {
        "operating": (
            {"label": "企业（存续经营）", "url": url + "?status=operating"},
            Q(status="operating"),
        ),
        "union": (
            {"label": "已建工会企业", "url": url + "?union=yes"},
            Q(union_established=True),
        ),
    }
