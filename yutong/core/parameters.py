"""Values that the law sets and changes, looked up as they stood on a day, with their trace.

A calculation (a final-award threshold, a compensation cap, a deadline length) must be
reproducible later and explainable to the person it concerns: which value was used, since when it
applied, and on what authority. So a lookup returns the whole ``ParameterValue``, not a bare number,
and ``trace()`` turns it into the sentence that the calculation shows.

Resolution (the rule stated on ``DatedParameter``): the row with the latest ``valid_from`` on or
before the day, for the most specific unit that has one: the unit itself, then its parents up
the tree, then the city-wide row (no unit). A unit-specific row wins over a newer city-wide row:
an administrator who sets a district's value takes over that district until they set it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .models import DatedParameter, OrgUnit

# City → district-level unit → township is three levels; the bound only guards against a
# parent cycle in bad data turning a lookup into an endless loop.
MAX_HOPS = 6

# Chinese label and unit of measure for the codes the platform uses. A code missing here still
# works: the trace then names it by its code.
PARAMETER_LABELS: dict[str, tuple[str, str]] = {
    "min_wage_monthly_tier1": ("重庆市月最低工资标准（一档）", "元"),
    "min_wage_monthly_tier2": ("重庆市月最低工资标准（二档）", "元"),
    "min_wage_hourly_tier1": ("重庆市非全日制小时最低工资标准（一档）", "元/小时"),
    "min_wage_hourly_tier2": ("重庆市非全日制小时最低工资标准（二档）", "元/小时"),
    "min_wage_tier": ("最低工资标准适用档次", "档"),
    "avg_wage_monthly_prev_year": ("上年度职工月平均工资", "元"),
    "avg_wage_annual_prev_year": ("上年度职工年平均工资", "元"),
    "mediation_days": ("调解期限", "日"),
    "arbitration_award_days": ("仲裁审理期限", "日"),
    "arbitration_extension_max_days": ("仲裁审理期限最长延长", "日"),
    "arbitration_acceptance_days": ("仲裁受理审查期限", "日"),
    "inspection_acceptance_working_days": ("劳动保障监察投诉受理期限", "个工作日"),
    "inspection_working_days": ("劳动保障监察案件办理期限", "个工作日"),
    "inspection_extension_working_days": ("劳动保障监察案件办理期限最长延长", "个工作日"),
    "final_award_minimum_wage_multiple": ("终局裁决限额（月最低工资标准倍数）", "倍"),
}


class ParameterMissing(LookupError):
    """No value of the parameter applies on the day: a configuration gap, not a user error."""


def _plain(value: Decimal) -> str:
    # The column keeps four decimals; "2330.0000 元" reads like a defect in a sentence for people,
    # and normalize() alone would print 2.33E+3.
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class ParameterValue:
    code: str
    value: Decimal
    valid_from: date
    unit_code: str | None
    source: str
    note: str
    unit_name: str | None = None

    @property
    def label(self) -> str:
        return PARAMETER_LABELS.get(self.code, (self.code, ""))[0]

    @property
    def measure(self) -> str:
        return PARAMETER_LABELS.get(self.code, (self.code, ""))[1]

    def trace(self) -> str:
        """E.g. "重庆市月最低工资标准（一档）：2330 元，自 2025-05-01 起施行，依据：渝府发…。"."""
        scope = f"（{self.unit_name or self.unit_code}）" if self.unit_code else ""
        amount = f"{_plain(self.value)} {self.measure}".rstrip()
        text = f"{self.label}{scope}：{amount}，自 {self.valid_from.isoformat()} 起施行"
        text += f"，依据：{self.source}" if self.source else ""
        text += f"；{self.note}" if self.note else ""
        return text + "。"


def _latest(code: str, on: date, unit: OrgUnit | None) -> DatedParameter | None:
    rows = DatedParameter.objects.filter(code=code, valid_from__lte=on)
    rows = rows.filter(unit__isnull=True) if unit is None else rows.filter(unit=unit)
    return rows.order_by("-valid_from").first()


def parameter_value(code: str, on: date, unit: OrgUnit | None = None) -> ParameterValue:
    """The value of ``code`` in force on ``on`` for ``unit`` (or city-wide when ``unit`` is None).

    One query per level tried (plus one per parent not already loaded). Raises
    ``ParameterMissing`` when no level has a row on or before ``on``.
    """
    node: OrgUnit | None = unit
    seen: set[int] = set()
    while node is not None and len(seen) < MAX_HOPS and node.pk not in seen:
        seen.add(node.pk)
        row = _latest(code, on, node)
        if row is not None:
            return ParameterValue(
                code=row.code,
                value=row.value,
                valid_from=row.valid_from,
                unit_code=node.code,
                source=row.source,
                note=row.note,
                unit_name=node.name,
            )
        node = node.parent
    row = _latest(code, on, None)
    if row is not None:
        return ParameterValue(
            code=row.code,
            value=row.value,
            valid_from=row.valid_from,
            unit_code=None,
            source=row.source,
            note=row.note,
        )
    label = PARAMETER_LABELS.get(code, (code, ""))[0]
    where = f"（{unit.name}及其上级、全市均无）" if unit is not None else "（全市）"
    raise ParameterMissing(
        f"未配置参数“{label}”（{code}）在 {on.isoformat()} 适用的取值{where}，"
        "请由市级管理员在时效参数中补充。"
    )
