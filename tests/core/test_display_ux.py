"""Issue 12: one way to write case numbers, dates and rates (the ``display`` filters)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.template import Context, Template

from yutong.disputes.models import ArbitrationCase, MediationCase
from yutong.inspection.models import InspectionCase


def render(text: str, **context) -> str:
    return Template("{% load display %}" + text).render(Context(context))


def test_percent():
    assert render("{{ r|percent }}", r=0.931) == "93.1%"
    assert render("{{ r|percent }}", r=Decimal("0.5")) == "50.0%"
    assert render("{{ r|percent:0 }}", r=0.9315) == "93%"
    assert render("{{ r|percent }}", r=None) == "—"


def test_day():
    assert render("{{ d|day }}", d=date(2026, 1, 5)) == "2026-01-05"
    utc = datetime(2026, 1, 5, 1, 30, tzinfo=ZoneInfo("UTC"))
    assert render("{{ d|day }}", d=utc) == "2026-01-05 09:30"  # shown in Chongqing time
    assert render("{{ d|day }}", d=None) == "—"


def test_case_no():
    assert render("{{ c|case_no }}", c=ArbitrationCase(pk=7, number="渝劳人仲案字〔2026〕1号")) == (
        "渝劳人仲案字〔2026〕1号"
    )
    assert render("{{ c|case_no }}", c=ArbitrationCase(pk=7)) == "待受理（收件 7）"
    materials = ArbitrationCase(pk=7, status="materials_requested")
    assert render("{{ c|case_no }}", c=materials) == "待受理（收件 7）"
    assert render("{{ c|case_no }}", c=MediationCase(pk=3)) == "调3"
    assert render("{{ c|case_no }}", c=InspectionCase(pk=4, number="渝监〔2026〕4号")) == (
        "渝监〔2026〕4号"
    )


def test_case_no_of_an_application_ended_before_acceptance():
    """Only received / materials-requested applications are "待受理"; a refused one says so."""
    refused = ArbitrationCase(pk=7, status=ArbitrationCase.Status.REFUSED)
    assert render("{{ c|case_no }}", c=refused) == "不予受理（收件 7）"
    withdrawn = ArbitrationCase(
        pk=8, status=ArbitrationCase.Status.CLOSED, closure=ArbitrationCase.Closure.WITHDRAWN
    )
    assert render("{{ c|case_no }}", c=withdrawn) == "撤回申请（收件 8）"
    assert "待受理" not in render("{{ c|case_no }}", c=withdrawn)


def test_money():
    assert render("{{ a|money }}", a=Decimal("1234567.5")) == "1,234,567.50"
    assert render("{{ a|money }}", a=Decimal("0.005")) == "0.01"
    assert render("{{ a|money }}", a=None) == "—"
