"""The registry's main journey in a browser: log in, find and open an enterprise, register one."""

import re

import pytest
from playwright.sync_api import expect

from yutong.core.models import OrgUnit
from yutong.registry.models import Enterprise

pytestmark = [
    pytest.mark.e2e,
    # live_server needs committed data; serialized_rollback restores the org units and roles
    # loaded by migrations after each transactional test flushes the tables.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # WhiteNoise warns that STATIC_ROOT does not exist: no collectstatic in tests, the live
    # server serves static files from the finders.
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PHONE = "13812345678"
MASKED_PHONE = "138****5678"
OTHER_DISTRICT_NAME = "沙坪坝精密机械有限公司"


@pytest.fixture
def enterprises(transactional_db, uscc_factory):
    """Four enterprises in 渝中区 (two of them 制造业) and one 精密 manufacturer in 沙坪坝区."""
    yuzhong = OrgUnit.objects.get(code="500103")
    shapingba = OrgUnit.objects.get(code="500106")
    rows = [
        (yuzhong, "山城精密制造有限公司", "C", 320),
        (yuzhong, "两路口精密仪器有限公司", "C", 85),
        (yuzhong, "解放碑火锅餐饮有限公司", "H", 46),
        (yuzhong, "朝天门物流有限公司", "G", 150),
        (shapingba, OTHER_DISTRICT_NAME, "C", 500),
    ]
    created = {}
    for serial, (unit, name, industry, employees) in enumerate(rows, start=1):
        created[name] = Enterprise.objects.create(
            uscc=uscc_factory(unit.code, serial),
            name=name,
            unit=unit,
            industry=industry,
            ownership="private",
            employee_count=employees,
            status="operating",
            contact_phone=PHONE,
        )
    return created


def expect_other_district_absent(page):
    expect(page.get_by_text(OTHER_DISTRICT_NAME)).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text("沙坪坝")


def test_find_and_open_an_enterprise(page, log_in, district_staff, enterprises, tmp_path):
    log_in(page, district_staff)

    page.get_by_test_id("sidebar").get_by_role("link", name="企业名录").click()
    expect(page).to_have_url(re.compile(r"/registry/enterprises/$"))
    expect(page.get_by_role("heading", name="企业名录")).to_be_visible()
    count = page.get_by_test_id("result-count")
    expect(count).to_have_text("共 4 家企业")
    rows = page.get_by_test_id("enterprise-table").locator("tbody tr")
    expect(rows).to_have_count(4)
    expect_other_district_absent(page)

    # The page is styled (Bootstrap loaded) and its scripts ran.
    assert page.evaluate("() => typeof window.htmx === 'object' && !!window.bootstrap")
    assert page.locator(".btn-primary").first.evaluate(
        "el => getComputedStyle(el).backgroundColor"
    ) not in ("", "rgba(0, 0, 0, 0)", "transparent")
    screenshot = tmp_path / "enterprise-list.png"
    page.screenshot(path=str(screenshot), full_page=True)
    assert screenshot.stat().st_size > 10_000

    # Choosing an industry submits the filter form by itself.
    page.locator("select[name=industry]").select_option("C")
    expect(page).to_have_url(re.compile(r"[?&]industry=C(&|$)"))
    expect(count).to_have_text("共 2 家企业")
    expect(rows).to_have_count(2)
    expect(page.locator("select[name=industry]")).to_have_value("C")
    expect(page.get_by_role("link", name="山城精密制造有限公司")).to_be_visible()
    expect(page.get_by_role("link", name="两路口精密仪器有限公司")).to_be_visible()
    expect(page.get_by_text("解放碑火锅餐饮有限公司")).to_have_count(0)
    expect_other_district_absent(page)

    # A search term narrows further; the other district's 精密 company still never shows.
    page.get_by_placeholder("企业名称或统一社会信用代码").fill("精密仪器")
    page.get_by_role("button", name="查询").click()
    expect(page).to_have_url(re.compile(r"[?&]q=%E7%B2%BE%E5%AF%86%E4%BB%AA%E5%99%A8"))
    expect(count).to_have_text("共 1 家企业")
    expect(rows).to_have_count(1)
    expect_other_district_absent(page)

    # A term that only the other district matches finds nothing.
    page.get_by_placeholder("企业名称或统一社会信用代码").fill("精密机械")
    page.get_by_role("button", name="查询").click()
    expect(count).to_have_text("共 0 家企业")
    expect(page.get_by_text("没有符合筛选条件的企业")).to_be_visible()

    page.get_by_placeholder("企业名称或统一社会信用代码").fill("精密")
    page.get_by_role("button", name="查询").click()
    expect(count).to_have_text("共 2 家企业")
    expect_other_district_absent(page)

    target = enterprises["两路口精密仪器有限公司"]
    page.get_by_role("link", name=target.name).click()
    expect(page).to_have_url(re.compile(rf"/registry/enterprises/{target.uscc}/$"))
    expect(page.get_by_test_id("enterprise-name")).to_have_text(target.name)
    expect(page.locator("dd.masked")).to_contain_text(MASKED_PHONE)
    expect(page.locator("main")).to_contain_text(target.uscc)
    expect(page.locator("main")).to_contain_text("渝中区")
    assert PHONE not in page.content()

    # Not even its address is reachable.
    other = enterprises[OTHER_DISTRICT_NAME]
    response = page.goto(f"/registry/enterprises/{other.uscc}/")
    assert response is not None and response.status == 404
    expect_other_district_absent(page)

    assert page.problems == []


def test_register_an_enterprise(page, log_in, district_staff, uscc_factory):
    log_in(page, district_staff)
    page.get_by_test_id("sidebar").get_by_role("link", name="企业名录").click()
    page.get_by_role("link", name="登记企业").click()
    expect(page).to_have_url(re.compile(r"/registry/enterprises/new/$"))
    expect(page.get_by_role("heading", name="登记企业")).to_be_visible()

    uscc = uscc_factory("500103", 4242)
    wrong_check = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != uscc[-1])
    name = "鹅岭文创科技有限公司"

    page.locator("#id_uscc").fill(uscc[:-1] + wrong_check)
    page.locator("#id_name").fill(name)
    page.locator("#id_unit").select_option(label="渝中区")
    page.locator("#id_industry").select_option("I")
    page.locator("#id_ownership").select_option("private")
    page.locator("#id_employee_count").fill("36")
    page.locator("#id_contact_phone").fill(PHONE)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(r"/registry/enterprises/new/$"))
    error = page.locator("#id_uscc ~ .invalid-feedback")
    expect(error).to_contain_text("统一社会信用代码无效")
    expect(page.locator("#id_name")).to_have_value(name)  # the rest of the input is kept
    assert not Enterprise.objects.filter(name=name).exists()

    page.locator("#id_uscc").fill(uscc)
    page.get_by_role("button", name="保存").click()

    expect(page).to_have_url(re.compile(rf"/registry/enterprises/{uscc}/$"))
    expect(page.get_by_test_id("enterprise-name")).to_have_text(name)
    expect(page.get_by_role("alert")).to_contain_text(f"已登记 {name}")
    expect(page.locator("dd.masked")).to_contain_text(MASKED_PHONE)
    assert PHONE not in page.content()

    enterprise = Enterprise.objects.get(uscc=uscc)
    assert (enterprise.name, enterprise.unit.code, enterprise.industry) == (name, "500103", "I")
    assert enterprise.contact_phone == PHONE

    # One click shows the number (audited); the edit form shows the mask and keeps the number.
    page.get_by_test_id("reveal-enterprise-contact-phone").click()
    expect(page.locator("dd.masked")).to_have_text(PHONE)
    page.goto(f"/registry/enterprises/{uscc}/edit/")
    expect(page.locator("#id_contact_phone")).to_have_value(MASKED_PHONE)
    page.locator("#id_employee_count").fill("40")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(rf"/registry/enterprises/{uscc}/$"))
    enterprise.refresh_from_db()
    assert (enterprise.employee_count, enterprise.contact_phone) == (40, PHONE)
    assert page.problems == []
