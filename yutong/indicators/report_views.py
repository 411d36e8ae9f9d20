"""Reports of the indicators: the Excel workbook (a unit and year, a sheet per indicator) and
the printable PDF (a unit and period), made on request; the monthly reports built in the
background and kept to download (``tasks.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_POST

from yutong.core.models import OrgUnit
from yutong.core.pagination import paginate
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors

from . import engine, reports, services, tasks
from .forms import MonthlyReportForm, SelectionForm, default_unit
from .models import IndicatorReport
from .periods import Period
from .views import READERS, _tabs, url

TEMPLATE = "indicators/reports.html"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request, *, selection_form=None, report_form=None, status=200):
    require_role(request.user, *READERS)
    today = timezone.localdate()
    if selection_form is None:
        selection_form = SelectionForm(QueryDict(), user=request.user, today=today)
    selection_form.set_units(engine.units_listed(Period(today.year), engine.RECORDED, today))
    if report_form is None:
        year, month = tasks.last_month(today)
        unit = default_unit(request.user)
        report_form = MonthlyReportForm(
            initial={"unit": unit.code if unit else "", "year": year, "month": month},
            today=today,
        )
    found = IndicatorReport.objects.select_related("unit", "requested_by")
    unit_code = request.GET.get("report_unit") or ""
    if unit_code:
        found = found.filter(unit__code=unit_code)
    context = paginate(request, found.order_by("-created_at", "-id"), per_page=20)
    context.update(
        form=selection_form,
        report_form=report_form,
        can_request=can(request.user, *services.REQUESTERS),
        report_unit=unit_code,
        report_units=OrgUnit.objects.exclude(level=OrgUnit.Level.TOWNSHIP).order_by(
            "level", "code"
        ),
        tabs=_tabs(TEMPLATE, None),
    )
    return render(request, TEMPLATE, context, status=status)


@login_required
@require_GET
def report_list(request):
    return _page(request)


def _selection(request):
    require_role(request.user, *READERS)
    today = timezone.localdate()
    form = SelectionForm(request.GET, user=request.user, today=today)
    if not form.is_valid():
        return None, today, _page(request, selection_form=form, status=400)
    return form.selection, today, None


@login_required
@require_GET
def workbook(request):
    """The Excel workbook of a unit and year (the year's months to date)."""
    selection, today, error = _selection(request)
    if error:
        return error
    book = reports.build_workbook(
        selection.unit, selection.period.year, basis=selection.basis, today=today
    )
    response = HttpResponse(reports.workbook_bytes(book), content_type=XLSX)
    filename = reports.workbook_filename(selection.unit, selection.period.year)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def pdf(request):
    """The printable PDF of a unit and period."""
    selection, today, error = _selection(request)
    if error:
        return error
    report = reports.pdf_report(
        selection.unit, selection.period, basis=selection.basis, today=today
    )
    content = reports.render_pdf(report)
    response = HttpResponse(content, content_type="application/pdf")
    filename = reports.pdf_filename(selection.unit, selection.period)
    response["Content-Disposition"] = content_disposition_header(False, filename)
    return response


@login_required
@require_POST
def request_report(request):
    require_role(request.user, *services.REQUESTERS)
    today = timezone.localdate()
    form = MonthlyReportForm(request.POST, today=today)
    if not form.is_valid():
        return _page(request, report_form=form, status=400)
    data = form.cleaned_data
    try:
        report = services.request_monthly_report(
            request.user, data["unit"], data["year"], data["month"], today=today
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, report_form=form, status=400)
    messages.success(
        request,
        f"已提交 {report.unit.name} {report.year} 年 {report.month} 月的月度报告，"
        "生成后可在下表下载。",
    )
    return redirect(url("report_list"))


@login_required
@require_GET
def download(request, pk: int):
    require_role(request.user, *READERS)
    report = get_object_or_404(IndicatorReport.objects.select_related("unit"), pk=pk)
    if report.status != IndicatorReport.Status.READY or not report.file:
        raise Http404("该报告尚未生成。")
    filename = reports.workbook_filename(report.unit, report.year, report.month)
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=filename, content_type=XLSX
    )
