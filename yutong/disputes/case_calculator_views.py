"""The claim calculator inside a case (权益计算): /disputes/<kind>/<id>/calculator/.

The same inputs, serializers and Chinese messages as the public calculator
(``calculator_views``), with what the case knows filled in: the unit whose minimum wage and
average wage apply is the commission's or the mediation body's, and the case's claims of the
kinds the calculator computes are shown beside the result. What the case does not record —
dates of employment, wages, hours — is asked, never guessed.

A handler of an open case takes the amount into a claim (…/calculator/apply/): the amount is
computed again from the posted inputs, never taken from the browser, and the change goes
through ``services.change_claims`` (reason, timeline, audit, and for an accepted arbitration
case the tribunal's decision on the award clock).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from yutong.core import casepages
from yutong.core.models import OrgUnit
from yutong.core.money import yuan
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors

from . import calculator_views as calc
from . import forms, services, views
from .calculator import KINDS as CALCULATION_KINDS
from .models import ArbitrationCase, ClaimType

HANDLERS = {
    "mediation": services.MEDIATION_HANDLERS,
    "arbitration": services.ARBITRATION_HANDLERS,
}


def place_unit(case) -> OrgUnit:
    """Where the commission or the mediation body sits: its minimum wage and average wage."""
    return case.commission.unit if isinstance(case, ArbitrationCase) else case.body.unit


def known_inputs(case) -> dict:
    """The calculator's inputs the case records. Only the unit: a dispute holds no dates of
    employment or wages, and a city-level commission has no district minimum-wage tier."""
    unit = place_unit(case)
    return {"unit": unit.code} if unit.level == OrgUnit.Level.DISTRICT else {}


def _calculator_url(kind_code: str, case, suffix: str = "") -> str:
    name = f"disputes:{kind_code}_calculator{suffix}"
    return reverse(name, args=[case.pk])


def _may_take(user, kind_code: str, case) -> bool:
    return case.is_open and can(user, *HANDLERS[kind_code])


def _calculation_kind(source: Mapping, by_kind: dict) -> str:
    """The kind asked for; else the first kind the case claims; else the default."""
    asked = source.get("kind")
    if asked in CALCULATION_KINDS:
        return asked
    return next((kind for kind, claims in by_kind.items() if claims), calc.DEFAULT_KIND)


def _take_form(request, case, kind: str, claims, data=None):
    claim_type = ClaimType.objects.get(pk=calc.CLAIM_TYPE_OF_KIND[kind])
    return forms.TakeAmountForm(data, case=case, claim_type=claim_type, claims=claims)


def _render(request, kind_code, case, *, kind, values, calculation, errors, take=None, status=200):
    by_kind = calc.claims_by_kind(case)
    claims = by_kind[kind]
    may_take = _may_take(request.user, kind_code, case)
    if calculation is not None and may_take and take is None:
        take = _take_form(request, case, kind, claims)
    unit = place_unit(case)
    context = {
        "case_kind": views.KINDS[kind_code],
        "case": case,
        "case_url": reverse(f"disputes:{kind_code}_detail", args=[case.pk]),
        "calculator_url": _calculator_url(kind_code, case),
        "take_url": _calculator_url(kind_code, case, "_apply"),
        "kinds": calc.kind_choices(),
        "kind": kind,
        "kind_label": CALCULATION_KINDS[kind][0],
        "fields": calc.input_fields(kind, values, errors),
        "non_field_errors": calc.form_errors(errors),
        "units": calc.unit_choices(),
        "calculation": calculation,
        "unit": unit,
        "unit_known": "unit" in known_inputs(case),
        "claims": claims,
        "comparisons": [
            {
                "claim": c,
                "difference": calculation.amount - c.amount,
                "gap": abs(calculation.amount - c.amount),
            }
            for c in claims
            if calculation is not None and c.amount is not None
        ],
        "may_take": may_take,
        "take": take if calculation is not None else None,
    }
    return render(request, "disputes/case_calculator.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def case_calculator(request, pk: int, kind: str):
    """Fill in, calculate, see the amount, its trace and the case's claims of the kind."""
    case = views.case_for(request, kind, pk)
    source = request.POST if request.method == "POST" else request.GET
    calculation_kind = _calculation_kind(source, calc.claims_by_kind(case))
    if request.method == "POST":
        calculation, errors, status = calc.calculate_posted(request, calculation_kind, staff=True)
        values = request.POST
    else:
        calculation, errors, status = None, {}, 200
        values = calc.initial_values(calculation_kind, known_inputs(case))
    return _render(
        request,
        kind,
        case,
        kind=calculation_kind,
        values=values,
        calculation=calculation,
        errors=errors,
        status=status,
    )


@login_required
@require_POST
def case_calculator_apply(request, pk: int, kind: str):
    """Compute again from the posted inputs and take the amount into a claim of the case."""
    require_role(request.user, *HANDLERS[kind])
    case = views.case_for(request, kind, pk)
    calculation_kind = _calculation_kind(request.POST, calc.claims_by_kind(case))
    calculation, errors, status = calc.calculate_posted(request, calculation_kind, staff=True)
    render_kwargs = {"kind": calculation_kind, "values": request.POST, "errors": errors}
    if calculation is None:
        return _render(request, kind, case, calculation=None, status=status, **render_kwargs)
    claims = calc.claims_by_kind(case)[calculation_kind]
    take = _take_form(request, case, calculation_kind, claims, request.POST)
    if take.is_valid():
        try:
            changed = _take(request.user, case, take, calculation_kind, calculation.amount)
        except ValidationError as exc:
            if casepages.is_conflict(exc):
                messages.error(request, views.CONFLICT_MESSAGE)
                return redirect(reverse(f"disputes:{kind}_detail", args=[case.pk]))
            add_service_errors(take, exc)
        else:
            messages.success(request, changed)
            return redirect(reverse(f"disputes:{kind}_detail", args=[case.pk]))
    elif "version" in take.errors:
        messages.error(request, casepages.STALE_FORM_MESSAGE)
        return redirect(reverse(f"disputes:{kind}_detail", args=[case.pk]))
    return _render(request, kind, case, calculation=calculation, take=take, **render_kwargs)


def _take(user, case, take: forms.TakeAmountForm, kind: str, amount) -> str:
    data = take.cleaned_data
    label = CALCULATION_KINDS[kind][0]
    code = calc.CLAIM_TYPE_OF_KIND[kind]
    if data["target"] == "new":
        add, change = [{"claim_type": code, "amount": amount, "description": "权益计算"}], []
    else:
        add, change = [], [{"claim": int(data["target"]), "amount": amount}]
    services.change_claims(
        user,
        case,
        reason=data["reason"],
        add=add,
        change=change,
        basis=f"依权益计算器计算{label} {yuan(amount)} 元",
        expected_version=data["version"],
        **take.restart_data(),
    )
    return f"已将计算结果 {yuan(amount)} 元计入请求事项（{label}）。"
