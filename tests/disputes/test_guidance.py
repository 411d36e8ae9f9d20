"""Similar-case guidance: closed cases found by claim types and Chinese words, model cases first."""

from datetime import date

import pytest

from tests.disputes.conftest import worker
from yutong.disputes import guidance, services


def closed_case(actor, unit, commission, facts, claim_type, closed_on, summary=""):
    dispute = services.register_dispute(
        actor,
        unit=unit,
        channel="staff",
        facts=facts,
        employer_name="某公司",
        workers=[worker(closed_on.day)],
        claims=[{"claim_type": claim_type, "amount": "1000"}],
    )
    case = services.receive_arbitration(
        actor, dispute, commission=commission, received_on=date(2026, 9, 1)
    )
    case = services.accept(actor, case, accepted_on=date(2026, 9, 2), procedure="simplified")
    case = services.close(actor, case, closure="mediation_document", closed_on=closed_on)
    if summary:
        case = services.mark_model_case(actor, case, is_model=True, summary=summary)
    return case


@pytest.fixture
def library(arbitrator_user, yuzhong, commission):
    return {
        "overtime": closed_case(
            arbitrator_user,
            yuzhong,
            commission,
            "餐厅厨师长期加班，公司未支付加班费。",
            "overtime_pay",
            date(2026, 10, 1),
        ),
        "contract": closed_case(
            arbitrator_user,
            yuzhong,
            commission,
            "入职后一直未签订书面劳动合同，要求二倍工资差额。",
            "double_wages",
            date(2026, 10, 2),
        ),
        "model": closed_case(
            arbitrator_user,
            yuzhong,
            commission,
            "快递员未签订书面劳动合同被辞退。",
            "double_wages",
            date(2026, 9, 20),
            summary="未签书面劳动合同的二倍工资自用工满一个月次日起算。",
        ),
    }


def test_tokens_cut_chinese_into_words():
    assert "劳动合同" in guidance.tokens("未签订书面劳动合同")
    assert "公司" not in guidance.tokens("公司拖欠工资")  # a stop word


def test_text_search_ranks_model_cases_first(library):
    found = guidance.similar_cases("没有签订劳动合同 二倍工资")
    assert [m.case for m in found][:2] == [library["model"], library["contract"]]
    assert "劳动合同" in found[0].matched
    assert library["overtime"] not in [m.case for m in found]


def test_claim_type_search(library):
    found = guidance.similar_cases(claim_types=["overtime_pay"])
    assert [m.case for m in found] == [library["overtime"]]
    assert found[0].shared_claims == ("overtime_pay",)


def test_open_cases_and_the_case_itself_are_left_out(library, arbitrator_user, dispute, commission):
    services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 1)
    )  # open: never a precedent
    found = guidance.similar_cases("加班费", exclude_id=library["overtime"].pk)
    assert found == []
    assert guidance.similar_cases("") == []
