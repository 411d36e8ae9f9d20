"""Case pages: changing claims through the case-page action, the claim calculator inside a
case (权益计算) and taking its amount into a claim, which roles read and act on which kind of
case, and the award-items table."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.disputes.test_calculator import set_wage_parameters
from tests.factories import UserFactory, clear_shipped_wage_parameters
from yutong.core import roles
from yutong.core.models import AuditEntry
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCommission, Claim

pytestmark = pytest.mark.django_db

CONFLICT = "该案件已被他人处理，请刷新页面查看最新情况后再操作。"

# 2019-03-01 to 2025-08-31 at 8,500 a month in 渝中: N = 7 → 59,500 (test_calculator_api).
COMPENSATION = {
    "kind": "economic_compensation",
    "start_date": "2019-03-01",
    "end_date": "2025-09-01",  # 6 y 6 m under 民法典 Art.201 (first day not counted): N = 7
    "monthly_wage": "8500.00",
    "unit": "500103",
}
OVERTIME = {
    "kind": "overtime",
    "monthly_wage": "4350",
    "weekday_hours": "10",
    "rest_day_hours": "8",
    "holiday_hours": "0",
}  # hour wage 25: 10 × 37.5 + 8 × 50 = 775


def today():
    return timezone.localdate()


def days_ago(n: int):
    return today() - timedelta(days=n)


def text(response) -> str:
    return response.content.decode()


def flashed(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def fresh(case):
    return type(case).objects.get(pk=case.pk)


def url(case, suffix=""):
    kind = "arbitration" if hasattr(case, "commission") else "mediation"
    return f"/disputes/{kind}/{case.pk}/" + suffix


def action_form(response, name):
    return next(a["form"] for a in response.context["actions"] if a["action"].name == name)


def claims_of(case) -> dict[str, Claim]:
    return {c.claim_type_id: c for c in case.dispute.claims.active()}


@pytest.fixture
def parameters(db):
    set_wage_parameters()


@pytest.fixture
def mediation(district_staff, dispute, body):
    return services.open_mediation(district_staff, dispute, body=body, received_on=days_ago(3))


@pytest.fixture
def accepted(arbitrator_user, dispute, commission):
    case = services.receive_arbitration(
        arbitrator_user, dispute, commission=commission, received_on=days_ago(20)
    )
    return services.accept(arbitrator_user, case, accepted_on=days_ago(18), procedure="ordinary")


@pytest.fixture
def arbitrator_client(login_client, arbitrator_user):
    return login_client(arbitrator_user)


@pytest.fixture
def staff_client(login_client, district_staff):
    return login_client(district_staff)


def rows_post(case, rows: list[dict], new: list[dict] = (), **fields) -> dict:
    """The change-claims form as the page posts it: one row per standing claim (in order),
    then the new rows."""
    data = {
        "version": fresh(case).version,
        "claim_rows-TOTAL_FORMS": len(rows) + len(new),
        "claim_rows-INITIAL_FORMS": len(rows),
        "claim_rows-MIN_NUM_FORMS": 0,
        "claim_rows-MAX_NUM_FORMS": 60,
    }
    for index, row in enumerate([*rows, *new]):
        for name, value in row.items():
            if value is not None and value is not False:
                data[f"claim_rows-{index}-{name}"] = value
    return data | fields


def unchanged_rows(case) -> list[dict]:
    return [
        {
            "claim_type": c.claim_type_id,
            "amount": "" if c.amount is None else str(c.amount),
            "description": c.description,
        }
        for c in case.dispute.claims.active()
    ]


def snapshot(case) -> tuple:
    case = fresh(case)
    return (
        case.version,
        case.due_on,
        [(c.claim_type_id, c.amount, c.withdrawn_on) for c in case.dispute.claims.all()],
        case.events.count(),
        case.clock_changes.count(),
    )


# --- changing claims on the case page ------------------------------------------------------------


def test_change_claims_through_the_page(arbitrator_client, arbitrator_user, accepted):
    page = arbitrator_client.get(url(accepted))
    form = action_form(page, "change_claims")
    assert [f.initial["claim"] for f in form.claim_rows.forms[:3]] == [
        c.pk for c in accepted.dispute.claims.all()
    ]
    html = text(page)
    assert 'data-testid="claim-rows"' in html and "增加请求事项" in html
    assert "{#" not in html and "{%" not in html  # template comments stay out of the page
    assert "受理增加、变更请求之日" in html  # the tribunal's decision on the clock is asked

    rows = unchanged_rows(accepted)
    rows[0]["amount"] = "15000"  # wages 12,000 → 15,000
    rows[2]["withdraw"] = "on"  # working time withdrawn
    new = [{"claim_type": "overtime_pay", "amount": "3200", "description": "休息日加班"}]
    restart_on = days_ago(1)
    response = arbitrator_client.post(
        url(accepted, "change-claims/"),
        rows_post(
            accepted,
            rows,
            new,
            reason="申请人书面申请变更请求，仲裁庭决定受理",
            restart_clock="yes",
            restart_on=restart_on.isoformat(),
        ),
        follow=True,
    )
    case = fresh(accepted)
    assert case.clock_start == restart_on
    assert flashed(response) == [f"请求事项已更新。审理期限至 {case.due_on}。"]
    assert [(c.claim_type_id, c.amount) for c in case.dispute.claims.active()] == [
        ("wages", Decimal("15000.00")),
        ("economic_compensation", Decimal("30000.00")),
        ("overtime_pay", Decimal("3200.00")),
    ]
    html = text(response)
    assert 'data-testid="claim-withdrawn"' in html and f"{today():%Y-%m-%d} 撤回" in html
    assert "合计（不含已撤回）" in html and "48,200.00" in html
    assert "变更请求" in html and "重新计算期限" in html  # timeline labels
    # The award form now offers the claims as they stand, with their new amounts.
    close = action_form(response, "close")
    labels = [close.fields[name].label for name in close.item_fields]
    assert labels == [
        "拖欠工资（请求 15,000.00 元）",
        "解除或终止劳动合同经济补偿（请求 30,000.00 元）",
        "加班费（请求 3,200.00 元）",
    ]


def test_mediation_claims_change_without_clock_fields(staff_client, mediation):
    page = staff_client.get(url(mediation))
    form = action_form(page, "change_claims")
    assert "restart_clock" not in form.fields and "restart_on" not in form.fields
    rows = unchanged_rows(mediation)
    rows[1]["withdraw"] = "on"
    response = staff_client.post(
        url(mediation, "change-claims/"),
        rows_post(mediation, rows, reason="申请人放弃经济补偿请求"),
        follow=True,
    )
    assert flashed(response) == ["请求事项已更新。"]
    assert "economic_compensation" not in claims_of(mediation)
    assert fresh(mediation).due_on == mediation.due_on


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"rows": {0: {"amount": "-1"}}}, "row", "确保该值大于或等于0。"),
        ({"rows": {0: {"amount": "abc"}}}, "row", "输入一个数字。"),
        ({"rows": {0: {"claim_type": ""}}}, "row", "请选择请求事项。"),
        ({"new": [{"amount": "100"}]}, "new", "请选择请求事项。"),
        ({"reason": ""}, "reason", "该字段是必填项。"),
        ({"restart_clock": ""}, "restart_clock", "请选择是否自受理增加、变更请求之日起重新计算"),
        ({"restart_on": ""}, "restart_on", "请填写重新起算日。"),
        ({"restart_on": "2099-01-01"}, "restart_on", "日期不能晚于今天。"),
        ({"nothing": True}, None, "请至少增加、变更或撤回一项请求事项。"),
    ],
)
def test_bad_input_on_the_page(arbitrator_client, accepted, change, field, message):
    rows = unchanged_rows(accepted)
    new = []
    if not change.get("nothing"):
        rows[0]["amount"] = "13000"
    for index, values in change.get("rows", {}).items():
        rows[index] |= values
    new = change.get("new", [])
    fields = {"reason": "变更工资金额", "restart_clock": "yes", "restart_on": today().isoformat()}
    fields |= {k: v for k, v in change.items() if k in fields}
    before = snapshot(accepted)
    response = arbitrator_client.post(
        url(accepted, "change-claims/"), rows_post(accepted, rows, new, **fields)
    )
    assert response.status_code == 200
    form = action_form(response, "change_claims")
    if field == "row":
        errors = form.claim_rows.forms[0].errors
        assert message in str(errors)
    elif field == "new":
        assert message in str(form.claim_rows.forms[-1].errors)
    elif field is None:
        assert form.non_field_errors() == [message]
    else:
        assert form.errors[field][0].startswith(message)
    shown = next(a for a in response.context["actions"] if a["action"].name == "change_claims")
    assert shown["open"]  # the failed form stays open with its input
    assert snapshot(accepted) == before


def test_stale_version_on_the_page(arbitrator_client, arbitrator_user, accepted):
    rows = unchanged_rows(accepted)
    rows[0]["amount"] = "13000"
    data = rows_post(accepted, rows, reason="变更", restart_clock="no")
    services.change_claims(
        arbitrator_user,
        accepted,
        reason="他人先变更",
        add=[{"claim_type": "bonus", "amount": "100"}],
        restart_clock=False,
    )
    before = snapshot(accepted)
    response = arbitrator_client.post(url(accepted, "change-claims/"), data, follow=True)
    assert flashed(response) == [CONFLICT]
    assert snapshot(accepted) == before


# --- page roles: who reads which kind, who acts --------------------------------------------------


def test_page_roles_agree_with_the_api(
    login_client, api_client, mediator, arbitrator_user, mediation, accepted
):
    """A mediator follows the arbitration case a failed mediation became and an arbitrator
    reads the mediation before it — pages and API alike — but neither acts on the other's."""
    for user, readable in ((mediator, accepted), (arbitrator_user, mediation)):
        client = login_client(user)
        page = client.get(url(readable))
        assert page.status_code == 200
        assert page.context["actions"] == []  # reads, does not act
        assert client.get(url(readable, "calculator/")).status_code == 200
        kind = "arbitration" if readable is accepted else "mediation"
        assert client.get(f"/disputes/{kind}/").status_code == 200
        api = api_client(user).get(f"/api/v1/{kind}-cases/{readable.pk}/")
        assert api.status_code == 200
        before = snapshot(readable)
        rows = unchanged_rows(readable)
        rows[0]["amount"] = "1"
        response = client.post(
            url(readable, "change-claims/"),
            rows_post(readable, rows, reason="越权", restart_clock="no"),
        )
        assert response.status_code == 403
        response = client.post(url(readable, "calculator/apply/"), {**OVERTIME, "target": "new"})
        assert response.status_code == 403
        response = api_client(user).post(
            f"/api/v1/{kind}-cases/{readable.pk}/change-claims/",
            {"reason": "越权", "add": [{"claim_type": "bonus", "amount": "1"}]},
            format="json",
        )
        assert response.status_code == 403
        assert snapshot(readable) == before


