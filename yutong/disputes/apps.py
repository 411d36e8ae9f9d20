from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "yutong.disputes"
    label = "disputes"
    verbose_name = "争议调解仲裁"

    def ready(self) -> None:
        from . import personal  # noqa: F401  (registers the workers' revealable numbers)

    @staticmethod
    def case_url(model, pk: int) -> str:
        """The page of one of this app's cases (links in messages and on the bench)."""
        from django.urls import reverse

        names = {
            "mediationcase": "disputes:mediation_detail",
            "arbitrationcase": "disputes:arbitration_detail",
        }
        return reverse(names[model._meta.model_name], args=[pk])

    @staticmethod
    def search(user, q: str, limit: int):
        from .queries import search

        return search(user, q, limit)

    @staticmethod
    def nav_items(user):
        from yutong.core import roles
        from yutong.core.navigation import Entry
        from yutong.core.permissions import can

        from .guidance_views import GUIDANCE_USERS
        from .queries import BODY_READERS
        from .views import ARBITRATION_PAGE_ROLES, MEDIATION_PAGE_ROLES

        g = "disputes"
        items = []
        if can(user, *MEDIATION_PAGE_ROLES):
            items.append(Entry("disputes:mediation_queue", "调解案件", "bi-people", g))
        if can(user, *ARBITRATION_PAGE_ROLES):
            items.append(Entry("disputes:arbitration_queue", "仲裁案件", "bi-bank2", g))
        if can(user, *GUIDANCE_USERS):
            items.append(Entry("disputes:guidance", "类案指引", "bi-journal-bookmark", g))
        if can(user, *roles.STAFF_ROLES):
            items.append(Entry("disputes:calculator", "权益计算器", "bi-calculator", g))
        if can(user, *BODY_READERS):
            items += [
                Entry("disputes:body_list", "调解组织", "bi-diagram-2", g),
                Entry("disputes:commission_list", "仲裁委员会", "bi-bank", g),
                Entry("disputes:lawyer_list", "律师库", "bi-person-badge", g),
            ]
        return items

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
            url = reverse(url_name)
            shown = [("due_soon", f"{label}即将到期"), ("overdue", f"{label}已超期")]
            if can(user, *handlers):
                shown[:0] = [("mine", f"我的{label}案件"), ("unassigned", f"{label}待分派")]
            conditions = {queue: cases.queue_q(user, queue) for queue, _ in shown}
            applications = (
                _applications_to_decide(user) if label == "仲裁" and can(user, *handlers) else []
            )
            conditions.update((status, condition) for status, condition, *_ in applications)
            # One query per kind of case: every queue's count at once.
            counts = cases.count_queues(visible_to(user), conditions, within=cases.OPEN_Q)
            for queue, text in shown:
                cards.append(
                    {
                        "label": text,
                        "value": counts[queue],
                        "url": f"{url}?queue={queue}",
                        "note": "5 日内到期" if queue == "due_soon" else "",
                        "kind": "todo",
                        "tone": cases.QUEUE_TONES.get(queue, ""),
                    }
                )
            for status, _, text, note in applications:
                cards.append(
                    {
                        "label": text,
                        "value": counts[status],
                        "url": f"{url}?queue=unit&status={status}",
                        "note": note,
                        "kind": "todo",
                        "tone": "info",
                    }
                )
        return cards


def _applications_to_decide(user) -> list[tuple]:
    """Arbitration applications waiting for the commission's decision on acceptance: received
    (to review within 5 days) and materials requested (to decide once they come back). Each
    links to the queue's open cases filtered by that status, so the count is the list's total:
    (status, condition, label, note)."""
    from django.db.models import Q

    from yutong.core import cases

    from .models import ArbitrationCase

    S = ArbitrationCase.Status
    open_cases = cases.queue_q(user, "unit")
    return [
        (status, open_cases & Q(status=status), label, note)
        for status, label, note in (
            (S.RECEIVED, "仲裁申请待审查", "收到申请之日起 5 日内决定是否受理"),
            (S.MATERIALS_REQUESTED, "仲裁申请待补正", "补正后决定是否受理"),
        )
    ]
