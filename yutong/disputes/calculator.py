"""Claim calculator (issue #3): the amounts labour law sets, each with the trace that explains it.

Pure computation plus dated-parameter lookups (``yutong.core.parameters``): nothing is written.
Every function returns a ``Calculation`` whose trace says, step by step, which rule and which
value gave the amount, so a worker, a mediator or an arbitrator can check it by hand. The law
is in ``domain/rules.md`` §8; the conventions below fill what the law leaves open.

Conventions where the law is silent (the trace states each one where it matters):

* **Dates.** ``start_date`` is the first day of employment (用工之日) and ``end_date`` the last day
  (the day the relationship ends). Service for compensation and damages follows the dated
  parameter ``period_count_first_day``: by default (0, or no row) 民法典 Art.201 applies and the
  first day is not counted, so a contract ended on an exact anniversary is whole years; 1 counts
  both days (a local practice an administrator may choose, with its source). Double wages and
  annual leave count both days. A month runs to the day before the same date
  of the next month; when that date does not exist the month ends on the last day of the month
  (民法典 Art.202), so 2024-01-31 → 2024-02-28 is one month.
* **Service years** (劳动合同法 Art.47): whole years, then a remainder of 6 whole months or more
  counts as one year and any shorter remainder (even one day) as half a year.
* **Double wages** (Art.82; 实施条例 Art.6-7): owed from the 1-month anniversary (the day after the
  first month of employment ends) to the day before signing, the last day of employment or the
  day before the 1-year anniversary, whichever comes first — at most 11 months. Whole months pay
  one monthly wage each; the remaining days pay the day wage (monthly wage ÷ 21.75, 劳社部发
  〔2008〕3号) for each Monday-to-Friday day among them, never more than one monthly wage. 21.75
  is the year less its 104 weekend days, divided by 12, so Monday-to-Friday days (statutory
  holidays included, which are paid) are exactly the days it averages.
* **Overtime**: the hours are one month's; the 36-hour monthly limit (劳动法 Art.41) is checked on
  all three kinds together and only flagged, because unlawful overtime is still paid.
* **Annual leave for a leaver**: days elapsed this year count 1 January and the last day.
* **Rounding**: intermediate values keep full precision; only the amount is rounded, to the fen,
  half up. The trace shows intermediate values to the fen.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from yutong.core import money
from yutong.core.models import OrgUnit
from yutong.core.parameters import ParameterMissing, ParameterValue, parameter_value

LCL = "《劳动合同法》"
LCL_REG = "《劳动合同法实施条例》"
LABOUR_LAW = "《劳动法》"
WAGE_DAYS_NOTICE = "劳社部发〔2008〕3号《关于职工全年月平均工作时间和工资折算问题的通知》"
LEAVE_REG = "《职工带薪年休假条例》"
LEAVE_RULES = "《企业职工带薪年休假实施办法》"
ARBITRATION_LAW = "《劳动争议调解仲裁法》"

# The Labour Contract Law took effect on this day; its compensation rules count service from it.
LCL_IN_FORCE = date(2008, 1, 1)
# So did the paid-annual-leave regulation: earlier years have no statutory leave pay to compute.
LEAVE_IN_FORCE = date(2008, 1, 1)
# Monthly paid days (劳社部发〔2008〕3号): (365 − 104) / 12.
PAID_DAYS_PER_MONTH = Decimal("21.75")
HOURS_PER_DAY = Decimal(8)
OVERTIME_MONTHLY_LIMIT = Decimal(36)
HIGH_EARNER_MULTIPLE = Decimal(3)
HIGH_EARNER_MAX_YEARS = Decimal(12)
FEN = Decimal("0.01")


class ValueMissing(ParameterMissing):
    """A value the law needs is not configured, said for the public: what is missing, what to do.

    ``str()`` is the plain message (no parameter code); ``for_staff`` keeps the administrator's
    message naming the parameter, for pages only staff see.
    """

    def __init__(self, what: str, on: date, for_staff: str, problem: str = "还没有录入"):
        super().__init__(
            f"暂时无法计算：系统{problem} {on.isoformat()} 适用的{what}。"
            "您可以查阅当地人力资源和社会保障部门公布的标准后自行核算，"
            "或向当地劳动人事争议仲裁院咨询、拨打 12333 人社服务热线；"
            "系统管理员补录后即可在此计算。"
        )
        self.for_staff = for_staff


def _value(code: str, on: date, unit: OrgUnit | None, what: str) -> ParameterValue:
    try:
        return parameter_value(code, on, unit)
    except ParameterMissing as exc:
        raise ValueMissing(what, on, str(exc)) from exc


class InputError(ValueError):
    """Input the law cannot work with; ``errors`` maps the field to messages for people."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.errors = {field_name: [message]}


