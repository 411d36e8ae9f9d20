"""Issue 12: the inspection pages — complaints, cases, ratings, blacklist — and the printed
notice write case numbers and dates one way (``{% load display %}``)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tests.display_checks import assert_written_one_way
from tests.inspection.test_ratings import closed_case
from yutong.inspection import services

pytestmark = pytest.mark.django_db


def test_inspection_pages_write_values_one_way(
    login_client, client, inspector, inspector2, complaint, case, employer, yuzhong
):
    today = timezone.localdate()
    unpaid = closed_case(inspector, inspector2, employer, on=today, refused_order=True)
    listing = services.list_in_blacklist(
        inspector, unpaid, condition="criminal_threshold", basis="拒不支付", listed_on=today
    )
    services.compute_ratings(inspector, unit=yuzhong, year=today.year)
    staff = login_client(inspector)
    pages = {
        "/inspection/complaints/?queue=closed": complaint.reference,
        f"/inspection/complaints/{complaint.pk}/": case.number,
        "/inspection/cases/": case.number,
        "/inspection/cases/?queue=closed": unpaid.number,
        f"/inspection/cases/{case.pk}/": complaint.reference,
        f"/inspection/cases/{unpaid.pk}/": today.strftime("%Y-%m-%d"),
        "/inspection/ratings/": "",
        "/inspection/blacklist/": unpaid.number,
        f"/inspection/blacklist/{listing.pk}/": unpaid.number,
    }
    for url, expected in pages.items():
        response = staff.get(url)
        assert response.status_code == 200, url
        text = assert_written_one_way(response.content.decode())
        assert expected in text, url
    public = client.get("/inspection/blacklist/public/").content.decode()
    assert today.strftime("%Y-%m-%d") in assert_written_one_way(public)


def test_the_printed_notice_writes_dates_as_a_document(login_client, inspector, complaint):
    refused = services.refuse_complaint(
        inspector, complaint, reason="不属于劳动保障监察事项", refused_on=complaint.received_on
    )
    page = login_client(inspector).get(f"/inspection/complaints/{refused.pk}/notice/")
    document = page.content.decode().split('data-testid="notice-document"')[1]
    text = assert_written_one_way(document, printed=True)
    day = refused.received_on
    assert f"{day.year}年{day.month}月{day.day}日" in text
    assert refused.reference in text
