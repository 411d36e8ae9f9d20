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
        """Live projects by wage-code colour in the user's scope (stored colours): one query
        for the three counts."""
        from django.db.models import Count, Q
        from django.urls import reverse

        from yutong.core import roles
        from yutong.core.permissions import can, company_of
        from yutong.registry.choices import LIVE_PROJECT_STATUSES
        from yutong.registry.queries import projects_visible_to

        if not can(user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER):
            return []
        live = projects_visible_to(user).filter(status__in=LIVE_PROJECT_STATUSES)
        counts = live.order_by().aggregate(
            live=Count("pk"),
            red=Count("pk", filter=Q(wage_code__colour="red")),
            yellow=Count("pk", filter=Q(wage_code__colour="yellow")),
        )
        url = reverse("registry:project_list")
        # An enterprise account sees the projects its enterprise takes part in: say so.
        own = "本企业参建的" if company_of(user) is not None else ""
        todo = _missing_payroll_card(user) if own else []
        return [
            *todo,
            {
                "label": f"{own}在建项目",
                "value": counts["live"],
                "url": url + "?status=under_construction",
            },
            {
                "label": f"{own}在建项目（红码）",
                "value": counts["red"],
                "url": url + "?colour=red",
                "note": "渝薪码为红色的在建、停工项目",
            },
            {
                "label": f"{own}在建项目（黄码）",
                "value": counts["yellow"],
                "url": url + "?colour=yellow",
            },
        ]

    @staticmethod
    def project_panels(request, project):
        from .views import project_panel

        return [project_panel(request, project)]


def _missing_payroll_card(user) -> list[dict]:
    """An enterprise account: the live projects it contracts (it keeps the wage ledger) with a
    month missing from the payroll records, from the start month to last month. Two queries:
    the projects' dates and the months uploaded."""
    from django.urls import reverse
    from django.utils import timezone

    from yutong.registry.choices import LIVE_PROJECT_STATUSES
    from yutong.registry.queries import projects_contracted_by

    from . import rules
    from .models import PayrollMonth

    today = timezone.localdate()
    projects = list(
        projects_contracted_by(user)
        .filter(status__in=LIVE_PROJECT_STATUSES)
        .values("id", "status", "starts_on", "completed_on")
    )
    if not projects:
        return []
    uploaded: dict[int, set] = {p["id"]: set() for p in projects}
    for project_id, month in PayrollMonth.objects.filter(project_id__in=uploaded).values_list(
        "project_id", "month"
    ):
        uploaded[project_id].add(month)
    short = [
        p["id"]
        for p in projects
        if rules.missing_months(
            rules.ProjectFacts(
                project_id=p["id"],
                status=p["status"],
                starts_on=p["starts_on"],
                completed_on=p["completed_on"],
                contract_amount=None,
                requirement=None,
                months=uploaded[p["id"]],
            ),
            today,
        )
    ]
    one = len(short) == 1
    return [
        {
            "label": "工资发放记录缺月的项目",
            "value": len(short),
            "url": reverse("wages:payroll", args=[short[0]])
            if one
            else reverse("registry:project_list") + "?status=under_construction",
            "note": "本企业总承包的在建项目，自开工月至上月每月应上传工资发放记录",
            "kind": "todo",
            "tone": "danger",
        }
    ]
