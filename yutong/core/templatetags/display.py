"""One way to write each kind of value on pages: ``{% load display %}``.

- ``ratio|percent``: a share stored as a fraction (0.931) as users read it, "93.1%".
- ``amount|money``: an amount of yuan with thousands separators and two decimals,
  "1,234,567.50" (``yutong.core.money.yuan``, which text built in Python uses too);
  ``count|number`` a whole number with separators, "1,234,567".
- ``day|day``: a date as ``2026-12-07``; a date-time as ``2026-12-07 09:30`` (local time).
- ``day|cn_day``: on printed documents (notices, decisions, agreements) a date as
  ``2026年1月5日``, the form of an official document; the screens use ``day``.
- ``case|case_no``: a case's number (or a complaint's reference); a mediation case, which
  gets no number, as "调<id>"; an application not yet accepted (received, materials
  requested) as "待受理（收件 <id>）"; one that ended without acceptance as what happened to it,
  e.g. "不予受理（收件 <id>）".
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import timezone

from yutong.core.money import yuan

register = template.Library()

EMPTY = "—"
# Cases that never get a number are named by kind and id.
UNNUMBERED = {"mediationcase": "调{pk}"}
PENDING = "待受理（收件 {pk}）"
# The statuses before acceptance (the same codes in every app's CaseBase subclass); an
# application in another status without a number was refused, redirected or withdrawn.
BEFORE_ACCEPTANCE = {"received", "materials_requested"}
ENDED_UNNUMBERED = "{label}（收件 {pk}）"


@register.filter
def percent(ratio, digits: int = 1) -> str:
    if ratio is None or ratio == "":
        return EMPTY
    step = Decimal(1).scaleb(-int(digits))
    value = (Decimal(str(ratio)) * 100).quantize(step, ROUND_HALF_UP)
    return f"{value}%"


@register.filter
def money(amount) -> str:
    return yuan(amount)


@register.filter
def number(count) -> str:
    """A count with thousands separators; a count already written out (the estimate a large
    list shows, "约 1,030,000") as it is."""
    if count is None or count == "":
        return EMPTY
    if isinstance(count, str) and not count.strip().lstrip("-").isdigit():
        return count
    return f"{int(count):,}"


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
def cn_day(value) -> str:
    if not value:
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value)


@register.filter
def case_no(case) -> str:
    if case is None or case == "":
        return EMPTY
    if isinstance(case, str):
        return case
    number = getattr(case, "number", "") or getattr(case, "reference", "")
    if number:
        return number
    if case._meta.model_name in UNNUMBERED:
        return UNNUMBERED[case._meta.model_name].format(pk=case.pk)
    status = getattr(case, "status", "received")
    if status in BEFORE_ACCEPTANCE:
        return PENDING.format(pk=case.pk)
    return ENDED_UNNUMBERED.format(label=_ended_label(case), pk=case.pk)


def _ended_label(case) -> str:
    """What became of an application that got no number: its closure (a withdrawal), else its
    status (不予受理, 告知向有关部门投诉)."""
    if getattr(case, "closure", ""):
        return case.get_closure_display()
    if hasattr(case, "get_status_display"):
        return case.get_status_display()
    return "未受理"
