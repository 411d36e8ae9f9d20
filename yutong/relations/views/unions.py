"""The to-do lists of rules §7 over the registry (who still has to set up what) and unions: the
list, the registration form and the union's page with its actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse

from yutong.core import generic
from yutong.core.casepages import Action
from yutong.core.permissions import can

from .. import forms, queries, services
from .common import READERS, Kind, RelationsEdit, RelationsList, record, render_record, v

TODO_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "所属镇街",
    "行业门类",
    "职工人数",
    "已建工会",
]


class TodoList(RelationsList):
    """The lists of rules §7 over the registry, one tab each; the export is the tab's rows."""

    template_name = "relations/todo.html"
    queues = {key: label for key, (label, _) in queries.TODO_LISTS.items()}
    queue_param = "list"
    queue_default = "no_union"
    sorting = queries.ENTERPRISE_LIST_SORTING
    export = generic.Export("建会建制待办", TODO_HEADERS)
    url_name = "relations:todo"

    def get_queryset(self, request):
        return queries.todo_list(request.user, self.queue).select_related("unit", "township")

    def get_export(self, request):
        # The workbook is named for the list it holds.
        return generic.Export(self.queues[self.queue], TODO_HEADERS)

    def page_context(self, request):
        return {
            "current": self.queues[self.queue],
            "list_name": self.queue,
            "can_establish": can(request.user, *services.UNION_EDITORS),
        }

    def export_row(self, request, e):
        return [
            e.uscc,
            e.name,
            e.unit.name,
            e.township.name if e.township else "",
            e.industry,
            e.employee_count,
            e.union_established,
        ]


UNION_HEADERS = [
    "工会名称",
    "企业名称",
    "统一社会信用代码",
    "所属区县",
    "组织形式",
    "成立日期",
    "会员人数",
    "专职工会工作人员",
    "工会主席（组织员）",
    "经费拨缴比例（%）",
    "月拨缴经费（元）",
    "状态",
    "撤销日期",
    "撤销原因",
]


class UnionList(RelationsList):
    template_name = "relations/union_list.html"
    filter_form = forms.UnionFilterForm
    sorting = queries.UNION_SORTING
    export = generic.Export("工会组织", UNION_HEADERS)
    url_name = "relations:union_list"

    def get_queryset(self, request):
        return queries.unions_visible_to(request.user)

    def export_queryset(self, request, unions):
        return unions.select_related("enterprise", "unit")

    def export_row(self, request, u):
        return [
            u.name,
            u.enterprise.name,
            u.enterprise.uscc,
            u.unit.name,
            u.get_form_display(),
            u.established_on,
            u.members,
            u.fulltime_staff,
            u.chair,
            u.dues_rate,
            u.monthly_dues,
            "已撤销" if u.dissolved_on else "存续",
            u.dissolved_on,
            u.dissolution_reason,
        ]

    def filter_queryset(self, request, rows, data):
        return queries.filter_unions(rows, data)

    def page_context(self, request):
        return {"can_edit": can(request.user, *services.UNION_EDITORS)}


class UnionCreate(RelationsEdit):
    editors = services.UNION_EDITORS
    form_class = forms.UnionForm
    title = "登记工会"

    def get_form_kwargs(self, request, union):
        return {"user": request.user, "initial": {"enterprise": request.GET.get("enterprise", "")}}

    def save(self, request, form, union):
        return services.establish_union(request.user, **form.cleaned_data)

    def get_success_url(self, union):
        return reverse("relations:union_detail", args=[union.pk])

    def get_success_message(self, union, creating):
        return f"已登记{union.name}。"


UNION_ACTIONS = {
    a.name: a
    for a in (
        Action(
            "update",
            "修改工会信息",
            forms.UnionUpdateForm,
            services.UNION_EDITORS,
            lambda u: u.is_active,
            lambda user, u, d: services.update_union(
                user,
                u,
                expected_version=v(d),
                name=d["name"],
                form=d["form"],
                members=d["members"],
                chair=d["chair"],
                fulltime_staff=d["fulltime_staff"],
                dues_rate=d["dues_rate"],
                monthly_dues=d["monthly_dues"],
            ),
            lambda u: "已保存工会信息。",
            style="secondary",
        ),
        Action(
            "dissolve",
            "撤销工会",
            forms.DissolveForm,
            services.UNION_EDITORS,
            lambda u: u.is_active,
            lambda user, u, d: services.dissolve_union(
                user, u, dissolved_on=d["dissolved_on"], reason=d["reason"], expected_version=v(d)
            ),
            lambda u: f"已登记工会撤销（{u.dissolved_on}）。",
            button="撤销",
            style="danger",
        ),
    )
}


def _render_union(request, union, bound=None, status=200):
    return render_record(
        request, UNION_KIND, union, "relations/union_detail.html", bound=bound, status=status
    )


UNION_KIND = Kind("union", queries.unions_visible_to, READERS, UNION_ACTIONS, _render_union)


@login_required
def union_detail(request, pk):
    return _render_union(request, record(request, UNION_KIND, pk))
