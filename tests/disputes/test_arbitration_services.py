"""Arbitration: acceptance decision, materials, the 45-day clock, extension, suspension,
tribunal, hearing notice, closure with the per-item final-award test."""

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import clear_shipped_wage_parameters
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCase, AwardItem


@pytest.fixture
def received(arbitrator_user, dispute, commission):
    return services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
    )


@pytest.fixture
def accepted(arbitrator_user, received):
    return services.accept(
        arbitrator_user, received, accepted_on=date(2026, 9, 28), procedure="ordinary"
    )


def test_receive_sets_the_five_day_decision(received):
    assert received.decision_due_on == date(2026, 9, 30)
    assert received.due_on == date(2026, 9, 30)
    assert received.status == "received"


def test_materials_request_resets_the_received_date(arbitrator_user, received):
    with pytest.raises(ValidationError) as caught:
        services.request_materials(arbitrator_user, received, items=" ")
    assert caught.value.message_dict == {"items": ["请一次性列明需要补正的全部材料。"]}
    case = services.request_materials(arbitrator_user, received, items="劳动合同复印件；工资条")
    assert (case.status, case.due_on) == ("materials_requested", None)
    case = services.materials_supplied(arbitrator_user, case, on=date(2026, 9, 29))
    # 5 days after 09-29 is 10-04, in the National Day holiday: the period ends on 10-08.
    assert (case.received_on, case.decision_due_on, case.status) == (
        date(2026, 9, 29),
        date(2026, 10, 8),
        "received",
    )


def test_accept_starts_the_45_day_clock_and_numbers_the_case(accepted):
    assert accepted.due_on == date(2026, 11, 12)
    assert accepted.number == "渝中劳人仲案字〔2026〕第1号"
    assert accepted.status == "accepted"


def test_accept_in_the_wrong_state_is_refused(arbitrator_user, accepted):
    with pytest.raises(ValidationError) as caught:
        services.accept(
            arbitrator_user, accepted, accepted_on=date(2026, 9, 29), procedure="ordinary"
        )
    assert "不能进行此操作" in caught.value.messages[0]


def test_refuse_needs_a_reason_and_ends_the_case(arbitrator_user, received):
    with pytest.raises(ValidationError) as caught:
        services.refuse(arbitrator_user, received, refused_on=date(2026, 9, 28), reason="")
    assert caught.value.message_dict == {"reason": ["请填写不予受理的理由。"]}
    case = services.refuse(
        arbitrator_user, received, refused_on=date(2026, 9, 28), reason="超过仲裁时效"
    )
    assert (case.status, case.ended_on, case.closed_on, case.closure) == (
        "refused",
        date(2026, 9, 28),
        None,
        "",
    )


def test_one_extension_of_at_most_15_days(arbitrator_user, accepted):
    for days, message in ((16, "延长天数应为 1 至 15。"), (0, "延长天数应为 1 至 15。")):
        with pytest.raises(ValidationError) as caught:
            services.extend(
                arbitrator_user, accepted, days=days, reason="案情复杂", approver="仲裁委主任"
            )
        assert caught.value.message_dict["days"] == [message]
    case = services.extend(
        arbitrator_user,
        ArbitrationCase.objects.get(pk=accepted.pk),
        days=15,
        reason="案情复杂",
        approver="仲裁委主任",
        decided_on=date(2026, 10, 20),  # before the 45 days ran out (Art.43)
    )
    assert case.due_on == date(2026, 11, 27)
    with pytest.raises(ValidationError) as caught:
        services.extend(arbitrator_user, case, days=5, reason="再延", approver="仲裁委主任")
    assert caught.value.message_dict["days"] == ["期限只能延长 1 次，本案已延长过。"]
    assert ArbitrationCase.objects.get(pk=case.pk).due_on == date(2026, 11, 27)


