"""名次 in the league tables (page and API): competition ranking on what the table is sorted
by, ties sharing a place, units without a value unranked and last; the indicator pages' way of
writing numbers; the drill-down's sortable headers."""

from __future__ import annotations

import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from yutong.disputes.models import ArbitrationCase, Dispute
from yutong.indicators import engine, views

pytestmark = pytest.mark.django_db

LEAGUE = "/indicators/league/"
DRILL = "/indicators/drill/"
EXPORT = "/indicators/drill/export/"
VALUES = "/api/v1/indicator-values/"
ONE = {"year": 2025, "indicator": "arbitration_closure"}


def ranks_of(page: str, testid: str = "league") -> list[tuple[str, str]]:
    """(unit code, 名次 as shown) of a league table's rows, in order."""
    start = page.index(f'data-testid="{testid}"')
    table = page[start : page.index("</table>", start)]
    return re.findall(r'<tr data-unit="(\w+)".*?data-testid="rank">([^<]*)</td>', table, re.S)


def test_competition_ranks():
    assert engine.ranks([90, 100, 100, None, 50]) == [3, 1, 1, None, 4]
    assert engine.ranks([90, 100, 100, None, 50], descending=False) == [2, 3, 3, None, 1]
    assert engine.ranks([None, None]) == [None, None]
    assert engine.ranks([]) == []


# year_2025 (tests/indicators/conftest.py): 沙坪坝 3/3 and 江北 1/1 = 100 %, 渝中 10/11 =
# 90.91 %, 两江新区 0/1 = 0 %; the other districts have no case (no denominator, no value).
TOP, THIRD, LAST = ("500105", "500106"), "500103", "500157"


def test_league_ranks_by_value_with_ties_and_missing_values(
    login_client, district_staff, year_2025
):
    client = login_client(district_staff)
    page = client.get(LEAGUE, ONE | {"sort": "value"}).content.decode()
    assert "<th" in page and ">名次</th>" in page
    rows = ranks_of(page)
    assert rows[0] == ("500000", "")  # the city on top, not ranked
    assert sorted(rows[1:3]) == [(TOP[0], "1"), (TOP[1], "1")]  # a tie shares the place
    assert rows[3] == (THIRD, "3")  # and the next place is skipped
    assert rows[4] == (LAST, "4")
    assert len(rows) > 6 and all(rank == "—" for _, rank in rows[5:])  # no value: last, no rank

    rows = ranks_of(client.get(LEAGUE, ONE | {"sort": "-value"}).content.decode())
    assert rows[1:5] == [(LAST, "1"), (THIRD, "2"), (TOP[0], "3"), (TOP[1], "3")]
    assert all(rank == "—" for _, rank in rows[5:])


def test_league_ranks_by_gap_and_in_unit_order(login_client, district_staff, year_2025):
    client = login_client(district_staff)
    # gaps against the 96 % target: +4.00, +4.00, -5.09, -96.00
    rows = ranks_of(client.get(LEAGUE, ONE | {"sort": "-gap"}).content.decode())
    assert rows[1:5] == [(LAST, "1"), (THIRD, "2"), (TOP[0], "3"), (TOP[1], "3")]
    # by unit code: the rows keep that order, the places are by value
    rows = ranks_of(client.get(LEAGUE, ONE | {"sort": "unit"}).content.decode())
    assert [code for code, _ in rows[1:]] == sorted(code for code, _ in rows[1:])
    places = dict(rows)
    assert (places["500103"], places["500105"], places["500106"], places["500157"]) == (
        "3",
        "1",
        "1",
        "4",
    )
    assert places["500000"] == "" and places["500101"] == "—"


def test_league_of_all_indicators_and_townships_rank_too(login_client, district_staff, year_2025):
    client = login_client(district_staff)
    rows = ranks_of(client.get(LEAGUE, {"year": 2025, "sort": "value"}).content.decode())
    ranked = [rank for _, rank in rows[1:] if rank != "—"]
    assert ranked[0] == "1" and ranked == sorted(ranked, key=int)
    # the township breakdown: the district on top, its townships ranked
    page = client.get(
        LEAGUE, {"year": 2025, "indicator": "mediation_success", "district": "500103"}
    ).content.decode()
    assert ranks_of(page, "townships") == [("500103", ""), (year_2025.township.code, "1")]


def test_api_gives_the_league_rank(api_client, district_staff, year_2025):
    client = api_client(district_staff)
    rows = {row["unit"]: row for row in client.get(VALUES, ONE).json()}
    assert {code: rows[code]["rank"] for code in (*TOP, THIRD, LAST)} == {
        "500105": 1,
        "500106": 1,
        "500103": 3,
        "500157": 4,
    }
    assert rows["500000"]["rank"] is None  # the city is not ranked
    assert rows["500101"]["rank"] is None and rows["500101"]["value"] is None
    assert "numerator" in rows["500103"] and "gap" in rows["500103"]  # nothing removed
    (one,) = client.get(VALUES, ONE | {"unit": "500106"}).json()
    assert one["rank"] is None  # one unit asked for: no league


