"""The HTML side of collective labour relations: the to-do lists of rules §7, unions, bargaining,
contracts, workers' congresses and open factory affairs, tripartite meetings, employment filing.

Thin by design: every change is one service call; every read goes through the scoped querysets
of ``queries`` (a record outside the reader's units is a 404, an action outside their roles a
403). Record pages share one action mechanism: each action is a form, the roles that may use it,
when it is offered, and the one service it calls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from yutong.core import exports, roles
from yutong.core import queries as core_queries
from yutong.core.casepages import STALE_FORM_MESSAGE, Action, action_forms, post_action, timeline
from yutong.core.casepages import choice as _choice
from yutong.core.casepages import is_conflict as _is_conflict
from yutong.core.casepages import tabs as _tabs
from yutong.core.pagination import paginate
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors
from yutong.registry.queries import parks_visible_to

from . import forms, queries, services
from .models import (
    AffairsDisclosure,
    CollectiveBargaining,
    CollectiveContract,
    FollowUpItem,
    WorkersCongress,
)

READERS = (*queries.READERS, roles.ENTERPRISE_USER)
STAFF_READERS = queries.READERS
CONFLICT_MESSAGE = "该记录已被他人修改，请刷新页面查看最新情况后再操作。"

EVENT_LABELS = {
    "requested": "提出协商要求",
    "replied": "书面答复",
    "round": "协商",
    "drafted": "登记草案",
    "adopted": "职代会通过",
    "signed": "签字",
    "filed": "报送审查",
    "objected": "审查异议",
    "terminated": "终止",
    "renewal": "续订",
    "published": "公布",
    "closed": "结束协商要求",
    "edited": "修改草案",
}


def _today() -> date:
    return timezone.localdate()


def _renamed(exc: ValidationError, **names: str) -> ValidationError:
    """The service's field errors under the form's field names (e.g. ``covered``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


def _run_service(request, form, call: Callable[[], Any]):
    """Call the service; its errors go onto the form. Returns the result or None."""
    try:
        return call()
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


# --- the to-do lists ---------------------------------------------------------------------------


@login_required
def todo(request):
    """The lists of rules §7 over the registry: who still has to set up what."""
    require_role(request.user, *READERS)
    name = _choice(request, queries.TODO_LISTS, "no_union", "list")
    names = {key: label for key, (label, _) in queries.TODO_LISTS.items()}
    enterprises = queries.todo_list(request.user, name)
    context = paginate(request, enterprises, per_page=50)
    context.update(
        tabs=_tabs(request, names, name, "list"),
        current=names[name],
        list_name=name,
        can_establish=can(request.user, *services.UNION_EDITORS),
    )
    return render(request, "relations/todo.html", context)


TODO_HEADERS = [
    "统一社会信用代码",
    "企业名称",
    "所属区县",
    "所属镇街",
    "行业门类",
    "职工人数",
    "已建工会",
]


@login_required
def todo_export(request):
    require_role(request.user, *READERS)
    name = _choice(request, queries.TODO_LISTS, "no_union", "list")
    enterprises = queries.todo_list(request.user, name).select_related("unit", "township")
    limit = settings.EXPORT_MAX_ROWS
    if enterprises.count() > limit:
        messages.error(request, f"导出结果超过 {limit} 行，请缩小范围后再导出。")
        return redirect(f"{reverse('relations:todo')}?list={name}")
    rows = (
        [
            e.uscc,
            e.name,
            e.unit.name,
            e.township.name if e.township else "",
            e.industry,
            e.employee_count,
            e.union_established,
        ]
        for e in enterprises.iterator(chunk_size=2000)
    )
    label = queries.TODO_LISTS[name][0]
    return exports.xlsx_response(exports.dated_filename(label), label, TODO_HEADERS, rows)


# --- record pages and their actions ------------------------------------------------------------


def _v(d: dict) -> int:
    return d["version"]


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
                expected_version=_v(d),
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
                user, u, dissolved_on=d["dissolved_on"], reason=d["reason"], expected_version=_v(d)
            ),
            lambda u: f"已登记工会撤销（{u.dissolved_on}）。",
            button="撤销",
            style="danger",
        ),
    )
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
                user, b, replied_on=d["replied_on"], reply=d["reply"], expected_version=_v(d)
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
                expected_version=_v(d),
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
                user, b, closed_on=d["closed_on"], reason=d["reason"], expected_version=_v(d)
            ),
            lambda b: "已结束该协商要求。",
            button="结束",
            style="danger",
        ),
    )
}

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
                expected_version=_v(d),
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
                user, c, signed_on=d["signed_on"], expected_version=_v(d)
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
                expected_version=_v(d),
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
                user, c, objected_on=d["objected_on"], reason=d["reason"], expected_version=_v(d)
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
                user, c, expires_on=d["expires_on"], title=d["title"], expected_version=_v(d)
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
                expected_version=_v(d),
            ),
            lambda c: "已登记终止。",
            button="终止",
            style="danger",
        ),
    )
}


