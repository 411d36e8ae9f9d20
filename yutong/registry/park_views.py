"""The HTML side of industrial parks (园区): the list (filters, pages, Excel export), the park
page with its enterprises and history, the register/edit/close/reopen forms and the park
import sheet (the import pages are the enterprise sheet's, named for parks)."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yutong.core import generic, roles, scope
from yutong.core import queries as core_queries
from yutong.core.import_pages import ImportPages
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors

from . import queries, services
from .forms import ParkFilterForm, ParkForm, ParkStatusForm
from .importers import ParkImporter
from .models import IndustrialPark

PARK_READERS = roles.STAFF_ROLES

EXPORT_HEADERS = [
    "园区代码",
    "园区名称",
    "所在区县",
    "所在镇街",
    "状态",
    "设立日期",
    "撤销日期",
    "地址",
    "园区内企业数",
]


class ParkList(generic.ObjectListView):
    readers = PARK_READERS
    template_name = "registry/park_list.html"
    table_template = "registry/_park_table.html"
    filter_form = ParkFilterForm
    sorting = queries.PARK_SORTING
    export = generic.Export("工业园区名录", EXPORT_HEADERS)
    url_name = "registry:park_list"

    def get_queryset(self, request):
        return queries.parks_visible_to(request.user)

    def get_form_kwargs(self, request):
        return {"units": scope.units_visible_to(request.user)}

    def filter_queryset(self, request, rows, data):
        return queries.filter_parks(rows, data)

    def get_context(self, request):
        return {"can_edit": can(request.user, *roles.REGISTRY_EDITORS)}

    def export_queryset(self, request, parks):
        # The enterprises counted are those the reader may see (a township account: its own).
        self.counts = dict(
            queries.enterprises_visible_to(request.user)
            .filter(park__in=parks.values("pk"))
            .values_list("park")
            .annotate(n=Count("pk"))
            .order_by()
        )
        return parks

    def export_row(self, request, p):
        return [
            p.code,
            p.name,
            p.unit.name,
            p.township.name if p.township else "",
            "运营中" if p.is_active else "已撤销",
            p.established_on,
            p.closed_on,
            p.address,
            self.counts.get(p.pk, 0),
        ]


# Past states and enterprises shown on the park page.
HISTORY_ROWS = 50
ENTERPRISE_ROWS = 20


def _visible_park(request, pk) -> IndustrialPark:
    return get_object_or_404(queries.parks_visible_to(request.user), pk=pk)


@login_required
def park_detail(request, pk):
    require_role(request.user, *PARK_READERS)
    park = _visible_park(request, pk)
    states = list(queries.park_history(request.user, park)[: HISTORY_ROWS + 1])
    for state in states:
        state.last_day = state.valid_until - timedelta(days=1)
    enterprises = queries.enterprises_visible_to(request.user).filter(park=park)
    can_edit = can(request.user, *roles.REGISTRY_EDITORS)
    return render(
        request,
        "registry/park_detail.html",
        {
            "park": park,
            "states": states[:HISTORY_ROWS],
            "more_states": len(states) > HISTORY_ROWS,
            "history_rows": HISTORY_ROWS,
            "enterprise_count": enterprises.count(),
            "operating_count": enterprises.filter(status="operating").count(),
            "enterprises": enterprises.order_by("name", "id")[:ENTERPRISE_ROWS],
            "enterprise_rows": ENTERPRISE_ROWS,
            "can_edit": can_edit,
            "status_form": _status_form(park) if can_edit else None,
            "entries": core_queries.audit_trail(request.user, park)[:100],
            "show_audit": can(request.user, *roles.AUDIT_READERS),
        },
    )


class ParkEdit(generic.ObjectEditView):
    """Register a park (no ``pk``) or edit one, as a change from a day or a correction."""

    editors = roles.REGISTRY_EDITORS
    form_class = ParkForm
    template_name = "registry/park_form.html"

    def get_object(self, request, pk=None):
        return None if pk is None else _visible_park(request, pk)

    def get_form_kwargs(self, request, park):
        kwargs = {"units": scope.units_visible_to(request.user)}
        if park is not None:
            kwargs.update(instance=park, editing=True)
        return kwargs

    def save(self, request, form, park):
        if park is None:
            return services.create_park(
                request.user, code=form.cleaned_data["code"], **form.service_data()
            )
        return services.update_park(
            request.user,
            IndustrialPark.objects.get(pk=park.pk),
            expected_version=form.cleaned_data.get("version"),
            effective_on=form.cleaned_data.get("effective_on"),
            correction=form.cleaned_data.get("correction", False),
            **form.service_data(),
        )

    def get_success_url(self, park):
        return reverse("registry:park_detail", args=[park.pk])

    def get_success_message(self, park, creating):
        return f"已登记园区 {park.name}。" if creating else "已保存。"

    def get_context(self, request, form, park):
        return {"park": park}


def _status_form(park: IndustrialPark, data=None) -> ParkStatusForm:
    if park.is_active:
        return ParkStatusForm(data, field="closed_on", label="撤销日期", version=park.version)
    return ParkStatusForm(data, field="reopened_on", label="恢复运营日期", version=park.version)


@login_required
@require_POST
def park_status(request, pk):
    """Close an operating park, or reopen a closed one (the form the park page shows)."""
    require_role(request.user, *roles.REGISTRY_EDITORS)
    park = _visible_park(request, pk)
    form = _status_form(park, request.POST)
    if form.is_valid():
        day = form.cleaned_data.get(form.day_field)
        version = form.cleaned_data.get("version")
        try:
            if park.is_active:
                services.close_park(request.user, park, closed_on=day, expected_version=version)
                messages.success(request, f"已撤销园区 {park.name}。")
            else:
                services.reopen_park(request.user, park, reopened_on=day, expected_version=version)
                messages.success(request, f"园区 {park.name} 已恢复运营。")
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("registry:park_detail", pk=park.pk)
    errors = [e for field_errors in form.errors.values() for e in field_errors]
    messages.error(request, "；".join(errors))
    return redirect("registry:park_detail", pk=park.pk)


# --- import -------------------------------------------------------------------------------

PARK_SHEET = ImportPages(
    ParkImporter,
    editors=roles.REGISTRY_EDITORS,
    title="工业园区",
    sheet_title="工业园区",
    namespace="registry",
    name="park_import",
    records="registry:park_list",
    records_label="查看园区名录",
)
