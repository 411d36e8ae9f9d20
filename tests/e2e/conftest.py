"""Browser (end-to-end) test fixtures: Playwright's sync API driving Debian's Chromium.

* We never download Playwright's own browsers; Chromium comes from the system package at
  ``/usr/bin/chromium``. Without it the e2e tests are skipped with a loud reason — except
  under CI (``CI`` set), where a missing browser is an error, never a silent skip.
* The app runs in pytest-django's ``live_server`` (a thread of this process), so test data
  must be committed: tests use ``transactional_db``. Each transactional test flushes the
  tables afterwards, which would also wipe the org units and roles that migrations load;
  ``serialized_rollback=True`` (set on the test modules) restores them for every test.
* While Playwright's sync API is running, its asyncio loop counts as *running* in this
  thread (it is suspended in another greenlet). Two consequences, both handled here:
  Django refuses ORM calls from a thread with a running loop, so that guard is switched
  off before Django is used; and Django keeps the connections of "async" code apart from
  the thread's own, so the ORM would silently open second connections that lack
  pytest-django's serialized-rollback data (the second test then finds no org units) —
  ``_Chromium.start`` makes both lookups return the same connection objects.
* One Chromium serves the whole session. It is started by the first test that needs it and
  stopped as soon as the next test does not, so that no later test runs with the loop
  marked as running (``asyncio.run`` and ``async_to_sync`` refuse to work then).
"""

import contextlib
import os

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.servers.basehttp import WSGIServer  # noqa: E402
from django.test.testcases import LiveServerThread  # noqa: E402


class _OneRequestAtATimeServer(WSGIServer):
    """On SQLite the test database lives in memory and the live server's threads all share its
    one connection, so two requests at once (a page loading its indicator cards in parallel)
    interleave their transactions on it and one fails ("cannot start a transaction within a
    transaction"). Served one at a time, each with ``Connection: close`` (Django's development
    server allows keep-alive only when threaded). PostgreSQL keeps the threaded server: each
    thread has a connection of its own there."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)


if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    LiveServerThread.server_class = _OneRequestAtATimeServer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CHROMIUM_MISSING = (
    f"!!! E2E BROWSER TESTS SKIPPED: {CHROMIUM} NOT FOUND — install Debian's chromium package "
    "(apt-get install chromium). Do not run `playwright install`. !!!"
)
DEFAULT_TIMEOUT_MS = 15_000
VIEWPORT = {"width": 1366, "height": 900}  # wide enough for the expanded (lg) navbar

PASSWORD = "Chongqing-e2e-2025!"


def chromium_missing() -> bool:
    return not CHROMIUM.exists()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if chromium_missing() and terminalreporter.stats.get("skipped"):
        terminalreporter.write_sep("!", CHROMIUM_MISSING, red=True, bold=True)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)  # lets the page fixture see a failed call
    return report


class _Chromium:
    """The session's one Playwright driver and Chromium, started and stopped on demand."""

    def __init__(self) -> None:
        self._playwright = None
        self._browser = None

    @property
    def running(self) -> bool:
        return self._playwright is not None

    def browser(self):
        if self._browser is None:
            self.start()
        return self._browser

    def start(self) -> None:
        from django.db import connections
        from playwright.sync_api import sync_playwright

        wrappers = {alias: connections[alias] for alias in connections}
        self._playwright = sync_playwright().start()
        for alias, wrapper in wrappers.items():  # see the module docstring
            connections[alias] = wrapper
        try:
            self._browser = self._playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        playwright, browser = self._playwright, self._browser
        self._playwright = self._browser = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()


_CHROMIUM = _Chromium()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    try:
        return (yield)
    finally:
        if _CHROMIUM.running and (nextitem is None or "browser" not in nextitem.fixturenames):
            _CHROMIUM.stop()


@pytest.fixture(scope="session")
def chromium():
    """The session's Chromium launcher; skips (or fails on CI) when Chromium is missing."""
    if chromium_missing():
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing on CI: the e2e tests must run there.")
        pytest.skip(CHROMIUM_MISSING)
    try:
        yield _CHROMIUM
    finally:
        _CHROMIUM.stop()


@pytest.fixture
def browser(chromium):
    """The session's shared Chromium (launched once, reused by consecutive e2e tests)."""
    return chromium.browser()