@dataclass(frozen=True)
class Step:
    """One line of the trace: a sentence for people and the article it rests on (if any)."""

    sentence: str
    article: str | None = None

    @property
    def text(self) -> str:
        return f"{self.sentence}（{self.article}）" if self.article else self.sentence

    def as_dict(self) -> dict[str, str | None]:
        return {"text": self.text, "article": self.article}


@dataclass
class Trace:
    steps: list[Step] = field(default_factory=list)

    def add(self, sentence: str, article: str | None = None) -> None:
        self.steps.append(Step(sentence, article))

    def parameter(self, value: ParameterValue) -> None:
        # Which value, since when, on what authority: the parameter's own sentence.
        self.steps.append(Step(parameter_sentence(value)))


# A row whose note carries this mark (the rows migration disputes/0008 ships, rules §12) has not
# been checked against the official text: the trace says so plainly, after its source.
UNVERIFIED_MARK = "待核实"
UNVERIFIED = "（待核实：未核对官方文件）"


def parameter_sentence(value: ParameterValue) -> str:
    """The parameter's trace; for an unverified row, its source followed by ``UNVERIFIED``
    and whatever the note says before its mark (e.g. the year's annual average)."""
    if UNVERIFIED_MARK not in value.note:
        return value.trace()
    known = value.note.split(UNVERIFIED_MARK, 1)[0].strip().rstrip("；;，,。 ")
    scope = f"（{value.unit_name or value.unit_code}）" if value.unit_code else ""
    text = f"{value.label}{scope}：{value.stated}，自 {value.valid_from.isoformat()} 起施行"
    text += f"，依据：{value.source or '未载明'}{UNVERIFIED}"
    text += f"；{known}" if known else ""
    return text + "。"


@dataclass(frozen=True)
class Calculation:
    kind: str
    amount: Decimal
    trace: tuple[Step, ...]

    def as_dict(self) -> dict:
        return {"amount": str(self.amount), "trace": [s.as_dict() for s in self.trace]}


def _done(kind: str, amount: Decimal, trace: Trace) -> Calculation:
    return Calculation(kind, amount.quantize(FEN, rounding=ROUND_HALF_UP), tuple(trace.steps))


def yuan(value: Decimal) -> str:
    """An amount in a trace sentence: "1,234.50 元" (``core.money.yuan`` and the unit)."""
    return f"{money.yuan(value)} 元"


def number(value: Decimal) -> str:
    # "10.5", "12", "1.25": no trailing zeros and never an exponent.
    return format(value.normalize(), "f")


# --- dates ----------------------------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """The same date ``months`` later, or the month's last day if it has no such date."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Span:
    """Whole months and remaining days from ``first`` to ``last``, both days counted."""

    first: date
    last: date
    months: int
    days: int

    def describe(self) -> str:
        years, months = divmod(self.months, 12)
        parts = [f"{years} 年"] if years else []
        parts += [f"{months} 个月"] if months else []
        parts += [f"{self.days} 天"] if self.days or not parts else []
        return " ".join(parts)


def span(first: date, last: date) -> Span:
    after = last + timedelta(days=1)
    months = (after.year - first.year) * 12 + after.month - first.month
    while months > 0 and add_months(first, months) > after:
        months -= 1
    return Span(first, last, months, (after - add_months(first, months)).days)


def weekdays(first: date, last: date) -> int:
    """Monday-to-Friday days from ``first`` to ``last``, both counted."""
    if last < first:
        return 0
    weeks, extra = divmod((last - first).days + 1, 7)
    return weeks * 5 + sum(1 for i in range(extra) if (first.weekday() + i) % 7 < 5)


