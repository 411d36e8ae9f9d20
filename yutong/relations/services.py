"""Changes of state for collective labour relations (rules §7, §5).

Each function checks permission and the rules, writes, adds a timeline event where the record
has one and an audit entry, all in one transaction. Thresholds and time limits are dated
parameters (``core.parameters``); periods in days are counted by ``core.clocks`` (the start day
is not counted; a last day on a rest day moves to the next working day). A change based on a
stale read is refused by ``core.cases.claim_version`` (the API answers 409).
"""

from __future__ import annotations

import math
from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from yutong.core import audit, cases, clocks, inbox, roles
from yutong.core.models import OrgUnit
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import can, company_of, require_record, require_role, require_unit
from yutong.registry import services as registry_services
from yutong.registry.choices import EnterpriseStatus, Industry, Ownership
from yutong.registry.models import Enterprise, IndustrialPark

from .models import (
    AffairsDisclosure,
    BargainingRound,
    Body,
    CollectiveBargaining,
    CollectiveContract,
    CongressCoverage,
    CongressSession,
    ContractCoverage,
    ContractKind,
    EmploymentFiling,
    FollowUpItem,
    Scope,
    TripartiteMeeting,
    TripartiteParticipant,
    Union,
    WorkersCongress,
)

# Who may record what (reads: queries.py).
UNION_EDITORS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.UNION_OFFICER)
CONTRACT_EDITORS = UNION_EDITORS
# The legality review of a filed contract is the labour administration's (集体合同规定 Art.42-47).
CONTRACT_REVIEWERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF)
CONGRESS_EDITORS = UNION_EDITORS
TRIPARTITE_EDITORS = UNION_EDITORS
# Open factory affairs and employment filings are the enterprise's own acts: its account may
# record them for itself; staff record them for enterprises of their unit.
DISCLOSURE_EDITORS = (*UNION_EDITORS, roles.ENTERPRISE_USER)
FILING_EDITORS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.ENTERPRISE_USER)

# 重庆市集体合同条例 Art.26 / 劳动合同法 Art.51 ([C]): at least two thirds attend, more than
# half of all delegates approve. Fractions, not decimals, so the test is exact.
ATTENDANCE = (2, 3)
APPROVAL = (1, 2)
# Central, municipal state-owned and foreign-invested enterprises may file with the city
# (重庆市集体合同条例 Art.28); the registry's ownership is the nearest thing it records.
CITY_FILERS = (Ownership.STATE_OWNED, Ownership.FOREIGN_INVESTED, Ownership.HMT_INVESTED)
CITY_CODE = "500000"


# --- helpers -----------------------------------------------------------------------------------
def _today() -> date:
    return timezone.localdate()


def _param(code: str, on: date, unit: OrgUnit | None = None) -> Decimal:
    try:
        return parameter_value(code, on, unit).value
    except ParameterMissing as exc:
        raise ValidationError(str(exc)) from exc


def _int_param(code: str, on: date, unit: OrgUnit | None = None) -> int:
    return int(_param(code, on, unit))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _check_day(errors, field, day, *, not_before=None, label="") -> None:
    if day is None:
        errors[field] = "请填写日期。"
    elif day > _today():
        errors[field] = "日期不能晚于今天。"
    elif not_before is not None and day < not_before:
        errors[field] = f"日期不能早于{label}（{not_before.isoformat()}）。"


def _text(value) -> str:
    return (value or "").strip()


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months_back(day: date, months: int) -> date:
    """The corresponding day ``months`` earlier (or that month's last day)."""
    years, month0 = divmod(day.month - 1 - months, 12)
    year, month = day.year + years, month0 + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


def _claim(record, expected_version):
    """Bump the version (409 if stale) and re-read the record under a row lock."""
    cases.claim_version(record, expected_version)
    return type(record).objects.select_for_update().get(pk=record.pk)


def _is_enterprise_account(actor, enterprise: Enterprise) -> bool:
    company = company_of(actor)
    return company is not None and company.uscc == enterprise.uscc


def require_enterprise(actor, enterprise: Enterprise, staff_roles: tuple) -> None:
    """Staff act for enterprises of their units; an enterprise account only for its own."""
    staff = tuple(r for r in staff_roles if r != roles.ENTERPRISE_USER)
    if staff and can(actor, *staff):
        require_record(actor, enterprise)
        return
    if roles.ENTERPRISE_USER in staff_roles and _is_enterprise_account(actor, enterprise):
        return
    raise PermissionDenied("您没有为该企业办理此事项的权限。")


def active_union(enterprise: Enterprise) -> Union | None:
    return Union.objects.filter(enterprise=enterprise, dissolved_on__isnull=True).first()


def _sync_union_flag(actor, enterprise: Enterprise, established: bool) -> None:
    """Keep the registry's ``union_established`` in step with the dated union records, through
    the registry's own service (union officers may set that one flag in their unit)."""
    registry_services.set_union_established(actor, enterprise, established)


# --- unions ------------------------------------------------------------------------------------
def union_snapshot(union: Union) -> dict:
    return {
        field: getattr(union, field)
        for field in (
            "enterprise",
            "name",
            "form",
            "established_on",
            "members",
            "chair",
            "fulltime_staff",
            "dues_rate",
            "monthly_dues",
            "dissolved_on",
            "dissolution_reason",
        )
    }


def _check_union_numbers(
    errors, enterprise, *, form, members, fulltime_staff, dues_rate, on, kept_form=None
):
    """``kept_form``: the form of the union being changed. An organiser's union whose members
    grew past the threshold records its members as they are (the to-do list 应建未建工会委员会
    then asks for the committee); only choosing an organiser anew for so many is refused."""
    committee_min = _int_param("union_committee_min_members", on, enterprise.unit)
    if members is None or members < 1:
        errors["members"] = "会员人数至少为 1 人。"
    elif members > enterprise.employee_count:
        errors["members"] = (
            f"会员人数不能超过企业职工人数（{enterprise.employee_count} 人）；"
            "职工人数有变化的，请先更新企业名录。"
        )
    elif form == Union.Form.ORGANISER and members >= committee_min and kept_form != form:
        errors["form"] = (
            f"会员 {committee_min} 人以上的，应当建立基层工会委员会（《工会法》第十一条），"
            "不能只选举组织员。"
        )
    if form not in Union.Form.values:
        errors["form"] = "请选择组织形式。"
    if fulltime_staff is None or fulltime_staff < 0:
        errors["fulltime_staff"] = "专职工会工作人员人数不能为负数。"
    elif members is not None and fulltime_staff > members:
        errors["fulltime_staff"] = "专职工会工作人员不能多于会员人数。"
    minimum = _param("union_dues_percent", on, enterprise.unit)
    if dues_rate is None or dues_rate < minimum or dues_rate > 100:
        errors["dues_rate"] = (
            f"工会经费应按全部职工工资总额的 {minimum.normalize():f}% 拨缴"
            "（《工会法》第四十三条），比例不能低于该标准。"
        )


