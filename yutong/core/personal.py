"""Personal data: encryption at rest, keyed hashes for exact lookup, masking for display.

Resident ID and phone numbers are stored as Fernet ciphertext. A keyed hash (HMAC-SHA256)
of the normalised value sits beside the ciphertext so that "find this ID number" is an
index lookup without decrypting anything. Lists, exports, audit entries and logs only ever
show the masked form.

Pages show the masked form too. An app registers each field a reader may need in full as a
``Revealable`` (who may reveal it, from which records); the ``{% personal %}`` tag shows the
mask with a button, and ``reveal`` hands out the full value with an audit entry. Edit forms
use ``MaskedFieldsMixin``: the mask is pre-filled and coming back unchanged keeps the number.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import models, transaction
from stdnum.cn import ric


@lru_cache(maxsize=4)
def _keys(secret: str) -> tuple[Fernet, bytes]:
    fernet_key = hashlib.sha256(b"yutong-field-encryption:" + secret.encode()).digest()
    hash_key = hashlib.sha256(b"yutong-blind-index:" + secret.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(fernet_key)), hash_key


def encrypt(value: str) -> str:
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    return fernet.encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    fernet, _ = _keys(settings.FIELD_ENCRYPTION_KEY)
    try:
        return fernet.decrypt(token.encode()).decode()
    except InvalidToken as exc:  # wrong key: never fall back to showing ciphertext
        raise ValueError("personal data cannot be decrypted with the configured key") from exc


def blind_index(value: str) -> str:
    """Keyed hash of a normalised value, for exact-match lookups."""
    _, hash_key = _keys(settings.FIELD_ENCRYPTION_KEY)
    normalised = re.sub(r"[\s-]", "", value).upper()
    return hmac.new(hash_key, normalised.encode(), hashlib.sha256).hexdigest()[:40]


class EncryptedTextField(models.TextField):
    """Stores its value encrypted; reads it back decrypted. Not usable in lookups."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


def normalise_phone(value: str) -> str:
    return re.sub(r"[\s]", "", value or "")


def is_valid_phone(value: str) -> bool:
    return bool(PHONE_RE.match(normalise_phone(value)))


def normalise_resident_id(value: str) -> str:
    return re.sub(r"\s", "", ric.compact(value or "")).upper()


# GB/T 2260 province-level codes (the first two digits of a resident ID).
_PROVINCES = frozenset(
    str(code)
    for code in (11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44)
    + (45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82)
)


def is_valid_resident_id(value: str) -> bool:
    """Length, digits, birth date and check digit (GB 11643).

    Not stdnum's full ``validate``: it also requires the address code to have existed on the
    birth date, but the code is that of the office that first issued the number. Everybody
    registered in 渝中区 after 1997 has 500103 whatever their birth year, so that test would
    turn away most adults of the city.
    """
    number = normalise_resident_id(value)
    if len(number) != 18 or not number[:17].isdigit() or number[:2] not in _PROVINCES:
        return False
    if number[-1] != ric.calc_check_digit(number):
        return False
    try:
        birth = ric.get_birth_date(number)
    except Exception:  # stdnum's InvalidComponent for an impossible date
        return False
    return birth <= date.today()


def mask_phone(value: str | None) -> str:
    if not value:
        return ""
    digits = normalise_phone(value)
    if len(digits) == 11 and digits.startswith("1"):
        return digits[:3] + "****" + digits[-4:]
    return "*" * max(0, len(digits) - 4) + digits[-4:]


def mask_resident_id(value: str | None) -> str:
    if not value:
        return ""
    compact = normalise_resident_id(value)
    if len(compact) < 8:
        return "*" * len(compact)
    return compact[:4] + "*" * (len(compact) - 8) + compact[-4:]


# Sequences that look like a resident ID (18 chars) or a mobile number, for scrubbing logs.
_LOG_PATTERNS = (
    re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[0-9Xx])(?![0-9A-Za-z])"),
    re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)"),
)


def scrub(text: str) -> str:
    text = _LOG_PATTERNS[0].sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    return _LOG_PATTERNS[1].sub(lambda m: m.group(1) + "****" + m.group(3), text)


# --- revealing a masked value, audited ---------------------------------------------------------

PHONE = "phone"
RESIDENT_ID = "resident_id"
MASKS = {PHONE: mask_phone, RESIDENT_ID: mask_resident_id}


@dataclass(frozen=True)
class Revealable:
    """A field whose full value some readers may see on demand.

    ``records(user)`` is the app's scoped query of the records whose value this user may
    reveal (its role rules included: never the employer for a complainant, for example);
    ``permitted(user)`` is the cheap role check that decides whether the button is shown.
    """

    key: str
    label: str
    field: str
    kind: str
    permitted: Callable[..., bool]
    records: Callable[..., models.QuerySet]
    unit: Callable[..., object] | None = None  # the unit the audit entry is filed under

    def mask(self, value: str | None) -> str:
        return MASKS[self.kind](value)

    def value(self, record) -> str:
        return getattr(record, self.field) or ""


_REVEALABLE: dict[str, Revealable] = {}


def register_revealable(revealable: Revealable) -> Revealable:
    if _REVEALABLE.setdefault(revealable.key, revealable) is not revealable:
        raise ValueError(f"revealable field {revealable.key!r} registered twice")
    return revealable


def revealable(key: str) -> Revealable:
    try:
        return _REVEALABLE[key]
    except KeyError:
        raise ObjectDoesNotExist(key) from None


def reveal(user, key: str, pk: int) -> str:
    """The full value of ``key`` on record ``pk``, with an audit entry saying who saw it.

    Raises ``PermissionDenied`` for a reader without the role and ``ObjectDoesNotExist`` for a
    record outside the reader's scope (the view answers 404: nothing leaks)."""
    from . import audit  # audit imports the core models, which import this module's fields

    spec = revealable(key)
    if not spec.permitted(user):
        raise PermissionDenied
    record = spec.records(user).get(pk=pk)
    value = spec.value(record)
    if value:
        with transaction.atomic():
            audit.record(
                user,
                "reveal_personal_data",
                record,
                changes={"revealed": [None, f"{spec.label} {spec.mask(value)}"]},
                unit=spec.unit(record) if spec.unit else None,
            )
    return value


class MaskedFieldsMixin:
    """An edit form for a record holding personal numbers: the form shows the masks; a mask
    posted back unchanged keeps the stored number, anything else typed replaces it. A form
    shown again after an error still shows the mask, never the number.

    Set ``masked_fields = {"contact_phone": PHONE, ...}``; the record is ``self.instance`` (a
    ModelForm) or the ``masked_record`` keyword."""

    masked_fields: dict[str, str] = {}

    def __init__(self, *args, masked_record=None, **kwargs):
        super().__init__(*args, **kwargs)
        record = masked_record or getattr(self, "instance", None)
        if record is None or getattr(record, "pk", None) is None:
            return
        for name, kind in self.masked_fields.items():
            stored = getattr(record, name) or ""
            if stored and name in self.fields:
                self.initial[name] = MASKS[kind](stored)
                _keep_behind_mask(self.fields[name], MASKS[kind](stored), stored)


def _keep_behind_mask(field, mask: str, stored: str) -> None:
    """The form's own copy of the field reads its mask as the stored number."""
    clean = field.clean

    def clean_keeping(value):
        if isinstance(value, str) and value.strip() == mask:
            return stored
        return clean(value)

    field.clean = clean_keeping
    field.widget.attrs.setdefault("autocomplete", "off")
    field.help_text = field.help_text or "部分隐藏显示；不修改则保留原号码。"
