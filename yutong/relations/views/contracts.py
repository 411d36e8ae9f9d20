"""Collective contracts: the queues with their filters and export, the draft form, the page of a
draft's corrections and a contract's page with the steps of its life (approve, sign, file,
object, renew, terminate)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.urls import reverse

from yutong.core import generic
from yutong.core.casepages import STALE_FORM_MESSAGE, Action
from yutong.core.casepages import is_conflict as _is_conflict
from yutong.core.permissions import can

from .. import forms, queries, services
from ..models import CollectiveContract
from .common import (
    CONFLICT_MESSAGE,
    READERS,
    Kind,
    RelationsEdit,
    RelationsList,
    events,
    record,
    renamed,
    render_record,
    today,
    v,
)

CONTRACT_HEADERS = [
    "编号",
    "合同名称",
    "类型",
    "种类",
    "所属区县",
    "企业或区域",
    "覆盖职工人数",
    "期限起始日",
    "期限届满日",
    "签字日期",
    "报送日期",
    "生效日期",
    "状态",
]


class ContractList(RelationsList):
    template_name = "relations/contract_list.html"
    filter_form = forms.ContractFilterForm
    queues = queries.CONTRACT_QUEUES
    queue_default = "all"
    queue_order = queries.CONTRACT_QUEUE_ORDER
    sorting = queries.CONTRACT_SORTING
    export = generic.Export("集体合同", CONTRACT_HEADERS)
    url_name = "relations:contract_list"

    def get_queryset(self, request):
        visible = queries.contracts_visible_to(request.user)
        return queries.contract_queue(visible, self.queue, today())

    def filter_queryset(self, request, rows, data):
        return queries.filter_contracts(rows, data, today())

    def page_context(self, request):
        return {"can_edit": can(request.user, *services.CONTRACT_EDITORS)}

    def export_row(self, request, c):
        return [
            c.pk,
            c.title,
            c.get_scope_display(),
            c.get_kind_display(),
            c.unit.name,
            c.enterprise.name if c.enterprise else (c.region.name if c.region else c.industry),
            c.employees_covered,
            c.term_start,
            c.expires_on,
            c.signed_on,
            c.filed_on,
            c.effective_from,
            CollectiveContract.Status(c.status_on(today())).label,
        ]


class ContractCreate(RelationsEdit):
    editors = services.CONTRACT_EDITORS
    form_class = forms.ContractForm
    title = "登记集体合同草案"
    success_message = "已登记合同草案，请提交职工代表大会审议。"

    def get_form_kwargs(self, request, contract):
        initial = {"enterprise": request.GET.get("enterprise", ""), "scope": "enterprise"}
        return {"user": request.user, "initial": initial}

    def save(self, request, form, contract):
        return services.draft_contract(request.user, **form.cleaned_data)

    def get_success_url(self, contract):
        return reverse("relations:contract_detail", args=[contract.pk])


class ContractDraftEdit(RelationsEdit):
    """Correct a draft: title, term and (regional or industry) covered enterprises. Only a
    draft: any other contract, or a form drawn before someone else's change, goes back to the
    contract's page with a message."""

    editors = services.CONTRACT_EDITORS
    form_class = forms.ContractEditForm
    success_message = "已保存合同草案。"

    def get_object(self, request, pk):
        contract = record(request, CONTRACT_KIND, pk)
        if contract.status != S.DRAFT:
            raise generic.Leave("只有草案可以修改。", self.get_success_url(contract))
        return contract

    def get_form_kwargs(self, request, contract):
        return {"user": request.user, "record": contract}

    def save(self, request, form, contract):
        d = form.cleaned_data
        try:
            return services.update_draft_contract(
                request.user,
                contract,
                expected_version=d["version"],
                title=d["title"],
                term_start=d["term_start"],
                expires_on=d["expires_on"],
                covered=d.get("covered") if "covered" in form.fields else None,
            )
        except ValidationError as exc:
            if _is_conflict(exc):
                raise generic.Leave(CONFLICT_MESSAGE, self.get_success_url(contract)) from exc
            raise renamed(exc, covered_enterprises="covered") from exc

    def get_success_url(self, contract):
        return reverse("relations:contract_detail", args=[contract.pk])

    def get_title(self, contract):
        return f"修改合同草案：{contract.title}"

    def get_context(self, request, form, contract):
        if form.is_bound and "version" in form.errors:
            raise generic.Leave(STALE_FORM_MESSAGE, self.get_success_url(contract))
        return super().get_context(request, form, contract)


