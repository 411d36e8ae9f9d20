"""The audit trail: one entry per change of state, written inside the service's transaction."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from importlib import import_module

from django.db import models
from django.utils import timezone

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


def record_many(actor, action: str, objects, changes_for, *, at=None) -> None:
    """``record`` for a set-based write (an import): one entry per object, inserted in bulk.
    ``changes_for(obj)`` gives each entry's changes."""
    ctx = requestcontext.current()
    at = at or timezone.now()
    AuditEntry.objects.bulk_create(
        [
            AuditEntry(
                at=at,
                actor=actor if getattr(actor, "pk", None) else None,
                actor_username=getattr(actor, "username", "") or "",
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:200],
                unit=getattr(obj, "unit", None),
                changes=changes_for(obj),
                request_id=ctx.request_id if ctx else "",
                ip=ctx.ip if ctx else None,
            )
            for obj in objects
        ],
        batch_size=1000,
    )


# --- reading the trail in Chinese --------------------------------------------------------------
# Each app lists its action codes (and the change keys that are not model fields) in an
# `audit_labels` module; core collects them once at start-up so the trail never shows a raw code.

_ACTION_LABELS: dict[str, str] = {}
_FIELD_LABELS: dict[str, str] = {}
# change keys whose stored values are codes of the app's own (e.g. role codes): code -> label
_VALUE_LABELS: dict[str, dict[str, str]] = {}
EMPTY = "（空）"
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def register_labels(
    *, actions: dict | None = None, fields: dict | None = None, values: dict | None = None
) -> None:
    _ACTION_LABELS.update(actions or {})
    _FIELD_LABELS.update(fields or {})
    _VALUE_LABELS.update(values or {})


def discover_labels() -> None:
    from django.apps import apps
    from django.utils.module_loading import module_has_submodule

    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "audit_labels"):
            module = import_module(f"{config.name}.audit_labels")
            register_labels(
                actions=getattr(module, "ACTIONS", None),
                fields=getattr(module, "FIELDS", None),
                values=getattr(module, "VALUES", None),
            )


def action_label(code: str) -> str:
    return _ACTION_LABELS.get(code, code)


def action_choices() -> list[tuple[str, str]]:
    """Every known action, by label: the audit list's 操作 filter."""
    return sorted(_ACTION_LABELS.items(), key=lambda item: item[1])


def object_label(object_type: str) -> str:
    """The model's name in Chinese (``registry.enterprise`` -> 企业), or the code if unknown."""
    from django.apps import apps

    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def has_action_label(code: str) -> bool:
    return code in _ACTION_LABELS


def _model_field(object_type: str, name: str):
    from django.apps import apps
    from django.core.exceptions import FieldDoesNotExist

    try:
        return apps.get_model(object_type)._meta.get_field(name)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None


def field_label(object_type: str, name: str) -> str:
    field = _model_field(object_type, name)
    if field is not None and getattr(field, "verbose_name", None):
        return str(field.verbose_name)
    return _FIELD_LABELS.get(name, name)


def _text(value: str) -> str:
    if _ISO_DATETIME.match(value):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            return value
        if timezone.is_aware(moment):
            moment = timezone.localtime(moment)
        return moment.strftime("%Y-%m-%d %H:%M")
    return value


def display_value(value, field=None) -> str:
    """A stored change value as a user would write it: 是/否, choice labels, local date-time."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if field is not None and getattr(field, "flatchoices", None):
        labels = {str(key): str(label) for key, label in field.flatchoices}
        if isinstance(value, list):
            return "、".join(labels.get(str(item), display_value(item)) for item in value)
        if str(value) in labels:
            return labels[str(value)]
    if isinstance(value, list):
        return "、".join(display_value(item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{key}：{display_value(item)}" for key, item in value.items())
    if isinstance(value, str):
        return _text(value)
    return str(value)


class _Coded:
    """Stands in for a model field with choices, for a change key whose values are codes."""

    def __init__(self, labels: dict[str, str]):
        self.flatchoices = list(labels.items())


def display_changes(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field label, before, after) rows; tolerant of every shape a service has ever stored."""
    changes = entry.changes if isinstance(entry.changes, dict) else {"": entry.changes}
    rows = []
    for name, pair in changes.items():
        field = _model_field(entry.object_type, name)
        if name in _VALUE_LABELS:
            field = _Coded(_VALUE_LABELS[name])
        if isinstance(pair, (list, tuple)) and len(pair) == 2:
            before, after = pair
        else:
            before, after = None, pair
        rows.append(
            (
                field_label(entry.object_type, name),
                display_value(before, field),
                display_value(after, field),
            )
        )
    return rows
