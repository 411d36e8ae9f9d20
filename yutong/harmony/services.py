"""Changes of state for the harmony creation activity: enrolments, health checks, evaluations
and their settings. One function per change: permission, rules, write, audit, one transaction.

Thresholds, the holding period and the validity period are dated parameters (codes below),
looked up for the enterprise's unit on the day of the step.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from yutong.core import audit, inbox, roles, uploads
from yutong.core.models import OrgUnit
from yutong.core.parameters import ParameterMissing, parameter_value
from yutong.core.permissions import can, company_of, require_record, require_role
from yutong.registry.choices import EnterpriseStatus, Industry
from yutong.registry.models import Enterprise, IndustrialPark

from .models import (
    GRADE_ORDER,
    DocumentKind,
    EvaluationDocument,
    EvaluationScore,
    Grade,
    HarmonyEnrollment,
    HarmonyEvaluation,
    HealthAnswer,
    HealthCheck,
    HealthFinding,
    HealthOption,
    HealthQuestion,
    HealthTheme,
    ScoringItem,
    VetoItem,
    grade_below,
)

# Who may do what (the views and the API show the same).
READERS = (
    roles.CITY_ADMIN,
    roles.DISTRICT_STAFF,
    roles.UNION_OFFICER,
    roles.AUDITOR,
    roles.ENTERPRISE_USER,
)
STAFF_READERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.UNION_OFFICER, roles.AUDITOR)
# The four bodies run the creation activity together (plan 四(七)): bureau staff and union officers.
ENROLLERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.UNION_OFFICER)
REVIEWERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF)
SETTINGS_EDITORS = (roles.CITY_ADMIN,)

# Dated parameters (core.parameters.PARAMETER_LABELS names them for the 时效参数 page).
MIN_SCORE_CODES = {
    Grade.A: "harmony_grade_a_min_score",
    Grade.AA: "harmony_grade_aa_min_score",
    Grade.AAA: "harmony_grade_aaa_min_score",
}
HOLDING_MONTHS = "harmony_grade_holding_months"
VALIDITY_MONTHS = "harmony_grade_validity_months"
COVERAGE_MIN_HEADCOUNT = "harmony_coverage_min_headcount"
GUIDANCE_LINE = "harmony_health_guidance_score"

# Uploads of the application pack: scans, photos, office documents.
UPLOAD_SIGNATURES = {
    ".pdf": (b"%PDF",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".docx": (b"PK\x03\x04",),
    ".xlsx": (b"PK\x03\x04",),
    ".doc": (b"\xd0\xcf\x11\xe0",),
    ".xls": (b"\xd0\xcf\x11\xe0",),
}

CONFLICT_MESSAGE = "该记录已被他人修改，请刷新页面查看最新情况后再操作。"
ONE_DECIMAL = Decimal("0.1")


def _today() -> date:
    return timezone.localdate()


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (the month's last day when it has no such day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def setting(code: str, on: date, unit: OrgUnit | None = None) -> Decimal:
    try:
        return parameter_value(code, on, unit).value
    except ParameterMissing as exc:
        raise ValidationError(str(exc)) from exc


def _claim_version(obj, expected_version: int | None) -> None:
    """One conditional UPDATE: of two users acting at once on one record, exactly one wins."""
    condition = Q(pk=obj.pk)
    if expected_version is not None:
        condition &= Q(version=expected_version)
    if not type(obj).objects.filter(condition).update(version=F("version") + 1):
        raise ValidationError(CONFLICT_MESSAGE, code="conflict")


def own_enterprise(user) -> Enterprise | None:
    """The enterprise an enterprise account acts for (its organisation's USCC)."""
    company = company_of(user)
    if company is None:
        return None
    return Enterprise.objects.filter(uscc=company.uscc).select_related("unit").first()


def _is_own(user, enterprise: Enterprise) -> bool:
    own = own_enterprise(user)
    return own is not None and own.pk == enterprise.pk


def _require_applicant(actor, enterprise: Enterprise) -> None:
    """The enterprise itself, or staff of its unit."""
    if _is_own(actor, enterprise):
        return
    require_role(actor, *ENROLLERS)
    require_record(actor, enterprise)


def _snapshot(obj, fields) -> dict:
    return {field: getattr(obj, field) for field in fields}


# --- enrolment -------------------------------------------------------------------------------

ENROLLMENT_FIELDS = (
    "scope",
    "unit",
    "enterprise",
    "township",
    "park",
    "industry",
    "year",
    "starts_on",
    "ends_on",
    "covered_until",
    "withdrawn_on",
    "withdrawal_reason",
    "note",
)


def _covered_until(enrollment: HarmonyEnrollment) -> date | None:
    ends = [enrollment.ends_on] if enrollment.ends_on else []
    if enrollment.withdrawn_on is not None:
        ends.append(enrollment.withdrawn_on - timedelta(days=1))
    return min(ends) if ends else None


def _enrollment_unit(scope, enterprise, township, park, unit, errors) -> OrgUnit | None:
    if scope == HarmonyEnrollment.Scope.ENTERPRISE:
        if enterprise is None:
            errors["enterprise"] = "请选择企业。"
            return None
        if enterprise.status == EnterpriseStatus.DEREGISTERED:
            errors["enterprise"] = f"{enterprise.name}已注销，不能参加创建活动。"
        return enterprise.unit
    if scope == HarmonyEnrollment.Scope.REGION:
        if township is None:
            errors["township"] = "请选择镇街。"
            return None
        if township.level != OrgUnit.Level.TOWNSHIP:
            errors["township"] = "区域性创建须选择镇街。"
            return None
        return township.parent
    if scope == HarmonyEnrollment.Scope.PARK:
        if park is None:
            errors["park"] = "请选择工业园区。"
            return None
        if not park.is_active:
            errors["park"] = f"{park.name}已停止运营。"
        return park.unit
    if unit is None or unit.level != OrgUnit.Level.DISTRICT:
        errors["unit"] = "行业性创建须选择区县级单位。"
        return None
    return unit


def _enrollment_dates(year, starts_on, ends_on, errors) -> tuple[date | None, date | None]:
    if year is not None:
        if not 2000 <= year <= 2100:
            errors["year"] = "年度应在 2000 至 2100 之间。"
            return None, None
        starts_on = starts_on or date(year, 1, 1)
        ends_on = ends_on or date(year, 12, 31)
        if starts_on.year != year or ends_on.year != year:
            errors["starts_on"] = f"起止日期应在 {year} 年内。"
    if starts_on is None:
        errors["starts_on"] = "请填写起始日期或创建年度。"
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = "截止日期不能早于起始日期。"
    return starts_on, ends_on


def _target_filter(enrollment: HarmonyEnrollment) -> Q:
    scope = enrollment.scope
    if scope == HarmonyEnrollment.Scope.ENTERPRISE:
        return Q(scope=scope, enterprise=enrollment.enterprise)
    if scope == HarmonyEnrollment.Scope.REGION:
        return Q(scope=scope, township=enrollment.township)
    if scope == HarmonyEnrollment.Scope.PARK:
        return Q(scope=scope, park=enrollment.park)
    return Q(scope=scope, unit=enrollment.unit, industry=enrollment.industry)


def _check_overlap(enrollment: HarmonyEnrollment) -> None:
    """One target is enrolled at most once on any day."""
    overlapping = HarmonyEnrollment.objects.filter(_target_filter(enrollment)).filter(
        Q(covered_until__isnull=True) | Q(covered_until__gte=enrollment.starts_on)
    )
    if enrollment.covered_until is not None:
        overlapping = overlapping.filter(starts_on__lte=enrollment.covered_until)
    other = overlapping.exclude(pk=enrollment.pk).order_by("starts_on").first()
    if other is not None:
        until = other.covered_until.isoformat() if other.covered_until else "长期"
        raise ValidationError(
            {
                "starts_on": f"{enrollment.target_name}在此期间已登记创建活动"
                f"（{other.starts_on.isoformat()} 至 {until}），不能重复登记。"
            }
        )


@transaction.atomic
def enrol(
    actor,
    *,
    scope: str,
    enterprise: Enterprise | None = None,
    township: OrgUnit | None = None,
    park: IndustrialPark | None = None,
    industry: str = "",
    unit: OrgUnit | None = None,
    year: int | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    note: str = "",
) -> HarmonyEnrollment:
    """Enrol an enterprise, a township/street, a park or an industry of a unit."""
    if scope not in HarmonyEnrollment.Scope.values:
        raise ValidationError({"scope": "请选择创建类型。"})
    self_enrolled = enterprise is not None and _is_own(actor, enterprise)
    if self_enrolled:
        if scope != HarmonyEnrollment.Scope.ENTERPRISE:
            raise PermissionDenied("企业用户只能为本企业报名。")
    else:
        require_role(actor, *ENROLLERS)
    errors: dict = {}
    if scope == HarmonyEnrollment.Scope.INDUSTRY and industry not in Industry.values:
        errors["industry"] = "请选择行业门类。"
    target_unit = _enrollment_unit(scope, enterprise, township, park, unit, errors)
    starts_on, ends_on = _enrollment_dates(year, starts_on, ends_on, errors)
    if errors:
        raise ValidationError(errors)
    keep = HarmonyEnrollment.Scope
    enrollment = HarmonyEnrollment(
        scope=scope,
        unit=target_unit,
        enterprise=enterprise if scope == keep.ENTERPRISE else None,
        township=township if scope == keep.REGION else None,
        park=park if scope == keep.PARK else None,
        industry=industry if scope == keep.INDUSTRY else "",
        year=year,
        starts_on=starts_on,
        ends_on=ends_on,
        note=(note or "").strip()[:300],
        enrolled_by=actor if getattr(actor, "pk", None) else None,
        self_enrolled=self_enrolled,
    )
    if not self_enrolled:
        # A township account enrols its township and the enterprises and parks inside it.
        require_record(actor, enrollment)
    enrollment.covered_until = _covered_until(enrollment)
    _check_overlap(enrollment)
    enrollment.save()
    audit.record(
        actor,
        "enrol_harmony",
        enrollment,
        changes=audit.diff({}, _snapshot(enrollment, ENROLLMENT_FIELDS)),
    )
    return enrollment


@transaction.atomic
def withdraw_enrollment(
    actor,
    enrollment: HarmonyEnrollment,
    *,
    on: date | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> HarmonyEnrollment:
    """End an enrolment early: not covered from ``on`` (default today)."""
    own = enrollment.enterprise_id is not None and _is_own(actor, enrollment.enterprise)
    if not own:
        require_role(actor, *ENROLLERS)
        require_record(actor, enrollment)
    _claim_version(enrollment, expected_version)
    current = HarmonyEnrollment.objects.select_related(
        "enterprise", "township", "park", "unit"
    ).get(pk=enrollment.pk)
    on = on or _today()
    errors = {}
    if current.withdrawn_on is not None:
        raise ValidationError(f"该创建活动已于 {current.withdrawn_on.isoformat()} 退出。")
    if current.ends_on is not None and current.ends_on < on:
        raise ValidationError(f"该创建活动已于 {current.ends_on.isoformat()} 结束，无需退出。")
    if on < current.starts_on:
        errors["on"] = f"退出日期不能早于起始日期（{current.starts_on.isoformat()}）。"
    if not (reason or "").strip():
        errors["reason"] = "请填写退出原因。"
    if errors:
        raise ValidationError(errors)
    before = _snapshot(current, ENROLLMENT_FIELDS)
    current.withdrawn_on = on
    current.withdrawn_by = actor if getattr(actor, "pk", None) else None
    current.withdrawal_reason = reason.strip()[:300]
    current.covered_until = _covered_until(current)
    current.save()
    audit.record(
        actor,
        "withdraw_harmony_enrollment",
        current,
        changes=audit.diff(before, _snapshot(current, ENROLLMENT_FIELDS)),
    )
    return current


# --- health check ---------------------------------------------------------------------------------


def questionnaire() -> list[HealthTheme]:
    """The active themes, each with ``active_questions`` (their options prefetched)."""
    from django.db.models import Prefetch

    questions = HealthQuestion.objects.filter(is_active=True).prefetch_related("options")
    themes = HealthTheme.objects.filter(is_active=True).prefetch_related(
        Prefetch("questions", queryset=questions, to_attr="active_questions")
    )
    return [theme for theme in themes if theme.active_questions]


def _percent(points, maximum) -> Decimal:
    if not maximum:
        return Decimal("0.0")
    return (Decimal(points) * 100 / Decimal(maximum)).quantize(ONE_DECIMAL, ROUND_HALF_UP)


@transaction.atomic
def submit_health_check(
    actor, enterprise: Enterprise, *, answers: dict, checked_on: date | None = None
) -> HealthCheck:
    """Score the enterprise's own answers ({question id: option id}) and classify guidance:
    every theme with an answer scored short of full marks yields its guidance and rule, so no
    shortfall goes without advice; the guidance line only marks the themes to put right first."""
    if not _is_own(actor, enterprise):
        raise PermissionDenied("企业体检由企业自行填报。")
    checked_on = checked_on or _today()
    themes = questionnaire()
    if not themes:
        raise ValidationError("体检问卷尚未配置，请联系管理员。")
    given = {str(k): str(v) for k, v in (answers or {}).items()}
    missing, rows = [], []
    for theme in themes:
        for number, question in enumerate(theme.active_questions, start=1):
            options = {str(o.pk): o for o in question.options.all()}
            option = options.get(given.get(str(question.pk), ""))
            if option is None:
                missing.append(f"{theme.name}第 {number} 题")
                continue
            top = max(o.points for o in options.values())
            rows.append((theme, question, option, top))
    if missing:
        raise ValidationError({"answers": [f"请回答：{'、'.join(missing)}。"]})
    points = sum(r[2].points for r in rows)
    maximum = sum(r[3] for r in rows)
    check = HealthCheck.objects.create(
        enterprise=enterprise,
        unit=enterprise.unit,
        checked_on=checked_on,
        filled_by=actor if getattr(actor, "pk", None) else None,
        points=points,
        max_points=maximum,
        score=_percent(points, maximum),
    )
    HealthAnswer.objects.bulk_create(
        HealthAnswer(
            health_check=check,
            question=question,
            theme=theme,
            question_text=question.text,
            option_text=option.text,
            points=option.points,
            max_points=top,
        )
        for theme, question, option, top in rows
    )
    findings = []
    for theme in themes:
        got = sum(r[2].points for r in rows if r[0] is theme)
        top = sum(r[3] for r in rows if r[0] is theme)
        score = _percent(got, top)
        if got < top:
            findings.append(
                HealthFinding(
                    health_check=check,
                    theme=theme,
                    theme_name=theme.name,
                    points=got,
                    max_points=top,
                    score=score,
                    guidance=theme.guidance,
                    rule_reference=theme.rule_reference,
                    rule_url=theme.rule_url,
                )
            )
    HealthFinding.objects.bulk_create(findings)
    audit.record(
        actor,
        "submit_health_check",
        check,
        changes=audit.diff(
            {},
            {
                "enterprise": enterprise,
                "checked_on": checked_on,
                "score": check.score,
                "findings": "、".join(f.theme_name for f in findings),
            },
        ),
    )
    return check


# --- evaluation -------------------------------------------------------------------------------

EVALUATION_FIELDS = (
    "grade",
    "status",
    "self_score",
    "submitted_on",
    "review_score",
    "decision",
    "review_reason",
    "reviewed_on",
    "granted_on",
    "valid_until",
    "is_current",
    "withdrawn_on",
    "revoked_on",
    "revocation_reason",
)


def held_grade(enterprise: Enterprise, day: date, *, exclude: int | None = None):
    """The evaluation whose grade the enterprise holds on ``day`` (valid, not revoked)."""
    rows = HarmonyEvaluation.objects.filter(
        enterprise=enterprise, is_current=True, granted_on__lte=day, valid_until__gte=day
    )
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.first()


def check_sequence(enterprise: Enterprise, grade: str, day: date, *, exclude=None) -> None:
    """A, AA, AAA strictly in sequence; the level below held for the holding period."""
    if grade not in Grade.values:
        raise ValidationError({"grade": "请选择申报等级。"})
    held = held_grade(enterprise, day, exclude=exclude)
    held_level = held.grade if held else None
    label = Grade(grade).label
    if held_level is not None and GRADE_ORDER.index(held_level) > GRADE_ORDER.index(grade):
        raise ValidationError(
            {"grade": f"该企业现持有{Grade(held_level).label}，不能申报较低的{label}。"}
        )
    below = grade_below(grade)
    if below is None or held_level == grade:
        return  # A needs nothing below; a holder may be evaluated again at its own level
    if held_level != below:
        now = f"现持有{Grade(held_level).label}" if held_level else "尚未获评任何等级"
        raise ValidationError(
            {
                "grade": f"和谐企业等级须逐级评定：申报{label}须持有{Grade(below).label}"
                f"（该企业{now}），不得越级申报。"
            }
        )
    months = int(setting(HOLDING_MONTHS, day, enterprise.unit))
    eligible_from = add_months(held.granted_on, months)
    if day < eligible_from:
        raise ValidationError(
            {
                "grade": f"{Grade(below).label}自 {held.granted_on.isoformat()} 起持有不满"
                f" {months} 个月，{eligible_from.isoformat()} 起方可申报{label}。"
            }
        )


def min_score(grade: str, day: date, unit) -> Decimal:
    return setting(MIN_SCORE_CODES[grade], day, unit)


def _check_score(field: str, score, grade: str, day: date, unit, what: str) -> None:
    if score is None:
        raise ValidationError({field: f"请先完成{what}。"})
    threshold = min_score(grade, day, unit)
    if score < threshold:
        raise ValidationError(
            {
                field: f"{what}得分 {score} 分，低于申报{Grade(grade).label}所需的"
                f" {threshold.normalize():f} 分。"
            }
        )


def missing_documents(evaluation: HarmonyEvaluation) -> list[DocumentKind]:
    present = set(evaluation.documents.values_list("kind_id", flat=True))
    required = DocumentKind.objects.filter(is_active=True, is_required=True)
    return [kind for kind in required if kind.pk not in present]


def _check_pack(evaluation: HarmonyEvaluation) -> None:
    missing = missing_documents(evaluation)
    if missing:
        names = "、".join(kind.name for kind in missing)
        raise ValidationError({"documents": f"申报材料不全，尚缺：{names}。"})


def _check_status(evaluation: HarmonyEvaluation, *allowed: str, doing: str) -> None:
    if evaluation.status not in allowed:
        raise ValidationError(f"该申报当前状态为“{evaluation.get_status_display()}”，不能{doing}。")


def _load(evaluation: HarmonyEvaluation) -> HarmonyEvaluation:
    return HarmonyEvaluation.objects.select_related("enterprise__unit", "unit").get(
        pk=evaluation.pk
    )


def _audit_evaluation(actor, action: str, evaluation, before: dict, extra: dict | None = None):
    after = _snapshot(evaluation, EVALUATION_FIELDS)
    audit.record(actor, action, evaluation, changes=audit.diff(before, {**after, **(extra or {})}))


@transaction.atomic
def start_evaluation(actor, enterprise: Enterprise, *, grade: str) -> HarmonyEvaluation:
    """Open an application for ``grade`` (the enterprise itself or staff of its unit)."""
    _require_applicant(actor, enterprise)
    if enterprise.status != EnterpriseStatus.OPERATING:
        raise ValidationError({"enterprise": f"{enterprise.name}不在正常经营状态，不能申报。"})
    check_sequence(enterprise, grade, _today())
    if HarmonyEvaluation.objects.filter(
        enterprise=enterprise, status__in=("draft", "submitted")
    ).exists():
        raise ValidationError({"enterprise": "该企业已有一份未办结的评定申报。"})
    evaluation = HarmonyEvaluation.objects.create(
        enterprise=enterprise,
        unit=enterprise.unit,
        grade=grade,
        applied_by=actor if getattr(actor, "pk", None) else None,
    )
    _audit_evaluation(actor, "start_harmony_evaluation", evaluation, {})
    return evaluation


@transaction.atomic
def set_self_scores(
    actor, evaluation: HarmonyEvaluation, *, scores: dict, expected_version: int | None = None
) -> HarmonyEvaluation:
    """Record the self-score of every active item ({item code: points}); the total is put on
    a 100-point scale so the thresholds hold whatever the items' maximum adds up to."""
    _require_applicant(actor, evaluation.enterprise)
    _claim_version(evaluation, expected_version)
    current = _load(evaluation)
    _check_status(current, HarmonyEvaluation.Status.DRAFT, doing="修改自评")
    items = list(ScoringItem.objects.filter(is_active=True))
    if not items:
        raise ValidationError("评分项目尚未配置，请联系管理员。")
    given = {str(k): v for k, v in (scores or {}).items()}
    errors, cleaned = [], []
    for item in items:
        raw = given.get(item.code)
        try:
            points = Decimal(str(raw)).quantize(ONE_DECIMAL) if raw not in (None, "") else None
        except ArithmeticError:
            points = None
            errors.append(f"{item.name}：请填写数字。")
            continue
        if points is None:
            errors.append(f"{item.name}：请填写自评分。")
        elif not 0 <= points <= item.max_points:
            errors.append(f"{item.name}：自评分应在 0 至 {item.max_points} 分之间。")
        else:
            cleaned.append((item, points))
    unknown = set(given) - {item.code for item in items}
    if unknown:
        errors.append(f"未知的评分项目：{'、'.join(sorted(unknown))}。")
    if errors:
        raise ValidationError({"scores": errors})
    before = _snapshot(current, EVALUATION_FIELDS)
    current.scores.all().delete()
    EvaluationScore.objects.bulk_create(
        EvaluationScore(
            evaluation=current,
            item=item,
            item_name=item.name,
            max_points=item.max_points,
            points=points,
        )
        for item, points in cleaned
    )
    total = sum(points for _, points in cleaned)
    current.self_score = _percent(total, sum(item.max_points for item in items))
    current.save(update_fields=["self_score"])
    _audit_evaluation(actor, "score_harmony_evaluation", current, before)
    return current


def _check_upload(uploaded_file) -> str:
    name = Path(uploaded_file.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in UPLOAD_SIGNATURES:
        raise ValidationError(
            {"file": "只能上传 PDF、JPG、PNG、Word（.doc/.docx）或 Excel（.xls/.xlsx）文件。"}
        )
    uploads.check_size(uploaded_file, settings.DOCUMENT_MAX_UPLOAD_BYTES)
    uploaded_file.seek(0)
    head = uploaded_file.read(8)
    uploaded_file.seek(0)
    if not head.startswith(UPLOAD_SIGNATURES[suffix]):
        raise ValidationError({"file": f"文件内容与扩展名 {suffix} 不符。"})
    return name


@transaction.atomic
def add_document(
    actor, evaluation: HarmonyEvaluation, *, kind: DocumentKind, file
) -> EvaluationDocument:
    """Store one document of the pack under MEDIA_ROOT (type and size checked first)."""
    _require_applicant(actor, evaluation.enterprise)
    _claim_version(evaluation, None)  # the pack is part of what a reviewer reads
    current = _load(evaluation)
    _check_status(current, HarmonyEvaluation.Status.DRAFT, doing="上传材料")
    if kind is None or not kind.is_active:
        raise ValidationError({"kind": "请选择材料类别。"})
    name = _check_upload(file)
    document = EvaluationDocument(
        evaluation=current,
        kind=kind,
        original_name=name[:200],
        size=file.size,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    with uploads.storing():  # a read-only or full disk is a message, not a 500
        document.file.save(name, file, save=False)
    # Should the transaction roll back, the file no row names is swept by `clean_uploads`.
    document.save()
    audit.record(
        actor,
        "add_harmony_document",
        current,
        changes={"documents": [None, f"{kind.name}：{document.original_name}"]},
    )
    return document


@transaction.atomic
def remove_document(actor, document: EvaluationDocument) -> None:
    evaluation = document.evaluation
    _require_applicant(actor, evaluation.enterprise)
    _claim_version(evaluation, None)
    _check_status(_load(evaluation), HarmonyEvaluation.Status.DRAFT, doing="删除材料")
    label = f"{document.kind.name}：{document.original_name}"
    name, storage = document.file.name, document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name))
    audit.record(actor, "remove_harmony_document", evaluation, changes={"documents": [label, None]})


@transaction.atomic
def submit_evaluation(
    actor, evaluation: HarmonyEvaluation, *, expected_version: int | None = None
) -> HarmonyEvaluation:
    """Hand the application to the district: self-score over the threshold, pack complete,
    the grade in sequence."""
    _require_applicant(actor, evaluation.enterprise)
    _claim_version(evaluation, expected_version)
    current = _load(evaluation)
    _check_status(current, HarmonyEvaluation.Status.DRAFT, doing="提交")
    today = _today()
    active = set(ScoringItem.objects.filter(is_active=True).values_list("pk", flat=True))
    scored = set(current.scores.values_list("item_id", flat=True))
    if active != scored:
        raise ValidationError({"scores": "评分项目已调整，请重新填写自评分。"})
    _check_score("self_score", current.self_score, current.grade, today, current.unit, "自评")
    _check_pack(current)
    check_sequence(current.enterprise, current.grade, today)
    before = _snapshot(current, EVALUATION_FIELDS)
    current.status = HarmonyEvaluation.Status.SUBMITTED
    current.submitted_on = today
    current.save(update_fields=["status", "submitted_on"])
    _audit_evaluation(actor, "submit_harmony_evaluation", current, before)
    return current


@transaction.atomic
def review_evaluation(
    actor,
    evaluation: HarmonyEvaluation,
    *,
    decision: str,
    score: Decimal | None,
    reason: str = "",
    vetoes=(),
    expected_version: int | None = None,
) -> HarmonyEvaluation:
    """The district's review: its score, the veto items found, approve (grade granted today,
    valid for the validity period) or reject with the reason."""
    require_role(actor, *REVIEWERS)
    require_record(actor, evaluation)
    _claim_version(evaluation, expected_version)
    current = _load(evaluation)
    _check_status(current, HarmonyEvaluation.Status.SUBMITTED, doing="审核")
    today = _today()
    errors = {}
    if decision not in HarmonyEvaluation.Decision.values:
        errors["decision"] = "请选择审核结论。"
    if score is None or not 0 <= score <= 100:
        errors["score"] = "请填写审核得分（0 至 100 分）。"
    reason = (reason or "").strip()
    if decision == HarmonyEvaluation.Decision.REJECT and not reason:
        errors["reason"] = "不予通过的，请填写理由。"
    vetoes = list(vetoes or [])
    if any(not v.is_active for v in vetoes):
        errors["vetoes"] = "否决事项无效。"
    if errors:
        raise ValidationError(errors)
    if decision == HarmonyEvaluation.Decision.APPROVE:
        if vetoes:
            names = "、".join(v.name for v in vetoes)
            raise ValidationError({"vetoes": f"存在一票否决事项（{names}），不能评定等级。"})
        _check_score("score", score, current.grade, today, current.unit, "审核")
        _check_pack(current)
        check_sequence(current.enterprise, current.grade, today)
    before = _snapshot(current, EVALUATION_FIELDS)
    current.review_score = Decimal(score).quantize(ONE_DECIMAL)
    current.decision = decision
    current.review_reason = reason
    current.reviewed_on = today
    current.reviewed_by = actor if getattr(actor, "pk", None) else None
    if decision == HarmonyEvaluation.Decision.APPROVE:
        # The grade held so far gives way to the new one (it came from it, or is renewed).
        HarmonyEvaluation.objects.filter(enterprise=current.enterprise, is_current=True).update(
            is_current=False
        )
        months = int(setting(VALIDITY_MONTHS, today, current.unit))
        current.status = HarmonyEvaluation.Status.APPROVED
        current.granted_on = today
        current.valid_until = add_months(today, months) - timedelta(days=1)
        current.is_current = True
    else:
        current.status = HarmonyEvaluation.Status.REJECTED
    current.save()
    current.vetoes.set(vetoes)
    _audit_evaluation(
        actor,
        "review_harmony_evaluation",
        current,
        before,
        {"vetoes": "、".join(v.name for v in vetoes) or None},
    )
    inbox.send_to_company(
        current.enterprise.uscc,
        inbox.Kind.DECISION,
        f"和谐企业评定申请审核结果：{current.get_status_display()}",
        url=reverse("harmony:evaluation_detail", args=[current.pk]),
        body=reason,
        sender=actor,
    )
    return current


@transaction.atomic
def withdraw_evaluation(
    actor, evaluation: HarmonyEvaluation, *, expected_version: int | None = None
) -> HarmonyEvaluation:
    """The applicant (or staff of the unit) withdraws an application not yet decided."""
    _require_applicant(actor, evaluation.enterprise)
    _claim_version(evaluation, expected_version)
    current = _load(evaluation)
    _check_status(
        current,
        HarmonyEvaluation.Status.DRAFT,
        HarmonyEvaluation.Status.SUBMITTED,
        doing="撤回",
    )
    before = _snapshot(current, EVALUATION_FIELDS)
    current.status = HarmonyEvaluation.Status.WITHDRAWN
    current.withdrawn_on = _today()
    current.save(update_fields=["status", "withdrawn_on"])
    _audit_evaluation(actor, "withdraw_harmony_evaluation", current, before)
    return current


@transaction.atomic
def revoke_evaluation(
    actor, evaluation: HarmonyEvaluation, *, reason: str, expected_version: int | None = None
) -> HarmonyEvaluation:
    """Take a granted grade away (e.g. a veto event after the grade): off the public list."""
    require_role(actor, *REVIEWERS)
    require_record(actor, evaluation)
    _claim_version(evaluation, expected_version)
    current = _load(evaluation)
    _check_status(current, HarmonyEvaluation.Status.APPROVED, doing="撤销")
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写撤销原因。"})
    before = _snapshot(current, EVALUATION_FIELDS)
    current.status = HarmonyEvaluation.Status.REVOKED
    current.is_current = False
    current.revoked_on = _today()
    current.revoked_by = actor if getattr(actor, "pk", None) else None
    current.revocation_reason = reason.strip()[:300]
    current.save()
    _audit_evaluation(actor, "revoke_harmony_evaluation", current, before)
    inbox.send_to_company(
        current.enterprise.uscc,
        inbox.Kind.DECISION,
        f"和谐企业等级已撤销：{current.get_grade_display()}",
        url=reverse("harmony:evaluation_detail", args=[current.pk]),
        body=current.revocation_reason,
        sender=actor,
    )
    return current


# --- settings (city administrator) ----------------------------------------------------------------

SETTING_MODELS = {
    "items": (ScoringItem, ("code", "category", "name", "description", "max_points", "order")),
    "vetoes": (VetoItem, ("code", "name", "order")),
    "documents": (DocumentKind, ("code", "name", "is_required", "order")),
    "themes": (
        HealthTheme,
        ("code", "name", "order", "guidance", "rule_reference", "rule_url"),
    ),
}


@transaction.atomic
def save_setting(actor, kind: str, obj=None, **data):
    """Create or edit a scoring item, veto item, pack document or health-check theme."""
    require_role(actor, *SETTINGS_EDITORS)
    model, fields = SETTING_MODELS[kind]
    data.setdefault("is_active", obj.is_active if obj is not None else True)
    unknown = set(data) - {*fields, "is_active"}
    if unknown:
        raise ValidationError({field: "未知字段。" for field in unknown})
    before = _snapshot(obj, (*fields, "is_active")) if obj is not None else {}
    if obj is not None and "code" in data and data["code"] != obj.code:
        raise ValidationError({"code": "代码保存后不能修改（已有记录引用它）。"})
    target = obj if obj is not None else model()
    for field, value in data.items():
        setattr(target, field, value.strip() if isinstance(value, str) else value)
    target.full_clean()
    target.save()
    audit.record(
        actor,
        f"save_harmony_{kind}",
        target,
        unit=None,
        changes=audit.diff(before, _snapshot(target, (*fields, "is_active"))),
    )
    return target


@transaction.atomic
def save_question(
    actor,
    question: HealthQuestion | None = None,
    *,
    theme: HealthTheme,
    text: str,
    order: int,
    is_active: bool = True,
    options: list[tuple[str, int]],
) -> HealthQuestion:
    """Create or edit a health-check question and replace its answer options."""
    require_role(actor, *SETTINGS_EDITORS)
    errors = {}
    if not (text or "").strip():
        errors["text"] = "请填写问题。"
    cleaned = [(t.strip(), p) for t, p in options if (t or "").strip()]
    if len(cleaned) < 2:
        errors["options"] = "每个问题至少需要两个选项。"
    elif any(p is None or p < 0 for _, p in cleaned):
        errors["options"] = "选项得分不能为空或负数。"
    elif max(p for _, p in cleaned) == 0:
        errors["options"] = "至少一个选项应有得分。"
    if errors:
        raise ValidationError(errors)
    before = {}
    if question is not None:
        before = {
            "theme": question.theme,
            "text": question.text,
            "is_active": question.is_active,
            "options": "；".join(f"{o.text}={o.points}" for o in question.options.all()),
        }
    question = question or HealthQuestion()
    question.theme, question.text, question.order = theme, text.strip(), order
    question.is_active = is_active
    question.save()
    question.options.all().delete()
    HealthOption.objects.bulk_create(
        HealthOption(question=question, text=t[:200], points=p, order=n)
        for n, (t, p) in enumerate(cleaned)
    )
    after = {
        "theme": theme,
        "text": question.text,
        "is_active": is_active,
        "options": "；".join(f"{t}={p}" for t, p in cleaned),
    }
    audit.record(
        actor, "save_harmony_question", question, unit=None, changes=audit.diff(before, after)
    )
    return question


def can_review(user) -> bool:
    return can(user, *REVIEWERS)


def veto_items() -> list[VetoItem]:
    return list(VetoItem.objects.filter(is_active=True))
