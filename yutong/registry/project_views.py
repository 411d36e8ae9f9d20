"""The HTML side of construction projects: the list (filters, pages, Excel export), the
project page and the register/edit forms.

Other apps add their part of a project's page through their ``AppConfig``: a method
``project_panels(request, project)`` returning rendered HTML blocks (the wage safeguards and
the wage code come from ``wages`` that way), so the registry names no app that builds on it.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from yutong.core import generic, roles, scope
from yutong.core import queries as core_queries
from yutong.core.permissions import can, require_role
from yutong.core.personal import mask_phone

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


def _colour(project) -> str:
    code = getattr(project, "wage_code", None)
    return COLOUR_LABELS.get(code.colour, "") if code is not None else ""


class ProjectList(generic.ObjectListView):
    readers = PROJECT_READERS
    template_name = "registry/project_list.html"
    table_template = "registry/_project_table.html"
    filter_form = ProjectFilterForm
    sorting = queries.PROJECT_SORTING
    export = generic.Export("工程建设项目", EXPORT_HEADERS)
    url_name = "registry:project_list"

    def get_queryset(self, request):
        return queries.projects_visible_to(request.user).select_related("wage_code")

    def get_form_kwargs(self, request):
        return {"units": scope.units_visible_to(request.user)}

    def filter_queryset(self, request, rows, data):
        return queries.filter_projects(rows, data)

    def get_context(self, request):
        return {
            "can_edit": can(request.user, *roles.PROJECT_EDITORS),
            "colour_labels": COLOUR_LABELS,
        }

    def export_row(self, request, p):
        return [
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


class ProjectEdit(generic.ObjectEditView):
    """Register a project (no ``pk``) or edit one the user may edit."""

    editors = roles.PROJECT_EDITORS
    form_class = ProjectForm
    template_name = "registry/project_form.html"

    def get_object(self, request, pk=None):
        if pk is None:
            return None
        return get_object_or_404(queries.projects_editable_by(request.user), pk=pk)

    def get_form_kwargs(self, request, project):
        kwargs = {"units": scope.units_visible_to(request.user)}
        if project is not None:
            kwargs.update(instance=project, editing=True)
        return kwargs

    def save(self, request, form, project):
        if project is None:
            return services.register_project(
                request.user, code=form.cleaned_data["code"], **form.service_data()
            )
        return services.update_project(
            request.user,
            ConstructionProject.objects.get(pk=project.pk),
            expected_version=form.cleaned_data.get("version"),
            **form.service_data(),
        )

    def get_success_url(self, project):
        return reverse("registry:project_detail", args=[project.pk])

    def get_success_message(self, project, creating):
        return f"已登记项目 {project.name}。" if creating else "已保存。"

    def get_context(self, request, form, project):
        return {"project": project}
