"""Settings and targets of the indicators (city administrators): each indicator's description
and options (a form generated from ``definitions.Option``), the default target of each year
and units' own targets. Every change is one call of ``services`` (checked, audited); a change
made meanwhile by someone else is refused with the stale-version message (409)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from yutong.core.permissions import require_role
from yutong.core.viewutils import add_service_errors

from . import services
from .forms import OptionsForm, TargetForm
from .models import Indicator, IndicatorTarget

TEMPLATE = "indicators/settings.html"


def _page(request, *, bound=None, status=200, conflict=""):
    """The settings page; ``bound`` is the form that failed, shown with its errors."""
    require_role(request.user, *services.EDITORS)
    targets = IndicatorTarget.objects.select_related("unit").order_by("year", "unit__code")
    by_indicator: dict = {}
    for target in targets:
        by_indicator.setdefault(target.indicator_id, []).append(target)
    sections = []
    for indicator in Indicator.objects.all():
        options = OptionsForm(indicator=indicator)
        target_form = TargetForm(indicator=indicator)
        if isinstance(bound, OptionsForm) and bound.indicator.pk == indicator.pk:
            options = bound
        if isinstance(bound, TargetForm) and bound.indicator.pk == indicator.pk:
            target_form = bound
        rows = by_indicator.get(indicator.pk, [])
        sections.append(
            {
                "indicator": indicator,
                "options_form": options,
                "target_form": target_form,
                "defaults": [t for t in rows if t.unit_id is None],
                "own": [t for t in rows if t.unit_id is not None],
            }
        )
    context = {"sections": sections, "conflict": conflict}
    return render(request, TEMPLATE, context, status=status)


def _back(indicator: Indicator):
    return redirect(f"{reverse('indicators:settings')}#{indicator.code}")


@login_required
@require_GET
def settings_page(request):
    return _page(request)


@login_required
@require_POST
def update_options(request, code: str):
    require_role(request.user, *services.EDITORS)
    indicator = get_object_or_404(Indicator, code=code)
    form = OptionsForm(request.POST, indicator=indicator)
    if not form.is_valid():
        return _page(request, bound=form, status=400)
    try:
        services.update_settings(
            request.user,
            indicator,
            options=form.options(),
            expected_version=form.cleaned_data["version"],
        )
    except ValidationError as exc:
        if getattr(exc, "code", None) == "conflict":
            return _page(request, status=409, conflict=services.STALE_MESSAGE)
        add_service_errors(form, exc)
        return _page(request, bound=form, status=400)
    messages.success(request, f"已保存“{indicator.name}”的口径设置（第 {indicator.version} 版）。")
    return _back(indicator)


@login_required
@require_POST
def set_target(request, code: str):
    require_role(request.user, *services.EDITORS)
    indicator = get_object_or_404(Indicator, code=code)
    form = TargetForm(request.POST, indicator=indicator)
    if not form.is_valid():
        return _page(request, bound=form, status=400)
    data = form.cleaned_data
    try:
        target = services.set_target(
            request.user,
            indicator,
            year=data["year"],
            value=data["value"],
            unit=data["unit"],
            note=data["note"],
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return _page(request, bound=form, status=400)
    whose = target.unit.name if target.unit_id else "全市默认"
    messages.success(
        request, f"已设定“{indicator.name}”{target.year} 年{whose}目标 {target.value}%。"
    )
    return _back(indicator)


@login_required
@require_POST
def remove_target(request, pk: int):
    require_role(request.user, *services.EDITORS)
    target = get_object_or_404(IndicatorTarget.objects.select_related("indicator", "unit"), pk=pk)
    try:
        services.remove_target(request.user, target)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return _page(request, status=400)
    messages.success(
        request, f"已删除{target.unit.name} {target.year} 年的单独目标，改按全市默认目标。"
    )
    return _back(target.indicator)
