"""The calculations of the wage app as plain functions over facts already read: the wage
deposit required of a project (rules §4.3, with its trace) and the wage code (rules §10).

No query happens here: ``facts.py`` reads what these need for one project or for thousands at
once, so the page for one project and the nightly recomputation of all use the same rules.

The wage code (渝薪码). No official rule was found (rules §10), so the colour comes from the
rows of ``WageCodeRule``, which an administrator edits: each rule tests one condition and, when
it holds, gives yellow or red (or is off). The code is the worst colour given; green when no
rule holds. Every rule that holds gives a reason in words the public page shows (counts and
months only, never a worker's data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from yutong.core import clocks
from yutong.core.money import yuan
from yutong.registry.choices import ProjectStatus

from .models import COLOUR_RANK, Colour, NoticeItem, RuleCode, SafeguardKind

CENT = Decimal("0.01")


# --- the wage deposit -----------------------------------------------------------------------


@dataclass(frozen=True)
class ContractorRecord:
    """What the platform knows of a general contractor's wage record: since when it has
    projects here, and the last month in which any of its projects left a worker unpaid."""

    first_start: date | None = None
    last_arrears_month: date | None = None
    # Started projects without all three systems (account, real name, bank payroll) on
    # record; None when not known.
    projects_without_systems: int | None = None

    def clean_for(self, months: int, today: date) -> bool:
        """No arrears in the last ``months`` months (counted back from ``today``)."""
        return (
            self.last_arrears_month is None
            or _months_between(self.last_arrears_month, today) >= months
        )

    def known_for(self, months: int, today: date) -> bool:
        return self.first_start is not None and _months_between(self.first_start, today) >= months


@dataclass(frozen=True)
class Requirement:
    amount: Decimal
    rate: Decimal
    exempt: bool
    trace: list[str]


def _systems_exempt(record: ContractorRecord, months: int, today: date) -> bool:
    """Three years (a setting) with the systems in place and no arrears: exempt (§4.3 [S])."""
    return (
        months > 0
        and record.projects_without_systems == 0
        and record.known_for(months, today)
        and record.clean_for(months, today)
    )


def _months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def _yuan(value: Decimal) -> str:
    return f"{yuan(value)} 元"


def deposit_requirement(
    contract_amount: Decimal, record: ContractorRecord, settings, today: date
) -> Requirement:
    """The deposit a project owes, by 人社部发〔2021〕65号 as configured in ``settings``."""
    trace = [f"施工合同金额 {_yuan(contract_amount)}。"]
    clean_year = record.clean_for(settings.exemption_clean_months, today)
    if contract_amount < settings.exemption_contract_below and clean_year:
        trace.append(
            f"合同金额低于 {_yuan(settings.exemption_contract_below)}，且施工总承包单位近 "
            f"{settings.exemption_clean_months} 个月无欠薪记录：依规免缴工资保证金。"
        )
        return Requirement(Decimal("0.00"), Decimal("0.00"), True, trace)
    if _systems_exempt(record, settings.exemption_systems_months, today):
        trace.append(
            "施工总承包单位在本平台的已开工项目均已落实农民工工资专用账户、实名制管理和银行代发，"
            f"且连续 {settings.exemption_systems_months} 个月以上无欠薪记录：依规免缴工资保证金。"
        )
        return Requirement(Decimal("0.00"), Decimal("0.00"), True, trace)
    if not record.clean_for(settings.raised_arrears_months, today):
        rate = settings.deposit_raised_rate
        trace.append(
            f"施工总承包单位近 {settings.raised_arrears_months} 个月内有欠薪记录"
            f"（最近一次 {record.last_arrears_month:%Y-%m}）：适用提高比例 {rate}%。"
        )
    elif record.known_for(settings.reduced_clean_months, today):
        rate = settings.deposit_reduced_rate
        trace.append(
            f"施工总承包单位连续 {settings.reduced_clean_months} 个月以上无欠薪记录："
            f"适用降低比例 {rate}%。"
        )
    else:
        rate = settings.deposit_base_rate
        trace.append(f"适用基准比例 {rate}%。")
    if rate < settings.deposit_floor_rate:
        rate = settings.deposit_floor_rate
        trace.append(f"比例不得低于 {rate}%：按 {rate}% 计。")
    amount = (contract_amount * rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
    trace.append(f"应存 {_yuan(contract_amount)} × {rate}% = {_yuan(amount)}。")
    if settings.deposit_cap is not None and amount > settings.deposit_cap:
        amount = settings.deposit_cap
        trace.append(f"超过单个项目上限，按上限 {_yuan(amount)} 存储。")
    if contract_amount < settings.exemption_contract_below:
        trace.append(
            f"合同金额虽低于 {_yuan(settings.exemption_contract_below)}，但施工总承包单位近 "
            f"{settings.exemption_clean_months} 个月有欠薪记录，不能免缴。"
        )
    return Requirement(amount, rate, False, trace)


# --- the wage code ----------------------------------------------------------------------------


@dataclass
class SafeguardFact:
    in_place_since: date
    notice_items: tuple[str, ...] = ()


@dataclass
class ProjectFacts:
    """Everything the wage code of one project depends on."""

    project_id: int
    status: str
    starts_on: date | None
    completed_on: date | None
    contract_amount: Decimal
    requirement: Requirement
    deposit_amount: Decimal | None = None
    safeguards: dict[str, SafeguardFact] = field(default_factory=dict)
    months: set[date] = field(default_factory=set)
    unpaid_workers: int = 0
    unpaid_amount: Decimal = Decimal("0")
    below_minimum_workers: int = 0
    not_own_account_workers: int = 0
    open_complaints: int | None = None  # None: not known (see facts.py)


@dataclass(frozen=True)
class RuleSetting:
    code: str
    colour: str  # "off", "yellow" or "red"
    threshold: int


def month_start(day: date) -> date:
    return day.replace(day=1)


def _next_month(day: date) -> date:
    return date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def expected_months(facts: ProjectFacts, today: date) -> list[date]:
    """The months that must have a payroll: from the start month to last month (or to the
    completion month of a completed project)."""
    if facts.starts_on is None or facts.status == ProjectStatus.PLANNED:
        return []
    last = month_start(today.replace(day=1) - timedelta(days=1))
    if facts.completed_on is not None:
        last = min(last, month_start(facts.completed_on))
    months, month = [], month_start(facts.starts_on)
    while month <= last:
        months.append(month)
        month = _next_month(month)
    return months


def missing_months(facts: ProjectFacts, today: date) -> list[date]:
    return [m for m in expected_months(facts, today) if m not in facts.months]


def _months_text(months: list[date]) -> str:
    shown = "、".join(f"{m:%Y-%m}" for m in months[:6])
    return shown + (f" 等 {len(months)} 个月" if len(months) > 6 else "")


class _Deadlines:
    """Working-day deadlines after a start date, computed once per (start, days)."""

    def __init__(self):
        self._cache: dict[tuple[date, int], date] = {}

    def after(self, start: date, days: int) -> date:
        key = (start, days)
        if key not in self._cache:
            self._cache[key] = clocks.add_working_days(start, days)
        return self._cache[key]


DEADLINES = _Deadlines()

SAFEGUARD_RULES = {
    RuleCode.WAGE_ACCOUNT: SafeguardKind.WAGE_ACCOUNT,
    RuleCode.REAL_NAME: SafeguardKind.REAL_NAME,
    RuleCode.BANK_PAYROLL: SafeguardKind.BANK_PAYROLL,
    RuleCode.NOTICE_BOARD: SafeguardKind.NOTICE_BOARD,
}


def _overdue(facts: ProjectFacts, working_days: int, today: date) -> bool:
    """Past the time limit after the start of works (a planned project owes nothing yet)."""
    if facts.starts_on is None or facts.status == ProjectStatus.PLANNED:
        return False
    return today > DEADLINES.after(facts.starts_on, working_days)


def _safeguard_reason(facts: ProjectFacts, kind: str, limit: int, today: date) -> str | None:
    found = facts.safeguards.get(kind)
    label = SafeguardKind(kind).label
    if found is None:
        if not _overdue(facts, limit, today):
            return None
        return f"开工超过 {limit} 个工作日，尚未落实{label}。"
    if kind == SafeguardKind.NOTICE_BOARD:
        missing = [label for code, label in NoticeItem.choices if code not in found.notice_items]
        if missing:
            return "维权信息告示牌缺少：" + "、".join(missing) + "。"
    return None


def _deposit_reason(facts: ProjectFacts, limit: int, today: date) -> str | None:
    need = facts.requirement
    if need.exempt:
        return None
    if facts.deposit_amount is None:
        if not _overdue(facts, limit, today):
            return None
        return f"开工超过 {limit} 个工作日，尚未存储工资保证金（应存 {_yuan(need.amount)}）。"
    if facts.deposit_amount < need.amount:
        return f"工资保证金不足：已存 {_yuan(facts.deposit_amount)}，应存 {_yuan(need.amount)}。"
    return None


def evaluate_rule(rule: RuleSetting, facts: ProjectFacts, today: date) -> str | None:
    """The public reason if the rule holds for the project, else None."""
    code, limit = rule.code, rule.threshold
    if code == RuleCode.DEPOSIT:
        return _deposit_reason(facts, limit, today)
    if code in SAFEGUARD_RULES:
        return _safeguard_reason(facts, SAFEGUARD_RULES[code], limit, today)
    if code in (RuleCode.MISSING_MONTHS, RuleCode.MISSING_MONTHS_SEVERE):
        missing = missing_months(facts, today)
        if missing and len(missing) >= max(limit, 1):
            return f"有 {len(missing)} 个月未上传工资发放记录：{_months_text(missing)}。"
        return None
    if code == RuleCode.UNPAID:
        if facts.unpaid_workers and facts.unpaid_workers >= max(limit, 1):
            return (
                f"工资发放记录显示 {facts.unpaid_workers} 人次工资未足额发放，"
                f"差额合计 {_yuan(facts.unpaid_amount)}。"
            )
        return None
    if code == RuleCode.BELOW_MINIMUM:
        if facts.below_minimum_workers and facts.below_minimum_workers >= max(limit, 1):
            return f"{facts.below_minimum_workers} 人次应发工资低于当地最低工资标准。"
        return None
    if code == RuleCode.NOT_OWN_ACCOUNT:
        if facts.not_own_account_workers and facts.not_own_account_workers >= max(limit, 1):
            return f"{facts.not_own_account_workers} 人次工资未发放至本人银行账户。"
        return None
    if code == RuleCode.OPEN_COMPLAINTS:
        if facts.open_complaints and facts.open_complaints >= max(limit, 1):
            return f"有 {facts.open_complaints} 件拖欠农民工工资投诉正在办理中。"
        return None
    return None


def wage_code(facts: ProjectFacts, rules: list[RuleSetting], today: date):
    """(colour, reasons): the worst colour of the rules that hold, green if none."""
    colour, reasons = Colour.GREEN, []
    for rule in rules:
        if rule.colour not in (Colour.YELLOW, Colour.RED):
            continue
        text = evaluate_rule(rule, facts, today)
        if text is None:
            continue
        reasons.append({"rule": rule.code, "colour": rule.colour, "text": text})
        if COLOUR_RANK[Colour(rule.colour)] > COLOUR_RANK[colour]:
            colour = Colour(rule.colour)
    reasons.sort(key=lambda r: -COLOUR_RANK[Colour(r["colour"])])
    return colour, reasons
