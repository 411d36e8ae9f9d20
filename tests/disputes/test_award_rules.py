"""Awards the law rules out: while suspended, without a tribunal, before the hearing, above the
claim; and an arbitration application dated before its mediation had failed."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from yutong.disputes import services
from yutong.disputes.models import ArbitrationCase, AwardItem, MediationCase


@pytest.fixture
def accepted(arbitrator_user, dispute, commission):
    case = services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
    )
    return services.accept(
        arbitrator_user, case, accepted_on=date(2026, 9, 28), procedure="ordinary"
    )


@pytest.fixture
def heard(arbitrator_user, accepted, arbitrators):
    """Tribunal formed, hearing on 2026-10-20."""
    case = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    return services.schedule_hearing(
        arbitrator_user,
        case,
        hearing_at=timezone.make_aware(datetime(2026, 10, 20, 9, 30)),
        notified_on=date(2026, 10, 9),
    )


def _claim(case, code):
    return case.dispute.claims.get(claim_type=code)


def _award(actor, case, items, closed_on=date(2026, 11, 10)):
    return services.close(actor, case, closure="award", closed_on=closed_on, items=items)


def _refused(actor, case, items, closed_on=date(2026, 11, 10)) -> dict:
    with pytest.raises(ValidationError) as caught:
        _award(actor, case, items, closed_on)
    assert not AwardItem.objects.exists()
    assert ArbitrationCase.objects.get(pk=case.pk).closed_on is None
    return caught.value.message_dict


def test_no_award_while_the_case_is_suspended(arbitrator_user, heard, wage_parameters):
    case = services.suspend(
        arbitrator_user, heard, from_day=date(2026, 10, 25), reason="劳动者住院", approver="主任"
    )
    items = [{"claim": _claim(case, "wages"), "amount": "100"}]
    errors = _refused(arbitrator_user, case, items)
    assert errors["closure"] == ["案件正在中止审理，恢复审理后才能作出裁决（办案规则第四十七条）。"]
    case = services.resume(arbitrator_user, case, to_day=date(2026, 11, 1))
    assert _award(arbitrator_user, case, items).closure == "award"


def test_no_award_without_a_tribunal(arbitrator_user, accepted, wage_parameters):
    items = [{"claim": _claim(accepted, "wages"), "amount": "100"}]
    errors = _refused(arbitrator_user, accepted, items)
    assert errors["closure"] == [
        "尚未组成仲裁庭，不能作出裁决（调解仲裁法第三十一条、第四十五条）。"
    ]
    # Other closures need no tribunal: a withdrawal ends the case before any is formed.
    case = services.close(
        arbitrator_user, accepted, closure="withdrawn", closed_on=date(2026, 10, 1)
    )
    assert case.closure == "withdrawn"


def test_no_award_dated_before_the_hearing(arbitrator_user, heard, wage_parameters):
    items = [{"claim": _claim(heard, "wages"), "amount": "100"}]
    errors = _refused(arbitrator_user, heard, items, closed_on=date(2026, 10, 19))
    assert errors["closed_on"] == [
        "裁决日期不能早于开庭日期（2026-10-20）（调解仲裁法第三十五条至第三十八条）。"
    ]
    assert _award(arbitrator_user, heard, items, closed_on=date(2026, 10, 20)).closure == "award"


def test_a_remuneration_item_cannot_exceed_its_claim(arbitrator_user, heard, wage_parameters):
    items = [{"claim": _claim(heard, "wages"), "amount": "12000.01", "reason": "按实际计算"}]
    errors = _refused(arbitrator_user, heard, items)
    assert errors["items"] == ["第 1 项：拖欠工资裁决金额不能超过请求金额 12,000.00 元。"]
    items[0]["amount"] = "12000"
    assert _award(arbitrator_user, heard, items).award_items.get().amount == Decimal("12000")


def test_compensation_above_its_claim_needs_a_recorded_reason(
    arbitrator_user, heard, wage_parameters
):
    items = [{"claim": _claim(heard, "economic_compensation"), "amount": "33000"}]
    errors = _refused(arbitrator_user, heard, items)
    assert errors["items"] == [
        "第 1 项：解除或终止劳动合同经济补偿裁决金额超过请求金额 30,000.00 元，"
        "请填写依法计算的理由。"
    ]
    items[0]["reason"] = "按劳动合同法第四十七条，工作 5.5 年应支付 6 个月工资"
    item = _award(arbitrator_user, heard, items).award_items.get()
    assert item.amount == Decimal("33000") and item.over_claim_reason == items[0]["reason"]


def test_a_reason_is_not_kept_for_an_item_within_its_claim(arbitrator_user, heard, wage_parameters):
    items = [{"claim": _claim(heard, "economic_compensation"), "amount": "30000", "reason": "x"}]
    assert _award(arbitrator_user, heard, items).award_items.get().over_claim_reason == ""


def test_arbitration_cannot_be_dated_before_the_mediation_failed(
    mediator, dispute, body, commission
):
    case = services.open_mediation(mediator, dispute, body=body, received_on=date(2026, 9, 1))
    case = services.close_mediation(
        mediator, case, closure="no_agreement", closed_on=date(2026, 9, 10)
    )
    with pytest.raises(ValidationError) as caught:
        services.transfer_to_arbitration(
            mediator, case, commission=commission, received_on=date(2026, 9, 9)
        )
    assert caught.value.message_dict["received_on"] == [
        "仲裁申请日期不能早于调解不成的日期（2026-09-10）。"
    ]
    assert not ArbitrationCase.objects.exists()
    arbitration = services.transfer_to_arbitration(
        mediator,
        MediationCase.objects.get(pk=case.pk),
        commission=commission,
        received_on=date(2026, 9, 10),
    )
    assert arbitration.from_mediation_id == case.pk


def test_the_api_takes_and_shows_the_reason(arbitrator_user, heard, wage_parameters, api_client):
    claim = _claim(heard, "economic_compensation")
    url = f"/api/v1/arbitration-cases/{heard.pk}/close/"
    payload = {"closure": "award", "closed_on": "2026-11-10", "version": heard.version}
    client = api_client(arbitrator_user)
    refused = client.post(
        url, payload | {"items": [{"claim": claim.pk, "amount": "31000"}]}, format="json"
    )
    assert refused.status_code == 400
    assert "请填写依法计算的理由" in refused.json()["items"][0]
    item = {"claim": claim.pk, "amount": "31000", "reason": "按法定标准计算"}
    done = client.post(url, payload | {"items": [item]}, format="json")
    assert done.status_code == 200, done.json()
    assert done.json()["award_items"][0]["over_claim_reason"] == "按法定标准计算"