@transaction.atomic
def establish_union(
    actor,
    *,
    enterprise: Enterprise,
    name: str,
    form: str,
    established_on: date,
    members: int,
    chair: str,
    fulltime_staff: int = 0,
    dues_rate: Decimal | None = None,
    monthly_dues: Decimal | None = None,
) -> Union:
    """Register the establishment of an enterprise's union (rules §7)."""
    require_role(actor, *UNION_EDITORS)
    require_enterprise(actor, enterprise, UNION_EDITORS)
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    errors: dict = {}
    if enterprise.status == EnterpriseStatus.DEREGISTERED:
        errors["enterprise"] = "该企业已注销，不能建立工会。"
    elif enterprise.employee_count < 1:
        errors["enterprise"] = "该企业没有职工，不能建立工会。"
    elif active_union(enterprise) is not None:
        errors["enterprise"] = "该企业已建立工会，如需变更请修改现有工会信息。"
    _check_day(errors, "established_on", established_on)
    last = (
        Union.objects.filter(enterprise=enterprise, dissolved_on__isnull=False)
        .order_by("-dissolved_on")
        .values_list("dissolved_on", flat=True)
        .first()
    )
    if established_on and last and established_on < last:
        errors["established_on"] = f"成立日期不能早于原工会撤销日期（{last.isoformat()}）。"
    if dues_rate is None:
        dues_rate = _param("union_dues_percent", established_on or _today(), enterprise.unit)
    _check_union_numbers(
        errors,
        enterprise,
        form=form,
        members=members,
        fulltime_staff=fulltime_staff,
        dues_rate=dues_rate,
        on=established_on or _today(),
    )
    if not _text(name):
        errors["name"] = "请填写工会名称。"
    if not _text(chair):
        errors["chair"] = "请填写工会主席或组织员姓名。"
    if monthly_dues is not None and monthly_dues < 0:
        errors["monthly_dues"] = "金额不能为负数。"
    _raise(errors)
    try:
        with transaction.atomic():
            union = Union.objects.create(
                enterprise=enterprise,
                unit=enterprise.unit,
                name=_text(name),
                form=form,
                established_on=established_on,
                members=members,
                chair=_text(chair),
                fulltime_staff=fulltime_staff,
                dues_rate=dues_rate,
                monthly_dues=monthly_dues,
                created_by=actor,
            )
    except IntegrityError as exc:  # another user registered it at the same moment
        raise ValidationError({"enterprise": "该企业已建立工会。"}) from exc
    audit.record(actor, "establish_union", union, changes=audit.diff({}, union_snapshot(union)))
    _sync_union_flag(actor, enterprise, True)
    return union


@transaction.atomic
def update_union(
    actor,
    union: Union,
    *,
    expected_version: int | None = None,
    name: str,
    form: str,
    members: int,
    chair: str,
    fulltime_staff: int,
    dues_rate: Decimal,
    monthly_dues: Decimal | None = None,
) -> Union:
    """Change an active union's figures (members, chair, full-time staff, dues)."""
    require_role(actor, *UNION_EDITORS)
    require_record(actor, union)
    union = _claim(union, expected_version)
    if not union.is_active:
        raise ValidationError("该工会已撤销，不能修改。", code="invalid_state")
    before = union_snapshot(union)
    errors: dict = {}
    _check_union_numbers(
        errors,
        union.enterprise,
        form=form,
        members=members,
        fulltime_staff=fulltime_staff,
        dues_rate=dues_rate,
        on=_today(),
        kept_form=union.form,
    )
    if not _text(name):
        errors["name"] = "请填写工会名称。"
    if not _text(chair):
        errors["chair"] = "请填写工会主席或组织员姓名。"
    if monthly_dues is not None and monthly_dues < 0:
        errors["monthly_dues"] = "金额不能为负数。"
    _raise(errors)
    union.name, union.form, union.members, union.chair = _text(name), form, members, _text(chair)
    union.fulltime_staff, union.dues_rate, union.monthly_dues = (
        fulltime_staff,
        dues_rate,
        monthly_dues,
    )
    union.save()
    audit.record(actor, "update_union", union, changes=audit.diff(before, union_snapshot(union)))
    return union


@transaction.atomic
def dissolve_union(
    actor, union: Union, *, dissolved_on: date, reason: str, expected_version: int | None = None
) -> Union:
    require_role(actor, *UNION_EDITORS)
    require_record(actor, union)
    union = _claim(union, expected_version)
    if not union.is_active:
        raise ValidationError("该工会已撤销。", code="invalid_state")
    errors: dict = {}
    _check_day(
        errors, "dissolved_on", dissolved_on, not_before=union.established_on, label="成立日期"
    )
    if not _text(reason):
        errors["reason"] = "请填写撤销原因。"
    _raise(errors)
    before = union_snapshot(union)
    union.dissolved_on, union.dissolution_reason = dissolved_on, _text(reason)
    union.save()
    audit.record(actor, "dissolve_union", union, changes=audit.diff(before, union_snapshot(union)))
    _sync_union_flag(actor, union.enterprise, False)
    return union


# --- coverage (contracts and congresses) -------------------------------------------------------


def _placement(
    errors: dict,
    *,
    scope: str,
    enterprise: Enterprise | None,
    region: OrgUnit | None,
    industry: str,
    unit: OrgUnit | None,
    covered: list[Enterprise],
) -> tuple[OrgUnit | None, list[Enterprise]]:
    """The handling unit and the covered enterprises of an enterprise, regional or industry
    record; enterprises outside the region (or unit and industry) are refused by name."""
    if scope == Scope.ENTERPRISE:
        if enterprise is None:
            errors["enterprise"] = "请选择企业。"
            return None, []
        return enterprise.unit, [enterprise]
    covered = list(dict.fromkeys(covered))
    if not covered:
        errors["covered_enterprises"] = "请选择覆盖的企业。"
    if scope == Scope.REGIONAL:
        if region is None or region.level not in (OrgUnit.Level.TOWNSHIP, OrgUnit.Level.DISTRICT):
            errors["region"] = "区域性合同请选择镇街或区县。"
            return None, covered
        is_township = region.level == OrgUnit.Level.TOWNSHIP
        outside = [e for e in covered if (e.township_id if is_township else e.unit_id) != region.pk]
        if outside:
            names = "、".join(e.name for e in outside[:10])
            more = f"等 {len(outside)} 家" if len(outside) > 10 else ""
            errors["covered_enterprises"] = f"{names}{more}不在{region.name}范围内。"
        return (region.parent if is_township else region), covered
    if scope == Scope.INDUSTRY:
        if unit is None or unit.level != OrgUnit.Level.DISTRICT:
            errors["unit"] = "行业性合同请选择区县。"
            return None, covered
        if industry not in Industry.values:
            errors["industry"] = "请选择行业门类。"
            return unit, covered
        outside = [e for e in covered if e.unit_id != unit.pk or e.industry != industry]
        if outside:
            names = "、".join(e.name for e in outside[:10])
            more = f"等 {len(outside)} 家" if len(outside) > 10 else ""
            label = Industry(industry).label
            errors["covered_enterprises"] = f"{names}{more}不属于{unit.name}{label}。"
        return unit, covered
    errors["scope"] = "请选择企业、区域性或行业性。"
    return None, covered


def _check_covered_status(errors: dict, covered: list[Enterprise]) -> None:
    gone = [e.name for e in covered if e.status == EnterpriseStatus.DEREGISTERED]
    if gone and "covered_enterprises" not in errors:
        errors["covered_enterprises"] = f"{'、'.join(gone[:10])}已注销。"


# --- collective bargaining ---------------------------------------------------------------------
def _bargaining_event(bargaining, actor, kind: str, text: str) -> None:
    cases.add_event(bargaining, actor, kind, text)


