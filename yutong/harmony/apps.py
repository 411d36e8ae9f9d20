from django.apps import AppConfig


class HarmonyConfig(AppConfig):
    name = "yutong.harmony"
    label = "harmony"
    verbose_name = "和谐创建"

    @staticmethod
    def nav_items(user):
        from yutong.core.navigation import Entry
        from yutong.core.permissions import can

        from . import services

        items = []
        g = "harmony"
        if can(user, *services.READERS):
            items += [
                Entry("harmony:enrollment_list", "创建活动", "bi-flag", g),
                Entry("harmony:check_list", "企业体检", "bi-clipboard2-pulse", g),
                Entry("harmony:evaluation_list", "和谐企业评定", "bi-award", g),
            ]
        if can(user, *services.SETTINGS_EDITORS):
            items.append(Entry("harmony:settings", "和谐创建设置", "bi-ui-checks", "system"))
        return items

    @staticmethod
    def home_cards(user):
        """Staff: coverage of their units today, applications waiting for review.
        An enterprise: its grade and its open application."""
        from django.urls import reverse
        from django.utils import timezone

        from yutong.core.permissions import can

        from . import queries, services

        today = timezone.localdate()
        evaluations = queries.evaluations_visible_to(user)
        if queries.is_staff_reader(user):
            # Coverage reads every enterprise of the user's units: loaded after the page.
            cards = [{**_coverage_card(), "later": "coverage"}]
            if can(user, *services.REVIEWERS):
                cards.append(
                    {
                        "label": "和谐企业待审核",
                        "value": evaluations.filter(status="submitted").count(),
                        "url": reverse("harmony:evaluation_list") + "?status=submitted",
                        "note": "",
                        "kind": "todo",
                    }
                )
            return cards
        own = services.own_enterprise(user)
        if own is None:
            return []
        held = services.held_grade(own, today)
        return [
            *_enterprise_obligations(user, own, held, today),
            {
                "label": "本企业和谐企业等级",
                "value": held.get_grade_display() if held else "未评定",
                "url": reverse("harmony:evaluation_list"),
                "note": f"有效期至 {held.valid_until}" if held else "",
            },
        ]

    @staticmethod
    def home_card(user, key: str):
        """The bench's coverage card, loaded after the page."""
        from django.core.cache import cache
        from django.utils import timezone

        from . import queries

        if key != "coverage" or not queries.is_staff_reader(user):
            return None
        today = timezone.localdate()
        # At city scale the count reads every enterprise: once per unit and ten minutes.
        cache_key = f"harmony:home-coverage:{user.unit_id}:{user.is_superuser}:{today}"
        total = cache.get(cache_key)
        if total is None:
            total = queries.coverage_total(queries.coverage_for(user, today))
            cache.set(cache_key, total, 600)
        return {
            **_coverage_card(),
            "value": f"{total.rate}%" if total.rate is not None else "—",
            "note": f"{total.numerator}/{total.denominator}（企业及园区，每 10 分钟更新）",
        }


def _coverage_card() -> dict:
    from django.urls import reverse

    return {
        "label": "创建活动覆盖率",
        "url": reverse("harmony:coverage"),
        "note": "企业及园区，每 10 分钟更新",
    }


# A grade within this many months of its end is a queue on the enterprise's bench.
GRADE_EXPIRY_MONTHS = 3


def _enterprise_obligations(user, own, held, today) -> list[dict]:
    """An enterprise's own harmony tasks: this year's health check (or the themes its latest
    check scored short on) and a grade coming to its end."""
    from django.urls import reverse

    from . import queries, services

    latest = (
        queries.health_checks_visible_to(user)
        .filter(enterprise=own, checked_on__year=today.year)
        .order_by("-checked_on", "-id")
        .first()
    )
    if latest is None:
        check = {
            "label": "本年度尚未体检",
            "value": 1,
            "url": reverse("harmony:check_new"),
            "note": f"{today.year} 年尚未完成企业体检",
            "kind": "todo",
            "tone": "warning",
        }
    else:
        check = {
            "label": "体检待改进主题",
            "value": latest.findings.count(),
            "url": reverse("harmony:check_detail", args=[latest.pk]),
            "note": f"{latest.checked_on} 体检得分低于指导线的主题",
            "kind": "todo",
            "tone": "warning",
        }
    cards = [check]
    horizon = services.add_months(today, GRADE_EXPIRY_MONTHS)
    if held is not None and held.valid_until is not None and held.valid_until <= horizon:
        cards.append(
            {
                "label": "和谐企业等级即将到期",
                "value": 1,
                "url": reverse("harmony:evaluation_list"),
                "note": f"{held.get_grade_display()}有效期至 {held.valid_until}，可申请复评",
                "kind": "todo",
                "tone": "warning",
            }
        )
    return cards
