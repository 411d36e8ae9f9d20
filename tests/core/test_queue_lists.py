"""The four case work queues as ``core.casepages.QueueList`` declarations: on every queue and
tab, sorted or not, the export holds exactly the rows of the page in the page's order (the
inspection exports used to be in order of receipt whatever the page showed); another
district's cases are in neither; an empty tab says why; an unknown tab is "本单位"."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from io import BytesIO
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.disputes.test_views import open_mediation, receive
from tests.inspection.conftest import complaint_data, working_days_ago
from yutong.disputes.models import (
    ArbitrationCase,
    ArbitrationCommission,
    MediationBody,
    MediationCase,
)
from yutong.inspection import services as inspection
from yutong.inspection.models import Complaint, InspectionCase

pytestmark = pytest.mark.django_db


@dataclass(frozen=True)
class Queue:
    url: str
    noun: str
    # The sortable date column of the queue.
    date_key: str
    model: type
    # What the export's first column says of a case (its number).
    key: object
    # Six cases of the reader's district, one of another district.
    make: object


def _day(n: int):
    return timezone.localdate() + timedelta(days=n)


def _body(unit, code):
    return MediationBody.objects.create(
        code=code, name=f"{unit}调解中心", kind="township", unit=unit
    )


def _commission(unit, code):
    return ArbitrationCommission.objects.create(
        code=code, name=f"{unit}仲裁委员会", unit=unit, short_name=str(unit)[:2]
    )


def _mediations(user, unit, n, serial):
    body = _body(unit, f"M{unit.code}900")
    return [
        open_mediation(user, body, employer=f"{unit}调解{i}", serial=serial + 10 * i)
        for i in range(n)
    ]


def _arbitrations(user, unit, n, serial):
    commission = _commission(unit, f"A{unit.code}9")
    return [
        receive(user, commission, employer=f"{unit}仲裁{i}", serial=serial + 10 * i)
        for i in range(n)
    ]


def _complaints(user, unit, n, serial):
    return [
        inspection.register_complaint(
            user,
            unit=unit,
            channel="hotline_12333",
            received_on=working_days_ago(2),
            **complaint_data(employer_name=f"{unit}投诉{i}", is_anonymous=True),
        )
        for i in range(n)
    ]


def _cases(user, unit, n, serial):
    return [
        inspection.accept_complaint(user, c, accepted_on=c.received_on)
        for c in _complaints(user, unit, n, serial)
    ]


QUEUES = {
    "mediation": Queue(
        "/disputes/mediation/", "案件", "received_on", MediationCase, lambda c: c.pk, _mediations
    ),
    "arbitration": Queue(
        "/disputes/arbitration/",
        "案件",
        "received_on",
        ArbitrationCase,
        lambda c: c.number or f"（未受理）{c.pk}",
        _arbitrations,
    ),
    "complaint": Queue(
        "/inspection/complaints/",
        "举报投诉",
        "received_on",
        Complaint,
        lambda c: c.reference,
        _complaints,
    ),
    "case": Queue(
        "/inspection/cases/", "案件", "accepted_on", InspectionCase, lambda c: c.number, _cases
    ),
}


def _spread(queue: Queue, cases, user):
    """Mine, overdue (one collective), due soon and mine, two closed, received in an order
    other than the work order (collective first, nearest deadline)."""
    states = [
        {"assigned_to": user, "due_on": _day(20), "received_on": _day(-30)},
        {"due_on": _day(-2), "is_collective": True, "received_on": _day(-2)},
        {"due_on": _day(-1), "received_on": _day(-10)},
        {"due_on": _day(1), "assigned_to": user, "received_on": _day(-20)},
        {"ended_on": _day(-5), "due_on": None, "received_on": _day(-40)},
        {"ended_on": _day(-1), "due_on": None, "received_on": _day(-50)},
    ]
    for case, values in zip(cases, states, strict=True):
        queue.model.objects.filter(pk=case.pk).update(**values)
    return [queue.model.objects.get(pk=c.pk) for c in cases]


@pytest.fixture(params=list(QUEUES))
def world(request, district_staff, shapingba_staff, yuzhong, shapingba):
    queue = QUEUES[request.param]
    mine = _spread(queue, queue.make(district_staff, yuzhong, 6, 0), district_staff)
    (other,) = queue.make(shapingba_staff, shapingba, 1, 500)
    return queue, mine, other


def page_keys(queue: Queue, response) -> list:
    assert response.status_code == 200
    rows = response.context["rows"]
    return [queue.key(row.get("case") or row.get("obj")) for row in rows]


def export_keys(response) -> list:
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    return [row[0] for row in list(sheet.iter_rows(values_only=True))[1:]]


@pytest.mark.parametrize("tab", ["mine", "unit", "overdue", "closed", "due_soon"])
@pytest.mark.parametrize("sort", [None, "date", "-date", "due_on"])
def test_the_export_is_the_page_in_the_page_order(login_client, district_staff, world, tab, sort):
    queue, mine, other = world
    client = login_client(district_staff)
    query = {"queue": tab, "page_size": 100}
    if sort is not None:
        query["sort"] = sort.replace("date", queue.date_key)
    page = page_keys(queue, client.get(queue.url, query))
    exported = export_keys(client.get(f"{queue.url}export/", query))
    assert exported == page
    assert queue.key(other) not in page
    expected = {"mine": 2, "overdue": 2, "closed": 2, "due_soon": 1}.get(tab)
    if expected is not None:
        assert len(page) >= expected
    else:
        assert {queue.key(c) for c in mine[:4]} <= set(page)


def test_the_work_order_is_the_page_and_export_order(login_client, district_staff, world):
    """Unsorted, the unit's tab is collective first, then the nearest deadline, in the page and
    in the workbook alike (not the order of receipt)."""
    queue, mine, _ = world
    client = login_client(district_staff)
    query = {"queue": "unit", "page_size": 100}
    page = page_keys(queue, client.get(queue.url, query))
    ours = [k for k in page if k in {queue.key(c) for c in mine}]
    assert ours == [queue.key(mine[i]) for i in (1, 2, 3, 0)]
    assert export_keys(client.get(f"{queue.url}export/", query)) == page
    closed = page_keys(queue, client.get(queue.url, {"queue": "closed"}))
    assert closed[:2] == [queue.key(mine[5]), queue.key(mine[4])]  # the latest ended first


def test_another_district_sees_its_own_only(login_client, shapingba_staff, world):
    queue, mine, other = world
    client = login_client(shapingba_staff)
    for tab in ("unit", "closed", "overdue"):
        query = {"queue": tab, "page_size": 100}
        page = page_keys(queue, client.get(queue.url, query))
        exported = export_keys(client.get(f"{queue.url}export/", query))
        assert exported == page
        assert not {queue.key(c) for c in mine} & set(page)
    assert queue.key(other) in page_keys(queue, client.get(queue.url))


@pytest.mark.parametrize("name", list(QUEUES))
def test_an_empty_tab_says_why(login_client, liangjiang_staff, name):
    queue = QUEUES[name]
    client = login_client(liangjiang_staff)
    where = f"{liangjiang_staff.unit}范围内"
    closed = "尚无已办结的举报投诉" if name == "complaint" else f"尚无已结{queue.noun}"
    reasons = {
        "mine": f"没有分配给您的在办{queue.noun}。",
        "unit": f"{where}尚无在办{queue.noun}。",
        "unassigned": f"没有待分配的{queue.noun}。",
        "due_soon": f"日内到期的{queue.noun}。",
        "overdue": f"没有已超期的{queue.noun}。",
        "closed": f"{where}{closed}。",
    }
    for tab, reason in reasons.items():
        html = client.get(queue.url, {"queue": tab}).content.decode()
        assert 'data-testid="empty-state"' in html and reason in html, tab
    filtered = client.get(queue.url, {"queue": "closed", "employer": "无此单位"}).content.decode()
    assert "没有符合筛选条件的" in filtered and "queue=closed" in filtered


def test_an_unknown_tab_is_the_units(login_client, district_staff, world):
    queue, _, _ = world
    client = login_client(district_staff)
    unknown = client.get(queue.url, {"queue": "nonsense", "page_size": 100})
    assert unknown.context["queue"] == "unit"
    unit = page_keys(queue, client.get(queue.url, {"queue": "unit", "page_size": 100}))
    assert page_keys(queue, unknown) == unit
    export = client.get(f"{queue.url}export/", {"queue": "nonsense"})
    assert quote("本单位") in export["Content-Disposition"]
    assert export_keys(export) == unit
