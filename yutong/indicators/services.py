"""Changes to the indicators' settings and targets: city administrators only, audited, one
transaction each. Values are computed, never written (``engine.py``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yutong.core import audit, roles
from yutong.core.models import OrgUnit
from yutong.core.permissions import require_role, require_unit

from . import engine, tasks
from .definitions import BY_CODE, Option
from .models import Indicator, IndicatorReport, IndicatorTarget
from .periods import Period

STALE_MESSAGE = "该指标口径已被他人修改，请刷新后重试。"
EDITORS = (roles.CITY_ADMIN,)


def _clean_option(option: Option, raw):
    """The option's value from a form or JSON, or a Chinese message."""
    if option.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if str(raw).lower() in ("true", "1", "on", "yes"):
            return True
        if str(raw).lower() in ("false", "0", "off", "no", ""):
            return False
        raise ValueError("请选择是或否。")
    if option.kind == "choice":
        if raw not in dict(option.choices):
            raise ValueError("请从列表中选择：" + "、".join(label for _, label in option.choices))
        return raw
    if option.kind == "int":
        if isinstance(raw, bool):
            raise ValueError("请填写整数。")
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise ValueError("请填写整数。") from None
    else:
        if isinstance(raw, float):
            raise ValueError('请以字符串（如 "2.5"）提交。')
        try:
            value = Decimal(str(raw).strip())
        except InvalidOperation:
            raise ValueError("请填写数字。") from None
        if not value.is_finite():
            raise ValueError("请填写数字。")
    if option.minimum is not None and value < option.minimum:
        raise ValueError(f"不能小于 {option.minimum}。")
    if option.maximum is not None and value > option.maximum:
        raise ValueError(f"不能大于 {option.maximum}。")
    return str(value) if option.kind == "decimal" else value


@transaction.atomic
def update_settings(actor, indicator: Indicator, *, options: dict, expected_version: int):
    """Change some of an indicator's options; the others keep their values."""
    require_role(actor, *EDITORS)
    definition = BY_CODE[indicator.code]
    known = {option.name: option for option in definition.options}
    errors = {}
    cleaned = {}
    for name, raw in options.items():
        if name not in known:
            errors[name] = "该指标没有此项口径设置。"
            continue
        try:
            cleaned[name] = _clean_option(known[name], raw)
        except ValueError as exc:
            errors[name] = str(exc)
    if errors:
        raise ValidationError(errors)
    before = definition.defaults() | (indicator.options or {})
    after = before | cleaned
    changed = Indicator.objects.filter(pk=indicator.pk, version=expected_version).update(
        options=after, version=F("version") + 1, updated_at=timezone.now()
    )
    if not changed:
        raise ValidationError(STALE_MESSAGE, code="conflict")
    indicator.refresh_from_db()
    audit.record(actor, "update_indicator_settings", indicator, changes=audit.diff(before, after))
    return indicator


def _clean_target(value, year, unit) -> tuple[Decimal, int]:
    errors = {}
    try:
        number = Decimal(str(value).strip())
        if not number.is_finite() or not 0 <= number <= 100:
            raise InvalidOperation
        if -number.normalize().as_tuple().exponent > 2:
            errors["value"] = "目标值最多保留 2 位小数。"
    except (InvalidOperation, ValueError):
        errors["value"] = "目标值应为 0 至 100 之间的数字（百分比）。"
        number = Decimal(0)
    try:
        year = int(year)
        if not 2020 <= year <= 2100:
            raise ValueError
    except (TypeError, ValueError):
        errors["year"] = "年度应在 2020 至 2100 之间。"
    if unit is not None and unit.level == OrgUnit.Level.TOWNSHIP:
        errors["unit"] = "目标只能设在全市默认或区县级单位。"
    if errors:
        raise ValidationError(errors)
    return number, year


@transaction.atomic
def set_target(actor, indicator: Indicator, *, year, value, unit: OrgUnit | None = None, note=""):
    """The default target of a year (``unit`` None) or a unit's own target."""
    require_role(actor, *EDITORS)
    number, year = _clean_target(value, year, unit)
    # No ordering: the model's default joins the unit, and PostgreSQL cannot lock the
    # nullable side of an outer join.
    existing = (
        IndicatorTarget.objects.select_for_update(of=("self",))
        .filter(indicator=indicator, unit=unit, year=year)
        .order_by()
        .first()
    )
    before = {"value": existing.value, "note": existing.note} if existing else {}
    target = existing or IndicatorTarget(indicator=indicator, unit=unit, year=year)
    target.value, target.note = number, note.strip()[:200]
    target.save()
    after = {"value": target.value, "note": target.note}
    audit.record(
        actor, "set_indicator_target", target, unit=unit, changes=audit.diff(before, after)
    )
    return target


@transaction.atomic
def remove_target(actor, target: IndicatorTarget) -> None:
    """Drop a unit's own target: the unit carries the default again. Defaults stay."""
    require_role(actor, *EDITORS)
    if target.unit_id is None:
        raise ValidationError({"unit": "默认目标不能删除，只能修改。"})
    before = {"value": target.value, "note": target.note}
    audit.record(
        actor, "remove_indicator_target", target, unit=target.unit, changes=audit.diff(before, {})
    )
    target.delete()


# --- monthly reports ---------------------------------------------------------------------------

REQUESTERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF)


def _check(unit: OrgUnit, year: int, month: int, today: date) -> None:
    errors = {}
    if unit.level == OrgUnit.Level.TOWNSHIP:
        errors["unit"] = "月度报告按全市或区县级单位生成。"
    if not 1 <= month <= 12:
        errors["month"] = "月份应为 1 至 12。"
    elif date(year, month, 1) > today:
        errors["month"] = "该月尚未开始，不能生成月度报告。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def request_monthly_report(actor, unit: OrgUnit, year: int, month: int, *, today=None):
    """Record a request for a unit's monthly report and have the worker build it.

    ``actor`` None is the scheduler (the management command), which needs no role."""
    if actor is not None:
        require_role(actor, *REQUESTERS)
        require_unit(actor, unit)
    today = today or timezone.localdate()
    _check(unit, year, month, today)
    report = IndicatorReport.objects.create(unit=unit, year=year, month=month, requested_by=actor)
    audit.record(
        actor,
        "request_indicator_report",
        report,
        changes={"report": [None, f"{unit.name} {year}-{month:02d}"]},
    )
    transaction.on_commit(lambda: tasks.generate_monthly_report.enqueue(report.pk))
    return report


def enqueue_monthly_reports(year: int, month: int, *, today=None, force=False):
    """A report for the city and every district-level unit of that month, each once (one
    already waiting or ready is left alone unless ``force``). Returns the reports queued."""
    today = today or timezone.localdate()
    period = Period(year, month=month)
    _check(OrgUnit(level=OrgUnit.Level.CITY), year, month, today)
    units = engine.units_listed(period, engine.RECORDED, today)
    done = set(
        IndicatorReport.objects.filter(
            unit__in=units,
            year=year,
            month=month,
            status__in=[IndicatorReport.Status.PENDING, IndicatorReport.Status.READY],
        ).values_list("unit_id", flat=True)
    )
    return [
        request_monthly_report(None, unit, year, month, today=today)
        for unit in units
        if force or unit.pk not in done
    ]
