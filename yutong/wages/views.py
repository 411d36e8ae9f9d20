"""The HTML side of wages: the project panel and safeguards page, payroll upload and months,
the printable rights notice board, the public wage-code page with its QR code, and the
settings pages. Thin: every change is one service call, every read a scoped query; a project
outside the reader's scope is a 404."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from yutong.core import exports, generic, imports, roles
from yutong.core.import_pages import ImportPages
from yutong.core.permissions import can, require_role
from yutong.core.personal import mask_resident_id
from yutong.core.viewutils import (
    add_service_errors,
)
from yutong.registry import queries as registry_queries
from yutong.registry.models import ConstructionProject

from . import queries, services
from .api import PublicThrottle
from .forms import (
    PayrollUploadForm,
    SafeguardForm,
    WageCodeRuleForm,
    WageDepositForm,
    WageSettingsForm,
)
from .importers import PAYROLL, PayrollImporter
from .models import NoticeItem, PayrollMonth, SafeguardKind, WageCodeRule, WageSettings
from .rules import expected_months, missing_months
from .services import mask_account

READERS = (*roles.STAFF_ROLES, roles.ENTERPRISE_USER)


def _visible_project(request, pk) -> ConstructionProject:
    require_role(request.user, *READERS)
    return get_object_or_404(registry_queries.projects_visible_to(request.user), pk=pk)


def _missing(project) -> list:
    from .facts import project_facts

    row = {
        "id": project.pk,
        "status": project.status,
        "starts_on": project.starts_on,
        "completed_on": project.completed_on,
        "contract_amount": project.contract_amount,
        "general_contractor_id": project.general_contractor_id,
    }
    today = timezone.localdate()
    facts = project_facts([row], today)[project.pk]
    return missing_months(facts, today), len(expected_months(facts, today))


def project_panel(request, project) -> str:
    """The wage block of the registry's project page."""
    missing, expected = _missing(project)
    found = queries.safeguards_of(project)
    context = {
        "project": project,
        "code": queries.wage_code_of(project),
        "deposit": queries.deposit_of(project),
        "safeguard_rows": [(label, found.get(kind)) for kind, label in SafeguardKind.choices],
        "months": queries.payroll_months(project)[:12],
        "missing": missing,
        "expected": expected,
        "can_edit": registry_queries.projects_editable_by(request.user)
        .filter(pk=project.pk)
        .exists(),
        "can_upload": services.can_upload_payroll(request.user, project),
        "can_read_payroll": queries.can_read_payroll(request.user, project),
    }
    return render_to_string("wages/_project_panel.html", context, request=request)


# --- safeguards -----------------------------------------------------------------------------


def _deposit_form(deposit, data=None):
    initial = {}
    if deposit is not None:
        initial = {
            "version": deposit.version,
            "form": deposit.form,
            "amount": deposit.amount,
            "deposited_on": deposit.deposited_on,
            "issuer": deposit.issuer,
            "reference": deposit.reference,
            "expires_on": deposit.expires_on,
        }
    return WageDepositForm(data, initial=initial, prefix="deposit")


def _safeguard_form(kind, safeguard, data=None):
    initial = {}
    if safeguard is not None:
        initial = {
            "version": safeguard.version,
            "in_place_since": safeguard.in_place_since,
            "bank_name": safeguard.bank_name,
            "pay_day": safeguard.pay_day,
            "notice_items": safeguard.notice_items,
            "note": safeguard.note,
        }
    return SafeguardForm(data, initial=initial, kind=kind, prefix=kind)


@login_required
def safeguards(request, pk):
    """Record the deposit and the three systems and the notice board of a project."""
    require_role(request.user, *roles.PROJECT_EDITORS)
    project = get_object_or_404(registry_queries.projects_editable_by(request.user), pk=pk)
    project = registry_queries.projects_visible_to(request.user).get(pk=project.pk)
    deposit = queries.deposit_of(project)
    found = queries.safeguards_of(project)
    posted = request.POST.get("section") if request.method == "POST" else None
    deposit_form = _deposit_form(deposit, request.POST if posted == "deposit" else None)
    forms = {
        kind: _safeguard_form(kind, found.get(kind), request.POST if posted == kind else None)
        for kind in SafeguardKind.values
    }
    if posted == "deposit" and deposit_form.is_valid():
        data = dict(deposit_form.cleaned_data)
        version = data.pop("version")
        try:
            services.record_deposit(request.user, project, expected_version=version, **data)
        except ValidationError as exc:
            add_service_errors(deposit_form, exc)
        else:
            messages.success(request, "已登记工资保证金。")
            return redirect("wages:safeguards", pk=project.pk)
    elif posted in forms and forms[posted].is_valid():
        data = dict(forms[posted].cleaned_data)
        version = data.pop("version")
        try:
            services.record_safeguard(
                request.user, project, posted, expected_version=version, **data
            )
        except ValidationError as exc:
            add_service_errors(forms[posted], exc)
        else:
            messages.success(request, f"已登记{SafeguardKind(posted).label}。")
            return redirect("wages:safeguards", pk=project.pk)
    sections = [
        {
            "kind": kind,
            "label": label,
            "form": forms[kind],
            "record": found.get(kind),
            "masked_account": mask_account(found[kind].account_number) if kind in found else "",
        }
        for kind, label in SafeguardKind.choices
    ]
    return render(
        request,
        "wages/safeguards.html",
        {
            "project": project,
            "deposit": deposit,
            "deposit_form": deposit_form,
            "requirement": services.requirement_for(project),
            "sections": sections,
            "posted": posted,
        },
    )


