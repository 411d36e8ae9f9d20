"""Tripartite meetings (协调劳动关系三方会议): the list with its filters and export (one row per
follow-up item), the meeting form, a meeting's page with its follow-up items, and the queues of
follow-up items."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yutong.core import generic
from yutong.core.casepages import STALE_FORM_MESSAGE, Action
from yutong.core.casepages import is_conflict as _is_conflict
from yutong.core.permissions import can, require_role
from yutong.core.viewutils import add_service_errors
from yutong.registry.queries import parks_visible_to

from .. import forms, queries, services
from ..models import FollowUpItem
from .common import (
    CONFLICT_MESSAGE,
    STAFF_READERS,
    Kind,
    RelationsEdit,
    RelationsList,
    action_forms,
    today,
    v,
)

MEETING_HEADERS = [
    "会议编号",
    "会议日期",
    "会议名称",
    "层级",
    "单位（园区、镇街、行业）",
    "参会人员",
    "议定事项",
    "督办事项",
    "牵头单位",
    "责任人",
    "完成期限",
    "完成日期",
    "办理结果",
    "办理状态",
]


class MeetingList(RelationsList):
    """The meetings of the reader's units; the export holds the filtered meetings with their
    follow-up items, one row per item (a meeting without any: one row)."""

    readers = STAFF_READERS
    template_name = "relations/meeting_list.html"
    filter_form = forms.MeetingFilterForm
    sorting = queries.MEETING_SORTING
    export = generic.Export("三方会议及督办事项", MEETING_HEADERS)
    url_name = "relations:meeting_list"

    def get_queryset(self, request):
        return queries.meetings_visible_to(request.user)

    def filter_queryset(self, request, rows, data):
        return queries.filter_meetings(rows, data)

    def page_context(self, request):
        return {"can_edit": can(request.user, *services.TRIPARTITE_EDITORS)}

    def export_count(self, request, meetings):
        # A meeting is as many rows as it has follow-up items (at least one).
        items = FollowUpItem.objects.filter(meeting__in=meetings).count()
        return meetings.filter(follow_ups__isnull=True).count() + items

    def export_lines(self, request, meetings):
        return _meeting_rows(meetings, today())


def _follow_up_state(item: FollowUpItem, day: date) -> str:
    return "已办结" if item.done_on else ("已逾期" if item.due_on < day else "未办结")


def _meeting_rows(meetings, day: date):
    """One row per follow-up item (a meeting without any: one row), meeting columns repeated."""
    prefetched = meetings.select_related("unit", "park", "township").prefetch_related(
        "participants",
        Prefetch("follow_ups", queryset=FollowUpItem.objects.order_by("due_on", "id")),
    )
    for m in prefetched.iterator(chunk_size=500):
        head = [
            m.pk,
            m.held_on,
            m.title,
            m.get_level_display(),
            m.place,
            "；".join(
                f"{p.get_body_display()}：{p.name}{f'（{p.position}）' if p.position else ''}"
                for p in m.participants.all()
            ),
            m.decisions,
        ]
        items = list(m.follow_ups.all())
        if not items:
            yield [*head, *[None] * 7]
        for i in items:
            yield [
                *head,
                i.task,
                i.get_owner_body_display(),
                i.owner_name,
                i.due_on,
                i.done_on,
                i.result,
                _follow_up_state(i, day),
            ]


class MeetingCreate(RelationsEdit):
    editors = services.TRIPARTITE_EDITORS
    form_class = forms.MeetingForm
    template_name = "relations/meeting_form.html"
    success_message = "已登记三方会议。"

    def get_form_kwargs(self, request, meeting):
        # The form offers the parks in operation (and, editing, the meeting's own).
        return {"user": request.user, "parks": parks_visible_to(request.user), "meeting": meeting}

    def save(self, request, form, meeting):
        d = form.cleaned_data
        return services.record_meeting(
            request.user,
            level=d["level"],
            unit=d["unit"],
            park=d["park"],
            township=d["township"],
            industry=d["industry"],
            held_on=d["held_on"],
            title=d["title"],
            agenda=d["agenda"],
            decisions=d["decisions"],
            participants=form.participants(),
            follow_ups=form.follow_ups(),
        )

    def get_success_url(self, meeting):
        return reverse("relations:meeting_detail", args=[meeting.pk])


FOLLOW_UP_ACTIONS = {
    "done": Action(
        "done",
        "登记办结",
        forms.FollowUpDoneForm,
        services.TRIPARTITE_EDITORS,
        lambda i: i.done_on is None,
        lambda user, i, d: services.complete_follow_up(
            user, i, done_on=d["done_on"], result=d["result"], expected_version=v(d)
        ),
        lambda i: "督办事项已办结。",
        button="办结",
    )
}


def _render_meeting(request, meeting, bound=None, status: int = 200, add_form=None):
    """A meeting's page; ``bound`` is (item id, the form of an item's action posted with
    errors)."""
    items = []
    for item in meeting.follow_ups.all():
        own = bound[1] if bound is not None and bound[0] == item.pk else None
        items.append({"item": item, "actions": action_forms(request, FOLLOW_UP_KIND, item, own)})
    if add_form is None and can(request.user, *services.TRIPARTITE_EDITORS):
        add_form = forms.FollowUpAddForm(record=meeting)
    if add_form is not None:
        add_form.auto_id = "id_add_%s"
    return render(
        request,
        "relations/meeting_detail.html",
        {
            "record": meeting,
            "participants": meeting.participants.all(),
            "items": items,
            "today": today(),
            "add_form": add_form,
        },
        status=status,
    )


def _render_follow_up(request, item, bound=None, status=200):
    """A follow-up item's page is its meeting's."""
    return _render_meeting(request, item.meeting, bound=(item.pk, bound), status=status)


FOLLOW_UP_KIND = Kind(
    "follow_up",
    queries.follow_ups_visible_to,
    STAFF_READERS,
    FOLLOW_UP_ACTIONS,
    _render_follow_up,
)


@login_required
def meeting_detail(request, pk):
    require_role(request.user, *STAFF_READERS)
    meeting = get_object_or_404(queries.meetings_visible_to(request.user), pk=pk)
    return _render_meeting(request, meeting)


@login_required
@require_POST
def meeting_add_follow_up(request, pk):
    require_role(request.user, *STAFF_READERS)
    meeting = get_object_or_404(queries.meetings_visible_to(request.user), pk=pk)
    require_role(request.user, *services.TRIPARTITE_EDITORS)
    form = forms.FollowUpAddForm(request.POST, record=meeting)
    detail = reverse("relations:meeting_detail", args=[meeting.pk])
    if form.is_valid():
        d = dict(form.cleaned_data)
        version = d.pop("version")
        try:
            services.add_follow_up(request.user, meeting, expected_version=version, **d)
        except ValidationError as exc:
            if _is_conflict(exc):
                messages.error(request, CONFLICT_MESSAGE)
                return redirect(detail)
            add_service_errors(form, exc)
        else:
            messages.success(request, "已添加督办事项。")
            return redirect(detail)
    elif "version" in form.errors:
        messages.error(request, STALE_FORM_MESSAGE)
        return redirect(detail)
    return _render_meeting(request, meeting, status=400, add_form=form)


FOLLOW_UP_HEADERS = [
    "督办事项",
    "会议编号",
    "会议名称",
    "会议日期",
    "单位",
    "牵头单位",
    "责任人",
    "完成期限",
    "完成日期",
    "办理结果",
    "办理状态",
]


class FollowUpList(RelationsList):
    readers = STAFF_READERS
    template_name = "relations/follow_up_list.html"
    queues = queries.FOLLOW_UP_QUEUES
    queue_default = "overdue"
    queue_order = queries.FOLLOW_UP_QUEUE_ORDER
    sorting = queries.FOLLOW_UP_SORTING
    export = generic.Export("督办事项", FOLLOW_UP_HEADERS)
    url_name = "relations:follow_up_list"

    def get_queryset(self, request):
        visible = queries.follow_ups_visible_to(request.user)
        return queries.follow_up_queue(visible, self.queue)

    def get_export(self, request):
        # The workbook is named for the tab it holds.
        return generic.Export(f"督办事项（{self.queues[self.queue]}）", FOLLOW_UP_HEADERS)

    def export_queryset(self, request, items):
        return items.select_related("meeting", "unit")

    def export_row(self, request, i):
        return [
            i.task,
            i.meeting_id,
            i.meeting.title,
            i.meeting.held_on,
            i.unit.name,
            i.get_owner_body_display(),
            i.owner_name,
            i.due_on,
            i.done_on,
            i.result,
            _follow_up_state(i, today()),
        ]