FOLLOW_UP_ACTIONS = {
    "done": Action(
        "done",
        "登记办结",
        forms.FollowUpDoneForm,
        services.TRIPARTITE_EDITORS,
        lambda i: i.done_on is None,
        lambda user, i, d: services.complete_follow_up(
            user, i, done_on=d["done_on"], result=d["result"], expected_version=_v(d)
        ),
        lambda i: "督办事项已办结。",
        button="办结",
    )
}


@dataclass(frozen=True)
class Kind:
    code: str
    visible: Callable
    readers: tuple
    actions: dict
    template: str


KINDS = {
    "union": Kind(
        "union", queries.unions_visible_to, READERS, UNION_ACTIONS, "relations/union_detail.html"
    ),
    "bargaining": Kind(
        "bargaining",
        queries.bargainings_visible_to,
        READERS,
        BARGAINING_ACTIONS,
        "relations/bargaining_detail.html",
    ),
    "contract": Kind(
        "contract",
        queries.contracts_visible_to,
        READERS,
        CONTRACT_ACTIONS,
        "relations/contract_detail.html",
    ),
    "follow_up": Kind(
        "follow_up",
        queries.follow_ups_visible_to,
        STAFF_READERS,
        FOLLOW_UP_ACTIONS,
        "relations/meeting_detail.html",
    ),
}


def _record(request, kind: Kind, pk: int):
    require_role(request.user, *kind.readers)
    return get_object_or_404(kind.visible(request.user), pk=pk)


def _detail_url(kind: Kind, record) -> str:
    if kind.code == "follow_up":
        return reverse("relations:meeting_detail", args=[record.meeting_id])
    return reverse(f"relations:{kind.code}_detail", args=[record.pk])


def _action_forms(request, kind: Kind, record, bound=None) -> list[dict]:
    return action_forms(
        request,
        kind.actions,
        record,
        lambda action: reverse(f"relations:{kind.code}_action", args=[record.pk, action.name]),
        bound,
        form_arg="record",
    )


def _events(record) -> list[dict]:
    return timeline(record, EVENT_LABELS)


def _render_record(request, kind: Kind, record, bound=None, status: int = 200):
    if kind.code == "follow_up":
        return _render_meeting(request, record.meeting, bound=(record.pk, bound), status=status)
    context = {
        "record": record,
        "today": _today(),
        "actions": _action_forms(request, kind, record, bound),
        "show_audit": can(request.user, *roles.AUDIT_READERS),
        "can_edit_draft": kind.code == "contract"
        and record.status == S.DRAFT
        and can(request.user, *services.CONTRACT_EDITORS),
    }
    if context["show_audit"]:
        context["entries"] = core_queries.audit_trail(request.user, record)[:100]
    if kind.code == "contract":
        context.update(_contract_context(request, record))
    elif kind.code == "bargaining":
        context.update(
            events=_events(record),
            rounds=list(record.rounds.all()),
            contracts=list(queries.contracts_visible_to(request.user).filter(bargaining=record)),
        )
    return render(request, kind.template, context, status=status)


def _contract_context(request, contract) -> dict:
    covered = contract.covered_enterprises.select_related("unit", "township").order_by("name")
    return {
        "events": _events(contract),
        "covered": covered[:200],
        "covered_count": covered.count(),
        "renewals": list(queries.contracts_visible_to(request.user).filter(previous=contract)),
        "disclosures": list(
            queries.disclosures_visible_to(request.user).filter(contract=contract)[:20]
        ),
    }


