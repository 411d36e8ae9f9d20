"""The work bench (#13): collective contracts under the labour administration's 15-day review
(for the reviewers), contracts expired without renewal; an enterprise account's own
obligations (a union to found, its contracts to file, renew or replace). Each count equals the
list its card links to, within the user's district or enterprise."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.bench import listed, queues
from tests.factories import EnterpriseFactory
from tests.relations.conftest import draft, establish, follow_up, meeting, to_stage
from yutong.relations import services

pytestmark = pytest.mark.django_db

UNDER_REVIEW, EXPIRED, TO_FILE = "集体合同待审查", "集体合同到期未续订", "集体合同待报送"


def days_ago(n: int):
    return timezone.localdate() - timedelta(days=n)


def filed_recently(actor, enterprise):
    return to_stage(
        actor,
        draft(actor, enterprise, term_start=days_ago(3)),
        "filed",
        signed_on=days_ago(2),
        filed_on=days_ago(1),
    )


def expired(actor, enterprise):
    start = days_ago(800)
    contract = draft(
        actor,
        enterprise,
        term_start=start,
        expires_on=services.add_years(start, 2) - timedelta(days=1),
    )
    return to_stage(actor, contract, "filed", signed_on=start, filed_on=start)


def test_contracts_under_review_for_the_reviewers_of_the_district(
    login_client, union_officer, spb_union_officer, district_staff, shapingba_staff, firms, unions
):
    filed_recently(union_officer, firms.big)
    filed_recently(union_officer, firms.mid)
    establish(spb_union_officer, firms.other)
    filed_recently(spb_union_officer, firms.other)

    client = login_client(district_staff)
    bench = queues(client)
    assert bench[UNDER_REVIEW]["value"] == 2 == listed(client, bench[UNDER_REVIEW]["url"])
    assert queues(login_client(shapingba_staff))[UNDER_REVIEW]["value"] == 1
    # The union officer files but does not review.
    assert UNDER_REVIEW not in queues(login_client(union_officer))


def test_contracts_expired_without_renewal(
    login_client, union_officer, spb_union_officer, district_staff, firms, unions
):
    expired(union_officer, firms.big)
    renewed = expired(union_officer, firms.mid)
    services.renew_contract(
        union_officer, renewed, expires_on=services.add_years(renewed.expires_on, 3)
    )
    establish(spb_union_officer, firms.other)
    expired(spb_union_officer, firms.other)

    client = login_client(district_staff)
    bench = queues(client)
    assert bench[EXPIRED]["value"] == 1 == listed(client, bench[EXPIRED]["url"])


def test_a_new_contract_without_the_renewal_action_ends_the_expired_one(
    login_client, union_officer, district_staff, firms, unions
):
    """A firm whose old contract expired and which signed a new one through 登记集体合同草案 (no
    续订 link) owes no contract: the queue must not list it."""
    old = expired(union_officer, firms.big)
    client = login_client(district_staff)
    assert queues(client)[EXPIRED]["value"] == 1
    start = days_ago(30)
    new = draft(
        union_officer,
        firms.big,
        term_start=start,
        expires_on=services.add_years(start, 3) - timedelta(days=1),
    )
    assert new.previous_id is None and new.pk > old.pk
    bench = queues(client)
    assert bench[EXPIRED]["value"] == 0 == listed(client, bench[EXPIRED]["url"])
    # An objected or terminated contract does not take its place.
    services.terminate_contract(union_officer, new, terminated_on=days_ago(0), reason="测试")
    assert queues(client)[EXPIRED]["value"] == 1


@pytest.fixture
def own_enterprise(yuzhong):
    """The enterprise account's company: 40 employees, old enough to need a union."""
    return EnterpriseFactory(name="渝中自有科技有限公司", unit=yuzhong, employee_count=40)


def test_enterprise_sees_its_own_obligations_only(
    login_client, enterprise_user, own_enterprise, union_officer, firms
):
    client = login_client(enterprise_user)
    bench = queues(client)
    assert bench["本企业应建未建工会"]["value"] == 1
    assert listed(client, bench["本企业应建未建工会"]["url"]) == 1
    assert "重点建会企业未签集体合同" not in bench and UNDER_REVIEW not in bench

    # Other firms' contracts (and unions) are not its business.
    establish(union_officer, firms.big)
    to_stage(union_officer, draft(union_officer, firms.big), "signed")
    expired(union_officer, firms.big)
    establish(union_officer, own_enterprise)
    to_stage(union_officer, draft(union_officer, own_enterprise), "signed")

    bench = queues(client)
    assert bench["本企业应建未建工会"]["value"] == 0
    assert bench["本企业" + TO_FILE]["value"] == 1
    assert listed(client, bench["本企业" + TO_FILE]["url"]) == 1
    assert bench["本企业" + EXPIRED]["value"] == 0
    assert "三方会议督办事项逾期" not in bench


def test_follow_ups_due_soon_and_overdue_of_the_district(
    login_client, district_staff, shapingba_staff, enterprise_user, yuzhong, shapingba
):
    meeting(
        district_staff,
        yuzhong,
        follow_ups=[
            follow_up("督办甲", days_ago(-2)),
            follow_up("督办乙", days_ago(-5)),
            follow_up("督办丙", days_ago(-30)),
            follow_up("督办丁", days_ago(3)),
        ],
    )
    meeting(
        shapingba_staff,
        shapingba,
        title="沙坪坝区协调劳动关系三方会议",
        follow_ups=[follow_up("督办戊", days_ago(-1))],
    )
    client = login_client(district_staff)
    bench = queues(client)
    due, overdue = bench["三方会议督办事项即将到期"], bench["三方会议督办事项逾期"]
    assert due["value"] == 2 == listed(client, due["url"])
    assert overdue["value"] == 1 == listed(client, overdue["url"])
    assert queues(login_client(shapingba_staff))["三方会议督办事项即将到期"]["value"] == 1
    assert "三方会议督办事项即将到期" not in queues(login_client(enterprise_user))
