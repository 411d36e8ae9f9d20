"""The complaint queue on the core table mechanism: sort by received day and decision
deadline, the export in the same order, another district's complaints never listed."""

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from yutong.inspection.models import Complaint

pytestmark = pytest.mark.django_db

QUEUE = "/inspection/complaints/"


def _complaint(unit, employer, received_on, due_on):
    return Complaint.objects.create(
        unit=unit,
        channel="hotline_12333",
        is_anonymous=True,
        received_on=received_on,
        employer_name=employer,
        matter="拖欠工资",
        due_on=due_on,
        clock_unit="working",
    )


@pytest.fixture
def three(yuzhong, shapingba):
    today = timezone.localdate()
    _complaint(yuzhong, "早收公司", today - timedelta(days=6), today + timedelta(days=9))
    _complaint(yuzhong, "新收公司", today - timedelta(days=1), today + timedelta(days=2))
    _complaint(yuzhong, "中间公司", today - timedelta(days=3), None)
    _complaint(shapingba, "沙坪坝公司", today - timedelta(days=2), today + timedelta(days=1))


def employers(response):
    assert response.status_code == 200
    return [row["obj"].employer_name for row in response.context["rows"]]


def test_sort_both_ways_and_unknown_keys(login_client, district_staff, three):
    client = login_client(district_staff)
    assert employers(client.get(QUEUE, {"sort": "-received_on"})) == [
        "新收公司",
        "中间公司",
        "早收公司",
    ]
    assert employers(client.get(QUEUE, {"sort": "received_on"})) == [
        "早收公司",
        "中间公司",
        "新收公司",
    ]
    assert employers(client.get(QUEUE, {"sort": "due_on"})) == ["新收公司", "早收公司", "中间公司"]
    assert employers(client.get(QUEUE, {"sort": "complainant_name"})) == employers(
        client.get(QUEUE)
    )


def test_another_districts_complaints_never_sort_in(login_client, shapingba_staff, three):
    client = login_client(shapingba_staff)
    for sort in ("received_on", "-received_on", "due_on", "-due_on"):
        assert employers(client.get(QUEUE, {"sort": sort})) == ["沙坪坝公司"]


def test_export_in_the_order_of_the_page(login_client, district_staff, three):
    client = login_client(district_staff)
    query = {"sort": "-received_on", "received_from": date(2000, 1, 1).isoformat()}
    response = client.get(f"{QUEUE}export/", query)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [r[4] for r in rows[1:]] == employers(client.get(QUEUE, query))
