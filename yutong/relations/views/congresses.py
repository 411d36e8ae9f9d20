"""Workers' congresses (the list, the registration form, a congress's page where its sessions are
recorded) and open factory affairs (厂务公开)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from yutong.core import generic
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors

from .. import forms, queries, services
from ..models import AffairsDisclosure, WorkersCongress
from .common import READERS, RelationsEdit, RelationsList, today, year_asked

CONGRESS_HEADERS = [
    "名称",
    "类型",
    "形式",
    "所属区县",
    "企业或区域",
    "建立日期",
    "职工人数",
    "职工代表人数",
    "撤销日期",
]


class CongressList(RelationsList):
    template_name = "relations/congress_list.html"
    queues = queries.CONGRESS_QUEUES
    queue_default = "all"
    queue_order = queries.CONGRESS_QUEUE_ORDER
    sorting = queries.CONGRESS_SORTING
    tab_params = ("year",)
    export = generic.Export("职工代表大会", CONGRESS_HEADERS)
    url_name = "relations:congress_list"

    def get_queryset(self, request):
        visible = queries.congresses_visible_to(request.user)
        # The queue builds date(year, 12, 31): a year outside what a date can hold would be a 500.
        self.year = year_asked(request)
        if self.queue == "no_session":
            return queries.congresses_without_session(visible, self.year)
        return visible

    def page_context(self, request):
        return {
            "year": self.year,
            "no_session_reason": f"{self.year} 年度没有未召开会议的职代会。",
            "can_edit": can(request.user, *services.CONGRESS_EDITORS),
        }

    def get_export(self, request):
        if self.queue == "no_session":
            return generic.Export(f"{self.year} 年度未召开会议的职代会", CONGRESS_HEADERS)
        return self.export

    def export_queryset(self, request, congresses):
        return congresses.select_related("enterprise", "unit", "region")

    def export_row(self, request, c):
        if c.enterprise_id:
            covers = c.enterprise.name
        else:
            covers = c.region.name if c.region_id else c.get_industry_display()
        return [
            c.name,
            c.get_scope_display(),
            c.get_form_display(),
            c.unit.name,
            covers,
            c.established_on,
            c.staff_count,
            c.delegates,
            c.dissolved_on,
        ]


class CongressCreate(RelationsEdit):
    editors = services.CONGRESS_EDITORS
    form_class = forms.CongressForm
    title = "登记职工代表大会"

    def get_form_kwargs(self, request, congress):
        return {"user": request.user}

    def save(self, request, form, congress):
        return services.establish_congress(request.user, **form.cleaned_data)

    def get_success_url(self, congress):
        return reverse("relations:congress_detail", args=[congress.pk])

    def get_success_message(self, congress, creating):
        return f"已登记{congress.name}。"


@login_required
@require_http_methods(["GET", "POST"])
def congress_detail(request, pk):
    """A congress's page; those who may record its sessions find the form beside them."""
    require_role(request.user, *READERS)
    congress = get_object_or_404(queries.congresses_visible_to(request.user), pk=pk)
    can_edit = can(request.user, *services.CONGRESS_EDITORS)
    form = forms.SessionForm(request.POST or None) if can_edit else None
    status = 200
    if request.method == "POST":
        require_role(request.user, *services.CONGRESS_EDITORS)
        if form.is_valid():
            try:
                session = services.record_session(request.user, congress, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已登记 {session.held_on} 的会议。")
                return redirect("relations:congress_detail", pk=congress.pk)
        status = 400
    covered = congress.covered_enterprises.select_related("unit").order_by("name")
    required = None
    if congress.form == WorkersCongress.Form.CONGRESS:
        required = services.required_delegates(congress.staff_count, today(), congress.unit)
    return render(
        request,
        "relations/congress_detail.html",
        {
            "record": congress,
            "sessions": congress.sessions.all(),
            "covered": covered[:200],
            "covered_count": covered.count(),
            "required": required,
            "form": form,
        },
        status=status,
    )


DISCLOSURE_HEADERS = [
    "公开日期",
    "企业名称",
    "统一社会信用代码",
    "所属区县",
    "公开内容",
    "公开方式",
    "标题",
    "内容摘要",
    "集体合同编号",
]


class DisclosureList(RelationsList):
    template_name = "relations/disclosure_list.html"
    sorting = queries.DISCLOSURE_SORTING
    export = generic.Export("厂务公开", DISCLOSURE_HEADERS)
    url_name = "relations:disclosure_list"

    def get_queryset(self, request):
        return queries.disclosures_visible_to(request.user)

    def export_queryset(self, request, disclosures):
        return disclosures.select_related("enterprise", "unit")

    def export_row(self, request, d):
        return [
            d.disclosed_on,
            d.enterprise.name,
            d.enterprise.uscc,
            d.unit.name,
            d.get_category_display(),
            d.get_channel_display(),
            d.title,
            d.content,
            d.contract_id,
        ]

    def page_context(self, request):
        return {"can_edit": can(request.user, *services.DISCLOSURE_EDITORS)}


class DisclosureCreate(RelationsEdit):
    editors = services.DISCLOSURE_EDITORS
    form_class = forms.DisclosureForm
    title = "登记厂务公开"
    success_message = "已登记厂务公开。"

    def get_form_kwargs(self, request, disclosure):
        initial = {
            "enterprise": request.GET.get("enterprise", ""),
            "contract": request.GET.get("contract", ""),
        }
        if initial["contract"]:
            initial["category"] = AffairsDisclosure.Category.COLLECTIVE_CONTRACT
        return {"user": request.user, "initial": initial}

    def save(self, request, form, disclosure):
        return services.disclose_affairs(request.user, **form.cleaned_data)

    def get_success_url(self, disclosure):
        return reverse("relations:disclosure_list")