# --- shared checks ---------------------------------------------------------------------------


def _check_money(value: Decimal, field_name: str = "monthly_wage") -> None:
    if value < 0:
        raise InputError(field_name, "金额不能为负数。")


# Dates before this are typing errors (the API's date fields refuse them too).
EARLIEST_DAY = date(1950, 1, 1)


def _check_period(start_date: date, end_date: date) -> None:
    if start_date < EARLIEST_DAY:
        raise InputError("start_date", "用工起始日期不能早于 1950-01-01，请检查是否填写有误。")
    if end_date < start_date:
        raise InputError("end_date", "结束日期不能早于用工起始日期。")


# --- economic compensation and damages (rules §8.1-8.2) ------------------------------------


def service_years(period: Span) -> Decimal:
    """N of 劳动合同法 Art.47: full years, a remainder of ≥ 6 months → 1, any shorter → 0.5."""
    years, months = divmod(period.months, 12)
    if months >= 6:
        return Decimal(years + 1)
    # Under Art.201 a single day's employment spans no counted day, yet it is service "不满六个月".
    if months or period.days or not years:
        return years + Decimal("0.5")
    return Decimal(years)


def _minimum_wage(on: date, unit: OrgUnit, trace: Trace) -> Decimal:
    what = f"{unit.name}的最低工资标准"
    tier = _value("min_wage_tier", on, unit, f"{unit.name}最低工资标准档次（一档或二档）")
    if tier.value not in (1, 2):
        raise ValueMissing(
            what,
            on,
            f"参数“{tier.label}”（{unit.name}）的取值 {number(tier.value)} 无效，只能是 1 或 2，"
            "请由市级管理员在时效参数中更正。",
            problem="中设置有误的是",
        )
    amount = _value(f"min_wage_monthly_tier{int(tier.value)}", on, unit, what)
    trace.parameter(tier)
    trace.parameter(amount)
    return amount.value


def _wage_base(monthly_wage: Decimal, end_date: date, unit: OrgUnit, trace: Trace):
    """W after the minimum-wage floor and the high-earner cap; True when the cap applied."""
    trace.add(
        f"月工资按解除或终止前十二个月的平均应得工资计算，为 {yuan(monthly_wage)}",
        f"{LCL}第四十七条第三款、{LCL_REG}第二十七条",
    )
    minimum = _minimum_wage(end_date, unit, trace)
    wage = max(monthly_wage, minimum)
    relation = "低于" if monthly_wage < minimum else "不低于"
    basis = "按最低工资标准计算" if monthly_wage < minimum else "按实际月工资计算"
    trace.add(
        f"月工资{relation}{unit.name}月最低工资标准 {yuan(minimum)}，{basis}",
        f"{LCL_REG}第二十七条",
    )
    average = _value(
        "avg_wage_monthly_prev_year", end_date, None, "作为经济补偿封顶基数的上年度职工月平均工资"
    )
    trace.parameter(average)
    cap = HIGH_EARNER_MULTIPLE * average.value
    if wage <= cap:
        trace.add(f"月工资未超过上年度职工月平均工资的三倍（{yuan(cap)}），不封顶")
        return wage, False
    trace.add(
        f"月工资高于上年度职工月平均工资的三倍，按三倍即 {yuan(cap)} 计算，"
        "且支付年限最高不超过十二年",
        f"{LCL}第四十七条第二款",
    )
    return cap, True


def _check_termination(start_date, end_date, monthly_wage, unit: OrgUnit) -> None:
    _check_period(start_date, end_date)
    _check_money(monthly_wage)
    if end_date < LCL_IN_FORCE:
        raise InputError(
            "end_date",
            "劳动关系在 2008-01-01《劳动合同法》施行前已结束，应适用当时的规定，本计算器不适用。",
        )
    if not unit.is_valid_on(end_date):
        later = unit.current_id and unit.current_id != unit.pk
        successor = f"，请选择承继单位{unit.current.name}" if later else ""
        raise InputError(
            "unit", f"{unit.name}在 {end_date.isoformat()} 不是有效的行政单位{successor}。"
        )


