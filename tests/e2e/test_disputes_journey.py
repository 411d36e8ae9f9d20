"""The disputes' main journeys in a browser: a dispute registered, mediated, transferred,
accepted, heard and awarded by 渝中区 staff; bad input on the case actions; and the public
online application on a phone."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from stdnum.cn import ric

from tests.factories import clear_shipped_wage_parameters
from yutong.core import clocks
from yutong.core.models import DatedParameter, OrgUnit
from yutong.core.personal import mask_resident_id
from yutong.disputes import services
from yutong.disputes.models import (
    ArbitrationCase,
    ArbitrationCommission,
    Arbitrator,
    AwardItem,
    Dispute,
    MediationBody,
    MediationCase,
)

pytestmark = [
    pytest.mark.e2e,
    # See test_registry_journey.py: live_server needs committed data, serialized_rollback
    # restores what migrations load (org units, roles, claim types, statutory parameters).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

EMPLOYER = "重庆山城火锅餐饮管理有限公司"
WORKER = "张小渝"
FACTS = "2026 年 3 月入职任厨师，9 月至 10 月工资 8600 元至今未发。"
CLAIMED = "8600"
AWARDED = "8600"
BODY_NAME = "解放碑街道劳动争议调解中心"
COMMISSION_NAME = "渝中区劳动人事争议仲裁委员会"
ARBITRATOR_NAME = "王仲裁"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}


def make_resident_id(serial: int, district: str = "500103", born: str = "19980307") -> str:
    """A valid 18-digit resident ID number (GB 11643 check digit)."""
    first17 = f"{district}{born}{serial % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum wants a check-digit slot


RESIDENT_ID = make_resident_id(42)
MASKED_ID = mask_resident_id(RESIDENT_ID)


def today() -> date:
    return timezone.localdate()


@pytest.fixture
def places(transactional_db):
    """渝中's mediation body and commission with one arbitrator, and the minimum wage
    (tier 1, 2,330 a month: awards up to 27,960 are final) — test values."""
    yuzhong = OrgUnit.objects.get(code="500103")
    body = MediationBody.objects.create(
        code="M500103001", name=BODY_NAME, kind="township", unit=yuzhong
    )
    commission = ArbitrationCommission.objects.create(
        code="A500103", name=COMMISSION_NAME, unit=yuzhong, short_name="渝中劳人仲"
    )
    arbitrator = Arbitrator.objects.create(commission=commission, name=ARBITRATOR_NAME)
    clear_shipped_wage_parameters()  # the journeys state their own figures
    DatedParameter.objects.create(
        code="min_wage_monthly_tier1",
        valid_from=date(2025, 5, 1),
        value=Decimal("2330"),
        source="测试：渝府发〔2025〕X号",
    )
    DatedParameter.objects.create(
        code="min_wage_tier",
        unit=yuzhong,
        valid_from=date(2020, 1, 1),
        value=Decimal("1"),
        source="测试：档次划分",
    )
    return {"body": body, "commission": commission, "arbitrator": arbitrator}


def action(page, name: str):
    """One action's <details> card on a case page, opened."""
    card = page.get_by_test_id(f"action-{name}")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    expect(card.locator("form")).to_be_visible()
    return card


def timeline(page) -> list[str]:
    """The kinds of the timeline's steps, in order (the third part of each step's header)."""
    headers = page.get_by_test_id("timeline").locator("li > div.small").all_inner_texts()
    return [header.split(" · ")[-1] for header in headers]


def expect_success(page, text: str) -> None:
    expect(page.locator(".messages .alert-success")).to_contain_text(text)


