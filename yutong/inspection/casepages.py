"""App-agnostic pieces of a case page and a work queue: the action registry, the deadline
badge, the clock panel, the queue tabs and the posting of one action.

Nothing here names an inspection model: this module is written to move to ``yutong/core`` as is
(disputes/views.py has its own versions of the same ideas: ``Action``, ``due_info``,
``_clock_panel``, the tabs of ``_queue_page``, ``_is_conflict`` and ``case_action``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from yutong.core import cases, clocks
from yutong.core.permissions import can
from yutong.core.viewutils import add_service_errors

CONFLICT_MESSAGE = "该记录已被他人处理，请刷新页面查看最新情况后再操作。"
STALE_FORM_MESSAGE = "页面已过期，请刷新页面后再操作。"


@dataclass(frozen=True)
class Action:
    """One thing that can be done on a page: its form, who may, when, and the one service."""

    name: str
    title: str
    form: type
    roles: tuple
    allowed: Callable[[Any], bool]
    run: Callable[[Any, Any, dict], Any]
    done: Callable[[Any], str]
    button: str = "保存"
    style: str = "primary"
    form_kwargs: Callable[[Any], dict] = field(default=lambda obj: {})


def due_info(case, today: date) -> dict | None:
    """What a list shows of an open case's deadline, from the stored ``due_on``."""
    if case.due_on is None or not case.is_open:
        return None
    if case.clock_unit == clocks.WORKING:
        left = clocks.working_days_between(today, case.due_on)
    else:
        left = (case.due_on - today).days
    overdue = case.due_on < today
    return {
        "on": case.due_on,
        "left": left,
        "overdue_by": -left,
        "overdue": overdue,
        # In the clock's own unit: 5 working days for a working-day clock.
        "soon": not overdue and left <= cases.DUE_SOON_DAYS,
        "provisional": not clocks.calendar_known(case.due_on),
        "unit": "工作日" if case.clock_unit == clocks.WORKING else "日",
    }


def clock_panel(case, today: date) -> dict:
    """The clock of a case page: state as of today, extensions, suspensions and restarts."""
    changes = list(case.clock_changes.select_related("recorded_by").order_by("at", "id"))
    deadline = case.deadline()
    panel: dict = {
        "start": case.clock_start,
        "length": case.clock_length,
        "unit": case.get_clock_unit_display(),
        "changes": changes,
        "extensions": [c for c in changes if c.kind == "extension"],
        "state": None,
        "final_due": None,
        "provisional": False,
    }
    if deadline is None:
        return panel
    panel["total"] = deadline.total
    panel["provisional"] = not deadline.calendar_known
    if case.is_open:
        panel["state"] = deadline.state(today, warn_within=cases.DUE_SOON_DAYS)
        panel["overdue_by"] = -panel["state"].days_left
    else:
        panel["final_due"] = deadline.due
        panel["in_time"] = deadline.due is None or case.ended_on <= deadline.due
    return panel


def queue_tabs(request, counts: dict, current: str) -> list[dict]:
    tabs = []
    for name, label in cases.QUEUES.items():
        params = request.GET.copy()
        params.pop("page", None)
        params["queue"] = name
        tabs.append(
            {
                "name": name,
                "label": label,
                "count": counts[name],
                "active": name == current,
                "query": params.urlencode(),
            }
        )
    return tabs


def queue_name(request) -> str:
    name = request.GET.get("queue", "unit")
    return name if name in cases.QUEUES else "unit"


def is_conflict(exc: ValidationError) -> bool:
    if getattr(exc, "code", None) == "conflict":
        return True
    return any(getattr(e, "code", None) == "conflict" for e in getattr(exc, "error_list", []))


def action_forms(user, actions: dict, obj, url_for, bound=None) -> list[dict]:
    """The action forms the user may use on ``obj`` now (plus the one posted with errors)."""
    shown = []
    for action in actions.values():
        if not can(user, *action.roles):
            continue
        is_bound = bound is not None and bound[0] == action.name
        if not is_bound and not action.allowed(obj):
            continue
        form = bound[1] if is_bound else action.form(obj=obj, **action.form_kwargs(obj))
        form.auto_id = f"id_{action.name}_%s"  # several forms on one page
        shown.append({"action": action, "form": form, "url": url_for(action), "open": is_bound})
    return shown


def post_action(request, action: Action, obj, detail_url: str, render_with_errors):
    """Run one posted action through its service; errors come back on its form."""
    form = action.form(request.POST, obj=obj, **action.form_kwargs(obj))
    if form.is_valid():
        try:
            result = action.run(request.user, obj, dict(form.cleaned_data))
        except ValidationError as exc:
            if is_conflict(exc):
                messages.error(request, CONFLICT_MESSAGE)
                return redirect(detail_url)
            add_service_errors(form, exc)
        else:
            messages.success(request, action.done(result))
            return redirect(detail_url)
    elif "version" in form.errors:
        messages.error(request, STALE_FORM_MESSAGE)
        return redirect(detail_url)
    return render_with_errors((action.name, form))
