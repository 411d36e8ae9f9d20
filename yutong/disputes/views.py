"""The HTML side of mediation and arbitration: work queues and their export, registering a
dispute, the case pages with their actions, and the public online application.

Thin by design: every change goes through one service call; every read through the scoped
querysets of ``queries`` (a case outside the reader's units is a 404, an action outside the
reader's roles a 403).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yutong.core import cases, roles, scope
from yutong.core.casepages import (
    Action,
    QueueList,
    action_forms,
    audit_entries,
    by_name,
    clock_panel,
    due_info,
    extended,
    post_action,
    suspended,
    timeline,
    urge_action,
)
from yutong.core.models import OrgUnit
from yutong.core.permissions import can, require_role
from yutong.core.personal import mask_resident_id
from yutong.core.public_forms import PublicFormGuard
from yutong.core.viewutils import add_service_errors
from yutong.registry.queries import enterprises_visible_to, filter_enterprises

from . import calculator_views, forms, queries, services
from .models import (
    ArbitrationCase,
    ArbitrationCommission,
    Dispute,
    DisputeWorker,
    MediationBody,
    MediationCase,
    Mediator,
)

# Who reads which pages: the same roles as the API and the printed documents (queries.py). A
# mediator follows the arbitration case a failed mediation became (one-stop centres hand it on);
# an arbitrator reads the mediation record before it. Who may act is the services' business.
MEDIATION_PAGE_ROLES = queries.MEDIATION_READERS
ARBITRATION_PAGE_ROLES = queries.ARBITRATION_READERS
TRANSFER_ROLES = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.MEDIATOR)
MODEL_CASE_ROLES = (roles.CITY_ADMIN, roles.ARBITRATOR)

CONFLICT_MESSAGE = "该案件已被他人处理，请刷新页面查看最新情况后再操作。"

EVENT_LABELS = {
    "received": "收到申请",
    "online_application": "网上申请",
    "assigned": "指派调解员",
    "closed": "结案",
    "transferred": "转仲裁",
    "materials_requested": "通知补正",
    "materials_supplied": "材料补正",
    "accepted": "受理",
    "refused": "不予受理",
    "tribunal_formed": "组庭",
    "hearing_scheduled": "排期开庭",
    "extended": "延长期限",
    "suspended": "中止审理",
    "resumed": "恢复审理",
    "restarted": "重新计算期限",
    "claims_changed": "变更请求",
}


# --- actions (core.casepages.Action: form, who may, when, the one service) ----------------------


def _open(case) -> bool:
    return case.is_open


def _status(*allowed):
    return lambda case: case.is_open and case.status in allowed


def _can_transfer(case) -> bool:
    if case.is_open:
        return case.due_on is not None and case.due_on < timezone.localdate()
    return (
        case.closure == MediationCase.Closure.NO_AGREEMENT and not case.arbitration_cases.exists()
    )


def _commissions_for(request, case) -> dict:
    visible = scope.restrict_to_units(
        ArbitrationCommission.objects.filter(is_active=True), request.user
    )
    return {"commissions": visible.select_related("unit")}


def _v(data) -> int:
    return data["version"]


def _change_claims(user, case, d):
    return services.change_claims(
        user,
        case,
        reason=d["reason"],
        add=d["add"],
        change=d["change"],
        withdraw=d["withdraw"],
        restart_clock=d.get("restart_clock"),
        restart_on=d.get("restart_on"),
        expected_version=_v(d),
    )


def _claims_changed(case) -> str:
    awaiting_award = isinstance(case, ArbitrationCase) and case.accepted_on and case.due_on
    due = f"审理期限至 {case.due_on}。" if awaiting_award else ""
    return f"请求事项已更新。{due}"


def change_claims_action(handlers) -> Action:
    return Action(
        "change_claims",
        "增加、变更或撤回请求",
        forms.ChangeClaimsForm,
        handlers,
        _open,
        _change_claims,
        _claims_changed,
        style="secondary",
        fields_template="disputes/_claim_fields.html",
    )


MEDIATION_ACTIONS = by_name(
    Action(
        "assign",
        "指派调解员",
        forms.AssignMediatorForm,
        services.MEDIATION_HANDLERS,
        _open,
        lambda user, case, d: services.assign_mediation(
            user, case, mediator=d["mediator"], expected_version=_v(d)
        ),
        lambda case: f"已指派调解员 {case.mediator.name}。",
        button="指派",
    ),
    Action(
        "close",
        "调解结案",
        forms.CloseMediationForm,
        services.MEDIATION_HANDLERS,
        _open,
        lambda user, case, d: services.close_mediation(
            user,
            case,
            closure=d["closure"],
            closed_on=d["closed_on"],
            agreement_text=d["agreement_text"],
            agreed_amount=d["agreed_amount"],
            expected_version=_v(d),
        ),
        lambda case: f"已结案：{case.get_closure_display()}。",
        button="结案",
    ),
    Action(
        "transfer",
        "转仲裁",
        forms.TransferForm,
        TRANSFER_ROLES,
        _can_transfer,
        lambda user, case, d: services.transfer_to_arbitration(
            user,
            case,
            commission=d["commission"],
            received_on=d["received_on"],
            expected_version=_v(d),
        ),
        lambda arbitration: (
            f"已转{arbitration.commission.name}，仲裁案件编号 {arbitration.pk}，"
            f"应于 {arbitration.decision_due_on} 前决定是否受理。"
        ),
        button="转仲裁",
        style="warning",
        form_kwargs=_commissions_for,
    ),
    change_claims_action(services.MEDIATION_HANDLERS),
    urge_action(),
)


def _accepted_open(case) -> bool:
    return case.is_open and case.accepted_on is not None


def _can_extend(case) -> bool:
    return _accepted_open(case) and not extended(case)


def _can_suspend(case) -> bool:
    return _accepted_open(case) and not suspended(case)


def _can_resume(case) -> bool:
    return case.is_open and suspended(case)


def _award_result(case) -> str:
    items = list(case.award_items.all())
    if not items:
        return ""
    if all(i.is_final for i in items):
        return "终局裁决（各项均为终局）"
    if any(i.is_final for i in items):
        return "部分事项终局、部分事项非终局"
    return "非终局裁决"


def _closed_message(case) -> str:
    result = _award_result(case)
    return f"已结案：{case.get_closure_display()}。" + (f"裁决结果：{result}。" if result else "")


S = ArbitrationCase.Status

ARBITRATION_ACTIONS = by_name(
    Action(
        "request_materials",
        "通知补正材料",
        forms.RequestMaterialsForm,
        services.ARBITRATION_HANDLERS,
        _status(S.RECEIVED),
        lambda user, case, d: services.request_materials(
            user, case, items=d["items"], expected_version=_v(d)
        ),
        lambda case: "已通知补正材料，受理审查期限暂停计算。",
        button="通知补正",
        style="secondary",
    ),
    Action(
        "materials_supplied",
        "材料补正齐全",
        forms.MaterialsSuppliedForm,
        services.ARBITRATION_HANDLERS,
        _status(S.MATERIALS_REQUESTED),
        lambda user, case, d: services.materials_supplied(
            user, case, on=d["on"], expected_version=_v(d)
        ),
        lambda case: f"已登记补正材料，应于 {case.decision_due_on} 前决定是否受理。",
    ),
    Action(
        "accept",
        "受理",
        forms.AcceptForm,
        services.ARBITRATION_HANDLERS,
        _status(S.RECEIVED),
        lambda user, case, d: services.accept(
            user,
            case,
            accepted_on=d["accepted_on"],
            procedure=d["procedure"],
            expected_version=_v(d),
        ),
        lambda case: f"已受理，案号 {case.number}，审理期限至 {case.due_on}。",
        button="受理",
        style="success",
    ),
    Action(
        "refuse",
        "不予受理",
        forms.RefuseForm,
        services.ARBITRATION_HANDLERS,
        _status(S.RECEIVED),
        lambda user, case, d: services.refuse(
            user,
            case,
            refused_on=d["refused_on"],
            reason=d["reason"],
            expected_version=_v(d),
        ),
        lambda case: "已作出不予受理决定。",
        button="不予受理",
        style="danger",
    ),
    Action(
        "tribunal",
        "组成仲裁庭",
        forms.TribunalForm,
        services.ARBITRATION_HANDLERS,
        _status(S.ACCEPTED, S.TRIBUNAL_FORMED),
        lambda user, case, d: services.form_tribunal(
            user, case, arbitrators=list(d["arbitrators"]), expected_version=_v(d)
        ),
        lambda case: "已组成仲裁庭。",
        button="组庭",
    ),
    Action(
        "hearing",
        "排期开庭",
        forms.HearingForm,
        services.ARBITRATION_HANDLERS,
        _status(S.TRIBUNAL_FORMED, S.HEARING_SCHEDULED),
        lambda user, case, d: services.schedule_hearing(
            user,
            case,
            hearing_at=d["hearing_at"],
            notified_on=d["notified_on"],
            expected_version=_v(d),
        ),
        lambda case: f"已排期，开庭时间 {timezone.localtime(case.hearing_at):%Y-%m-%d %H:%M}。",
        button="排期",
    ),
    Action(
        "extend",
        "延长审理期限",
        forms.ExtendForm,
        services.ARBITRATION_HANDLERS,
        _can_extend,
        lambda user, case, d: services.extend(
            user,
            case,
            days=d["days"],
            reason=d["reason"],
            approver=d["approver"],
            decided_on=d.get("decided_on"),
            expected_version=_v(d),
        ),
        lambda case: f"已延长审理期限，至 {case.due_on}。",
        button="延期",
        style="secondary",
    ),
    Action(
        "assign",
        "更换承办人",
        forms.AssignArbitrationForm,
        services.ARBITRATION_HANDLERS,
        _open,
        lambda user, case, d: services.assign_arbitration(
            user, case, handler=d["handler"], expected_version=_v(d)
        ),
        lambda case: f"承办人已改为 {case.assigned_to}。",
        button="更换",
        style="secondary",
    ),
    Action(
        "restart",
        "重新计算审理期限",
        forms.RestartForm,
        services.ARBITRATION_HANDLERS,
        _accepted_open,
        lambda user, case, d: services.restart_clock(
            user,
            case,
            start=d["start"],
            ground=d["ground"],
            note=d["note"],
            expected_version=_v(d),
        ),
        lambda case: f"审理期限已重新计算，至 {case.due_on}。",
        button="重新计算",
        style="secondary",
    ),
    Action(
        "suspend",
        "中止审理",
        forms.SuspendForm,
        services.ARBITRATION_HANDLERS,
        _can_suspend,
        lambda user, case, d: services.suspend(
            user,
            case,
            from_day=d["from_day"],
            reason=d["reason"],
            approver=d["approver"],
            expected_version=_v(d),
        ),
        lambda case: "已中止审理，期间不计入审理期限。",
        button="中止",
        style="secondary",
    ),
    Action(
        "resume",
        "恢复审理",
        forms.ResumeForm,
        services.ARBITRATION_HANDLERS,
        _can_resume,
        lambda user, case, d: services.resume(
            user, case, to_day=d["to_day"], expected_version=_v(d)
        ),
        lambda case: f"已恢复审理，审理期限至 {case.due_on}。",
        button="恢复",
    ),
    Action(
        "close",
        "结案",
        forms.CloseArbitrationForm,
        services.ARBITRATION_HANDLERS,
        _accepted_open,
        lambda user, case, d: services.close(
            user,
            case,
            closure=d["closure"],
            closed_on=d["closed_on"],
            items=d["_items"] if d["closure"] == ArbitrationCase.Closure.AWARD else None,
            note=d["note"],
            expected_version=_v(d),
        ),
        _closed_message,
        button="结案",
        fields_template="disputes/_award_fields.html",
    ),
    Action(
        "model_case",
        "精品案例",
        forms.ModelCaseForm,
        MODEL_CASE_ROLES,
        lambda case: case.closed_on is not None,
        lambda user, case, d: services.mark_model_case(
            user,
            case,
            is_model=d["is_model"],
            summary=d["summary"],
            expected_version=_v(d),
        ),
        lambda case: "已标记为精品案例。" if case.is_model_case else "已取消精品案例标记。",
        style="secondary",
    ),
    change_claims_action(services.ARBITRATION_HANDLERS),
    urge_action(),
)


# --- the two kinds of case -----------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    readers: tuple
    visible: Callable
    statuses: list
    actions: dict
    sheet: str


KINDS = {
    "mediation": Kind(
        "mediation",
        "调解案件",
        MEDIATION_PAGE_ROLES,
        queries.mediation_cases_visible_to,
        MediationCase.Status.choices,
        MEDIATION_ACTIONS,
        "调解案件",
    ),
    "arbitration": Kind(
        "arbitration",
        "仲裁案件",
        ARBITRATION_PAGE_ROLES,
        queries.arbitration_cases_visible_to,
        ArbitrationCase.Status.choices,
        ARBITRATION_ACTIONS,
        "仲裁案件",
    ),
}


def _detail_url(kind: Kind, case) -> str:
    return reverse(f"disputes:{kind.code}_detail", args=[case.pk])


def _case(request, kind: Kind, pk: int):
    require_role(request.user, *kind.readers)
    queryset = kind.visible(request.user).select_related("assigned_to", "dispute__employer")
    return get_object_or_404(queryset, pk=pk)


def case_for(request, kind_code: str, pk: int):
    """The case a page is about: 403 outside the kind's roles, 404 outside the user's scope."""
    return _case(request, KINDS[kind_code], pk)


# --- queues --------------------------------------------------------------------------------------


def _claims_summary(dispute) -> tuple[str, Decimal | None]:
    # Filtered here, not in the query: lists prefetch every claim of the page at once.
    claims = [c for c in dispute.claims.all() if c.withdrawn_on is None]
    names = "、".join(dict.fromkeys(c.claim_type.name for c in claims))
    amounts = [c.amount for c in claims if c.amount is not None]
    return names, (sum(amounts, Decimal("0")) if amounts else None)


def _assignee(case) -> str:
    if case.assigned_to_id:
        return str(case.assigned_to)
    mediator = getattr(case, "mediator", None)
    return mediator.name if mediator is not None else ""


EXPORT_HEADERS = (
    "收到日期",
    "用人单位",
    "申请人（代表人）",
    "劳动者人数",
    "集体争议",
    "请求事项",
    "请求金额合计（元）",
    "状态",
    "到期日",
    "剩余天数",
    "承办人",
    "办理单位",
    "结案方式",
    "结案日期",
)


class DisputeQueue(QueueList):
    """A mediation or arbitration work queue and its export: collective disputes first and the
    nearest deadline until a column is sorted (``core.casepages.QueueList``)."""

    kind: Kind
    template_name = "disputes/queue.html"
    table_template = "disputes/_queue_table.html"
    filter_form = forms.QueueFilterForm
    sorting = cases.QUEUE_SORTING
    work_order = queries.WORK_ORDER

    def get_queryset(self, request):
        return self.kind.visible(request.user).select_related("assigned_to")

    def get_form_kwargs(self, request):
        return {"statuses": self.kind.statuses}

    def filter_queryset(self, request, rows, data):
        return forms.filter_cases(rows, data)

    def prepare_page(self, request, page):
        page = list(page)
        prefetch_related_objects(page, "dispute__claims__claim_type")
        super().prepare_page(request, page)

    def row(self, request, case):
        names, total = _claims_summary(case.dispute)
        return {
            "case": case,
            "due": due_info(case, self.today),
            "claims": names,
            "total": total,
            "assignee": _assignee(case),
            "suspended": (
                isinstance(case, ArbitrationCase)
                and case.is_open
                and case.accepted_on is not None
                and case.due_on is None
            ),
        }

    def get_context(self, request):
        return {
            **super().get_context(request),
            "kind": self.kind,
            "can_register": can(request.user, *services.REGISTRARS),
        }

    def export_queryset(self, request, rows):
        representatives = Prefetch(
            "dispute__workers",
            queryset=DisputeWorker.objects.order_by("-is_representative", "id").only(
                "id", "dispute_id", "name", "resident_id", "is_representative"
            ),
        )
        return rows.prefetch_related("dispute__claims__claim_type", representatives)

    def export_head(self, case) -> list:
        raise NotImplementedError

    def export_row(self, request, case):
        dispute = case.dispute
        names, total = _claims_summary(dispute)
        workers = list(dispute.workers.all())
        first = workers[0] if workers else None
        applicant = f"{first.name}（{mask_resident_id(first.resident_id)}）" if first else ""
        due = due_info(case, self.today)
        return [
            *self.export_head(case),
            case.received_on,
            dispute.employer_name,
            applicant,
            dispute.workers_count,
            dispute.is_collective,
            names,
            total,
            case.get_status_display(),
            case.due_on,
            due["left"] if due else "",
            _assignee(case),
            case.unit.name,
            case.get_closure_display() if case.closure else "",
            case.closed_on,
        ]


class MediationQueue(DisputeQueue):
    kind = KINDS["mediation"]
    readers = kind.readers
    url_name = "disputes:mediation_queue"
    sheet = kind.sheet
    export_headers = ("编号", "调解组织", *EXPORT_HEADERS)

    def export_head(self, case):
        return [case.pk, case.body.name]


class ArbitrationQueue(DisputeQueue):
    kind = KINDS["arbitration"]
    readers = kind.readers
    url_name = "disputes:arbitration_queue"
    sheet = kind.sheet
    export_headers = ("案号", "仲裁委员会", *EXPORT_HEADERS)

    def export_head(self, case):
        return [case.number or f"（未受理）{case.pk}", case.commission.name]


# --- case pages ----------------------------------------------------------------------------------


def _waiting(case) -> str:
    if case.status == "materials_requested":
        return "待补正材料，补正齐全后重新计算"
    return "尚未起算"


def _workers(dispute) -> list[dict]:
    return [
        {
            "record": w,
            "name": w.name,
            "is_representative": w.is_representative,
        }
        for w in dispute.workers.all()
    ]


def _action_forms(request, kind: Kind, case, bound=None) -> list[dict]:
    return action_forms(
        request,
        kind.actions,
        case,
        lambda action: reverse(f"disputes:{kind.code}_{action.name}", args=[case.pk]),
        bound,
        form_arg="case",
    )


def _render_case(request, kind: Kind, case, bound=None, status: int = 200):
    dispute = case.dispute
    today = timezone.localdate()
    names, total = _claims_summary(dispute)
    claims = list(dispute.claims.select_related("claim_type"))
    context = {
        "kind": kind,
        "case": case,
        "dispute": dispute,
        "reference": services.online_reference(dispute)
        if dispute.channel == Dispute.Channel.ONLINE
        else "",
        "workers": _workers(dispute),
        "claims": claims,
        "claims_total": total,
        "claims_withdrawn": any(c.withdrawn_on for c in claims),
        "calculator": calculator_views.case_panel(case),
        "calculator_url": reverse(f"disputes:{kind.code}_calculator", args=[case.pk]),
        "clock": clock_panel(case, today, waiting=_waiting(case)),
        "events": timeline(
            case,
            EVENT_LABELS,
            "申请人（网上申请）" if dispute.channel == Dispute.Channel.ONLINE else "系统",
        ),
        "actions": _action_forms(request, kind, case, bound),
        "show_audit": can(request.user, *roles.AUDIT_READERS),
        "can_read_mediation": can(request.user, *MEDIATION_PAGE_ROLES),
        "can_read_arbitration": can(request.user, *ARBITRATION_PAGE_ROLES),
    }
    if context["show_audit"]:
        context["entries"] = audit_entries(request.user, case, dispute)
    if kind.code == "mediation":
        context["arbitrations"] = list(
            queries.arbitration_cases_visible_to(request.user).filter(from_mediation=case)
        )
    else:
        context["tribunal"] = list(case.tribunal.all())
        context["award_items"] = list(case.award_items.select_related("claim__claim_type"))
        context["award_total"] = sum((i.amount for i in context["award_items"]), Decimal("0"))
        context["award_result"] = _award_result(case)
        context["from_mediation"] = (
            queries.mediation_cases_visible_to(request.user)
            .filter(pk=case.from_mediation_id)
            .first()
            if case.from_mediation_id
            else None
        )
    return render(request, f"disputes/{kind.code}_detail.html", context, status=status)


@login_required
def mediation_detail(request, pk):
    kind = KINDS["mediation"]
    return _render_case(request, kind, _case(request, kind, pk))


@login_required
def arbitration_detail(request, pk):
    kind = KINDS["arbitration"]
    return _render_case(request, kind, _case(request, kind, pk))


@login_required
@require_POST
def case_action(request, pk, kind: str, action: str):
    """POST one action's form; the service decides, its errors come back on the form."""
    kind_ = KINDS[kind]
    spec = kind_.actions[action]
    require_role(request.user, *spec.roles)
    case = _case(request, kind_, pk)
    return post_action(
        request,
        spec,
        case,
        detail_url=_detail_url(kind_, case),
        render_with_errors=lambda bound: _render_case(request, kind_, case, bound=bound),
        form_arg="case",
        conflict_message=CONFLICT_MESSAGE,
    )