def test_suspension_stops_the_clock(arbitrator_user, accepted):
    case = services.suspend(
        arbitrator_user,
        accepted,
        from_day=date(2026, 10, 20),
        reason="劳动者死亡，继承人未确定",
        approver="仲裁院院长",
    )
    assert case.due_on is None  # suspended before the clock ran out: no due date
    with pytest.raises(ValidationError):
        services.suspend(
            arbitrator_user, case, from_day=date(2026, 10, 21), reason="x", approver="y"
        )
    case = services.resume(arbitrator_user, case, to_day=date(2026, 10, 29))
    assert case.due_on == date(2026, 11, 23)  # 10 days suspended (10-20..10-29) don't count


def test_tribunal_size_follows_the_procedure(arbitrator_user, accepted, arbitrators):
    with pytest.raises(ValidationError) as caught:
        services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators[:1])
    assert caught.value.message_dict["arbitrators"] == ["普通程序（合议）应由 3 名仲裁员组庭。"]
    case = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    assert case.tribunal.count() == 3 and case.status == "tribunal_formed"


def test_hearing_notice_at_least_five_days_ahead(arbitrator_user, accepted, arbitrators):
    case = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    hearing = timezone.make_aware(datetime(2026, 10, 14, 9, 30))
    with pytest.raises(ValidationError) as caught:
        services.schedule_hearing(
            arbitrator_user, case, hearing_at=hearing, notified_on=date(2026, 10, 10)
        )
    assert caught.value.message_dict["hearing_at"] == ["开庭日期应在通知之日起至少 5 日后。"]
    case = services.schedule_hearing(
        arbitrator_user, case, hearing_at=hearing, notified_on=date(2026, 10, 9)
    )
    assert case.status == "hearing_scheduled"


def test_award_items_are_tested_final_one_by_one(
    arbitrator_user, accepted, arbitrators, wage_parameters
):
    accepted = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    claims = {c.claim_type_id: c for c in accepted.dispute.claims.all()}
    case = services.close(
        arbitrator_user,
        accepted,
        closure="award",
        closed_on=date(2026, 11, 10),
        items=[
            {"claim": claims["wages"], "amount": "12000"},
            {"claim": claims["economic_compensation"], "amount": "27960.01"},
            {"claim": claims["working_time"], "amount": "0"},
        ],
    )
    items = {i.claim.claim_type_id: i for i in AwardItem.objects.filter(case=case)}
    # 12 x 2,330 = 27,960: 12,000 is final, 27,960.01 is not; working time is always final.
    assert items["wages"].is_final is True
    assert items["economic_compensation"].is_final is False
    assert "超过限额 27,960.00 元" in items["economic_compensation"].final_basis
    assert items["working_time"].is_final is True
    assert (case.closure, case.closed_on, case.ended_on, case.due_on) == (
        "award",
        date(2026, 11, 10),
        date(2026, 11, 10),
        None,
    )
    assert case.events.last().text == "结案：裁决，非终局裁决（2026-11-10）。"


def test_award_without_minimum_wage_asks_for_it(arbitrator_user, accepted, arbitrators):
    accepted = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    clear_shipped_wage_parameters()
    claim = accepted.dispute.claims.get(claim_type="wages")
    with pytest.raises(ValidationError) as caught:
        services.close(
            arbitrator_user,
            accepted,
            closure="award",
            closed_on=date(2026, 11, 10),
            items=[{"claim": claim, "amount": "100"}],
        )
    assert "min_wage_tier" in caught.value.messages[0]
    assert not AwardItem.objects.exists()
    assert ArbitrationCase.objects.get(pk=accepted.pk).closed_on is None


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"closure": "award", "items": []}, "items", "裁决结案须至少列明一项裁决事项。"),
        (
            {"closure": "withdrawn", "items": [{"claim": 1, "amount": 1}]},
            "items",
            "只有裁决结案需要填写裁决事项。",
        ),
        ({"closure": "terminated"}, "note", "请说明撤销、终止或按撤回处理的事由。"),
        ({"closure": "bogus"}, "closure", "请选择结案方式。"),
        (
            {"closure": "withdrawn", "closed_on": date(2026, 9, 27)},
            "closed_on",
            "日期不能早于受理日期（2026-09-28）。",
        ),
    ],
)
def test_closure_needs_its_fields(arbitrator_user, accepted, arbitrators, data, field, message):
    accepted = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    data = {"closed_on": date(2026, 10, 30)} | data
    with pytest.raises(ValidationError) as caught:
        services.close(arbitrator_user, accepted, **data)
    assert message in caught.value.message_dict[field]
    assert ArbitrationCase.objects.get(pk=accepted.pk).closed_on is None