@transaction.atomic
def request_bargaining(
    actor,
    *,
    enterprise: Enterprise,
    topic: str,
    year: int,
    requested_by: str,
    requested_on: date,
) -> CollectiveBargaining:
    """A written request to bargain: the other side must answer in writing within 20 days
    (重庆市集体合同条例 Art.19; 集体合同规定 Art.32)."""
    require_role(actor, *CONTRACT_EDITORS)
    require_enterprise(actor, enterprise, CONTRACT_EDITORS)
    errors: dict = {}
    union = active_union(enterprise)
    if union is None:
        errors["enterprise"] = "该企业尚未建立工会，请先登记工会（职工方由工会代表）。"
    if topic not in ContractKind.values:
        errors["topic"] = "请选择协商内容。"
    if requested_by not in CollectiveBargaining.Party.values:
        errors["requested_by"] = "请选择提出方。"
    _check_day(errors, "requested_on", requested_on)
    if requested_on and not (requested_on.year - 1 <= (year or 0) <= requested_on.year + 1):
        errors["year"] = "协商年度应为提出日期所在年度或其前后一年。"
    _raise(errors)
    if CollectiveBargaining.objects.filter(
        enterprise=enterprise,
        topic=topic,
        year=year,
        status__in=CollectiveBargaining.OPEN_STATUSES,
    ).exists():
        raise ValidationError({"topic": "该企业本年度同一内容的集体协商正在进行中。"})
    days = _int_param("bargaining_reply_days", requested_on, enterprise.unit)
    bargaining = CollectiveBargaining.objects.create(
        enterprise=enterprise,
        unit=enterprise.unit,
        union=union,
        topic=topic,
        year=year,
        requested_by=requested_by,
        requested_on=requested_on,
        reply_due_on=clocks.add_calendar_days(requested_on, days),
        created_by=actor,
    )
    party = CollectiveBargaining.Party(requested_by).label
    _bargaining_event(
        bargaining,
        actor,
        "requested",
        f"{party}提出{ContractKind(topic).label}协商要求，对方应于 {bargaining.reply_due_on} "
        "前书面答复。",
    )
    audit.record(
        actor,
        "request_bargaining",
        bargaining,
        changes=audit.diff(
            {},
            {
                "enterprise": enterprise,
                "topic": topic,
                "year": year,
                "requested_by": requested_by,
                "requested_on": requested_on,
                "reply_due_on": bargaining.reply_due_on,
            },
        ),
    )
    return bargaining


def _bargaining(actor, bargaining, expected_version) -> CollectiveBargaining:
    require_role(actor, *CONTRACT_EDITORS)
    require_record(actor, bargaining)
    return _claim(bargaining, expected_version)


def _require_bargaining_status(bargaining, *allowed) -> None:
    if bargaining.status not in allowed:
        label = CollectiveBargaining.Status(bargaining.status).label
        raise ValidationError(f"该协商当前为“{label}”，不能进行此操作。", code="invalid_state")


@transaction.atomic
def reply_bargaining(
    actor,
    bargaining: CollectiveBargaining,
    *,
    replied_on: date,
    reply: str,
    expected_version: int | None = None,
) -> CollectiveBargaining:
    bargaining = _bargaining(actor, bargaining, expected_version)
    _require_bargaining_status(bargaining, CollectiveBargaining.Status.REQUESTED)
    errors: dict = {}
    _check_day(
        errors, "replied_on", replied_on, not_before=bargaining.requested_on, label="提出日期"
    )
    if not _text(reply):
        errors["reply"] = "请填写书面答复的内容。"
    _raise(errors)
    bargaining.replied_on, bargaining.reply = replied_on, _text(reply)
    bargaining.status = CollectiveBargaining.Status.IN_TALKS
    bargaining.save()
    late = (
        f"（逾期 {(replied_on - bargaining.reply_due_on).days} 日）"
        if replied_on > bargaining.reply_due_on
        else ""
    )
    _bargaining_event(bargaining, actor, "replied", f"{replied_on} 书面答复{late}：{reply}")
    audit.record(
        actor,
        "reply_bargaining",
        bargaining,
        changes=audit.diff({}, {"replied_on": replied_on, "reply": bargaining.reply}),
    )
    return bargaining


@transaction.atomic
def record_round(
    actor,
    bargaining: CollectiveBargaining,
    *,
    held_on: date,
    summary: str,
    outcome: str,
    resume_by: date | None = None,
    expected_version: int | None = None,
) -> BargainingRound:
    """One round of talks; a suspension may last at most 30 days (重庆市集体合同条例 Art.22)."""
    bargaining = _bargaining(actor, bargaining, expected_version)
    S = CollectiveBargaining.Status
    _require_bargaining_status(bargaining, S.IN_TALKS, S.SUSPENDED)
    last = bargaining.rounds.order_by("-number").first()
    start = last.held_on if last else bargaining.replied_on
    errors: dict = {}
    _check_day(errors, "held_on", held_on, not_before=start, label="上一环节日期")
    if not _text(summary):
        errors["summary"] = "请填写协商纪要。"
    if outcome not in BargainingRound.Outcome.values:
        errors["outcome"] = "请选择本轮结果。"
    if outcome == BargainingRound.Outcome.SUSPEND and held_on is not None:
        limit = _int_param("bargaining_suspension_max_days", held_on, bargaining.unit)
        latest = clocks.add_calendar_days(held_on, limit)
        if resume_by is None:
            errors["resume_by"] = "中止协商的，请填写恢复协商的期限。"
        elif not held_on < resume_by <= latest:
            errors["resume_by"] = (
                f"中止期限一般不超过 {limit} 日，恢复协商的期限应在 {held_on} 之后、{latest} 之前。"
            )
    _raise(errors)
    number = (last.number + 1) if last else 1
    round_ = bargaining.rounds.create(
        number=number,
        held_on=held_on,
        summary=_text(summary),
        outcome=outcome,
        resume_by=resume_by if outcome == BargainingRound.Outcome.SUSPEND else None,
        recorded_by=actor,
    )
    Outcome = BargainingRound.Outcome
    bargaining.resume_by = round_.resume_by
    if outcome == Outcome.SUSPEND:
        bargaining.status = S.SUSPENDED
    elif outcome == Outcome.CONTINUE:
        bargaining.status = S.IN_TALKS
    else:
        bargaining.status = S.CONCLUDED if outcome == Outcome.AGREE else S.FAILED
        bargaining.concluded_on = held_on
    bargaining.save()
    _bargaining_event(
        bargaining,
        actor,
        "round",
        f"第 {number} 轮协商（{held_on}）：{Outcome(outcome).label}。"
        + (f"应于 {resume_by} 前恢复协商。" if outcome == Outcome.SUSPEND else ""),
    )
    audit.record(
        actor,
        "record_bargaining_round",
        bargaining,
        changes=audit.diff(
            {}, {"round": number, "held_on": held_on, "outcome": outcome, "resume_by": resume_by}
        ),
    )
    return round_


@transaction.atomic
def close_request(
    actor,
    bargaining: CollectiveBargaining,
    *,
    closed_on: date,
    reason: str,
    expected_version: int | None = None,
) -> CollectiveBargaining:
    """End a request that never led to talks (withdrawn, or refused and handed on to the labour
    administration's coordination). Once talks have begun they end through a round's outcome.
    Without this, an unanswered request would block a new one on the same topic and year."""
    bargaining = _bargaining(actor, bargaining, expected_version)
    _require_bargaining_status(bargaining, CollectiveBargaining.Status.REQUESTED)
    errors: dict = {}
    _check_day(errors, "closed_on", closed_on, not_before=bargaining.requested_on, label="提出日期")
    if not _text(reason):
        errors["reason"] = "请填写结束原因。"
    _raise(errors)
    bargaining.status = CollectiveBargaining.Status.FAILED
    bargaining.concluded_on = closed_on
    bargaining.save()
    _bargaining_event(bargaining, actor, "closed", f"{closed_on} 未进入协商即结束：{_text(reason)}")
    audit.record(
        actor,
        "close_bargaining_request",
        bargaining,
        changes=audit.diff(
            {"status": CollectiveBargaining.Status.REQUESTED},
            {"status": bargaining.status, "concluded_on": closed_on, "reason": _text(reason)},
        ),
    )
    return bargaining


