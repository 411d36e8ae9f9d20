"""Issue 12: the mediation pages and the printed mediation agreement write case numbers and
dates one way (``{% load display %}``): "调<id>", 2026-09-01 on screen, 2026年9月10日 printed;
a mediation that went to arbitration names the arbitration case the same way."""

from __future__ import annotations

from datetime import date

import pytest

from tests.display_checks import assert_written_one_way
from tests.disputes.test_views import MEDIATION
from yutong.disputes import services

pytestmark = pytest.mark.django_db


def test_mediation_pages_and_agreement_write_values_one_way(
    login_client, mediator, arbitrator_user, dispute, body, mediator_person, commission
):
    open_case = services.open_mediation(
        mediator, dispute, body=body, received_on=date(2026, 9, 1), mediator=mediator_person
    )
    failed = services.close_mediation(
        mediator, open_case, closure="no_agreement", closed_on=date(2026, 9, 10)
    )
    received = services.receive_arbitration(
        arbitrator_user,
        dispute,
        commission=commission,
        received_on=date(2026, 9, 12),
        from_mediation=failed,
    )
    client = login_client(mediator)
    for url, expected in {
        f"{MEDIATION}?queue=closed": f"调{failed.pk}",
        f"{MEDIATION}{failed.pk}/": "2026-09-10",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        text = assert_written_one_way(response.content.decode())
        assert expected in text, url
    page = client.get(f"{MEDIATION}{failed.pk}/").content.decode()
    assert f"调解案件 调{failed.pk}" in page and "2026-09-01" in page
    arbitration = login_client(arbitrator_user).get(f"/disputes/arbitration/{received.pk}/")
    text = assert_written_one_way(arbitration.content.decode())
    assert f"调{failed.pk}" in text and f"待受理（收件 {received.pk}）" in text


def test_the_printed_agreement_writes_dates_as_a_document(
    login_client, mediator, dispute, body, mediator_person
):
    case = services.open_mediation(
        mediator, dispute, body=body, received_on=date(2026, 9, 1), mediator=mediator_person
    )
    agreed = services.close_mediation(
        mediator,
        case,
        closure="agreement",
        closed_on=date(2026, 9, 10),
        agreement_text="被申请人支付工资 10000 元。",
        agreed_amount=10000,
    )
    response = login_client(mediator).get(f"{MEDIATION}{agreed.pk}/documents/agreement/")
    text = assert_written_one_way(response.content.decode(), printed=True)
    assert "2026年9月1日" in text and "2026年9月10日" in text
