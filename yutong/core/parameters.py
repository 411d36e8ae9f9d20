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
from .money import yuan

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
    "period_count_first_day": ("工作年限计算是否计入开始当日（0 否、1 是）", ""),
    "mediation_days": ("调解期限", "日"),
    "arbitration_award_days": ("仲裁审理期限", "日"),
    "arbitration_extension_max_days": ("仲裁审理期限最长延长", "日"),
    "arbitration_acceptance_days": ("仲裁受理审查期限", "日"),
    "inspection_acceptance_working_days": ("劳动保障监察投诉受理期限", "个工作日"),
    "inspection_working_days": ("劳动保障监察案件办理期限", "个工作日"),
    "inspection_extension_working_days": ("劳动保障监察案件办理期限最长延长", "个工作日"),
    "final_award_minimum_wage_multiple": ("终局裁决限额（月最低工资标准倍数）", "倍"),
    "harmony_grade_a_min_score": ("和谐企业A级申报最低自评分", "分"),
    "harmony_grade_aa_min_score": ("和谐企业AA级申报最低自评分", "分"),
    "harmony_grade_aaa_min_score": ("和谐企业AAA级申报最低自评分", "分"),
    "harmony_grade_holding_months": ("和谐企业晋级前持有下一等级最短时间", "个月"),
    "harmony_grade_validity_months": ("和谐企业等级有效期", "个月"),
    "harmony_coverage_min_headcount": ("创建活动覆盖率统计企业最低职工人数", "人"),
    "harmony_health_guidance_score": ("企业体检主题得分率低于此值给出整改指导", "%"),
    "union_committee_min_members": ("应当建立基层工会委员会的会员人数", "人"),
    "union_fulltime_staff_min_employees": ("应当配备专职工会工作人员的职工人数", "人"),
    "union_dues_percent": ("工会经费拨缴比例（占工资总额）", "%"),
    "key_enterprise_min_employees": ("重点建会企业职工人数下限", "人"),
    "collective_contract_min_years": ("集体合同期限下限", "年"),
    "collective_contract_max_years": ("集体合同期限上限", "年"),
    "collective_contract_renewal_months": ("集体合同期满前提出续订期", "个月"),
    "collective_contract_filing_days": ("集体合同报送期限", "日"),
    "collective_contract_review_days": ("集体合同审查期限", "日"),
    "collective_contract_publication_days": ("集体合同生效后公布期限", "日"),
    "bargaining_reply_days": ("集体协商要求书面答复期限", "日"),
    "bargaining_suspension_max_days": ("集体协商中止期限", "日"),
    "congress_delegate_min_percent": ("职工代表人数占职工人数比例下限", "%"),
    "congress_delegate_min_count": ("职工代表人数下限", "人"),
    "congress_sessions_per_year": ("职工代表大会每年召开次数下限", "次"),
    "dispatch_cap_percent": ("劳务派遣用工占用工总量比例上限", "%"),
    "inspection_min_inspectors": ("劳动保障监察每案最少监察员人数", "人"),
    "inspection_lookback_years": ("劳动保障监察违法行为追溯期限", "年"),
    "compliance_c_min_handled": ("守法诚信等级：年度内被处理处罚达到该次数评为 C 级", "次"),
    "compliance_c_mass_incident": ("守法诚信等级：引发群体性事件评为 C 级（1 是 0 否）", ""),
    "compliance_c_child_forced_labour": ("守法诚信等级：使用童工或强迫劳动评为C级（1是0否）", ""),
    "compliance_c_refused_order": ("守法诚信等级：拒不履行处理处罚决定评为 C 级（1 是 0 否）", ""),
    "compliance_c_obstruction": ("守法诚信等级：无理抗拒阻挠监察评为 C 级（1 是 0 否）", ""),
    "compliance_c_police": ("守法诚信等级：移送公安机关追究刑事责任评为 C 级（1 是 0 否）", ""),
    "blacklist_term_years": ("拖欠农民工工资失信名单列入期限", "年"),
    "blacklist_early_removal_months": ("拖欠农民工工资失信名单提前移出最短列入时间", "个月"),
}


class ParameterMissing(LookupError):
    """No value of the parameter applies on the day: a configuration gap, not a user error."""


def _plain(value: Decimal) -> str:
    # The column keeps four decimals; "3.0000 倍" reads like a defect in a sentence for people,
    # and normalize() alone would print 2.33E+3.
    return format(value.normalize(), "f")


def _is_yuan(measure: str) -> bool:
    # "元", "元/小时": an amount of money, written as every amount is ("2,330.00 元").
    return measure == "元" or measure.startswith("元/")


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

    @property
    def stated(self) -> str:
        """The value with its measure as a sentence writes it: an amount of yuan as every amount
        is ("2,330.00 元", "24.00 元/小时", ``core.money.yuan``), anything else plainly ("3 倍",
        "60 日", "0")."""
        if _is_yuan(self.measure):
            return f"{yuan(self.value)} {self.measure}"
        return f"{_plain(self.value)} {self.measure}".rstrip()

    def trace(self) -> str:
        """The sentence a calculation shows, e.g.
        "重庆市月最低工资标准（一档）：2,330.00 元，自 2025-05-01 起施行，依据：渝府发…。"."""
        scope = f"（{self.unit_name or self.unit_code}）" if self.unit_code else ""
        text = f"{self.label}{scope}：{self.stated}，自 {self.valid_from.isoformat()} 起施行"
        text += f"，依据：{self.source}" if self.source else ""
        text += f"；{self.note}" if self.note else ""
        return text + "。"


def change_days(code: str, after: date, until: date | None = None) -> set[date]:
    """The days in (``after``, ``until``] from which a new city-wide value of ``code`` applies
    (what a count kept per day must recount on)."""
    rows = DatedParameter.objects.filter(code=code, unit__isnull=True, valid_from__gt=after)
    if until is not None:
        rows = rows.filter(valid_from__lte=until)
    return set(rows.values_list("valid_from", flat=True))


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
