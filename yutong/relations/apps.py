from django.apps import AppConfig


class RelationsConfig(AppConfig):
    name = "yutong.relations"
    label = "relations"
    verbose_name = "集体劳动关系"

    @staticmethod
    def nav_items(user):
        from yutong.core.permissions import can

        from . import views

        items = []
        if can(user, *views.READERS):
            items.append(("relations:todo", "工会与集体合同", "bi-people-fill"))
        if can(user, *views.STAFF_READERS):
            items.append(("relations:meeting_list", "三方机制", "bi-diagram-3"))
        if can(user, *views.READERS):
            items.append(("relations:filing_list", "用工备案", "bi-clipboard-data"))
        return items

    @staticmethod
    def system_items(user):
        return []

    @staticmethod
    def home_cards(user):
        """For union officers and staff: what is left to do under rules §7; for everyone who
        reads contracts: those to file and those expiring within 3 months."""
        from django.urls import reverse

        from yutong.core.pagination import count_for_display
        from yutong.core.permissions import can

        from . import queries, views

        if not can(user, *views.READERS):
            return []
        todo = reverse("relations:todo")
        cards = []
        if can(user, *queries.READERS):
            cards.append(
                {
                    "label": "重点建会企业未签集体合同",
                    "value": count_for_display(queries.todo_list(user, "no_contract")),
                    "url": f"{todo}?list=no_contract",
                    "note": "生效中的本企业或区域性、行业性合同",
                }
            )
        contracts = queries.contracts_visible_to(user)
        url = reverse("relations:contract_list")
        for queue, label, note in (
            ("to_file", "集体合同待报送", "签字后 10 日内报送"),
            ("expiring", "集体合同 3 个月内到期", "可提出续订"),
        ):
            cards.append(
                {
                    "label": label,
                    "value": queries.contract_queue(contracts, queue).count(),
                    "url": f"{url}?queue={queue}",
                    "note": note,
                }
            )
        if can(user, *views.STAFF_READERS):
            overdue = queries.follow_up_queue(queries.follow_ups_visible_to(user), "overdue")
            cards.append(
                {
                    "label": "三方会议督办事项逾期",
                    "value": overdue.count(),
                    "url": f"{reverse('relations:follow_up_list')}?queue=overdue",
                    "note": "",
                }
            )
        return cards
