"""The HTML side of construction projects: the list (filters, pages, Excel export), the
project page and the register/edit forms.

Other apps add their part of a project's page through their ``AppConfig``: a method
``project_panels(request, project)`` returning rendered HTML blocks (the wage safeguards and
the wage code come from ``wages`` that way), so the registry names no app that builds on it.
"""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from yutong.core import exports, roles, scope
from yutong.core import queries as core_queries
from yutong.core.pagination import paginate
from yutong.core.permissions import can, require_role
from yutong.core.personal import mask_phone
from yutong.core.viewutils import add_service_errors

from . import queries, services
from .forms import WAGE_CODE_COLOURS, ProjectFilterForm, ProjectForm
from .models import ConstructionProject, ProjectSubcontractor

PROJECT_READERS = (*roles.STAFF_ROLES, roles.ENTERPRISE_USER)
COLOUR_LABELS = dict(WAGE_CODE_COLOURS)

EXPORT_HEADERS = [
    "项目编号",
    "项目名称",
    "所在区县",
    "所在镇街",
    "建设单位",
    "施工总承包单位",
    "施工合同金额（元）",
    "政府投资项目",
    "开工日期",
    "计划竣工日期",
    "竣工日期",
    "项目状态",
    "劳资专管员",
    "劳资专管员电话",
    "渝薪码",
]


def _filtered(request):
    form = ProjectFilterForm(request.GET or None, units=scope.units_visible_to(request.user))
    projects = queries.projects_visible_to(request.user)
    if form.is_bound and form.is_valid():
        projects = queries.filter_projects(projects, form.cleaned_data)
    return form, projects


@login_required
def project_list(request):
    require_role(request.user, *PROJECT_READERS)
    form, projects = _filtered(request)
    projects, sort = queries.PROJECT_SORTING.apply(request, projects)
    context = paginate(request, projects.select_related("wage_code"))
    context.update(
        form=form,
        sort=sort,
        can_edit=can(request.user, *roles.PROJECT_EDITORS),
        colour_labels=COLOUR_LABELS,
    )
    template = "registry/_project_table.html" if request.htmx else "registry/project_list.html"
    return render(request, template, context)


def _colour(project) -> str:
    code = getattr(project, "wage_code", None)
    return COLOUR_LABELS.get(code.colour, "") if code is not None else ""


@login_required
def project_export(request):
    require_role(request.user, *PROJECT_READERS)
    _, projects = _filtered(request)
    projects, _ = queries.PROJECT_SORTING.apply(request, projects)
    limit = settings.EXPORT_MAX_ROWS
    if projects.count() > limit:
        messages.error(request, f"导出结果超过 {limit} 行，请增加筛选条件后再导出。")
        return redirect(f"{reverse('registry:project_list')}?{request.GET.urlencode()}")
    rows = (
        [
            p.code,
            p.name,
            p.unit.name,
            p.township.name if p.township else "",
            p.owner.name,
            p.general_contractor.name,
            p.contract_amount,
            p.is_government_funded,
            p.starts_on,
            p.planned_completion_on,
            p.completed_on,
            p.get_status_display(),
            p.labour_officer,
            mask_phone(p.labour_officer_phone),
            _colour(p),
        ]
        for p in projects.select_related("wage_code").iterator(chunk_size=2000)
    )
    return exports.xlsx_response(
        exports.dated_filename("工程建设项目"), "工程建设项目", EXPORT_HEADERS, rows
    )


def project_panels(request, project) -> list:
    panels = []
    for config in apps.get_app_configs():
        provider = getattr(config, "project_panels", None)
        if provider is not None:
            panels.extend(provider(request, project))
    return panels


@login_required
def project_detail(request, pk):
    require_role(request.user, *PROJECT_READERS)
    project = get_object_or_404(queries.projects_visible_to(request.user), pk=pk)
    subcontractors = (
        ProjectSubcontractor.objects.filter(project=project)
        .select_related("enterprise")
        .order_by("id")
    )
    can_edit = queries.projects_editable_by(request.user).filter(pk=project.pk).exists()
    return render(
        request,
        "registry/project_detail.html",
        {
            "project": project,
            "subcontractors": subcontractors,
            "can_edit": can_edit,
            "panels": project_panels(request, project),
            "entries": core_queries.audit_trail(request.user, project)[:100],
            "show_audit": can(request.user, *roles.AUDIT_READERS),
        },
    )


def _form(request, data=None, **kwargs):
    return ProjectForm(data, units=scope.units_visible_to(request.user), **kwargs)


@login_required
def project_create(request):
    require_role(request.user, *roles.PROJECT_EDITORS)
    form = _form(request, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.register_project(
                request.user, code=form.cleaned_data["code"], **form.service_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已登记项目 {project.name}。")
            return redirect("registry:project_detail", pk=project.pk)
    return render(request, "registry/project_form.html", {"form": form, "creating": True})


@login_required
def project_edit(request, pk):
    require_role(request.user, *roles.PROJECT_EDITORS)
    project = get_object_or_404(queries.projects_editable_by(request.user), pk=pk)
    form = _form(request, request.POST or None, instance=project, editing=True)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(
                request.user,
                ConstructionProject.objects.get(pk=project.pk),
                expected_version=form.cleaned_data.get("version"),
                **form.service_data(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已保存。")
            return redirect("registry:project_detail", pk=project.pk)
    return render(request, "registry/project_form.html", {"form": form, "project": project})