# --- collective contracts ----------------------------------------------------------------------
def _check_term(errors: dict, term_start: date | None, expires_on: date | None, unit) -> None:
    if term_start is None:
        errors["term_start"] = "请填写合同期限起始日。"
        return
    if expires_on is None:
        errors["expires_on"] = "请填写合同期限届满日。"
        return
    low = _int_param("collective_contract_min_years", term_start, unit)
    high = _int_param("collective_contract_max_years", term_start, unit)
    earliest = add_years(term_start, low) - timedelta(days=1)
    latest = add_years(term_start, high) - timedelta(days=1)
    if not earliest <= expires_on <= latest:
        errors["expires_on"] = (
            f"集体合同期限为 {low} 至 {high} 年（《集体合同规定》第三十八条），"
            f"自 {term_start} 起算的届满日应在 {earliest} 至 {latest} 之间。"
        )


def contract_snapshot(contract: CollectiveContract) -> dict:
    return {
        field: getattr(contract, field)
        for field in (
            "scope",
            "kind",
            "title",
            "enterprise",
            "region",
            "industry",
            "term_start",
            "expires_on",
            "stage",
            "congress_total",
            "congress_attending",
            "congress_approving",
            "adopted_on",
            "signed_on",
            "filing_due_on",
            "filing_venue",
            "filed_on",
            "filed_late",
            "review_due_on",
            "objected_on",
            "objection_reason",
            "effective_from",
            "publication_due_on",
            "terminated_on",
            "termination_reason",
        )
    }


def _contract_event(contract, actor, kind: str, text: str) -> None:
    cases.add_event(contract, actor, kind, text)


@transaction.atomic
def draft_contract(
    actor,
    *,
    scope: str,
    kind: str,
    title: str,
    term_start: date,
    expires_on: date,
    enterprise: Enterprise | None = None,
    region: OrgUnit | None = None,
    industry: str = "",
    unit: OrgUnit | None = None,
    covered: list[Enterprise] | None = None,
    bargaining: CollectiveBargaining | None = None,
    previous: CollectiveContract | None = None,
) -> CollectiveContract:
    """Record the draft that bargaining produced; it then goes to the workers' congress."""
    require_role(actor, *CONTRACT_EDITORS)
    errors: dict = {}
    if kind not in ContractKind.values:
        errors["kind"] = "请选择合同种类。"
    if not _text(title):
        errors["title"] = "请填写合同名称。"
    unit, covered = _placement(
        errors,
        scope=scope,
        enterprise=enterprise,
        region=region,
        industry=industry,
        unit=unit,
        covered=covered or [],
    )
    if unit is not None:
        placed = CollectiveContract(unit=unit, enterprise=enterprise, region=region)
        require_record(actor, placed)
    union = None
    if scope == Scope.ENTERPRISE and enterprise is not None:
        union = active_union(enterprise)
        if union is None:
            errors["enterprise"] = "该企业尚未建立工会，不能签订集体合同（请先登记工会）。"
    _check_covered_status(errors, covered)
    if bargaining is not None:
        if scope != Scope.ENTERPRISE or bargaining.enterprise_id != getattr(enterprise, "pk", 0):
            errors["bargaining"] = "所选集体协商不属于该企业。"
        elif bargaining.status != CollectiveBargaining.Status.CONCLUDED:
            errors["bargaining"] = "所选集体协商尚未达成一致。"
    _check_term(errors, term_start, expires_on, unit)
    _raise(errors)
    contract = CollectiveContract.objects.create(
        scope=scope,
        kind=kind,
        title=_text(title),
        unit=unit,
        enterprise=enterprise if scope == Scope.ENTERPRISE else None,
        region=region if scope == Scope.REGIONAL else None,
        industry=industry if scope == Scope.INDUSTRY else "",
        union=union,
        bargaining=bargaining,
        previous=previous,
        term_start=term_start,
        expires_on=expires_on,
        employees_covered=sum(e.employee_count for e in covered),
        created_by=actor,
    )
    ContractCoverage.objects.bulk_create(
        ContractCoverage(contract=contract, enterprise=e) for e in covered
    )
    _contract_event(
        contract,
        actor,
        "drafted",
        f"登记合同草案，覆盖 {len(covered)} 家企业，期限 {term_start} 至 {expires_on}。",
    )
    audit.record(
        actor,
        "draft_contract",
        contract,
        changes=audit.diff(
            {}, {**contract_snapshot(contract), "covered": [e.uscc for e in covered[:200]]}
        ),
    )
    return contract


@transaction.atomic
def update_draft_contract(
    actor,
    contract: CollectiveContract,
    *,
    expected_version: int | None = None,
    title: str | None = None,
    term_start: date | None = None,
    expires_on: date | None = None,
    covered: list[Enterprise] | None = None,
) -> CollectiveContract:
    """Correct a draft before the workers' congress sees it: its title, term and (regional or
    industry contracts) the enterprises it covers, under the checks of ``draft_contract``.
    An argument left ``None`` keeps its value."""
    contract = _contract(actor, contract, expected_version)
    _require_stage(contract, CollectiveContract.Stage.DRAFT)
    if contract.terminated_on is not None:
        raise ValidationError("该草案已终止，不能修改。", code="invalid_state")
    title = contract.title if title is None else title
    term_start = contract.term_start if term_start is None else term_start
    expires_on = contract.expires_on if expires_on is None else expires_on
    current = [
        c.enterprise
        for c in ContractCoverage.objects.filter(contract=contract)
        .select_related("enterprise")
        .order_by("id")
    ]
    errors: dict = {}
    if not _text(title):
        errors["title"] = "请填写合同名称。"
    if covered is not None and contract.scope == Scope.ENTERPRISE:
        if [e.pk for e in covered] != [contract.enterprise_id]:
            errors["covered_enterprises"] = "企业集体合同只覆盖本企业，不能修改覆盖企业。"
        covered = None
    _, new_covered = _placement(
        errors,
        scope=contract.scope,
        enterprise=contract.enterprise,
        region=contract.region,
        industry=contract.industry,
        unit=contract.unit,
        covered=current if covered is None else covered,
    )
    _check_covered_status(errors, new_covered)
    _check_term(errors, term_start, expires_on, contract.unit)
    previous = contract.previous
    if previous is not None and term_start is not None and term_start <= previous.expires_on:
        errors["term_start"] = f"续订合同的期限应自原合同期满（{previous.expires_on}）之后起算。"
    _raise(errors)
    before = {**contract_snapshot(contract), "covered": sorted(e.uscc for e in current)}
    contract.title, contract.term_start, contract.expires_on = _text(title), term_start, expires_on
    contract.employees_covered = sum(e.employee_count for e in new_covered)
    contract.save()
    kept = {e.pk for e in new_covered}
    ContractCoverage.objects.filter(contract=contract).exclude(enterprise_id__in=kept).delete()
    present = {e.pk for e in current}
    ContractCoverage.objects.bulk_create(
        ContractCoverage(contract=contract, enterprise=e)
        for e in new_covered
        if e.pk not in present
    )
    after = {**contract_snapshot(contract), "covered": sorted(e.uscc for e in new_covered)}
    changes = audit.diff(before, after)
    if "covered" in changes:  # a city-wide list would swamp the audit entry
        changes["covered"] = [v[:200] for v in changes["covered"]]
    _contract_event(
        contract,
        actor,
        "edited",
        f"修改合同草案：期限 {term_start} 至 {expires_on}，覆盖 {len(new_covered)} 家企业。",
    )
    audit.record(actor, "update_draft_contract", contract, changes=changes)
    return contract