S = CollectiveContract.Status
CONTRACT_ACTIONS = {
    a.name: a
    for a in (
        Action(
            "approve",
            "职代会审议通过",
            forms.ApproveForm,
            services.CONTRACT_EDITORS,
            lambda c: c.status == S.DRAFT,
            lambda user, c, d: services.approve_contract(
                user,
                c,
                adopted_on=d["adopted_on"],
                congress_total=d["congress_total"],
                congress_attending=d["congress_attending"],
                congress_approving=d["congress_approving"],
                expected_version=v(d),
            ),
            lambda c: "已登记职工代表大会审议通过。",
            button="登记通过",
            style="success",
        ),
        Action(
            "sign",
            "双方首席代表签字",
            forms.SignForm,
            services.CONTRACT_EDITORS,
            lambda c: c.status == S.ADOPTED,
            lambda user, c, d: services.sign_contract(
                user, c, signed_on=d["signed_on"], expected_version=v(d)
            ),
            lambda c: f"已签订，应于 {c.filing_due_on} 前报送审查。",
            button="登记签字",
        ),
        Action(
            "file",
            "报送人社部门审查",
            forms.FileForm,
            services.CONTRACT_EDITORS,
            lambda c: c.status == S.SIGNED,
            lambda user, c, d: services.file_contract(
                user,
                c,
                filed_on=d["filed_on"],
                filing_venue=d["filing_venue"],
                expected_version=v(d),
            ),
            lambda c: (
                f"已报送，审查期限至 {c.review_due_on}；无异议的自 {c.effective_from} 起生效。"
            ),
            button="报送",
        ),
        Action(
            "object",
            "审查提出异议",
            forms.ObjectForm,
            services.CONTRACT_REVIEWERS,
            lambda c: c.status == S.UNDER_REVIEW,
            lambda user, c, d: services.object_contract(
                user, c, objected_on=d["objected_on"], reason=d["reason"], expected_version=v(d)
            ),
            lambda c: "已提出审查异议。",
            button="提出异议",
            style="danger",
        ),
        Action(
            "renew",
            "续订",
            forms.RenewForm,
            services.CONTRACT_EDITORS,
            lambda c: c.status in (S.EFFECTIVE, S.EXPIRED),
            lambda user, c, d: services.renew_contract(
                user, c, expires_on=d["expires_on"], title=d["title"], expected_version=v(d)
            ),
            lambda c: f"已登记续订合同草案（编号 {c.pk}）。",
            button="续订",
        ),
        Action(
            "terminate",
            "终止合同",
            forms.TerminateForm,
            services.CONTRACT_EDITORS,
            lambda c: c.status in (S.DRAFT, S.ADOPTED, S.SIGNED, S.UNDER_REVIEW, S.EFFECTIVE),
            lambda user, c, d: services.terminate_contract(
                user,
                c,
                terminated_on=d["terminated_on"],
                reason=d["reason"],
                expected_version=v(d),
            ),
            lambda c: "已登记终止。",
            button="终止",
            style="danger",
        ),
    )
}


def _render_contract(request, contract, bound=None, status=200):
    covered = contract.covered_enterprises.select_related("unit", "township").order_by("name")
    visible = queries.contracts_visible_to(request.user)
    return render_record(
        request,
        CONTRACT_KIND,
        contract,
        "relations/contract_detail.html",
        bound=bound,
        status=status,
        can_edit_draft=contract.status == S.DRAFT and can(request.user, *services.CONTRACT_EDITORS),
        events=events(contract),
        covered=covered[:200],
        covered_count=covered.count(),
        renewals=list(visible.filter(previous=contract)),
        disclosures=list(
            queries.disclosures_visible_to(request.user).filter(contract=contract)[:20]
        ),
    )


CONTRACT_KIND = Kind(
    "contract", queries.contracts_visible_to, READERS, CONTRACT_ACTIONS, _render_contract
)


@login_required
def contract_detail(request, pk):
    return _render_contract(request, record(request, CONTRACT_KIND, pk))
