"""Changes of state for disputes, mediation and arbitration cases.

Each function checks permission and the law's rules, writes, adds a timeline event and an
audit entry, all in one transaction. Clock rules come from core.cases; time limits from dated
parameters (rules §1).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from yutong.core import audit, cases, clocks, roles
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import require_role, require_unit
from yutong.core.personal import (
    blind_index,
    is_valid_phone,
    is_valid_resident_id,
    mask_resident_id,
    normalise_phone,
    normalise_resident_id,
)
from yutong.registry.models import Enterprise
from yutong.registry.validators import normalise_uscc

from . import guidance
from .models import (
    COLLECTIVE_THRESHOLD,
    ArbitrationCase,
    ArbitrationCommission,
    Arbitrator,
    AwardItem,
    Claim,
    ClaimType,
    Dispute,
    DisputeWorker,
    MediationBody,
    MediationCase,
    Mediator,
)

REGISTRARS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.MEDIATOR, roles.ARBITRATOR)
MEDIATION_HANDLERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.MEDIATOR)
ARBITRATION_HANDLERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.ARBITRATOR)


def _today() -> date:
    return timezone.localdate()


def _limit(code: str, on: date, unit=None) -> int:
    try:
        return int(parameter_value(code, on, unit).value)
    except ParameterMissing as exc:
        raise ValidationError(str(exc)) from exc


def _check_day(
    errors: dict, field: str, day: date, *, not_before: date | None = None, label: str = ""
) -> None:
    if day > _today():
        errors[field] = "日期不能晚于今天。"
    elif not_before is not None and day < not_before:
        errors[field] = f"日期不能早于{label}（{not_before.isoformat()}）。"


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


# --- registration ----------------------------------------------------------------------------


def _clean_workers(workers: list[dict]) -> list[dict]:
    if not workers:
        raise ValidationError({"workers": "请至少填写一名劳动者。"})
    cleaned, seen, errors = [], set(), []
    for number, worker in enumerate(workers, start=1):
        name = (worker.get("name") or "").strip()
        resident_id = normalise_resident_id(worker.get("resident_id") or "")
        phone = normalise_phone(worker.get("phone") or "")
        if not name:
            errors.append(f"第 {number} 名劳动者：请填写姓名。")
        if not is_valid_resident_id(resident_id):
            errors.append(f"第 {number} 名劳动者：公民身份号码无效。")
        elif resident_id in seen:
            errors.append(f"第 {number} 名劳动者：公民身份号码重复。")
        if phone and not is_valid_phone(phone):
            errors.append(f"第 {number} 名劳动者：联系电话格式不正确。")
        seen.add(resident_id)
        cleaned.append(
            {
                "name": name,
                "resident_id": resident_id,
                "phone": phone,
                "is_representative": bool(worker.get("is_representative")),
            }
        )
    if errors:
        raise ValidationError({"workers": errors})
    return cleaned


def _clean_claims(claims: list[dict]) -> list[dict]:
    if not claims:
        raise ValidationError({"claims": "请至少填写一项请求事项。"})
    types = {t.code: t for t in ClaimType.objects.all()}
    cleaned, errors = [], []
    for number, claim in enumerate(claims, start=1):
        claim_type = claim.get("claim_type")
        code = getattr(claim_type, "code", claim_type)
        if code not in types:
            errors.append(f"第 {number} 项：请求事项类型无效。")
            continue
        amount = claim.get("amount")
        if amount not in (None, ""):
            try:
                amount = Decimal(str(amount)).quantize(Decimal("0.01"))
            except ArithmeticError:
                errors.append(f"第 {number} 项：金额应为数字。")
                continue
            if amount < 0:
                errors.append(f"第 {number} 项：金额不能为负数。")
                continue
        else:
            amount = None
        cleaned.append(
            {
                "claim_type": types[code],
                "amount": amount,
                "description": (claim.get("description") or "").strip()[:300],
            }
        )
    if errors:
        raise ValidationError({"claims": errors})
    return cleaned


def _employer(employer: Enterprise | None, name: str, uscc: str) -> tuple:
    uscc = normalise_uscc(uscc)
    if employer is None and uscc:
        # Linking to the registry reveals nothing to the registrar beyond what they typed.
        employer = Enterprise.objects.filter(uscc=uscc).first()
    if employer is not None:
        return employer, employer.name, employer.uscc
    if not (name or "").strip():
        raise ValidationError({"employer_name": "请填写用人单位名称或从企业名录中选择。"})
    return None, name.strip(), uscc


@transaction.atomic
def register_dispute(
    actor,
    *,
    unit,
    channel: str,
    facts: str,
    workers: list[dict],
    claims: list[dict],
    employer: Enterprise | None = None,
    employer_name: str = "",
    employer_uscc: str = "",
) -> Dispute:
    """Record a dispute: parties, claims, facts. Ten or more workers make it collective."""
    if channel != Dispute.Channel.ONLINE:
        require_role(actor, *REGISTRARS)
        require_unit(actor, unit)
    if channel not in Dispute.Channel.values:
        raise ValidationError({"channel": "来源无效。"})
    if not (facts or "").strip():
        raise ValidationError({"facts": "请填写事实与理由。"})
    workers = _clean_workers(workers)
    claims = _clean_claims(claims)
    employer, employer_name, employer_uscc = _employer(employer, employer_name, employer_uscc)
    dispute = Dispute.objects.create(
        unit=unit,
        channel=channel,
        employer=employer,
        employer_name=employer_name,
        employer_uscc=employer_uscc,
        facts=facts.strip(),
        workers_count=len(workers),
        is_collective=len(workers) >= COLLECTIVE_THRESHOLD,
        registered_by=actor if getattr(actor, "pk", None) else None,
    )
    DisputeWorker.objects.bulk_create(
        DisputeWorker(
            dispute=dispute,
            name=w["name"],
            resident_id=w["resident_id"],
            resident_id_hash=blind_index(w["resident_id"]),
            phone=w["phone"],
            is_representative=w["is_representative"],
        )
        for w in workers
    )
    Claim.objects.bulk_create(Claim(dispute=dispute, **c) for c in claims)
    audit.record(
        actor,
        "register_dispute",
        dispute,
        changes=audit.diff(
            {},
            {
                "employer": employer_name,
                "workers": [mask_resident_id(w["resident_id"]) for w in workers],
                "claims": [f"{c['claim_type'].name} {c['amount'] or ''}".strip() for c in claims],
                "is_collective": dispute.is_collective,
            },
        ),
    )
    return dispute


# --- mediation -------------------------------------------------------------------------------


def _mediator_of(body: MediationBody, mediator: Mediator | None) -> Mediator | None:
    if mediator is not None and (mediator.body_id != body.pk or not mediator.is_active):
        raise ValidationError({"mediator": "该调解员不属于本调解组织或已不在岗。"})
    return mediator


@transaction.atomic
def open_mediation(
    actor,
    dispute: Dispute,
    *,
    body: MediationBody,
    received_on: date,
    mediator: Mediator | None = None,
) -> MediationCase:
    """A mediation body receives the application: the 15-day clock starts (Art.14)."""
    require_role(actor, *MEDIATION_HANDLERS)
    require_unit(actor, body.unit)
    errors: dict = {}
    if not body.is_active:
        errors["body"] = "该调解组织已停用。"
    _check_day(errors, "received_on", received_on)
    _raise(errors)
    case = MediationCase(
        dispute=dispute,
        body=body,
        mediator=_mediator_of(body, mediator),
        unit=body.unit,
        received_on=received_on,
        accepted_on=received_on,
        is_collective=dispute.is_collective,
        workers_count=dispute.workers_count,
        assigned_to=mediator.user if mediator is not None else None,
    )
    cases.start_clock(case, received_on, _limit("mediation_days", received_on, body.unit))
    case.save()
    cases.add_event(case, actor, "received", f"{body.name}收到调解申请，调解期限至 {case.due_on}。")
    audit.record(
        actor,
        "open_mediation",
        case,
        changes=audit.diff({}, {"body": body, "received_on": received_on, "due_on": case.due_on}),
    )
    return case


def _locked(model, case, expected_version):
    cases.claim_version(case, expected_version)
    return model.objects.select_for_update().get(pk=case.pk)


def _require_open(case) -> None:
    if not case.is_open:
        raise ValidationError("该案件已办结，不能再操作。", code="invalid_state")


@transaction.atomic
def assign_mediation(
    actor, case: MediationCase, *, mediator: Mediator, expected_version: int | None = None
) -> MediationCase:
    require_role(actor, *MEDIATION_HANDLERS)
    require_unit(actor, case.unit)
    case = _locked(MediationCase, case, expected_version)
    _require_open(case)
    before = {"mediator": case.mediator}
    case.mediator = _mediator_of(case.body, mediator)
    case.assigned_to = mediator.user
    case.status = MediationCase.Status.MEDIATING
    case.save()
    cases.add_event(case, actor, "assigned", f"指派调解员 {mediator.name}。")
    audit.record(
        actor, "assign_mediation", case, changes=audit.diff(before, {"mediator": case.mediator})
    )
    return case


SUCCESSFUL_MEDIATION = (MediationCase.Closure.AGREEMENT, MediationCase.Closure.SETTLEMENT)


@transaction.atomic
def close_mediation(
    actor,
    case: MediationCase,
    *,
    closure: str,
    closed_on: date,
    agreement_text: str = "",
    agreed_amount: Decimal | None = None,
    expected_version: int | None = None,
) -> MediationCase:
    require_role(actor, *MEDIATION_HANDLERS)
    require_unit(actor, case.unit)
    case = _locked(MediationCase, case, expected_version)
    _require_open(case)
    errors: dict = {}
    if closure not in MediationCase.Closure.values:
        errors["closure"] = "请选择结案方式。"
    if closure in SUCCESSFUL_MEDIATION and not (agreement_text or "").strip():
        errors["agreement_text"] = "达成协议或和解的，请填写协议内容。"
    if agreed_amount is not None and agreed_amount < 0:
        errors["agreed_amount"] = "金额不能为负数。"
    _check_day(errors, "closed_on", closed_on, not_before=case.received_on, label="收到日期")
    _raise(errors)
    case.closure, case.closed_on, case.ended_on = closure, closed_on, closed_on
    case.agreement_text = (agreement_text or "").strip()
    case.agreed_amount = agreed_amount if closure in SUCCESSFUL_MEDIATION else None
    case.status = MediationCase.Status.CLOSED
    cases.refresh_due(case)
    case.save()
    label = MediationCase.Closure(closure).label
    cases.add_event(case, actor, "closed", f"调解结案：{label}（{closed_on}）。")
    audit.record(
        actor,
        "close_mediation",
        case,
        changes=audit.diff(
            {}, {"closure": closure, "closed_on": closed_on, "agreed_amount": case.agreed_amount}
        ),
    )
    return case


@transaction.atomic
def transfer_to_arbitration(
    actor,
    case: MediationCase,
    *,
    commission: ArbitrationCommission,
    received_on: date,
    expected_version: int | None = None,
) -> ArbitrationCase:
    """A failed mediation goes to arbitration in one step, its dispute carried over.

    Allowed when the mediation closed without agreement, or when it is still open past its
    15 days (Art.14: the party may then apply for arbitration) — it is then closed as
    no agreement on ``received_on``."""
    require_role(actor, *ARBITRATION_HANDLERS, roles.MEDIATOR)
    require_unit(actor, case.unit)
    case = _locked(MediationCase, case, expected_version)
    if case.is_open:
        if case.due_on is None or case.due_on >= received_on:
            raise ValidationError("调解期限未满且未结案，暂不能转仲裁。", code="invalid_state")
        case.closure = MediationCase.Closure.NO_AGREEMENT
        case.closed_on = case.ended_on = received_on
        case.status = MediationCase.Status.CLOSED
        cases.refresh_due(case)
        case.save()
        cases.add_event(case, actor, "closed", "调解期限届满未达成协议，结案并转仲裁。")
    elif case.closure != MediationCase.Closure.NO_AGREEMENT:
        raise ValidationError("只有未达成调解协议的案件可以转仲裁。", code="invalid_state")
    if case.arbitration_cases.exists():
        raise ValidationError("该调解案件已转仲裁。", code="invalid_state")
    arbitration = receive_arbitration(
        actor, case.dispute, commission=commission, received_on=received_on, from_mediation=case
    )
    cases.add_event(case, actor, "transferred", f"转{commission.name}（{arbitration.pk}）。")
    return arbitration


# --- arbitration -----------------------------------------------------------------------------


def _decision_due(received_on: date, unit) -> date:
    return clocks.add_calendar_days(
        received_on, _limit("arbitration_acceptance_days", received_on, unit)
    )


@transaction.atomic
def receive_arbitration(
    actor,
    dispute: Dispute,
    *,
    commission: ArbitrationCommission,
    received_on: date,
    from_mediation: MediationCase | None = None,
) -> ArbitrationCase:
    """The commission receives an application: it must decide within 5 days (Art.29)."""
    require_role(actor, *ARBITRATION_HANDLERS, roles.MEDIATOR)
    require_unit(actor, commission.unit)
    errors: dict = {}
    if not commission.is_active:
        errors["commission"] = "该仲裁委员会已停用。"
    _check_day(errors, "received_on", received_on)
    _raise(errors)
    case = ArbitrationCase.objects.create(
        dispute=dispute,
        commission=commission,
        unit=commission.unit,
        received_on=received_on,
        from_mediation=from_mediation,
        is_collective=dispute.is_collective,
        workers_count=dispute.workers_count,
        decision_due_on=_decision_due(received_on, commission.unit),
    )
    # Until acceptance the clock that matters is the 5-day decision; queues see it as due_on.
    case.due_on = case.decision_due_on
    case.save(update_fields=["due_on"])
    note = "（集体争议，优先立案、优先审理）" if case.is_collective else ""
    cases.add_event(
        case,
        actor,
        "received",
        f"收到仲裁申请{note}，应于 {case.decision_due_on} 前作出是否受理的决定。",
    )
    audit.record(
        actor,
        "receive_arbitration",
        case,
        changes=audit.diff(
            {},
            {
                "commission": commission,
                "received_on": received_on,
                "from_mediation": from_mediation.pk if from_mediation else None,
            },
        ),
    )
    return case


def _arbitration(actor, case, expected_version) -> ArbitrationCase:
    require_role(actor, *ARBITRATION_HANDLERS)
    require_unit(actor, case.unit)
    case = _locked(ArbitrationCase, case, expected_version)
    _require_open(case)
    return case


def _require_status(case: ArbitrationCase, *allowed) -> None:
    if case.status not in allowed:
        label = ArbitrationCase.Status(case.status).label
        raise ValidationError(f"案件当前状态为“{label}”，不能进行此操作。", code="invalid_state")


@transaction.atomic
def request_materials(
    actor, case: ArbitrationCase, *, items: str, expected_version: int | None = None
) -> ArbitrationCase:
    """List everything missing at once (办案规则 Art.29); the decision waits for them."""
    case = _arbitration(actor, case, expected_version)
    _require_status(case, ArbitrationCase.Status.RECEIVED)
    if not (items or "").strip():
        raise ValidationError({"items": "请一次性列明需要补正的全部材料。"})
    case.status = ArbitrationCase.Status.MATERIALS_REQUESTED
    case.due_on = None
    case.save()
    cases.add_event(case, actor, "materials_requested", f"通知补正材料：{items.strip()}")
    audit.record(actor, "request_materials", case, changes={"items": [None, items.strip()]})
    return case


@transaction.atomic
def materials_supplied(
    actor, case: ArbitrationCase, *, on: date, expected_version: int | None = None
) -> ArbitrationCase:
    """The received date becomes the day the materials arrived (办案规则 Art.46(2))."""
    case = _arbitration(actor, case, expected_version)
    _require_status(case, ArbitrationCase.Status.MATERIALS_REQUESTED)
    errors: dict = {}
    _check_day(errors, "on", on, not_before=case.received_on, label="收到日期")
    _raise(errors)
    before = {"received_on": case.received_on}
    case.received_on = on
    case.decision_due_on = case.due_on = _decision_due(on, case.unit)
    case.status = ArbitrationCase.Status.RECEIVED
    case.save()
    cases.add_event(
        case,
        actor,
        "materials_supplied",
        f"材料补正齐全，收到日期改为 {on}，应于 {case.decision_due_on} 前决定是否受理。",
    )
    audit.record(actor, "materials_supplied", case, changes=audit.diff(before, {"received_on": on}))
    return case


def _next_number(case: ArbitrationCase, accepted_on: date) -> str:
    prefix = f"{case.commission.short_name}案字〔{accepted_on.year}〕第"
    count = ArbitrationCase.objects.filter(
        commission=case.commission, number__startswith=prefix
    ).count()
    return f"{prefix}{count + 1}号"


@transaction.atomic
def accept(
    actor,
    case: ArbitrationCase,
    *,
    accepted_on: date,
    procedure: str,
    expected_version: int | None = None,
) -> ArbitrationCase:
    """Accept: the 45-day award clock starts (Art.43)."""
    case = _arbitration(actor, case, expected_version)
    _require_status(case, ArbitrationCase.Status.RECEIVED)
    errors: dict = {}
    if procedure not in ArbitrationCase.Procedure.values:
        errors["procedure"] = "请选择简易处理或普通程序。"
    _check_day(errors, "accepted_on", accepted_on, not_before=case.received_on, label="收到日期")
    _raise(errors)
    case.accepted_on, case.procedure = accepted_on, procedure
    case.status = ArbitrationCase.Status.ACCEPTED
    case.number = _next_number(case, accepted_on)
    cases.start_clock(case, accepted_on, _limit("arbitration_award_days", accepted_on, case.unit))
    case.save()
    cases.add_event(
        case, actor, "accepted", f"受理，案号 {case.number}，审理期限至 {case.due_on}。"
    )
    audit.record(
        actor,
        "accept_arbitration",
        case,
        changes=audit.diff(
            {}, {"accepted_on": accepted_on, "number": case.number, "due_on": case.due_on}
        ),
    )
    return case


@transaction.atomic
def refuse(
    actor,
    case: ArbitrationCase,
    *,
    refused_on: date,
    reason: str,
    expected_version: int | None = None,
) -> ArbitrationCase:
    """Refuse in writing with the reason (Art.29); not a closure for the statistics."""
    case = _arbitration(actor, case, expected_version)
    _require_status(case, ArbitrationCase.Status.RECEIVED)
    errors: dict = {}
    if not (reason or "").strip():
        errors["reason"] = "请填写不予受理的理由。"
    _check_day(errors, "refused_on", refused_on, not_before=case.received_on, label="收到日期")
    _raise(errors)
    case.refused_on = case.ended_on = refused_on
    case.refusal_reason = reason.strip()
    case.status = ArbitrationCase.Status.REFUSED
    case.due_on = None
    case.save()
    cases.add_event(case, actor, "refused", f"不予受理：{case.refusal_reason}")
    audit.record(
        actor,
        "refuse_arbitration",
        case,
        changes=audit.diff({}, {"refused_on": refused_on, "reason": case.refusal_reason}),
    )
    return case


@transaction.atomic
def form_tribunal(
    actor,
    case: ArbitrationCase,
    *,
    arbitrators: list[Arbitrator],
    expected_version: int | None = None,
) -> ArbitrationCase:
    """One arbitrator in the simplified procedure, three otherwise (办案规则 Art.56)."""
    case = _arbitration(actor, case, expected_version)
    _require_status(case, ArbitrationCase.Status.ACCEPTED, ArbitrationCase.Status.TRIBUNAL_FORMED)
    wanted = 1 if case.procedure == ArbitrationCase.Procedure.SIMPLIFIED else 3
    members = list(dict.fromkeys(arbitrators))
    errors = []
    if len(members) != wanted:
        errors.append(
            f"{ArbitrationCase.Procedure(case.procedure).label}应由 {wanted} 名仲裁员组庭。"
        )
    for member in members:
        if (
            member.commission_id != case.commission_id
            or not member.is_active
            or (member.role != Arbitrator.Role.ARBITRATOR)
        ):
            errors.append(f"{member.name}不是本仲裁委在岗仲裁员。")
    if errors:
        raise ValidationError({"arbitrators": errors})
    case.tribunal.set(members)
    case.status = ArbitrationCase.Status.TRIBUNAL_FORMED
    presiding = next((m for m in members if m.user_id), None)
    if presiding is not None:
        case.assigned_to = presiding.user
    case.save()
    names = "、".join(m.name for m in members)
    cases.add_event(case, actor, "tribunal_formed", f"组成仲裁庭：{names}。")
    audit.record(actor, "form_tribunal", case, changes={"tribunal": [None, names]})
    return case


@transaction.atomic
def schedule_hearing(
    actor,
    case: ArbitrationCase,
    *,
    hearing_at: datetime,
    notified_on: date,
    expected_version: int | None = None,
) -> ArbitrationCase:
    """The parties are told at least 5 days before the hearing (Art.35)."""
    case = _arbitration(actor, case, expected_version)
    _require_status(
        case, ArbitrationCase.Status.TRIBUNAL_FORMED, ArbitrationCase.Status.HEARING_SCHEDULED
    )
    errors: dict = {}
    hearing_day = (
        timezone.localtime(hearing_at).date()
        if timezone.is_aware(hearing_at)
        else (hearing_at.date())
    )
    if (hearing_day - notified_on).days < 5:
        errors["hearing_at"] = "开庭日期应在通知之日起至少 5 日后。"
    _check_day(errors, "notified_on", notified_on, not_before=case.accepted_on, label="受理日期")
    _raise(errors)
    case.hearing_at, case.hearing_notified_on = hearing_at, notified_on
    case.status = ArbitrationCase.Status.HEARING_SCHEDULED
    case.save()
    cases.add_event(
        case, actor, "hearing_scheduled", f"定于 {hearing_day} 开庭，{notified_on} 通知当事人。"
    )
    audit.record(
        actor,
        "schedule_hearing",
        case,
        changes=audit.diff({}, {"hearing_at": hearing_at, "notified_on": notified_on}),
    )
    return case


@transaction.atomic
def extend(
    actor,
    case: ArbitrationCase,
    *,
    days: int,
    reason: str,
    approver: str,
    expected_version: int | None = None,
) -> ArbitrationCase:
    """One extension of at most 15 days, approved by the commission head (Art.43)."""
    case = _arbitration(actor, case, expected_version)
    if case.accepted_on is None:
        raise ValidationError("尚未受理的案件不能延长审理期限。", code="invalid_state")
    max_days = _limit("arbitration_extension_max_days", case.accepted_on, case.unit)
    cases.extend(case, actor, days=days, reason=reason, approver=approver, max_days=max_days)
    case.save()
    cases.add_event(
        case,
        actor,
        "extended",
        f"经{approver}批准延长 {days} 日，审理期限至 {case.due_on}。理由：{reason}",
    )
    audit.record(
        actor,
        "extend_arbitration",
        case,
        changes={"days": [None, days], "approver": [None, approver]},
    )
    return case


@transaction.atomic
def suspend(
    actor,
    case: ArbitrationCase,
    *,
    from_day: date,
    reason: str,
    approver: str,
    expected_version: int | None = None,
) -> ArbitrationCase:
    """中止审理 (办案规则 Art.47): the days do not count until it resumes."""
    case = _arbitration(actor, case, expected_version)
    if case.accepted_on is None:
        raise ValidationError("尚未受理的案件不能中止审理。", code="invalid_state")
    cases.suspend(case, actor, from_day=from_day, reason=reason, approver=approver)
    case.save()
    cases.add_event(
        case, actor, "suspended", f"经{approver}批准自 {from_day} 中止审理。理由：{reason}"
    )
    audit.record(
        actor,
        "suspend_arbitration",
        case,
        changes={"from_day": [None, from_day.isoformat()], "reason": [None, reason]},
    )
    return case


@transaction.atomic
def resume(
    actor, case: ArbitrationCase, *, to_day: date, expected_version: int | None = None
) -> ArbitrationCase:
    case = _arbitration(actor, case, expected_version)
    cases.resume(case, actor, to_day=to_day)
    case.save()
    cases.add_event(
        case, actor, "resumed", f"中止至 {to_day} 结束，恢复审理，审理期限至 {case.due_on}。"
    )
    audit.record(actor, "resume_arbitration", case, changes={"to_day": [None, to_day.isoformat()]})
    return case


# --- closure ---------------------------------------------------------------------------------

FINAL_BY_AMOUNT = {
    ClaimType.Category.REMUNERATION,
    ClaimType.Category.COMPENSATION,
    ClaimType.Category.DAMAGES,
}
FINAL_ALWAYS = {ClaimType.Category.WORKING_TIME, ClaimType.Category.SOCIAL_INSURANCE}


def final_award_threshold(case: ArbitrationCase, on: date) -> tuple[Decimal, list[str]]:
    """12 x the monthly minimum wage of the commission's place, with its trace (rules §1.4)."""
    try:
        tier = parameter_value("min_wage_tier", on, case.unit)
        wage = parameter_value(f"min_wage_monthly_tier{int(tier.value)}", on, case.unit)
        multiple = parameter_value("final_award_minimum_wage_multiple", on, case.unit)
    except ParameterMissing as exc:
        raise ValidationError(str(exc)) from exc
    threshold = (wage.value * multiple.value).quantize(Decimal("0.01"))
    return threshold, [tier.trace(), wage.trace(), multiple.trace()]