def _contract(actor, contract, expected_version) -> CollectiveContract:
    require_role(actor, *CONTRACT_EDITORS)
    require_record(actor, contract)
    return _claim(contract, expected_version)


def _require_stage(contract: CollectiveContract, *allowed) -> None:
    if contract.stage not in allowed:
        label = CollectiveContract.Status(contract.status).label
        raise ValidationError(f"该合同当前为“{label}”，不能进行此操作。", code="invalid_state")


def quorum_errors(total, attending, approving) -> dict:
    """The congress vote of 重庆市集体合同条例 Art.26, as field errors (empty if it passes)."""
    errors: dict = {}
    if not total or total < 1:
        errors["congress_total"] = "请填写全体职工代表（职工）人数。"
        return errors
    if attending is None or attending > total:
        errors["congress_attending"] = "出席人数不能超过全体人数。"
    elif attending * ATTENDANCE[1] < total * ATTENDANCE[0]:
        needed = math.ceil(total * ATTENDANCE[0] / ATTENDANCE[1])
        errors["congress_attending"] = (
            f"出席人数 {attending} 人，不足全体 {total} 人的三分之二（至少 {needed} 人），"
            "表决无效（《重庆市集体合同条例》第二十六条）。"
        )
    if approving is None or (attending is not None and approving > attending):
        errors["congress_approving"] = "同意人数不能超过出席人数。"
    elif approving * APPROVAL[1] <= total * APPROVAL[0]:
        needed = total * APPROVAL[0] // APPROVAL[1] + 1
        errors["congress_approving"] = (
            f"同意 {approving} 人，未超过全体 {total} 人的半数（至少 {needed} 人），草案未获通过。"
        )
    return errors


@transaction.atomic
def approve_contract(
    actor,
    contract: CollectiveContract,
    *,
    adopted_on: date,
    congress_total: int,
    congress_attending: int,
    congress_approving: int,
    expected_version: int | None = None,
) -> CollectiveContract:
    """The workers' congress (or all staff) adopts the draft."""
    contract = _contract(actor, contract, expected_version)
    _require_stage(contract, CollectiveContract.Stage.DRAFT)
    errors = quorum_errors(congress_total, congress_attending, congress_approving)
    not_before = contract.bargaining.concluded_on if contract.bargaining_id else None
    _check_day(errors, "adopted_on", adopted_on, not_before=not_before, label="协商达成一致日期")
    _raise(errors)
    before = contract_snapshot(contract)
    contract.adopted_on = adopted_on
    contract.congress_total = congress_total
    contract.congress_attending = congress_attending
    contract.congress_approving = congress_approving
    contract.stage = CollectiveContract.Stage.ADOPTED
    contract.save()
    _contract_event(
        contract,
        actor,
        "adopted",
        f"{adopted_on} 职工代表大会审议通过：应到 {congress_total} 人，实到 "
        f"{congress_attending} 人，同意 {congress_approving} 人。",
    )
    audit.record(
        actor, "approve_contract", contract, changes=audit.diff(before, contract_snapshot(contract))
    )
    return contract


@transaction.atomic
def sign_contract(
    actor, contract: CollectiveContract, *, signed_on: date, expected_version: int | None = None
) -> CollectiveContract:
    """The chief representatives sign: the 10-day filing clock starts (集体合同规定 Art.42)."""
    contract = _contract(actor, contract, expected_version)
    _require_stage(contract, CollectiveContract.Stage.ADOPTED)
    errors: dict = {}
    _check_day(errors, "signed_on", signed_on, not_before=contract.adopted_on, label="通过日期")
    _raise(errors)
    before = contract_snapshot(contract)
    days = _int_param("collective_contract_filing_days", signed_on, contract.unit)
    contract.signed_on = signed_on
    contract.filing_due_on = clocks.add_calendar_days(signed_on, days)
    contract.stage = CollectiveContract.Stage.SIGNED
    contract.save()
    _contract_event(
        contract,
        actor,
        "signed",
        f"{signed_on} 双方首席代表签字，应于 {contract.filing_due_on} 前报送人社部门审查。",
    )
    audit.record(
        actor, "sign_contract", contract, changes=audit.diff(before, contract_snapshot(contract))
    )
    return contract


def _venue(contract: CollectiveContract, venue: OrgUnit | None) -> OrgUnit:
    if venue is None or venue.pk == contract.unit_id:
        return contract.unit
    if venue.code != CITY_CODE:
        raise ValidationError({"filing_venue": "报送机关应为合同所属区县或市人力社保局。"})
    enterprise = contract.enterprise
    if enterprise is None or enterprise.ownership not in CITY_FILERS:
        raise ValidationError(
            {
                "filing_venue": "只有在渝中央企业、市属国有企业和在市级登记的外商投资企业报送"
                "市人力社保局（《重庆市集体合同条例》第二十八条）；其他合同报送所在区县。"
            }
        )
    return venue


@transaction.atomic
def file_contract(
    actor,
    contract: CollectiveContract,
    *,
    filed_on: date,
    filing_venue: OrgUnit | None = None,
    expected_version: int | None = None,
) -> CollectiveContract:
    """Filing starts the 15-day review from receipt; with no objection the contract takes
    effect the day after the review period ends (集体合同规定 Art.47). A text filed after the
    10 days of Art.42 is received all the same and marked late: neither 劳动合同法 Art.54 nor
    集体合同规定 bars receiving it, and the lateness is counted (queue ``filed_late``)."""
    contract = _contract(actor, contract, expected_version)
    _require_stage(contract, CollectiveContract.Stage.SIGNED)
    errors: dict = {}
    _check_day(errors, "filed_on", filed_on, not_before=contract.signed_on, label="签字日期")
    _raise(errors)
    venue = _venue(contract, filing_venue)
    days = _int_param("collective_contract_review_days", filed_on, contract.unit)
    review_due = clocks.add_calendar_days(filed_on, days)
    effective_from = max(review_due + timedelta(days=1), contract.term_start)
    if effective_from > contract.expires_on:
        raise ValidationError({"filed_on": "审查期满时合同期限已届满，合同无法生效。"})
    before = contract_snapshot(contract)
    contract.filed_on, contract.filing_venue = filed_on, venue
    contract.filed_late = filed_on > contract.filing_due_on
    contract.review_due_on, contract.effective_from = review_due, effective_from
    publication_days = _int_param("collective_contract_publication_days", filed_on, contract.unit)
    contract.publication_due_on = clocks.add_calendar_days(effective_from, publication_days)
    contract.stage = CollectiveContract.Stage.FILED
    contract.save()
    _contract_event(
        contract,
        actor,
        "filed",
        f"{filed_on} 报送{venue.name}人社部门审查{_late_note(contract)}；审查期限至 {review_due}，"
        f"期间未提出异议的，自 {effective_from} 起生效。",
    )
    audit.record(
        actor, "file_contract", contract, changes=audit.diff(before, contract_snapshot(contract))
    )
    if contract.enterprise_id:
        # The enterprise hears that its contract is under review and the day it takes effect:
        # taking effect needs no further act (no objection within the review period).
        inbox.send_to_company(
            contract.enterprise.uscc,
            inbox.Kind.DECISION,
            f"集体合同已由{venue.name}人社部门受理审查",
            url=reverse("relations:contract_detail", args=[contract.pk]),
            body=(
                f"{filed_on} 报送{_late_note(contract)}；审查期限至 {review_due}，期间未提出"
                f"异议的，合同自 {effective_from} 起生效。"
            ),
            sender=actor,
        )
    return contract


