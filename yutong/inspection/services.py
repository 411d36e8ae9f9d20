"""Changes of state for complaints, inspection cases, compliance ratings and the blacklist.

Each function checks permission and the rules (rules §3, §4.4, §6), writes, adds a timeline
event and an audit entry, all in one transaction. Clocks come from ``core.cases`` and
``core.clocks`` (working days with the State Council calendar); time limits and the rules marked
[M]/[S] from dated parameters. The complainant's identity never reaches the audit trail in the
clear.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from yutong.core import audit, cases, clocks, roles, scope
from yutong.core.models import OrgUnit, User
from yutong.core.money import yuan
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import require_record, require_role, require_unit
from yutong.core.personal import (
    blind_index,
    is_valid_phone,
    is_valid_resident_id,
    mask_phone,
    normalise_phone,
    normalise_resident_id,
)
from yutong.registry.models import ConstructionProject, Enterprise
from yutong.registry.validators import normalise_uscc

from .models import (
    ArrearsBlacklist,
    CaseNumberSequence,
    Complaint,
    ComplianceRating,
    Grade,
    InspectionCase,
    RatingRun,
    ViolationType,
)

HANDLERS = roles.INSPECTION_STAFF
# Additional damages (加付赔偿金): 50 %-100 % of the amount owed (条例 Art.26; 劳动合同法 Art.85).
DAMAGES_MIN, DAMAGES_MAX = Decimal("0.5"), Decimal("1")
MONEY = Decimal("0.01")
MAX_MONEY = Decimal("999999999999.99")


def _today() -> date:
    return timezone.localdate()


def _param(code: str, on: date, unit=None) -> Decimal:
    try:
        return parameter_value(code, on, unit).value
    except ParameterMissing as exc:
        raise ValidationError(str(exc)) from exc


def _limit(code: str, on: date, unit=None) -> int:
    return int(_param(code, on, unit))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_day(errors: dict, field: str, day, *, not_before=None, label: str = "") -> None:
    if not isinstance(day, date):
        errors[field] = "请填写日期。"
    elif day > _today():
        errors[field] = "日期不能晚于今天。"
    elif not_before is not None and day < not_before:
        errors[field] = f"日期不能早于{label}（{not_before.isoformat()}）。"


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February → 28 February); no rest-day roll: a term of
    listing is not a procedural period."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, monthrange(year, day.month)[1]))


def add_months(day: date, months: int) -> date:
    years, month0 = divmod(day.month - 1 + months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _money(errors: dict, field: str, value, *, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors[field] = "请填写金额。"
        return None
    try:
        amount = Decimal(str(value)).quantize(MONEY)
    except (InvalidOperation, ValueError):
        errors[field] = "金额应为数字。"
        return None
    if amount < 0:
        errors[field] = "金额不能为负数。"
    elif amount > MAX_MONEY:
        errors[field] = "金额过大。"
    return amount


def _locked(model, obj, expected_version):
    cases.claim_version(obj, expected_version)
    return model.objects.select_for_update().get(pk=obj.pk)


# --- the matter: employer, violation types, arrears ----------------------------------------


def _registered(employer: Enterprise | None, uscc: str) -> Enterprise | None:
    """The employer as the registry knows it, so the scope check of a new record (and a
    township account filing by USCC) sees the township it places the record in."""
    if employer is None and uscc:
        employer = Enterprise.objects.filter(uscc=normalise_uscc(uscc)).first()
    return employer


def _employer(employer: Enterprise | None, name: str, uscc: str) -> tuple:
    uscc = normalise_uscc(uscc or "")
    if employer is None and uscc:
        # Linking to the registry tells the caller nothing beyond what they typed.
        employer = Enterprise.objects.filter(uscc=uscc).first()
    if employer is not None:
        return employer, employer.name, employer.uscc
    if not (name or "").strip():
        raise ValidationError({"employer_name": "请填写用人单位名称或从企业名录中选择。"})
    return None, name.strip()[:200], uscc[:18]


def _matter(errors: dict, data: dict) -> dict:
    """Validate the fields complaints and cases share; returns them cleaned."""
    matter = (data.get("matter") or "").strip()
    if not matter:
        errors["matter"] = "请填写投诉事项或案情。"
    types = list(dict.fromkeys(data.get("violation_types") or []))
    unknown = [t for t in types if t not in ViolationType.values]
    if unknown:
        errors["violation_types"] = "违法行为类型无效。"
    elif not types:
        errors["violation_types"] = "请至少选择一项违法行为类型。"
    is_wage_arrears = bool(data.get("is_wage_arrears"))
    if is_wage_arrears and ViolationType.WAGES not in types and not unknown:
        types.append(ViolationType.WAGES)
    workers = data.get("workers_affected")
    if workers in (None, ""):
        workers = 1
    try:
        workers = int(workers)
    except (TypeError, ValueError):
        errors["workers_affected"] = "涉及人数应为整数。"
        workers = 1
    if not 1 <= workers <= 100_000:
        errors["workers_affected"] = "涉及人数应在 1 至 100000 之间。"
    amount = _money(errors, "amount_owed", data.get("amount_owed"))
    project = data.get("project")
    if project is not None and not isinstance(project, ConstructionProject):
        errors["project"] = "工程建设项目无效。"
    if project is not None and not is_wage_arrears:
        errors["project"] = "只有拖欠农民工工资的投诉需要关联工程建设项目。"
    return {
        "matter": matter[:10000],
        "violation_types": types,
        "is_wage_arrears": is_wage_arrears,
        "workers_count": workers,
        "is_collective": workers >= 10,
        "amount_owed": amount,
        "project": project,
    }


def _complainant(errors: dict, data: dict) -> dict:
    anonymous = bool(data.get("is_anonymous"))
    name = (data.get("complainant_name") or "").strip()[:64]
    phone = normalise_phone(data.get("complainant_phone") or "")
    resident_id = normalise_resident_id(data.get("complainant_resident_id") or "")
    if anonymous:
        # An anonymous report keeps nothing that would identify the person.
        return {"is_anonymous": True, "name": "", "phone": "", "resident_id": ""}
    if not name:
        errors["complainant_name"] = "实名投诉请填写姓名。"
    if not phone:
        errors["complainant_phone"] = "实名投诉请填写联系电话。"
    elif not is_valid_phone(phone):
        errors["complainant_phone"] = "联系电话格式不正确，请填写 11 位手机号码或带区号的固定电话。"
    if resident_id and not is_valid_resident_id(resident_id):
        errors["complainant_resident_id"] = "公民身份号码无效，请核对 18 位号码。"
    return {"is_anonymous": False, "name": name, "phone": phone, "resident_id": resident_id}


# --- complaints ---------------------------------------------------------------------------


def _decision_clock(complaint: Complaint, start: date) -> None:
    length = _limit("inspection_acceptance_working_days", start, complaint.unit)
    cases.start_clock(complaint, start, length, clocks.WORKING)


@transaction.atomic
def register_complaint(
    actor,
    *,
    unit: OrgUnit,
    channel: str,
    received_on: date,
    employer: Enterprise | None = None,
    employer_name: str = "",
    employer_uscc: str = "",
    **data,
) -> Complaint:
    """Staff record a complaint (hotline, letter, visit, transfer): the 5-working-day decision
    clock starts from ``received_on`` (若干规定 Art.18)."""
    require_role(actor, *HANDLERS)
    # A township account registers the complaints of its township's employers and projects.
    employer = _registered(employer, employer_uscc)
    require_record(actor, Complaint(unit=unit, employer=employer, project=data.get("project")))
    if channel == Complaint.Channel.ONLINE or channel not in Complaint.Channel.values:
        raise ValidationError({"channel": "请选择投诉来源（热线、来信、来访或转办）。"})
    return _register(
        actor, unit, channel, received_on, employer, employer_name, employer_uscc, data
    )


def _register(actor, unit, channel, received_on, employer, employer_name, employer_uscc, data):
    errors: dict = {}
    if unit is None or unit.level == OrgUnit.Level.TOWNSHIP:
        errors["unit"] = "请选择区县级办理单位。"
    elif not unit.is_current:
        errors["unit"] = f"{unit.name}已撤销，请选择现行单位。"
    _check_day(errors, "received_on", received_on)
    matter = _matter(errors, data)
    person = _complainant(errors, data)
    ended = data.get("violation_ended_on")
    if ended is not None and isinstance(received_on, date) and ended > received_on:
        errors["violation_ended_on"] = "违法行为日期不能晚于收到投诉日期。"
    try:
        employer, employer_name, employer_uscc = _employer(employer, employer_name, employer_uscc)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    _raise(errors)
    complaint = Complaint(
        unit=unit,
        channel=channel,
        received_on=received_on,
        employer=employer,
        employer_name=employer_name,
        employer_uscc=employer_uscc,
        violation_ended_on=ended,
        is_anonymous=person["is_anonymous"],
        complainant_name=person["name"],
        complainant_phone=person["phone"],
        complainant_phone_hash=blind_index(person["phone"]) if person["phone"] else "",
        complainant_resident_id=person["resident_id"],
        complainant_resident_id_hash=(
            blind_index(person["resident_id"]) if person["resident_id"] else ""
        ),
        registered_by=actor if getattr(actor, "pk", None) else None,
        **matter,
    )
    _decision_clock(complaint, received_on)
    complaint.save()
    who = "匿名" if person["is_anonymous"] else f"实名（电话 {mask_phone(person['phone'])}）"
    cases.add_event(
        complaint,
        actor,
        "received",
        f"收到{complaint.get_channel_display()}，投诉人{who}，应于 {complaint.due_on} 前"
        "决定是否立案。",
    )
    audit.record(
        actor,
        "register_complaint",
        complaint,
        changes=audit.diff(
            {},
            {
                "channel": channel,
                "received_on": received_on,
                "employer": employer_name,
                "complainant": who,
                "is_wage_arrears": matter["is_wage_arrears"],
                "workers_affected": matter["workers_count"],
                "amount_owed": matter["amount_owed"],
                "due_on": complaint.due_on,
            },
        ),
    )
    return complaint


@transaction.atomic
def submit_online_complaint(
    *, unit: OrgUnit, employer_name: str, employer_uscc: str = "", **data
) -> Complaint:
    """A complaint on the public page, without an account: received today. No actor: the
    timeline shows the complainant, the audit entry has no user. The employer is typed, never
    looked up for the caller, so the answer is the same whether it is registered or not."""
    errors: dict = {}
    if not (employer_name or "").strip():
        errors["employer_name"] = "请填写用人单位名称。"
    _raise(errors)
    complaint = _register(
        None,
        unit,
        Complaint.Channel.ONLINE,
        _today(),
        None,
        employer_name,
        employer_uscc,
        data,
    )
    return complaint


def _complaint(actor, complaint: Complaint, expected_version) -> Complaint:
    require_role(actor, *HANDLERS)
    require_record(actor, complaint)
    complaint = _locked(Complaint, complaint, expected_version)
    return complaint


def _require_status(obj, *allowed) -> None:
    if obj.status not in allowed:
        label = obj.get_status_display()
        raise ValidationError(f"当前状态为“{label}”，不能进行此操作。", code="invalid_state")


def handlers_for(unit: OrgUnit):
    """Active inspection staff of ``unit``'s subtree (who may take a complaint or a case)."""
    return (
        User.objects.filter(
            is_active=True,
            unit_id__in=scope.subtree_ids(unit),
            roles__code__in=(roles.INSPECTOR, roles.DISTRICT_STAFF),
        )
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def assign_complaint(
    actor, complaint: Complaint, *, handler, expected_version: int | None = None
) -> Complaint:
    complaint = _complaint(actor, complaint, expected_version)
    if not complaint.is_open:
        raise ValidationError("该投诉已作出决定，不能再分配。", code="invalid_state")
    if handler is None or not handlers_for(complaint.unit).filter(pk=handler.pk).exists():
        raise ValidationError({"handler": "请选择本单位在岗的监察员或业务人员。"})
    before = {"assigned_to": complaint.assigned_to}
    complaint.assigned_to = handler
    complaint.save()
    cases.add_event(complaint, actor, "assigned", f"承办人：{handler}。")
    cases.notify_assigned(complaint, actor)
    audit.record(
        actor,
        "assign_complaint",
        complaint,
        changes=audit.diff(before, {"assigned_to": handler}),
    )
    return complaint


@transaction.atomic
def request_materials(
    actor, complaint: Complaint, *, items: str, expected_version: int | None = None
) -> Complaint:
    """No clear respondent or harm shown (若干规定 Art.18(2)): ask the complainant to complete
    the materials; the decision clock waits until they arrive."""
    complaint = _complaint(actor, complaint, expected_version)
    _require_status(complaint, Complaint.Status.RECEIVED)
    items = (items or "").strip()
    if not items:
        raise ValidationError({"items": "请一次性列明需要补正的材料。"})
    complaint.status = Complaint.Status.MATERIALS_REQUESTED
    complaint.materials_requested = items[:500]
    complaint.due_on = None
    complaint.save()
    cases.add_event(complaint, actor, "materials_requested", f"通知补正材料：{items[:450]}")
    audit.record(actor, "request_complaint_materials", complaint, changes={"items": [None, items]})
    return complaint


@transaction.atomic
def materials_supplied(
    actor, complaint: Complaint, *, on: date, expected_version: int | None = None
) -> Complaint:
    """The materials arrived on ``on``: the 5 working days count afresh from that day."""
    complaint = _complaint(actor, complaint, expected_version)
    _require_status(complaint, Complaint.Status.MATERIALS_REQUESTED)
    errors: dict = {}
    _check_day(errors, "on", on, not_before=complaint.received_on, label="收到投诉日期")
    _raise(errors)
    cases.restart(complaint, actor, start=on, reason="投诉人补正材料")
    complaint.status = Complaint.Status.RECEIVED
    complaint.save()
    cases.add_event(
        complaint,
        actor,
        "materials_supplied",
        f"{on} 补正材料齐全，应于 {complaint.due_on} 前决定是否立案。",
    )
    audit.record(
        actor, "complaint_materials_supplied", complaint, changes={"on": [None, on.isoformat()]}
    )
    return complaint


def lookback_start(received_on: date, unit) -> date:
    """The earliest day a violation may have ended and still be pursued (条例 Art.20)."""
    return add_years(received_on, -_limit("inspection_lookback_years", received_on, unit))


def _next_number(unit: OrgUnit, year: int) -> str:
    # One number at a time per unit and year: the locked row serialises two acceptances.
    try:
        with transaction.atomic():
            CaseNumberSequence.objects.get_or_create(unit=unit, year=year)
    except IntegrityError:  # created by someone else at the same moment
        pass
    sequence = CaseNumberSequence.objects.select_for_update().get(unit=unit, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{unit.name}人社监〔{year}〕{sequence.last}号"


def _open_case(actor, *, origin, unit, received_on, opened_on, complaint=None, **fields):
    case = InspectionCase(
        origin=origin,
        unit=unit,
        received_on=received_on,
        accepted_on=opened_on,
        complaint=complaint,
        number=_next_number(unit, opened_on.year),
        **fields,
    )
    length = _limit("inspection_working_days", opened_on, unit)
    cases.start_clock(case, opened_on, length, clocks.WORKING)
    case.save()
    cases.add_event(
        case,
        actor,
        "opened",
        f"立案（{case.get_origin_display()}），案号 {case.number}，办理期限至 {case.due_on}。",
    )
    audit.record(
        actor,
        "open_inspection_case",
        case,
        changes=audit.diff(
            {},
            {
                "origin": origin,
                "number": case.number,
                "accepted_on": opened_on,
                "employer": case.employer_name,
                "is_wage_arrears": case.is_wage_arrears,
                "due_on": case.due_on,
            },
        ),
    )
    return case


@transaction.atomic
def accept_complaint(
    actor, complaint: Complaint, *, accepted_on: date, expected_version: int | None = None
) -> InspectionCase:
    """Accept and open the inspection case (若干规定 Art.18): the 60 working days start."""
    complaint = _complaint(actor, complaint, expected_version)
    _require_status(complaint, Complaint.Status.RECEIVED)
    errors: dict = {}
    _check_day(
        errors, "accepted_on", accepted_on, not_before=complaint.received_on, label="收到投诉日期"
    )
    _raise(errors)
    if complaint.violation_ended_on is not None:
        earliest = lookback_start(complaint.received_on, complaint.unit)
        if complaint.violation_ended_on < earliest:
            raise ValidationError(
                f"违法行为终了于 {complaint.violation_ended_on}，已超过两年（早于 {earliest}），"
                "依法不再查处，应书面决定不予受理（《劳动保障监察条例》第二十条）。",
                code="invalid_state",
            )
    complaint.status = Complaint.Status.ACCEPTED
    complaint.accepted_on = complaint.ended_on = accepted_on
    complaint.due_on = None
    complaint.save()
    case = _open_case(
        actor,
        origin=InspectionCase.Origin.COMPLAINT,
        unit=complaint.unit,
        received_on=complaint.received_on,
        opened_on=accepted_on,
        complaint=complaint,
        employer=complaint.employer,
        employer_name=complaint.employer_name,
        employer_uscc=complaint.employer_uscc,
        matter=complaint.matter,
        violation_types=complaint.violation_types,
        is_wage_arrears=complaint.is_wage_arrears,
        project=complaint.project,
        amount_owed=complaint.amount_owed,
        workers_count=complaint.workers_count,
        is_collective=complaint.is_collective,
        assigned_to=complaint.assigned_to,
    )
    cases.add_event(complaint, actor, "accepted", f"决定立案，案号 {case.number}。")
    audit.record(
        actor,
        "accept_complaint",
        complaint,
        changes=audit.diff({}, {"accepted_on": accepted_on, "case": case.number}),
    )
    return case


@transaction.atomic
def refuse_complaint(
    actor,
    complaint: Complaint,
    *,
    refused_on: date,
    reason: str,
    expected_version: int | None = None,
) -> Complaint:
    """Refuse in writing with the reason (若干规定 Art.18(1)); the notice is printable."""
    complaint = _complaint(actor, complaint, expected_version)
    _require_status(complaint, Complaint.Status.RECEIVED, Complaint.Status.MATERIALS_REQUESTED)
    errors: dict = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写不予受理的理由。"
    _check_day(
        errors, "refused_on", refused_on, not_before=complaint.received_on, label="收到投诉日期"
    )
    _raise(errors)
    complaint.status = Complaint.Status.REFUSED
    complaint.refusal_reason = reason.strip()[:300]
    complaint.ended_on = refused_on
    complaint.due_on = None
    complaint.save()
    cases.add_event(complaint, actor, "refused", f"书面决定不予受理：{complaint.refusal_reason}")
    audit.record(
        actor,
        "refuse_complaint",
        complaint,
        changes=audit.diff({}, {"refused_on": refused_on, "reason": complaint.refusal_reason}),
    )
    return complaint


@transaction.atomic
def redirect_complaint(
    actor,
    complaint: Complaint,
    *,
    redirected_on: date,
    redirect_to: str,
    expected_version: int | None = None,
) -> Complaint:
    """Not within inspection powers or this department's jurisdiction (若干规定 Art.18(3)): tell
    the complainant where to go."""
    complaint = _complaint(actor, complaint, expected_version)
    _require_status(complaint, Complaint.Status.RECEIVED, Complaint.Status.MATERIALS_REQUESTED)
    errors: dict = {}
    if not (redirect_to or "").strip():
        errors["redirect_to"] = "请写明应向哪个部门或机构投诉、申请。"
    _check_day(
        errors,
        "redirected_on",
        redirected_on,
        not_before=complaint.received_on,
        label="收到投诉日期",
    )
    _raise(errors)
    complaint.status = Complaint.Status.REDIRECTED
    complaint.redirect_to = redirect_to.strip()[:300]
    complaint.ended_on = redirected_on
    complaint.due_on = None
    complaint.save()
    cases.add_event(complaint, actor, "redirected", f"告知投诉人：{complaint.redirect_to}")
    audit.record(
        actor,
        "redirect_complaint",
        complaint,
        changes=audit.diff({}, {"redirected_on": redirected_on, "to": complaint.redirect_to}),
    )
    return complaint


# --- inspection cases ---------------------------------------------------------------------

PROACTIVE = [
    InspectionCase.Origin.PATROL,
    InspectionCase.Origin.WRITTEN_REVIEW,
    InspectionCase.Origin.CAMPAIGN,
    InspectionCase.Origin.RANDOM_DRAW,
]


@transaction.atomic
def open_inspection(
    actor,
    *,
    unit: OrgUnit,
    origin: str,
    opened_on: date,
    employer: Enterprise | None = None,
    employer_name: str = "",
    employer_uscc: str = "",
    campaign: str = "",
    **data,
) -> InspectionCase:
    """A case opened proactively (条例 Art.14: patrol, written review, special campaign, random
    draw), recorded the same way as one from a complaint."""
    require_role(actor, *HANDLERS)
    employer = _registered(employer, employer_uscc)
    require_record(actor, InspectionCase(unit=unit, employer=employer, project=data.get("project")))
    errors: dict = {}
    if origin not in PROACTIVE:
        errors["origin"] = "请选择案件来源（日常巡视、书面审查、专项检查或双随机抽查）。"
    if unit is None or unit.level == OrgUnit.Level.TOWNSHIP:
        errors["unit"] = "请选择区县级办理单位。"
    elif not unit.is_current:
        errors["unit"] = f"{unit.name}已撤销，请选择现行单位。"
    _check_day(errors, "opened_on", opened_on)
    matter = _matter(errors, data)
    if origin == InspectionCase.Origin.CAMPAIGN and not (campaign or "").strip():
        errors["campaign"] = "专项检查请填写专项行动名称。"
    try:
        employer, employer_name, employer_uscc = _employer(employer, employer_name, employer_uscc)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    _raise(errors)
    return _open_case(
        actor,
        origin=origin,
        unit=unit,
        received_on=opened_on,
        opened_on=opened_on,
        employer=employer,
        employer_name=employer_name,
        employer_uscc=employer_uscc,
        campaign=(campaign or "").strip()[:100],
        assigned_to=actor if actor.has_role(roles.INSPECTOR) else None,
        **matter,
    )


def _case(actor, case: InspectionCase, expected_version) -> InspectionCase:
    require_role(actor, *HANDLERS)
    require_record(actor, case)
    case = _locked(InspectionCase, case, expected_version)
    if not case.is_open:
        raise ValidationError("该案件已结案，不能再操作。", code="invalid_state")
    return case


def min_inspectors(case: InspectionCase) -> int:
    return _limit("inspection_min_inspectors", case.accepted_on, case.unit)


@transaction.atomic
def assign_inspectors(
    actor,
    case: InspectionCase,
    *,
    lead,
    inspectors: list,
    expected_version: int | None = None,
) -> InspectionCase:
    """The investigating inspectors (at least the configured number, 2 by default) and the
    lead among them, who carries the case in the queues."""
    case = _case(actor, case, expected_version)
    eligible = handlers_for(case.unit)
    people = list(dict.fromkeys([lead, *inspectors])) if lead is not None else list(inspectors)
    errors: dict = {}
    wanted = min_inspectors(case)
    if lead is None or not eligible.filter(pk=lead.pk).exists():
        errors["lead"] = "请选择本单位在岗的主办监察员。"
    outsiders = [p for p in people if p is not None and not eligible.filter(pk=p.pk).exists()]
    if outsiders:
        errors["inspectors"] = "只能指派本单位在岗的监察员或业务人员。"
    elif len(people) < wanted:
        errors["inspectors"] = f"每案至少应由 {wanted} 名监察员调查（含主办监察员）。"
    _raise(errors)
    before = {"assigned_to": case.assigned_to, "inspectors": _names(case.inspectors.all())}
    case.assigned_to = lead
    case.save()
    case.inspectors.set(people)
    names = _names(people)
    cases.add_event(case, actor, "assigned", f"主办监察员 {lead}；调查人员：{names}。")
    cases.notify_assigned(case, actor)
    audit.record(
        actor,
        "assign_inspectors",
        case,
        changes=audit.diff(before, {"assigned_to": lead, "inspectors": names}),
    )
    return case


def _names(people) -> str:
    return "、".join(str(p) for p in people)


@transaction.atomic
def extend_case(
    actor,
    case: InspectionCase,
    *,
    days: int,
    reason: str,
    approver: str,
    decided_on: date | None = None,
    expected_version: int | None = None,
) -> InspectionCase:
    """One extension of at most 30 working days, approved by the department head before the
    60 working days run out (劳动保障监察条例 Art.17); refused once they have."""
    case = _case(actor, case, expected_version)
    max_days = _limit("inspection_extension_working_days", case.accepted_on, case.unit)
    change = cases.extend(
        case,
        actor,
        days=days,
        reason=reason,
        approver=approver,
        max_days=max_days,
        decided_on=decided_on,
    )
    case.save()
    cases.add_event(
        case,
        actor,
        "extended",
        f"经{approver.strip()}于 {change.decided_on} 批准延长 {days} 个工作日，"
        f"办理期限至 {case.due_on}。理由：{reason.strip()}{cases.late_extension_note(change)}",
    )
    audit.record(
        actor,
        "extend_inspection_case",
        case,
        changes=audit.diff(
            {"due_on": change.due_before},
            {
                "days": days,
                "approver": approver.strip(),
                "decided_on": change.decided_on,
                "due_on": case.due_on,
            },
        ),
    )
    return case


@transaction.atomic
def suspend_case(
    actor,
    case: InspectionCase,
    *,
    from_day: date,
    reason: str,
    approver: str,
    expected_version: int | None = None,
) -> InspectionCase:
    """Stop the clock where the law allows it (e.g. awaiting an expert finding or another
    authority's decision); the reason and approver are recorded."""
    case = _case(actor, case, expected_version)
    cases.suspend(case, actor, from_day=from_day, reason=reason, approver=approver)
    case.save()
    cases.add_event(
        case, actor, "suspended", f"经{approver.strip()}批准自 {from_day} 中止。理由：{reason}"
    )
    audit.record(
        actor,
        "suspend_inspection_case",
        case,
        changes={"from_day": [None, from_day.isoformat()], "reason": [None, reason]},
    )
    return case


@transaction.atomic
def resume_case(
    actor, case: InspectionCase, *, to_day: date, expected_version: int | None = None
) -> InspectionCase:
    case = _case(actor, case, expected_version)
    cases.resume(case, actor, to_day=to_day)
    case.save()
    cases.add_event(case, actor, "resumed", f"中止至 {to_day} 结束，办理期限至 {case.due_on}。")
    audit.record(
        actor, "resume_inspection_case", case, changes={"to_day": [None, to_day.isoformat()]}
    )
    return case


FLAGS = ("mass_incident", "refused_order", "obstructed_inspection", "child_or_forced_labour")
# The flags that presuppose a violation found (obstruction can happen either way).
VIOLATION_FLAGS = ("mass_incident", "refused_order", "child_or_forced_labour")
Outcome = InspectionCase.Outcome


@transaction.atomic
def close_case(
    actor,
    case: InspectionCase,
    *,
    outcome: str,
    closed_on: date,
    note: str = "",
    amount_owed=None,
    penalty_amount=None,
    amount_recovered=None,
    workers_paid=None,
    additional_damages=None,
    expected_version: int | None = None,
    **flags,
) -> InspectionCase:
    """Close with the outcome (条例 Art.18): order to pay or correct, administrative penalty
    (with the amount), no violation found (撤销立案), or transferred to the police; the
    amounts recovered and workers paid; and the facts the compliance rating needs."""
    case = _case(actor, case, expected_version)
    errors: dict = {}
    if outcome not in Outcome.values:
        errors["outcome"] = "请选择处理结果。"
    _check_day(errors, "closed_on", closed_on, not_before=case.accepted_on, label="立案日期")
    owed = _money(errors, "amount_owed", amount_owed)
    owed = owed if owed is not None else case.amount_owed
    penalty = _money(errors, "penalty_amount", penalty_amount, required=outcome == Outcome.PENALTY)
    if (
        outcome == Outcome.PENALTY
        and penalty is not None
        and penalty <= 0
        and "penalty_amount" not in errors
    ):
        errors["penalty_amount"] = "行政处罚请填写罚款金额。"
    recovered = _money(errors, "amount_recovered", amount_recovered)
    damages = _money(errors, "additional_damages", additional_damages)
    paid = workers_paid
    if paid not in (None, ""):
        try:
            paid = int(paid)
        except (TypeError, ValueError):
            errors["workers_paid"] = "追发涉及人数应为整数。"
            paid = None
        else:
            if paid < 0:
                errors["workers_paid"] = "人数不能为负数。"
    else:
        paid = None
    unknown = set(flags) - set(FLAGS)
    if unknown:
        raise TypeError(f"unexpected arguments: {sorted(unknown)}")
    raised = {name: bool(flags.get(name)) for name in FLAGS}
    if outcome == Outcome.NO_VIOLATION:
        for field, value in (
            ("penalty_amount", penalty),
            ("amount_recovered", recovered),
            ("additional_damages", damages),
            ("workers_paid", paid),
        ):
            if value:
                errors[field] = "未发现违法行为（撤销立案）的案件不应填写此项。"
        for name in VIOLATION_FLAGS:
            if raised[name]:
                errors[name] = "未发现违法行为（撤销立案）的案件不应勾选此项。"
    if damages is not None and "additional_damages" not in errors:
        if not owed:
            errors["additional_damages"] = (
                "加付赔偿金按拖欠金额的 50%-100% 计算，请先填写拖欠金额。"
            )
        elif not owed * DAMAGES_MIN <= damages <= owed * DAMAGES_MAX:
            low, high = (owed * DAMAGES_MIN).quantize(MONEY), (owed * DAMAGES_MAX).quantize(MONEY)
            errors["additional_damages"] = (
                f"加付赔偿金应为拖欠金额的 50%-100%，即 {yuan(low)} 至 {yuan(high)} 元"
                "（《劳动保障监察条例》第二十六条）。"
            )
    if (note or "").strip() == "" and outcome in (Outcome.NO_VIOLATION, Outcome.POLICE):
        errors["note"] = "撤销立案或移送公安机关的，请写明事由。"
    _raise(errors)
    wanted = min_inspectors(case)
    if case.inspectors.count() < wanted:
        raise ValidationError(
            {"outcome": f"每案至少应由 {wanted} 名监察员调查，请先指派调查人员再结案。"}
        )
    case.closure, case.closed_on, case.ended_on = outcome, closed_on, closed_on
    case.status = InspectionCase.Status.CLOSED
    case.closure_note = (note or "").strip()[:500]
    case.amount_owed = owed
    case.penalty_amount = penalty if outcome != Outcome.NO_VIOLATION else None
    case.amount_recovered = recovered
    case.workers_paid = paid
    case.additional_damages = damages
    for name, value in raised.items():
        setattr(case, name, value)
    cases.refresh_due(case)
    case.save()
    label = Outcome(outcome).label
    money = f"，追发 {yuan(recovered)} 元" if recovered else ""
    cases.add_event(case, actor, "closed", f"结案：{label}（{closed_on}）{money}。")
    audit.record(
        actor,
        "close_inspection_case",
        case,
        changes=audit.diff(
            {},
            {
                "outcome": outcome,
                "closed_on": closed_on,
                "penalty_amount": penalty,
                "amount_recovered": recovered,
                "workers_paid": paid,
                "additional_damages": damages,
                **{name: value for name, value in raised.items() if value},
            },
        ),
    )
    return case


# --- compliance credit rating (rules §6) ---------------------------------------------------

HANDLED = (Outcome.ORDER, Outcome.PENALTY, Outcome.POLICE)
# Per C rule: the parameter that switches it on, the aggregate it reads, the reason shown.
C_RULES = (
    ("compliance_c_mass_incident", "mass", "违法行为引发群体性事件或极端事件"),
    ("compliance_c_child_forced_labour", "child", "使用童工、强迫劳动等严重违法行为"),
    ("compliance_c_refused_order", "refused", "拒不履行责令改正、处理或处罚决定"),
    ("compliance_c_obstruction", "obstructed", "无理抗拒、阻挠劳动保障监察"),
    ("compliance_c_police", "police", "涉嫌犯罪移送公安机关追究刑事责任"),
)
FLAG_FIELDS = {
    "mass": "mass_incident",
    "child": "child_or_forced_labour",
    "refused": "refused_order",
    "obstructed": "obstructed_inspection",
}
NO_RECORD = "上年度无劳动保障违法处理处罚记录"


def rating_rules(unit: OrgUnit, year: int) -> dict:
    """The settings in force on 1 January of the rating year, with their traces."""
    on = date(year, 1, 1)
    try:
        values = {
            "min_handled": parameter_value("compliance_c_min_handled", on, unit),
            **{code: parameter_value(code, on, unit) for code, _, _ in C_RULES},
        }
    except ParameterMissing as exc:
        raise ValidationError(str(exc)) from exc
    return values


def _record_counts(unit: OrgUnit, records_year: int):
    """Per employer of ``unit`` with a record in ``records_year``: one grouped aggregate over
    the cases closed that year (index on closed_on, employer). Enterprises without a record
    never appear: they are A without a row."""
    closed = InspectionCase.objects.filter(
        employer__unit=unit,
        closed_on__gte=date(records_year, 1, 1),
        closed_on__lte=date(records_year, 12, 31),
    )
    counts = {
        "handled": Count("id", filter=Q(closure__in=HANDLED)),
        "police": Count("id", filter=Q(closure=Outcome.POLICE)),
        **{key: Count("id", filter=Q(**{field: True})) for key, field in FLAG_FIELDS.items()},
    }
    return (
        closed.values("employer_id")
        .annotate(**counts)
        .filter(Q(handled__gt=0) | Q(obstructed__gt=0))
        .order_by("employer_id")
    )


def _grade(row: dict, rules: dict, numbers: dict, records_year: int) -> tuple[str, list[str]]:
    reasons = []
    threshold = int(rules["min_handled"].value)
    if row["handled"] >= threshold:
        reasons.append(
            f"{records_year} 年被行政处理、处罚 {row['handled']} 次（达到 {threshold} 次评为 C 级）"
        )
    for code, key, text in C_RULES:
        if row[key] and rules[code].value >= 1:
            cited = "、".join(numbers.get((row["employer_id"], key), [])[:5])
            reasons.append(f"{text}（{cited}）" if cited else text)
    if reasons:
        return "C", reasons
    if row["handled"]:
        return "B", [f"{records_year} 年被行政处理、处罚 {row['handled']} 次"]
    return "A", [NO_RECORD]


def _flag_numbers(unit: OrgUnit, records_year: int) -> dict:
    """Case numbers behind each C flag, for the reasons (only flagged cases: few rows)."""
    flagged = InspectionCase.objects.filter(
        employer__unit=unit,
        closed_on__gte=date(records_year, 1, 1),
        closed_on__lte=date(records_year, 12, 31),
    ).filter(
        Q(closure=Outcome.POLICE)
        | Q(mass_incident=True)
        | Q(child_or_forced_labour=True)
        | Q(refused_order=True)
        | Q(obstructed_inspection=True)
    )
    numbers: dict = {}
    for row in flagged.values("employer_id", "number", "closure", *FLAG_FIELDS.values()):
        for key, field in FLAG_FIELDS.items():
            if row[field]:
                numbers.setdefault((row["employer_id"], key), []).append(row["number"])
        if row["closure"] == Outcome.POLICE:
            numbers.setdefault((row["employer_id"], "police"), []).append(row["number"])
    return numbers


@transaction.atomic
def compute_ratings(actor, *, unit: OrgUnit, year: int):
    """Rate the enterprises of a district-level unit for ``year`` from the previous year's
    closed inspection cases (rules §6). Set-based: one grouped aggregate finds the enterprises
    with records; only they get rows (B or C, or A when a reviewer overrode it); every other
    enterprise of the unit is A for the year, which the ``RatingRun`` row records. Re-running
    recomputes and keeps reviewers' overrides."""
    require_role(actor, *HANDLERS)
    require_unit(actor, unit)
    errors: dict = {}
    if unit is None or unit.level != OrgUnit.Level.DISTRICT:
        errors["unit"] = "守法诚信等级按区县级单位评价，请选择区县。"
    if not isinstance(year, int) or not 2000 <= year <= _today().year + 1:
        errors["year"] = "评价年度无效。"
    _raise(errors)
    rules = rating_rules(unit, year)
    records_year = year - 1
    numbers = _flag_numbers(unit, records_year)
    now = timezone.now()
    existing = {r.enterprise_id: r for r in ComplianceRating.objects.filter(unit=unit, year=year)}
    seen, created, updated = set(), [], []
    tally = {"A": 0, "B": 0, "C": 0}
    for row in _record_counts(unit, records_year):
        computed, reasons = _grade(row, rules, numbers, records_year)
        seen.add(row["employer_id"])
        rating = existing.get(row["employer_id"])
        if rating is None:
            rating = ComplianceRating(enterprise_id=row["employer_id"], unit=unit, year=year)
            created.append(rating)
        else:
            updated.append(rating)
        rating.computed_grade, rating.reasons = computed, reasons
        rating.handled_count, rating.computed_at = row["handled"], now
        rating.grade = rating.override_grade or computed
        tally[rating.grade] += 1
    for enterprise_id, rating in existing.items():
        if enterprise_id in seen:
            continue
        if rating.override_grade:  # no record any more, but a reviewer's decision stands
            rating.computed_grade, rating.reasons = "A", [NO_RECORD]
            rating.handled_count, rating.computed_at = 0, now
            rating.grade = rating.override_grade
            updated.append(rating)
            tally[rating.grade] += 1
    stale = [e for e, r in existing.items() if e not in seen and not r.override_grade]
    ComplianceRating.objects.filter(unit=unit, year=year, enterprise_id__in=stale).delete()
    ComplianceRating.objects.bulk_create(created, batch_size=1000)
    ComplianceRating.objects.bulk_update(
        updated,
        ["computed_grade", "reasons", "handled_count", "computed_at", "grade"],
        batch_size=1000,
    )
    trace = [value.trace() for value in rules.values()]
    run, _ = RatingRun.objects.update_or_create(
        unit=unit,
        year=year,
        defaults={
            "computed_at": now,
            "computed_by": actor,
            "rated_b": tally["B"],
            "rated_c": tally["C"],
            "with_records": len(seen),
            "rules": trace,
        },
    )
    audit.record(
        actor,
        "compute_compliance_ratings",
        run,
        changes=audit.diff(
            {},
            {"year": year, "with_records": len(seen), "B": tally["B"], "C": tally["C"]},
        ),
    )
    return run


@transaction.atomic
def override_rating(
    actor,
    *,
    enterprise: Enterprise,
    year: int,
    grade: str,
    reason: str,
    expected_version: int | None = None,
):
    """A reviewer sets the grade with a reason (audited); the computed grade stays beside it."""
    require_role(actor, *HANDLERS)
    require_record(actor, enterprise)
    errors: dict = {}
    if grade not in Grade.values:
        errors["grade"] = "请选择等级（A、B 或 C）。"
    if not (reason or "").strip():
        errors["reason"] = "复核调整等级须写明理由。"
    _raise(errors)
    if not RatingRun.objects.filter(unit=enterprise.unit, year=year).exists():
        raise ValidationError(
            {"year": f"{enterprise.unit.name} {year} 年度等级尚未计算，请先计算。"}
        )
    rating = ComplianceRating.objects.filter(enterprise=enterprise, year=year).first()
    if rating is None:
        rating = ComplianceRating.objects.create(
            enterprise=enterprise,
            unit=enterprise.unit,
            year=year,
            grade="A",
            computed_grade="A",
            reasons=[NO_RECORD],
        )
    else:
        rating = _locked(ComplianceRating, rating, expected_version)
    before = {"grade": rating.grade, "override_reason": rating.override_reason}
    rating.override_grade, rating.grade = grade, grade
    rating.override_reason = reason.strip()[:500]
    rating.reviewed_by, rating.reviewed_at = actor, timezone.now()
    rating.save()
    audit.record(
        actor,
        "override_compliance_rating",
        rating,
        unit=enterprise.unit,
        changes=audit.diff(before, {"grade": grade, "override_reason": rating.override_reason}),
    )
    return rating


# --- wage-arrears blacklist (rules §4.4) ---------------------------------------------------


def blacklist_term(listed_on: date, unit) -> date:
    """The last day of the listing: the term in years from the listing day."""
    years = _limit("blacklist_term_years", listed_on, unit)
    return add_years(listed_on, years) - timedelta(days=1)


def earliest_removal(listing: ArrearsBlacklist) -> date:
    months = _limit("blacklist_early_removal_months", listing.listed_on, listing.unit)
    return add_months(listing.listed_on, months)


@transaction.atomic
def list_in_blacklist(
    actor, case: InspectionCase, *, condition: str, basis: str, listed_on: date
) -> ArrearsBlacklist:
    """List an employer (人社部令第45号): it was ordered to pay wage arrears and did not, and
    either the arrears reach the criminal threshold or they caused a mass or extreme
    incident. The facts are recorded; the term follows from the settings."""
    require_role(actor, *HANDLERS)
    require_record(actor, case)
    errors: dict = {}
    if condition not in ArrearsBlacklist.Condition.values:
        errors["condition"] = "请选择列入情形。"
    if not (basis or "").strip():
        errors["basis"] = "请写明列入的事实依据（拖欠金额、人数、责令支付及未履行情况）。"
    if case.closed_on is None or case.closure not in HANDLED or not case.is_wage_arrears:
        errors["case"] = "只有已作出处理决定的拖欠农民工工资案件可以作为列入依据。"
    elif not case.refused_order:
        errors["case"] = "列入名单须以用人单位经责令限期支付后逾期仍未支付为前提。"
    elif case.employer_id is None:
        errors["case"] = "该案用人单位未关联企业名录，请先在企业名录中登记。"
    if condition == ArrearsBlacklist.Condition.MASS_INCIDENT and not case.mass_incident:
        errors["condition"] = "该案结案时未记录引发群体性事件或极端事件。"
    _check_day(errors, "listed_on", listed_on, not_before=case.closed_on, label="结案日期")
    _raise(errors)
    if ArrearsBlacklist.objects.filter(
        enterprise_id=case.employer_id, removed_on__isnull=True, term_ends_on__gte=listed_on
    ).exists():
        raise ValidationError("该用人单位已在名单内。", code="invalid_state")
    listing = ArrearsBlacklist.objects.create(
        enterprise_id=case.employer_id,
        unit=case.unit,
        case=case,
        condition=condition,
        basis=basis.strip()[:500],
        amount_owed=case.amount_owed or Decimal("0"),
        workers_affected=case.workers_count,
        listed_on=listed_on,
        term_ends_on=blacklist_term(listed_on, case.unit),
        listed_by=actor,
    )
    cases.add_event(
        case,
        actor,
        "blacklisted",
        f"列入拖欠农民工工资失信联合惩戒对象名单（至 {listing.term_ends_on}）。",
    )
    audit.record(
        actor,
        "list_in_blacklist",
        listing,
        changes=audit.diff(
            {},
            {
                "enterprise": case.employer_name,
                "case": case.number,
                "condition": condition,
                "listed_on": listed_on,
                "term_ends_on": listing.term_ends_on,
            },
        ),
    )
    return listing


@transaction.atomic
def remove_from_blacklist(
    actor,
    listing: ArrearsBlacklist,
    *,
    removal: str,
    removed_on: date,
    reason: str,
    paid_on: date | None = None,
    pledged_on: date | None = None,
    expected_version: int | None = None,
) -> ArrearsBlacklist:
    """Early removal (at least 6 months after listing, arrears paid, compliance pledged), or
    cancellation of a listing made in error. Expiry needs no action: a listing past its term
    is simply no longer in force."""
    require_role(actor, *HANDLERS)
    require_record(actor, listing)
    listing = _locked(ArrearsBlacklist, listing, expected_version)
    if listing.removed_on is not None or listing.term_ends_on < _today():
        raise ValidationError("该名单记录已移出或已期满。", code="invalid_state")
    errors: dict = {}
    if removal not in ArrearsBlacklist.Removal.values:
        errors["removal"] = "请选择移出方式。"
    if not (reason or "").strip():
        errors["reason"] = "请写明移出理由。"
    _check_day(errors, "removed_on", removed_on, not_before=listing.listed_on, label="列入日期")
    if removal == ArrearsBlacklist.Removal.EARLY and "removed_on" not in errors:
        earliest = earliest_removal(listing)
        if removed_on < earliest:
            errors["removed_on"] = f"列入满 6 个月（{earliest} 起）方可提前移出。"
        if paid_on is None:
            errors["paid_on"] = "提前移出须已清偿拖欠工资，请填写清偿日期。"
        elif paid_on > removed_on:
            errors["paid_on"] = "清偿日期不能晚于移出日期。"
        if pledged_on is None:
            errors["pledged_on"] = "提前移出须作出信用承诺，请填写承诺日期。"
        elif pledged_on > removed_on:
            errors["pledged_on"] = "承诺日期不能晚于移出日期。"
    _raise(errors)
    listing.removal, listing.removed_on = removal, removed_on
    listing.paid_on, listing.pledged_on = paid_on, pledged_on
    listing.removal_reason, listing.removed_by = reason.strip()[:500], actor
    listing.save()
    audit.record(
        actor,
        "remove_from_blacklist",
        listing,
        changes=audit.diff(
            {},
            {"removal": removal, "removed_on": removed_on, "paid_on": paid_on, "reason": reason},
        ),
    )
    return listing
