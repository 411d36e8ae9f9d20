"""Administrator-entered holiday notices: parsing, saving, and the provider for core.clocks."""

from __future__ import annotations

import re
from datetime import date

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from . import audit, clocks, roles
from .models import HolidaySchedule, ScheduleDay
from .permissions import require_role

_CACHE_SECONDS = 300
_LINE = re.compile(r"^(\d{4}-\d{2}-\d{2})\s+(休|班)\s*(.*)$")


def _key(year: int) -> str:
    return f"core:holiday-schedule:{year}"


def configured_exceptions(year: int) -> frozenset[date] | None:
    """Days of ``year`` that depart from Monday-Friday per the entered notice; None if none."""
    cached = cache.get(_key(year))
    if cached is None:
        schedule = HolidaySchedule.objects.filter(year=year).first()
        days = (
            "none"
            if schedule is None
            else frozenset(
                entry.day
                for entry in schedule.days.all()
                if entry.is_working_day != (entry.day.weekday() < 5)
            )
        )
        cache.set(_key(year), days, _CACHE_SECONDS)
        cached = days
    return None if cached == "none" else cached


def install() -> None:
    clocks.use_configured_schedules(configured_exceptions)


def parse_lines(year: int, text: str) -> list[tuple[date, bool, str]]:
    """ "2027-01-01 休 元旦" / "2027-02-06 班 春节调休", one per line; errors name the line."""
    errors, days, seen = [], [], set()
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        match = _LINE.match(line)
        if match is None:
            errors.append(f"第 {number} 行格式应为“YYYY-MM-DD 休 说明”或“YYYY-MM-DD 班 说明”")
            continue
        try:
            day = date.fromisoformat(match.group(1))
        except ValueError:
            errors.append(f"第 {number} 行日期无效")
            continue
        if day.year != year:
            errors.append(f"第 {number} 行日期不在 {year} 年")
        elif day in seen:
            errors.append(f"第 {number} 行日期重复")
        seen.add(day)
        days.append((day, match.group(2) == "班", match.group(3).strip()[:32]))
    if not days and not errors:
        errors.append("请至少填写一天（法定节假日或调休上班日）")
    if errors:
        raise ValidationError({"days": errors})
    return days


@transaction.atomic
def set_holiday_schedule(actor, *, year: int, source: str, text: str) -> HolidaySchedule:
    """Enter (or replace) a year's notice for a year the installed calendar does not know."""
    require_role(actor, roles.CITY_ADMIN)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": "年份无效。"})
    if clocks._package_knows(year):
        raise ValidationError({"year": f"系统日历已包含 {year} 年的节假日安排，无需录入。"})
    if not source.strip():
        raise ValidationError({"source": "请注明依据（国务院办公厅通知的文号）。"})
    days = parse_lines(year, text)
    schedule, created = HolidaySchedule.objects.get_or_create(
        year=year, defaults={"source": source.strip()}
    )
    before = {"days": schedule_text(schedule)} if not created else {}
    schedule.source = source.strip()
    schedule.save(update_fields=["source"])
    schedule.days.all().delete()
    ScheduleDay.objects.bulk_create(
        ScheduleDay(schedule=schedule, day=day, is_working_day=working, name=name)
        for day, working, name in days
    )
    audit.record(
        actor,
        "set_holiday_schedule",
        schedule,
        changes=audit.diff(before, {"days": schedule_text(schedule), "source": schedule.source}),
    )
    transaction.on_commit(lambda: cache.delete(_key(year)))
    return schedule


def schedule_text(schedule: HolidaySchedule) -> str:
    return "\n".join(
        f"{entry.day.isoformat()} {'班' if entry.is_working_day else '休'} {entry.name}".strip()
        for entry in schedule.days.all()
    )