def _late_note(contract: CollectiveContract) -> str:
    if not contract.filed_late:
        return ""
    days = (contract.filed_on - contract.filing_due_on).days
    return (
        f"（逾期 {days} 日报送，报送期限为 {contract.filing_due_on}，《集体合同规定》第四十二条）"
    )


@transaction.atomic
def object_contract(
    actor,
    contract: CollectiveContract,
    *,
    objected_on: date,
    reason: str,
    expected_version: int | None = None,
) -> CollectiveContract:
    """The review finds the contract unlawful: an objection within the 15 days (Art.44-47)."""
    require_role(actor, *CONTRACT_REVIEWERS)
    require_unit(actor, contract.filing_venue or contract.unit)
    contract = _claim(contract, expected_version)
    _require_stage(contract, CollectiveContract.Stage.FILED)
    errors: dict = {}
    _check_day(errors, "objected_on", objected_on, not_before=contract.filed_on, label="报送日期")
    if not errors and objected_on > contract.review_due_on:
        errors["objected_on"] = (
            f"审查期限已于 {contract.review_due_on} 届满，合同已依法生效，不能再提出异议。"
        )
    if not _text(reason):
        errors["reason"] = "请填写异议理由。"
    _raise(errors)
    before = contract_snapshot(contract)
    contract.objected_on, contract.objection_reason = objected_on, _text(reason)
    contract.effective_from = contract.publication_due_on = None
    contract.stage = CollectiveContract.Stage.OBJECTED
    contract.save()
    _contract_event(contract, actor, "objected", f"{objected_on} 审查提出异议：{reason}")
    audit.record(
        actor, "object_contract", contract, changes=audit.diff(before, contract_snapshot(contract))
    )
    if contract.enterprise_id:
        inbox.send_to_company(
            contract.enterprise.uscc,
            inbox.Kind.DECISION,
            "集体合同审查意见：人社部门提出异议",
            url=reverse("relations:contract_detail", args=[contract.pk]),
            body=_text(reason),
            sender=actor,
        )
    return contract


@transaction.atomic
def terminate_contract(
    actor,
    contract: CollectiveContract,
    *,
    terminated_on: date,
    reason: str,
    expected_version: int | None = None,
) -> CollectiveContract:
    """End a contract early (or abandon a draft): the day is kept for the indicators."""
    contract = _contract(actor, contract, expected_version)
    S = CollectiveContract.Stage
    _require_stage(contract, S.DRAFT, S.ADOPTED, S.SIGNED, S.FILED)
    errors: dict = {}
    start = contract.effective_from or contract.created_at.date()
    if contract.effective_from and contract.effective_from > _today():
        start = contract.filed_on
    _check_day(errors, "terminated_on", terminated_on, not_before=start, label="起始日期")
    if not errors and terminated_on > contract.expires_on:
        errors["terminated_on"] = "合同已于期限届满日终止，无需再登记终止。"
    if not _text(reason):
        errors["reason"] = "请填写终止原因。"
    _raise(errors)
    before = contract_snapshot(contract)
    contract.terminated_on, contract.termination_reason = terminated_on, _text(reason)
    contract.stage = S.TERMINATED
    contract.save()
    _contract_event(contract, actor, "terminated", f"{terminated_on} 终止：{reason}")
    audit.record(
        actor,
        "terminate_contract",
        contract,
        changes=audit.diff(before, contract_snapshot(contract)),
    )
    return contract


def renewal_opens_on(contract: CollectiveContract) -> date:
    months = _int_param("collective_contract_renewal_months", contract.expires_on, contract.unit)
    return add_months_back(contract.expires_on, months)


@transaction.atomic
def renew_contract(
    actor,
    contract: CollectiveContract,
    *,
    expires_on: date,
    title: str = "",
    expected_version: int | None = None,
) -> CollectiveContract:
    """Open the renewal: a new draft for the next term, from 3 months before expiry
    (集体合同规定 Art.38). The new draft goes through congress, signature and filing again."""
    contract = _contract(actor, contract, expected_version)
    status = contract.status
    S = CollectiveContract.Status
    if status not in (S.EFFECTIVE, S.EXPIRED):
        raise ValidationError(
            f"该合同当前为“{S(status).label}”，只有生效中或已到期的合同可以续订。",
            code="invalid_state",
        )
    opens = renewal_opens_on(contract)
    if _today() < opens:
        raise ValidationError(
            f"续订应在合同期满前 3 个月内提出，本合同自 {opens} 起可以续订。",
            code="invalid_state",
        )
    if contract.renewals.exclude(stage__in=("objected", "terminated")).exists():
        raise ValidationError("该合同已在续订中。", code="invalid_state")
    renewal = draft_contract(
        actor,
        scope=contract.scope,
        kind=contract.kind,
        title=_text(title) or contract.title,
        term_start=contract.expires_on + timedelta(days=1),
        expires_on=expires_on,
        enterprise=contract.enterprise,
        region=contract.region,
        industry=contract.industry,
        unit=contract.unit,
        covered=list(contract.covered_enterprises.all()),
        previous=contract,
    )
    _contract_event(contract, actor, "renewal", f"提出续订，续订合同草案编号 {renewal.pk}。")
    audit.record(actor, "renew_contract", contract, changes={"renewal": [None, renewal.pk]})
    return renewal


# --- workers' congresses and open factory affairs ----------------------------------------------


def required_delegates(staff: int, on: date, unit=None) -> int:
    """At least 5 % of the staff and at least 30 (企业民主管理规定; settings)."""
    percent = _param("congress_delegate_min_percent", on, unit)
    minimum = _int_param("congress_delegate_min_count", on, unit)
    return max(minimum, math.ceil(Decimal(staff) * percent / 100))


def _check_delegates(errors: dict, form: str, staff: int, delegates: int, on: date, unit):
    if staff is None or staff < 1:
        errors["staff_count"] = "请填写职工人数。"
        return
    if form == WorkersCongress.Form.ALL_STAFF:
        return
    minimum = _int_param("congress_delegate_min_count", on, unit)
    if staff < minimum:
        errors["form"] = f"职工不足 {minimum} 人的，应当召开职工大会，而不是职工代表大会。"
        return
    needed = required_delegates(staff, on, unit)
    if delegates is None or delegates < needed:
        errors["delegates"] = (
            f"职工代表人数应不少于职工人数的 "
            f"{_param('congress_delegate_min_percent', on, unit).normalize():f}% 且不少于 "
            f"{minimum} 人，本单位职工 {staff} 人，至少 {needed} 名代表。"
        )
    elif delegates > staff:
        errors["delegates"] = "职工代表人数不能超过职工人数。"


