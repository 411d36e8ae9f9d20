"""Employment filing (用工备案): one month's filings at a time (the latest filed unless the
reader names one), the signing rate per unit, the export of the month, and (for those who may
file) the filing form beside the list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse

from yutong.core import generic
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors

from .. import forms, queries, services
from .common import RelationsList, today

FILING_HEADERS = [
    "备案期间",
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "直接用工人数",
    "已签劳动合同人数",
    "劳动合同签订率",
    "劳务派遣用工人数",
    "派遣用工占比",
    "参加社会保险人数",
    "派遣用工超比例",
    "备案日期",
]


def _ratio(value):
    return None if value is None else round(value, 4)


class FilingList(RelationsList):
    """Employment filings, the signing rate per unit, and (for those who may) a filing form:
    a POST files (or corrects) a month and comes back to that month."""

    template_name = "relations/filing_list.html"
    filter_form = forms.FilingFilterForm
    sorting = queries.FILING_SORTING
    export = generic.Export("用工备案", FILING_HEADERS)
    url_name = "relations:filing_list"
    # The month shown is what the list is, not a filter (an empty month says so).
    tab_params = ("period",)
    period = None
    posted = None

    def get_queryset(self, request):
        return queries.filings_visible_to(request.user).select_related("unit__current")

    def filter_queryset(self, request, rows, data):
        self.period = data["period"]
        return queries.filter_filings(rows, data)

    def rows(self, request):
        """One month: the one asked for, else the latest filed."""
        self.period = None
        form, rows, sort = super().rows(request)
        self.filters = form
        if self.period is None:
            self.period = queries.latest_period(queries.filings_visible_to(request.user))
        if self.period is not None:
            rows = rows.filter(period=self.period)
        return form, rows, sort

    def prepare_page(self, request, rows):
        for filing in rows:
            filing.shown_unit = queries.unit_for_period(filing.unit, filing.period)

    def filing_form(self, request):
        if self.posted is not None:
            return self.posted
        if not can(request.user, *services.FILING_EDITORS):
            return None
        own = queries._own_uscc(request.user)
        initial = {"enterprise": own or "", "period": f"{today():%Y-%m}"}
        data = request.POST if request.method == "POST" else None
        return forms.FilingForm(data, user=request.user, initial=initial)

    def page_context(self, request):
        visible = queries.filings_visible_to(request.user)
        period = self.period
        return {
            "filter_form": self.filters,
            "form": self.filing_form(request),
            "period": period,
            "by_unit": queries.signing_rates_by_unit(visible, period) if period else [],
            "is_enterprise": bool(queries._own_uscc(request.user)),
        }

    def post(self, request, *args, **kwargs):
        require_role(request.user, *services.FILING_EDITORS)
        form = self.filing_form(request)
        if form.is_valid():
            d = dict(form.cleaned_data)
            version = d.pop("version")
            try:
                filing = services.file_employment(request.user, expected_version=version, **d)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                flag = "；派遣用工超过 10% 上限" if filing.dispatch_over_cap else ""
                messages.success(request, f"已备案 {filing.period:%Y-%m}{flag}。")
                return redirect(f"{reverse(self.url_name)}?period={filing.period:%Y-%m}")
        self.posted = form
        response = self.get(request, *args, **kwargs)
        response.status_code = 400
        return response

    def get_export(self, request):
        # The workbook is named for the month it holds (``rows`` has read it).
        stem = f"用工备案-{self.period:%Y-%m}" if self.period else "用工备案"
        return generic.Export(stem, FILING_HEADERS)

    def export_row(self, request, f):
        return [
            f"{f.period:%Y-%m}",
            f.enterprise.uscc,
            f.enterprise.name,
            f.unit.name,
            f.employees,
            f.contracted,
            _ratio(f.signing_rate),
            f.dispatched,
            _ratio(f.dispatch_share),
            f.insured,
            f.dispatch_over_cap,
            f.filed_on,
        ]
