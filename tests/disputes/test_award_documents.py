"""The hearing notice among the printable documents, and what the award's 依据 column prints."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from tests.disputes.conftest import resident_id
from tests.disputes.test_documents import _assert_pdf, _html, _url
from yutong.core.models import DatedParameter
from yutong.disputes import services


@pytest.fixture
def formed(arbitrator_user, dispute, commission, arbitrators):
    case = services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
    )
    case = services.accept(
        arbitrator_user, case, accepted_on=date(2026, 9, 28), procedure="ordinary"
    )
    return services.form_tribunal(arbitrator_user, case, arbitrators=arbitrators)


@pytest.fixture
def heard(arbitrator_user, formed):
    return services.schedule_hearing(
        arbitrator_user,
        formed,
        hearing_at=timezone.make_aware(datetime(2026, 10, 20, 9, 30)),
        notified_on=date(2026, 10, 9),
    )


def test_hearing_notice_prints_the_hearing(login_client, arbitrator_user, heard):
    client = login_client(arbitrator_user)
    page = _html(client, _url(heard, "hearing"))
    for fact in (
        "开庭通知书",
        "渝中劳人仲案字〔2026〕第1号",
        "开庭时间：2026年10月20日 09:30。",
        "仲裁庭组成人员：仲裁员甲、仲裁员乙、仲裁员丙。",
        "开庭三日前请求延期开庭",
        "可以视为撤回仲裁申请",
        "可以缺席裁决",
        "第三十六条",
        "2026年10月9日",  # notified
        "重庆某某餐饮管理有限公司",
    ):
        assert fact in page, fact
    assert resident_id(1) not in page
    detail = client.get(f"/disputes/arbitration/{heard.pk}/").content.decode()
    assert _url(heard, "hearing") in detail
    _assert_pdf(client.get(_url(heard, "hearing"), {"format": "pdf"}), "开庭通知书")


def test_no_hearing_notice_before_a_hearing_is_set(login_client, arbitrator_user, formed):
    client = login_client(arbitrator_user)
    response = client.get(_url(formed, "hearing"))
    assert response.status_code == 404
    assert "本案尚未确定开庭时间，不能出具开庭通知书。" in response.content.decode()
    detail = client.get(f"/disputes/arbitration/{formed.pk}/").content.decode()
    assert _url(formed, "hearing") not in detail


def test_award_basis_prints_the_law_not_the_final_award_test(
    login_client, arbitrator_user, heard, wage_parameters
):
    DatedParameter.objects.filter(code="min_wage_monthly_tier1").update(
        source="演示数据，生效日期待核实"
    )
    claims = {c.claim_type_id: c for c in heard.dispute.claims.all()}
    case = services.close(
        arbitrator_user,
        heard,
        closure="award",
        closed_on=date(2026, 11, 10),
        items=[
            {"claim": claims["wages"], "amount": "12000"},
            {
                "claim": claims["economic_compensation"],
                "amount": "33000",
                "reason": "按工作年限依法计算",
            },
            {"claim": claims["working_time"], "amount": "0"},
        ],
    )
    page = _html(login_client(arbitrator_user), _url(case, "award"))
    table = page.split('data-testid="award-items"')[1].split("</table>")[0]
    for text in ("演示数据", "待核实", "限额", "min_wage"):
        assert text not in page, text
    law = "《中华人民共和国劳动争议调解仲裁法》"
    assert f"《劳动合同法》第三十条；{law}第四十七条第（一）项" in table
    assert f"《劳动合同法》第四十六条、第四十七条；{law}第五十条" in table
    assert f"《劳动法》第四章；{law}第四十七条第（二）项" in table
    assert "于2026年10月20日开庭" in page
    assert (
        "第 2 项裁决金额超过请求金额的理由：按工作年限依法计算"
        "（依照《劳动合同法》第四十七条计算）。" in page
    )


def test_award_basis_is_built_from_the_claim_type_not_the_stored_text(
    login_client, arbitrator_user, heard, wage_parameters
):
    """Whatever ``final_basis`` says (an older wording, an edited row), the printed 依据 comes
    from the claim type's article and its category's finality article."""
    from yutong.disputes import documents
    from yutong.disputes.models import AwardItem

    claims = {c.claim_type_id: c for c in heard.dispute.claims.all()}
    case = services.close(
        arbitrator_user,
        heard,
        closure="award",
        closed_on=date(2026, 11, 10),
        items=[
            {"claim": claims["wages"], "amount": "12000"},
            {"claim": claims["economic_compensation"], "amount": "33000", "reason": "依法计算"},
            {"claim": claims["working_time"], "amount": "0"},
        ],
    )
    AwardItem.objects.filter(case=case).update(final_basis="调解仲裁法第四十七条第（二）项 旧文字")
    items = {i.claim.claim_type_id: i for i in case.award_items.select_related("claim__claim_type")}
    law = documents.LAW
    assert documents._award_basis(items["wages"]) == (
        f"《劳动合同法》第三十条；{law}第四十七条第（一）项"
    )
    assert documents._award_basis(items["economic_compensation"]) == (
        f"《劳动合同法》第四十六条、第四十七条；{law}第五十条"
    )
    assert documents._award_basis(items["working_time"]) == (
        f"《劳动法》第四章；{law}第四十七条第（二）项"
    )
    page = _html(login_client(arbitrator_user), _url(case, "award"))
    assert (
        "第 2 项裁决金额超过请求金额的理由：依法计算（依照《劳动合同法》第四十七条计算）。" in page
    )


def test_the_case_page_shows_why_an_item_exceeds_its_claim(
    login_client, arbitrator_user, heard, wage_parameters
):
    claims = {c.claim_type_id: c for c in heard.dispute.claims.all()}
    case = services.close(
        arbitrator_user,
        heard,
        closure="award",
        closed_on=date(2026, 11, 10),
        items=[
            {"claim": claims["wages"], "amount": "12000"},
            {
                "claim": claims["economic_compensation"],
                "amount": "33000",
                "reason": "工作 5.5 年按 6 个月工资计算",
            },
        ],
    )
    page = login_client(arbitrator_user).get(f"/disputes/arbitration/{case.pk}/").content.decode()
    assert page.count('data-testid="over-claim-reason"') == 1
    assert "超出请求金额的理由：工作 5.5 年按 6 个月工资计算" in page


@pytest.mark.django_db
def test_computed_by_law_lists_claim_codes_with_their_article():
    from yutong.disputes.models import ClaimType

    codes = set(ClaimType.objects.values_list("code", flat=True))
    assert set(services.COMPUTED_BY_LAW) <= codes
    assert all(
        article.startswith("《劳动合同法》第") for article in services.COMPUTED_BY_LAW.values()
    )
    # remuneration and agreed amounts are not computed by law: capped at the claim
    for code in ("wages", "overtime_pay", "non_compete_compensation", "working_time"):
        assert code not in services.COMPUTED_BY_LAW


def test_an_agreed_amount_cannot_exceed_its_claim(arbitrator_user, heard, wage_parameters):
    from django.core.exceptions import ValidationError

    from yutong.disputes.models import Claim

    claim = Claim.objects.create(
        dispute=heard.dispute, claim_type_id="non_compete_compensation", amount=5000
    )
    with pytest.raises(ValidationError) as exc:
        services.close(
            arbitrator_user,
            heard,
            closure="award",
            closed_on=date(2026, 11, 10),
            items=[{"claim": claim, "amount": "6000", "reason": "按月工资 30% 计算"}],
        )
    assert "不能超过请求金额" in str(exc.value)
