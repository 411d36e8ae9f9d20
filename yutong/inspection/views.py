"""The HTML side of inspection: complaint and case queues with their exports, staff entry of a
complaint and of a proactive case, the case pages and their actions, the printable decision
notices, and the public complaint form.

Thin by design: every change is one service call; every read goes through the scoped querysets
of ``queries`` (outside the reader's units: 404; outside their roles: 403). The complainant's
identity is shown, printed and exported only for ``queries.IDENTITY_READERS``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from yutong.core import cases, roles, scope, tables
from yutong.core.casepages import (
    EMPTY_QUEUE,
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
from yutong.core.personal import mask_phone, mask_resident_id
from yutong.core.public_forms import PublicFormGuard
from yutong.core.viewutils import add_service_errors
from yutong.registry.models import ConstructionProject

from . import forms, queries, services
from .models import Complaint, InspectionCase, ViolationType

READERS = queries.READERS
HANDLERS = services.HANDLERS
CONFLICT_MESSAGE = "该记录已被他人处理，请刷新页面查看最新情况后再操作。"

EVENT_LABELS = {
    "received": "收到投诉",
    "assigned": "分配",
    "materials_requested": "通知补正",
    "materials_supplied": "材料补正",
    "accepted": "立案",
    "refused": "不予受理",
    "redirected": "告知投诉渠道",
    "opened": "立案",
    "extended": "延长期限",
    "suspended": "中止",
    "resumed": "恢复",
    "closed": "结案",
    "blacklisted": "列入失信名单",
}


def _v(data) -> int:
    return data["version"]


# --- actions -----------------------------------------------------------------------------------

CS = Complaint.Status


def _undecided(complaint) -> bool:
    return complaint.status in (CS.RECEIVED, CS.MATERIALS_REQUESTED)


COMPLAINT_ACTIONS = by_name(
    Action(
        "assign",
        "分配承办人",
        forms.AssignForm,
        HANDLERS,
        _undecided,
        lambda u, c, d: services.assign_complaint(
            u, c, handler=d["handler"], expected_version=_v(d)
        ),
        lambda c: f"已分配给 {c.assigned_to}。",
        button="分配",
        style="secondary",
    ),
    Action(
        "accept",
        "立案",
        forms.AcceptForm,
        HANDLERS,
        lambda c: c.status == CS.RECEIVED,
        lambda u, c, d: services.accept_complaint(
            u, c, accepted_on=d["accepted_on"], expected_version=_v(d)
        ),
        lambda case: f"已立案，案号 {case.number}，办理期限至 {case.due_on}。",
        button="立案",
        style="success",
    ),
    Action(
        "request_materials",
        "通知补正材料",
        forms.MaterialsForm,
        HANDLERS,
        lambda c: c.status == CS.RECEIVED,
        lambda u, c, d: services.request_materials(u, c, items=d["items"], expected_version=_v(d)),
        lambda c: "已通知补正材料，决定期限暂停计算。",
        button="通知补正",
        style="secondary",
    ),
    Action(
        "materials_supplied",
        "材料补正齐全",
        forms.SuppliedForm,
        HANDLERS,
        lambda c: c.status == CS.MATERIALS_REQUESTED,
        lambda u, c, d: services.materials_supplied(u, c, on=d["on"], expected_version=_v(d)),
        lambda c: f"已登记补正材料，应于 {c.due_on} 前决定是否立案。",
    ),
    Action(
        "refuse",
        "不予受理",
        forms.RefuseForm,
        HANDLERS,
        _undecided,
        lambda u, c, d: services.refuse_complaint(
            u, c, refused_on=d["refused_on"], reason=d["reason"], expected_version=_v(d)
        ),
        lambda c: "已作出不予受理决定，可打印决定书。",
        button="不予受理",
        style="danger",
    ),
    Action(
        "redirect",
        "告知向有关部门投诉",
        forms.RedirectForm,
        HANDLERS,
        _undecided,
        lambda u, c, d: services.redirect_complaint(
            u,
            c,
            redirected_on=d["redirected_on"],
            redirect_to=d["redirect_to"],
            expected_version=_v(d),
        ),
        lambda c: "已告知投诉人投诉渠道，可打印告知书。",
        button="告知",
        style="warning",
    ),
    urge_action(),
)


def _can_blacklist(case) -> bool:
    return (
        case.closed_on is not None
        and case.is_wage_arrears
        and case.refused_order
        and case.employer_id is not None
        and case.closure in services.HANDLED
        and not case.listings.filter(removed_on__isnull=True).exists()
    )


CASE_ACTIONS = by_name(
    Action(
        "inspectors",
        "指派监察员",
        forms.InspectorsForm,
        HANDLERS,
        lambda c: c.is_open,
        lambda u, c, d: services.assign_inspectors(
            u, c, lead=d["lead"], inspectors=list(d["inspectors"]), expected_version=_v(d)
        ),
        lambda c: f"主办监察员：{c.assigned_to}。",
        button="指派",
    ),
    Action(
        "extend",
        "延长办理期限",
        forms.ExtendForm,
        HANDLERS,
        lambda c: c.is_open and not extended(c),
        lambda u, c, d: services.extend_case(
            u,
            c,
            days=d["days"],
            reason=d["reason"],
            approver=d["approver"],
            decided_on=d.get("decided_on"),
            expected_version=_v(d),
        ),
        lambda c: f"已延长办理期限，至 {c.due_on}。",
        button="延期",
        style="secondary",
    ),
    Action(
        "suspend",
        "中止办理",
        forms.SuspendForm,
        HANDLERS,
        lambda c: c.is_open and not suspended(c),
        lambda u, c, d: services.suspend_case(
            u,
            c,
            from_day=d["from_day"],
            reason=d["reason"],
            approver=d["approver"],
            expected_version=_v(d),
        ),
        lambda c: "已中止，期间不计入办理期限。",
        button="中止",
        style="secondary",
    ),
    Action(
        "resume",
        "恢复办理",
        forms.ResumeForm,
        HANDLERS,
        lambda c: c.is_open and suspended(c),
        lambda u, c, d: services.resume_case(u, c, to_day=d["to_day"], expected_version=_v(d)),
        lambda c: f"已恢复，办理期限至 {c.due_on}。",
        button="恢复",
    ),
    Action(
        "close",
        "结案",
        forms.CloseForm,
        HANDLERS,
        lambda c: c.is_open,
        lambda u, c, d: services.close_case(
            u,
            c,
            outcome=d["outcome"],
            closed_on=d["closed_on"],
            note=d["note"],
            amount_owed=d["amount_owed"],
            penalty_amount=d["penalty_amount"],
            amount_recovered=d["amount_recovered"],
            workers_paid=d["workers_paid"],
            additional_damages=d["additional_damages"],
            mass_incident=d["mass_incident"],
            refused_order=d["refused_order"],
            obstructed_inspection=d["obstructed_inspection"],
            child_or_forced_labour=d["child_or_forced_labour"],
            expected_version=_v(d),
        ),
        lambda c: f"已结案：{c.get_closure_display()}。",
        button="结案",
    ),
    Action(
        "blacklist",
        "列入失信联合惩戒名单",
        forms.BlacklistForm,
        HANDLERS,
        _can_blacklist,
        lambda u, c, d: services.list_in_blacklist(
            u, c, condition=d["condition"], basis=d["basis"], listed_on=d["listed_on"]
        ),
        lambda listing: f"已列入名单，期满日 {listing.term_ends_on}。",
        button="列入",
        style="danger",
    ),
    urge_action(),
)


# --- queues ---------------------------------------------------------------------------------------


# Complaints sort by the day received, cases by the day accepted (立案), both by the deadline.
SORTINGS = {
    "received_on": cases.QUEUE_SORTING,
    "accepted_on": tables.Sorting(
        columns={"accepted_on": ("accepted_on",), "due_on": ("due_on",)},
        default=("id",),
        descending_first=frozenset({"accepted_on"}),
        nullable=frozenset({"accepted_on", "due_on"}),
    ),
}


class InspectionQueue(QueueList):
    """A complaint or inspection-case work queue and its export: matters of 10 or more workers
    first and the nearest deadline until a column is sorted (``core.casepages.QueueList``).
    ``status_field`` and ``date_field`` are what the shared filter form's status and dates
    mean for the queue."""

    readers = READERS
    filter_form = forms.FilterForm
    work_order = queries.WORK_ORDER
    statuses: list = []
    status_field = "status"
    date_field = "received_on"

    def get_form_kwargs(self, request):
        return {"statuses": self.statuses}

    def filter_queryset(self, request, rows, data):
        return forms.apply_filters(
            rows, data, status_field=self.status_field, date_field=self.date_field
        )

    def get_context(self, request):
        return {**super().get_context(request), "can_handle": can(request.user, *HANDLERS)}


COMPLAINT_HEADERS = (
    "编号",
    "收到日期",
    "来源",
    "办理单位",
    "用人单位",
    "统一社会信用代码",
    "违法行为类型",
    "拖欠农民工工资",
    "涉及人数",
    "拖欠金额（元）",
    "状态",
    "决定期限",
    "案号",
    "处理结果",
    "结案日期",
    "追发金额（元）",
)
COMPLAINANT_HEADERS = ("投诉人", "联系电话", "公民身份号码")


class ComplaintQueue(InspectionQueue):
    template_name = "inspection/complaint_queue.html"
    url_name = "inspection:complaint_queue"
    sorting = SORTINGS["received_on"]
    statuses = Complaint.Status.choices
    noun = "举报投诉"
    empty_reasons = {**EMPTY_QUEUE, "closed": "{where}尚无已办结的{noun}。"}
    sheet = "举报投诉"
    # The complainant's identity is exported only for queries.IDENTITY_READERS (get_export).
    identity = False

    def get_queryset(self, request):
        return queries.complaints_visible_to(request.user).select_related("case")

    def get_export(self, request):
        self.identity = queries.can_see_complainant(request.user)
        self.export_headers = COMPLAINT_HEADERS + (COMPLAINANT_HEADERS if self.identity else ())
        return super().get_export(request)

    def export_row(self, request, c):
        case = getattr(c, "case", None) if c.status == CS.ACCEPTED else None
        row = [
            c.reference,
            c.received_on,
            c.get_channel_display(),
            c.unit.name,
            c.employer_name,
            c.employer_uscc,
            "、".join(c.violation_labels()),
            c.is_wage_arrears,
            c.workers_count,
            c.amount_owed,
            c.get_status_display(),
            c.due_on,
            case.number if case else "",
            case.get_closure_display() if case and case.closure else "",
            case.closed_on if case else None,
            case.amount_recovered if case else None,
        ]
        if self.identity:
            anonymous = c.is_anonymous
            row += [
                "匿名" if anonymous else c.complainant_name,
                "" if anonymous else mask_phone(c.complainant_phone),
                "" if anonymous else mask_resident_id(c.complainant_resident_id),
            ]
        return row


class CaseQueue(InspectionQueue):
    template_name = "inspection/case_queue.html"
    url_name = "inspection:case_queue"
    sorting = SORTINGS["accepted_on"]
    statuses = InspectionCase.Outcome.choices
    status_field = "closure"
    date_field = "accepted_on"
    sheet = "监察案件"
    export_headers = (
        "案号",
        "案件来源",
        "立案日期",
        "办理单位",
        "用人单位",
        "违法行为类型",
        "拖欠农民工工资",
        "涉及人数",
        "拖欠金额（元）",
        "状态",
        "到期日",
        "剩余工作日",
        "主办监察员",
        "处理结果",
        "结案日期",
        "罚款（元）",
        "追发金额（元）",
        "追发人数",
    )

    def get_queryset(self, request):
        return queries.inspection_cases_visible_to(request.user)

    def export_row(self, request, c):
        due = due_info(c, self.today)
        return [
            c.number,
            c.get_origin_display(),
            c.accepted_on,
            c.unit.name,
            c.employer_name,
            "、".join(c.violation_labels()),
            c.is_wage_arrears,
            c.workers_count,
            c.amount_owed,
            c.get_status_display(),
            c.due_on,
            due["left"] if due else "",
            str(c.assigned_to) if c.assigned_to_id else "",
            c.get_closure_display() if c.closure else "",
            c.closed_on,
            c.penalty_amount,
            c.amount_recovered,
            c.workers_paid,
        ]


# --- staff entry ----------------------------------------------------------------------------------


def _units_for(user):
    return (
        scope.units_visible_to(user)
        .filter(level=OrgUnit.Level.DISTRICT, valid_to__isnull=True)
        .order_by("code")
    )


def _find_project(projects, text: str) -> ConstructionProject | None:
    """The project whose code is ``text``, else the only one named ``text``."""
    text = (text or "").strip()
    if not text:
        return None
    by_code = projects.filter(code=text).first()
    if by_code is not None:
        return by_code
    named = list(projects.filter(name=text)[:2])
    return named[0] if len(named) == 1 else None


def _project(user, text: str, form) -> ConstructionProject | None | bool:
    """The project (code or name) in the user's scope; False (with a form error) if none."""
    if not (text or "").strip():
        return None
    projects = scope.restrict_to_units(ConstructionProject.objects.all(), user)
    project = _find_project(projects, text)
    if project is None:
        form.add_error(
            "project_code", "项目编号或名称不存在、重名或不在您的管辖范围内，请从列表中选择。"
        )
        return False
    return project