@transaction.atomic
def establish_congress(
    actor,
    *,
    scope: str,
    form: str,
    name: str,
    established_on: date,
    staff_count: int,
    delegates: int | None = None,
    enterprise: Enterprise | None = None,
    region: OrgUnit | None = None,
    industry: str = "",
    unit: OrgUnit | None = None,
    covered: list[Enterprise] | None = None,
) -> WorkersCongress:
    require_role(actor, *CONGRESS_EDITORS)
    errors: dict = {}
    if form not in WorkersCongress.Form.values:
        errors["form"] = "请选择职工代表大会或职工大会。"
    if not _text(name):
        errors["name"] = "请填写名称。"
    unit, covered = _placement(
        errors,
        scope=scope,
        enterprise=enterprise,
        region=region,
        industry=industry,
        unit=unit,
        covered=covered or [],
    )
    if unit is not None:
        require_record(actor, WorkersCongress(unit=unit, enterprise=enterprise, region=region))
    _check_covered_status(errors, covered)
    _check_day(errors, "established_on", established_on)
    if (
        scope == Scope.ENTERPRISE
        and enterprise is not None
        and WorkersCongress.objects.filter(
            scope=Scope.ENTERPRISE, enterprise=enterprise, dissolved_on__isnull=True
        ).exists()
    ):
        errors["enterprise"] = "该企业已建立职工代表大会（职工大会）制度。"
    if form == WorkersCongress.Form.ALL_STAFF:
        delegates = staff_count
    if unit is not None and established_on is not None:
        _check_delegates(errors, form, staff_count, delegates, established_on, unit)
    _raise(errors)
    congress = WorkersCongress.objects.create(
        scope=scope,
        form=form,
        name=_text(name),
        unit=unit,
        enterprise=enterprise if scope == Scope.ENTERPRISE else None,
        region=region if scope == Scope.REGIONAL else None,
        industry=industry if scope == Scope.INDUSTRY else "",
        established_on=established_on,
        staff_count=staff_count,
        delegates=delegates,
        created_by=actor,
    )
    CongressCoverage.objects.bulk_create(
        CongressCoverage(congress=congress, enterprise=e) for e in covered
    )
    audit.record(
        actor,
        "establish_congress",
        congress,
        changes=audit.diff(
            {},
            {
                "scope": scope,
                "form": form,
                "established_on": established_on,
                "staff_count": staff_count,
                "delegates": delegates,
                "covered": [e.uscc for e in covered[:200]],
            },
        ),
    )
    return congress


@transaction.atomic
def record_session(
    actor,
    congress: WorkersCongress,
    *,
    held_on: date,
    delegates_total: int,
    attending: int,
    agenda: str,
    resolutions: str = "",
) -> CongressSession:
    """A session of the congress (at least once a year)."""
    require_role(actor, *CONGRESS_EDITORS)
    require_record(actor, congress)
    errors: dict = {}
    if congress.dissolved_on is not None:
        errors["held_on"] = "该职代会已撤销。"
    _check_day(errors, "held_on", held_on, not_before=congress.established_on, label="建立日期")
    if held_on is not None and "held_on" not in errors:
        _check_delegates(
            errors, congress.form, congress.staff_count, delegates_total, held_on, congress.unit
        )
        if "delegates" in errors:
            errors["delegates_total"] = errors.pop("delegates")
        errors.pop("form", None)
    if attending is None or delegates_total is None or attending > delegates_total:
        errors["attending"] = "实到人数不能超过应到人数。"
    if not _text(agenda):
        errors["agenda"] = "请填写会议议题。"
    _raise(errors)
    session = CongressSession.objects.create(
        congress=congress,
        held_on=held_on,
        year=held_on.year,
        delegates_total=delegates_total,
        attending=attending,
        agenda=_text(agenda),
        resolutions=_text(resolutions),
        recorded_by=actor,
    )
    audit.record(
        actor,
        "record_congress_session",
        congress,
        changes=audit.diff(
            {}, {"held_on": held_on, "delegates_total": delegates_total, "attending": attending}
        ),
    )
    return session


@transaction.atomic
def disclose_affairs(
    actor,
    *,
    enterprise: Enterprise,
    category: str,
    channel: str,
    disclosed_on: date,
    title: str,
    content: str = "",
    contract: CollectiveContract | None = None,
) -> AffairsDisclosure:
    require_role(actor, *DISCLOSURE_EDITORS)
    require_enterprise(actor, enterprise, DISCLOSURE_EDITORS)
    errors: dict = {}
    if category not in AffairsDisclosure.Category.values:
        errors["category"] = "请选择公开内容。"
    if channel not in AffairsDisclosure.Channel.values:
        errors["channel"] = "请选择公开方式。"
    if not _text(title):
        errors["title"] = "请填写标题。"
    _check_day(errors, "disclosed_on", disclosed_on)
    if contract is not None:
        if not contract.coverage.filter(enterprise=enterprise).exists():
            errors["contract"] = "该集体合同不覆盖本企业。"
        elif contract.effective_from is None or (
            disclosed_on is not None and disclosed_on < contract.effective_from
        ):
            errors["contract"] = "集体合同生效后才能公布。"
    _raise(errors)
    disclosure = AffairsDisclosure.objects.create(
        enterprise=enterprise,
        unit=enterprise.unit,
        contract=contract,
        category=category,
        channel=channel,
        disclosed_on=disclosed_on,
        title=_text(title),
        content=_text(content),
        created_by=actor,
    )
    if contract is not None:
        _contract_event(contract, actor, "published", f"{disclosed_on} {enterprise.name}公布。")
    audit.record(
        actor,
        "disclose_affairs",
        disclosure,
        changes=audit.diff(
            {},
            {
                "enterprise": enterprise,
                "category": category,
                "disclosed_on": disclosed_on,
                "contract": contract.pk if contract else None,
            },
        ),
    )
    return disclosure


# --- tripartite meetings -----------------------------------------------------------------------
def _meeting_unit(errors, level, unit, park, township=None, industry="") -> OrgUnit | None:
    """The district-level unit that handles the meeting; the body's place checked per level."""
    L = TripartiteMeeting.Level
    if level == L.PARK:
        if park is None:
            errors["park"] = "园区三方会议请选择园区。"
            return None
        return park.unit
    if level == L.TOWNSHIP:
        if township is None or township.level != OrgUnit.Level.TOWNSHIP:
            errors["township"] = "镇街三方会议请选择镇（街道）。"
            return None
        return township.parent
    if level == L.INDUSTRY:
        if industry not in Industry.values:
            errors["industry"] = "行业三方会议请选择行业门类。"
        if unit is None or unit.level not in (OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT):
            errors["unit"] = "行业三方会议请选择全市或所在区县。"
            return None
        return unit
    if level not in L.values:
        errors["level"] = "请选择会议层级。"
        return None
    expected = OrgUnit.Level.CITY if level == L.CITY else OrgUnit.Level.DISTRICT
    if unit is None or unit.level != expected:
        errors["unit"] = "市级会议请选择全市，区县级会议请选择区县。"
        return None
    return unit


def _follow_up_errors(item: dict, held_on: date | None, prefix: str = "") -> dict:
    """Field errors of one follow-up item (``prefix`` numbers it within a list)."""
    errors: dict = {}
    if not _text(item.get("task")):
        errors["task"] = f"{prefix}请填写督办事项。"
    if item.get("owner_body") not in Body.values:
        errors["owner_body"] = f"{prefix}请选择牵头单位。"
    if not _text(item.get("owner_name")):
        errors["owner_name"] = f"{prefix}请填写责任人。"
    due = item.get("due_on")
    if due is None or (held_on is not None and due < held_on):
        errors["due_on"] = f"{prefix}完成期限应不早于会议日期。"
    return errors


