"""The staff shell in a browser, per role, at the most common office screen (1366×768): every
sidebar entry opens without an HTTP error or a script error, nothing makes the page scroll
sideways, the top bar stays one line, and the sidebar collapses to icons and stays so."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

OFFICE = {"width": 1366, "height": 768}
ROLES = [
    "city_admin",
    "district_staff",
    "mediator",
    "arbitrator",
    "inspector",
    "union_officer",
    "auditor",
    "enterprise_user",
]


def _account(role: str):
    from tests.factories import EnterpriseFactory, OrganisationFactory
    from yutong.core.models import Organisation, OrgUnit, Role, User

    unit = OrgUnit.objects.get(code="500000" if role in ("city_admin", "auditor") else "500103")
    organisation = None
    if role == "enterprise_user":
        firm = EnterpriseFactory(name="渝中壳层测试有限公司", unit=unit)
        organisation = OrganisationFactory(
            name=firm.name, kind=Organisation.Kind.ENTERPRISE, unit=unit, uscc=firm.uscc
        )
    user = User.objects.create_user(
        username=f"e2e_{role}",
        password=PASSWORD,
        display_name=f"壳层{role}",
        unit=unit,
        organisation=organisation,
    )
    user.roles.add(Role.objects.get(code=role))
    return user


def _overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("role", ROLES)
def test_every_sidebar_entry_opens_cleanly(page, log_in, role):
    user = _account(role)
    page.set_viewport_size(OFFICE)
    log_in(page, user)
    sidebar = page.get_by_test_id("sidebar")
    links = sidebar.get_by_role("link")
    entries = [
        (links.nth(i).inner_text().strip(), links.nth(i).get_attribute("href"))
        for i in range(links.count())
    ]
    assert entries and entries[0][0] == "工作台"
    topbar = page.locator(".app-topbar")
    for label, href in entries:
        response = page.goto(href)
        assert response.status < 400, f"{role}: {label} ({href}) answered {response.status}"
        assert _overflow(page) <= 0, f"{role}: {label} ({href}) scrolls sideways"
        assert topbar.bounding_box()["height"] < 60, f"{role}: the top bar wraps on {href}"
        expect(sidebar.locator("a.active")).to_have_count(1)
    assert page.problems == [], page.problems


def test_sidebar_collapses_and_remembers(page, log_in):
    user = _account("district_staff")
    page.set_viewport_size(OFFICE)
    log_in(page, user)
    sidebar = page.locator("#sidebar")
    wide = sidebar.bounding_box()["width"]
    page.get_by_role("button", name="收起或展开导航").click()
    expect(page.locator("html")).to_have_class("sidebar-collapsed")
    page.wait_for_timeout(300)  # the width transition
    assert sidebar.bounding_box()["width"] < wide / 2
    page.goto("/core/messages/")
    expect(page.locator("html")).to_have_class("sidebar-collapsed")
    assert sidebar.bounding_box()["width"] < wide / 2
    page.get_by_role("button", name="收起或展开导航").click()
    page.wait_for_timeout(300)
    assert sidebar.bounding_box()["width"] == pytest.approx(wide, abs=1)
    assert page.problems == [], page.problems


def test_search_and_messages_from_the_top_bar(page, log_in):
    from tests.factories import EnterpriseFactory
    from yutong.core import inbox
    from yutong.core.models import OrgUnit

    user = _account("district_staff")
    firm = EnterpriseFactory(name="渝中壳层搜索有限公司", unit=OrgUnit.objects.get(code="500103"))
    inbox.send(
        [user], inbox.Kind.URGE, "请尽快办理某案件", url=f"/registry/enterprises/{firm.uscc}/"
    )
    page.set_viewport_size(OFFICE)
    log_in(page, user)
    expect(page.get_by_test_id("unread-count")).to_have_text("1")
    search = page.get_by_role("searchbox", name="全局搜索")
    search.fill("壳层搜索")
    search.press("Enter")
    page.get_by_role("link", name=firm.name).click()
    expect(page.get_by_role("heading", name=firm.name)).to_be_visible()
    page.get_by_test_id("bell").click()
    page.get_by_role("button", name="请尽快办理某案件").click()
    expect(page).to_have_url(f"/registry/enterprises/{firm.uscc}/", ignore_case=False)
    expect(page.get_by_test_id("unread-count")).to_have_count(0)
    assert page.problems == [], page.problems


def test_sidebar_is_a_drawer_on_a_phone(phone_page, log_in):
    user = _account("district_staff")
    log_in(phone_page, user)
    assert _overflow(phone_page) <= 0
    expect(phone_page.get_by_test_id("sidebar")).not_to_be_visible()
    phone_page.get_by_role("button", name="打开导航").click()
    phone_page.get_by_test_id("sidebar").get_by_role("link", name="企业名录").click()
    expect(phone_page.get_by_role("heading", name="企业名录")).to_be_visible()
    assert phone_page.problems == [], phone_page.problems


def test_the_administrators_shell_at_full_hd(page, log_in):
    """At 1920×1080 the administrator's top bar stays one line and nothing scrolls sideways."""
    user = _account("city_admin")
    page.set_viewport_size({"width": 1920, "height": 1080})
    log_in(page, user)
    for href in ("/", "/registry/enterprises/", "/disputes/arbitration/", "/core/users/"):
        response = page.goto(href)
        assert response.status < 400, href
        assert _overflow(page) <= 0, href
        assert page.locator(".app-topbar").bounding_box()["height"] < 60, href
    assert page.problems == [], page.problems


@pytest.mark.parametrize(
    "path",
    [
        "/login/",
        "/inspection/complain/",
        "/disputes/apply/",
        "/inspection/blacklist/public/",
        "/harmony/graded/",
        "/disputes/calculator/",
    ],
)
def test_the_public_pages_work_on_a_phone(phone_page, path):
    response = phone_page.goto(path)
    assert response.status == 200, path
    assert _overflow(phone_page) <= 0, f"{path} scrolls sideways on a phone"
    assert phone_page.problems == [], phone_page.problems