def test_register_mediate_transfer_and_award(page, log_in, district_staff, places, tmp_path):
    body = places["body"]
    log_in(page, district_staff)

    # --- register the dispute for mediation ---------------------------------------------------
    page.get_by_test_id("sidebar").get_by_role("link", name="调解案件").click()
    expect(page).to_have_url(re.compile(r"/disputes/mediation/$"))
    expect(page.get_by_role("heading", name="调解案件", exact=True)).to_be_visible()
    page.get_by_role("link", name="登记争议").click()
    expect(page).to_have_url(re.compile(r"/disputes/register/$"))
    expect(page.get_by_role("heading", name="登记劳动人事争议")).to_be_visible()
    # A click's navigation resolves once the page is committed; HTMX binds the picker's input
    # event only when the page has loaded, and an input before that is not searched.
    page.wait_for_load_state("load")

    page.locator("#id_employer_name").fill(EMPLOYER)
    # The registry picker answers (HTMX) that the employer is not in the registry.
    expect(page.get_by_test_id("employer-none")).to_contain_text("可直接填写用人单位名称")
    page.locator("[name='workers-0-name']").fill(WORKER)
    page.locator("[name='workers-0-resident_id']").fill(RESIDENT_ID)
    page.locator("[name='claims-0-claim_type']").select_option(label="拖欠工资")
    page.locator("[name='claims-0-amount']").fill(CLAIMED)
    page.locator("#id_facts").fill(FACTS)
    page.get_by_label("调解组织受理调解").check()
    expect(page.locator("#id_commission")).to_be_hidden()  # only mediation's fields show
    page.locator("#id_body").select_option(str(body.pk))
    expect(page.locator("#id_received_on")).to_have_value(today().isoformat())
    page.get_by_role("button", name="登记", exact=True).click()

    expect(page).to_have_url(re.compile(r"/disputes/mediation/\d+/$"))
    mediation = MediationCase.objects.get()
    due = clocks.add_calendar_days(today(), 15)
    assert mediation.due_on == due
    expect_success(page, f"已登记调解案件，期限至 {due.isoformat()}。")
    expect(page.get_by_test_id("case-title")).to_have_text(
        f"调解案件 调{mediation.pk} · {EMPLOYER}"
    )
    expect(page.get_by_test_id("status")).to_have_text("已收到")
    expect(page.get_by_test_id("due")).to_contain_text(due.isoformat())
    expect(page.get_by_test_id("clock")).to_contain_text("期限内")
    workers = page.get_by_test_id("workers")
    expect(workers).to_contain_text(WORKER)
    expect(workers.locator("td.masked").first).to_contain_text(MASKED_ID)
    expect(page.get_by_test_id("claims")).to_contain_text("拖欠工资")
    assert RESIDENT_ID not in page.content()

    # --- no agreement within the mediation ------------------------------------------------------
    card = action(page, "close")
    card.locator("[name=closure]").select_option(label="未达成调解协议")
    expect(card.locator("[name=closed_on]")).to_have_value(today().isoformat())
    card.get_by_role("button", name="结案").click()
    expect_success(page, "已结案：未达成调解协议。")
    expect(page.get_by_test_id("status")).to_have_text("已结案")
    expect(page.get_by_test_id("closure")).to_contain_text("未达成调解协议")
    expect(page.get_by_test_id("action-close")).to_have_count(0)

    # --- transfer to the commission -------------------------------------------------------------
    card = action(page, "transfer")
    card.locator("[name=commission]").select_option(label=COMMISSION_NAME)
    card.get_by_role("button", name="转仲裁").click()
    expect_success(page, f"已转{COMMISSION_NAME}")
    arbitration = ArbitrationCase.objects.get()
    assert arbitration.from_mediation_id == mediation.pk
    expect(page.get_by_test_id("action-transfer")).to_have_count(0)
    assert timeline(page) == ["收到申请", "结案", "转仲裁"]
    page.get_by_test_id("transferred").get_by_role("link", name=COMMISSION_NAME).click()

    # --- the arbitration: accept (simplified), tribunal, award ---------------------------------
    expect(page).to_have_url(re.compile(rf"/disputes/arbitration/{arbitration.pk}/$"))
    expect(page.get_by_test_id("case-title")).to_have_text(
        f"待受理（收件 {arbitration.pk}） · {EMPLOYER}"
    )
    expect(page.get_by_test_id("status")).to_have_text("待审查")
    expect(page.get_by_test_id("due")).to_contain_text(arbitration.decision_due_on.isoformat())
    expect(page.get_by_role("link", name=f"调{mediation.pk}")).to_be_visible()

    card = action(page, "accept")
    expect(card.locator("[name=accepted_on]")).to_have_value(today().isoformat())
    card.locator("[name=procedure]").select_option(label="简易处理（独任）")
    card.get_by_role("button", name="受理").click()
    number = f"渝中劳人仲案字〔{today().year}〕第1号"
    expect_success(page, f"已受理，案号 {number}")
    expect(page.get_by_test_id("case-title")).to_have_text(f"{number} · {EMPLOYER}")
    expect(page.get_by_test_id("status")).to_have_text("已受理")
    award_due = clocks.add_calendar_days(today(), 45)
    expect(page.get_by_test_id("due")).to_contain_text(award_due.isoformat())

    card = action(page, "tribunal")
    expect(card).to_contain_text("选择 1 名仲裁员")
    card.get_by_label(ARBITRATOR_NAME).check()
    card.get_by_role("button", name="组庭").click()
    expect_success(page, "已组成仲裁庭。")
    expect(page.get_by_test_id("tribunal")).to_have_text(ARBITRATOR_NAME)
    expect(page.get_by_test_id("status")).to_have_text("已组庭")

    card = action(page, "close")
    items = card.locator("[data-award-items]")
    expect(items).to_be_hidden()  # award items only for an award
    card.locator("[name=closure]").select_option(label="裁决")
    expect(items).to_be_visible()
    items.get_by_label(re.compile(r"^拖欠工资（请求 8,600\.00 元）")).fill(AWARDED)
    card.get_by_role("button", name="结案").click()
    expect_success(page, "已结案：裁决。裁决结果：终局裁决（各项均为终局）。")
    expect(page.get_by_test_id("status")).to_have_text("已结案")
    expect(page.get_by_test_id("closure")).to_contain_text(f"裁决（{today().isoformat()}）")
    expect(page.get_by_test_id("award-result")).to_have_text("终局裁决（各项均为终局）")
    row = page.get_by_test_id("award-items").locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("拖欠工资")
    expect(row.locator("td").nth(2)).to_have_text("8,600.00")
    expect(row.locator(".badge")).to_have_text("终局")
    expect(row).to_contain_text("不超过限额 27,960.00 元")
    expect(page.get_by_test_id("clock")).to_contain_text("按期")
    assert timeline(page) == ["收到申请", "受理", "组庭", "结案"]
    expect(page.get_by_test_id("timeline")).to_contain_text("终局裁决")
    assert RESIDENT_ID not in page.content()

    screenshot = tmp_path / "arbitration-case.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000
    print(f"arbitration case page: {screenshot}")

    item = AwardItem.objects.get()
    assert (item.amount, item.is_final) == (Decimal(AWARDED), True)

    # On a phone the award items stack as labelled cards: no sideways scrolling.
    page.set_viewport_size(PHONE)
    table = page.get_by_test_id("award-items")
    expect(table.locator("thead")).to_be_hidden()
    expect(row.locator("td").nth(2)).to_have_css("display", "flex")
    expect(row.locator("td").nth(2)).to_have_attribute("data-label", "裁决金额（元）")
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / "award-items-phone.png"), full_page=True)
    page.set_viewport_size(LAPTOP)
    expect(table.locator("thead")).to_be_visible()

    # --- the printable award ------------------------------------------------------------------
    page.get_by_role("link", name="裁决书").click()
    expect(page).to_have_url(
        re.compile(rf"/disputes/arbitration/{arbitration.pk}/documents/award/$")
    )
    document = page.get_by_test_id("document")
    expect(document.locator("h1")).to_have_text("裁决书")
    expect(document.locator(".doc-number")).to_have_text(number)
    expect(document).to_contain_text(f"{WORKER}，公民身份号码 {MASKED_ID}")
    expect(document).to_contain_text(f"由仲裁员{ARBITRATOR_NAME}独任审理")
    expect(document.get_by_test_id("award-items")).to_contain_text("终局裁决")
    expect(document).to_contain_text("以上裁决金额合计人民币 8,600.00 元。")
    assert RESIDENT_ID not in page.content()
    expect(page.get_by_test_id("pdf-link")).to_have_attribute("href", "?format=pdf")
    pdf = page.request.get(page.url + "?format=pdf")  # shares the page's session
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    # --- the arbitration queue lists it under 已结案 -------------------------------------------
    page.get_by_test_id("sidebar").get_by_role("link", name="仲裁案件").click()
    expect(page).to_have_url(re.compile(r"/disputes/arbitration/$"))
    expect(page.get_by_role("heading", name="仲裁案件", exact=True)).to_be_visible()
    expect(page.get_by_test_id("count-closed")).to_have_text("1")
    expect(page.get_by_test_id("case-row")).to_have_count(0)  # no longer in the unit's work
    page.locator("[data-queue=closed]").click()
    expect(page).to_have_url(re.compile(r"[?&]queue=closed(&|$)"))
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("link", name=number)).to_be_visible()
    expect(rows).to_contain_text(EMPLOYER)
    expect(rows).to_contain_text(today().isoformat())
    expect(rows).to_contain_text("裁决")
    expect(rows).to_contain_text("已结案")

    assert page.problems == []


