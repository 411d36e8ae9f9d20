"""The audit trail: one entry per change of state, written inside the service's transaction."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.db import models

from . import requestcontext
from .models import AuditEntry


def _plain(value):
    if value == "":
        return None  # an empty text field and a missing value read the same in the trail
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def diff(before: dict, after: dict) -> dict:
    """{field: [old, new]} for the fields whose value changed."""
    keys = set(before) | set(after)
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(keys)
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def record(
    actor,
    action: str,
    obj: models.Model,
    *,
    changes: dict | None = None,
    unit=None,
    object_id: str | None = None,
) -> AuditEntry:
    ctx = requestcontext.current()
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_username=getattr(actor, "username", "") or "",
        action=action,
        object_type=obj._meta.label_lower,
        object_id=object_id or str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit if unit is not None else getattr(obj, "unit", None),
        changes=changes or {},
        request_id=ctx.request_id if ctx else "",
        ip=ctx.ip if ctx else None,
    )