def test_counts_are_written_with_thousands_separators(login_client, district_staff, yuzhong):
    commission = ArbitrationCase._meta.get_field("commission").related_model.objects.create(
        code="A500103", name="渝中区仲裁委", unit=yuzhong, short_name="渝中"
    )
    disputes = Dispute.objects.bulk_create(
        Dispute(unit=yuzhong, channel="staff", employer_name="重庆测试有限公司", facts="欠薪。")
        for _ in range(1234)
    )
    ArbitrationCase.objects.bulk_create(
        ArbitrationCase(
            dispute=dispute,
            commission=commission,
            unit=yuzhong,
            received_on=date(2025, 2, 1),
            accepted_on=date(2025, 2, 1),
            status="closed",
            closed_on=date(2025, 3, 1),
            ended_on=date(2025, 3, 1),
            closure="award",
        )
        for dispute in disputes
    )
    client = login_client(district_staff)
    league = client.get(LEAGUE, ONE).content.decode()
    row = league[league.index('data-unit="500103"') :]
    assert "1,234 / 1,234" in row[: row.index("</tr>")]
    drill = client.get(DRILL, ONE | {"unit": "500103"}).content.decode()
    assert "1,234 / 1,234" in drill and "共 1,234 条" in drill
    assert views.cell_text(1234567, num=True) == "1,234,567"
    assert views.cell_text(True) == "是" and views.cell_text(None) == ""
    assert views.cell_text(date(2025, 3, 1)) == "2025-03-01"


def test_drill_down_sorts_by_its_headers(login_client, district_staff, cases, yuzhong):
    first = cases.arbitration(yuzhong, "2025-02-01", "2025-05-01")
    second = cases.arbitration(yuzhong, "2025-03-01", "2025-04-01")
    open_case = cases.arbitration(yuzhong, "2025-01-15")  # no closure day
    client = login_client(district_staff)
    params = ONE | {"unit": "500103", "list": "denominator"}
    page = client.get(DRILL, params).content.decode()
    # headers link to sorted pages, keeping the selection
    assert 'data-sort="closed_on"' in page and 'data-sort="received_on"' in page
    assert "2025-02-01" in page  # dates written Y-m-d

    def order(extra):
        html = client.get(DRILL, params | extra).content.decode()
        return [int(pk) for pk in re.findall(r'href="/disputes/arbitration/(\d+)/"', html)][::2]

    assert order({})[:3] == sorted([first.pk, second.pk, open_case.pk])
    # the newest closure first; the open case (no day) last both ways
    assert order({"sort": "-closed_on"}) == [first.pk, second.pk, open_case.pk]
    assert order({"sort": "closed_on"}) == [second.pk, first.pk, open_case.pk]
    assert order({"sort": "received_on"}) == [open_case.pk, first.pk, second.pk]
    page = client.get(DRILL, params | {"sort": "-closed_on"}).content.decode()
    assert 'aria-sort="descending"' in page
    # the export holds the rows in the page's order
    export = re.search(r'href="(/indicators/drill/export/\?[^"]+)"', page).group(1)
    assert "sort=-closed_on" in export.replace("&amp;", "&")
    response = client.get(export.replace("&amp;", "&"))
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    closed = [row[5] and row[5].date() for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert closed == [date(2025, 5, 1), date(2025, 4, 1), None]


def test_drill_down_of_enterprises_sorts_by_name_not_by_head_count(
    login_client, district_staff, yuzhong
):
    from tests.factories import EnterpriseFactory

    firms = [
        EnterpriseFactory(unit=yuzhong, name=name, employee_count=n)
        for name, n in (("乙企业有限公司", 300), ("甲企业有限公司", 1200), ("丙企业有限公司", 60))
    ]
    client = login_client(district_staff)
    params = {
        "year": 2025,
        "indicator": "harmony_coverage",
        "unit": "500103",
        "list": "denominator",
    }

    def listed(extra):
        page = client.get(DRILL, params | extra).content.decode()
        found = re.findall(r'href="/registry/enterprises/(\w+)/"', page)[::2]
        return [uscc for uscc in found if uscc in {f.uscc for f in firms}], page

    by_name, page = listed({"sort": "-name"})
    assert by_name == [f.uscc for f in sorted(firms, key=lambda f: f.name, reverse=True)]
    assert '<td class="num">1,200</td>' in page  # the head count of the day, written as a count
    # the head count of the day is a subquery per row: its header is not a sort link
    assert 'data-sort="name"' in page and 'data-sort="employees_on"' not in page
    assert '<th class="num">职工人数</th>' in page
    assert listed({"sort": "-employees_on"})[0] == [
        f.uscc for f in sorted(firms, key=lambda f: f.pk)
    ]