@pytest.mark.parametrize("role", [roles.INSPECTOR, roles.UNION_OFFICER, roles.ENTERPRISE_USER])
def test_other_roles_read_neither_kind(login_client, yuzhong, mediation, accepted, role):
    client = login_client(UserFactory(unit=yuzhong, roles=[role]))
    for case in (mediation, accepted):
        assert client.get(url(case)).status_code == 403
        assert client.get(url(case, "calculator/")).status_code == 403


def test_mediator_of_another_district_sees_nothing(login_client, shapingba, mediation, accepted):
    client = login_client(UserFactory(unit=shapingba, roles=[roles.MEDIATOR]))
    for case in (mediation, accepted):
        assert client.get(url(case)).status_code == 404
        assert client.get(url(case, "calculator/")).status_code == 404
    assert client.get("/disputes/arbitration/").context["rows"] == []


def test_the_printed_documents_follow_the_same_roles(login_client, mediator, accepted):
    response = login_client(mediator).get(url(accepted, "documents/acceptance/"))
    assert response.status_code == 200


# --- the calculator inside a case ----------------------------------------------------------------


def test_calculator_is_reached_from_the_case_and_prefilled(arbitrator_client, accepted):
    page = arbitrator_client.get(url(accepted))
    panel = {row["kind"]: row["claims"] for row in page.context["calculator"]}
    assert [c.amount for c in panel["economic_compensation"]] == [Decimal("30000.00")]
    assert panel["overtime"] == []
    assert f'href="/disputes/arbitration/{accepted.pk}/calculator/?kind=economic_compensation"' in (
        text(page)
    )
    calculator = arbitrator_client.get(url(accepted, "calculator/"))
    assert calculator.status_code == 200
    # The first kind the case claims; the commission's district fills the unit.
    assert calculator.context["kind"] == "economic_compensation"
    values = {f["name"]: f["value"] for f in calculator.context["fields"]}
    assert values == {"start_date": "", "end_date": "", "monthly_wage": "", "unit": "500103"}
    html = text(calculator)
    assert "{#" not in html and "{%" not in html
    assert "渝中区劳动人事争议仲裁委员会所在地" in html
    assert "本案“经济补偿”请求：30,000.00 元" in html
    assert "请按证据填写，系统不作推定" in html
    assert calculator.context["take"] is None  # nothing computed yet


