"""Changes of state for wages: the safeguards of a project, the settings and the colour rules.
Every function checks permission, validates, writes, audits and refreshes the project's wage
code in one transaction. Payroll uploads go through ``importers.PayrollImporter`` (the core
import mechanism), which calls ``store_payroll`` here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from yutong.core import audit, roles
from yutong.core.permissions import can, require_record, require_role
from yutong.registry import queries as registry_queries
from yutong.registry.models import ConstructionProject

from . import facts, rules
from .models import (
    DepositForm,
    NoticeItem,
    PayrollEntry,
    PayrollMonth,
    SafeguardKind,
    WageCode,
    WageCodeRule,
    WageDeposit,
    WageSafeguard,
    WageSettings,
)

CONFLICT = "该记录已被他人修改，请刷新页面查看最新内容后再保存。"
SETTINGS_EDITORS = (roles.CITY_ADMIN,)


# --- permission -----------------------------------------------------------------------------


def require_project_editor(actor, project: ConstructionProject) -> None:
    require_role(actor, *roles.PROJECT_EDITORS)
    require_record(actor, project)


def can_upload_payroll(actor, project: ConstructionProject) -> bool:
    """Project editors of the project's units, and the general contractor's own account."""
    if registry_queries.projects_editable_by(actor).filter(pk=project.pk).exists():
        return True
    return registry_queries.projects_contracted_by(actor).filter(pk=project.pk).exists()


def require_payroll_uploader(actor, project: ConstructionProject) -> None:
    if not can_upload_payroll(actor, project):
        raise PermissionDenied("您不能上传该项目的工资发放记录。")


# --- the wage code ---------------------------------------------------------------------------


def refresh_wage_code(project: ConstructionProject, today: date | None = None) -> WageCode:
    """Recompute one project's stored colour (inside the caller's transaction)."""
    facts.recompute([project.pk], today=today)
    return WageCode.objects.get(project_id=project.pk)


@task()
def recompute_all_task() -> int:
    return facts.recompute()


def _recompute_all_later() -> None:
    transaction.on_commit(lambda: recompute_all_task.enqueue())


# --- the wage deposit ----------------------------------------------------------------------


def requirement_for(project: ConstructionProject, today: date | None = None) -> rules.Requirement:
    today = today or timezone.localdate()
    record = facts.contractor_records([project.general_contractor_id])[
        project.general_contractor_id
    ]
    return rules.deposit_requirement(project.contract_amount, record, WageSettings.current(), today)


def _deposit_snapshot(deposit: WageDeposit | None) -> dict:
    if deposit is None:
        return {}
    return {
        "form": deposit.get_form_display(),
        "amount": deposit.amount,
        "deposited_on": deposit.deposited_on,
        "issuer": deposit.issuer,
        "reference": deposit.reference,
        "expires_on": deposit.expires_on,
        "required_amount": deposit.required_amount,
    }


@transaction.atomic
def record_deposit(
    actor,
    project: ConstructionProject,
    *,
    form: str,
    amount: Decimal,
    deposited_on: date,
    issuer: str,
    reference: str = "",
    expires_on: date | None = None,
    expected_version: int | None = None,
) -> WageDeposit:
    """Record (or correct) the project's wage deposit, with the requirement as of today."""
    require_project_editor(actor, project)
    errors = {}
    if form not in DepositForm.values:
        errors["form"] = "请选择存储形式：现金、银行保函或工程保证保险。"
    if amount is None or amount <= 0:
        errors["amount"] = "金额应大于 0。"
    today = timezone.localdate()
    if deposited_on is None:
        errors["deposited_on"] = "请填写存储（出具）日期。"
    elif deposited_on > today:
        errors["deposited_on"] = "存储日期不能晚于今天。"
    if not (issuer or "").strip():
        errors["issuer"] = "请填写存储银行或出具保函（保险）的机构。"
    if form == DepositForm.CASH and expires_on is not None:
        errors["expires_on"] = "现金存储没有有效期。"
    if form != DepositForm.CASH and form in DepositForm.values and expires_on is None:
        errors["expires_on"] = "保函（保单）请填写有效期。"
    if expires_on is not None and deposited_on is not None and expires_on <= deposited_on:
        errors["expires_on"] = "有效期应晚于出具日期。"
    if errors:
        raise ValidationError(errors)
    current = WageDeposit.objects.select_for_update().filter(project=project).first()
    if current is not None and expected_version is not None and current.version != expected_version:
        raise ValidationError(CONFLICT, code="conflict")
    before = _deposit_snapshot(current)
    need = requirement_for(project, today)
    deposit = current or WageDeposit(project=project)
    deposit.form, deposit.amount, deposit.deposited_on = form, amount, deposited_on
    deposit.issuer, deposit.reference = issuer.strip(), (reference or "").strip()
    deposit.expires_on = expires_on
    deposit.required_amount, deposit.required_rate = need.amount, need.rate
    deposit.exempt, deposit.trace = need.exempt, need.trace
    deposit.recorded_by, deposit.recorded_at = actor, timezone.now()
    if current is not None:
        deposit.version = F("version") + 1
    deposit.save()
    deposit.refresh_from_db()
    audit.record(
        actor,
        "record_wage_deposit",
        project,
        changes=audit.diff(before, _deposit_snapshot(deposit)),
    )
    refresh_wage_code(project, today)
    return deposit


