"""A year's holiday notice entered by the city administrator drives the statutory clocks."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from yutong.core import clocks, holidays
from yutong.core.models import AuditEntry, HolidaySchedule

NOTICE_2027 = """
2027-01-01 休 元旦
2027-02-06 班 春节调休
2027-02-08 休 春节
2027-02-09 休 春节
"""


@pytest.fixture
def entered_2027(city_admin):
    return holidays.set_holiday_schedule(
        city_admin, year=2027, source="国办发明电〔2026〕9号", text=NOTICE_2027
    )


def test_entered_notice_changes_working_days(entered_2027):
    assert clocks.calendar_known(date(2027, 3, 1)) is True
    assert clocks.is_working_day(date(2027, 1, 1)) is False  # Friday, holiday
    assert clocks.is_working_day(date(2027, 2, 6)) is True  # Saturday, make-up workday
    assert clocks.is_working_day(date(2027, 2, 8)) is False
    # 2026-12-31 (Thursday) + 1 working day skips New Year's Day and the weekend.
    assert clocks.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)
    # A 5-day calendar period ending on Monday 2027-02-08 (a holiday) moves to 02-10.
    assert clocks.add_calendar_days(date(2027, 2, 3), 5) == date(2027, 2, 10)


def test_without_notice_the_year_is_estimated(db):
    assert clocks.calendar_known(date(2027, 1, 1)) is False
    assert clocks.is_working_day(date(2027, 1, 1)) is True


def test_notice_is_audited_and_replaced(city_admin, entered_2027):
    holidays.set_holiday_schedule(
        city_admin, year=2027, source="国办发明电〔2026〕9号（更正）", text="2027-01-01 休 元旦"
    )
    schedule = HolidaySchedule.objects.get(year=2027)
    assert list(schedule.days.values_list("day", flat=True)) == [date(2027, 1, 1)]
    assert clocks.is_working_day(date(2027, 2, 8)) is True
    entries = AuditEntry.objects.filter(action="set_holiday_schedule", object_id=str(schedule.pk))
    assert entries.count() == 2
    assert "2027-02-06 班 春节调休" in entries.order_by("id").last().changes["days"][0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2027-01-01 放假", "第 1 行格式应为"),
        ("2027-02-30 休 错", "第 1 行日期无效"),
        ("2028-01-01 休 元旦", "第 1 行日期不在 2027 年"),
        ("2027-01-01 休 元旦\n2027-01-01 休 元旦", "第 2 行日期重复"),
        ("   ", "请至少填写一天"),
    ],
)
def test_bad_lines_are_refused_and_nothing_is_written(city_admin, text, message):
    with pytest.raises(ValidationError) as caught:
        holidays.set_holiday_schedule(city_admin, year=2027, source="通知", text=text)
    assert any(message in m for m in caught.value.message_dict["days"])
    assert not HolidaySchedule.objects.exists()


def test_years_the_package_knows_are_not_overridden(city_admin):
    with pytest.raises(ValidationError) as caught:
        holidays.set_holiday_schedule(city_admin, year=2026, source="通知", text="2026-01-01 休")
    assert "已包含 2026 年" in caught.value.message_dict["year"][0]


def test_only_the_city_admin_enters_notices(district_staff):
    with pytest.raises(PermissionDenied):
        holidays.set_holiday_schedule(district_staff, year=2027, source="通知", text=NOTICE_2027)


def test_calendar_page(login_client, city_admin, district_staff):
    admin = login_client(city_admin)
    response = admin.post(
        "/core/calendar/", {"year": 2027, "source": "国办发明电〔2026〕9号", "text": NOTICE_2027}
    )
    assert response.status_code == 302
    page = admin.get("/core/calendar/").content.decode()
    assert "已录入" in page and "国办发明电〔2026〕9号" in page

    bad = admin.post("/core/calendar/", {"year": 2028, "source": "通知", "text": "2028-13-01 休"})
    assert "第 1 行格式应为" in bad.content.decode() or "第 1 行日期无效" in bad.content.decode()

    staff = login_client(district_staff)
    assert staff.get("/core/calendar/").status_code == 200
    assert "录入节假日安排" not in staff.get("/core/calendar/").content.decode()
    assert (
        staff.post("/core/calendar/", {"year": 2028, "source": "x", "text": "x"}).status_code == 403
    )
