"""Changes of state for core records. Each function checks permission, writes, and audits,
all in one transaction."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from stdnum.cn import uscc as stdnum_uscc

from . import audit, auth, roles, scope, twofactor
from .models import DatedParameter, Organisation, OrgUnit, Role, User
from .permissions import require_role, require_unit

# Audit entries are placed by the unit of the record (district level, not township), so a
# township-level auditor or administrator would read a misleading fraction of them: refused.
TOWNSHIP_LOG_READER = (
    "镇街单位的账号不能担任系统管理员或审计员（审计日志和登录日志按区县归集），"
    "请将该账号设在区县或市级单位。"
)

USER_FIELDS = ("username", "display_name", "email", "organisation", "unit", "is_active")


def _user_snapshot(user: User) -> dict:
    data = {field: getattr(user, field) for field in USER_FIELDS}
    data["roles"] = sorted(user.roles.values_list("code", flat=True)) if user.pk else []
    return data


def _check_user_assignment(actor, organisation, unit, role_codes) -> None:
    unknown = set(role_codes) - set(roles.ALL_ROLES)
    if unknown:
        raise ValidationError({"roles": f"未知角色：{'、'.join(sorted(unknown))}"})
    if unit is None:
        raise ValidationError({"unit": "请选择所属单位。"})
    require_unit(actor, unit)
    if not unit.is_current:
        raise ValidationError({"unit": f"{unit.name}已撤销，请选择现行单位。"})
    if unit.level == OrgUnit.Level.TOWNSHIP and set(role_codes) & set(roles.AUDIT_READERS):
        raise ValidationError({"roles": TOWNSHIP_LOG_READER})
    if organisation is not None and not scope.unit_in_scope(actor, organisation.unit):
        raise ValidationError({"organisation": "该机构不在您的管辖范围内。"})
    if roles.ENTERPRISE_USER in role_codes:
        if organisation is None or organisation.kind != Organisation.Kind.ENTERPRISE:
            raise ValidationError({"organisation": "企业用户必须隶属于一家企业。"})
        if set(role_codes) != {roles.ENTERPRISE_USER}:
            raise ValidationError({"roles": "企业用户不能同时担任工作人员角色。"})
    if roles.CITY_ADMIN in role_codes and not (
        actor.is_superuser or actor.has_role(roles.CITY_ADMIN)
    ):
        raise PermissionDenied("只有系统管理员可以授予系统管理员角色。")


@transaction.atomic
def create_user(
    actor,
    *,
    username: str,
    password: str,
    unit: OrgUnit,
    role_codes,
    organisation: Organisation | None = None,
    display_name: str = "",
    email: str = "",
) -> User:
    require_role(actor, *roles.USER_ADMINS)
    role_codes = list(role_codes)
    _check_user_assignment(actor, organisation, unit, role_codes)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该用户名已被使用。"})
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        organisation=organisation,
        unit=unit,
    )
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save()
    user.roles.set(Role.objects.filter(code__in=role_codes))
    audit.record(actor, "create_user", user, changes=audit.diff({}, _user_snapshot(user)))
    return user


@transaction.atomic
def update_user(actor, user: User, *, role_codes=None, **changes) -> User:
    require_role(actor, *roles.USER_ADMINS)
    require_unit(actor, user.unit)
    if user.pk == actor.pk and changes.get("is_active") is False:
        raise ValidationError({"is_active": "不能停用自己的账号。"})
    before = _user_snapshot(user)
    for field, value in changes.items():
        if field not in USER_FIELDS or field == "username":
            raise ValidationError({field: "该字段不能修改。"})
        setattr(user, field, value)
    codes = list(role_codes) if role_codes is not None else before["roles"]
    _check_user_assignment(actor, user.organisation, user.unit, codes)
    user.save()
    ended = {}
    if role_codes is not None:
        was_required = twofactor.required(user)
        user.roles.set(Role.objects.filter(code__in=codes))
        user._role_codes = None
        if not was_required and twofactor.required(user):
            count = twofactor.end_password_only_tokens(User.objects.filter(pk=user.pk))
            ended = {"tokens_ended": [None, count]} if count else {}
    audit.record(
        actor, "update_user", user, changes=audit.diff(before, _user_snapshot(user)) | ended
    )
    return user


@transaction.atomic
def set_user_password(actor, user: User, password: str) -> None:
    if actor.pk != user.pk:
        require_role(actor, *roles.USER_ADMINS)
        require_unit(actor, user.unit)
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    auth.end_tokens(user)
    audit.record(actor, "set_password", user, changes={"password": ["***", "***"]})


@transaction.atomic
def create_organisation(
    actor, *, kind: str, unit: OrgUnit, name: str, uscc: str = ""
) -> Organisation:
    require_role(actor, *roles.USER_ADMINS)
    require_unit(actor, unit)
    name, uscc = name.strip(), uscc.strip().upper()
    errors = {}
    if kind not in Organisation.Kind.values:
        errors["kind"] = "请选择机构类型。"
    if not name:
        errors["name"] = "请填写机构名称。"
    if kind == Organisation.Kind.ENTERPRISE and not stdnum_uscc.is_valid(uscc):
        errors["uscc"] = "企业机构必须填写有效的统一社会信用代码。"
    if kind != Organisation.Kind.ENTERPRISE and uscc:
        errors["uscc"] = "只有企业机构填写统一社会信用代码。"
    if not errors and Organisation.objects.filter(kind=kind, unit=unit, name=name).exists():
        errors["name"] = "该单位下已有同名同类机构。"
    if errors:
        raise ValidationError(errors)
    organisation = Organisation.objects.create(kind=kind, unit=unit, name=name, uscc=uscc)
    audit.record(
        actor,
        "create_organisation",
        organisation,
        changes=audit.diff({}, {"kind": kind, "name": name, "uscc": uscc}),
    )
    return organisation


def ensure_organisation(
    actor, *, kind: str, unit: OrgUnit, name: str, uscc: str = ""
) -> Organisation:
    """The organisation with this kind, unit and name; created if missing (commands, demo)."""
    existing = Organisation.objects.filter(kind=kind, unit=unit, name=name.strip()).first()
    return existing or create_organisation(actor, kind=kind, unit=unit, name=name, uscc=uscc)


def rebuild_unit_tree() -> None:
    """Recompute every unit's path and current successor (about a thousand rows)."""
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}

    def path_of(unit: OrgUnit) -> str:
        parts = []
        node = unit
        while node is not None:
            parts.append(node.code)
            node = units.get(node.parent_id)
        return "/".join(reversed(parts)) + "/"

    def current_of(unit: OrgUnit) -> OrgUnit:
        seen = set()
        node = unit
        while node.successor_id and node.successor_id not in seen:
            seen.add(node.pk)
            node = units[node.successor_id]
        return node

    changed = []
    for unit in units.values():
        path, current = path_of(unit), current_of(unit)
        if unit.path != path or unit.current_id != current.pk:
            unit.path, unit.current_id = path, current.pk
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["path", "current"], batch_size=500)
    scope.invalidate_unit_cache()