# --- registering a dispute (staff) ---------------------------------------------------------------


def _register_targets(user) -> list[str]:
    targets = []
    if can(user, *services.MEDIATION_HANDLERS):
        targets.append("mediation")
    if can(user, *services.ARBITRATION_HANDLERS):
        targets.append("arbitration")
    return targets


def _split_service_errors(exc: ValidationError, form, workers, claims) -> dict:
    """Errors on the rows go above their formset; the rest onto the form's fields."""
    extra = {"workers": [], "claims": []}
    if hasattr(exc, "error_dict"):
        rest = {}
        for key, errors in exc.message_dict.items():
            if key in extra:
                extra[key].extend(errors)
            else:
                rest[key] = errors
        if rest:
            add_service_errors(form, ValidationError(rest))
    else:
        add_service_errors(form, exc)
    return extra


@login_required
@require_http_methods(["GET", "POST"])
def register(request):
    user = request.user
    require_role(user, *services.REGISTRARS)
    targets = _register_targets(user)
    if not targets:
        require_role(user, *services.MEDIATION_HANDLERS, *services.ARBITRATION_HANDLERS)
    data = request.POST if request.method == "POST" else None
    bodies = scope.restrict_to_units(MediationBody.objects.filter(is_active=True), user)
    form = forms.DisputeForm(
        data,
        enterprises=enterprises_visible_to(user),
        bodies=bodies.select_related("unit").order_by("unit__code", "name"),
        mediators=Mediator.objects.filter(is_active=True, body__in=bodies)
        .select_related("body")
        .order_by("body__name", "name"),
        commissions=scope.restrict_to_units(
            ArbitrationCommission.objects.filter(is_active=True), user
        ).order_by("unit__code"),
        targets=targets,
    )
    form.fields["employer_name"].widget.attrs.update(
        {
            "hx-get": reverse("disputes:employer_search"),
            "hx-trigger": "input changed delay:300ms",
            "hx-target": "#employer-results",
        }
    )
    workers = forms.worker_formset(data)
    claims = forms.claim_formset(data)
    row_errors: dict = {"workers": [], "claims": []}
    if data is not None and all([form.is_valid(), workers.is_valid(), claims.is_valid()]):
        d = form.cleaned_data
        to_mediation = d["target"] == "mediation"
        place = d["body"] if to_mediation else d["commission"]
        try:
            # Both calls or neither: a dispute without its case is never left behind.
            with transaction.atomic():
                dispute = services.register_dispute(
                    user,
                    unit=place.unit,
                    channel=Dispute.Channel.STAFF,
                    facts=d["facts"],
                    workers=workers.rows(),
                    claims=claims.rows(),
                    employer=d["employer"],
                    employer_name=d["employer_name"],
                    employer_uscc=d["employer_uscc"],
                )
                if to_mediation:
                    case = services.open_mediation(
                        user,
                        dispute,
                        body=place,
                        received_on=d["received_on"],
                        mediator=d["mediator"],
                    )
                else:
                    case = services.receive_arbitration(
                        user, dispute, commission=place, received_on=d["received_on"]
                    )
        except ValidationError as exc:
            row_errors = _split_service_errors(exc, form, workers, claims)
        else:
            what = "调解案件" if to_mediation else "仲裁申请"
            collective = "（集体争议，优先办理）" if dispute.is_collective else ""
            messages.success(request, f"已登记{what}{collective}，期限至 {case.due_on}。")
            return redirect(_detail_url(KINDS[d["target"]], case))
    return render(
        request,
        "disputes/register.html",
        {
            "form": form,
            "workers": workers,
            "claims": claims,
            "row_errors": row_errors,
        },
    )


