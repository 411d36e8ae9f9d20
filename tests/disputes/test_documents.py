"""Printable documents: acceptance and refusal notices, the award and the mediation agreement,
as HTML print views and PDFs; only for the right state, only within the reader's scope."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import pytest

from tests.disputes.conftest import resident_id, worker
from tests.factories import UserFactory
from yutong.core import roles
from yutong.core.personal import mask_resident_id
from yutong.disputes import documents, services

EMPLOYER = "重庆某某餐饮管理有限公司"
AGREEMENT = "被申请人于 2026 年 9 月 30 日前支付申请人工资 10000 元。\n双方再无其他争议。"


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


@pytest.fixture
def awarded(arbitrator_user, accepted, arbitrators, wage_parameters):
    case = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    claims = {c.claim_type_id: c for c in case.dispute.claims.all()}
    return services.close(
        arbitrator_user,
        case,
        closure="award",
        closed_on=date(2026, 11, 10),
        items=[
            {"claim": claims["wages"], "amount": "12000"},
            {"claim": claims["economic_compensation"], "amount": "27960.01"},
            {"claim": claims["working_time"], "amount": "0"},
        ],
    )


@pytest.fixture
def agreed(mediator, dispute, body, mediator_person):
    case = services.open_mediation(
        mediator, dispute, body=body, received_on=date(2026, 9, 1), mediator=mediator_person
    )
    return services.close_mediation(
        mediator,
        case,
        closure="agreement",
        closed_on=date(2026, 9, 10),
        agreement_text=AGREEMENT,
        agreed_amount=10000,
    )


def _url(case, kind: str, area: str = "arbitration") -> str:
    return f"/disputes/{area}/{case.pk}/documents/{kind}/"


def _html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode()


def _assert_pdf(response, title: str) -> bytes:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote(title) in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    content = response.content
    assert content.startswith(b"%PDF") and len(content) > 2000
    return content


# --- arbitration -----------------------------------------------------------------------------


def test_acceptance_notice(login_client, arbitrator_user, accepted):
    page = _html(login_client(arbitrator_user), _url(accepted, "acceptance"))
    for fact in (
        "受理通知书",
        "渝中区劳动人事争议仲裁委员会",
        "渝中劳人仲案字〔2026〕第1号",
        "劳动者1：",
        EMPLOYER,
        "2026年9月25日",  # received
        "2026年9月28日",  # accepted
        "普通程序（合议）",
        "拖欠工资：人民币 12,000.00 元",
        "解除或终止劳动合同经济补偿：人民币 30,000.00 元",
        "45日内结束审理",
        mask_resident_id(resident_id(1)),
    ):
        assert fact in page, fact
    assert resident_id(1) not in page
    assert 'href="?format=pdf"' in page


def test_acceptance_notice_pdf(login_client, arbitrator_user, accepted):
    response = login_client(arbitrator_user).get(_url(accepted, "acceptance"), {"format": "pdf"})
    _assert_pdf(response, "受理通知书-渝中劳人仲案字〔2026〕第1号.pdf")


def test_nothing_but_a_refusal_before_acceptance(login_client, arbitrator_user, received):
    client = login_client(arbitrator_user)
    for kind, message in (
        ("acceptance", "本案尚未受理，不能出具受理通知书。"),
        ("refusal", "本案未作出不予受理决定，不能出具不予受理通知书。"),
        ("award", "本案未以裁决方式结案，不能出具裁决书。"),
    ):
        response = client.get(_url(received, kind))
        assert response.status_code == 404
        assert message in response.content.decode()
        assert client.get(_url(received, kind), {"format": "pdf"}).status_code == 404


def test_refusal_notice(login_client, arbitrator_user, received):
    case = services.refuse(
        arbitrator_user, received, refused_on=date(2026, 9, 28), reason="超过仲裁时效。"
    )
    client = login_client(arbitrator_user)
    page = _html(client, _url(case, "refusal"))
    for fact in (
        "不予受理通知书",
        "不符合受理条件，理由如下：超过仲裁时效。",
        "本委决定不予受理",
        "向人民法院提起诉讼",
        "第二十九条",
        "2026年9月28日",
        mask_resident_id(resident_id(1)),
    ):
        assert fact in page, fact
    assert resident_id(1) not in page
    assert client.get(_url(case, "acceptance")).status_code == 404
    response = client.get(_url(case, "refusal"), {"format": "pdf"})
    _assert_pdf(response, "不予受理通知书")


def test_award_lists_items_with_finality_and_appeal_paths(login_client, arbitrator_user, awarded):
    page = _html(login_client(arbitrator_user), _url(awarded, "award"))
    for fact in (
        "裁决书",
        "渝中劳人仲案字〔2026〕第1号",
        "由仲裁员仲裁员甲、仲裁员乙、仲裁员丙组成仲裁庭审理",
        "12,000.00",
        "27,960.01",
        "39,960.01",  # the total
        "终局裁决",
        "非终局裁决",
        "本裁决第 1、3 项为终局裁决",
        "本裁决第 2 项为非终局裁决",
        "劳动者对终局裁决不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼",
        "三十日内向劳动人事争议仲裁委员会所在地的中级人民法院申请撤销裁决",
        "当事人对非终局裁决不服的，可以自收到裁决书之日起十五日内向人民法院提起诉讼",
        "2026年11月10日",
        "申请人称：公司拖欠 2026 年 9 月至 10 月工资。",
    ):
        assert fact in page, fact
    assert resident_id(1) not in page
    table = page.split('data-testid="award-items"')[1].split("</table>")[0]
    assert table.count("<tr>") == 4  # header and three items


def test_award_pdf(login_client, arbitrator_user, awarded):
    response = login_client(arbitrator_user).get(_url(awarded, "award"), {"format": "pdf"})
    _assert_pdf(response, "裁决书-渝中劳人仲案字〔2026〕第1号.pdf")


def test_all_final_award_has_only_the_final_remedies(
    arbitrator_user, accepted, arbitrators, wage_parameters
):
    accepted = services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    claim = accepted.dispute.claims.get(claim_type="wages")
    case = services.close(
        arbitrator_user,
        accepted,
        closure="award",
        closed_on=date(2026, 11, 10),
        items=[{"claim": claim, "amount": "5000"}],
    )
    text = " ".join(documents.appeal_paths(list(case.award_items.all())))
    assert text.startswith("本裁决为终局裁决")
    assert "非终局裁决" not in text


def test_no_award_document_for_another_closure(login_client, arbitrator_user, accepted):
    case = services.close(
        arbitrator_user, accepted, closure="withdrawn", closed_on=date(2026, 10, 30)
    )
    client = login_client(arbitrator_user)
    response = client.get(_url(case, "award"))
    assert response.status_code == 404
    assert "本案未以裁决方式结案" in response.content.decode()
    # The acceptance notice stays available after closure.
    assert client.get(_url(case, "acceptance")).status_code == 200


def test_collective_dispute_names_the_representatives(
    district_staff, arbitrator_user, commission, yuzhong
):
    dispute = services.register_dispute(
        district_staff,
        unit=yuzhong,
        channel="staff",
        facts="拖欠工资",
        employer_name=EMPLOYER,
        workers=[worker(n, is_representative=n < 3) for n in range(12)],
        claims=[{"claim_type": "wages", "amount": "60000"}],
    )
    case = services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=date(2026, 9, 25)
    )
    case = services.accept(
        arbitrator_user, case, accepted_on=date(2026, 9, 28), procedure="ordinary"
    )
    document = documents.arbitration_document(case, "acceptance")
    assert document.addressee == "劳动者0、劳动者1、劳动者2等 12 人："
    assert ("申请人", f"劳动者0，公民身份号码 {mask_resident_id(resident_id(0))}（代表人）") in (
        document.parties
    )
    assert any("依法优先审理" in item for item in document.sections[0].items)


# --- mediation -------------------------------------------------------------------------------


def test_mediation_agreement(login_client, mediator, agreed):
    client = login_client(mediator)
    page = _html(client, _url(agreed, "agreement", "mediation"))
    for fact in (
        "调解协议书",
        "解放碑街道劳动争议调解中心",
        "调解员：调解员甲",
        f"M500103001-{agreed.pk}",
        "被申请人于 2026 年 9 月 30 日前支付申请人工资 10000 元。",
        "双方再无其他争议。",
        "协议金额：人民币 10,000.00 元。",
        "结案方式：达成调解协议",
        "申请支付令",
        "2026年9月10日",
        EMPLOYER,
        mask_resident_id(resident_id(1)),
    ):
        assert fact in page, fact
    assert resident_id(1) not in page
    response = client.get(_url(agreed, "agreement", "mediation"), {"format": "pdf"})
    _assert_pdf(response, "调解协议书")


def test_no_agreement_document_without_an_agreement(login_client, mediator, dispute, body):
    case = services.open_mediation(mediator, dispute, body=body, received_on=date(2026, 9, 1))
    client = login_client(mediator)
    response = client.get(_url(case, "agreement", "mediation"))
    assert response.status_code == 404
    assert "本案未达成调解协议或和解" in response.content.decode()
    case = services.close_mediation(
        mediator, case, closure="no_agreement", closed_on=date(2026, 9, 10)
    )
    assert client.get(_url(case, "agreement", "mediation")).status_code == 404


# --- who may print ---------------------------------------------------------------------------


def test_documents_outside_the_scope_are_not_found(login_client, shapingba_staff, accepted, agreed):
    client = login_client(shapingba_staff)
    assert client.get(_url(accepted, "acceptance")).status_code == 404
    assert client.get(_url(accepted, "acceptance"), {"format": "pdf"}).status_code == 404
    assert client.get(_url(agreed, "agreement", "mediation")).status_code == 404


def test_only_case_readers_may_print(login_client, enterprise_user, yuzhong, accepted, agreed):
    inspector = UserFactory(unit=yuzhong, roles=[roles.INSPECTOR])
    for user in (enterprise_user, inspector):
        client = login_client(user)
        assert client.get(_url(accepted, "acceptance")).status_code == 403
        assert client.get(_url(agreed, "agreement", "mediation")).status_code == 403


def test_readers_of_the_unit_and_the_city_may_print(
    login_client, district_staff, auditor, city_admin, accepted
):
    for user in (district_staff, auditor, city_admin):
        assert login_client(user).get(_url(accepted, "acceptance")).status_code == 200


def test_unknown_documents_and_anonymous_users(client, login_client, arbitrator_user, accepted):
    logged_in = login_client(arbitrator_user)
    assert logged_in.get(_url(accepted, "summons")).status_code == 404
    assert logged_in.get(_url(accepted, "agreement")).status_code == 404
    assert logged_in.get(_url(accepted, "award", "mediation")).status_code == 404
    response = client.get(_url(accepted, "acceptance"))
    assert response.status_code == 302 and "/login/" in response.url
