"""The monthly report, generated in the background (``django-tasks``; the database backend by
default, ``yutong worker`` runs it) and stored as an ``IndicatorReport`` to download.

A report is asked for only through ``services.request_monthly_report`` (page, command), which
checks the role and unit, records the request with its audit entry and enqueues this task once
the row is committed, so the worker always finds it.
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks import task

from . import reports
from .models import IndicatorReport

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "生成失败，请稍后重试或联系管理员。"


def last_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


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