def _award_items(case: ArbitrationCase, items: list[dict], on: date) -> list[AwardItem]:
    claims = {claim.pk: claim for claim in case.dispute.claims.select_related("claim_type")}
    errors, built = [], []
    for number, item in enumerate(items, start=1):
        claim = item.get("claim")
        claim = claims.get(getattr(claim, "pk", claim))
        amount = item.get("amount")
        if claim is None:
            errors.append(f"第 {number} 项：不是本案的请求事项。")
        elif amount is None or Decimal(str(amount)) < 0:
            errors.append(f"第 {number} 项：裁决金额应为不小于 0 的数。")
        else:
            built.append(
                AwardItem(
                    case=case,
                    claim=claim,
                    amount=Decimal(str(amount)).quantize(Decimal("0.01")),
                    is_final=False,
                )
            )
    if not built and not errors:
        errors.append("裁决结案须至少列明一项裁决事项。")
    if errors:
        raise ValidationError({"items": errors})
    _mark_final(case, built, on)
    return built


def _mark_final(case: ArbitrationCase, items: list[AwardItem], on: date) -> None:
    """Per item as awarded (解释(一) Art.19); work-injury medical costs on their total."""
    threshold, trace = None, []
    medical_total = sum(
        (
            i.amount
            for i in items
            if i.claim.claim_type.category == ClaimType.Category.WORK_INJURY_MEDICAL
        ),
        Decimal("0"),
    )
    for item in items:
        category = item.claim.claim_type.category
        if category in FINAL_ALWAYS:
            item.is_final, item.final_basis = True, "调解仲裁法第四十七条第（二）项"
            continue
        if category not in FINAL_BY_AMOUNT | {ClaimType.Category.WORK_INJURY_MEDICAL}:
            item.is_final, item.final_basis = False, "不属于终局裁决事项"
            continue
        if threshold is None:
            threshold, trace = final_award_threshold(case, on)
        amount = (
            medical_total if category == ClaimType.Category.WORK_INJURY_MEDICAL else item.amount
        )
        item.is_final = amount <= threshold
        relation = "不超过" if item.is_final else "超过"
        item.final_basis = (
            f"金额 {amount} 元{relation}限额 {threshold} 元（调解仲裁法第四十七条第"
            f"（一）项）；{trace[1]}"
        )[:300]