PERIOD_CONVENTION = "period_count_first_day"
CIVIL_CODE_201 = "《民法典》第二百零一条"
# Before the Civil Code (in force 2021-01-01) the General Principles of Civil Law set the same
# rule: 期间开始的时和日，不计算在期间内.
CIVIL_CODE_IN_FORCE = date(2021, 1, 1)
GENERAL_PRINCIPLES_154 = "《民法通则》第一百五十四条"


def _first_counted(counted_from: date, end_date: date, trace: Trace) -> tuple[date, str]:
    """The first day counted and the words for the convention, which the trace states."""
    try:
        setting = parameter_value(PERIOD_CONVENTION, end_date)
    except ParameterMissing:
        setting = None
    if setting is not None:
        trace.parameter(setting)
    if setting is not None and setting.value == 1:
        return counted_from, "首尾两日均计入"
    if counted_from < CIVIL_CODE_IN_FORCE:
        trace.add(
            f"期间开始于 {counted_from.isoformat()}，在《民法典》施行（2021-01-01）之前，"
            "开始时适用《民法通则》：期间开始的当日不计算在期间内，与《民法典》第二百零一条"
            "规定相同",
            GENERAL_PRINCIPLES_154,
        )
    elif setting is None:
        trace.add("期间计算方式未另行设定，按民法典规定：开始的当日不计入", CIVIL_CODE_201)
    return counted_from + timedelta(days=1), "开始的当日不计入，自次日起算，末日计入"


def _months_of_wage(counted_from: date, end_date: date, trace: Trace, article: str) -> Decimal:
    first, how = _first_counted(counted_from, end_date, trace)
    period = span(first, end_date)
    years = service_years(period)
    trace.add(
        f"工作年限自 {counted_from.isoformat()} 至 {end_date.isoformat()}（{how}），"
        f"共 {period.describe()}；每满一年支付一个月工资，六个月以上不满一年的按一年计算，"
        f"不满六个月的支付半个月工资，折合 {number(years)} 个月工资",
        article,
    )
    return years


def _cap_years(years: Decimal, capped: bool, trace: Trace) -> Decimal:
    if capped and years > HIGH_EARNER_MAX_YEARS:
        trace.add(
            f"月工资已按三倍封顶，支付年限 {number(years)} 年超过十二年，按十二年计算",
            f"{LCL}第四十七条第二款",
        )
        return HIGH_EARNER_MAX_YEARS
    return years


def economic_compensation(
    start_date: date, end_date: date, monthly_wage: Decimal, unit: OrgUnit
) -> Calculation:
    """N × W (劳动合同法 Art.46-47), service counted from 2008-01-01 at the earliest (Art.97)."""
    _check_termination(start_date, end_date, monthly_wage, unit)
    trace = Trace()
    counted_from = max(start_date, LCL_IN_FORCE)
    if start_date < LCL_IN_FORCE:
        trace.add(
            f"用工之日 {start_date.isoformat()} 早于《劳动合同法》施行之日 2008-01-01：本项工作年限"
            "自 2008-01-01 起计算；此前的工作年限应否支付经济补偿，按当时有关规定"
            "（原劳动部《违反和解除劳动合同的经济补偿办法》）另行计算，未计入本结果",
            f"{LCL}第九十七条第三款",
        )
    years = _months_of_wage(counted_from, end_date, trace, f"{LCL}第四十七条第一款")
    wage, capped = _wage_base(monthly_wage, end_date, unit, trace)
    years = _cap_years(years, capped, trace)
    amount = years * wage
    trace.add(f"经济补偿 = {number(years)} × {yuan(wage)} = {yuan(amount)}", f"{LCL}第四十七条")
    return _done("economic_compensation", amount, trace)


