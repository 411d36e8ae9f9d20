"""Two-factor sign-in in a browser: an administrator's first sign-in binds an authenticator from
the QR code page, sees the recovery codes once, and signs in with a code the next time."""

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

PASSWORD = "Chongqing-e2e-2025!"


@pytest.fixture
def admin(transactional_db):
    from yutong.core.models import OrgUnit, Role, User

    user = User.objects.create_user(
        username="e2e_admin",
        password=PASSWORD,
        display_name="市级管理员",
        unit=OrgUnit.objects.get(code="500000"),
    )
    user.roles.add(Role.objects.get(code="city_admin"))
    return user


def password_step(page, username):
    page.goto("/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_administrator_enrols_then_signs_in_with_a_code(page, browser, live_server, admin):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.twofactor import current_code

    password_step(page, "e2e_admin")
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    expect(page.get_by_test_id("otp-qr")).to_be_visible()
    device = TOTPDevice.objects.get(user=admin)
    page.locator("#id_code").fill(current_code(device))
    page.get_by_role("button", name="确认绑定").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    recovery = page.get_by_test_id("recovery-codes").locator("li").first.inner_text()
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page.get_by_role("heading", name="工作台")).to_be_visible()
    assert not page.problems

    # A new browser: the password alone leads to the code step; a recovery code opens it.
    other = browser.new_context(base_url=live_server.url, locale="zh-CN")
    second = other.new_page()
    try:
        password_step(second, "e2e_admin")
        expect(second.get_by_role("heading", name="两步验证")).to_be_visible()
        second.goto("/")
        expect(second).to_have_url(f"{live_server.url}/login/?next=/")
        password_step(second, "e2e_admin")
        second.locator("#id_code").fill(recovery)
        second.get_by_role("button", name="验证并登录").click()
        expect(second.get_by_role("heading", name="工作台")).to_be_visible()
    finally:
        other.close()


def test_the_login_helper_answers_the_code_step(page, log_in, admin):
    log_in(page, admin)
    expect(page.get_by_test_id("whoami")).to_contain_text("市级管理员")
