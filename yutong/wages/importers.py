"""The monthly payroll sheet (工资发放表) for the core import mechanism: one sheet per project and
month, one row per worker. Every row names the project and the month, so that a sheet read by
the background worker (large sites) carries everything it needs; the check refuses a sheet
that mixes projects or months.

Checked at upload and again at commit (all or nothing): the project exists and the uploader
may upload for it (its editors, the general contractor's own account), the month lies between
the start of works and this month, resident IDs are valid and not repeated, amounts are
numbers, the amount paid does not exceed the amount payable, and the minimum wage of the
project's unit is configured for that month. Each stored row is flagged: unpaid or partly paid,
below the minimum wage (pro rata by days when the setting says so), not paid to the worker's
own account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.utils import timezone

from yutong.core import imports, roles
from yutong.core.imports import CellError, Column, Importer, ParsedRow, RowError
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import require_role
from yutong.core.personal import blind_index, is_valid_resident_id, normalise_resident_id
from yutong.registry.models import ConstructionProject

from . import services
from .models import PayrollEntry, WageSettings

CENT = Decimal("0.01")


def month(value) -> date | None:
    """ "2026-03", "2026/3", "2026年3月" or an Excel date → the first day of that month."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.replace(day=1)
    raw = imports.text(value).replace("年", "-").replace("月", "").replace("/", "-").strip("-")
    parts = raw.split("-")
    try:
        year, number = int(parts[0]), int(parts[1])
        return date(year, number, 1)
    except (ValueError, IndexError):
        raise CellError("月份格式应为 YYYY-MM，如 2026-03") from None


def resident_id(value) -> str | None:
    raw = imports.text(value)
    if raw == "":
        return None
    number = normalise_resident_id(raw)
    if not is_valid_resident_id(number):
        raise CellError("公民身份号码无效（应为 18 位，出生日期和校验位正确）")
    return number


def days(value) -> Decimal | None:
    raw = imports.text(value)
    if raw == "":
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise CellError("应为天数（数字）") from None
    if number < 0 or number > 31 or number != number.quantize(Decimal("0.1")):
        raise CellError("出勤天数应在 0 至 31 之间，最多一位小数")
    return number


COLUMNS = (
    Column("project_code", "项目编号", imports.text, example="500103202601010101"),
    Column("month", "工资月份", month, example="2026-03", help="YYYY-MM；一个文件只含一个月"),
    Column("worker_name", "姓名", imports.text, example="张三"),
    Column("resident_id", "公民身份号码", resident_id, example="110101199003074514"),
    Column("days_worked", "出勤天数", days, example="22"),
    Column(
        "amount_due",
        "应付工资（元）",
        imports.money,
        example="6500.00",
        help="扣除个人社保、个税等代扣款后应支付给工人的金额",
    ),
    Column("amount_paid", "实付工资（元）", imports.money, example="6500.00"),
    Column(
        "paid_to_own_account",
        "是否发放至本人账户",
        imports.yes_no,
        example="是",
        help="通过工资专用账户发放至工人本人银行账户填“是”",
    ),
)


@dataclass
class SheetTarget:
    project: ConstructionProject
    month: date


def _first(rows: list[ParsedRow], key: str):
    for row in rows:
        if row.values.get(key) not in (None, ""):
            return row, row.values[key]
    return None, None


def _this_month() -> date:
    return timezone.localdate().replace(day=1)


