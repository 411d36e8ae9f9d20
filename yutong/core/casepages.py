"""Case pages and work queues, built once for every app.

A case page shows a record, its statutory clock, its timeline and the *actions* the reader may
take on it now. An ``Action`` is a form, who may use it, when it is offered, the one service it
calls and the message after. Posting it (``post_action``) runs the service: its field errors come
back on its own form, while a stale form or a conflict (someone acted first, see
``cases.claim_version``) becomes a message above a fresh page.

Queues are ``cases.queue`` filters shown as tabs with counts (``queue_tabs``); each row's deadline
is ``due_info``, read from the stored ``due_on`` without another query. A queue page and its
export are one ``QueueList`` declaration (the scoped cases, the filter, the sorting, the columns):
the tab, its counts, its work order, the page of 20 and the export of the same rows in the same
order are built here.

The templates that go with it are in ``core/templates/core/``: ``_case_actions.html``,
``_field.html``, ``_clock_panel.html``, ``_timeline.html``, ``_due_badge.html`` and
``_queue_tabs.html``. Nothing here names an app: labels, URLs, the keyword under which an app's
forms take the record, and the conflict message are the caller's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone

from . import cases, clocks, generic
from . import queries as core_queries
from .permissions import can
from .viewutils import add_service_errors

CONFLICT_MESSAGE = "该记录已被他人修改，请刷新页面查看最新情况后再操作。"
STALE_FORM_MESSAGE = "页面已过期，请刷新页面后再操作。"


# --- actions -----------------------------------------------------------------------------------


def form_data(form) -> dict:
    """What a service gets from a valid form: its fields, plus what the form gathers beyond them
    (rows of a formset, award items) through its ``service_data()``."""
    data = dict(form.cleaned_data)
    if hasattr(form, "service_data"):
        data.update(form.service_data())
    return data


def _no_kwargs(request, obj) -> dict:
    return {}


@dataclass(frozen=True)
class Action:
    """One thing that can be done on a page: its form, who may, when, and the one service.

    * ``allowed(obj)``: whether the action is offered in the record's present state.
    * ``run(user, obj, data)``: the service call; ``done(result)``: the message after it.
    * ``form_kwargs(request, obj)``: what the form needs besides the record (choices in scope).
    * ``permitted(user, obj)``: who may, where that depends on the record (an enterprise acting
      on its own application); otherwise the ``roles``.
    * ``gather(form)``: the data the service gets (default ``form_data``).
    * ``errors_as_messages``: the form has nothing to correct (a confirmation button), so a
      refusal is shown on top of the page instead of on the form.
    * ``fields_template``: a template laying out the form's visible fields, for a form that is
      more than a list of fields (claim rows, award items); default one ``core/_field.html`` each.
    """

    name: str
    title: str
    form: type
    roles: tuple
    allowed: Callable[[Any], bool]
    run: Callable[[Any, Any, dict], Any]
    done: Callable[[Any], str]
    button: str = "保存"
    style: str = "primary"
    form_kwargs: Callable[[Any, Any], dict] = _no_kwargs
    permitted: Callable[[Any, Any], bool] | None = None
    gather: Callable[[Any], dict] = form_data
    errors_as_messages: bool = False
    fields_template: str = ""

    def may(self, user, obj) -> bool:
        if self.permitted is not None:
            return self.permitted(user, obj)
        return can(user, *self.roles)

    def make_form(self, request, obj, form_arg: str, data=None):
        return self.form(data, **{form_arg: obj}, **self.form_kwargs(request, obj))


def by_name(*actions: Action) -> dict[str, Action]:
    """The actions of a page, keyed by the name their URL carries, in the order shown."""
    return {action.name: action for action in actions}


def action_forms(
    request, actions: dict, obj, url_for: Callable[[Action], str], bound=None, *, form_arg="obj"
) -> list[dict]:
    """The forms of the actions the reader may use on ``obj`` now, in order, plus the one just
    posted with errors (``bound = (name, form)``) even if its condition no longer holds.

    ``form_arg`` is the keyword under which the app's forms take the record."""
    shown = []
    for action in actions.values():
        if not action.may(request.user, obj):
            continue
        is_bound = bound is not None and bound[0] == action.name
        if not is_bound and not action.allowed(obj):
            continue
        form = bound[1] if is_bound else action.make_form(request, obj, form_arg)
        # Several action forms share a page: their own ids keep each label on its own input.
        form.auto_id = f"id_{action.name}_%s"
        shown.append({"action": action, "form": form, "url": url_for(action), "open": is_bound})
    return shown


