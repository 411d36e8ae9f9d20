from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "yutong.inspection"
    label = "inspection"
    verbose_name = "劳动保障监察"

    def ready(self) -> None:
        from . import personal  # noqa: F401  (registers the complainant's revealable numbers)

    @staticmethod
    def nav_items(user):
        from yutong.core.permissions import can

        from .queries import READERS

        if not can(user, *READERS):
            return []
        return [
            ("inspection:complaint_queue", "举报投诉", "bi-megaphone"),
            ("inspection:case_queue", "监察案件", "bi-search"),
            ("inspection:ratings", "守法诚信等级", "bi-award"),
            ("inspection:blacklist", "失信名单", "bi-slash-circle"),
        ]

    @staticmethod
    def system_items(user):
        return []

    @staticmethod
    def home_cards(user):
        """Complaints awaiting a decision and cases: mine, due within 5 working days, overdue."""
        from django.urls import reverse

        from yutong.core.permissions import can

        from . import queries, services

        if not can(user, *queries.READERS):
            return []
        kinds = (
            ("投诉", queries.complaints_visible_to(user), "inspection:complaint_queue"),
            ("监察案件", queries.inspection_cases_visible_to(user), "inspection:case_queue"),
        )
        cards = []
        for label, visible, url_name in kinds:
            shown = [("due_soon", f"{label}即将到期"), ("overdue", f"{label}已超期")]
            if can(user, *services.HANDLERS):
                shown.insert(0, ("mine", f"我的{label}"))
            url = reverse(url_name)
            for queue, text in shown:
                cards.append(
                    {
                        "label": text,
                        "value": queries.queue(visible, user, queue).count(),
                        "url": f"{url}?queue={queue}",
                        "note": "5 个工作日内到期" if queue == "due_soon" else "",
                    }
                )
        return cards