# --- the three systems and the notice board ------------------------------------------------


def _safeguard_snapshot(safeguard: WageSafeguard | None) -> dict:
    if safeguard is None:
        return {}
    number = safeguard.account_number or ""
    return {
        "in_place_since": safeguard.in_place_since,
        "bank_name": safeguard.bank_name,
        "account_number": mask_account(number),
        "pay_day": safeguard.pay_day,
        "notice_items": "、".join(
            NoticeItem(code).label for code in safeguard.notice_items if code in NoticeItem.values
        ),
        "note": safeguard.note,
    }


def mask_account(number: str) -> str:
    number = (number or "").replace(" ", "")
    if not number:
        return ""
    return "*" * max(0, len(number) - 4) + number[-4:]


def _check_safeguard(kind, in_place_since, bank_name, account_number, pay_day, notice_items):
    errors = {}
    if kind not in SafeguardKind.values:
        errors["kind"] = "未知的保障措施。"
    if in_place_since is None:
        errors["in_place_since"] = "请填写落实日期。"
    elif in_place_since > timezone.localdate():
        errors["in_place_since"] = "落实日期不能晚于今天。"
    if kind == SafeguardKind.WAGE_ACCOUNT:
        if not (bank_name or "").strip():
            errors["bank_name"] = "请填写开户银行。"
        digits = (account_number or "").replace(" ", "")
        if not (digits.isdigit() and 8 <= len(digits) <= 32):
            errors["account_number"] = "专用账户账号应为 8 至 32 位数字。"
    if kind == SafeguardKind.BANK_PAYROLL and pay_day is None:
        errors["pay_day"] = "请填写每月工资支付日（公示在告示牌上）。"
    if pay_day is not None and not 1 <= pay_day <= 31:
        errors["pay_day"] = "工资支付日应在 1 至 31 之间。"
    unknown = [item for item in notice_items or () if item not in NoticeItem.values]
    if unknown:
        errors["notice_items"] = "未知的公示内容：" + "、".join(unknown)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def record_safeguard(
    actor,
    project: ConstructionProject,
    kind: str,
    *,
    in_place_since: date,
    bank_name: str = "",
    account_number: str = "",
    pay_day: int | None = None,
    notice_items=(),
    note: str = "",
    expected_version: int | None = None,
) -> WageSafeguard:
    """Record that a safeguard is in place (or correct the record); the notice board keeps the
    list of required contents found on it."""
    require_project_editor(actor, project)
    _check_safeguard(kind, in_place_since, bank_name, account_number, pay_day, notice_items)
    current = WageSafeguard.objects.select_for_update().filter(project=project, kind=kind).first()
    if current is not None and expected_version is not None and current.version != expected_version:
        raise ValidationError(CONFLICT, code="conflict")
    before = _safeguard_snapshot(current)
    safeguard = current or WageSafeguard(project=project, kind=kind)
    safeguard.in_place_since = in_place_since
    keeps_account = kind == SafeguardKind.WAGE_ACCOUNT
    safeguard.bank_name = (bank_name or "").strip() if keeps_account else ""
    safeguard.account_number = (account_number or "").replace(" ", "") if keeps_account else ""
    safeguard.pay_day = pay_day if kind == SafeguardKind.BANK_PAYROLL else None
    ordered = [code for code in NoticeItem.values if code in set(notice_items or ())]
    safeguard.notice_items = ordered if kind == SafeguardKind.NOTICE_BOARD else []
    safeguard.note = (note or "").strip()[:200]
    safeguard.recorded_by, safeguard.recorded_at = actor, timezone.now()
    if current is not None:
        safeguard.version = F("version") + 1
    safeguard.save()
    safeguard.refresh_from_db()
    audit.record(
        actor,
        f"record_{kind}",
        project,
        changes=audit.diff(before, _safeguard_snapshot(safeguard)),
    )
    refresh_wage_code(project)
    return safeguard


