"""An enterprise account hears (站内信) when staff decide on what its enterprise submitted,
from the service that records the decision: a collective contract received for review (with
the day it takes effect unless objected to; the objection itself: test_services), and a
harmony grade revoked (the review's grant or refusal: tests/harmony). Other enterprises and
the staff acting hear nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.relations.conftest import SIGNED, draft, establish, to_stage
from yutong.core.models import Message
from yutong.harmony import services as harmony
from yutong.harmony.models import HarmonyEvaluation
from yutong.relations import services

pytestmark = pytest.mark.django_db


def test_filing_tells_the_enterprise_when_its_contract_takes_effect(
    login_client, union_officer, district_staff, enterprise_user, own_enterprise, firms
):
    establish(union_officer, own_enterprise)
    contract = to_stage(union_officer, draft(union_officer, own_enterprise), "signed")
    establish(union_officer, firms.big)
    other = to_stage(union_officer, draft(union_officer, firms.big), "signed")
    assert not Message.objects.exists()  # nothing before the filing
    contract = services.file_contract(district_staff, contract, filed_on=SIGNED)
    services.file_contract(district_staff, other, filed_on=SIGNED)  # no account: no one told
    (message,) = Message.objects.all()
    assert message.recipient == enterprise_user and message.kind == Message.Kind.DECISION
    assert message.sender == district_staff
    assert message.title == "集体合同已由渝中区人社部门受理审查"
    assert message.body == (
        f"{SIGNED} 报送；审查期限至 {contract.review_due_on}，期间未提出异议的，"
        f"合同自 {contract.effective_from} 起生效。"
    )
    # the link opens the contract for the enterprise's account
    assert message.url == f"/relations/contracts/{contract.pk}/"
    assert login_client(enterprise_user).get(message.url).status_code == 200


def test_a_late_filing_says_so(union_officer, district_staff, enterprise_user, own_enterprise):
    establish(union_officer, own_enterprise)
    contract = to_stage(union_officer, draft(union_officer, own_enterprise), "signed")
    late = contract.filing_due_on + timedelta(days=3)
    services.file_contract(district_staff, contract, filed_on=late)
    (message,) = Message.objects.filter(recipient=enterprise_user)
    assert "逾期 3 日报送" in message.body


def test_a_regional_contract_tells_no_single_enterprise(union_officer, firms, streets):
    """Its parties are the region's union and employers' representatives, not an enterprise
    (the same for an objection)."""
    from tests.factories import OrganisationFactory, UserFactory
    from yutong.core import roles
    from yutong.core.models import Organisation

    organisation = OrganisationFactory(
        name=firms.big.name,
        kind=Organisation.Kind.ENTERPRISE,
        unit=firms.big.unit,
        uscc=firms.big.uscc,
    )
    UserFactory(
        username="big_hr",
        unit=firms.big.unit,
        organisation=organisation,
        roles=[roles.ENTERPRISE_USER],
    )
    contract = draft(
        union_officer,
        None,
        scope="regional",
        title="解放碑街道区域性集体合同",
        region=streets.jiefangbei,
        covered=[firms.big, firms.mid],
    )
    contract = to_stage(union_officer, contract, "filed")
    assert contract.stage == "filed"
    assert not Message.objects.exists()


def test_revoking_a_grade_tells_the_enterprise(
    login_client, district_staff, enterprise_user, own_enterprise
):
    today = date.today()
    evaluation = HarmonyEvaluation.objects.create(
        enterprise=own_enterprise,
        unit=own_enterprise.unit,
        grade="A",
        status=HarmonyEvaluation.Status.APPROVED,
        self_score=95,
        review_score=95,
        decision="approve",
        submitted_on=today,
        reviewed_on=today,
        granted_on=today,
        valid_until=today + timedelta(days=365),
        is_current=True,
    )
    harmony.revoke_evaluation(district_staff, evaluation, reason="发生拖欠工资事件")
    (message,) = Message.objects.all()
    assert message.recipient == enterprise_user and message.kind == Message.Kind.DECISION
    assert message.title == "和谐企业等级已撤销：A级"
    assert message.body == "发生拖欠工资事件"
    assert message.url == f"/harmony/evaluations/{evaluation.pk}/"
    assert login_client(enterprise_user).get(message.url).status_code == 200
