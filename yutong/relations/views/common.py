"""What the relations pages share: the readers, the list and edit page bases on
``core.generic``, and the record pages' action mechanism (each action is a form, the roles that
may use it, when it is offered, and the one service it calls)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from yutong.core import generic, roles
from yutong.core import queries as core_queries
from yutong.core.casepages import action_forms as _action_forms
from yutong.core.casepages import choice, tabs, timeline
from yutong.core.permissions import can, require_role

from .. import queries

READERS = (*queries.READERS, roles.ENTERPRISE_USER)
STAFF_READERS = queries.READERS
CONFLICT_MESSAGE = "该记录已被他人修改，请刷新页面查看最新情况后再操作。"

EVENT_LABELS = {
    "requested": "提出协商要求",
    "replied": "书面答复",
    "round": "协商",
    "drafted": "登记草案",
    "adopted": "职代会通过",
    "signed": "签字",
    "filed": "报送审查",
    "objected": "审查异议",
    "terminated": "终止",
    "renewal": "续订",
    "published": "公布",
    "closed": "结束协商要求",
    "edited": "修改草案",
}


def today() -> date:
    return timezone.localdate()


def year_asked(request) -> int:
    """The ``year`` of the query string, kept within what the queues can build a date of."""
    try:
        year = int(request.GET.get("year", today().year))
    except ValueError:
        year = today().year
    return min(max(year, 2000), today().year + 1)


def renamed(exc: ValidationError, **names: str) -> ValidationError:
    """The service's field errors under the form's field names (e.g. ``covered``)."""
    if not hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        {names.get(field, field): errors for field, errors in exc.error_dict.items()}
    )


def v(d: dict) -> int:
    return d["version"]


# --- lists and edit pages ----------------------------------------------------------------------


class RelationsList(generic.ObjectListView):
    """A relations list. Declares, beyond ``ObjectListView``, its tabs (``queues``, chosen by
    ``queue_param``), each with its own work order (``queue_order``) that a sorted column
    replaces, and the query parameters that choose rather than filter (``tab_params``)."""

    readers = READERS
    per_page = 50
    queues: dict[str, str] | None = None
    queue_param = "queue"
    queue_default = ""
    queue_order: dict[str, tuple[str, ...]] | None = None
    tab_params: tuple[str, ...] = ()
    queue: str = ""

    def rows(self, request):
        if self.queues is not None:
            self.queue = choice(request, self.queues, self.queue_default, self.queue_param)
        return super().rows(request)

    def get_choice_params(self):
        return (*self.tab_params, self.queue_param) if self.queues else self.tab_params

    def get_ordering(self, request):
        if self.queues is not None and self.queue_order is not None:
            return self.queue_order[self.queue]
        return self.ordering

    def page_context(self, request) -> dict:
        """What the page shows beside the rows (buttons the user may use, labels)."""
        return {}

    def get_context(self, request):
        context = {"today": today()}
        if self.queues is not None:
            context.update(
                queue=self.queue,
                tabs=tabs(request, self.queues, self.queue, self.queue_param),
            )
        context.update(self.page_context(request))
        return context


class RelationsEdit(generic.ObjectEditView):
    """A relations create or edit page on ``relations/form.html``. A form the service (or the
    form) refuses comes back with 400, as the record pages' action forms do."""

    template_name = "relations/form.html"
    invalid_status = 400
    title = ""

    def get_title(self, obj) -> str:
        return self.title

    def get_context(self, request, form, obj):
        return {"title": self.get_title(obj)}


# --- record pages and their actions ------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """A kind of record with a page of actions: how it is read, by whom, its actions, and how
    its page is drawn (``render(request, record, bound=None, status=200)``)."""

    code: str
    visible: Callable
    readers: tuple
    actions: dict
    render: Callable


def record(request, kind: Kind, pk: int):
    require_role(request.user, *kind.readers)
    return get_object_or_404(kind.visible(request.user), pk=pk)


def action_forms(request, kind: Kind, obj, bound=None) -> list[dict]:
    return _action_forms(
        request,
        kind.actions,
        obj,
        lambda action: reverse(f"relations:{kind.code}_action", args=[obj.pk, action.name]),
        bound,
        form_arg="record",
    )


def events(obj) -> list[dict]:
    return timeline(obj, EVENT_LABELS)


def render_record(request, kind: Kind, obj, template: str, bound=None, status=200, **extra):
    """A record's page: its actions, and its audit trail for those who may read it."""
    context = {
        "record": obj,
        "today": today(),
        "actions": action_forms(request, kind, obj, bound),
        "show_audit": can(request.user, *roles.AUDIT_READERS),
    }
    if context["show_audit"]:
        context["entries"] = core_queries.audit_trail(request.user, obj)[:100]
    context.update(extra)
    return render(request, template, context, status=status)