@require_GET
def project_options(request):
    """The project picker's options (HTMX): inspection staff get the projects of their scope;
    anyone else (the public form) gets code and name only, which each project's public
    wage-code page shows anyway."""
    q = (request.GET.get("q") or request.GET.get("project_code") or "").strip()[:200]
    results = []
    if len(q) >= 2:
        projects = ConstructionProject.objects.all()
        if can(request.user, *HANDLERS):
            projects = scope.restrict_to_units(projects, request.user)
        matching = projects.filter(Q(code__icontains=q) | Q(name__icontains=q))
        results = list(matching.order_by("name", "id").values("code", "name")[:10])
    return render(request, "inspection/_project_options.html", {"results": results})


def _matter_kwargs(d: dict, project) -> dict:
    return {
        "employer_name": d["employer_name"],
        "employer_uscc": d["employer_uscc"],
        "matter": d["matter"],
        "violation_types": d["violation_types"],
        "is_wage_arrears": d["is_wage_arrears"],
        "project": project,
        "workers_affected": d["workers_affected"],
        "amount_owed": d["amount_owed"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def complaint_new(request):
    require_role(request.user, *HANDLERS)
    form = forms.ComplaintForm(request.POST or None, units=_units_for(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        project = _project(request.user, d["project_code"], form)
        if project is not False:
            try:
                complaint = services.register_complaint(
                    request.user,
                    unit=d["unit"],
                    channel=d["channel"],
                    received_on=d["received_on"],
                    violation_ended_on=d["violation_ended_on"],
                    is_anonymous=d["is_anonymous"],
                    complainant_name=d["complainant_name"],
                    complainant_phone=d["complainant_phone"],
                    complainant_resident_id=d["complainant_resident_id"],
                    **_matter_kwargs(d, project),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记举报投诉 {complaint.reference}，"
                    f"应于 {complaint.due_on} 前决定是否立案。",
                )
                return redirect("inspection:complaint_detail", complaint.pk)
    return render(request, "inspection/complaint_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def case_new(request):
    require_role(request.user, *HANDLERS)
    form = forms.CaseForm(request.POST or None, units=_units_for(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        project = _project(request.user, d["project_code"], form)
        if project is not False:
            try:
                case = services.open_inspection(
                    request.user,
                    unit=d["unit"],
                    origin=d["origin"],
                    opened_on=d["opened_on"],
                    campaign=d["campaign"],
                    **_matter_kwargs(d, project),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"已立案，案号 {case.number}，办理期限至 {case.due_on}。")
                return redirect("inspection:case_detail", case.pk)
    return render(request, "inspection/case_form.html", {"form": form})


# --- pages of one complaint or case ---------------------------------------------------------------


def _complaint(request, pk) -> Complaint:
    require_role(request.user, *READERS)
    return get_object_or_404(queries.complaints_visible_to(request.user), pk=pk)


def _case(request, pk) -> InspectionCase:
    require_role(request.user, *READERS)
    return get_object_or_404(queries.inspection_cases_visible_to(request.user), pk=pk)


def _identity(user, complaint: Complaint) -> dict | None:
    if not queries.can_see_complainant(user):
        return None
    return {"anonymous": complaint.is_anonymous, "name": complaint.complainant_name}


def _render_complaint(request, complaint, bound=None, status=200):
    case = getattr(complaint, "case", None) if complaint.status == CS.ACCEPTED else None
    online = "投诉人（网上投诉）" if complaint.channel == Complaint.Channel.ONLINE else "系统"
    context = {
        "complaint": complaint,
        "case": case,
        "identity": _identity(request.user, complaint),
        "clock": clock_panel(complaint, timezone.localdate()),
        "events": timeline(complaint, EVENT_LABELS, online),
        "actions": action_forms(
            request,
            COMPLAINT_ACTIONS,
            complaint,
            lambda a: reverse(f"inspection:complaint_{a.name}", args=[complaint.pk]),
            bound,
        ),
        "can_print": queries.can_see_complainant(request.user),
    }
    if can(request.user, *roles.AUDIT_READERS):
        context["entries"] = audit_entries(request.user, complaint)
    return render(request, "inspection/complaint_detail.html", context, status=status)


@login_required
def complaint_detail(request, pk):
    return _render_complaint(request, _complaint(request, pk))


@login_required
@require_POST
def complaint_action(request, pk, action: str):
    spec = COMPLAINT_ACTIONS[action]
    require_role(request.user, *spec.roles)
    complaint = _complaint(request, pk)
    return post_action(
        request,
        spec,
        complaint,
        detail_url=reverse("inspection:complaint_detail", args=[pk]),
        render_with_errors=lambda bound: _render_complaint(request, complaint, bound),
        conflict_message=CONFLICT_MESSAGE,
    )


def _render_case(request, case, bound=None):
    complaint = case.complaint
    context = {
        "case": case,
        "complaint": complaint,
        "inspectors": list(case.inspectors.order_by("username")),
        "min_inspectors": services.min_inspectors(case),
        "clock": clock_panel(case, timezone.localdate()),
        "events": timeline(case, EVENT_LABELS),
        "listings": list(case.listings.all()),
        "actions": action_forms(
            request,
            CASE_ACTIONS,
            case,
            lambda a: reverse(f"inspection:case_{a.name}", args=[case.pk]),
            bound,
        ),
    }
    if can(request.user, *roles.AUDIT_READERS):
        context["entries"] = audit_entries(request.user, case)
    return render(request, "inspection/case_detail.html", context)


@login_required
def case_detail(request, pk):
    return _render_case(request, _case(request, pk))


@login_required
@require_POST
def case_action(request, pk, action: str):
    spec = CASE_ACTIONS[action]
    require_role(request.user, *spec.roles)
    case = _case(request, pk)
    return post_action(
        request,
        spec,
        case,
        detail_url=reverse("inspection:case_detail", args=[pk]),
        render_with_errors=lambda bound: _render_case(request, case, bound),
        conflict_message=CONFLICT_MESSAGE,
    )


@login_required
@require_GET
def complaint_notice(request, pk):
    """The written decision to print: 不予受理决定书 or 告知书 (to the complainant, so only
    inspection staff may open it)."""
    require_role(request.user, *queries.IDENTITY_READERS)
    complaint = _complaint(request, pk)
    if complaint.status not in (CS.REFUSED, CS.REDIRECTED):
        return render(
            request,
            "inspection/notice.html",
            {"complaint": complaint, "unavailable": True},
            status=404,
        )
    return render(
        request,
        "inspection/notice.html",
        {"complaint": complaint, "refused": complaint.status == CS.REFUSED},
    )


# --- the public complaint form ----------------------------------------------------------------

GUARD = PublicFormGuard(
    "inspection-complaint",
    message=(
        "提交过于频繁，请一小时后再试。如有急事，请拨打 12333 "
        "或到所在区县劳动保障监察机构窗口投诉。"
    ),
)


def _public_units():
    today = timezone.localdate()
    return (
        OrgUnit.objects.filter(OrgUnit.valid_on_q(today), level=OrgUnit.Level.DISTRICT)
        .order_by("code")
        .values_list("code", "name")
    )


def _public_initial(params) -> dict:
    """What a link may fill in (the wage-code page's button): the district, the employer, the
    project and, with ``arrears=1``, the wage-arrears type. Only initial values: the
    complainant sees and may change each of them."""
    initial = {
        "district": params.get("district", "")[:12],
        "employer_name": params.get("employer", "")[:200],
        "project_code": params.get("project", "")[:200],
    }
    if params.get("arrears") == "1":
        initial.update(is_wage_arrears=True, violation_types=[ViolationType.WAGES])
    return initial


@require_http_methods(["GET", "POST"])
def complain(request):
    """The public complaint form: no login, named or anonymous, a sum as captcha, a rate limit
    per address. The answer is the same whoever the employer or the complainant is."""
    if GUARD.limited(request):
        return render(
            request,
            "inspection/complain.html",
            {"limited": True, "message": GUARD.message},
            status=429,
        )
    posted = request.method == "POST"
    form = forms.PublicComplaintForm(
        request.POST if posted else None,
        initial=_public_initial(request.GET),
        districts=list(_public_units()),
        guard=GUARD,
        captcha=GUARD.new_captcha(),
    )
    if posted:
        GUARD.attempted(request)
        if form.is_valid():
            d = form.cleaned_data
            # Linked silently when the project is known (picked from the list, or the QR code
            # of a project's page); nothing in the answer depends on it.
            typed = d["project_code"].strip()
            project = _find_project(ConstructionProject.objects.all(), typed)
            if project is not None and not d["is_wage_arrears"]:
                project = None
            matter = d["matter"]
            if typed and project is None:
                matter = f"{matter}\n工程项目：{typed}"
            kwargs = _matter_kwargs({**d, "matter": matter}, project)
            try:
                complaint = services.submit_online_complaint(
                    unit=OrgUnit.objects.get(code=d["district"]),
                    violation_ended_on=d["violation_ended_on"],
                    is_anonymous=d["is_anonymous"],
                    complainant_name=d["complainant_name"],
                    complainant_phone=d["complainant_phone"],
                    complainant_resident_id=d["complainant_resident_id"],
                    **kwargs,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                GUARD.submitted(request)
                response = redirect("inspection:complain_done")
                done = {
                    "reference": complaint.reference,
                    "unit": complaint.unit.name,
                    "due": complaint.due_on.isoformat() if complaint.due_on else "",
                    "anonymous": complaint.is_anonymous,
                }
                GUARD.remember_done(response, done)
                return response
        form.clear_captcha()
    return render(request, "inspection/complain.html", {"form": form})


@require_GET
def complain_done(request):
    done = GUARD.done(request)
    if not done:
        return redirect("inspection:complain")
    return render(request, "inspection/complain_done.html", {"done": done})