class UrgeForm(forms.Form):
    note = forms.CharField(
        label="催办事项",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="承办人会收到站内信；同一案件每人每天催办一次。",
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data)  # the record and the app's form keywords are not needed


def urge_action() -> Action:
    """催办, the same on every kind of case: offered to the managing staff on an open case that
    has a handler other than themself."""
    from . import services

    return Action(
        name="urge",
        title="催办",
        form=UrgeForm,
        roles=services.URGERS,
        allowed=lambda case: case.is_open and case.assigned_to_id is not None,
        permitted=lambda user, case: (
            can(user, *services.URGERS) and case.assigned_to_id not in (None, user.pk)
        ),
        run=lambda user, case, data: services.urge_case(user, case, note=data["note"]),
        done=lambda case: f"已催办，{case.assigned_to} 会收到站内信。",
        button="催办",
        style="outline-warning",
    )


def is_conflict(exc: ValidationError) -> bool:
    """Whether a service refused because the record changed since the form was drawn."""
    if getattr(exc, "code", None) == "conflict":
        return True
    return any(getattr(e, "code", None) == "conflict" for e in getattr(exc, "error_list", []))


def post_action(
    request,
    action: Action,
    obj,
    *,
    detail_url: str,
    render_with_errors: Callable[[tuple], Any],
    form_arg: str = "obj",
    conflict_message: str = CONFLICT_MESSAGE,
    done_url: Callable[[Any], str] | None = None,
):
    """Run one posted action through its service.

    Success: its message, then the record's page (or ``done_url(result)``, e.g. a new record).
    A conflict or a stale form: a message above a fresh page, since the form no longer matches
    the record. Other errors: the page again, with them on the posted form
    (``render_with_errors((name, form))``). The caller checks roles and scope first."""
    form = action.make_form(request, obj, form_arg, request.POST)
    if form.is_valid():
        try:
            result = action.run(request.user, obj, action.gather(form))
        except ValidationError as exc:
            if is_conflict(exc):
                messages.error(request, conflict_message)
                return redirect(detail_url)
            if action.errors_as_messages:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(detail_url)
            add_service_errors(form, exc)
        else:
            messages.success(request, action.done(result))
            return redirect(done_url(result) if done_url else detail_url)
    elif "version" in form.errors:
        messages.error(request, STALE_FORM_MESSAGE)
        return redirect(detail_url)
    return render_with_errors((action.name, form))


# --- conditions actions test -------------------------------------------------------------------


def extended(case) -> bool:
    """Whether the running clock has been extended (the law allows one extension)."""
    return any(c.kind == "extension" for c in case.current_clock_changes())


def suspended(case) -> bool:
    return cases.open_suspension(case) is not None


# --- the clock ---------------------------------------------------------------------------------