def resolve_target(actor, rows: list[ParsedRow]) -> tuple[SheetTarget | None, list[RowError]]:
    """The one project and month the sheet is about, or the errors that say why not."""
    errors: list[RowError] = []
    first_row, code = _first(rows, "project_code")
    _, sheet_month = _first(rows, "month")
    if first_row is None:
        return None, errors
    for row in rows:
        if row.values.get("project_code") not in (None, code):
            errors.append(RowError(row.number, "项目编号", "一个文件只能包含一个项目"))
        if row.values.get("month") not in (None, sheet_month):
            errors.append(RowError(row.number, "工资月份", "一个文件只能包含一个月份"))
    project = ConstructionProject.objects.select_related("unit").filter(code=code.upper()).first()
    # Unknown and out-of-reach projects read alike: the sheet learns nothing about others.
    if project is None or not services.can_upload_payroll(actor, project):
        errors.append(
            RowError(first_row.number, "项目编号", "项目编号不存在，或您无权上传该项目的工资")
        )
        return None, errors
    if sheet_month is None:
        return None, errors
    if sheet_month > _this_month():
        errors.append(RowError(first_row.number, "工资月份", "不能上传以后月份的工资"))
    if project.starts_on is None or sheet_month < project.starts_on.replace(day=1):
        errors.append(RowError(first_row.number, "工资月份", "早于项目开工月份"))
    if project.completed_on is not None and sheet_month > project.completed_on.replace(day=1):
        errors.append(RowError(first_row.number, "工资月份", "晚于项目竣工月份"))
    return SheetTarget(project, sheet_month), errors


def minimum_wage(project: ConstructionProject, on: date):
    """The monthly minimum wage of the project's unit on ``on`` (tier, then amount)."""
    tier = parameter_value("min_wage_tier", on, project.unit)
    return parameter_value(f"min_wage_monthly_tier{int(tier.value)}", on, project.unit)


class PayrollImporter(Importer):
    kind = "payroll"
    job_view = "wages:payroll_job_detail"
    title = "工资发放表"
    columns = COLUMNS

    def require_permission(self, actor) -> None:
        require_role(actor, *roles.PROJECT_EDITORS, roles.ENTERPRISE_USER)

    def check(self, actor, rows: list[ParsedRow]) -> list[RowError]:
        target, errors = resolve_target(actor, rows)
        seen: dict[str, int] = {}
        for row in rows:
            number = row.values.get("resident_id")
            if number in seen:
                errors.append(RowError(row.number, "公民身份号码", f"与第 {seen[number]} 行重复"))
            elif number:
                seen[number] = row.number
            due, paid = row.values.get("amount_due"), row.values.get("amount_paid")
            if due is not None and paid is not None and paid > due:
                errors.append(
                    RowError(row.number, "实付工资（元）", "实付工资大于应付工资，请核对")
                )
        if target is not None:
            try:
                minimum_wage(target.project, target.month)
            except ParameterMissing as exc:
                errors.append(RowError(1, "", str(exc)))
        return errors

    def commit(self, actor, rows: list[ParsedRow], job) -> int:
        target, errors = resolve_target(actor, rows)
        if target is None or errors:  # core re-checked just before: a guard, not a path
            raise PermissionDenied("工资发放表复核未通过。")
        wage = minimum_wage(target.project, target.month)
        settings = WageSettings.current()
        entries = [self._entry(row, wage.value, settings) for row in rows]
        services.store_payroll(
            actor,
            target.project,
            target.month,
            entries,
            minimum_wage=wage.value.quantize(CENT),
            minimum_wage_trace=wage.trace(),
            job=job,
        )
        return len(entries)

    @staticmethod
    def _entry(row: ParsedRow, wage: Decimal, settings: WageSettings) -> PayrollEntry:
        values = row.values
        worked = values["days_worked"]
        if settings.min_wage_pro_rata:
            share = min(worked / settings.standard_days_per_month, Decimal("1"))
        else:
            share = Decimal("1")
        minimum = (wage * share).quantize(CENT)
        return PayrollEntry(
            row_number=row.number,
            worker_name=values["worker_name"][:64],
            resident_id=values["resident_id"],
            resident_id_hash=blind_index(values["resident_id"]),
            days_worked=worked,
            amount_due=values["amount_due"],
            amount_paid=values["amount_paid"],
            paid_to_own_account=values["paid_to_own_account"],
            is_unpaid=values["amount_paid"] < values["amount_due"],
            is_below_minimum=worked > 0 and values["amount_due"] < minimum,
            minimum_applied=minimum if worked > 0 else None,
        )


PAYROLL = imports.register(PayrollImporter())
