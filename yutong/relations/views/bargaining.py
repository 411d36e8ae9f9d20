"""Collective bargaining: the queues, the request form, the yearly wage-bargaining list and a
bargaining's page with its actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from yutong.core import generic
from yutong.core.casepages import Action
from yutong.core.permissions import can

from .. import forms, queries, services
from ..models import CollectiveBargaining
from .common import (
    READERS,
    Kind,
    RelationsEdit,
    RelationsList,
    events,
    record,
    render_record,
    today,
    v,
    year_asked,
)

BARGAINING_HEADERS = [
    "编号",
    "企业名称",
    "统一社会信用代码",
    "所属区县",
    "协商内容",
    "年度",
    "提出方",
    "提出日期",
    "答复期限",
    "答复日期",
    "状态",
    "中止后恢复协商期限",
    "结束日期",
]


class BargainingList(RelationsList):
    template_name = "relations/bargaining_list.html"
    queues = queries.BARGAINING_QUEUES
    queue_default = "open"
    queue_order = queries.BARGAINING_QUEUE_ORDER
    sorting = queries.BARGAINING_SORTING
    export = generic.Export("集体协商", BARGAINING_HEADERS)
    url_name = "relations:bargaining_list"

    def get_queryset(self, request):
        visible = queries.bargainings_visible_to(request.user)
        return queries.bargaining_queue(visible, self.queue)

    def get_export(self, request):
        # The workbook is named for the tab it holds.
        return generic.Export(f"集体协商（{self.queues[self.queue]}）", BARGAINING_HEADERS)

    def export_queryset(self, request, bargainings):
        return bargainings.select_related("enterprise", "unit")

    def export_row(self, request, b):
        return [
            f"协{b.pk}",
            b.enterprise.name,
            b.enterprise.uscc,
            b.unit.name,
            b.get_topic_display(),
            b.year,
            b.get_requested_by_display(),
            b.requested_on,
            b.reply_due_on,
            b.replied_on,
            b.get_status_display(),
            b.resume_by,
            b.concluded_on,
        ]

    def page_context(self, request):
        return {"can_edit": can(request.user, *services.CONTRACT_EDITORS)}


class BargainingCreate(RelationsEdit):
    editors = services.CONTRACT_EDITORS
    form_class = forms.BargainingForm
    title = "登记集体协商要求"

    def get_form_kwargs(self, request, bargaining):
        initial = {
            "enterprise": request.GET.get("enterprise", ""),
            "topic": request.GET.get("topic"),
        }
        return {"user": request.user, "initial": initial}

    def save(self, request, form, bargaining):
        return services.request_bargaining(request.user, **form.cleaned_data)

    def get_success_url(self, bargaining):
        return reverse("relations:bargaining_detail", args=[bargaining.pk])

    def get_success_message(self, bargaining, creating):
        return f"已登记协商要求，对方应于 {bargaining.reply_due_on} 前书面答复。"


WAGE_HEADERS = ["企业名称", "统一社会信用代码", "所属区县", "所属镇街", "行业门类", "职工人数"]


class WageBargainingList(RelationsList):
    """Enterprises whose yearly wage bargaining is not done (重庆市集体合同条例 Art.18)."""

    template_name = "relations/wage_bargaining.html"
    sorting = queries.ENTERPRISE_LIST_SORTING
    tab_params = ("year",)
    export = generic.Export("工资集体协商未完成企业", WAGE_HEADERS)
    url_name = "relations:wage_bargaining"

    def get_queryset(self, request):
        self.year = year_asked(request)
        return queries.wage_bargaining_pending(request.user, self.year).select_related("unit")

    def get_export(self, request):
        return generic.Export(f"{self.year} 年度工资集体协商未完成企业", WAGE_HEADERS)

    def export_queryset(self, request, enterprises):
        return enterprises.select_related("unit", "township")

    def export_row(self, request, e):
        return [
            e.name,
            e.uscc,
            e.unit.name,
            e.township.name if e.township_id else "",
            e.get_industry_display(),
            e.employee_count,
        ]

    def page_context(self, request):
        return {
            "year": self.year,
            "years": range(today().year + 1, 2022, -1),
            "empty_reason": f"{self.year} 年度没有未完成工资集体协商的企业。",
            "can_edit": can(request.user, *services.CONTRACT_EDITORS),
        }


B = CollectiveBargaining.Status
BARGAINING_ACTIONS = {
    a.name: a
    for a in (
        Action(
            "reply",
            "登记书面答复",
            forms.ReplyForm,
            services.CONTRACT_EDITORS,
            lambda b: b.status == B.REQUESTED,
            lambda user, b, d: services.reply_bargaining(
                user, b, replied_on=d["replied_on"], reply=d["reply"], expected_version=v(d)
            ),
            lambda b: "已登记书面答复，进入协商。",
        ),
        Action(
            "round",
            "登记一轮协商",
            forms.RoundForm,
            services.CONTRACT_EDITORS,
            lambda b: b.status in (B.IN_TALKS, B.SUSPENDED),
            lambda user, b, d: services.record_round(
                user,
                b,
                held_on=d["held_on"],
                summary=d["summary"],
                outcome=d["outcome"],
                resume_by=d["resume_by"],
                expected_version=v(d),
            ),
            lambda r: f"已登记第 {r.number} 轮协商：{r.get_outcome_display()}。",
        ),
        Action(
            "close",
            "结束协商要求（未进入协商）",
            forms.CloseRequestForm,
            services.CONTRACT_EDITORS,
            lambda b: b.status == B.REQUESTED,
            lambda user, b, d: services.close_request(
                user, b, closed_on=d["closed_on"], reason=d["reason"], expected_version=v(d)
            ),
            lambda b: "已结束该协商要求。",
            button="结束",
            style="danger",
        ),
    )
}


def _render_bargaining(request, bargaining, bound=None, status=200):
    contracts = queries.contracts_visible_to(request.user).filter(bargaining=bargaining)
    return render_record(
        request,
        BARGAINING_KIND,
        bargaining,
        "relations/bargaining_detail.html",
        bound=bound,
        status=status,
        events=events(bargaining),
        rounds=list(bargaining.rounds.all()),
        contracts=list(contracts),
    )


BARGAINING_KIND = Kind(
    "bargaining",
    queries.bargainings_visible_to,
    READERS,
    BARGAINING_ACTIONS,
    _render_bargaining,
)


@login_required
def bargaining_detail(request, pk):
    return _render_bargaining(request, record(request, BARGAINING_KIND, pk))