def due_info(case, today: date) -> dict | None:
    """What a list shows of an open case's deadline, from the stored ``due_on`` (no query).

    Days are counted in the clock's own unit: 5 working days left for a working-day clock. "Soon"
    is within ``cases.DUE_SOON_DAYS`` of that unit, as in the ``due_soon`` queue."""
    if case.due_on is None or not case.is_open:
        return None
    working = case.clock_unit == clocks.WORKING
    if working:
        left = clocks.working_days_between(today, case.due_on)
    else:
        left = (case.due_on - today).days
    overdue = case.due_on < today
    return {
        "on": case.due_on,
        "left": left,
        "overdue_by": -left,
        "overdue": overdue,
        "soon": not overdue and left <= cases.DUE_SOON_DAYS,
        "provisional": not clocks.calendar_known(case.due_on),
        "unit": "工作日" if working else "日",
    }


def clock_panel(case, today: date, *, waiting: str = "尚未起算") -> dict:
    """The clock of a case page as of ``today``.

    A running clock: its state (days left or overdue, suspended), the due day, the extensions.
    A closed case: the last day it had and whether it ended in time. A clock not started yet:
    the deadline it waits under (``pending``, e.g. the decision to accept) or, with none,
    ``waiting``, why it has not started. ``changes`` are the extensions, suspensions and restarts
    in the order they were recorded."""
    changes = list(case.clock_changes.select_related("recorded_by").order_by("at", "id"))
    panel: dict = {
        "start": case.clock_start,
        "length": case.clock_length,
        "unit": case.get_clock_unit_display(),
        "changes": changes,
        "extensions": [c for c in changes if c.kind == "extension"],
        "state": None,
        "due": case.due_on,
        "final_due": None,
        "provisional": False,
        "is_open": case.is_open,
        "ended_on": case.ended_on,
        "waiting": waiting,
    }
    deadline = case.deadline()
    if deadline is not None:
        panel["total"] = deadline.total
        panel["provisional"] = not deadline.calendar_known
        if case.is_open:
            panel["state"] = deadline.state(today, warn_within=cases.DUE_SOON_DAYS)
            panel["due"] = panel["state"].due
            panel["overdue_by"] = -panel["state"].days_left
        else:
            panel["final_due"] = deadline.due
            panel["in_time"] = deadline.due is None or case.ended_on <= deadline.due
    else:
        panel["pending"] = due_info(case, today)
        if panel["pending"] is not None:
            panel["provisional"] = panel["pending"]["provisional"]
    return panel


# --- timeline and audit ------------------------------------------------------------------------


# Events core writes on any case.
CORE_EVENT_LABELS = {"urged": "催办"}


def timeline(obj, labels: dict, anonymous: str = "系统") -> list[dict]:
    """The events of a record, oldest first. ``labels`` names the app's event kinds;
    ``anonymous`` is who acted without an account (the system, an online applicant)."""
    return [
        {
            "at": e.at,
            "actor": str(e.actor) if e.actor_id else anonymous,
            "kind": labels.get(e.kind) or CORE_EVENT_LABELS.get(e.kind, e.kind),
            "text": e.text,
        }
        for e in obj.events.select_related("actor").order_by("at", "id")
    ]