@login_required
@require_GET
def employer_search(request):
    """The registry picker of the registration form (HTMX): enterprises the user may see."""
    require_role(request.user, *services.REGISTRARS)
    q = (request.GET.get("q") or request.GET.get("employer_name") or "").strip()
    results = []
    if len(q) >= 2:
        visible = filter_enterprises(enterprises_visible_to(request.user), {"q": q})
        results = list(visible.order_by("name", "id")[:10])
    return render(request, "disputes/_employer_results.html", {"results": results, "q": q})


# --- the public online application ---------------------------------------------------------------

APPLY_GUARD = PublicFormGuard(
    "disputes-apply",
    message=(
        "提交过于频繁，请一小时后再试。如有急事，请到所在区县劳动人事争议仲裁院窗口办理，"
        "或拨打 12333 咨询。"
    ),
)


def _apply_units():
    """City and district-level units (in force today) where someone takes applications."""
    today = timezone.localdate()
    bodies = MediationBody.objects.filter(is_active=True).exclude(
        kind=MediationBody.Kind.ENTERPRISE_COMMITTEE
    )
    commissions = ArbitrationCommission.objects.filter(is_active=True)
    return (
        OrgUnit.objects.filter(OrgUnit.valid_on_q(today))
        .exclude(level=OrgUnit.Level.TOWNSHIP)
        .filter(Q(pk__in=bodies.values("unit")) | Q(pk__in=commissions.values("unit")))
        .order_by("code")
    )


