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

from yutong.core import audit, cases, clocks, roles, scope
from yutong.core.models import OrgUnit
from yutong.core.money import yuan
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import require_record, require_role, require_unit
from yutong.core.personal import (
    blind_index,
    is_valid_phone,
    is_valid_resident_id,
    mask_phone,
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
    Lawyer,
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


MAX_CLAIM_AMOUNT = Decimal("1000000000000")  # the column holds 12 digits before the point


def _claim_fields(data: dict, types: dict, *, partial: bool = False) -> tuple[dict, str]:
    """One claim's type, amount and description cleaned, or ``({}, message)``.

    ``partial``: only the keys present in ``data`` (a change names what it changes)."""
    cleaned: dict = {}
    if not partial or "claim_type" in data:
        claim_type = data.get("claim_type")
        code = getattr(claim_type, "code", claim_type)
        if code not in types:
            return {}, "请求事项类型无效。"
        cleaned["claim_type"] = types[code]
    if not partial or "amount" in data:
        amount = data.get("amount")
        if amount in (None, ""):
            cleaned["amount"] = None
        else:
            try:
                amount = Decimal(str(amount))
            except ArithmeticError:
                return {}, "金额应为数字。"
            if not amount.is_finite():
                return {}, "金额应为数字。"
            if amount < 0:
                return {}, "金额不能为负数。"
            if amount >= MAX_CLAIM_AMOUNT:
                return {}, "金额过大，请核对。"
            cleaned["amount"] = amount.quantize(Decimal("0.01"))
    if not partial or "description" in data:
        cleaned["description"] = (data.get("description") or "").strip()[:300]
    return cleaned, ""


def _clean_claims(claims: list[dict]) -> list[dict]:
    if not claims:
        raise ValidationError({"claims": "请至少填写一项请求事项。"})
    types = {t.code: t for t in ClaimType.objects.all()}
    cleaned, errors = [], []
    for number, claim in enumerate(claims, start=1):
        values, message = _claim_fields(claim, types)
        if message:
            errors.append(f"第 {number} 项：{message}")
        else:
            cleaned.append(values)
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
        # A township account registers the disputes of its township's employers.
        require_record(actor, Dispute(unit=unit, employer=employer))
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
                "claims": [_claim_text(c["claim_type"].name, c["amount"]) for c in claims],
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
    require_record(actor, body)
    return _open_mediation(actor, dispute, body=body, received_on=received_on, mediator=mediator)


def _open_mediation(actor, dispute, *, body, received_on, mediator=None) -> MediationCase:
    """open_mediation without the permission check (the caller made it, or the applicant
    filed online: ``actor`` is then None)."""
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
    cases.notify_assigned(case, actor)
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
    require_record(actor, case)
    case = _locked(MediationCase, case, expected_version)
    _require_open(case)
    before = {"mediator": case.mediator}
    case.mediator = _mediator_of(case.body, mediator)
    case.assigned_to = mediator.user
    case.status = MediationCase.Status.MEDIATING
    case.save()
    cases.add_event(case, actor, "assigned", f"指派调解员 {mediator.name}。")
    cases.notify_assigned(case, actor)
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
    require_record(actor, case)
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
    require_record(actor, case)
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
    require_record(actor, commission)
    return _receive_arbitration(
        actor,
        dispute,
        commission=commission,
        received_on=received_on,
        from_mediation=from_mediation,
    )


def _receive_arbitration(
    actor, dispute, *, commission, received_on, from_mediation=None
) -> ArbitrationCase:
    """receive_arbitration without the permission check (see _open_mediation)."""
    errors: dict = {}
    if not commission.is_active:
        errors["commission"] = "该仲裁委员会已停用。"
    _check_day(errors, "received_on", received_on)
    failed_on = from_mediation.closed_on if from_mediation is not None else None
    if "received_on" not in errors and failed_on is not None and received_on < failed_on:
        # Art.14: arbitration follows a mediation that has failed, not one still running.
        errors["received_on"] = f"仲裁申请日期不能早于调解不成的日期（{failed_on.isoformat()}）。"
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


# --- online applications -----------------------------------------------------------------


def online_reference(dispute: Dispute) -> str:
    """The number an online applicant is given (and staff see on the case): WS + day + id."""
    day = timezone.localtime(dispute.registered_at).date()
    return f"WS{day:%Y%m%d}{dispute.pk:06d}"


@transaction.atomic
def submit_online_application(
    *,
    target: MediationBody | ArbitrationCommission,
    facts: str,
    workers: list[dict],
    claims: list[dict],
    employer_name: str,
    employer_uscc: str = "",
) -> MediationCase | ArbitrationCase:
    """A worker applies on the public page, without an account: the dispute is registered
    (channel online) and the chosen mediation body or commission receives it today. There is
    no actor: the timeline shows the applicant, the audit entries have no user."""
    errors: dict = {}
    if isinstance(target, MediationBody):
        if target.kind == MediationBody.Kind.ENTERPRISE_COMMITTEE:
            errors["target"] = "企业劳动争议调解委员会不接受网上申请。"
    elif not isinstance(target, ArbitrationCommission):
        errors["target"] = "请选择受理机构。"
    if not getattr(target, "is_active", False):
        errors["target"] = "请选择在用的调解组织或仲裁委员会。"
    if not (employer_name or "").strip():
        # Required here (not only when the USCC finds nobody): the answer must not depend on
        # whether the employer is in the registry.
        errors["employer_name"] = "请填写用人单位名称。"
    _raise(errors)
    dispute = register_dispute(
        None,
        unit=target.unit,
        channel=Dispute.Channel.ONLINE,
        facts=facts,
        workers=workers,
        claims=claims,
        employer_name=employer_name,
        employer_uscc=employer_uscc,
    )
    received_on = _today()
    if isinstance(target, MediationBody):
        case = _open_mediation(None, dispute, body=target, received_on=received_on)
    else:
        case = _receive_arbitration(None, dispute, commission=target, received_on=received_on)
    cases.add_event(
        case,
        None,
        "online_application",
        f"申请人网上提交申请，网申编号 {online_reference(dispute)}。",
    )
    return case


def _arbitration(actor, case, expected_version) -> ArbitrationCase:
    require_role(actor, *ARBITRATION_HANDLERS)
    require_record(actor, case)
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
    # One number at a time per commission: two acceptances at once would count the same
    # rows and both take the next number. The lock waits for the other to commit; the count
    # below then sees its number (each statement reads afresh under READ COMMITTED).
    ArbitrationCommission.objects.select_for_update().get(pk=case.commission_id)
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
    handler_before = case.assigned_to_id
    if presiding is not None:
        case.assigned_to = presiding.user
    case.save()
    names = "、".join(m.name for m in members)
    cases.add_event(case, actor, "tribunal_formed", f"组成仲裁庭：{names}。")
    if case.assigned_to_id != handler_before:
        cases.notify_assigned(case, actor)
    audit.record(actor, "form_tribunal", case, changes={"tribunal": [None, names]})
    return case


def _local_day(moment: datetime) -> date:
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


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
    hearing_day = _local_day(hearing_at)
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
    decided_on: date | None = None,
    expected_version: int | None = None,
) -> ArbitrationCase:
    """One extension of at most 15 days, approved by the commission head before the 45 days
    run out (调解仲裁法 Art.43, 办案规则 Art.45); refused once they have (core.cases.extend)."""
    case = _arbitration(actor, case, expected_version)
    if case.accepted_on is None:
        raise ValidationError("尚未受理的案件不能延长审理期限。", code="invalid_state")
    max_days = _limit("arbitration_extension_max_days", case.accepted_on, case.unit)
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
        f"经{approver}于 {change.decided_on} 批准延长 {days} 日，审理期限至 {case.due_on}。"
        f"理由：{reason}{cases.late_extension_note(change)}",
    )
    audit.record(
        actor,
        "extend_arbitration",
        case,
        changes=audit.diff(
            {"due_on": change.due_before},
            {
                "days": days,
                "approver": approver,
                "decided_on": change.decided_on,
                "due_on": case.due_on,
            },
        ),
    )
    return case