def test_calculate_shows_amount_trace_and_the_claim(parameters, arbitrator_client, accepted):
    response = arbitrator_client.post(url(accepted, "calculator/"), COMPENSATION)
    assert response.status_code == 200
    calculation = response.context["calculation"]
    assert calculation.amount == Decimal("59500.00")
    html = text(response)
    assert 'data-testid="trace"' in html and "《劳动合同法》第四十七条" in html
    assert "本案请求 30,000.00 元，计算结果 59,500.00 元，计算结果多 29,500.00 元" in html
    take = response.context["take"]
    claim = claims_of(accepted)["economic_compensation"]
    assert [value for value, _ in take.fields["target"].choices] == [str(claim.pk), "new"]
    assert "restart_clock" in take.fields  # accepted: the tribunal's decision is asked


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2018-01-01"}, "end_date", "结束日期不能早于用工起始日期。"),
        ({"monthly_wage": "-5"}, "monthly_wage", "不能为负数。"),
        ({"monthly_wage": "八千"}, "monthly_wage", "请填写数字，如 8500 或 8500.50。"),
        ({"start_date": "2019/03/01"}, "start_date", "日期格式应为 YYYY-MM-DD，如 2024-03-01。"),
        ({"unit": ""}, "unit", "该字段是必填项。"),
    ],
)
def test_bad_calculator_input_shows_chinese_field_errors(
    parameters, arbitrator_client, accepted, changes, field, message
):
    response = arbitrator_client.post(url(accepted, "calculator/"), COMPENSATION | changes)
    assert response.context["calculation"] is None and response.context["take"] is None
    errors = {f["name"]: f["errors"] for f in response.context["fields"]}
    assert [str(e) for e in errors[field]] == [message]
    assert message in text(response)