# --- payroll ----------------------------------------------------------------------------------


def _readable_payroll_project(request, pk) -> ConstructionProject:
    project = _visible_project(request, pk)
    if not queries.can_read_payroll(request.user, project):
        raise PermissionDenied("您不能查看该项目的工资发放记录。")
    return project


@login_required
def payroll(request, pk):
    """The months uploaded, the months missing, and the upload of a month's sheet."""
    project = _readable_payroll_project(request, pk)
    can_upload = services.can_upload_payroll(request.user, project)
    form = PayrollUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not can_upload:
            raise PermissionDenied("您不能上传该项目的工资发放记录。")
        if form.is_valid():
            try:
                job = imports.upload(request.user, PAYROLL.kind, form.cleaned_data["file"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("wages:payroll_job_detail", pk=job.pk)
    missing, expected = _missing(project)
    return render(
        request,
        "wages/payroll.html",
        {
            "project": project,
            "form": form,
            "can_upload": can_upload,
            "months": queries.payroll_months(project),
            "missing": missing,
            "expected": expected,
            "columns": PAYROLL.columns,
            "jobs": imports.jobs_visible_to(request.user, PAYROLL.kind)[:10],
        },
    )


@login_required
def payroll_month(request, pk, month):
    project = _readable_payroll_project(request, pk)
    try:
        first = date.fromisoformat(f"{month}-01")
    except ValueError:
        raise Http404 from None
    payroll = get_object_or_404(
        PayrollMonth.objects.select_related("uploaded_by"), project=project, month=first
    )
    entries = [
        {
            "row": e.row_number,
            "name": e.worker_name,
            "resident_id": mask_resident_id(e.resident_id),
            "days": e.days_worked,
            "due": e.amount_due,
            "paid": e.amount_paid,
            "own": e.paid_to_own_account,
            "unpaid": e.is_unpaid,
            "below": e.is_below_minimum,
            "minimum": e.minimum_applied,
        }
        for e in payroll.entries.order_by("row_number")
    ]
    return render(
        request,
        "wages/payroll_month.html",
        {"project": project, "payroll": payroll, "entries": entries},
    )


@login_required
def payroll_template(request, pk):
    """The sheet to fill in, with the project code and last month already filled in."""
    project = _readable_payroll_project(request, pk)
    last_month = timezone.localdate().replace(day=1) - timedelta(days=1)
    headers = [column.header for column in PAYROLL.columns]
    example = [project.code, f"{last_month:%Y-%m}", "", "", "", "", "", "是"]
    return exports.xlsx_response(
        f"工资发放表-{project.code}.xlsx", "工资发放表", headers, [example]
    )


def _project_of_job(job):
    months = PayrollMonth.objects.filter(import_job=job).select_related("project")
    found = months.first()
    return found.project if found else None


class PayrollJobPages(ImportPages):
    """A payroll sheet's job: uploaded on its project's payroll page, its report shows the
    project, and a cancelled job stays on its page (there is no list of payroll jobs)."""

    detail_template = "wages/payroll_job.html"

    def job_context(self, job):
        project = _project_of_job(job)
        if project is None:
            return {"project": None}
        back = reverse("registry:project_detail", args=[project.pk])
        return {
            "project": project,
            "back": {"url": back, "label": "返回项目", "testid": "back-to-project"},
        }

    def after_cancel(self, job):
        return reverse(self.url_name("detail"), args=[job.pk])


PAYROLL_JOBS = PayrollJobPages(
    PayrollImporter,
    editors=(*roles.PROJECT_EDITORS, roles.ENTERPRISE_USER),
    title="工资发放表",
    sheet_title="工资发放表",
    namespace="wages",
    name="payroll_job",
    records="registry:project_list",
    records_label="查看工程建设项目",
)


# --- the rights notice board, the public page and the QR code --------------------------------


def public_url(request, project) -> str:
    return request.build_absolute_uri(reverse("wages:public_code", args=[project.pk]))


def complaint_url(project=None) -> str:
    """The public complaint form of the inspection app, if it is there; for a project, filled
    in with its district, its general contractor (first liable, 条例 Art.30), itself and the
    wage-arrears type."""
    try:
        url = reverse("inspection:complain")
    except NoReverseMatch:
        return ""
    if project is None:
        return url
    params = {
        "district": project.unit.code,
        "employer": project.general_contractor.name,
        "project": project.code,
        "arrears": "1",
    }
    return f"{url}?{urlencode(params)}"


@login_required
def notice_board(request, pk):
    """The rights notice board for the site, printed from the project's records."""
    project = _visible_project(request, pk)
    info = queries.rights_information(project)
    return render(
        request,
        "wages/notice_board.html",
        {
            "project": project,
            "info": info,
            "qr": _qr_svg(public_url(request, project), scale=4),
            "public_url": public_url(request, project),
        },
    )


def _qr_svg(url: str, scale: int = 6) -> str:
    return segno.make(url, error="m").svg_inline(scale=scale, dark="#000", light="#fff")


def _throttled(request) -> bool:
    return not PublicThrottle().allow_request(request, None)


@require_GET
@cache_control(public=True, max_age=300)
def public_code(request, pk):
    """The public page a QR code opens: no login, no personal data."""
    if _throttled(request):
        return render(request, "wages/public_throttled.html", status=429)
    project = queries.public_project(pk)
    if project is None:
        raise Http404
    code = getattr(project, "wage_code", None)
    return render(
        request,
        "wages/public_code.html",
        {
            "project": project,
            "code": code,
            "info": queries.rights_information(project),
            "complaint_url": complaint_url(project),
            "rules": WageCodeRule.objects.exclude(colour=WageCodeRule.RuleColour.OFF),
        },
    )


@require_GET
@cache_control(public=True, max_age=3600)
def public_qr(request, pk):
    if _throttled(request):
        return HttpResponse(status=429)
    project = queries.public_project(pk)
    if project is None:
        raise Http404
    svg = segno.make(public_url(request, project), error="m")
    response = HttpResponse(content_type="image/svg+xml")
    svg.save(response, kind="svg", scale=8, border=2)
    return response


# --- settings ---------------------------------------------------------------------------------


@login_required
def settings_page(request):
    require_role(request.user, *roles.STAFF_ROLES)
    current = WageSettings.current()
    return render(
        request,
        "wages/settings.html",
        {
            "settings": current,
            # (label, value, help, whether the value is an amount of yuan, shown as money)
            "fields": [
                (f.verbose_name, getattr(current, f.name), f.help_text, "（元" in f.verbose_name)
                for f in WageSettings._meta.concrete_fields
                if f.name in services.SETTINGS_FIELDS
            ],
            "rules": WageCodeRule.objects.all(),
            "can_edit": services.can_edit_settings(request.user),
            "notice_items": NoticeItem.choices,
        },
    )


class SettingsEdit(generic.ObjectEditView):
    """The one row of deposit rates and limits (rules §4.3)."""

    editors = services.SETTINGS_EDITORS
    form_class = WageSettingsForm
    template_name = "wages/settings_form.html"
    success_message = "已保存，渝薪码将按新参数重新计算。"

    def get_object(self, request):
        return WageSettings.current()

    def get_form_kwargs(self, request, current):
        return {"instance": current}

    def save(self, request, form, current):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.update_settings(request.user, expected_version=version, **data)

    def get_success_url(self, saved):
        return reverse("wages:settings")

    def get_context(self, request, form, current):
        return {"title": "根治欠薪参数"}


class RuleEdit(generic.ObjectEditView):
    """One colour rule of the wage code (rules §10): its colour and threshold."""

    editors = services.SETTINGS_EDITORS
    form_class = WageCodeRuleForm
    template_name = "wages/settings_form.html"

    def get_object(self, request, code):
        return get_object_or_404(WageCodeRule, code=code)

    def get_form_kwargs(self, request, rule):
        return {
            "initial": {"version": rule.version, "colour": rule.colour, "threshold": rule.threshold}
        }

    def save(self, request, form, rule):
        data = dict(form.cleaned_data)
        version = data.pop("version")
        return services.update_rule(request.user, rule, expected_version=version, **data)

    def get_success_url(self, rule):
        return reverse("wages:settings")

    def get_success_message(self, rule, creating):
        return f"已保存规则“{rule}”，渝薪码将重新计算。"

    def get_context(self, request, form, rule):
        return {"title": f"渝薪码规则：{rule}", "rule": rule}


def can_read_settings(user) -> bool:
    return can(user, *roles.STAFF_ROLES)
