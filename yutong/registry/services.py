"""Changes of state for the registry: register and edit enterprises (one transaction each)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from yutong.core import audit, roles
from yutong.core.models import OrgUnit
from yutong.core.permissions import require_role, require_unit
from yutong.core.personal import blind_index, mask_phone, normalise_phone

from .models import Enterprise
from .validators import normalise_uscc

EDITABLE_FIELDS = (
    "name",
    "unit",
    "township",
    "park",
    "industry",
    "ownership",
    "employee_count",
    "status",
    "union_established",
    "address",
    "legal_representative",
    "contact_phone",
)


def snapshot(enterprise: Enterprise) -> dict:
    """Field values for the audit trail; personal data only in masked form."""
    data = {field: getattr(enterprise, field) for field in ("uscc", *EDITABLE_FIELDS)}
    data["contact_phone"] = mask_phone(enterprise.contact_phone)
    return data


def check_placement(enterprise: Enterprise, recorded: Enterprise | None = None) -> None:
    """The unit is a district-level unit in force; the township and park lie inside it.

    A record keeps the unit of its time: an edit that leaves an ended unit (or township) as it
    was is accepted; only moving a record *into* an ended unit is refused.
    """
    errors = {}
    unit = enterprise.unit
    today = timezone.localdate()
    kept_unit = recorded is not None and recorded.unit_id == unit.pk
    if unit.level != OrgUnit.Level.DISTRICT:
        errors["unit"] = "所属区县必须是区县级单位。"
    elif not unit.is_valid_on(today) and not kept_unit:
        errors["unit"] = f"{unit.name}已于 {unit.valid_to} 撤销，请选择承继单位。"
    township = enterprise.township
    kept_township = (
        recorded is not None and township is not None and (recorded.township_id == township.pk)
    )
    if township is not None and township.parent_id != unit.pk:
        errors["township"] = f"{township.name}不属于{unit.name}。"
    elif township is not None and not township.is_valid_on(today) and not kept_township:
        errors["township"] = f"{township.name}已撤销。"
    if enterprise.park is not None and enterprise.park.unit_id != unit.pk:
        errors["park"] = f"{enterprise.park.name}不在{unit.name}。"
    if errors:
        raise ValidationError(errors)


def _prepare(enterprise: Enterprise, recorded: Enterprise | None = None) -> None:
    enterprise.uscc = normalise_uscc(enterprise.uscc)
    enterprise.name = (enterprise.name or "").strip()
    enterprise.contact_phone = normalise_phone(enterprise.contact_phone)
    enterprise.full_clean()
    check_placement(enterprise, recorded)
    enterprise.contact_phone_hash = (
        blind_index(enterprise.contact_phone) if enterprise.contact_phone else ""
    )


@transaction.atomic
def register_enterprise(actor, **data) -> Enterprise:
    require_role(actor, *roles.REGISTRY_EDITORS)
    unknown = set(data) - {"uscc", *EDITABLE_FIELDS}
    if unknown:
        raise ValidationError({field: "未知字段。" for field in unknown})
    enterprise = Enterprise(**data)
    if enterprise.unit_id is None:
        raise ValidationError({"unit": "请选择所属区县。"})
    require_unit(actor, enterprise.unit)
    _prepare(enterprise)
    enterprise.save()
    audit.record(
        actor, "register_enterprise", enterprise, changes=audit.diff({}, snapshot(enterprise))
    )
    return enterprise


@transaction.atomic
def update_enterprise(
    actor, enterprise: Enterprise, *, expected_version: int | None = None, **changes
) -> Enterprise:
    """Apply ``changes``; refuse if someone else saved the record since ``expected_version``."""
    require_role(actor, *roles.REGISTRY_EDITORS)
    require_unit(actor, enterprise.unit)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: "该字段不能修改。" for field in unknown})
    current = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            "该企业信息已被他人修改，请刷新页面查看最新内容后再保存。", code="conflict"
        )
    before = snapshot(current)
    recorded = Enterprise(unit_id=current.unit_id, township_id=current.township_id)
    for field, value in changes.items():
        setattr(current, field, value)
    require_unit(actor, current.unit)
    _prepare(current, recorded)
    after = snapshot(current)
    delta = audit.diff(before, after)
    if delta:
        current.version = F("version") + 1
        current.updated_at = timezone.now()
        current.save()
        current.refresh_from_db()
        audit.record(actor, "update_enterprise", current, changes=delta)
    return current
