"""The similar-case guidance page (类案裁决指引, /disputes/guidance/): results, model cases
first, no personal data in the page, who may use it, and the ``?case=`` pre-fill with its scope
check."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.disputes.conftest import resident_id, worker
from tests.factories import UserFactory
from yutong.core import roles
from yutong.disputes import services
from yutong.disputes.models import Arbitrator

URL = "/disputes/guidance/"
NAMED = "龚小满"  # a worker whose name also appears in the facts


def _arbitrator(commission):
    person, _ = Arbitrator.objects.get_or_create(commission=commission, name="独任仲裁员")
    return person


def closed_case(actor, unit, commission, *, facts, claims, closure, closed_on, serial, **extra):
    dispute = services.register_dispute(
        actor,
        unit=unit,
        channel="staff",
        facts=facts,
        employer_name="重庆某某餐饮管理有限公司",
        workers=[worker(serial, **extra)],
        claims=claims,
    )
    case = services.receive_arbitration(
        actor, dispute, commission=commission, received_on=date(2026, 9, 1)
    )
    case = services.accept(actor, case, accepted_on=date(2026, 9, 2), procedure="simplified")
    items = None
    if closure == "award":
        case = services.form_tribunal(actor, case, arbitrators=[_arbitrator(commission)])
        items = [
            {"claim": claim, "amount": claim.amount or 0} for claim in dispute.claims.order_by("id")
        ]
    return services.close(actor, case, closure=closure, closed_on=closed_on, items=items)


@pytest.fixture
def library(arbitrator_user, yuzhong, commission, wage_parameters):
    contract = closed_case(
        arbitrator_user,
        yuzhong,
        commission,
        facts=f"{NAMED}入职后公司一直未签订书面劳动合同，{NAMED}要求支付二倍工资差额。",
        claims=[
            {"claim_type": "double_wages", "amount": "12000"},
            {"claim_type": "economic_compensation", "amount": "30000"},
        ],
        closure="award",
        closed_on=date(2026, 10, 2),
        serial=1,
        name=NAMED,
        phone="13912345678",
    )
    model = closed_case(
        arbitrator_user,
        yuzhong,
        commission,
        facts="快递员未签订书面劳动合同被辞退。",
        claims=[{"claim_type": "double_wages", "amount": "8000"}],
        closure="mediation_document",
        closed_on=date(2026, 9, 20),
        serial=2,
    )
    model = services.mark_model_case(
        arbitrator_user,
        model,
        is_model=True,
        summary="未签书面劳动合同的二倍工资自用工满一个月次日起算。",
    )
    overtime = closed_case(
        arbitrator_user,
        yuzhong,
        commission,
        facts="餐厅厨师长期加班，公司未支付加班费。",
        claims=[{"claim_type": "overtime_pay", "amount": "5000"}],
        closure="mediation_document",
        closed_on=date(2026, 10, 1),
        serial=3,
    )
    return {"contract": contract, "model": model, "overtime": overtime}


def results(response) -> list[str]:
    return re.findall(r'data-testid="case-number">([^<]+)<', response.content.decode())


def test_text_search_lists_model_cases_first_with_their_badge(
    login_client, arbitrator_user, library
):
    response = login_client(arbitrator_user).get(URL, {"q": "没有签订劳动合同 二倍工资"})
    assert response.status_code == 200
    assert results(response) == [library["model"].number, library["contract"].number]
    html = response.content.decode()
    assert html.count('data-testid="model-badge"') == 1
    assert html.index("精品案例</span>") < html.index(library["contract"].number)
    assert "<mark>劳动合同</mark>" in html  # matched words highlighted in the summary
    assert "未签书面<mark>劳动合同</mark>的<mark>二倍工资</mark>自用工" in html


def test_award_amounts_and_final_test_are_shown(login_client, arbitrator_user, library):
    response = login_client(arbitrator_user).get(URL, {"claim_types": ["double_wages"]})
    html = response.content.decode()
    assert results(response)[0] == library["model"].number
    table = html[html.index('data-testid="award-items"') :]
    assert "未签书面劳动合同二倍工资差额" in table and "12,000.00" in table
    assert "30,000.00" in table and "非终局" in table  # 30,000 > 12 x 2,330
    assert "仲裁调解" in html and "裁决 · 非终局裁决" in html
    assert library["overtime"].number not in results(response)


def test_claim_type_search_marks_the_shared_claims(login_client, district_staff, library):
    response = login_client(district_staff).get(URL, {"claim_types": ["overtime_pay"]})
    assert results(response) == [library["overtime"].number]
    assert 'text-bg-primary me-1">加班费<' in response.content.decode()


def test_no_worker_names_or_identity_numbers_in_the_page(login_client, arbitrator_user, library):
    response = login_client(arbitrator_user).get(
        URL, {"q": "二倍工资 劳动合同", "claim_types": ["double_wages", "overtime_pay"]}
    )
    html = response.content.decode()
    assert library["contract"].number in html
    assert NAMED not in html
    assert "×××入职后" in html  # the name replaced in the facts excerpt
    for serial in (1, 2, 3):
        number = resident_id(serial)
        assert number not in html and number[-8:] not in html
    assert "13912345678" not in html


def test_empty_and_unmatched_searches(login_client, mediator, library):
    client = login_client(mediator)
    response = client.get(URL)
    assert response.status_code == 200 and 'data-testid="hint"' in response.content.decode()
    response = client.get(URL, {"q": "竞业限制"})
    assert 'data-testid="no-results"' in response.content.decode()
    response = client.get(URL, {"claim_types": ["no_such_type"]})
    assert response.status_code == 200 and results(response) == []


@pytest.mark.parametrize("role", [roles.CITY_ADMIN, roles.DISTRICT_STAFF, roles.MEDIATOR])
def test_the_roles_that_may_use_it(login_client, yuzhong, role):
    user = UserFactory(unit=yuzhong, roles=[role])
    assert login_client(user).get(URL).status_code == 200


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.UNION_OFFICER, roles.AUDITOR])
def test_other_roles_are_refused(login_client, yuzhong, role):
    user = UserFactory(unit=yuzhong, roles=[role])
    response = login_client(user).get(URL, {"q": "加班费"})
    assert response.status_code == 403


def test_enterprise_accounts_and_anonymous_users_are_kept_out(
    client, login_client, enterprise_user, library
):
    assert login_client(enterprise_user).get(URL).status_code == 403
    response = client.get(URL)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_case_link_prefills_claims_and_facts_and_leaves_the_case_out(
    login_client, arbitrator_user, library
):
    source = library["contract"]
    response = login_client(arbitrator_user).get(URL, {"case": source.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="source-case"' in html and source.number in html
    assert re.search(r'value="double_wages"[^>]*checked', html)
    assert re.search(r'value="economic_compensation"[^>]*checked', html)
    assert not re.search(r'value="overtime_pay"[^>]*checked', html)
    assert "要求支付二倍工资差额" in html  # the facts in the text box
    assert f'name="case" value="{source.pk}"' in html
    assert results(response) == [library["model"].number]  # never the case itself


def test_case_link_keeps_the_exclusion_when_the_search_is_changed(
    login_client, arbitrator_user, library
):
    source = library["contract"]
    response = login_client(arbitrator_user).get(
        URL, {"case": source.pk, "q": "二倍工资", "claim_types": ["double_wages"]}
    )
    assert source.number not in results(response)
    assert results(response) == [library["model"].number]


def test_case_link_outside_the_scope_is_not_found(login_client, shapingba_staff, library):
    client = login_client(shapingba_staff)
    assert client.get(URL, {"case": library["contract"].pk}).status_code == 404
    assert client.get(URL, {"case": "abc"}).status_code == 404
    assert client.get(URL, {"case": 987654}).status_code == 404
    # Without the case link the city's precedents are open to the same user.
    assert client.get(URL, {"q": "加班费"}).status_code == 200


def test_case_link_needs_a_reader_of_arbitration_cases(login_client, liangjiang_staff, library):
    # 两江新区 staff see the files of 江北区 and 渝北区, not those of 渝中区.
    response = login_client(liangjiang_staff).get(URL, {"case": library["model"].pk})
    assert response.status_code == 404
