"""The wage journey in a browser: register a project, record its safeguards, upload a payroll
sheet with a bad row, fix it and commit, see the colour turn green, and open the public page
by the address its QR code carries — without logging in."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect
from stdnum.cn import ric

from tests.factories import clear_shipped_wage_parameters
from yutong.core.models import DatedParameter, OrgUnit
from yutong.registry.models import ConstructionProject, Enterprise

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

HEADERS = [
    "项目编号",
    "工资月份",
    "姓名",
    "公民身份号码",
    "出勤天数",
    "应付工资（元）",
    "实付工资（元）",
    "是否发放至本人账户",
]
CODE = "500103202610060001"
OFFICER = "王专管"


def _resident_id(serial: int) -> str:
    first17 = f"50010319880312{serial:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


@pytest.fixture
def setup(transactional_db, uscc_factory):
    yuzhong = OrgUnit.objects.get(code="500103")
    clear_shipped_wage_parameters()  # the journey states its own figures
    for code, value in (("min_wage_tier", "1"), ("min_wage_monthly_tier1", "2330")):
        DatedParameter.objects.create(
            code=code, valid_from=date(2025, 5, 1), value=Decimal(value), source="测试"
        )
    parties = {}
    for serial, (name, industry) in enumerate(
        (("渝中城投置业有限公司", "K"), ("山城建工集团有限公司", "E")), start=1
    ):
        parties[industry] = Enterprise.objects.create(
            uscc=uscc_factory("500103", 900 + serial),
            name=name,
            unit=yuzhong,
            industry=industry,
            ownership="state_owned",
            employee_count=800,
        )
    return parties


def _sheet(path, month: date, bad: bool):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for i in range(4):
        ident = "500103198803120000" if bad and i == 2 else _resident_id(100 + i)
        sheet.append([CODE, f"{month:%Y-%m}", f"工人{i}", ident, 22, 6500, 6500, "是"])
    workbook.save(path)
    return str(path)


def test_wage_journey(page, browser, live_server, log_in, district_staff, setup, tmp_path):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    starts = last_month.replace(day=6)
    log_in(page, district_staff)

    # Register the project.
    page.get_by_test_id("sidebar").get_by_role("link", name="工程项目").click()
    page.get_by_role("link", name="登记项目").click()
    page.locator("#id_code").fill(CODE)
    page.locator("#id_name").fill("解放碑地下环道改造工程")
    page.locator("#id_unit").select_option(label="渝中区")
    page.locator("#id_owner").fill(setup["K"].uscc)
    page.locator("#id_general_contractor").fill(setup["E"].uscc)
    page.locator("#id_contract_amount").fill("50000000")
    page.locator("#id_starts_on").fill(starts.isoformat())
    page.locator("#id_status").select_option(label="在建")
    page.locator("#id_labour_officer").fill(OFFICER)
    page.locator("#id_labour_officer_phone").fill("13912345678")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_test_id("project-name")).to_have_text("解放碑地下环道改造工程")
    project = ConstructionProject.objects.get(code=CODE)
    expect(page.get_by_test_id("wage-colour")).to_have_attribute("data-colour", "yellow")
    expect(page.get_by_test_id("wage-reasons")).to_contain_text("未上传工资发放记录")

    # Record the deposit, the three systems and the notice board.
    page.get_by_role("link", name="登记保障措施").click()
    expect(page.get_by_test_id("requirement")).to_contain_text("1,000,000.00")
    deposit = page.get_by_test_id("section-deposit")
    deposit.locator("#id_deposit-form").select_option(label="银行保函")
    deposit.locator("#id_deposit-amount").fill("1000000")
    deposit.locator("#id_deposit-deposited_on").fill(starts.isoformat())
    deposit.locator("#id_deposit-issuer").fill("中国建设银行重庆渝中支行")
    deposit.locator("#id_deposit-expires_on").fill((starts + timedelta(days=730)).isoformat())
    deposit.get_by_role("button", name="保存保证金").click()
    expect(page.get_by_text("已登记工资保证金。")).to_be_visible()

    account = page.get_by_test_id("section-wage_account")
    account.locator("#id_wage_account-in_place_since").fill(starts.isoformat())
    account.locator("#id_wage_account-bank_name").fill("中国建设银行重庆渝中支行")
    account.locator("#id_wage_account-account_number").fill("5000123456789012")
    account.get_by_role("button").click()
    expect(page.get_by_test_id("section-wage_account")).to_contain_text("****9012")

    real_name = page.get_by_test_id("section-real_name")
    real_name.locator("#id_real_name-in_place_since").fill(starts.isoformat())
    real_name.get_by_role("button").click()
    payroll = page.get_by_test_id("section-bank_payroll")
    payroll.locator("#id_bank_payroll-in_place_since").fill(starts.isoformat())
    payroll.locator("#id_bank_payroll-pay_day").fill("15")
    payroll.get_by_role("button").click()
    board = page.get_by_test_id("section-notice_board")
    board.locator("#id_notice_board-in_place_since").fill(starts.isoformat())
    for box in board.locator("input[type=checkbox]").all():
        box.check()
    board.get_by_role("button").click()
    expect(page.get_by_test_id("section-notice_board")).to_contain_text("已落实")

    # Upload last month's payroll: one bad resident ID first, then the corrected sheet.
    page.goto(f"/registry/projects/{project.pk}/")
    page.get_by_role("link", name=re.compile("工资发放记录")).click()
    page.locator("#id_file").set_input_files(_sheet(tmp_path / "bad.xlsx", last_month, True))
    page.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "invalid")
    errors = page.get_by_test_id("import-errors")
    expect(errors).to_contain_text("公民身份号码无效")
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors).to_contain_text("4")  # the Excel row of the bad line

    page.goto(f"/wages/projects/{project.pk}/payroll/")
    page.locator("#id_file").set_input_files(_sheet(tmp_path / "good.xlsx", last_month, False))
    page.get_by_role("button", name="上传并校验").click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "ready")
    page.get_by_role("button", name=re.compile("确认导入")).click()
    expect(page.get_by_test_id("import-status")).to_have_attribute("data-status", "done")
    page.get_by_test_id("back-to-project").click()

    # Everything in place and paid: green.
    expect(page.get_by_test_id("wage-colour")).to_have_attribute("data-colour", "green")

    # The printed notice board carries the public address in its QR code.
    page.get_by_role("link", name="维权信息告示牌").click()
    expect(page.get_by_test_id("notice-board")).to_contain_text("2,330.00 元/月")
    expect(page.get_by_test_id("notice-board")).to_contain_text("每月 15 日前")
    public_url = page.get_by_test_id("public-url").inner_text().strip()
    assert public_url.startswith(live_server.url) and public_url.endswith(
        f"/wages/code/{project.pk}/"
    )
    assert page.problems == []

    # Anyone opens it, on a phone, without logging in: colour and rights, no personal data.
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    public = phone.new_page()
    public.goto(public_url)
    expect(public.get_by_test_id("wage-colour")).to_have_attribute("data-colour", "green")
    expect(public.get_by_test_id("public-page")).to_contain_text("山城建工集团有限公司")
    expect(public.get_by_test_id("public-page")).to_contain_text("12333")
    content = public.content()
    assert OFFICER not in content and "13912345678" not in content and "9012" not in content
    assert public.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone.close()
