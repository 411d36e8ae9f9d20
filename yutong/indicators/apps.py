from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "yutong.indicators"
    label = "indicators"
    verbose_name = "主要指标"

    def ready(self):
        # The stock indicators' kept counts follow every save of the records they count.
        from . import ledger

        ledger.connect()

    @staticmethod
    def nav_items(user):
        from yutong.core.navigation import Entry
        from yutong.core.permissions import can

        from .services import EDITORS
        from .views import READERS

        items = []
        if can(user, *READERS):
            items.append(Entry("indicators:dashboard", "主要指标", "bi-speedometer2", "indicators"))
        if can(user, *EDITORS):
            items.append(Entry("indicators:settings", "指标口径与目标", "bi-bullseye", "system"))
        return items

    @staticmethod
    def home_cards(user):
        """This year's flow indicators (the case closure and success rates) of the user's
        district or the city against target: the bench loads the figure after the page
        (``home_card``), which shows at once. The two stock indicators read the whole registry
        (about a second for the city): the bench leaves them to the overview."""
        return _flow_card(user, compute=False)

    @staticmethod
    def home_card(user, key: str):
        """The bench's card loaded after the page (``key`` "flows"), computed now."""
        cards = _flow_card(user, compute=True) if key == "flows" else []
        return cards[0] if cards else None


def _flow_card(user, *, compute: bool) -> list[dict]:
    from django.urls import reverse
    from django.utils import timezone

    from yutong.core.permissions import can

    from . import engine, reports
    from .forms import default_unit
    from .periods import Period
    from .views import READERS

    if not can(user, *READERS):
        return []
    unit = default_unit(user)
    if unit is None:
        return []
    today = timezone.localdate()
    card = {
        "label": f"{unit.name}{today.year}年办案类指标达标",
        "url": f"{reverse('indicators:dashboard')}?unit={unit.code}",
        "note": "覆盖率、签订率见总览",
    }
    if not compute:
        return [{**card, "later": "flows"}]
    flows = [i for i in engine.indicators() if i.kind == i.Kind.FLOW]
    results = reports.compute_all(
        flows, Period(today.year), [unit], basis=engine.RECORDED, today=today
    )
    statuses = [r.values[0].status for r in results if r.available]
    count = {key: statuses.count(key) for key in engine.STATUS_LABELS}
    pending = len(results) - len(statuses)
    note = (
        f"有风险 {count[engine.AT_RISK]} 项，未达标 {count[engine.MISSED]} 项；覆盖率、签订率见总览"
    )
    if pending:
        note += f"，{pending} 项数据来源建设中"
    return [{**card, "value": f"{count[engine.MET]} / {len(statuses)}", "note": note}]
