"""Case machinery shared by every kind of case (mediation, arbitration, complaints, inspection).

A domain app subclasses three abstract models — the case, its timeline events and its clock
changes — and calls the functions here from its services. What is built once:

* the statutory clock of a case (``clock_start`` + ``clock_length`` in calendar or working days,
  with extensions and suspensions recorded as ``ClockChange`` rows, each with reason and
  approver), and its stored ``due_on``, recomputed in the same transaction as every change, so
  that "due soon" and "overdue" are indexed database filters, not nightly jobs;
* the timeline: who did what when, one row per event, shown on every case page;
* work queues (mine, my unit, unassigned, due soon, overdue) over any case queryset;
* optimistic concurrency: a change based on a stale read is refused with a conflict message.
"""

from __future__ import annotations

import functools
import operator
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from . import clocks, tables
from .models import OrgUnit

OPEN = "open"
QUEUES = {
    "mine": "我的案件",
    "unit": "本单位",
    "unassigned": "待分配",
    "due_soon": "即将到期",
    "overdue": "已超期",
    "closed": "已结案",
}
DUE_SOON_DAYS = 5


class CaseBase(models.Model):
    """The fields every case has. ``status`` choices and the rest belong to the subclass."""

    class ClockUnit(models.TextChoices):
        CALENDAR = clocks.CALENDAR, "日"
        WORKING = clocks.WORKING, "工作日"

    unit = models.ForeignKey(OrgUnit, models.PROTECT, related_name="+", verbose_name="办理单位")
    received_on = models.DateField("收到日期")
    accepted_on = models.DateField("受理日期", null=True, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="承办人",
    )
    is_collective = models.BooleanField("集体争议", default=False)
    workers_count = models.PositiveIntegerField("涉及人数", default=1)
    clock_start = models.DateField("期限起算日", null=True, blank=True)
    clock_length = models.PositiveSmallIntegerField("法定期限", null=True, blank=True)
    clock_unit = models.CharField(
        "期限单位", max_length=8, choices=ClockUnit.choices, default=ClockUnit.CALENDAR
    )
    due_on = models.DateField("到期日", null=True, blank=True, db_index=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)
    closure = models.CharField("结案方式", max_length=24, blank=True)
    # The day the case left the workload: its closure, or a refusal or redirection, which are
    # not closures for the statistics. Queues use this; indicators use closed_on and closure.
    ended_on = models.DateField("办结日期", null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True

    @property
    def is_open(self) -> bool:
        return self.ended_on is None

    def current_clock_changes(self) -> list:
        """Extensions and suspensions of the clock as it runs now: a restart starts afresh, but
        the earlier rows stay as the record of what happened."""
        current: list = []
        if self.pk is None:
            return current
        # .all() so that a list that prefetched clock_changes makes no query per case.
        for change in sorted(self.clock_changes.all(), key=lambda c: (c.at, c.id)):
            if change.kind == ClockChangeBase.Kind.RESTART:
                current = []
            else:
                current.append(change)
        return current

    def deadline(self) -> clocks.Deadline | None:
        if self.clock_start is None or self.clock_length is None:
            return None
        changes = self.current_clock_changes()
        return clocks.Deadline(
            start=self.clock_start,
            length=self.clock_length,
            unit=self.clock_unit,
            extensions=[c.days for c in changes if c.kind == ClockChangeBase.Kind.EXTENSION],
            suspensions=[
                (c.from_day, c.to_day) for c in changes if c.kind == ClockChangeBase.Kind.SUSPENSION
            ],
        )

    def clock_state(self, as_of: date | None = None) -> clocks.ClockState | None:
        deadline = self.deadline()
        if deadline is None or not self.is_open:
            return None
        return deadline.state(as_of or timezone.localdate(), warn_within=DUE_SOON_DAYS)


class CaseEventBase(models.Model):
    """One line of a case's timeline. Subclasses add ``case = ForeignKey(TheCase, …,
    related_name="events")``."""

    at = models.DateTimeField("时间", default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="操作人",
    )
    kind = models.CharField("事项", max_length=32)
    text = models.CharField("说明", max_length=500)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class ClockChangeBase(models.Model):
    """An extension, a suspension or a restart of a case's clock, with reason and approver.
    Subclasses add ``case = ForeignKey(TheCase, …, related_name="clock_changes")``."""

    class Kind(models.TextChoices):
        EXTENSION = "extension", "延期"
        SUSPENSION = "suspension", "中止"
        RESTART = "restart", "重新计算"

    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    days = models.PositiveSmallIntegerField("延长天数", default=0)
    from_day = models.DateField("起始日", null=True, blank=True)
    to_day = models.DateField("终止日", null=True, blank=True)
    reason = models.CharField("理由", max_length=300)
    approver = models.CharField("批准人", max_length=64, blank=True)
    # An extension's decision date, and the due day it was granted against: the record that a
    # case recorded late already showed as overdue (the queues move on; the history does not).
    decided_on = models.DateField("决定日期", null=True, blank=True)
    due_before = models.DateField("原到期日", null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name="记录人"
    )
    at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


# --- changes (called from the domain app's services, inside their transaction) -------------


def claim_version(case: CaseBase, expected_version: int | None) -> None:
    """Bump the case's version, refusing if someone saved it since ``expected_version``.

    One conditional UPDATE: of two users acting at once, exactly one wins. The caller's object
    is left as it was (the change may still roll back); re-read the case to work on it."""
    model = type(case)
    condition = Q(pk=case.pk)
    if expected_version is not None:
        condition &= Q(version=expected_version)
    updated = model.objects.filter(condition).update(version=F("version") + 1)
    if not updated:
        raise ValidationError(
            "该案件已被他人处理，请刷新页面查看最新情况后再操作。", code="conflict"
        )


def add_event(case: CaseBase, actor, kind: str, text: str):
    return case.events.create(
        actor=actor if getattr(actor, "pk", None) else None, kind=kind, text=text[:500]
    )


def case_url(case) -> str:
    """The page of a case, from its app (``AppConfig.case_url(model, pk)``); core names none."""
    from django.apps import apps

    provider = getattr(apps.get_app_config(case._meta.app_label), "case_url", None)
    return provider(type(case), case.pk) if provider else ""


def notify_assigned(case: CaseBase, actor) -> None:
    """The new handler hears of the assignment (unless they took the case themself)."""
    from . import inbox
    from .templatetags.display import case_no

    inbox.send(
        [case.assigned_to_id],
        inbox.Kind.ASSIGNMENT,
        f"分派给您的{case._meta.verbose_name}：{case_no(case)}",
        url=case_url(case),
        sender=actor,
    )


def start_clock(case: CaseBase, start: date, length: int, unit: str = clocks.CALENDAR) -> None:
    case.clock_start, case.clock_length, case.clock_unit = start, length, unit
    refresh_due(case)


def refresh_due(case: CaseBase) -> None:
    deadline = case.deadline()
    case.due_on = deadline.due if deadline is not None and case.is_open else None


def extend(
    case: CaseBase,
    actor,
    *,
    days: int,
    reason: str,
    approver: str,
    max_days: int,
    max_times: int = 1,
    decided_on: date | None = None,
):
    """Grant an extension (e.g. at most once, at most 15 days, for arbitration).

    An extension is decided before the limit runs out (调解仲裁法 Art.43, 办案规则 Art.45,
    劳动保障监察条例 Art.17: "经批准可以延长"): it takes the decision date, which may lie before
    the day it is recorded, and is refused once the limit had passed on that date, so an overdue
    case stays overdue. An extension decided in time but recorded after the due day keeps the
    old due day on its row, the record that the case showed as overdue meanwhile."""
    today = timezone.localdate()
    decided_on = decided_on or today
    due_before = case.due_on if case.is_open else None
    errors = {}
    previous = sum(
        1 for c in case.current_clock_changes() if c.kind == ClockChangeBase.Kind.EXTENSION
    )
    if previous >= max_times:
        errors["days"] = f"期限只能延长 {max_times} 次，本案已延长过。"
    elif not 1 <= days <= max_days:
        errors["days"] = f"延长天数应为 1 至 {max_days}。"
    if not (reason or "").strip():
        errors["reason"] = "请填写延期理由。"
    if not (approver or "").strip():
        errors["approver"] = "请填写批准人。"
    decision_error = _decision_error(case, decided_on, today, due_before)
    if decision_error:
        errors["decided_on"] = decision_error
    if errors:
        raise ValidationError(errors)
    change = case.clock_changes.create(
        kind=ClockChangeBase.Kind.EXTENSION,
        days=days,
        reason=reason.strip(),
        approver=approver.strip(),
        decided_on=decided_on,
        due_before=due_before,
        recorded_by=actor,
    )
    refresh_due(case)
    return change


def _decision_error(case: CaseBase, decided_on: date, today: date, due: date | None) -> str:
    if case.clock_start is None or not case.is_open:
        return "本案期限未在计算中，不能延长。"
    if decided_on > today:
        return "延期决定日期不能晚于今天。"
    if decided_on < case.clock_start:
        return f"延期决定日期不能早于期限起算日（{case.clock_start}）。"
    if due is not None and decided_on > due:
        return f"期限已于 {due} 届满，届满后不能再决定延期；本案按超期处理。"
    return ""


def late_extension_note(change) -> str:
    """The timeline's words for an extension recorded after the old due day, else ''."""
    if change.due_before is None or timezone.localdate(change.at) <= change.due_before:
        return ""
    return (
        f"（{change.decided_on} 决定延期，记录时原期限 {change.due_before} 已过，"
        f"期间本案显示为超期）"
    )


def suspend(case: CaseBase, actor, *, from_day: date, reason: str, approver: str):
    errors = {}
    if open_suspension(case) is not None:
        errors["from_day"] = "本案已处于中止状态。"
    elif from_day > timezone.localdate():
        errors["from_day"] = "中止日期不能晚于今天。"
    elif case.clock_start is not None and from_day <= case.clock_start:
        errors["from_day"] = "中止日期应晚于期限起算日。"
    if not (reason or "").strip():
        errors["reason"] = "请填写中止理由。"
    if not (approver or "").strip():
        errors["approver"] = "请填写批准人。"
    if errors:
        raise ValidationError(errors)
    change = case.clock_changes.create(
        kind=ClockChangeBase.Kind.SUSPENSION,
        from_day=from_day,
        reason=reason.strip(),
        approver=approver.strip(),
        recorded_by=actor,
    )
    refresh_due(case)
    return change


def resume(case: CaseBase, actor, *, to_day: date):
    """End the open suspension; the last suspended day is ``to_day``."""
    change = open_suspension(case)
    if change is None:
        raise ValidationError({"to_day": "本案未处于中止状态。"})
    if to_day < change.from_day:
        raise ValidationError({"to_day": "恢复日期不能早于中止日期。"})
    if to_day > timezone.localdate():
        raise ValidationError({"to_day": "恢复日期不能晚于今天。"})
    change.to_day = to_day
    change.save(update_fields=["to_day"])
    refresh_due(case)
    return change


def restart(case: CaseBase, actor, *, start: date, reason: str):
    """Restart the clock from ``start`` (e.g. missing materials supplied, a claim added)."""
    if not (reason or "").strip():
        raise ValidationError({"reason": "请填写重新计算期限的事由。"})
    if case.clock_start is not None and start < case.clock_start:
        raise ValidationError({"start": "重新起算日不能早于原起算日。"})
    change = case.clock_changes.create(
        kind=ClockChangeBase.Kind.RESTART,
        from_day=start,
        reason=reason.strip(),
        recorded_by=actor,
    )
    case.clock_start = start
    refresh_due(case)
    return change


def open_suspension(case: CaseBase):
    for change in reversed(case.current_clock_changes()):
        if change.kind == ClockChangeBase.Kind.SUSPENSION and change.to_day is None:
            return change
    return None


# --- queues (read side) --------------------------------------------------------------------


# How a queue's count is coloured on the work bench.
# The columns a case queue sorts by (core.tables): received, and the deadline (empty for a
# suspended or closed case: last). Without ``sort`` each queue keeps its own work order (the
# ``default`` the app passes to ``apply``). The (unit, ended_on, due_on) queue indexes serve
# the deadline; cases are few enough per unit that received_on is sorted within the queue.
QUEUE_SORTING = tables.Sorting(
    columns={"received_on": ("received_on",), "due_on": ("due_on",)},
    default=("id",),
    descending_first=frozenset({"received_on"}),
    nullable=frozenset({"due_on"}),
)

QUEUE_TONES = {"overdue": "danger", "due_soon": "warning", "unassigned": "info"}


def queue(cases: QuerySet, user, name: str, today: date | None = None) -> QuerySet:
    """Filter an already scoped case queryset to one of the work queues."""
    return cases.filter(queue_q(user, name, today))


# What every work queue but "closed" implies.
OPEN_Q = Q(ended_on__isnull=True)


def queue_q(user, name: str, today: date | None = None) -> Q:
    """The condition of one work queue, on a case table (``queue`` filters by it; the work
    bench counts several at once with it)."""
    today = today or timezone.localdate()
    open_cases = Q(ended_on__isnull=True)
    if name == "mine":
        return open_cases & Q(assigned_to=user)
    if name == "unassigned":
        return open_cases & Q(assigned_to__isnull=True)
    if name == "due_soon":
        # "Within 5 days" in the clock's own unit: 5 working days can span a weekend.
        calendar_end = today + timedelta(DUE_SOON_DAYS)
        working_end = clocks.add_working_days(today, DUE_SOON_DAYS)
        return (
            open_cases
            & Q(due_on__gte=today)
            & (
                Q(clock_unit=clocks.WORKING, due_on__lte=working_end)
                | (~Q(clock_unit=clocks.WORKING) & Q(due_on__lte=calendar_end))
            )
        )
    if name == "overdue":
        return open_cases & Q(due_on__lt=today)
    if name == "closed":
        return Q(ended_on__isnull=False)
    return open_cases


def count_queues(
    cases: QuerySet, conditions: dict[str, Q], within: Q | None = None
) -> dict[str, int]:
    """Several counts over one scoped queryset in one query (``COUNT(*) FILTER (WHERE …)``
    per key): the work bench's queues of one kind of record, each the total of the list it
    links to. ``conditions`` maps a key to its condition (``queue_q``, narrowed as the list
    is). The query reads only the rows some key counts — ``within``, a condition every one of
    them implies (open cases: ``OPEN_Q``), else any of the conditions — through their indexes,
    not every row in scope."""
    if not conditions:
        return {}
    keys = list(conditions)
    if within is None:
        within = functools.reduce(operator.or_, conditions.values())
    cases = cases.filter(within)
    # Positional aliases: a key may be named like a field of the model ("status").
    counts = cases.order_by().aggregate(
        **{f"n{i}": models.Count("pk", filter=conditions[key]) for i, key in enumerate(keys)}
    )
    return {key: counts[f"n{i}"] for i, key in enumerate(keys)}


def queue_counts(cases: QuerySet, user, today: date | None = None) -> dict[str, int]:
    """Every tab's count of a queue page, in one query."""
    return count_queues(cases, {name: queue_q(user, name, today) for name in QUEUES})