@login_required
def union_detail(request, pk):
    kind = KINDS["union"]
    return _render_record(request, kind, _record(request, kind, pk))


@login_required
def bargaining_detail(request, pk):
    kind = KINDS["bargaining"]
    return _render_record(request, kind, _record(request, kind, pk))


@login_required
def contract_detail(request, pk):
    kind = KINDS["contract"]
    return _render_record(request, kind, _record(request, kind, pk))


@login_required
@require_POST
def record_action(request, pk, kind: str, action: str):
    """POST one action's form; the service decides, its errors come back on the form."""
    kind_ = KINDS[kind]
    spec = kind_.actions.get(action)
    if spec is None:
        return render(request, "core/404.html", status=404)
    record = _record(request, kind_, pk)
    require_role(request.user, *spec.roles)
    renewal = kind == "contract" and action == "renew"  # the new contract's page comes next
    return post_action(
        request,
        spec,
        record,
        detail_url=_detail_url(kind_, record),
        render_with_errors=lambda bound: _render_record(
            request, kind_, record, bound=bound, status=400
        ),
        form_arg="record",
        conflict_message=CONFLICT_MESSAGE,
        done_url=(lambda contract: _detail_url(kind_, contract)) if renewal else None,
    )


# --- unions ------------------------------------------------------------------------------------