@transaction.atomic
def close(
    actor,
    case: ArbitrationCase,
    *,
    closure: str,
    closed_on: date,
    items: list[dict] | None = None,
    note: str = "",
    expected_version: int | None = None,
) -> ArbitrationCase:
    """Close by award (an amount per claim item, each tested final or not), by mediation
    document, or otherwise (withdrawal, deemed withdrawal, cancellation, termination)."""
    case = _arbitration(actor, case, expected_version)
    if case.accepted_on is None:
        raise ValidationError(
            "尚未受理的案件不能结案；不予受理请使用“不予受理”。", code="invalid_state"
        )
    errors: dict = {}
    if closure not in ArbitrationCase.Closure.values:
        errors["closure"] = "请选择结案方式。"
    _check_day(errors, "closed_on", closed_on, not_before=case.accepted_on, label="受理日期")
    if closure != ArbitrationCase.Closure.AWARD and items:
        errors["items"] = "只有裁决结案需要填写裁决事项。"
    if (
        closure
        in (
            ArbitrationCase.Closure.CANCELLED,
            ArbitrationCase.Closure.TERMINATED,
            ArbitrationCase.Closure.DEEMED_WITHDRAWN,
        )
        and not (note or "").strip()
    ):
        errors["note"] = "请说明撤销、终止或按撤回处理的事由。"
    _raise(errors)
    award = (
        _award_items(case, items or [], closed_on)
        if closure == ArbitrationCase.Closure.AWARD
        else []
    )
    AwardItem.objects.bulk_create(award)
    case.closure, case.closed_on, case.ended_on = closure, closed_on, closed_on
    case.closure_note = (note or "").strip()[:300]
    case.status = ArbitrationCase.Status.CLOSED
    cases.refresh_due(case)
    case.search_text = guidance.case_search_text(case)
    case.save()
    label = ArbitrationCase.Closure(closure).label
    final = ""
    if award:
        final = "，终局裁决" if all(i.is_final for i in award) else "，非终局裁决"
    cases.add_event(case, actor, "closed", f"结案：{label}{final}（{closed_on}）。")
    audit.record(
        actor,
        "close_arbitration",
        case,
        changes=audit.diff(
            {},
            {
                "closure": closure,
                "closed_on": closed_on,
                "award": [
                    f"{i.claim.claim_type.name} {i.amount}{'（终局）' if i.is_final else ''}"
                    for i in award
                ],
            },
        ),
    )
    return case


@transaction.atomic
def mark_model_case(
    actor,
    case: ArbitrationCase,
    *,
    is_model: bool,
    summary: str = "",
    expected_version: int | None = None,
) -> ArbitrationCase:
    """Arbitrators mark a closed case as a model case (精品案例) that ranks first in guidance."""
    require_role(actor, roles.ARBITRATOR, roles.CITY_ADMIN)
    require_unit(actor, case.unit)
    case = _locked(ArbitrationCase, case, expected_version)
    if case.closed_on is None:
        raise ValidationError("只有已结案的案件可以标记为精品案例。", code="invalid_state")
    if is_model and not (summary or case.summary).strip():
        raise ValidationError({"summary": "请填写裁决要旨。"})
    before = {"is_model_case": case.is_model_case, "summary": case.summary}
    case.is_model_case = is_model
    case.summary = (summary or case.summary).strip()
    case.search_text = guidance.case_search_text(case)
    case.save()
    audit.record(
        actor,
        "mark_model_case",
        case,
        changes=audit.diff(before, {"is_model_case": is_model, "summary": case.summary}),
    )
    return case