def _apply_targets(unit_code: str):
    """(grouped choices, {value: target}) for one unit: its commission and its bodies."""
    if not unit_code:
        return [], {}
    commissions = ArbitrationCommission.objects.filter(is_active=True, unit__code=unit_code)
    bodies = (
        MediationBody.objects.filter(is_active=True, unit__code=unit_code)
        .exclude(kind=MediationBody.Kind.ENTERPRISE_COMMITTEE)
        .order_by("name")
    )
    found = {f"a{c.pk}": c for c in commissions} | {f"m{b.pk}": b for b in bodies}
    groups = []
    if bodies:
        groups.append(("申请调解", [(f"m{b.pk}", b.name) for b in bodies]))
    if commissions:
        groups.append(("申请仲裁", [(f"a{c.pk}", c.name) for c in commissions]))
    return groups, found


@require_GET
def apply_targets(request):
    groups, _ = _apply_targets(request.GET.get("district", ""))
    return render(request, "disputes/_apply_targets.html", {"groups": groups})


@require_http_methods(["GET", "POST"])
def apply(request):
    """The public application form: no login, one per person per visit, a sum as captcha."""
    if APPLY_GUARD.limited(request):
        return render(
            request,
            "disputes/apply.html",
            {"limited": True, "message": APPLY_GUARD.message},
            status=429,
        )
    posted = request.method == "POST"
    data = request.POST if posted else None
    groups, targets = _apply_targets(data.get("district", "") if data else "")
    form = forms.ApplyForm(
        data,
        districts=[(u.code, u.name) for u in _apply_units()],
        targets=groups,
        guard=APPLY_GUARD,
        captcha=APPLY_GUARD.new_captcha(),
    )
    form.fields["district"].widget.attrs.update(
        {"hx-get": reverse("disputes:apply_targets"), "hx-target": "#id_target"}
    )
    workers = forms.worker_formset(data, phone_required=True)
    claims = forms.claim_formset(data)
    row_errors: dict = {"workers": [], "claims": []}
    if posted:
        APPLY_GUARD.attempted(request)
        valid = all([form.is_valid(), workers.is_valid(), claims.is_valid()])
        if valid:
            d = form.cleaned_data
            try:
                case = services.submit_online_application(
                    target=targets[d["target"]],
                    facts=d["facts"],
                    workers=workers.rows(),
                    claims=claims.rows(),
                    employer_name=d["employer_name"],
                    employer_uscc=d["employer_uscc"],
                )
            except ValidationError as exc:
                row_errors = _split_service_errors(exc, form, workers, claims)
            else:
                APPLY_GUARD.submitted(request)
                is_mediation = isinstance(case, MediationCase)
                response = redirect("disputes:apply_done")
                done = {
                    "reference": services.online_reference(case.dispute),
                    "kind": "mediation" if is_mediation else "arbitration",
                    "place": case.body.name if is_mediation else case.commission.name,
                    "due": case.due_on.isoformat() if case.due_on else "",
                }
                APPLY_GUARD.remember_done(response, done)
                return response
        form.clear_captcha()
    return render(
        request,
        "disputes/apply.html",
        {"form": form, "workers": workers, "claims": claims, "row_errors": row_errors},
    )


@require_GET
def apply_done(request):
    done = APPLY_GUARD.done(request)
    if not done:
        return redirect("disputes:apply")
    return render(request, "disputes/apply_done.html", {"done": done})
