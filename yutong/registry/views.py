from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yutong.core import exports, imports, roles, scope
from yutong.core import queries as core_queries
from yutong.core.pagination import paginate
from yutong.core.permissions import can, require_role
from yutong.core.personal import mask_phone
from yutong.core.viewutils import (
    act_on_import_job,
    add_service_errors,
    import_errors_response,
    import_report,
)

from . import queries, services
from .forms import EnterpriseFilterForm, EnterpriseForm, ImportUploadForm
from .importers import EnterpriseImporter
from .models import Enterprise

EXPORT_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "所属镇街",
    "行业门类",
    "经济类型",
    "职工人数",
    "经营状态",
    "已建工会",
    "成立日期",
    "地址",
    "法定代表人",
    "联系电话",
]


def _filtered(request):
    form = EnterpriseFilterForm(request.GET or None, units=scope.units_visible_to(request.user))
    enterprises = queries.enterprises_visible_to(request.user)
    if form.is_bound and form.is_valid():
        enterprises = queries.filter_enterprises(enterprises, form.cleaned_data)
    return form, enterprises


@login_required
def enterprise_list(request):
    require_role(request.user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER)
    form, enterprises = _filtered(request)
    enterprises, sort = queries.ENTERPRISE_SORTING.apply(request, enterprises)
    context = paginate(request, enterprises)
    context.update(form=form, sort=sort, can_edit=can(request.user, *roles.REGISTRY_EDITORS))
    template = (
        "registry/_enterprise_table.html" if request.htmx else "registry/enterprise_list.html"
    )
    return render(request, template, context)


@login_required
def enterprise_export(request):
    require_role(request.user, *roles.STAFF_ROLES, roles.ENTERPRISE_USER)
    _, enterprises = _filtered(request)
    enterprises, _ = queries.ENTERPRISE_SORTING.apply(request, enterprises)
    limit = settings.EXPORT_MAX_ROWS
    if enterprises.count() > limit:
        messages.error(request, f"导出结果超过 {limit} 行，请增加筛选条件后再导出。")
        return redirect(f"{reverse('registry:enterprise_list')}?{request.GET.urlencode()}")
    rows = (
        [
            e.uscc,
            e.name,
            e.unit.name,
            e.township.name if e.township else "",
            e.industry,
            e.get_ownership_display(),
            e.employee_count,
            e.get_status_display(),
            e.union_established,
            e.established_on,
            e.address,
            e.legal_representative,
            mask_phone(e.contact_phone),
        ]
        for e in enterprises.iterator(chunk_size=2000)
    )
    return exports.xlsx_response(
        exports.dated_filename("企业名录"), "企业名录", EXPORT_HEADERS, rows
    )


# Past states shown on the detail page; the API pages through all of them.
HISTORY_ROWS = 50


@login_required
def enterprise_detail(request, uscc):
    enterprise = get_object_or_404(queries.enterprises_visible_to(request.user), uscc=uscc)
    states = list(queries.enterprise_history(request.user, enterprise)[: HISTORY_ROWS + 1])
    for state in states:
        # valid_until is the first day of the next period; people read periods inclusively.
        state.last_day = state.valid_until - timedelta(days=1)
    return render(
        request,
        "registry/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "states": states[:HISTORY_ROWS],
            "more_states": len(states) > HISTORY_ROWS,
            "history_rows": HISTORY_ROWS,
            "can_edit": can(request.user, *roles.REGISTRY_EDITORS),
            "entries": core_queries.audit_trail(request.user, enterprise)[:100],
            "show_audit": can(request.user, *roles.AUDIT_READERS),
        },
    )


def _enterprise_form(request, data=None, **kwargs):
    # Parks in operation, and the one the enterprise is in even if it has closed since.
    instance = kwargs.get("instance")
    current = Q(pk=instance.park_id) if instance is not None and instance.park_id else Q(pk__in=[])
    return EnterpriseForm(
        data,
        units=scope.units_visible_to(request.user),
        parks=queries.parks_visible_to(request.user).filter(Q(is_active=True) | current),
        **kwargs,
    )


@login_required
def enterprise_create(request):
    require_role(request.user, *roles.REGISTRY_EDITORS)
    form = _enterprise_form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            enterprise = services.register_enterprise(request.user, **data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记 {enterprise.name}。")
            return redirect("registry:enterprise_detail", uscc=enterprise.uscc)
    return render(request, "registry/enterprise_form.html", {"form": form, "creating": True})


@login_required
def enterprise_edit(request, uscc):
    require_role(request.user, *roles.REGISTRY_EDITORS)
    enterprise = get_object_or_404(queries.enterprises_visible_to(request.user), uscc=uscc)
    form = _enterprise_form(request, request.POST or None, instance=enterprise, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_enterprise(
                request.user,
                Enterprise.objects.get(pk=enterprise.pk),
                expected_version=form.cleaned_data.get("version"),
                effective_on=form.cleaned_data.get("effective_on"),
                correction=form.cleaned_data.get("correction", False),
                **form.changes(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("registry:enterprise_detail", uscc=enterprise.uscc)
    return render(
        request, "registry/enterprise_form.html", {"form": form, "enterprise": enterprise}
    )


# --- import -------------------------------------------------------------------------------


@login_required
def import_list(request):
    require_role(request.user, *roles.REGISTRY_EDITORS)
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = imports.upload(request.user, EnterpriseImporter.kind, form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("registry:import_detail", pk=job.pk)
    jobs = imports.jobs_visible_to(request.user, EnterpriseImporter.kind)[:20]
    return render(
        request,
        "registry/import_list.html",
        {
            "form": form,
            "jobs": jobs,
            "columns": EnterpriseImporter.columns,
        },
    )


def _job(request, pk):
    require_role(request.user, *roles.REGISTRY_EDITORS)
    job = imports.jobs_visible_to(request.user, EnterpriseImporter.kind).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


@login_required
def import_detail(request, pk):
    job = _job(request, pk)
    template = "registry/_import_status.html" if request.htmx else "registry/import_detail.html"
    return render(request, template, import_report(job))


@login_required
@require_POST
def import_commit(request, pk):
    job = _job(request, pk)
    job = act_on_import_job(request, imports.commit, job)
    return redirect("registry:import_detail", pk=job.pk)


@login_required
@require_POST
def import_cancel(request, pk):
    job = _job(request, pk)
    act_on_import_job(request, imports.cancel, job)
    return redirect("registry:import_list")


@login_required
@require_POST
def import_retry(request, pk):
    job = _job(request, pk)
    job = act_on_import_job(request, imports.retry, job)
    return redirect("registry:import_detail", pk=job.pk)


@login_required
def import_template(request):
    require_role(request.user, *roles.REGISTRY_EDITORS)
    rows = list(imports.template_rows(EnterpriseImporter()))
    return exports.xlsx_response("企业导入模板.xlsx", "企业名录", rows[0], rows[1:])


@login_required
def import_errors(request, pk):
    job = _job(request, pk)
    return import_errors_response(job, f"导入错误清单-{job.pk}.xlsx")