def arbitration_handlers_for(case: ArbitrationCase):
    """Accounts that may take over a case: active arbitrators and bureau staff of its unit."""
    from yutong.core.models import User

    return (
        User.objects.filter(
            is_active=True,
            unit_id__in=scope.subtree_ids(case.unit),
            roles__code__in=(roles.ARBITRATOR, roles.DISTRICT_STAFF),
        )
        .distinct()
        .order_by("username")
    )


@transaction.atomic
def assign_arbitration(
    actor, case: ArbitrationCase, *, handler, expected_version: int | None = None
) -> ArbitrationCase:
    """Give the case to another handler (承办人), e.g. when the presiding arbitrator changes."""
    case = _arbitration(actor, case, expected_version)
    if handler is None or not arbitration_handlers_for(case).filter(pk=handler.pk).exists():
        raise ValidationError({"handler": "请选择本单位在岗的仲裁员或业务人员。"})
    before = {"assigned_to": case.assigned_to}
    case.assigned_to = handler
    case.save()
    cases.add_event(case, actor, "assigned", f"承办人改为 {handler}。")
    cases.notify_assigned(case, actor)
    audit.record(
        actor, "assign_arbitration", case, changes=audit.diff(before, {"assigned_to": handler})
    )
    return case


RESTART_GROUNDS = {
    "added_party": "追加当事人或者第三人（办案规则第四十六条第（一）项）",
    "changed_claims": "增加、变更仲裁请求（办案规则第四十六条第（三）项）",
    "counter_claim": "受理合并审理的仲裁反申请（办案规则第四十六条第（四）项）",
    "transferred_in": "受理其他仲裁委员会移送的案件（办案规则第四十六条第（五）项）",
}


def _restart_errors(case: ArbitrationCase, start: date | None, field: str) -> dict:
    """What stops the award clock counting afresh from ``start`` (empty: nothing)."""
    errors: dict = {}
    if start is None:
        errors[field] = "请填写重新起算日。"
    else:
        _check_day(errors, field, start, not_before=case.clock_start, label="原期限起算日")
    if field not in errors and cases.open_suspension(case) is not None:
        # A restart starts a fresh run without the open suspension: it would end unrecorded.
        errors[field] = "案件正在中止审理，请先恢复审理，再重新计算审理期限。"
    return errors


def _restart(actor, case: ArbitrationCase, *, start: date, ground: str, note: str = "") -> None:
    """Restart the award clock (the caller checked ``_restart_errors``); event and audit."""
    before = {"clock_start": case.clock_start, "due_on": case.due_on}
    reason = RESTART_GROUNDS[ground] + (f"：{note.strip()}" if (note or "").strip() else "")
    cases.restart(case, actor, start=start, reason=reason[:300])
    case.save()
    cases.add_event(
        case, actor, "restarted", f"因{reason}，审理期限自 {start} 重新计算，至 {case.due_on}。"
    )
    audit.record(
        actor,
        "restart_arbitration_clock",
        case,
        changes=audit.diff(before, {"clock_start": start, "due_on": case.due_on}),
    )