@pytest.fixture
def accepted_case(district_staff, places):
    """An arbitration case received two days ago and accepted yesterday (ordinary procedure)."""
    commission = places["commission"]
    dispute = services.register_dispute(
        district_staff,
        unit=commission.unit,
        channel="staff",
        facts=FACTS,
        employer_name=EMPLOYER,
        workers=[{"name": WORKER, "resident_id": RESIDENT_ID, "is_representative": True}],
        claims=[{"claim_type": "wages", "amount": CLAIMED}],
    )
    case = services.receive_arbitration(
        district_staff, dispute, commission=commission, received_on=today() - timedelta(days=2)
    )
    return services.accept(
        district_staff, case, accepted_on=today() - timedelta(days=1), procedure="ordinary"
    )


def test_bad_action_input_shows_chinese_errors_and_changes_nothing(
    page, log_in, district_staff, accepted_case
):
    case = accepted_case
    case.refresh_from_db()
    version, due = case.version, case.due_on
    log_in(page, district_staff)
    page.goto(f"/disputes/arbitration/{case.pk}/")
    expect(page.get_by_test_id("case-title")).to_contain_text(case.number)
    expect(page.get_by_test_id("due")).to_contain_text(due.isoformat())

    # An award without any amount.
    card = action(page, "close")
    card.locator("[name=closure]").select_option(label="裁决")
    card.get_by_role("button", name="结案").click()
    expect(page).to_have_url(re.compile(rf"/disputes/arbitration/{case.pk}/close/$"))
    card = page.get_by_test_id("action-close")
    expect(card).to_have_attribute("open", "")  # the failed form stays open, input kept
    expect(card.get_by_test_id("action-errors")).to_have_text("裁决结案须至少列明一项裁决事项。")
    expect(card.locator("[name=closure]")).to_have_value("award")
    expect(card.locator("[data-award-items]")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("已受理")
    expect(page.locator(".messages .alert-success")).to_have_count(0)

    # A negative amount is refused on its field.
    field = card.locator("[data-award-items] input").first
    field.fill("-1")
    card.get_by_role("button", name="结案").click()
    card = page.get_by_test_id("action-close")
    expect(card.locator("[data-award-items] .invalid-feedback")).to_have_text(
        "确保该值大于或等于0。"
    )
    expect(card.locator("[data-award-items] input").first).to_have_value("-1")

    # An extension of 16 days (at most 15).
    card = action(page, "extend")
    card.locator("[name=days]").fill("16")
    card.locator("[name=reason]").fill("案情复杂，需要鉴定")
    card.locator("[name=approver]").fill("仲裁委主任")
    card.get_by_role("button", name="延期").click()
    expect(page).to_have_url(re.compile(rf"/disputes/arbitration/{case.pk}/extend/$"))
    card = page.get_by_test_id("action-extend")
    expect(card).to_have_attribute("open", "")
    days = card.locator("[name=days]")
    expect(days).to_have_value("16")
    expect(
        days.locator("xpath=following-sibling::div[contains(@class, 'invalid-feedback')]")
    ).to_have_text("确保该值小于或等于15。")
    expect(page.get_by_test_id("due")).to_contain_text(due.isoformat())
    expect(page.get_by_test_id("clock-changes")).to_have_count(0)
    expect(page.locator(".messages .alert-success")).to_have_count(0)

    case.refresh_from_db()
    assert (case.version, case.due_on, case.status) == (version, due, "accepted")
    assert case.is_open and not case.award_items.exists()
    assert not case.clock_changes.exists()
    assert [e.kind for e in case.events.order_by("at", "id")] == ["received", "accepted"]
    assert page.problems == []


def test_calculator_inside_a_case_and_the_amount_into_a_claim(
    page, log_in, district_staff, accepted_case, tmp_path
):
    """Open an arbitration case from the queue, compute economic compensation inside it (the
    commission's district filled in), take the amount into a new claim with the tribunal's
    decision to restart the 45 days, then add one more claim with the case-page action."""
    case = accepted_case
    DatedParameter.objects.create(
        code="avg_wage_monthly_prev_year",
        valid_from=date(2025, 6, 1),
        value=Decimal("9500"),
        source="测试：上年度职工月平均工资",
    )
    log_in(page, district_staff)
    page.get_by_test_id("sidebar").get_by_role("link", name="仲裁案件").click()
    page.get_by_test_id("case-row").get_by_role("link", name=case.number).click()
    expect(page).to_have_url(re.compile(rf"/disputes/arbitration/{case.pk}/$"))

    # --- the calculator inside the case --------------------------------------------------------
    panel = page.get_by_test_id("calculator-panel")
    expect(panel).to_contain_text("经济补偿")
    panel.get_by_test_id("calculate-economic_compensation").click()
    expect(page).to_have_url(
        re.compile(rf"/disputes/arbitration/{case.pk}/calculator/\?kind=economic_compensation$")
    )
    expect(page.get_by_role("heading", name=re.compile("权益计算"))).to_be_visible()
    expect(page.get_by_test_id("case-known")).to_contain_text(COMMISSION_NAME)
    expect(page.locator("#id_unit")).to_have_value("500103")  # the commission's district
    expect(page.locator("#id_monthly_wage")).to_have_value("")  # not known: asked

    # Dates in the wrong order: the calculator's Chinese error on its field, nothing computed.
    page.locator("#id_start_date").fill("2025-08-31")
    page.locator("#id_end_date").fill("2019-03-01")
    page.locator("#id_monthly_wage").fill("8500")
    page.get_by_role("button", name="计算").click()
    expect(page.locator("#id_end_date ~ .invalid-feedback")).to_have_text(
        "结束日期不能早于用工起始日期。"
    )
    expect(page.get_by_test_id("result")).to_have_count(0)
    expect(page.get_by_test_id("take-form")).to_have_count(0)

    page.locator("#id_start_date").fill("2019-03-01")
    page.locator("#id_end_date").fill("2025-08-31")
    page.get_by_role("button", name="计算").click()
    expect(page.get_by_test_id("amount")).to_contain_text("55,250.00")
    expect(page.get_by_test_id("trace")).to_contain_text("《劳动合同法》第四十七条")
    page.screenshot(path=str(tmp_path / "case-calculator.png"), full_page=True)

    # --- take the amount into a new claim ------------------------------------------------------
    take = page.get_by_test_id("take-form")
    expect(take.get_by_label(re.compile("新增一项"))).to_be_checked()  # the case has no such claim
    take.get_by_role("button", name="计入请求事项").click()
    expect(take.locator("#id_take_reason ~ .invalid-feedback")).to_have_text("该字段是必填项。")
    take = page.get_by_test_id("take-form")
    take.locator("#id_take_reason").fill("申请人当庭增加经济补偿请求，仲裁庭决定受理")
    take.get_by_label(re.compile("仲裁庭已决定受理")).check()
    expect(take.locator("#id_take_restart_on")).to_have_value(today().isoformat())
    take.get_by_role("button", name="计入请求事项").click()

    expect(page).to_have_url(re.compile(rf"/disputes/arbitration/{case.pk}/$"))
    expect_success(page, "已将计算结果 55,250.00 元计入请求事项（经济补偿）。")
    claims = page.get_by_test_id("claims")
    expect(claims).to_contain_text("解除或终止劳动合同经济补偿")
    expect(claims).to_contain_text("55,250.00")
    new_due = clocks.add_calendar_days(today(), 45)
    expect(page.get_by_test_id("due")).to_contain_text(new_due.isoformat())
    expect(page.get_by_test_id("clock-changes")).to_contain_text("增加、变更仲裁请求")
    assert timeline(page)[-2:] == ["变更请求", "重新计算期限"]
    expect(page.get_by_test_id("timeline")).to_contain_text("依权益计算器计算经济补偿 55,250.00 元")

    # --- one more claim through the case-page action (a row added in the browser) ------------
    card = action(page, "change_claims")
    expect(card.get_by_test_id("claim-row")).to_have_count(2)
    card.get_by_role("button", name="增加请求事项").click()
    new_rows = card.get_by_test_id("new-claim-row")
    expect(new_rows).to_have_count(2)
    row = new_rows.last
    row.locator("select").select_option(label="加班费")
    row.get_by_label("金额（元）").fill("3000")
    card.locator("[name=reason]").fill("申请人补充休息日加班费请求")
    card.get_by_label(re.compile("不重新计算审理期限")).check()
    card.screenshot(path=str(tmp_path / "change-claims.png"))
    card.get_by_role("button", name="保存").click()
    expect_success(page, f"请求事项已更新。审理期限至 {new_due.isoformat()}。")
    expect(page.get_by_test_id("claims")).to_contain_text("加班费")
    expect(page.get_by_test_id("claims").locator("tfoot")).to_contain_text("66,850.00")

    case.refresh_from_db()
    claims = [(c.claim_type_id, c.amount) for c in case.dispute.claims.active()]
    assert claims == [
        ("wages", Decimal("8600.00")),
        ("economic_compensation", Decimal("55250.00")),
        ("overtime_pay", Decimal("3000.00")),
    ]
    assert (case.clock_start, case.due_on) == (today(), new_due)
    assert RESIDENT_ID not in page.content()
    assert page.problems == []


def test_online_application_on_a_phone(phone_page, places, tmp_path):
    page, body = phone_page, places["body"]
    page.goto("/disputes/apply/")
    expect(page.get_by_role("heading", name="网上申请劳动争议调解、仲裁")).to_be_visible()
    expect(page.get_by_text("退出")).to_have_count(0)  # nobody is logged in

    page.locator("[name='workers-0-name']").fill(WORKER)
    page.locator("[name='workers-0-resident_id']").fill(RESIDENT_ID)
    page.locator("[name='workers-0-phone']").fill("13812345678")
    page.locator("#id_employer_name").fill(EMPLOYER)
    page.locator("[name='claims-0-claim_type']").select_option(label="拖欠工资")
    page.locator("[name='claims-0-amount']").fill(CLAIMED)
    page.locator("#id_facts").fill(FACTS)
    page.locator("#id_district").select_option("500103")
    # Choosing the district loads its bodies and commission into the next list (HTMX).
    target = page.locator("#id_target")
    expect(target.locator(f"option[value='m{body.pk}']")).to_have_text(BODY_NAME)
    target.select_option(f"m{body.pk}")

    def captcha_answer() -> int:
        label = page.locator("label[for=id_captcha]").inner_text()
        match = re.search(r"验证码：(\d+) \+ (\d+) = \?", label)
        assert match, label
        return int(match[1]) + int(match[2])

    # A wrong sum is refused, nothing is written, and a new sum is asked.
    wrong = captcha_answer() + 1
    page.locator("#id_captcha").fill(str(wrong))
    page.get_by_role("button", name="提交申请").click()
    expect(page.locator("#id_captcha ~ .invalid-feedback")).to_have_text(
        "验证码不正确，请重新计算。"
    )
    expect(page.locator("#id_captcha")).to_have_value("")
    expect(page.locator("[name='workers-0-name']")).to_have_value(WORKER)
    expect(page.locator("#id_target")).to_have_value(f"m{body.pk}")
    assert not Dispute.objects.exists()

    page.locator("#id_captcha").fill(str(captcha_answer()))
    # The form fits the phone's width: no sideways scrolling.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="提交申请").click()

    expect(page).to_have_url(re.compile(r"/disputes/apply/done/$"))
    expect(page.get_by_role("heading", name="您的申请已提交")).to_be_visible()
    dispute = Dispute.objects.get()
    reference = services.online_reference(dispute)
    assert re.fullmatch(rf"WS{today():%Y%m%d}\d{{6}}", reference)
    expect(page.get_by_test_id("reference")).to_have_text(reference)
    expect(page.get_by_test_id("next-steps")).to_contain_text(BODY_NAME)
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=str(tmp_path / "apply-done.png"), full_page=True)

    case = MediationCase.objects.get()
    assert (case.body, dispute.channel, dispute.employer_name) == (body, "online", EMPLOYER)
    assert dispute.workers.get().resident_id == RESIDENT_ID
    assert page.problems == []
