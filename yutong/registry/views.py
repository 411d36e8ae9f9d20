from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from yutong.core import generic, roles, scope
from yutong.core import queries as core_queries
from yutong.core.import_pages import ImportPages
from yutong.core.permissions import can
from yutong.core.personal import mask_phone

from . import queries, services
from .forms import EnterpriseFilterForm, EnterpriseForm
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


class EnterpriseList(generic.ObjectListView):
    readers = (*roles.STAFF_ROLES, roles.ENTERPRISE_USER)
    template_name = "registry/enterprise_list.html"
    table_template = "registry/_enterprise_table.html"
    filter_form = EnterpriseFilterForm
    sorting = queries.ENTERPRISE_SORTING
    export = generic.Export("企业名录", EXPORT_HEADERS)
    url_name = "registry:enterprise_list"

    def get_queryset(self, request):
        return queries.enterprises_visible_to(request.user)

    def get_form_kwargs(self, request):
        return {"units": scope.units_visible_to(request.user)}

    def filter_queryset(self, request, rows, data):
        return queries.filter_enterprises(rows, data)

    def get_context(self, request):
        return {"can_edit": can(request.user, *roles.REGISTRY_EDITORS)}

    def export_row(self, request, e):
        return [
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


class EnterpriseEdit(generic.ObjectEditView):
    """Register an enterprise (no ``uscc`` in the URL) or edit one, as a change from a day or
    as a correction of its history."""

    editors = roles.REGISTRY_EDITORS
    form_class = EnterpriseForm
    template_name = "registry/enterprise_form.html"

    def get_object(self, request, uscc=None):
        if uscc is None:
            return None
        return get_object_or_404(queries.enterprises_visible_to(request.user), uscc=uscc)

    def get_form_kwargs(self, request, enterprise):
        # Parks in operation, and the one the enterprise is in even if it has closed since.
        kept = Q(pk=enterprise.park_id) if enterprise is not None and enterprise.park_id else None
        parks = Q(is_active=True) | kept if kept is not None else Q(is_active=True)
        kwargs = {
            "units": scope.units_visible_to(request.user),
            "parks": queries.parks_visible_to(request.user).filter(parks),
        }
        if enterprise is not None:
            kwargs.update(instance=enterprise, editing=True)
        return kwargs

    def save(self, request, form, enterprise):
        if enterprise is None:
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            return services.register_enterprise(request.user, **data)
        return services.update_enterprise(
            request.user,
            Enterprise.objects.get(pk=enterprise.pk),
            expected_version=form.cleaned_data.get("version"),
            effective_on=form.cleaned_data.get("effective_on"),
            correction=form.cleaned_data.get("correction", False),
            **form.changes(),
        )

    def get_success_url(self, enterprise):
        return reverse("registry:enterprise_detail", args=[enterprise.uscc])

    def get_success_message(self, enterprise, creating):
        return f"已登记 {enterprise.name}。" if creating else "已保存。"

    def get_context(self, request, form, enterprise):
        return {"enterprise": enterprise}


# --- import -------------------------------------------------------------------------------

ENTERPRISE_SHEET = ImportPages(
    EnterpriseImporter,
    editors=roles.REGISTRY_EDITORS,
    title="企业",
    sheet_title="企业名录",
    namespace="registry",
    name="import",
    records="registry:enterprise_list",
    records_label="查看企业名录",
)