@login_required
def union_list(request):
    require_role(request.user, *READERS)
    form = forms.UnionFilterForm(request.GET or None)
    unions = queries.unions_visible_to(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            unions = unions.filter(enterprise__name__contains=d["q"].strip())
        if d["state"] == "active":
            unions = unions.filter(dissolved_on__isnull=True)
        elif d["state"] == "dissolved":
            unions = unions.filter(dissolved_on__isnull=False)
        if d["form"]:
            unions = unions.filter(form=d["form"])
    context = paginate(request, unions.order_by("-established_on", "-id"))
    context.update(form=form, can_edit=can(request.user, *services.UNION_EDITORS))
    return render(request, "relations/union_list.html", context)


@dataclass(frozen=True)
class Done:
    """What a creation page says and where it goes once the service has run."""

    message: Callable[[Any], str]
    url: Callable[[Any], str]


def _create_page(request, *, title: str, form, call, done: Done):
    status = 200
    if request.method == "POST":
        if form.is_valid():
            result = _run_service(request, form, lambda: call(form.cleaned_data))
            if result is not None:
                messages.success(request, done.message(result))
                return redirect(done.url(result))
        status = 400
    return render(request, "relations/form.html", {"form": form, "title": title}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def union_create(request):
    require_role(request.user, *services.UNION_EDITORS)
    initial = {"enterprise": request.GET.get("enterprise", "")}
    form = forms.UnionForm(request.POST or None, user=request.user, initial=initial)
    return _create_page(
        request,
        title="登记工会",
        form=form,
        call=lambda d: services.establish_union(request.user, **d),
        done=Done(
            lambda u: f"已登记{u.name}。",
            lambda u: reverse("relations:union_detail", args=[u.pk]),
        ),
    )


# --- bargaining --------------------------------------------------------------------------------


@login_required
def bargaining_list(request):
    require_role(request.user, *READERS)
    name = _choice(request, queries.BARGAINING_QUEUES, "open")
    visible = queries.bargainings_visible_to(request.user)
    context = paginate(request, queries.bargaining_queue(visible, name))
    context.update(
        tabs=_tabs(request, queries.BARGAINING_QUEUES, name),
        today=_today(),
        can_edit=can(request.user, *services.CONTRACT_EDITORS),
    )
    return render(request, "relations/bargaining_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bargaining_create(request):
    require_role(request.user, *services.CONTRACT_EDITORS)
    initial = {"enterprise": request.GET.get("enterprise", ""), "topic": request.GET.get("topic")}
    form = forms.BargainingForm(request.POST or None, user=request.user, initial=initial)
    return _create_page(
        request,
        title="登记集体协商要求",
        form=form,
        call=lambda d: services.request_bargaining(request.user, **d),
        done=Done(
            lambda b: f"已登记协商要求，对方应于 {b.reply_due_on} 前书面答复。",
            lambda b: reverse("relations:bargaining_detail", args=[b.pk]),
        ),
    )


@login_required
def wage_bargaining(request):
    """Enterprises whose yearly wage bargaining is not done (重庆市集体合同条例 Art.18)."""
    require_role(request.user, *READERS)
    try:
        year = int(request.GET.get("year", _today().year))
    except ValueError:
        year = _today().year
    year = min(max(year, 2000), _today().year + 1)
    context = paginate(request, queries.wage_bargaining_pending(request.user, year))
    context.update(year=year, years=range(_today().year + 1, 2022, -1))
    context["can_edit"] = can(request.user, *services.CONTRACT_EDITORS)
    return render(request, "relations/wage_bargaining.html", context)


# --- contracts ---------------------------------------------------------------------------------


def _filtered_contracts(request):
    form = forms.ContractFilterForm(request.GET or None)
    contracts = queries.contracts_visible_to(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["status"]:
            contracts = contracts.filter(queries.contract_status_q(d["status"], _today()))
        for field in ("scope", "kind"):
            if d[field]:
                contracts = contracts.filter(**{field: d[field]})
        if d["q"]:
            contracts = contracts.filter(title__contains=d["q"].strip())
    name = _choice(request, queries.CONTRACT_QUEUES, "all")
    return form, name, queries.contract_queue(contracts, name)


@login_required
def contract_list(request):
    require_role(request.user, *READERS)
    form, name, contracts = _filtered_contracts(request)
    context = paginate(request, contracts)
    context.update(
        form=form,
        queue=name,
        tabs=_tabs(request, queries.CONTRACT_QUEUES, name),
        today=_today(),
        export_query=request.GET.urlencode(),
        can_edit=can(request.user, *services.CONTRACT_EDITORS),
    )
    return render(request, "relations/contract_list.html", context)


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


@login_required
def contract_export(request):
    require_role(request.user, *READERS)
    _, name, contracts = _filtered_contracts(request)
    limit = settings.EXPORT_MAX_ROWS
    if contracts.count() > limit:
        messages.error(request, f"导出结果超过 {limit} 行，请增加筛选条件后再导出。")
        return redirect(f"{reverse('relations:contract_list')}?{request.GET.urlencode()}")
    today = _today()
    rows = (
        [
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
            CollectiveContract.Status(c.status_on(today)).label,
        ]
        for c in contracts.iterator(chunk_size=1000)
    )
    return exports.xlsx_response(
        exports.dated_filename("集体合同"), "集体合同", CONTRACT_HEADERS, rows
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_create(request):
    require_role(request.user, *services.CONTRACT_EDITORS)
    initial = {"enterprise": request.GET.get("enterprise", ""), "scope": "enterprise"}
    form = forms.ContractForm(request.POST or None, user=request.user, initial=initial)
    return _create_page(
        request,
        title="登记集体合同草案",
        form=form,
        call=lambda d: services.draft_contract(request.user, **d),
        done=Done(
            lambda c: "已登记合同草案，请提交职工代表大会审议。",
            lambda c: reverse("relations:contract_detail", args=[c.pk]),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def contract_edit(request, pk):
    """Correct a draft: title, term and (regional or industry) covered enterprises."""
    contract = _record(request, KINDS["contract"], pk)
    require_role(request.user, *services.CONTRACT_EDITORS)
    detail = reverse("relations:contract_detail", args=[contract.pk])
    if contract.status != S.DRAFT:
        messages.error(request, "只有草案可以修改。")
        return redirect(detail)
    form = forms.ContractEditForm(request.POST or None, user=request.user, record=contract)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                services.update_draft_contract(
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
                    messages.error(request, CONFLICT_MESSAGE)
                    return redirect(detail)
                add_service_errors(form, _renamed(exc, covered_enterprises="covered"))
            else:
                messages.success(request, "已保存合同草案。")
                return redirect(detail)
        elif "version" in form.errors:
            messages.error(request, STALE_FORM_MESSAGE)
            return redirect(detail)
        status = 400
    return render(
        request,
        "relations/form.html",
        {"form": form, "title": f"修改合同草案：{contract.title}"},
        status=status,
    )


# --- workers' congresses and open factory affairs ----------------------------------------------


@login_required
def congress_list(request):
    require_role(request.user, *READERS)
    visible = queries.congresses_visible_to(request.user)
    names = {"all": "全部", "no_session": "本年度未召开"}
    name = _choice(request, names, "all")
    try:
        year = int(request.GET.get("year", _today().year))
    except ValueError:
        year = _today().year
    # The queue builds date(year, 12, 31): a year outside what a date can hold would be a 500.
    year = min(max(year, 2000), _today().year + 1)
    if name == "no_session":
        visible = queries.congresses_without_session(visible, year)
    else:
        visible = visible.order_by("-established_on", "-id")
    context = paginate(request, visible)
    context.update(
        tabs=_tabs(request, names, name),
        year=year,
        can_edit=can(request.user, *services.CONGRESS_EDITORS),
    )
    return render(request, "relations/congress_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def congress_create(request):
    require_role(request.user, *services.CONGRESS_EDITORS)
    form = forms.CongressForm(request.POST or None, user=request.user)
    return _create_page(
        request,
        title="登记职工代表大会",
        form=form,
        call=lambda d: services.establish_congress(request.user, **d),
        done=Done(
            lambda c: f"已登记{c.name}。",
            lambda c: reverse("relations:congress_detail", args=[c.pk]),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def congress_detail(request, pk):
    require_role(request.user, *READERS)
    congress = get_object_or_404(queries.congresses_visible_to(request.user), pk=pk)
    can_edit = can(request.user, *services.CONGRESS_EDITORS)
    form = forms.SessionForm(request.POST or None) if can_edit else None
    status = 200
    if request.method == "POST":
        require_role(request.user, *services.CONGRESS_EDITORS)
        if form.is_valid():
            session = _run_service(
                request,
                form,
                lambda: services.record_session(request.user, congress, **form.cleaned_data),
            )
            if session is not None:
                messages.success(request, f"已登记 {session.held_on} 的会议。")
                return redirect("relations:congress_detail", pk=congress.pk)
        status = 400
    covered = congress.covered_enterprises.select_related("unit").order_by("name")
    return render(
        request,
        "relations/congress_detail.html",
        {
            "record": congress,
            "sessions": congress.sessions.all(),
            "covered": covered[:200],
            "covered_count": covered.count(),
            "required": services.required_delegates(congress.staff_count, _today(), congress.unit)
            if congress.form == WorkersCongress.Form.CONGRESS
            else None,
            "form": form,
        },
        status=status,
    )


@login_required
def disclosure_list(request):
    require_role(request.user, *READERS)
    visible = queries.disclosures_visible_to(request.user).order_by("-disclosed_on", "-id")
    context = paginate(request, visible)
    context["can_edit"] = can(request.user, *services.DISCLOSURE_EDITORS)
    return render(request, "relations/disclosure_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def disclosure_create(request):
    require_role(request.user, *services.DISCLOSURE_EDITORS)
    initial = {
        "enterprise": request.GET.get("enterprise", ""),
        "contract": request.GET.get("contract", ""),
    }
    if initial["contract"]:
        initial["category"] = AffairsDisclosure.Category.COLLECTIVE_CONTRACT
    form = forms.DisclosureForm(request.POST or None, user=request.user, initial=initial)
    return _create_page(
        request,
        title="登记厂务公开",
        form=form,
        call=lambda d: services.disclose_affairs(request.user, **d),
        done=Done(lambda d: "已登记厂务公开。", lambda d: reverse("relations:disclosure_list")),
    )


# --- tripartite meetings -----------------------------------------------------------------------


def _filtered_meetings(request):
    form = forms.MeetingFilterForm(request.GET or None)
    meetings = queries.meetings_visible_to(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["level"]:
            meetings = meetings.filter(level=d["level"])
        if d["industry"]:
            meetings = meetings.filter(industry=d["industry"])
        if d["held_from"]:
            meetings = meetings.filter(held_on__gte=d["held_from"])
        if d["held_to"]:
            meetings = meetings.filter(held_on__lte=d["held_to"])
        if d["q"]:
            meetings = meetings.filter(title__contains=d["q"].strip())
    return form, meetings.order_by("-held_on", "-id")


@login_required
def meeting_list(request):
    require_role(request.user, *STAFF_READERS)
    form, meetings = _filtered_meetings(request)
    context = paginate(request, meetings)
    context.update(
        form=form,
        export_query=request.GET.urlencode(),
        can_edit=can(request.user, *services.TRIPARTITE_EDITORS),
    )
    return render(request, "relations/meeting_list.html", context)


MEETING_HEADERS = [
    "会议编号",
    "会议日期",
    "会议名称",
    "层级",
    "单位（园区、镇街、行业）",
    "参会人员",
    "议定事项",
    "督办事项",
    "牵头单位",
    "责任人",
    "完成期限",
    "完成日期",
    "办理结果",
    "办理状态",
]


def _meeting_rows(meetings, today: date):
    """One row per follow-up item (a meeting without any: one row), meeting columns repeated."""
    prefetched = meetings.select_related("unit", "park", "township").prefetch_related(
        "participants",
        Prefetch("follow_ups", queryset=FollowUpItem.objects.order_by("due_on", "id")),
    )
    for m in prefetched.iterator(chunk_size=500):
        head = [
            m.pk,
            m.held_on,
            m.title,
            m.get_level_display(),
            m.place,
            "；".join(
                f"{p.get_body_display()}：{p.name}{f'（{p.position}）' if p.position else ''}"
                for p in m.participants.all()
            ),
            m.decisions,
        ]
        items = list(m.follow_ups.all())
        if not items:
            yield [*head, *[None] * 7]
        for i in items:
            state = "已办结" if i.done_on else ("已逾期" if i.due_on < today else "未办结")
            yield [
                *head,
                i.task,
                i.get_owner_body_display(),
                i.owner_name,
                i.due_on,
                i.done_on,
                i.result,
                state,
            ]


@login_required
def meeting_export(request):
    """The meetings of the list's filters with their follow-up items, in the reader's units."""
    require_role(request.user, *STAFF_READERS)
    _, meetings = _filtered_meetings(request)
    limit = settings.EXPORT_MAX_ROWS
    rows = meetings.count() + FollowUpItem.objects.filter(meeting__in=meetings).count()
    if rows > limit:
        messages.error(request, f"导出结果超过 {limit} 行，请增加筛选条件后再导出。")
        return redirect(f"{reverse('relations:meeting_list')}?{request.GET.urlencode()}")
    return exports.xlsx_response(
        exports.dated_filename("三方会议及督办事项"),
        "三方会议",
        MEETING_HEADERS,
        _meeting_rows(meetings, _today()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request):
    require_role(request.user, *services.TRIPARTITE_EDITORS)
    form = forms.MeetingForm(
        request.POST or None, user=request.user, parks=parks_visible_to(request.user)
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        meeting = _run_service(
            request,
            form,
            lambda: services.record_meeting(
                request.user,
                level=d["level"],
                unit=d["unit"],
                park=d["park"],
                township=d["township"],
                industry=d["industry"],
                held_on=d["held_on"],
                title=d["title"],
                agenda=d["agenda"],
                decisions=d["decisions"],
                participants=form.participants(),
                follow_ups=form.follow_ups(),
            ),
        )
        if meeting is not None:
            messages.success(request, "已登记三方会议。")
            return redirect("relations:meeting_detail", pk=meeting.pk)
    return render(request, "relations/meeting_form.html", {"form": form})


def _render_meeting(request, meeting, bound=None, status: int = 200, add_form=None):
    kind = KINDS["follow_up"]
    items = []
    for item in meeting.follow_ups.all():
        own = bound[1] if bound is not None and bound[0] == item.pk else None
        items.append({"item": item, "actions": _action_forms(request, kind, item, own)})
    if add_form is None and can(request.user, *services.TRIPARTITE_EDITORS):
        add_form = forms.FollowUpAddForm(record=meeting)
    if add_form is not None:
        add_form.auto_id = "id_add_%s"
    return render(
        request,
        "relations/meeting_detail.html",
        {
            "record": meeting,
            "participants": meeting.participants.all(),
            "items": items,
            "today": _today(),
            "add_form": add_form,
        },
        status=status,
    )


@login_required
def meeting_detail(request, pk):
    require_role(request.user, *STAFF_READERS)
    meeting = get_object_or_404(queries.meetings_visible_to(request.user), pk=pk)
    return _render_meeting(request, meeting)


@login_required
@require_POST
def meeting_add_follow_up(request, pk):
    require_role(request.user, *STAFF_READERS)
    meeting = get_object_or_404(queries.meetings_visible_to(request.user), pk=pk)
    require_role(request.user, *services.TRIPARTITE_EDITORS)
    form = forms.FollowUpAddForm(request.POST, record=meeting)
    detail = reverse("relations:meeting_detail", args=[meeting.pk])
    if form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        try:
            services.add_follow_up(request.user, meeting, expected_version=version, **d)
        except ValidationError as exc:
            if _is_conflict(exc):
                messages.error(request, CONFLICT_MESSAGE)
                return redirect(detail)
            add_service_errors(form, exc)
        else:
            messages.success(request, "已添加督办事项。")
            return redirect(detail)
    elif "version" in form.errors:
        messages.error(request, STALE_FORM_MESSAGE)
        return redirect(detail)
    return _render_meeting(request, meeting, status=400, add_form=form)


@login_required
def follow_up_list(request):
    require_role(request.user, *STAFF_READERS)
    name = _choice(request, queries.FOLLOW_UP_QUEUES, "overdue")
    items = queries.follow_up_queue(queries.follow_ups_visible_to(request.user), name)
    context = paginate(request, items)
    context.update(tabs=_tabs(request, queries.FOLLOW_UP_QUEUES, name), today=_today())
    return render(request, "relations/follow_up_list.html", context)


# --- employment filing -------------------------------------------------------------------------


def _filtered_filings(request):
    """The filings of the list's filters; the month defaults to the latest one filed."""
    visible = queries.filings_visible_to(request.user)
    filter_form = forms.FilingFilterForm(request.GET or None)
    period = None
    filings = visible
    if filter_form.is_valid():
        d = filter_form.cleaned_data
        period = d["period"]
        if d["over_cap"]:
            filings = filings.filter(dispatch_over_cap=True)
        if d["q"]:
            filings = filings.filter(enterprise__name__contains=d["q"].strip())
    period = period or queries.latest_period(visible)
    if period is not None:
        filings = filings.filter(period=period)
    return filter_form, visible, period, filings.order_by("-period", "enterprise__name", "id")


@login_required
@require_http_methods(["GET", "POST"])
def filing_list(request):
    """Employment filings, the signing rate per unit, and (for those who may) a filing form."""
    require_role(request.user, *READERS)
    filter_form, visible, period, filings = _filtered_filings(request)
    can_file = can(request.user, *services.FILING_EDITORS)
    own = queries._own_uscc(request.user)
    form = None
    if can_file:
        initial = {"enterprise": own or "", "period": f"{_today():%Y-%m}"}
        form = forms.FilingForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        require_role(request.user, *services.FILING_EDITORS)
        if form.is_valid():
            d = dict(form.cleaned_data)
            version = d.pop("version")
            filing = _run_service(
                request,
                form,
                lambda: services.file_employment(request.user, expected_version=version, **d),
            )
            if filing is not None:
                flag = "；派遣用工超过 10% 上限" if filing.dispatch_over_cap else ""
                messages.success(request, f"已备案 {filing.period:%Y-%m}{flag}。")
                return redirect(f"{reverse('relations:filing_list')}?period={filing.period:%Y-%m}")
        status = 400
    context = paginate(request, filings.select_related("unit__current"))
    for filing in context["object_list"]:
        filing.shown_unit = queries.unit_for_period(filing.unit, filing.period)
    context.update(
        filter_form=filter_form,
        form=form,
        period=period,
        export_query=request.GET.urlencode(),
        by_unit=queries.signing_rates_by_unit(visible, period) if period else [],
        is_enterprise=bool(own),
    )
    return render(request, "relations/filing_list.html", context, status=status)


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


@login_required
def filing_export(request):
    """The filings of the list's filters (one month), in the reader's scope."""
    require_role(request.user, *READERS)
    _, _, period, filings = _filtered_filings(request)
    limit = settings.EXPORT_MAX_ROWS
    if filings.count() > limit:
        messages.error(request, f"导出结果超过 {limit} 行，请增加筛选条件后再导出。")
        return redirect(f"{reverse('relations:filing_list')}?{request.GET.urlencode()}")
    rows = (
        [
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
        for f in filings.iterator(chunk_size=2000)
    )
    stem = f"用工备案-{period:%Y-%m}" if period else "用工备案"
    return exports.xlsx_response(exports.dated_filename(stem), "用工备案", FILING_HEADERS, rows)
