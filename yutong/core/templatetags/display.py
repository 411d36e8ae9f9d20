"""One way to write each kind of value on pages: ``{% load display %}``.

- ``ratio|percent``: a share stored as a fraction (0.931) as users read it, "93.1%".
- ``day|day``: a date as ``2026-12-07``; a date-time as ``2026-12-07 09:30`` (local time).
- ``number|case_no``: a case number, or "（待受理）" while none is given yet.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

register = template.Library()

EMPTY = "—"
NO_NUMBER = "（待受理）"


@register.filter
def percent(ratio, digits: int = 1) -> str:
    if ratio is None or ratio == "":
        return EMPTY
    step = Decimal(1).scaleb(-int(digits))
    value = (Decimal(str(ratio)) * 100).quantize(step, ROUND_HALF_UP)
    return f"{value}%"


@register.filter
def day(value) -> str:
    if not value:
        return EMPTY
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.strftime("%Y-%m-%d")
    return str(value)


@register.filter
def case_no(number) -> str:
    return number or NO_NUMBER
