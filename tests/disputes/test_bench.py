"""The work bench (#13): arbitration applications waiting for the decision on acceptance,
each queue a link to the list filtered to exactly those rows, within the user's district and
only for those who decide."""

from __future__ import annotations

import pytest

from tests.bench import listed, queues
from tests.disputes.test_views import receive
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCommission

pytestmark = pytest.mark.django_db

TO_REVIEW, TO_COMPLETE = "仲裁申请待审查", "仲裁申请待补正"


@pytest.fixture
def shapingba_commission(shapingba):
    return ArbitrationCommission.objects.create(
        code="A500106", name="沙坪坝区劳动人事争议仲裁委员会", unit=shapingba, short_name="沙劳人仲"
    )


def test_applications_to_decide_count_what_the_list_shows(
    login_client, district_staff, shapingba_staff, commission, shapingba_commission
):
    for _ in range(2):
        receive(district_staff, commission)
    waiting = receive(district_staff, commission)
    services.request_materials(district_staff, waiting, items="身份证明复印件")
    accepted = receive(district_staff, commission)
    services.accept(
        district_staff, accepted, accepted_on=accepted.received_on, procedure="ordinary"
    )
    # Another district's applications never count here.
    receive(shapingba_staff, shapingba_commission)

    client = login_client(district_staff)
    bench = queues(client)
    assert bench[TO_REVIEW]["value"] == 2 == listed(client, bench[TO_REVIEW]["url"])
    assert bench[TO_COMPLETE]["value"] == 1 == listed(client, bench[TO_COMPLETE]["url"])

    other = queues(login_client(shapingba_staff))
    assert other[TO_REVIEW]["value"] == 1
    assert other[TO_COMPLETE]["value"] == 0


def test_only_those_who_decide_get_the_queues(
    login_client, district_staff, auditor, mediator, arbitrator_user, commission
):
    receive(district_staff, commission)
    assert queues(login_client(arbitrator_user))[TO_REVIEW]["value"] == 1
    for reader in (auditor, mediator):
        assert TO_REVIEW not in queues(login_client(reader))