@transaction.atomic
def end_org_unit(actor, unit: OrgUnit, *, valid_to: date, successor: OrgUnit | None) -> OrgUnit:
    """Record a division change: ``unit`` ends on ``valid_to`` and ``successor`` takes over."""
    require_role(actor, roles.CITY_ADMIN)
    if successor is not None and successor.pk == unit.pk:
        raise ValidationError({"successor": "承继单位不能是其自身。"})
    if unit.valid_from and valid_to < unit.valid_from:
        raise ValidationError({"valid_to": "终止日期不能早于生效日期。"})
    before = {"valid_to": unit.valid_to, "successor": unit.successor}
    unit.valid_to, unit.successor = valid_to, successor
    unit.save(update_fields=["valid_to", "successor"])
    rebuild_unit_tree()
    audit.record(
        actor,
        "end_org_unit",
        unit,
        object_id=unit.code,
        changes=audit.diff(before, {"valid_to": valid_to, "successor": successor}),
    )
    return unit


@transaction.atomic
def set_parameter(
    actor,
    *,
    code: str,
    valid_from: date,
    value: Decimal,
    source: str,
    unit: OrgUnit | None = None,
    note: str = "",
) -> DatedParameter:
    """Record the value of ``code`` from ``valid_from`` (a correction replaces that day's row)."""
    require_role(actor, roles.CITY_ADMIN)
    errors = {}
    if not re.fullmatch(r"[a-z][a-z0-9_]{1,63}", code or ""):
        errors["code"] = "参数代码只能包含小写字母、数字和下划线。"
    if not source.strip():
        errors["source"] = "请注明依据（文件名称、文号或条款）。"
    if value is None or value < 0:
        errors["value"] = "数值不能为空或负数。"
    if unit is not None and unit.level == OrgUnit.Level.TOWNSHIP:
        errors["unit"] = "参数只能设在全市或区县级单位。"
    if errors:
        raise ValidationError(errors)
    existing = (
        DatedParameter.objects.select_for_update(of=("self",))
        .filter(code=code, unit=unit, valid_from=valid_from)
        .first()
    )
    before = (
        {"value": existing.value, "source": existing.source, "note": existing.note}
        if (existing)
        else {}
    )
    value = value.quantize(Decimal("0.0001"))  # as the column stores it
    parameter = existing or DatedParameter(code=code, unit=unit, valid_from=valid_from)
    parameter.value, parameter.source, parameter.note = value, source.strip(), note.strip()
    parameter.save()
    after = {"value": parameter.value, "source": parameter.source, "note": parameter.note}
    audit.record(actor, "set_parameter", parameter, unit=unit, changes=audit.diff(before, after))
    return parameter


