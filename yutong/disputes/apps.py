from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "yutong.disputes"
    label = "disputes"
    verbose_name = "争议调解仲裁"

    def ready(self) -> None:
        from . import personal  # noqa: F401  (registers the workers' revealable numbers)

    @staticmethod
    def nav_items(user):
        from yutong.core import roles
        from yutong.core.permissions import can

        from .guidance_views import GUIDANCE_USERS
        from .views import ARBITRATION_PAGE_ROLES, MEDIATION_PAGE_ROLES

        items = []
        if can(user, *MEDIATION_PAGE_ROLES):
            items.append(("disputes:mediation_queue", "调解案件", "bi-people"))
        if can(user, *ARBITRATION_PAGE_ROLES):
            items.append(("disputes:arbitration_queue", "仲裁案件", "bi-bank2"))
        if can(user, *GUIDANCE_USERS):
            items.append(("disputes:guidance", "类案指引", "bi-journal-bookmark"))
        if can(user, *roles.STAFF_ROLES):
            items.append(("disputes:calculator", "权益计算器", "bi-calculator"))
        return items

    @staticmethod
    def system_items(user):
        from yutong.core.permissions import can

        from .body_views import READERS

        if not can(user, *READERS):
            return []
        return [
            ("disputes:body_list", "调解组织", "bi-diagram-2"),
            ("disputes:commission_list", "仲裁委员会", "bi-bank"),
            ("disputes:lawyer_list", "律师库", "bi-person-badge"),
        ]

    @staticmethod
    def home_cards(user):
        """Per kind of case the user works on: my cases, due within 5 days, overdue."""
        from django.urls import reverse

        from yutong.core import cases
        from yutong.core.permissions import can

        from . import queries, services
        from .views import ARBITRATION_PAGE_ROLES, MEDIATION_PAGE_ROLES

        kinds = (
            (
                "调解",
                MEDIATION_PAGE_ROLES,
                services.MEDIATION_HANDLERS,
                queries.mediation_cases_visible_to,
                "disputes:mediation_queue",
            ),
            (
                "仲裁",
                ARBITRATION_PAGE_ROLES,
                services.ARBITRATION_HANDLERS,
                queries.arbitration_cases_visible_to,
                "disputes:arbitration_queue",
            ),
        )
        cards = []
        # A mediator reads arbitration cases too, but the home page shows the work one does;
        # readers who handle neither kind (auditors) see both.
        handles_any = can(user, *services.MEDIATION_HANDLERS, *services.ARBITRATION_HANDLERS)
        for label, readers, handlers, visible_to, url_name in kinds:
            if not can(user, *readers) or (handles_any and not can(user, *handlers)):
                continue
            visible = visible_to(user)
            url = reverse(url_name)
            shown = [("due_soon", f"{label}即将到期"), ("overdue", f"{label}已超期")]
            if can(user, *handlers):
                shown.insert(0, ("mine", f"我的{label}案件"))
            for queue, text in shown:
                cards.append(
                    {
                        "label": text,
                        "value": cases.queue(visible, user, queue).count(),
                        "url": f"{url}?queue={queue}",
                        "note": "5 日内到期" if queue == "due_soon" else "",
                    }
                )
        return cards
