from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "yutong.inspection"
    label = "inspection"
    verbose_name = "劳动保障监察"

    def ready(self) -> None:
        from . import personal  # noqa: F401  (registers the complainant's revealable numbers)

    @staticmethod
    def case_url(model, pk: int) -> str:
        """The page of one of this app's cases (links in messages and on the bench)."""
        from django.urls import reverse

        names = {
            "complaint": "inspection:complaint_detail",
            "inspectioncase": "inspection:case_detail",
        }
        return reverse(names[model._meta.model_name], args=[pk])

    @staticmethod
    def search(user, q: str, limit: int):
        from .queries import search

        return search(user, q, limit)

    @staticmethod
    def nav_items(user):
        from yutong.core.navigation import Entry
        from yutong.core.permissions import can

        from .queries import READERS

        if not can(user, *READERS):
            return []
        g = "inspection"
        return [
            Entry("inspection:complaint_queue", "举报投诉", "bi-megaphone", g),
            Entry("inspection:case_queue", "监察案件", "bi-search", g),
            Entry("inspection:ratings", "守法诚信等级", "bi-award", g),
            Entry("inspection:blacklist", "失信名单", "bi-slash-circle", g),
        ]

    @staticmethod
    def home_cards(user):
        """Complaints awaiting a decision and cases: mine, due within 5 working days, overdue."""
        from django.urls import reverse

        from yutong.core import cases
        from yutong.core.permissions import can

        from . import queries, services

        if not can(user, *queries.READERS):
            return _enterprise_cases(user)
        from django.db.models import Q

        handles = can(user, *services.HANDLERS)
        kinds = (
            ("投诉", queries.complaints_visible_to(user), "inspection:complaint_queue"),
            ("监察案件", queries.inspection_cases_visible_to(user), "inspection:case_queue"),
        )
        # Complaints waiting for the decision to open a case: the complaint queue's own
        # cases of the unit, by status.
        deciding = (
            (
                ("received", "投诉待决定受理", "收到之日起 5 个工作日内决定是否立案"),
                ("materials_requested", "投诉待补正材料", "补正后决定是否立案"),
            )
            if handles
            else ()
        )
        cards, later = [], []
        for label, visible, url_name in kinds:
            shown = [("due_soon", f"{label}即将到期"), ("overdue", f"{label}已超期")]
            if handles:
                shown[:0] = [("mine", f"我的{label}"), ("unassigned", f"{label}待分配")]
            conditions = {queue: queries.queue_q(user, queue) for queue, _ in shown}
            extra = deciding if label == "投诉" else ()
            for status, *_ in extra:
                conditions[status] = queries.queue_q(user, "unit") & Q(status=status)
            # One query per table: every queue's count at once.
            counts = cases.count_queues(visible, conditions, within=cases.OPEN_Q)
            url = reverse(url_name)
            for queue, text in shown:
                cards.append(
                    {
                        "label": text,
                        "value": counts[queue],
                        "url": f"{url}?queue={queue}",
                        "note": "5 个工作日内到期" if queue == "due_soon" else "",
                        "kind": "todo",
                        "tone": cases.QUEUE_TONES.get(queue, ""),
                    }
                )
            for status, text, note in extra:
                later.append(
                    {
                        "label": text,
                        "value": counts[status],
                        "url": f"{url}?queue=unit&status={status}",
                        "note": note,
                        "kind": "todo",
                        "tone": "info",
                    }
                )
        return cards + later


def _enterprise_cases(user) -> list[dict]:
    """An enterprise account: how many inspection cases against its enterprise are open (a
    count only: never who complained, nor the case's content)."""
    from django.urls import reverse

    from yutong.core.permissions import company_of

    from .models import InspectionCase

    company = company_of(user)
    if company is None:
        return []
    open_cases = InspectionCase.objects.filter(
        employer__uscc=company.uscc, ended_on__isnull=True
    ).count()
    return [
        {
            "label": "本企业被立案调查（未结案）",
            "value": open_cases,
            "url": reverse("registry:enterprise_detail", args=[company.uscc]),
            "note": "请配合劳动保障监察机构调查，按责令改正的要求整改",
            "kind": "todo",
            "tone": "danger",
        }
    ]
