from django.apps import AppConfig


class WagesConfig(AppConfig):
    name = "yutong.wages"
    label = "wages"
    verbose_name = "根治欠薪"

    def ready(self) -> None:
        from . import importers, signals

        importers.PAYROLL  # noqa: B018  (importing registers the payroll sheet)

        signals.connect()

    @staticmethod
    def nav_items(user):
        from yutong.core import roles
        from yutong.core.navigation import Entry
        from yutong.core.permissions import can

        items = []
        if can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
            g = "wages"
            items += [
                Entry(
                    "registry:project_list",
                    "在建项目",
                    "bi-cone-striped",
                    g,
                    "status=under_construction",
                ),
                Entry(
                    "registry:project_list", "红码项目", "bi-exclamation-octagon", g, "colour=red"
                ),
                Entry(
                    "registry:project_list",
                    "黄码项目",
                    "bi-exclamation-triangle",
                    g,
                    "colour=yellow",
                ),
            ]
        if can(user, *roles.STAFF_ROLES):
            items.append(Entry("wages:settings", "根治欠薪规则", "bi-qr-code", "system"))
        return items

    @staticmethod
    def home_cards(user):
        """Live projects by wage-code colour in the user's scope (stored colours: one count
        each, indexed)."""
        from django.urls import reverse

        from yutong.core import roles
        from yutong.core.pagination import count_for_display
        from yutong.core.permissions import can
        from yutong.registry.choices import LIVE_PROJECT_STATUSES
        from yutong.registry.queries import projects_visible_to

        if not can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
            return []
        from yutong.core.permissions import company_of

        live = projects_visible_to(user).filter(status__in=LIVE_PROJECT_STATUSES)
        url = reverse("registry:project_list")
        # An enterprise account sees the projects its enterprise takes part in: say so.
        own = "本企业参建的" if company_of(user) is not None else ""
        return [
            {
                "label": f"{own}在建项目",
                "value": count_for_display(live),
                "url": url + "?status=under_construction",
            },
            {
                "label": f"{own}在建项目（红码）",
                "value": count_for_display(live.filter(wage_code__colour="red")),
                "url": url + "?colour=red",
                "note": "渝薪码为红色的在建、停工项目",
            },
            {
                "label": f"{own}在建项目（黄码）",
                "value": count_for_display(live.filter(wage_code__colour="yellow")),
                "url": url + "?colour=yellow",
            },
        ]

    @staticmethod
    def project_panels(request, project):
        from .views import project_panel

        return [project_panel(request, project)]
