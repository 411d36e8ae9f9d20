"""The monthly report, generated in the background (``django-tasks``; the database backend by
default, ``yutong db_worker`` runs it) and stored as an ``IndicatorReport`` to download.

``request_monthly_report`` is the one way a report is asked for (page, command): it checks the
role, records the request with its audit entry in one transaction and enqueues the task once
the row is committed, so the worker always finds it.
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from yutong.core import audit, roles
from yutong.core.models import OrgUnit
from yutong.core.permissions import require_role

from . import engine, reports
from .models import IndicatorReport
from .periods import Period

logger = logging.getLogger(__name__)

REQUESTERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF)
FAILED_MESSAGE = "生成失败，请稍后重试或联系管理员。"


def last_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


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
    today = today or timezone.localdate()
    _check(unit, year, month, today)
    report = IndicatorReport.objects.create(unit=unit, year=year, month=month, requested_by=actor)
    audit.record(
        actor,
        "request_indicator_report",
        report,
        changes={"report": [None, f"{unit.name} {year}-{month:02d}"]},
    )
    transaction.on_commit(lambda: generate_monthly_report.enqueue(report.pk))
    return report


@task()
def generate_monthly_report(report_id: int) -> None:
    report = IndicatorReport.objects.select_related("unit").get(pk=report_id)
    if report.status == IndicatorReport.Status.READY:
        return  # a task run twice does the work once
    today = timezone.localdate()
    try:
        content = reports.build_monthly_report(report.unit, report.year, report.month, today)
        name = reports.workbook_filename(report.unit, report.year, report.month)
        report.file.save(name, ContentFile(content), save=False)
    except Exception:
        logger.exception("indicator report %s failed", report.pk)
        IndicatorReport.objects.filter(pk=report.pk).update(
            status=IndicatorReport.Status.FAILED,
            message=FAILED_MESSAGE,
            finished_at=timezone.now(),
        )
        return
    until = reports.monthly_report_day(report.year, report.month, today)
    report.status = IndicatorReport.Status.READY
    report.message = f"数据截至 {until.isoformat()}，按当时单位统计。"
    report.finished_at = timezone.now()
    report.save(update_fields=["file", "status", "message", "finished_at"])


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
