""" "Due soon" counts in each clock's own unit: 5 working days for the inspection clocks."""

from datetime import date

from yutong.core import cases
from yutong.inspection.models import Complaint

FRIDAY = date(2026, 11, 20)  # 5 working days later is Friday 27 November


def _complaint(unit, due_on, clock_unit):
    return Complaint.objects.create(
        unit=unit,
        channel="hotline_12333",
        is_anonymous=True,
        received_on=FRIDAY,
        employer_name="重庆测试有限公司",
        matter="拖欠工资",
        due_on=due_on,
        clock_unit=clock_unit,
    )


def test_due_soon_in_working_days(yuzhong, district_staff):
    working = _complaint(yuzhong, date(2026, 11, 27), "working")
    later = _complaint(yuzhong, date(2026, 11, 30), "working")
    calendar = _complaint(yuzhong, date(2026, 11, 27), "calendar")  # 7 calendar days: not yet
    near = _complaint(yuzhong, date(2026, 11, 25), "calendar")
    due = set(cases.queue(Complaint.objects.all(), district_staff, "due_soon", FRIDAY))
    assert due == {working, near}
    assert later not in due and calendar not in due