def test_a_missing_parameter_is_named_not_guessed(arbitrator_client, accepted):
    clear_shipped_wage_parameters()
    response = arbitrator_client.post(url(accepted, "calculator/"), COMPENSATION)
    assert response.context["calculation"] is None
    assert "min_wage_tier" in " ".join(response.context["non_field_errors"])


def test_take_the_amount_into_a_new_claim(parameters, arbitrator_client, arbitrator_user, accepted):
    version = fresh(accepted).version
    response = arbitrator_client.post(
        url(accepted, "calculator/apply/"),
        {
            **OVERTIME,
            "amount": "999999",  # ignored: the amount is computed again
            "target": "new",
            "reason": "申请人当庭增加加班费请求",
            "restart_clock": "yes",
            "restart_on": today().isoformat(),
            "version": version,
        },
        follow=True,
    )
    assert flashed(response) == ["已将计算结果 775.00 元计入请求事项（加班费）。"]
    assert response.redirect_chain[-1][0] == url(accepted)
    added = Claim.objects.get(dispute=accepted.dispute, claim_type="overtime_pay")
    assert (added.amount, added.description) == (Decimal("775.00"), "权益计算")
    case = fresh(accepted)
    assert case.clock_start == today()
    event = case.events.get(kind="claims_changed")
    assert "增加 加班费 775.00 元（依权益计算器计算加班费 775.00 元）" in event.text
    entry = AuditEntry.objects.get(action="change_claims", object_id=str(case.pk))
    assert entry.actor == arbitrator_user
    assert entry.changes["basis"] == [None, "依权益计算器计算加班费 775.00 元"]


def test_take_the_amount_into_an_existing_claim(
    parameters, staff_client, district_staff, mediation
):
    claim = claims_of(mediation)["economic_compensation"]
    page = staff_client.post(url(mediation, "calculator/"), COMPENSATION)
    take = page.context["take"]
    assert "restart_clock" not in take.fields  # mediation: no clock decision
    response = staff_client.post(
        url(mediation, "calculator/apply/"),
        {
            **COMPENSATION,
            "target": str(claim.pk),
            "reason": "按计算结果调整",
            "version": take.initial["version"],
        },
        follow=True,
    )
    assert flashed(response) == ["已将计算结果 59,500.00 元计入请求事项（经济补偿）。"]
    claim.refresh_from_db()
    assert claim.amount == Decimal("59500.00")
    assert fresh(mediation).due_on == mediation.due_on


def test_take_with_bad_input_changes_nothing(parameters, arbitrator_client, accepted):
    before = snapshot(accepted)
    version = fresh(accepted).version
    # The inputs no longer compute (tampered): the calculator's errors, nothing taken.
    response = arbitrator_client.post(
        url(accepted, "calculator/apply/"),
        {**OVERTIME, "monthly_wage": "-1", "target": "new", "reason": "x", "version": version},
    )
    assert response.status_code == 200 and response.context["calculation"] is None
    errors = {f["name"]: f["errors"] for f in response.context["fields"]}
    assert [str(e) for e in errors["monthly_wage"]] == ["不能为负数。"]
    # No reason and no decision on the clock: the take form's Chinese errors.
    response = arbitrator_client.post(
        url(accepted, "calculator/apply/"),
        {**OVERTIME, "target": "new", "reason": "", "version": version},
    )
    take = response.context["take"]
    assert take.errors["reason"] == ["该字段是必填项。"]
    response = arbitrator_client.post(
        url(accepted, "calculator/apply/"),
        {**OVERTIME, "target": "new", "reason": "增加", "version": version},
    )
    take = response.context["take"]
    assert take.errors["restart_clock"][0].startswith("请选择是否自受理增加、变更请求之日起")
    assert 'data-testid="take-form"' in text(response)
    # A claim that is not one of the case's claims of this kind.
    wages = claims_of(accepted)["wages"]
    response = arbitrator_client.post(
        url(accepted, "calculator/apply/"),
        {**OVERTIME, "target": str(wages.pk), "reason": "x", "version": version},
    )
    assert "target" in response.context["take"].errors
    assert snapshot(accepted) == before