def illegal_termination_damages(
    start_date: date, end_date: date, monthly_wage: Decimal, unit: OrgUnit
) -> Calculation:
    """2 × N × W (劳动合同法 Art.48, 87), service counted from the first day of employment."""
    _check_termination(start_date, end_date, monthly_wage, unit)
    trace = Trace()
    trace.add(
        f"赔偿金的计算年限自用工之日 {start_date.isoformat()} 起计算（不以 2008-01-01 为限）；"
        "支付赔偿金的，不再支付经济补偿",
        f"{LCL_REG}第二十五条",
    )
    years = _months_of_wage(start_date, end_date, trace, f"{LCL}第四十七条第一款")
    wage, capped = _wage_base(monthly_wage, end_date, unit, trace)
    years = _cap_years(years, capped, trace)
    amount = 2 * years * wage
    trace.add(
        f"赔偿金按经济补偿标准的二倍支付：2 × {number(years)} × {yuan(wage)} = {yuan(amount)}",
        f"{LCL}第四十八条、第八十七条",
    )
    return _done("illegal_termination_damages", amount, trace)


# --- double wages without a written contract (rules §8.3) ----------------------------------


def _double_wage_end(start_date, end_date, signed_on, trace: Trace) -> date:
    """The last day owed: before signing, the last day worked or before the 1-year anniversary."""
    year_end = add_months(start_date, 12) - timedelta(days=1)
    candidates = [(end_date, "劳动关系结束之日")]
    if signed_on is not None:
        candidates.append((signed_on - timedelta(days=1), "补订书面劳动合同的前一日"))
    candidates.append((year_end, "用工满一年的前一日"))
    last, why = min(candidates, key=lambda c: c[0])
    if last == year_end and year_end < end_date:
        trace.add(
            f"用工满一年仍未订立书面劳动合同的，自 {add_months(start_date, 12).isoformat()} 起视为"
            "已订立无固定期限劳动合同，二倍工资计至满一年的前一日，最多十一个月",
            f"{LCL}第十四条第三款、{LCL_REG}第七条",
        )
    trace.add(f"二倍工资差额计至 {last.isoformat()}（{why}）")
    return last


def _part_month(first: date, last: date, monthly_wage: Decimal, trace: Trace) -> Decimal:
    paid_days = weekdays(first, last)
    by_days = Decimal(paid_days) * monthly_wage / PAID_DAYS_PER_MONTH
    amount = min(by_days, monthly_wage)
    # 30 days can hold 22 weekdays: a part of a month must not pay more than a whole one.
    limit = "，超过一个月工资，按一个月工资计" if by_days > monthly_wage else ""
    trace.add(
        f"不足一个月的 {first.isoformat()} 至 {last.isoformat()} 有计薪日（周一至周五，"
        f"法定节假日照常计薪）{paid_days} 天，按日工资 = 月工资 ÷ 21.75 折算为 {yuan(by_days)}"
        f"{limit}",
        WAGE_DAYS_NOTICE,
    )
    return amount


def double_wages(
    start_date: date, end_date: date, monthly_wage: Decimal, contract_signed_on: date | None
) -> Calculation:
    """The extra 1× monthly wage for months worked without a written contract (Art.82)."""
    _check_period(start_date, end_date)
    _check_money(monthly_wage)
    trace = Trace()
    first = add_months(start_date, 1)
    trace.add(
        f"用工之日 {start_date.isoformat()}，应自用工之日起一个月内订立书面劳动合同；"
        f"逾期未订立的，自满一个月的次日 {first.isoformat()} 起每月另付一倍工资",
        f"{LCL}第十条、第八十二条第一款，{LCL_REG}第六条",
    )
    if contract_signed_on is not None and contract_signed_on <= first:
        trace.add(
            f"已于 {contract_signed_on.isoformat()} 订立书面劳动合同，不晚于 {first.isoformat()}，"
            "无二倍工资差额"
        )
        return _done("double_wages", Decimal(0), trace)
    if end_date < first:
        trace.add("劳动关系在用工之日起一个月内结束，无二倍工资差额", f"{LCL_REG}第五条")
        return _done("double_wages", Decimal(0), trace)
    last = _double_wage_end(start_date, end_date, contract_signed_on, trace)
    # Months are counted from the start of employment, not from ``first``: a start on 31 January
    # puts ``first`` on 29 February, and counting from there would lose days at every month end.
    employed = span(start_date, last)
    period = Span(first, last, employed.months - 1, employed.days)
    whole = period.months * monthly_wage
    trace.add(
        f"期间 {first.isoformat()} 至 {last.isoformat()} 共 {period.describe()}；"
        f"整月部分 {period.months} × {yuan(monthly_wage)} = {yuan(whole)}"
    )
    part = Decimal(0)
    if period.days:
        part = _part_month(add_months(start_date, employed.months), last, monthly_wage, trace)
    amount = whole + part
    trace.add(f"应另行支付的一倍工资（二倍工资差额）合计 {yuan(amount)}", f"{LCL}第八十二条")
    trace.add(
        "提示：仲裁时效为一年；二倍工资差额的时效如何起算各地口径不一，超过一年的部分可能不被支持",
        f"{ARBITRATION_LAW}第二十七条",
    )
    return _done("double_wages", amount, trace)