@transaction.atomic
def restart_clock(
    actor,
    case: ArbitrationCase,
    *,
    start: date,
    ground: str,
    note: str = "",
    expected_version: int | None = None,
) -> ArbitrationCase:
    """The 45-day limit counts afresh from ``start`` (办案规则 Art.46(1),(3)-(5)); extensions and
    suspensions of the earlier run stay on record but no longer count."""
    case = _arbitration(actor, case, expected_version)
    if case.accepted_on is None:
        raise ValidationError("尚未受理的案件不能重新计算审理期限。", code="invalid_state")
    errors = _restart_errors(case, start, "start")
    if ground not in RESTART_GROUNDS:
        errors["ground"] = "请选择重新计算期限的事由。"
    _raise(errors)
    _restart(actor, case, start=start, ground=ground, note=note)
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


# --- claims of an open case ------------------------------------------------------------------


def claim_label(claim: Claim) -> str:
    return _claim_text(claim.claim_type.name, claim.amount)


def _claim_text(name: str, amount) -> str:
    """ "拖欠工资 12,000.00 元", or the name alone for a claim without an amount."""
    return f"{name} {yuan(amount)} 元" if amount is not None and amount != "" else name


def _pk(value):
    value = getattr(value, "pk", value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _claims_to_add(items, types) -> tuple[list[dict], list[str]]:
    added, errors = [], []
    for number, item in enumerate(items, start=1):
        values, message = _claim_fields(item, types)
        if message:
            errors.append(f"新增第 {number} 项：{message}")
        else:
            added.append(values)
    return added, errors


def _claims_to_change(items, claims: dict, types, touched: set) -> tuple[list, list[str]]:
    changed, errors = [], []
    for number, item in enumerate(items, start=1):
        claim = claims.get(_pk(item.get("claim")))
        if claim is None:
            errors.append(f"变更第 {number} 项：不是本案现有的请求事项。")
            continue
        label = f"变更第 {number} 项（{claim_label(claim)}）"
        values, message = _claim_fields(item, types, partial=True)
        diff = {name: value for name, value in values.items() if getattr(claim, name) != value}
        if claim.pk in touched:
            errors.append(f"{label}：同一请求事项只能变更一次。")
        elif message:
            errors.append(f"{label}：{message}")
        elif not diff:
            errors.append(f"{label}：与原请求相同，没有变更。")
        else:
            touched.add(claim.pk)
            changed.append((claim, diff))
    return changed, errors


def _claims_to_withdraw(items, claims: dict, touched: set) -> tuple[list, list[str]]:
    withdrawn, errors = [], []
    for number, item in enumerate(items, start=1):
        claim = claims.get(_pk(item))
        if claim is None:
            errors.append(f"撤回第 {number} 项：不是本案现有的请求事项。")
        elif claim.pk in touched:
            errors.append(f"撤回第 {number} 项（{claim_label(claim)}）：不能同时变更和撤回。")
        else:
            touched.add(claim.pk)
            withdrawn.append(claim)
    return withdrawn, errors


def _claim_restart_errors(case, restart_clock, restart_on, adds_or_changes: bool) -> dict:
    """Art.46(3): the award clock restarts from the day the added or changed claims are
    accepted — the tribunal's decision, so the handler states it; never for mediation (Art.14
    has no restart), before acceptance (no clock yet) or for withdrawals alone."""
    may_restart = isinstance(case, ArbitrationCase) and case.accepted_on is not None
    if restart_clock is None:
        if may_restart and adds_or_changes:
            return {
                "restart_clock": "请选择是否自受理增加、变更请求之日起重新计算审理期限"
                "（办案规则第四十六条第（三）项）。"
            }
        return {}
    if not restart_clock:
        return {}
    if not isinstance(case, ArbitrationCase):
        return {"restart_clock": "调解期限（调解仲裁法第十四条）不因增加、变更请求重新计算。"}
    if not may_restart:
        return {"restart_clock": "案件尚未受理，审理期限尚未起算，无需重新计算。"}
    if not adds_or_changes:
        return {"restart_clock": "仅撤回请求事项的，审理期限不重新计算。"}
    return _restart_errors(case, restart_on, "restart_on")


def _write_claim_changes(dispute, added, changed, withdrawn) -> list[str]:
    """Write the checked changes; one line of the timeline each."""
    texts = []
    for claim, diff in changed:
        old = claim_label(claim)
        for name, value in diff.items():
            setattr(claim, name, value)
        claim.save(update_fields=list(diff))
        texts.append(f"变更 {old} → {claim_label(claim)}")
    for claim in withdrawn:
        claim.withdrawn_on = _today()
        claim.save(update_fields=["withdrawn_on"])
        texts.append(f"撤回 {claim_label(claim)}")
    new = Claim.objects.bulk_create(Claim(dispute=dispute, **values) for values in added)
    return texts + [f"增加 {claim_label(c)}" for c in new]


def _open_case(actor, case, expected_version):
    if isinstance(case, ArbitrationCase):
        return _arbitration(actor, case, expected_version)
    require_role(actor, *MEDIATION_HANDLERS)
    require_record(actor, case)
    case = _locked(MediationCase, case, expected_version)
    _require_open(case)
    return case


@transaction.atomic
def change_claims(
    actor,
    case: MediationCase | ArbitrationCase,
    *,
    reason: str,
    add: list[dict] = (),
    change: list[dict] = (),
    withdraw: list = (),
    restart_clock: bool | None = None,
    restart_on: date | None = None,
    basis: str = "",
    expected_version: int | None = None,
) -> MediationCase | ArbitrationCase:
    """Add, change (type, amount, description) or withdraw claims of an open case.

    ``add``: claims as at registration; ``change``: ``{"claim": id, …}`` with the fields that
    change; ``withdraw``: claim ids (the row stays, marked withdrawn: awards no longer decide
    it). For an accepted arbitration case that adds or changes claims, ``restart_clock`` says
    whether the tribunal accepted them so that the 45-day limit counts afresh from
    ``restart_on`` (办案规则 Art.46(3)). ``basis`` says where an amount came from (e.g. the
    claim calculator) for the timeline and the audit."""
    case = _open_case(actor, case, expected_version)
    if not (add or change or withdraw):
        raise ValidationError("请至少增加、变更或撤回一项请求事项。")
    claims = {c.pk: c for c in case.dispute.claims.active().select_related("claim_type")}
    types = {t.code: t for t in ClaimType.objects.all()}
    touched: set = set()
    added, add_errors = _claims_to_add(add, types)
    changed, change_errors = _claims_to_change(change, claims, types, touched)
    withdrawn, withdraw_errors = _claims_to_withdraw(withdraw, claims, touched)
    errors = {
        name: messages
        for name, messages in (
            ("add", add_errors),
            ("change", change_errors),
            ("withdraw", withdraw_errors),
        )
        if messages
    }
    if not (reason or "").strip():
        errors["reason"] = "请填写增加、变更或撤回请求事项的理由。"
    if not errors and len(claims) - len(withdrawn) + len(added) == 0:
        close_as = "撤回申请" if isinstance(case, ArbitrationCase) else "申请人撤回"
        errors["withdraw"] = f"不能撤回全部请求事项；申请人撤回全部请求的，请以“{close_as}”结案。"
    if touched and AwardItem.objects.filter(claim__in=touched).exists():
        errors.setdefault("change", []).append("已作出裁决的请求事项不能再变更或撤回。")
    errors |= _claim_restart_errors(case, restart_clock, restart_on, bool(added or changed))
    _raise(errors)

    before = [claim_label(c) for c in claims.values()]
    texts = _write_claim_changes(case.dispute, added, changed, withdrawn)
    after = [claim_label(c) for c in case.dispute.claims.active().select_related("claim_type")]
    note = f"（{basis.strip()}）" if (basis or "").strip() else ""
    cases.add_event(
        case, actor, "claims_changed", f"{'；'.join(texts)}{note}。理由：{reason.strip()}"
    )
    audit.record(
        actor,
        "change_claims",
        case,
        changes={
            "claims": [before, after],
            "reason": [None, reason.strip()],
            **({"basis": [None, basis.strip()]} if note else {}),
        },
    )
    if restart_clock:
        _restart(actor, case, start=restart_on, ground="changed_claims", note=reason.strip())
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


# The tribunal decides what was asked (仲裁请求, 调解仲裁法 Art.28; 办案规则 Art.29): an item above
# its claim is refused, except where the law, not the claimant, fixes the figure from the wage
# and the time worked; the tribunal may then award the computed figure when the claimant
# counted short, and must say why (recorded per item). Claim-type code → the article that
# computes it. Not 竞业限制经济补偿 (its amount is agreed in the contract) nor any
# remuneration claim (the wage owed is what was owed).
COMPUTED_BY_LAW = {
    "economic_compensation": "《劳动合同法》第四十七条",  # N x W
    "notice_pay": "《劳动合同法》第四十条",  # one month's wage
    "illegal_termination_damages": "《劳动合同法》第八十七条",  # 2 x N x W
    "double_wages": "《劳动合同法》第八十二条",  # one more month's wage per month
    "probation_damages": "《劳动合同法》第八十三条",  # the wage of the excess probation
    "additional_damages": "《劳动合同法》第八十五条",  # 50%-100% of the amount owed
}

# The article of 调解仲裁法 that makes an item final or not (rules §1.4), from its claim
# type's category: the citation the award prints, never read back from ``final_basis``.
FINAL_BY_AMOUNT_ARTICLE = "第四十七条第（一）项"
FINAL_ALWAYS_ARTICLE = "第四十七条第（二）项"
NON_FINAL_ARTICLE = "第五十条"


def finality_article(category: str, is_final: bool) -> str:
    """调解仲裁法's article for an item of this claim category, final or not."""
    if not is_final:
        return NON_FINAL_ARTICLE
    if category in FINAL_ALWAYS:
        return FINAL_ALWAYS_ARTICLE
    return FINAL_BY_AMOUNT_ARTICLE


def _award_item_error(claim: Claim | None, amount, reason: str) -> str:
    """What is wrong with one award item (empty: nothing)."""
    if claim is None:
        return "不是本案的请求事项。"
    if claim.withdrawn_on is not None:
        # A withdrawn claim is no longer before the tribunal: the award decides the rest.
        return f"{claim.claim_type.name}已于 {claim.withdrawn_on} 撤回。"
    if amount is None or Decimal(str(amount)) < 0:
        return "裁决金额应为不小于 0 的数。"
    if claim.amount is None or Decimal(str(amount)) <= claim.amount:
        return ""
    if claim.claim_type_id not in COMPUTED_BY_LAW:
        return f"{claim.claim_type.name}裁决金额不能超过请求金额 {yuan(claim.amount)} 元。"
    if not reason:
        return (
            f"{claim.claim_type.name}裁决金额超过请求金额 {yuan(claim.amount)} 元，"
            "请填写依法计算的理由。"
        )
    return ""


def _award_items(case: ArbitrationCase, items: list[dict], on: date) -> list[AwardItem]:
    claims = {claim.pk: claim for claim in case.dispute.claims.select_related("claim_type")}
    errors, built = [], []
    for number, item in enumerate(items, start=1):
        claim = item.get("claim")
        claim = claims.get(getattr(claim, "pk", claim))
        amount = item.get("amount")
        reason = (item.get("reason") or "").strip()[:300]
        error = _award_item_error(claim, amount, reason)
        if error:
            errors.append(f"第 {number} 项：{error}")
            continue
        amount = Decimal(str(amount)).quantize(Decimal("0.01"))
        over = claim.amount is not None and amount > claim.amount
        built.append(
            AwardItem(
                case=case,
                claim=claim,
                amount=amount,
                is_final=False,
                over_claim_reason=reason if over else "",
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
            item.is_final = True
            item.final_basis = f"调解仲裁法{finality_article(category, True)}"
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
            f"金额 {yuan(amount)} 元{relation}限额 {yuan(threshold)} 元（调解仲裁法"
            f"{FINAL_BY_AMOUNT_ARTICLE}）；{trace[1]}"
        )[:300]


def _award_state_errors(errors: dict, case: ArbitrationCase, closed_on: date) -> None:
    """What the law requires before an award can be made."""
    if cases.open_suspension(case) is not None:
        # 办案规则 Art.47: a suspended case stands still until it resumes.
        errors["closure"] = "案件正在中止审理，恢复审理后才能作出裁决（办案规则第四十七条）。"
    elif not case.tribunal.exists():
        # 调解仲裁法 Art.31, 45: the tribunal, and only it, makes the award.
        errors["closure"] = "尚未组成仲裁庭，不能作出裁决（调解仲裁法第三十一条、第四十五条）。"
    hearing_day = _local_day(case.hearing_at) if case.hearing_at else None
    if "closed_on" not in errors and hearing_day is not None and closed_on < hearing_day:
        # Art.35-38: the award follows the hearing; the award must not report a future hearing.
        errors["closed_on"] = (
            f"裁决日期不能早于开庭日期（{hearing_day.isoformat()}）（调解仲裁法第三十五条至第三十八条）。"
        )


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
    if closure == ArbitrationCase.Closure.AWARD:
        if not items:
            errors["items"] = "裁决结案须至少列明一项裁决事项。"
        _award_state_errors(errors, case, closed_on)
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
                    f"{i.claim.claim_type.name} {yuan(i.amount)} 元"
                    + ("（终局）" if i.is_final else "")
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
    require_record(actor, case)
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


# --- bodies and people -----------------------------------------------------------------------
#
# The registries behind the cases: mediation bodies and their mediators, arbitration
# commissions and their arbitrators and clerks, the lawyer pool. Nothing is deleted — cases
# refer to these rows — a record is deactivated (``is_active=False``) and leaves the pickers.
# City administrators and district staff manage those of their own unit's subtree.

BODY_EDITORS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF)
BODY_FIELDS = ("code", "name", "kind", "unit", "township", "enterprise", "park", "is_active")
MEDIATOR_FIELDS = ("name", "phone", "user", "is_active")
COMMISSION_FIELDS = ("code", "name", "short_name", "unit", "is_active")
ARBITRATOR_FIELDS = ("name", "role", "is_full_time", "user", "is_active")
LAWYER_FIELDS = ("name", "firm", "phone", "unit", "is_active")


def _require_editor(actor, record=None) -> None:
    """``record``: the body or commission acted on (None when creating one)."""
    require_role(actor, *BODY_EDITORS)
    if record is not None:
        require_record(actor, record)


def _check_changes(changes: dict, allowed: tuple) -> None:
    refused = {field: "该字段不能修改。" for field in changes if field not in allowed}
    _raise(refused)


def _code_error(errors: dict, code: str, model, pk) -> None:
    if not code:
        errors["code"] = "请填写编号。"
    elif not (2 <= len(code) <= 24 and code.isascii() and code.replace("-", "").isalnum()):
        errors["code"] = "编号只能由字母、数字和连字符组成，2 至 24 位。"
    elif model.objects.filter(code=code).exclude(pk=pk).exists():
        errors["code"] = "该编号已被使用。"


def _placement_unit_error(errors: dict, unit, *, kept: bool, label: str) -> None:
    """The city or a district-level unit; an ended one only if the record already had it."""
    if unit is None:
        errors["unit"] = f"请选择{label}。"
    elif unit.level == OrgUnit.Level.TOWNSHIP:
        errors["unit"] = f"{label}应为全市或区县级单位，不能是镇街。"
    elif not unit.is_current and not kept:
        errors["unit"] = f"{unit.name}已于 {unit.valid_to} 撤销，请选择承继单位。"


def _phone(errors: dict, phone: str) -> str:
    phone = normalise_phone(phone or "")
    if phone and not is_valid_phone(phone):
        errors["phone"] = "联系电话格式不正确，请填写 11 位手机号码或带区号的固定电话。"
    return phone


def _platform_user_error(errors: dict, actor, user, *, codes: tuple, message: str) -> None:
    if user is None:
        return
    if not user.is_active:
        errors["user"] = "该平台账号已停用。"
    elif not scope.unit_in_scope(actor, user.unit):
        errors["user"] = "该平台账号不在您的管辖范围内。"
    elif not (user.is_superuser or user.has_role(*codes)):
        errors["user"] = message


def _record_change(actor, action: str, obj, before: dict, after: dict, unit) -> None:
    changes = audit.diff(before, after)
    if changes:
        audit.record(actor, action, obj, unit=unit, changes=changes)


# mediation bodies


def _body_snapshot(body: MediationBody) -> dict:
    return {field: getattr(body, field) for field in BODY_FIELDS}


def _has_committee(enterprise: Enterprise, recorded: MediationBody | None) -> bool:
    others = MediationBody.objects.filter(enterprise=enterprise, is_active=True)
    return others.exclude(pk=recorded.pk if recorded else None).exists()


def _clean_body(actor, data: dict, recorded: MediationBody | None) -> dict:
    data = dict(data)
    data["code"] = (data.get("code") or "").strip().upper()
    data["name"] = (data.get("name") or "").strip()
    unit, kind = data.get("unit"), data.get("kind")
    township, enterprise, park = data.get("township"), data.get("enterprise"), data.get("park")
    errors: dict = {}
    _code_error(errors, data["code"], MediationBody, recorded.pk if recorded else None)
    if not data["name"]:
        errors["name"] = "请填写调解组织名称。"
    if kind not in MediationBody.Kind.values:
        errors["kind"] = "请选择调解组织类型。"
    kept_unit = recorded is not None and unit is not None and recorded.unit_id == unit.pk
    _placement_unit_error(errors, unit, kept=kept_unit, label="所属区县")
    inside = set(scope.subtree_ids(unit)) if unit is not None and "unit" not in errors else None

    if kind == MediationBody.Kind.TOWNSHIP and township is None:
        errors["township"] = "乡镇（街道）调解组织须选择所属镇街。"
    elif township is not None and inside is not None:
        kept = recorded is not None and recorded.township_id == township.pk
        if township.level != OrgUnit.Level.TOWNSHIP or township.pk not in inside:
            errors["township"] = f"{township.name}不是{unit.name}的镇街。"
        elif not township.is_current and not kept:
            errors["township"] = f"{township.name}已撤销。"
    if unit is not None and "township" not in errors:
        # A street's account keeps its own 调解组织 (placed by ``township``), in its district.
        require_record(actor, MediationBody(unit=unit, township=township))

    if kind == MediationBody.Kind.ENTERPRISE_COMMITTEE:
        kept = recorded is not None and enterprise is not None
        kept = kept and recorded.enterprise_id == enterprise.pk
        if enterprise is None:
            errors["enterprise"] = "企业劳动争议调解委员会须关联企业名录中的企业。"
        elif inside is not None and enterprise.unit_id not in inside:
            errors["enterprise"] = f"{enterprise.name}不在{unit.name}。"
        elif enterprise.status == "deregistered" and not kept:
            errors["enterprise"] = f"{enterprise.name}已注销。"
        elif data.get("is_active", True) and _has_committee(enterprise, recorded):
            errors["enterprise"] = f"{enterprise.name}已设有调解委员会。"
    elif enterprise is not None:
        errors["enterprise"] = "只有企业劳动争议调解委员会关联企业。"

    if kind == MediationBody.Kind.PARK and park is None:
        errors["park"] = "园区调解组织须选择所属园区。"
    elif park is not None and inside is not None and park.unit_id not in inside:
        errors["park"] = f"{park.name}不在{unit.name}。"
    _raise(errors)
    return data


@transaction.atomic
def create_mediation_body(
    actor,
    *,
    code: str,
    name: str,
    kind: str,
    unit,
    township=None,
    enterprise: Enterprise | None = None,
    park=None,
) -> MediationBody:
    """Register a mediation body: an enterprise committee (tied to a registry enterprise), a
    township/street body, a park or industry body, a people's mediation body or a one-stop
    joint centre for new forms of employment."""
    _require_editor(actor, None)
    data = _clean_body(
        actor,
        {
            "code": code,
            "name": name,
            "kind": kind,
            "unit": unit,
            "township": township,
            "enterprise": enterprise,
            "park": park,
        },
        None,
    )
    body = MediationBody.objects.create(**data)
    audit.record(actor, "create_mediation_body", body, changes=audit.diff({}, _body_snapshot(body)))
    return body


@transaction.atomic
def update_mediation_body(actor, body: MediationBody, **changes) -> MediationBody:
    """Change a body's fields (``is_active=False`` deactivates it: no new cases)."""
    _require_editor(actor, body)
    _check_changes(changes, BODY_FIELDS)
    body = MediationBody.objects.select_for_update().get(pk=body.pk)
    before = _body_snapshot(body)
    data = _clean_body(actor, before | changes, body)
    for field, value in data.items():
        setattr(body, field, value)
    body.save()
    _record_change(actor, "update_mediation_body", body, before, _body_snapshot(body), body.unit)
    return body


# mediators


def _mediator_snapshot(mediator: Mediator) -> dict:
    return {
        "name": mediator.name,
        "phone": mask_phone(mediator.phone),
        "user": mediator.user.username if mediator.user_id else None,
        "is_active": mediator.is_active,
    }


def _clean_mediator(actor, body: MediationBody, data: dict, recorded: Mediator | None) -> dict:
    data = dict(data)
    errors: dict = {}
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        errors["name"] = "请填写调解员姓名。"
    data["phone"] = _phone(errors, data.get("phone"))
    user = data.get("user")
    if user is not None and (recorded is None or recorded.user_id != user.pk):
        _platform_user_error(
            errors, actor, user, codes=(roles.MEDIATOR,), message="该平台账号没有调解员角色。"
        )
        others = Mediator.objects.filter(body=body, user=user, is_active=True)
        if "user" not in errors and others.exclude(pk=recorded.pk if recorded else None).exists():
            errors["user"] = "该平台账号已关联本调解组织的其他调解员。"
    reactivating = data.get("is_active", True) and (recorded is None or not recorded.is_active)
    if reactivating and not body.is_active:
        errors["is_active" if recorded else "body"] = f"{body.name}已停用，不能添加或启用调解员。"
    _raise(errors)
    return data


@transaction.atomic
def add_mediator(actor, body: MediationBody, *, name: str, phone: str = "", user=None) -> Mediator:
    _require_editor(actor, body)
    body = MediationBody.objects.select_for_update().get(pk=body.pk)  # not deactivated meanwhile
    data = _clean_mediator(actor, body, {"name": name, "phone": phone, "user": user}, None)
    mediator = Mediator.objects.create(body=body, **data)
    after = {"body": body.name, **_mediator_snapshot(mediator)}
    audit.record(actor, "add_mediator", mediator, unit=body.unit, changes=audit.diff({}, after))
    return mediator


@transaction.atomic
def update_mediator(actor, mediator: Mediator, **changes) -> Mediator:
    """Change a mediator (``is_active=False``: no longer on duty, kept on past cases)."""
    _require_editor(actor, mediator.body)
    _check_changes(changes, MEDIATOR_FIELDS)
    mediator = Mediator.objects.select_for_update().select_related("body").get(pk=mediator.pk)
    before = _mediator_snapshot(mediator)
    current = {field: getattr(mediator, field) for field in MEDIATOR_FIELDS}
    data = _clean_mediator(actor, mediator.body, current | changes, mediator)
    for field, value in data.items():
        setattr(mediator, field, value)
    mediator.save()
    _record_change(
        actor,
        "update_mediator",
        mediator,
        before,
        _mediator_snapshot(mediator),
        mediator.body.unit,
    )
    return mediator


# arbitration commissions


def _commission_snapshot(commission: ArbitrationCommission) -> dict:
    return {field: getattr(commission, field) for field in COMMISSION_FIELDS}


def _clean_commission(actor, data: dict, recorded: ArbitrationCommission | None) -> dict:
    data = dict(data)
    pk = recorded.pk if recorded else None
    data["code"] = (data.get("code") or "").strip().upper()
    data["name"] = (data.get("name") or "").strip()
    data["short_name"] = (data.get("short_name") or "").strip()
    unit = data.get("unit")
    errors: dict = {}
    _code_error(errors, data["code"], ArbitrationCommission, pk)
    if not data["name"]:
        errors["name"] = "请填写仲裁委员会名称。"
    if not data["short_name"]:
        errors["short_name"] = "请填写案号简称（如“渝中劳人仲”）。"
    elif len(data["short_name"]) > 16:
        errors["short_name"] = "案号简称不超过 16 个字。"
    else:
        other = (
            ArbitrationCommission.objects.filter(short_name=data["short_name"])
            .exclude(pk=pk)
            .first()
        )
        if other is not None:
            errors["short_name"] = f"该案号简称已由{other.name}使用。"
    kept = recorded is not None and unit is not None and recorded.unit_id == unit.pk
    _placement_unit_error(errors, unit, kept=kept, label="所在单位")
    if unit is not None:
        require_unit(actor, unit)
    if "unit" not in errors and data.get("is_active", True):
        other = (
            ArbitrationCommission.objects.filter(unit=unit, is_active=True).exclude(pk=pk).first()
        )
        if other is not None:
            errors["unit"] = f"{unit.name}已设有{other.name}。"
    _raise(errors)
    return data


@transaction.atomic
def create_commission(
    actor, *, code: str, name: str, short_name: str, unit
) -> ArbitrationCommission:
    """Register the arbitration commission of the city (500000) or of a district-level unit."""
    _require_editor(actor, None)
    data = _clean_commission(
        actor, {"code": code, "name": name, "short_name": short_name, "unit": unit}, None
    )
    commission = ArbitrationCommission.objects.create(**data)
    audit.record(
        actor,
        "create_commission",
        commission,
        changes=audit.diff({}, _commission_snapshot(commission)),
    )
    return commission


@transaction.atomic
def update_commission(actor, commission: ArbitrationCommission, **changes):
    _require_editor(actor, commission)
    _check_changes(changes, COMMISSION_FIELDS)
    commission = ArbitrationCommission.objects.select_for_update().get(pk=commission.pk)
    before = _commission_snapshot(commission)
    data = _clean_commission(actor, before | changes, commission)
    for field, value in data.items():
        setattr(commission, field, value)
    commission.save()
    _record_change(
        actor,
        "update_commission",
        commission,
        before,
        _commission_snapshot(commission),
        commission.unit,
    )
    return commission


# arbitrators and clerks


def _arbitrator_snapshot(person: Arbitrator) -> dict:
    return {
        "name": person.name,
        "role": person.role,
        "is_full_time": person.is_full_time,
        "user": person.user.username if person.user_id else None,
        "is_active": person.is_active,
    }


def _clean_arbitrator(
    actor, commission: ArbitrationCommission, data: dict, recorded: Arbitrator | None
) -> dict:
    data = dict(data)
    errors: dict = {}
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        errors["name"] = "请填写姓名。"
    role = data.get("role")
    if role not in Arbitrator.Role.values:
        errors["role"] = "请选择身份（仲裁员或书记员）。"
    data["is_full_time"] = bool(data.get("is_full_time"))
    user = data.get("user")
    changed_user = user is not None and (recorded is None or recorded.user_id != user.pk)
    if changed_user or (user is not None and recorded is not None and recorded.role != role):
        if role == Arbitrator.Role.ARBITRATOR:
            codes, message = (roles.ARBITRATOR,), "该平台账号没有仲裁员角色。"
        else:
            codes, message = ARBITRATION_HANDLERS, "该平台账号没有仲裁业务角色。"
        _platform_user_error(errors, actor, user, codes=codes, message=message)
        others = Arbitrator.objects.filter(commission=commission, user=user, is_active=True)
        if "user" not in errors and others.exclude(pk=recorded.pk if recorded else None).exists():
            errors["user"] = "该平台账号已关联本仲裁委员会的其他人员。"
    reactivating = data.get("is_active", True) and (recorded is None or not recorded.is_active)
    if reactivating and not commission.is_active:
        field = "is_active" if recorded else "commission"
        errors[field] = f"{commission.name}已停用，不能添加或启用人员。"
    _raise(errors)
    return data


@transaction.atomic
def add_arbitrator(
    actor,
    commission: ArbitrationCommission,
    *,
    name: str,
    role: str = Arbitrator.Role.ARBITRATOR,
    is_full_time: bool = True,
    user=None,
) -> Arbitrator:
    """Add an arbitrator or a clerk (Arbitrator.Role), full- or part-time, to a commission."""
    _require_editor(actor, commission)
    commission = ArbitrationCommission.objects.select_for_update().get(pk=commission.pk)
    data = _clean_arbitrator(
        actor,
        commission,
        {"name": name, "role": role, "is_full_time": is_full_time, "user": user},
        None,
    )
    person = Arbitrator.objects.create(commission=commission, **data)
    after = {"commission": commission.name, **_arbitrator_snapshot(person)}
    audit.record(
        actor, "add_arbitrator", person, unit=commission.unit, changes=audit.diff({}, after)
    )
    return person


@transaction.atomic
def update_arbitrator(actor, person: Arbitrator, **changes) -> Arbitrator:
    _require_editor(actor, person.commission)
    _check_changes(changes, ARBITRATOR_FIELDS)
    person = Arbitrator.objects.select_for_update().select_related("commission").get(pk=person.pk)
    before = _arbitrator_snapshot(person)
    current = {field: getattr(person, field) for field in ARBITRATOR_FIELDS}
    data = _clean_arbitrator(actor, person.commission, current | changes, person)
    for field, value in data.items():
        setattr(person, field, value)
    person.save()
    _record_change(
        actor,
        "update_arbitrator",
        person,
        before,
        _arbitrator_snapshot(person),
        person.commission.unit,
    )
    return person


# the lawyer pool


def _lawyer_snapshot(lawyer: Lawyer) -> dict:
    return {
        "name": lawyer.name,
        "firm": lawyer.firm,
        "phone": mask_phone(lawyer.phone),
        "unit": lawyer.unit,
        "is_active": lawyer.is_active,
    }


def _clean_lawyer(actor, data: dict, recorded: Lawyer | None) -> dict:
    data = dict(data)
    errors: dict = {}
    data["name"] = (data.get("name") or "").strip()
    data["firm"] = (data.get("firm") or "").strip()
    if not data["name"]:
        errors["name"] = "请填写律师姓名。"
    if not data["firm"]:
        errors["firm"] = "请填写律师事务所。"
    data["phone"] = _phone(errors, data.get("phone"))
    unit = data.get("unit")
    kept = recorded is not None and unit is not None and recorded.unit_id == unit.pk
    _placement_unit_error(errors, unit, kept=kept, label="服务区县")
    if unit is not None:
        require_unit(actor, unit)
    if not errors and data.get("is_active", True):
        same = Lawyer.objects.filter(
            name=data["name"], firm=data["firm"], unit=unit, is_active=True
        ).exclude(pk=recorded.pk if recorded else None)
        if same.exists():
            errors["name"] = "该律师已在本区县律师库中。"
    _raise(errors)
    return data


@transaction.atomic
def add_lawyer(actor, *, name: str, firm: str, unit, phone: str = "") -> Lawyer:
    """Add a lawyer to the pool that supports mediation (公益律师)."""
    _require_editor(actor, None)
    data = _clean_lawyer(actor, {"name": name, "firm": firm, "unit": unit, "phone": phone}, None)
    lawyer = Lawyer.objects.create(**data)
    audit.record(actor, "add_lawyer", lawyer, changes=audit.diff({}, _lawyer_snapshot(lawyer)))
    return lawyer


@transaction.atomic
def update_lawyer(actor, lawyer: Lawyer, **changes) -> Lawyer:
    _require_editor(actor, lawyer)
    _check_changes(changes, LAWYER_FIELDS)
    lawyer = Lawyer.objects.select_for_update().get(pk=lawyer.pk)
    before = _lawyer_snapshot(lawyer)
    current = {field: getattr(lawyer, field) for field in LAWYER_FIELDS}
    data = _clean_lawyer(actor, current | changes, lawyer)
    for field, value in data.items():
        setattr(lawyer, field, value)
    lawyer.save()
    _record_change(actor, "update_lawyer", lawyer, before, _lawyer_snapshot(lawyer), lawyer.unit)
    return lawyer