def test_take_with_a_stale_version(parameters, arbitrator_client, arbitrator_user, accepted):
    stale = fresh(accepted).version
    services.change_claims(
        arbitrator_user,
        accepted,
        reason="他人先变更",
        withdraw=[claims_of(accepted)["working_time"].pk],
    )
    before = snapshot(accepted)
    response = arbitrator_client.post(
        url(accepted, "calculator/apply/"),
        {**OVERTIME, "target": "new", "reason": "增加", "restart_clock": "no", "version": stale},
        follow=True,
    )
    assert flashed(response) == [CONFLICT]
    assert snapshot(accepted) == before


def test_readers_calculate_but_do_not_take(parameters, login_client, auditor, accepted):
    client = login_client(auditor)
    response = client.post(url(accepted, "calculator/"), OVERTIME)
    assert response.context["calculation"].amount == Decimal("775.00")
    assert response.context["take"] is None
    assert "只有本案的办案人员可以将计算结果计入请求事项" in text(response)
    response = client.post(url(accepted, "calculator/apply/"), {**OVERTIME, "target": "new"})
    assert response.status_code == 403


def test_closed_cases_take_nothing(parameters, staff_client, district_staff, mediation):
    services.close_mediation(district_staff, mediation, closure="withdrawn", closed_on=today())
    response = staff_client.post(url(mediation, "calculator/"), OVERTIME)
    assert response.context["take"] is None
    assert "案件已办结" in text(response)


def test_another_district_gets_404(parameters, login_client, shapingba_staff, accepted):
    client = login_client(shapingba_staff)
    assert client.get(url(accepted, "calculator/")).status_code == 404
    response = client.post(
        url(accepted, "calculator/apply/"), {**OVERTIME, "target": "new", "reason": "x"}
    )
    assert response.status_code == 404


def test_a_city_level_commission_asks_for_the_district(
    login_client, city_admin, city, dispute, mediation
):
    commission = ArbitrationCommission.objects.create(
        code="A500000", name="重庆市劳动人事争议仲裁委员会", unit=city, short_name="渝劳人仲"
    )
    case = services.receive_arbitration(
        city_admin, dispute, commission=commission, received_on=today()
    )
    response = login_client(city_admin).get(url(case, "calculator/"))
    values = {f["name"]: f["value"] for f in response.context["fields"]}
    assert values["unit"] == ""
    assert "不是区县级单位，请选择用人单位所在区县" in text(response)
    # The mediation body's district fills it for a mediation case.
    response = login_client(city_admin).get(url(mediation, "calculator/?kind=overtime"))
    assert response.context["kind"] == "overtime"
    assert [f["name"] for f in response.context["fields"]] == [
        "monthly_wage",
        "weekday_hours",
        "rest_day_hours",
        "holiday_hours",
    ]


# --- the award-items table -----------------------------------------------------------------------


def test_award_items_table_stacks_on_phones(
    arbitrator_client, arbitrator_user, accepted, arbitrators, wage_parameters
):
    services.form_tribunal(arbitrator_user, accepted, arbitrators=arbitrators)
    claims = claims_of(accepted)
    services.close(
        arbitrator_user,
        accepted,
        closure="award",
        closed_on=today(),
        items=[
            {"claim": claims["wages"].pk, "amount": "12000"},
            {"claim": claims["economic_compensation"].pk, "amount": "30000"},
        ],
    )
    html = text(arbitrator_client.get(url(accepted)))
    assert "{#" not in html and "{%" not in html
    assert 'class="table table-sm align-middle mb-0 table-stack"' in html
    for label in ("请求事项", "请求金额（元）", "裁决金额（元）", "终局"):
        assert f'data-label="{label}"' in html
    assert 'data-testid="award-total"' in html and "42,000.00" in html
    assert "不超过限额 27,960.00 元" in html