def _open_page(request, browser, base_url: str, screenshot_dir: Path, **context_options):
    """A fresh browser context (no cookies) and page; see the ``page`` fixture."""
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", **context_options
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda exc: page.problems.append(f"page error: {exc}"))
    page.on(
        "console",
        lambda msg: (
            msg.type == "error"
            # HTTP errors are judged by the response handler below (a 404 page may be intended).
            and not msg.text.startswith("Failed to load resource")
            and page.problems.append(f"console error: {msg.text}")
        ),
    )
    page.on(
        "response",
        lambda resp: (
            "/static/" in resp.url
            and resp.status >= 400
            and page.problems.append(f"static file {resp.url}: HTTP {resp.status}")
        ),
    )
    try:
        yield page
    finally:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            try:
                page.screenshot(path=str(screenshot_dir / "failure.png"), full_page=True)
                print(f"failure screenshot: {screenshot_dir / 'failure.png'} (url {page.url})")
            except Exception as exc:  # the screenshot must not hide the real failure
                print(f"could not save a failure screenshot: {exc}")
        _settle(page)
        context.close()


def _settle(page) -> None:
    """Let the requests a page still has in flight end (the bench loads its cards after the
    page) before the test's records are flushed: the live server shares the test database's
    connection, and a write landing during the flush broke its foreign keys."""
    # a page that never settles must not hide the test's own outcome
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=5_000)


@pytest.fixture
def page(request, browser, live_server, tmp_path):
    """A fresh browser context (no cookies) pointed at the live server.

    Collects page errors and failed requests in ``page.problems`` and saves a screenshot to
    ``tmp_path`` when the test fails.
    """
    yield from _open_page(request, browser, live_server.url, tmp_path, viewport=VIEWPORT)


PHONE_VIEWPORT = {"width": 390, "height": 844}  # a common phone (CSS pixels)


@pytest.fixture
def phone_page(request, browser, live_server, tmp_path):
    """Like ``page``, but a phone: 390×844, touch, mobile meta-viewport handling."""
    yield from _open_page(
        request,
        browser,
        live_server.url,
        tmp_path,
        viewport=PHONE_VIEWPORT,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


@pytest.fixture
def district_staff(transactional_db):
    """人社业务人员 of 渝中区 (500103)."""
    from yutong.core.models import OrgUnit, Role, User

    user = User.objects.create_user(
        username="yz_staff",
        password=PASSWORD,
        display_name="李渝中",
        unit=OrgUnit.objects.get(code="500103"),
    )
    user.roles.add(Role.objects.get(code="district_staff"))
    return user


@pytest.fixture
def log_in(live_server) -> Callable:
    """Log in through the login page and wait for the workbench (工作台)."""
    from playwright.sync_api import expect

    def _log_in(page, user, password: str = PASSWORD) -> None:
        from tests.twofactor import recovery_code
        from yutong.core import twofactor

        # Roles that must use two-factor sign-in get the code step (enrolled beforehand); a
        # fresh recovery code works for every sign-in (a TOTP code only once per 30 seconds).
        code = recovery_code(user) if twofactor.asks_code(user) else None
        page.goto("/login/")
        page.locator("#id_username").fill(user.username)
        page.locator("#id_password").fill(password)
        page.get_by_role("button", name="登录").click()
        if code is not None:
            page.locator("#id_code").fill(code)
            page.get_by_role("button", name="验证并登录").click()
        # the home page: 工作台 for staff, the company's name for an enterprise account
        home = page.get_by_role("heading", name="工作台").or_(page.get_by_test_id("home-company"))
        expect(home).to_be_visible()
        expect(page.get_by_test_id("whoami")).to_contain_text(str(user.unit))

    return _log_in


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_uscc(district_code: str, serial: int) -> str:
    """A valid 18-character USCC: 9 (工商) 1 (企业) + district code + 9-char serial + check."""
    from stdnum.cn import uscc

    digits = []
    for _ in range(9):
        serial, rest = divmod(serial, len(USCC_ALPHABET))
        digits.append(USCC_ALPHABET[rest])
    first17 = "91" + district_code + "".join(reversed(digits))
    return first17 + uscc.calc_check_digit(first17)


@pytest.fixture
def uscc_factory() -> Callable[[str, int], str]:
    return make_uscc