def audit_entries(user, *objects, limit: int = 200):
    """The audit trail of a case page: entries about the case and the records it is built on
    (a dispute behind its cases), as far as the reader may read the audit."""
    condition = Q()
    for obj in objects:
        condition |= Q(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return core_queries.audit_entries_visible_to(user).filter(condition)[:limit]


# --- queues ------------------------------------------------------------------------------------


def choice(request, names: dict, default: str, param: str = "queue") -> str:
    """The tab chosen in the query string, or ``default`` for a missing or unknown one."""
    value = request.GET.get(param, default)
    return value if value in names else default


def tabs(request, names: dict, current: str, param: str = "queue", counts=None) -> list[dict]:
    """One tab per name, each keeping the page's other filters (and going back to page one)."""
    shown = []
    for name, label in names.items():
        params = request.GET.copy()
        params.pop("page", None)
        params[param] = name
        tab = {"name": name, "label": label, "active": name == current, "query": params.urlencode()}
        if counts is not None:
            tab["count"] = counts[name]
        shown.append(tab)
    return shown


def queue_name(request) -> str:
    return choice(request, cases.QUEUES, "unit")


def queue_tabs(request, counts: dict, current: str) -> list[dict]:
    """The tabs of the case work queues (``cases.QUEUES``) with their counts."""
    return tabs(request, cases.QUEUES, current, counts=counts)


# Why a queue's tab is empty when no filter narrows it. ``{where}`` is the reader's unit
# ("渝中区范围内", nothing city-wide), ``{noun}`` what the queue holds ("案件").
EMPTY_QUEUE = {
    "mine": "没有分配给您的在办{noun}。",
    "unit": "{where}尚无在办{noun}。",
    "unassigned": "没有待分配的{noun}。",
    "due_soon": f"没有 {cases.DUE_SOON_DAYS} 日内到期的{{noun}}。",
    "overdue": "没有已超期的{noun}。",
    "closed": "{where}尚无已结{noun}。",
}

# The order of the closed tab: the latest ended first.
CLOSED_ORDER = ("-ended_on", "-id")


class QueueList(generic.ObjectListView):
    """A case work queue and its export, declared once (``generic.ObjectListView`` with tabs).

    The tab (``?queue=``, ``cases.QUEUES``; a missing or unknown one is "本单位") is chosen in
    ``rows()``, which both the page and the export run, so the workbook holds exactly the rows of
    the page's tab, filter and sort, in the page's order. Until a column is sorted a tab is in
    its ``work_order`` (collective first, the nearest deadline), the closed tab latest ended
    first. The page gets the tabs with counts of the filtered cases (``tabs``), the tab
    (``queue``), one ``row()`` per case shown (``rows``), why an empty tab is empty
    (``empty_reason``) and the query string of the export link (``export_query``).

    A declaration names ``readers``, ``get_queryset`` (the scoped cases), ``filter_form`` +
    ``filter_queryset``, ``sorting``, ``work_order``, ``template_name``, ``noun``, ``sheet``
    (the workbook's title, to which the tab's name is added), ``export_headers`` and
    ``export_row``; ``row()`` and ``export_queryset`` where a page or workbook shows more."""

    choice_params = ("queue",)
    per_page = 20
    work_order: tuple[str, ...] = ()
    # What the queue holds, in the empty state ("案件", "举报投诉").
    noun: str = "案件"
    empty_reasons: dict[str, str] = EMPTY_QUEUE
    sheet: str = ""
    export_headers: tuple[str, ...] | list[str] = ()

    queue: str = "unit"
    today: date | None = None

    def rows(self, request):
        self.queue = queue_name(request)
        self.today = timezone.localdate()
        form, filtered, sort = super().rows(request)
        # The tabs count the filtered cases before one tab is chosen.
        self.filtered_cases = filtered
        return form, cases.queue(filtered, request.user, self.queue, self.today), sort

    def get_ordering(self, request):
        return CLOSED_ORDER if self.queue == "closed" else self.work_order

    def row(self, request, case) -> dict:
        """What the table shows of one case: the case and its deadline."""
        return {"obj": case, "due": due_info(case, self.today)}

    def prepare_page(self, request, page) -> None:
        self.page_rows = [self.row(request, case) for case in page]

    def empty_reason(self, request) -> str:
        unit = getattr(request.user, "unit", None)
        where = f"{unit}范围内" if unit is not None else ""
        return self.empty_reasons[self.queue].format(where=where, noun=self.noun)

    def get_context(self, request) -> dict:
        counts = cases.queue_counts(self.filtered_cases, request.user, self.today)
        return {
            "queue": self.queue,
            "tabs": queue_tabs(request, counts, self.queue),
            "rows": self.page_rows,
            "empty_reason": self.empty_reason(request),
            "export_query": request.GET.urlencode(),
        }

    def get_export(self, request) -> generic.Export:
        return generic.Export(f"{self.sheet}-{cases.QUEUES[self.queue]}", self.export_headers)
