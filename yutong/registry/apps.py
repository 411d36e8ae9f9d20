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
        from django.urls import reverse

        from yutong.core import roles
        from yutong.core.pagination import count_for_display
        from yutong.core.permissions import can, company_of

        from .queries import enterprises_visible_to

        if not can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
            return []
        visible = enterprises_visible_to(user)
        if company_of(user) is not None:
            # An enterprise account: its own record, not counts of "the registry".
            own = visible.first()
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
        url = reverse("registry:enterprise_list")
        return [
            {
                "label": "企业（存续经营）",
                "value": count_for_display(visible.filter(status="operating")),
                "url": url + "?status=operating",
            },
            {
                "label": "已建工会企业",
                "value": count_for_display(visible.filter(union_established=True)),
                "url": url + "?union=yes",
            },
        ]
