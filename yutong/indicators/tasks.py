"""The monthly report, generated in the background (``django-tasks``; the database backend by
default, ``yutong worker`` runs it) and stored as an ``IndicatorReport`` to download.

A report is asked for only through ``services.request_monthly_report`` (page, command), which
checks the role and unit, records the request with its audit entry and enqueues this task once
the row is committed, so the worker always finds it. The run ends the report as ready or failed
and, in the same transaction, tells the person who asked for it (站内信 with a link to the
report in the list); a report the scheduler asked for tells no one.
"""

from __future__ import annotations

import logging
from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django_tasks import task

from yutong.core import inbox

from . import reports
from .models import IndicatorReport

logger = logging.getLogger(__name__)

FAILED_MESSAGE = "生成失败，请稍后重试或联系管理员。"


def last_month(today: date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def report_url(report: IndicatorReport) -> str:
    """The report's row in the list of monthly reports (filtered to its unit)."""
    query = urlencode({"report_unit": report.unit.code})
    return f"{reverse('indicators:report_list')}?{query}#report-{report.pk}"


def _finish(report: IndicatorReport, status: str, message: str, **fields) -> None:
    """Write the outcome, once: of two runs of the same task only the first ends the report
    (and sends the message); the requester hears of it in the same transaction."""
    with transaction.atomic():
        ended = IndicatorReport.objects.filter(
            pk=report.pk, status=IndicatorReport.Status.PENDING
        ).update(status=status, message=message, finished_at=timezone.now(), **fields)
        if not ended:
            return
        label = f"{report.unit.name} {report.year} 年 {report.month} 月主要指标月度报告"
        inbox.send(
            [report.requested_by_id],
            inbox.Kind.JOB,
            f"{label}已生成" if status == IndicatorReport.Status.READY else f"{label}生成失败",
            url=report_url(report),
            body=message,
            key=f"indicator-report:{report.pk}:{status}",
        )


@task()
def generate_monthly_report(report_id: int) -> None:
    report = IndicatorReport.objects.select_related("unit").get(pk=report_id)
    if report.status != IndicatorReport.Status.PENDING:
        return  # a task run twice does the work once
    today = timezone.localdate()
    try:
        content = reports.build_monthly_report(report.unit, report.year, report.month, today)
        name = reports.workbook_filename(report.unit, report.year, report.month)
        report.file.save(name, ContentFile(content), save=False)
    except Exception:
        logger.exception("indicator report %s failed", report.pk)
        _finish(report, IndicatorReport.Status.FAILED, FAILED_MESSAGE)
        return
    until = reports.monthly_report_day(report.year, report.month, today)
    _finish(
        report,
        IndicatorReport.Status.READY,
        f"数据截至 {until.isoformat()}，按当时单位统计。",
        file=report.file.name,
    )


@task()
def rebuild_counts(member: str | None = None) -> None:
    """Rebuild the kept counts of a stock indicator's member (all by default), e.g. after a
    threshold setting changed; the pages compute from the records until it is done."""
    from . import ledger

    ledger.rebuild(member)
