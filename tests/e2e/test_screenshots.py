"""The README's screenshots of the staff shell at 1366×768: the work bench and a list.

`make screenshots` runs this with ``YUTONG_SCREENSHOTS=docs/screenshots`` and so rewrites the
committed images; in the suite they go to a temporary folder, and the test still checks that
each page drew without horizontal scrolling."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import PASSWORD

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

OFFICE = {"width": 1366, "height": 768}


def _staff_with_work():
    from tests.factories import EnterpriseFactory
    from yutong.core import inbox
    from yutong.core.models import OrgUnit, Role, User

    unit = OrgUnit.objects.get(code="500103")
    user = User.objects.create_user(
        username="shot_staff", password=PASSWORD, display_name="李渝中", unit=unit
    )
    user.roles.add(Role.objects.get(code="district_staff"))
    for n, name in enumerate(
        ("山城精密制造", "解放碑商贸", "朝天门物流", "较场口建设", "大坪科技")
    ):
        EnterpriseFactory(name=f"重庆{name}有限公司", unit=unit, employee_count=30 + 40 * n)
    inbox.send([user], inbox.Kind.URGE, "请于本周内完成解放碑商贸欠薪投诉的调查", url="/")
    inbox.send([user], inbox.Kind.DECISION, "集体合同审查意见已送达企业", url="/")
    return user


def test_bench_and_list_screenshots(page, log_in, tmp_path):
    folder = Path(os.environ.get("YUTONG_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(OFFICE)
    log_in(page, _staff_with_work())
    expect(page.get_by_test_id("bench-queues")).to_be_visible()
    page.screenshot(path=str(folder / "bench.png"))
    page.get_by_test_id("sidebar").get_by_role("link", name="企业名录").click()
    expect(page.get_by_role("heading", name="企业名录")).to_be_visible()
    page.screenshot(path=str(folder / "enterprise-list.png"))
    for name in ("bench.png", "enterprise-list.png"):
        assert (folder / name).stat().st_size > 10_000
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.problems == [], page.problems