def test_model_case_needs_a_closed_case_and_a_summary(arbitrator_user, accepted):
    with pytest.raises(ValidationError):
        services.mark_model_case(arbitrator_user, accepted, is_model=True, summary="要旨")
    case = services.close(
        arbitrator_user, accepted, closure="mediation_document", closed_on=date(2026, 10, 30)
    )
    with pytest.raises(ValidationError) as caught:
        services.mark_model_case(arbitrator_user, case, is_model=True)
    assert caught.value.message_dict == {"summary": ["请填写裁决要旨。"]}
    case = services.mark_model_case(
        arbitrator_user, case, is_model=True, summary="欠薪案件调解优先"
    )
    assert case.is_model_case is True


def test_closing_a_closed_case_is_refused(arbitrator_user, accepted):
    case = services.close(
        arbitrator_user, accepted, closure="withdrawn", closed_on=date(2026, 10, 30)
    )
    with pytest.raises(ValidationError) as caught:
        services.close(arbitrator_user, case, closure="withdrawn", closed_on=date(2026, 10, 31))
    assert caught.value.messages == ["该案件已办结，不能再操作。"]
    assert Decimal(1) == 1


def test_restart_counts_the_45_days_afresh(arbitrator_user, accepted):
    case = services.extend(
        arbitrator_user,
        accepted,
        days=10,
        reason="复杂",
        approver="主任",
        decided_on=date(2026, 10, 9),
    )
    assert case.due_on == date(2026, 11, 23)
    with pytest.raises(ValidationError) as caught:
        services.restart_clock(arbitrator_user, case, start=date(2026, 10, 9), ground="nope")
    assert caught.value.message_dict == {"ground": ["请选择重新计算期限的事由。"]}
    with pytest.raises(ValidationError) as caught:
        services.restart_clock(
            arbitrator_user, case, start=date(2026, 9, 1), ground="changed_claims"
        )
    assert caught.value.message_dict["start"] == ["日期不能早于原期限起算日（2026-09-28）。"]
    case = services.restart_clock(
        arbitrator_user,
        case,
        start=date(2026, 10, 9),
        ground="changed_claims",
        note="增加加班费请求",
    )
    # 45 days from 10-09 is 11-23; the earlier extension belonged to the earlier run.
    assert (case.clock_start, case.due_on) == (date(2026, 10, 9), date(2026, 11, 23))
    assert [c.kind for c in case.clock_changes.all()] == ["extension", "restart"]
    assert "增加、变更仲裁请求" in case.events.last().text
    # A new run may be extended once again.
    case = services.extend(
        arbitrator_user,
        case,
        days=5,
        reason="复杂",
        approver="主任",
        decided_on=date(2026, 11, 20),
    )
    assert case.due_on == date(2026, 11, 30)


def test_reassign_to_a_handler_of_the_unit(
    arbitrator_user, received, district_staff, shapingba_staff
):
    with pytest.raises(ValidationError) as caught:
        services.assign_arbitration(arbitrator_user, received, handler=shapingba_staff)
    assert caught.value.message_dict == {"handler": ["请选择本单位在岗的仲裁员或业务人员。"]}
    case = services.assign_arbitration(arbitrator_user, received, handler=district_staff)
    assert case.assigned_to == district_staff
    assert case.events.last().text == "承办人改为 李渝中。"
