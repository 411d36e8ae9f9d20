"""Issue 12: a case number is written one way on the arbitration list and the case page."""

from __future__ import annotations

import pytest

from tests.disputes.test_views import ARBITRATION, receive


@pytest.mark.django_db
def test_pending_arbitration_is_written_the_same_way_on_list_and_page(
    login_client, arbitrator_user, commission
):
    arbitrator_client = login_client(arbitrator_user)
    received = receive(arbitrator_user, commission, employer="待受理公司")
    expected = f"待受理（收件 {received.pk}）"
    assert expected in arbitrator_client.get(ARBITRATION).content.decode()
    page = arbitrator_client.get(f"/disputes/arbitration/{received.pk}/").content.decode()
    assert page.count(expected) >= 3  # title, breadcrumb, heading


@pytest.mark.django_db
def test_a_refused_application_is_not_written_as_pending(login_client, arbitrator_user, commission):
    from yutong.disputes import services

    received = receive(arbitrator_user, commission, employer="不予受理公司")
    refused = services.refuse(
        arbitrator_user, received, refused_on=received.received_on, reason="不属于受案范围"
    )
    client = login_client(arbitrator_user)
    expected = f"不予受理（收件 {refused.pk}）"
    page = client.get(f"/disputes/arbitration/{refused.pk}/").content.decode()
    assert expected in page
    assert f"待受理（收件 {refused.pk}）" not in page
    listing = client.get(ARBITRATION, {"queue": "closed"}).content.decode()
    assert expected in listing
    assert f"待受理（收件 {refused.pk}）" not in listing