@transaction.atomic
def record_meeting(
    actor,
    *,
    level: str,
    held_on: date,
    title: str,
    agenda: str,
    decisions: str,
    participants: list[dict],
    follow_ups: list[dict] | None = None,
    unit: OrgUnit | None = None,
    park: IndustrialPark | None = None,
    township: OrgUnit | None = None,
    industry: str = "",
) -> TripartiteMeeting:
    """A tripartite meeting with people from the four bodies, its decisions and follow-ups."""
    require_role(actor, *TRIPARTITE_EDITORS)
    errors: dict = {}
    L = TripartiteMeeting.Level
    # Only the place of the meeting's own level is kept (a park sent with a township meeting
    # would otherwise widen who sees it).
    park = park if level == L.PARK else None
    township = township if level == L.TOWNSHIP else None
    industry = (industry or "") if level == L.INDUSTRY else ""
    unit = _meeting_unit(errors, level, unit, park, township, industry)
    # A meeting recorded late may still name the park it was held in while it operated.
    closed = park is not None and not park.is_active
    if level == L.PARK and closed and (park.closed_on is None or held_on >= park.closed_on):
        errors["park"] = "该园区已撤销，不能在撤销后召开园区三方会议。"
    if unit is not None:
        require_record(actor, TripartiteMeeting(unit=unit, park=park, township=township))
    _check_day(errors, "held_on", held_on)
    texts = {"title": (title, "会议名称"), "agenda": (agenda, "议题")}
    texts["decisions"] = (decisions, "议定事项")
    for field, (value, label) in texts.items():
        if not _text(value):
            errors[field] = f"请填写{label}。"
    people = [p for p in participants if _text(p.get("name"))]
    bad = [p for p in people if p.get("body") not in Body.values]
    present = {p.get("body") for p in people}
    missing = [Body(b).label for b in Body.values if b not in present]
    if bad:
        errors["participants"] = "参会人员的单位无效。"
    elif missing:
        errors["participants"] = f"三方（四方）会议应有各方代表参加，缺少：{'、'.join(missing)}。"
    items = [f for f in (follow_ups or []) if _text(f.get("task"))]
    item_errors = [
        message
        for number, item in enumerate(items, start=1)
        for message in _follow_up_errors(item, held_on, f"第 {number} 项：").values()
    ]
    if item_errors:
        errors["follow_ups"] = item_errors
    _raise(errors)
    meeting = TripartiteMeeting.objects.create(
        level=level,
        unit=unit,
        park=park,
        township=township,
        industry=industry,
        held_on=held_on,
        title=_text(title),
        agenda=_text(agenda),
        decisions=_text(decisions),
        created_by=actor,
    )
    TripartiteParticipant.objects.bulk_create(
        TripartiteParticipant(
            meeting=meeting,
            body=p["body"],
            name=_text(p["name"]),
            position=_text(p.get("position")),
        )
        for p in people
    )
    FollowUpItem.objects.bulk_create(
        FollowUpItem(
            meeting=meeting,
            unit=unit,
            task=_text(i["task"]),
            owner_body=i["owner_body"],
            owner_name=_text(i["owner_name"]),
            due_on=i["due_on"],
        )
        for i in items
    )
    audit.record(
        actor,
        "record_tripartite_meeting",
        meeting,
        changes=audit.diff(
            {},
            {
                "level": level,
                "township": township,
                "industry": industry,
                "held_on": held_on,
                "title": meeting.title,
                "participants": len(people),
                "follow_ups": len(items),
            },
        ),
    )
    return meeting


@transaction.atomic
def add_follow_up(
    actor,
    meeting: TripartiteMeeting,
    *,
    task: str,
    owner_body: str,
    owner_name: str,
    due_on: date,
    expected_version: int | None = None,
) -> FollowUpItem:
    """A follow-up item decided after the meeting was recorded (e.g. at a later review)."""
    require_role(actor, *TRIPARTITE_EDITORS)
    require_record(actor, meeting)
    meeting = _claim(meeting, expected_version)
    item = {"task": task, "owner_body": owner_body, "owner_name": owner_name, "due_on": due_on}
    _raise(_follow_up_errors(item, meeting.held_on))
    follow_up = FollowUpItem.objects.create(
        meeting=meeting,
        unit=meeting.unit,
        task=_text(task),
        owner_body=owner_body,
        owner_name=_text(owner_name),
        due_on=due_on,
    )
    audit.record(
        actor,
        "add_follow_up",
        meeting,
        changes=audit.diff(
            {},
            {
                "follow_up": follow_up.pk,
                "task": follow_up.task,
                "owner_body": owner_body,
                "due_on": due_on,
            },
        ),
    )
    return follow_up


@transaction.atomic
def complete_follow_up(
    actor, item: FollowUpItem, *, done_on: date, result: str, expected_version: int | None = None
) -> FollowUpItem:
    require_role(actor, *TRIPARTITE_EDITORS)
    require_record(actor, item)
    item = _claim(item, expected_version)
    if item.done_on is not None:
        raise ValidationError("该督办事项已办结。", code="invalid_state")
    errors: dict = {}
    _check_day(errors, "done_on", done_on, not_before=item.meeting.held_on, label="会议日期")
    if not _text(result):
        errors["result"] = "请填写办理结果。"
    _raise(errors)
    item.done_on, item.result = done_on, _text(result)
    item.save()
    audit.record(
        actor,
        "complete_follow_up",
        item,
        changes=audit.diff({}, {"done_on": done_on, "result": item.result}),
    )
    return item


# --- employment filing -------------------------------------------------------------------------
def dispatch_over_cap(contracted: int, dispatched: int, on: date, unit=None) -> bool:
    """dispatched ÷ (contracted + dispatched) > cap (劳务派遣暂行规定 Art.4; rules §5)."""
    total = contracted + dispatched
    cap = _param("dispatch_cap_percent", on, unit)
    return total > 0 and Decimal(dispatched) * 100 > cap * total


@transaction.atomic
def file_employment(
    actor,
    *,
    enterprise: Enterprise,
    period: date,
    employees: int,
    contracted: int,
    dispatched: int,
    insured: int,
    expected_version: int | None = None,
) -> EmploymentFiling:
    """File (or correct) an enterprise's employment figures for a month."""
    require_role(actor, *FILING_EDITORS)
    require_enterprise(actor, enterprise, FILING_EDITORS)
    errors: dict = {}
    today = _today()
    if period is None:
        errors["period"] = "请填写备案期间。"
    else:
        period = period.replace(day=1)
        if period > today.replace(day=1):
            errors["period"] = "备案期间不能晚于本月。"
    numbers = {
        "employees": employees,
        "contracted": contracted,
        "dispatched": dispatched,
        "insured": insured,
    }
    for field, value in numbers.items():
        if value is None or value < 0:
            errors[field] = "人数不能为负数。"
    if "employees" not in errors and "contracted" not in errors and contracted > employees:
        errors["contracted"] = "已签劳动合同人数不能超过直接用工人数。"
    if "employees" not in errors and "insured" not in errors and insured > employees:
        errors["insured"] = "参加社会保险人数不能超过直接用工人数。"
    _raise(errors)
    over = dispatch_over_cap(contracted, dispatched, period, enterprise.unit)
    existing = EmploymentFiling.objects.filter(enterprise=enterprise, period=period).first()
    if existing is None:
        try:
            with transaction.atomic():
                filing = EmploymentFiling.objects.create(
                    enterprise=enterprise,
                    unit=enterprise.unit,
                    period=period,
                    filed_on=today,
                    dispatch_over_cap=over,
                    created_by=actor,
                    **numbers,
                )
        except IntegrityError as exc:  # the same month filed by someone else at this moment
            raise ValidationError(
                "该企业本期间的用工备案刚由他人提交，请刷新后核对再更正。", code="conflict"
            ) from exc
        audit.record(actor, "file_employment", filing, changes=audit.diff({}, numbers))
        return filing
    filing = _claim(existing, expected_version)
    before = {field: getattr(filing, field) for field in numbers}
    for field, value in numbers.items():
        setattr(filing, field, value)
    filing.dispatch_over_cap, filing.filed_on = over, today
    filing.save()
    audit.record(actor, "correct_employment_filing", filing, changes=audit.diff(before, numbers))
    return filing
