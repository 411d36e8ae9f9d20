from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "yutong.relations"
    label = "relations"
    verbose_name = "集体劳动关系"

    @staticmethod
    def nav_items(user):
        from yutong.core.navigation import Entry
        from yutong.core.permissions import can

        from . import views

        items = []
        g = "relations"
        if can(user, *views.READERS):
            items += [
                Entry("relations:todo", "建会建制待办", "bi-list-check", g),
                Entry("relations:union_list", "工会组建", "bi-people-fill", g),
                Entry("relations:bargaining_list", "集体协商", "bi-chat-square-text", g),
                Entry("relations:contract_list", "集体合同", "bi-file-earmark-text", g),
                Entry("relations:congress_list", "职工代表大会", "bi-person-video3", g),
                Entry("relations:disclosure_list", "厂务公开", "bi-megaphone", g),
            ]
        if can(user, *views.STAFF_READERS):
            items.append(Entry("relations:meeting_list", "三方机制", "bi-diagram-3", g))
        if can(user, *views.READERS):
            items.append(Entry("relations:filing_list", "用工备案", "bi-clipboard-data", g))
        return items

    @staticmethod
    def home_cards(user):
        """For union officers and staff: what is left to do under rules §7, contracts to file,
        expiring or expired, those under the 15-day review (for the reviewers) and overdue
        follow-ups. For an enterprise account: the same obligations of its own enterprise
        (a union to found, its contracts to file, renew or replace). The contract queues are
        one query, the follow-ups another; the key enterprises without a contract (a count
        over the registry) load after the page (``home_card``)."""
        from django.urls import reverse
        from django.utils import timezone

        from yutong.core import cases
        from yutong.core.permissions import can, company_of

        from . import queries, services, views

        if not can(user, *views.READERS):
            return []
        own = company_of(user) is not None
        cards = []
        if can(user, *queries.READERS):
            cards.append({**_no_contract_card(), "later": "no_contract"})
        elif own:
            cards.append(
                {
                    "label": "本企业应建未建工会",
                    "value": queries.count_no_union_of_few(
                        queries.enterprises_visible_to(user), timezone.localdate()
                    ),
                    "url": f"{reverse('relations:todo')}?list=no_union",
                    "note": "职工人数已达建会标准，尚无工会",
                    "kind": "todo",
                    "tone": "warning",
                }
            )
        url = reverse("relations:contract_list")
        shown = [
            ("to_file", "集体合同待报送", "签字后 10 日内报送", "warning"),
            ("expiring", "集体合同 3 个月内到期", "可提出续订", ""),
            ("expired", "集体合同到期未续订", "期限届满，尚无续订合同", "danger"),
        ]
        if can(user, *services.CONTRACT_REVIEWERS):
            shown.append(
                ("under_review", "集体合同待审查", "报送后 15 日内审查，未提异议即生效", "info")
            )
        counts = cases.count_queues(
            queries.contracts_visible_to(user),
            {queue: queries.contract_queue_q(queue) for queue, *_ in shown},
        )
        prefix = "本企业" if own else ""
        for queue, label, note, tone in shown:
            cards.append(
                {
                    "label": prefix + label,
                    "value": counts[queue],
                    "url": f"{url}?queue={queue}",
                    "note": note,
                    "kind": "todo",
                    "tone": tone,
                }
            )
        if can(user, *views.STAFF_READERS):
            follow_ups = (
                ("due_soon", "三方会议督办事项即将到期", "5 日内到期", "warning"),
                ("overdue", "三方会议督办事项逾期", "", "danger"),
            )
            counts = cases.count_queues(
                queries.follow_ups_visible_to(user),
                {queue: queries.follow_up_queue_q(queue) for queue, *_ in follow_ups},
            )
            for queue, label, note, tone in follow_ups:
                cards.append(
                    {
                        "label": label,
                        "value": counts[queue],
                        "url": f"{reverse('relations:follow_up_list')}?queue={queue}",
                        "note": note,
                        "kind": "todo",
                        "tone": tone,
                    }
                )
        return cards

    @staticmethod
    def home_card(user, key: str):
        """The key enterprises without a contract, counted now as the to-do list counts."""
        from yutong.core.pagination import count_for_display
        from yutong.core.permissions import can

        from . import queries

        if key != "no_contract" or not can(user, *queries.READERS):
            return None
        return {
            **_no_contract_card(),
            "value": count_for_display(queries.todo_list(user, "no_contract")),
        }


def _no_contract_card() -> dict:
    from django.urls import reverse

    return {
        "label": "重点建会企业未签集体合同",
        "url": f"{reverse('relations:todo')}?list=no_contract",
        "note": "生效中的本企业或区域性、行业性合同",
        "kind": "todo",
    }