def system_actor() -> User:
    """The account that command-line and demo changes are audited under; it cannot log in."""
    user, created = User.objects.get_or_create(
        username="system", defaults={"is_superuser": True, "display_name": "系统"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# --- messages and urging ---------------------------------------------------------------------

# Who may urge a case's handler: the managing staff of the case's unit or a unit above it.
URGERS = (roles.CITY_ADMIN, roles.DISTRICT_STAFF)


@transaction.atomic
def urge_case(actor, case, *, note: str, expected_version: int | None = None):
    """催办: a superior asks the handler to move a case on. Recorded on the case's timeline,
    audited, and sent to the handler as a message (once per urger, case and day). Urging does
    not change the case, so ``expected_version`` (the API's common argument) is not checked."""
    from django.utils import timezone

    from . import cases, inbox
    from .permissions import require_record

    require_role(actor, *URGERS)
    require_record(actor, case)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "请写明催办事项。"})
    if not case.is_open:
        raise ValidationError("该案件已办结，无需催办。", code="invalid_state")
    if case.assigned_to_id is None:
        raise ValidationError("该案件尚未分派承办人，请先分派。", code="invalid_state")
    if case.assigned_to_id == actor.pk:
        raise ValidationError("不能催办本人承办的案件。", code="invalid_state")
    today = timezone.localdate()
    key = f"urge:{case._meta.label_lower}:{case.pk}:{actor.pk}:{today:%Y%m%d}"
    sent = inbox.send(
        [case.assigned_to_id],
        inbox.Kind.URGE,
        f"{actor}催办：{note[:150]}",
        url=cases.case_url(case),
        body=note,
        sender=actor,
        key=key,
    )
    if not sent:
        raise ValidationError("您今天已催办过该案件。", code="invalid_state")
    cases.add_event(case, actor, "urged", f"{actor}催办：{note[:450]}")
    audit.record(actor, "urge_case", case, changes={"note": [None, note]})
    return case


@transaction.atomic
def mark_messages_read(actor, ids=None) -> int:
    """Mark the actor's own messages read (all unread ones when ``ids`` is None). Reading one's
    inbox changes nothing anyone else sees, so it is not audited."""
    from django.utils import timezone

    from .models import Message

    unread = Message.objects.filter(recipient=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
