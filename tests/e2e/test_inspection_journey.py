"""The inspection journey in a browser: a worker complains on a phone without logging in, an
inspector of 渝中区 accepts the complaint, assigns two inspectors, closes the case with the
wages recovered; the complainant's phone is masked until the inspector reveals it and the Excel
export masks the phone."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from yutong.core.models import AuditEntry
from yutong.inspection.models import Complaint, InspectionCase

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "Chongqing-e2e-2025!"
EMPLOYER = "重庆山城建筑劳务有限公司"
WORKER = "张小渝"
PHONE = "13987654321"


def _inspector(username: str, name: str):
    from yutong.core.models import OrgUnit, Role, User

    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        display_name=name,
        unit=OrgUnit.objects.get(code="500103"),
    )
    user.roles.add(Role.objects.get(code="inspector"))
    return user


@pytest.fixture
def inspectors(transactional_db):
    return _inspector("yz_insp1", "监察员甲"), _inspector("yz_insp2", "监察员乙")


def action(page, name: str):
    card = page.get_by_test_id(f"action-{name}")
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    expect(card.locator("form")).to_be_visible()
    return card


def captcha_answer(page) -> int:
    label = page.locator("label[for=id_captcha]").inner_text()
    match = re.search(r"验证码：(\d+) \+ (\d+) = \?", label)
    assert match, label
    return int(match[1]) + int(match[2])


def test_public_complaint_to_closed_case(page, phone_page, log_in, inspectors, tmp_path):
    today = timezone.localdate().isoformat()
    # 1. A worker complains on a phone, without an account.
    phone = phone_page
    phone.goto("/inspection/complain/")
    expect(phone.get_by_role("heading", name="劳动保障监察网上举报投诉")).to_be_visible()
    phone.locator("#id_district").select_option("500103")
    phone.locator("#id_employer_name").fill(EMPLOYER)
    phone.locator("#id_matter").fill("解放碑工地拖欠我们 3 个人两个月工资共 36000 元。")
    phone.get_by_label("工资支付和最低工资").check()
    phone.get_by_label("拖欠农民工工资").check()
    phone.locator("#id_workers_affected").fill("3")
    phone.locator("#id_amount_owed").fill("36000")
    phone.locator("#id_complainant_name").fill(WORKER)
    phone.locator("#id_complainant_phone").fill(PHONE)
    phone.locator("#id_captcha").fill(str(captcha_answer(phone) + 1))
    phone.get_by_role("button", name="提交投诉").click()
    expect(phone.locator("#id_captcha ~ .invalid-feedback")).to_have_text(
        "验证码不正确，请重新计算。"
    )
    assert not Complaint.objects.exists()
    phone.locator("#id_captcha").fill(str(captcha_answer(phone)))
    assert phone.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    phone.get_by_role("button", name="提交投诉").click()
    expect(phone).to_have_url(re.compile(r"/inspection/complain/done/$"))
    complaint = Complaint.objects.get()
    expect(phone.get_by_test_id("reference")).to_have_text(complaint.reference)
    phone.screenshot(path=str(tmp_path / "complain-done.png"), full_page=True)
    assert phone.problems == []

    # 2. The inspector finds it in the unit's queue and accepts it.
    lead, helper = inspectors
    log_in(page, lead)
    page.get_by_role("link", name="举报投诉").first.click()
    row = page.get_by_test_id("complaint-row").filter(has_text=EMPLOYER)
    expect(row).to_contain_text("剩 ")
    row.get_by_role("link", name=complaint.reference).click()
    expect(page.get_by_test_id("complainant")).to_contain_text(WORKER)
    # The phone is masked until the inspector reveals it (one click, audited).
    expect(page.get_by_test_id("complainant")).to_contain_text("139****4321")
    expect(page.get_by_test_id("complainant")).not_to_contain_text(PHONE)
    page.get_by_test_id("reveal-complainant-phone").click()
    expect(page.get_by_test_id("complainant")).to_contain_text(PHONE)
    assert AuditEntry.objects.filter(action="reveal_personal_data", actor=lead).count() == 1
    card = action(page, "accept")
    card.locator("[name=accepted_on]").fill(today)
    card.get_by_role("button", name="立案").click()
    case = InspectionCase.objects.get()
    expect(page.locator(".alert-success")).to_contain_text(case.number)
    page.get_by_test_id("case-link").get_by_role("link").click()
    expect(page.get_by_test_id("case-title")).to_contain_text(case.number)

    # 3. Closing before two inspectors investigate is refused, in Chinese, nothing changes.
    card = action(page, "close")
    card.locator("[name=outcome]").select_option("order")
    card.get_by_role("button", name="结案").click()
    expect(page.get_by_test_id("action-close")).to_contain_text("至少应由 2 名监察员调查")
    case.refresh_from_db()
    assert case.is_open

    card = action(page, "inspectors")
    card.locator("[name=lead]").select_option(str(lead.pk))
    card.get_by_label(str(helper)).check()
    card.get_by_role("button", name="指派").click()
    expect(page.get_by_test_id("inspectors")).to_contain_text("监察员乙")

    # 4. Closed with an order to pay: the wages are recovered for the three workers.
    card = action(page, "close")
    card.locator("[name=outcome]").select_option("order")
    card.locator("[name=closed_on]").fill(today)
    card.locator("[name=amount_recovered]").fill("36000")
    card.locator("[name=workers_paid]").fill("3")
    card.get_by_role("button", name="结案").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("行政处理")
    expect(page.get_by_test_id("recovered")).to_contain_text("36,000.00 元，3 人")
    expect(page.get_by_test_id("timeline")).to_contain_text("结案")
    case.refresh_from_db()
    assert case.closure == "order" and case.closed_on.isoformat() == today
    assert str(case.amount_recovered) == "36000.00" and case.workers_paid == 3

    # 5. The complaint queue's export masks the complainant's phone.
    page.goto("/inspection/complaints/?queue=closed")
    with page.expect_download() as download:
        page.get_by_test_id("export").click()
    path = tmp_path / "export.xlsx"
    download.value.save_as(path)
    from openpyxl import load_workbook

    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][-2] == "139****4321" and PHONE not in str(rows)
    assert page.problems == []