# --- payroll (called by the importer inside the import's transaction) -----------------------


def store_payroll(
    actor,
    project: ConstructionProject,
    month: date,
    entries: list[PayrollEntry],
    *,
    minimum_wage: Decimal | None,
    minimum_wage_trace: str,
    job=None,
) -> PayrollMonth:
    """Replace the project's payroll of ``month`` with ``entries`` (already checked and
    flagged); one upload per project and month stands."""
    require_payroll_uploader(actor, project)
    previous = PayrollMonth.objects.filter(project=project, month=month).first()
    before = (
        {
            "workers": previous.worker_count,
            "total_due": previous.total_due,
            "total_paid": previous.total_paid,
        }
        if previous
        else {}
    )
    if previous is not None:
        previous.delete()
    payroll = PayrollMonth.objects.create(
        project=project,
        month=month,
        import_job=job,
        uploaded_by=actor,
        worker_count=len(entries),
        total_due=sum((e.amount_due for e in entries), Decimal("0")),
        total_paid=sum((e.amount_paid for e in entries), Decimal("0")),
        unpaid_count=sum(1 for e in entries if e.is_unpaid),
        below_minimum_count=sum(1 for e in entries if e.is_below_minimum),
        not_own_account_count=sum(1 for e in entries if not e.paid_to_own_account),
        minimum_wage=minimum_wage,
        minimum_wage_trace=minimum_wage_trace[:300],
    )
    for entry in entries:
        entry.payroll = payroll
    PayrollEntry.objects.bulk_create(entries, batch_size=1000)
    after = {
        "workers": payroll.worker_count,
        "total_due": payroll.total_due,
        "total_paid": payroll.total_paid,
    }
    audit.record(
        actor,
        "replace_payroll" if previous else "upload_payroll",
        project,
        changes={"month": [None, f"{month:%Y-%m}"], **audit.diff(before, after)},
    )
    refresh_wage_code(project)
    return payroll


# --- settings and rules (city administrator) ------------------------------------------------

SETTINGS_FIELDS = tuple(
    f.name
    for f in WageSettings._meta.concrete_fields
    if f.editable and f.name not in ("id", "version", "updated_at")
)


@transaction.atomic
def update_settings(actor, *, expected_version: int | None = None, **changes) -> WageSettings:
    require_role(actor, *SETTINGS_EDITORS)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationError({field: "该字段不能修改。" for field in unknown})
    WageSettings.current()
    current = WageSettings.objects.select_for_update().get(pk=1)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(CONFLICT, code="conflict")
    before = {name: getattr(current, name) for name in SETTINGS_FIELDS}
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    _check_rates(current)
    after = {name: getattr(current, name) for name in SETTINGS_FIELDS}
    delta = audit.diff(before, after)
    if delta:
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db()
        audit.record(actor, "update_wage_settings", current, changes=delta)
        _recompute_all_later()
    return current


def _check_rates(settings: WageSettings) -> None:
    errors = {}
    for name in ("deposit_base_rate", "deposit_reduced_rate", "deposit_raised_rate"):
        value = getattr(settings, name)
        if value < settings.deposit_floor_rate:
            errors[name] = f"不得低于保证金最低比例 {settings.deposit_floor_rate}%。"
        elif value > Decimal("100"):
            errors[name] = "比例不能超过 100%。"
    if settings.deposit_floor_rate <= 0:
        errors["deposit_floor_rate"] = "最低比例应大于 0。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_rule(
    actor,
    rule: WageCodeRule,
    *,
    colour: str,
    threshold: int,
    expected_version: int | None = None,
) -> WageCodeRule:
    require_role(actor, *SETTINGS_EDITORS)
    errors = {}
    if colour not in WageCodeRule.RuleColour.values:
        errors["colour"] = "请选择黄码、红码或不启用。"
    if threshold is None or threshold < 0:
        errors["threshold"] = "阈值应为非负整数。"
    if errors:
        raise ValidationError(errors)
    current = WageCodeRule.objects.select_for_update().get(pk=rule.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(CONFLICT, code="conflict")
    before = {"colour": current.get_colour_display(), "threshold": current.threshold}
    current.colour, current.threshold = colour, threshold
    after = {"colour": current.get_colour_display(), "threshold": current.threshold}
    delta = audit.diff(before, after)
    if delta:
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db()
        audit.record(actor, "update_wage_code_rule", current, changes=delta)
        _recompute_all_later()
    return current


def can_edit_settings(user) -> bool:
    return can(user, *SETTINGS_EDITORS)