# --- overtime (rules §8.4) -------------------------------------------------------------------

OVERTIME_RATES = (
    ("weekday_hours", "工作日延长工作时间", Decimal("1.5"), f"{LABOUR_LAW}第四十四条第（一）项"),
    ("rest_day_hours", "休息日工作且未安排补休", Decimal(2), f"{LABOUR_LAW}第四十四条第（二）项"),
    ("holiday_hours", "法定休假日工作", Decimal(3), f"{LABOUR_LAW}第四十四条第（三）项"),
)


def overtime(
    monthly_wage: Decimal,
    weekday_hours: Decimal,
    rest_day_hours: Decimal,
    holiday_hours: Decimal,
) -> Calculation:
    """Hours × hour wage × 150% / 200% / 300% (劳动法 Art.44), hour wage = W / (21.75 × 8)."""
    _check_money(monthly_wage)
    hours = {
        "weekday_hours": weekday_hours,
        "rest_day_hours": rest_day_hours,
        "holiday_hours": holiday_hours,
    }
    for name, value in hours.items():
        if value < 0:
            raise InputError(name, "加班时数不能为负数。")
    trace = Trace()
    hour_wage = monthly_wage / (PAID_DAYS_PER_MONTH * HOURS_PER_DAY)
    trace.add(
        f"小时工资 = 月工资 {yuan(monthly_wage)} ÷（21.75 × 8）≈ {yuan(hour_wage)}",
        f"{WAGE_DAYS_NOTICE}、《工资支付暂行规定》第十三条",
    )
    amount = Decimal(0)
    for name, label, rate, article in OVERTIME_RATES:
        part = hours[name] * hour_wage * rate
        amount += part
        trace.add(f"{label} {number(hours[name])} 小时 × {rate * 100:.0f}% ≈ {yuan(part)}", article)
    _flag_long_hours(sum(hours.values()), trace)
    trace.add(f"加班费合计 {yuan(amount)}")
    return _done("overtime", amount, trace)


def _flag_long_hours(total: Decimal, trace: Trace) -> None:
    if total > OVERTIME_MONTHLY_LIMIT:
        trace.add(
            f"注意：本月加班合计 {number(total)} 小时，超过每月不得超过三十六小时的限制；"
            "违法延长工作时间的，加班费仍应照付",
            f"{LABOUR_LAW}第四十一条",
        )


# --- unused annual leave (rules §8.5) --------------------------------------------------------


def leave_entitlement(cumulative_service_years: int) -> int:
    """Days per year (条例 Art.3): 1 to under 10 years → 5, 10 to under 20 → 10, 20+ → 15."""
    if cumulative_service_years < 1:
        return 0
    if cumulative_service_years < 10:
        return 5
    return 10 if cumulative_service_years < 20 else 15


def _check_leave(cumulative_service_years, monthly_wage, days_taken, year, end_date) -> int:
    """The year computed; raises for inputs the regulation cannot work with."""
    _check_money(monthly_wage)
    if cumulative_service_years < 0:
        raise InputError("cumulative_service_years", "累计工作年限不能为负数。")
    if days_taken < 0:
        raise InputError("days_taken", "已休天数不能为负数。")
    if year is None and end_date is None:
        raise InputError("year", "请填写年度（按全年计算），或填写离职日期（按当年已过天数折算）。")
    if year is not None and end_date is not None and year != end_date.year:
        raise InputError("year", "年度应与离职日期所在年度一致，或只填写其中一项。")
    year = end_date.year if end_date is not None else year
    if year < LEAVE_IN_FORCE.year:
        field_name = "year" if end_date is None else "end_date"
        raise InputError(field_name, "《职工带薪年休假条例》自 2008-01-01 施行，此前的年度不适用。")
    return year


