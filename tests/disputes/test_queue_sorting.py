"""The mediation queue on the core table mechanism: sort by received day and deadline, the
export in the same order, the filters and the district kept."""

from datetime import timedelta

import pytest

from tests.disputes.test_views import MEDIATION, days_ago, export_sheet, open_mediation, today
from yutong.disputes.models import MediationCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(district_staff, shapingba_staff, body, shapingba_body):
    old = open_mediation(district_staff, body, employer="早收公司", received=20)
    new = open_mediation(district_staff, body, employer="新收公司", received=1, serial=10)
    mid = open_mediation(district_staff, body, employer="中间公司", received=8, serial=20)
    MediationCase.objects.filter(pk=old.pk).update(due_on=today() + timedelta(days=9))
    MediationCase.objects.filter(pk=new.pk).update(due_on=today() + timedelta(days=3))
    MediationCase.objects.filter(pk=mid.pk).update(due_on=None)  # waiting: no deadline
    open_mediation(shapingba_staff, shapingba_body, employer="沙坪坝公司", received=5, serial=30)
    return old, new, mid


def employers(response):
    assert response.status_code == 200
    return [r["case"].dispute.employer_name for r in response.context["rows"]]


def test_sort_by_received_day_both_ways(login_client, district_staff, three):
    client = login_client(district_staff)
    assert employers(client.get(MEDIATION, {"sort": "received_on"})) == [
        "早收公司",
        "中间公司",
        "新收公司",
    ]
    assert employers(client.get(MEDIATION, {"sort": "-received_on"})) == [
        "新收公司",
        "中间公司",
        "早收公司",
    ]


def test_sort_by_deadline_keeps_cases_without_one_last(login_client, district_staff, three):
    client = login_client(district_staff)
    assert employers(client.get(MEDIATION, {"sort": "due_on"})) == [
        "新收公司",
        "早收公司",
        "中间公司",
    ]
    assert employers(client.get(MEDIATION, {"sort": "-due_on"})) == [
        "早收公司",
        "新收公司",
        "中间公司",
    ]


def test_unknown_sort_keeps_the_work_order(login_client, district_staff, three):
    client = login_client(district_staff)
    default = employers(client.get(MEDIATION))
    assert employers(client.get(MEDIATION, {"sort": "dispute__workers__resident_id"})) == default


def test_sorting_keeps_filters_and_the_district(login_client, district_staff, three):
    client = login_client(district_staff)
    listed = employers(client.get(MEDIATION, {"sort": "-received_on", "employer": "收"}))
    assert listed == ["新收公司", "早收公司"]
    page = client.get(MEDIATION, {"sort": "-received_on", "received_from": days_ago(30)})
    assert "沙坪坝公司" not in employers(page)


def test_export_has_the_rows_and_order_of_the_page(login_client, district_staff, three):
    client = login_client(district_staff)
    query = {"sort": "-received_on", "employer": "收"}
    rows = export_sheet(client.get(f"{MEDIATION}export/", query))
    assert [r[3] for r in rows[1:]] == employers(client.get(MEDIATION, query))
    rows = export_sheet(client.get(f"{MEDIATION}export/", {"sort": "due_on"}))
    assert [r[3] for r in rows[1:]] == ["新收公司", "早收公司", "中间公司"]