def _leave_due(entitlement: int, days_taken: int, end_date: date | None, trace: Trace) -> int:
    if end_date is None:
        unused = entitlement - days_taken
        trace.add(f"全年应休 {entitlement} 天，已休 {days_taken} 天")
    else:
        elapsed = end_date.timetuple().tm_yday
        earned = min(Decimal(elapsed) / 365 * entitlement, Decimal(entitlement))
        due = int(earned.to_integral_value(rounding=ROUND_FLOOR))
        unused = due - days_taken
        trace.add(
            f"离职当年已过日历天数 {elapsed} 天（{end_date.year}-01-01 至 "
            f"{end_date.isoformat()}），折算应休 {elapsed} ÷ 365 × {entitlement} ≈ "
            f"{earned.quantize(FEN)} 天，不足一天的部分不支付，即 {due} 天；已休 {days_taken} 天",
            f"{LEAVE_RULES}第十二条第一款",
        )
    if unused < 0:
        trace.add("已休天数多于应休天数的，多休的部分不再扣回", f"{LEAVE_RULES}第十二条第二款")
    return max(unused, 0)


def annual_leave(
    cumulative_service_years: int,
    monthly_wage: Decimal,
    days_taken: int,
    year: int | None = None,
    end_date: date | None = None,
) -> Calculation:
    """The 200% owed on top of normal pay for each unused leave day (条例 Art.5; 办法 Art.10-12)."""
    year = _check_leave(cumulative_service_years, monthly_wage, days_taken, year, end_date)
    trace = Trace()
    entitlement = leave_entitlement(cumulative_service_years)
    if entitlement == 0:
        trace.add(
            f"累计工作 {cumulative_service_years} 年，不满一年，{year} 年度不享受带薪年休假",
            f"{LEAVE_REG}第二条、第三条",
        )
        return _done("annual_leave", Decimal(0), trace)
    trace.add(
        f"累计工作 {cumulative_service_years} 年（含在不同用人单位的工作时间），"
        f"{year} 年度应休年休假 {entitlement} 天",
        f"{LEAVE_REG}第三条、{LEAVE_RULES}第四条",
    )
    unused = _leave_due(entitlement, days_taken, end_date, trace)
    day_wage = monthly_wage / PAID_DAYS_PER_MONTH
    trace.add(
        f"日工资 = 剔除加班工资后的月平均工资 {yuan(monthly_wage)} ÷ 21.75 ≈ {yuan(day_wage)}",
        f"{LEAVE_RULES}第十一条",
    )
    amount = unused * day_wage * 2
    trace.add(
        f"未休 {unused} 天，应按日工资的 300% 支付，其中 100% 为已支付的正常工资，"
        f"另应支付 200%：{unused} × {yuan(day_wage)} × 200% = {yuan(amount)}",
        f"{LEAVE_REG}第五条第三款、{LEAVE_RULES}第十条",
    )
    return _done("annual_leave", amount, trace)


# --- dispatch --------------------------------------------------------------------------------

KINDS = {
    "economic_compensation": ("经济补偿", economic_compensation),
    "illegal_termination_damages": ("违法解除或终止劳动合同赔偿金", illegal_termination_damages),
    "double_wages": ("未订立书面劳动合同二倍工资差额", double_wages),
    "overtime": ("加班费", overtime),
    "annual_leave": ("未休年休假工资报酬", annual_leave),
}


def calculate(kind: str, **inputs) -> Calculation:
    """Run one kind; raises ``InputError`` (bad input) or ``ParameterMissing`` (configuration)."""
    if kind not in KINDS:
        raise InputError("kind", f"未知的计算类型“{kind}”。")
    return KINDS[kind][1](**inputs)
