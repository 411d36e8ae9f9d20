"""The calculator on a fresh install: the shipped figures only (migrations, no test parameters)."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

URL = "/api/v1/calculations/"


def request(kind: str, start: str, end: str, wage: str, unit: str) -> dict:
    return {"kind": kind, "start_date": start, "end_date": end, "monthly_wage": wage, "unit": unit}


TYPICAL = [
    # (request, amount): the shipped figures as they stand, checked by hand against the trace.
    (request("economic_compensation", "2019-03-01", "2025-08-31", "8500", "500103"), "55250.00"),
    # 万州 is tier 2 (1,150 from 2014): 1,500 is above it; exactly 1 year: 1 × 1,500.
    (request("economic_compensation", "2014-06-01", "2015-06-01", "1500", "500101"), "1500.00"),
    # Below the 2019 tier-1 minimum (1,800): 2.5 × 1,800.
    (request("economic_compensation", "2018-01-01", "2020-03-31", "1600", "500106"), "4500.00"),
    # Started before 2008: counted from 2008-01-01, 12 years to 2020-01-01.
    (request("economic_compensation", "2003-05-01", "2020-01-01", "6000", "500103"), "72000.00"),
    (
        request("illegal_termination_damages", "2019-03-01", "2025-08-31", "8500", "500103"),
        "110500.00",
    ),
    (
        request("illegal_termination_damages", "2021-07-01", "2022-07-01", "3000", "500101"),
        "6000.00",
    ),
    # Cap: 3 × (90,209 ÷ 12 = 7,517.42) = 22,552.26 from 2021-07-01; 3 years.
    (
        request("illegal_termination_damages", "2019-01-01", "2022-01-01", "40000", "500103"),
        "135313.56",
    ),
    (
        request("illegal_termination_damages", "2010-01-01", "2010-12-31", "2000", "500112"),
        "4000.00",
    ),
]


@pytest.mark.parametrize(("body", "amount"), TYPICAL)
def test_typical_requests_answer_on_a_fresh_database(db, body, amount):
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == amount
    trace = " ".join(step["text"] for step in response.json()["trace"])
    # Every shipped wage figure is unconfirmed, and the trace says so.
    assert "待核实" in trace
    assert "上年度职工月平均工资" in trace and "最低工资标准" in trace


def _trace(body: dict) -> str:
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 200, response.content
    return " ".join(step["text"] for step in response.json()["trace"])


def test_unverified_rows_say_so_plainly_with_their_source(db):
    trace = _trace(request("economic_compensation", "2022-03-01", "2025-08-31", "8500", "500103"))
    # the minimum wage of 2025-05-01: its source, then the plain mark
    assert (
        "重庆市月最低工资标准（一档）：2,330.00 元，自 2025-05-01 起施行，"
        "依据：川渝最低工资标准联动调整报道（2025-05-14）（待核实：未核对官方文件）。"
    ) in trace
    # the district's tier and the cap base: the same mark after their sources
    assert "重庆市最低工资标准区县档次划分（待核实：未核对官方文件）" in trace
    assert "在岗职工年平均工资（待核实：未核对官方文件）；2022 年年平均工资 107008 元。" in trace
    assert trace.count("（待核实：未核对官方文件）") == 3
    # the research notes stay out of the trace
    assert "rules §12" not in trace and "二手资料" not in trace


def test_the_cap_base_keeps_its_year_after_the_mark(db):
    trace = _trace(request("economic_compensation", "2019-03-01", "2022-01-01", "8500", "500103"))
    assert "（待核实：未核对官方文件）；2020 年年平均工资 90209 元。" in trace


def test_a_period_begun_before_the_civil_code_cites_the_general_principles(db):
    before = _trace(request("economic_compensation", "2019-03-01", "2025-08-31", "8500", "500103"))
    assert "在《民法典》施行（2021-01-01）之前" in before
    assert "（《民法通则》第一百五十四条）" in before
    after = _trace(request("economic_compensation", "2021-03-01", "2025-08-31", "8500", "500103"))
    assert "民法通则" not in after
    # the shipped convention row (from 2021-01-01) is cited instead
    assert "《民法典》第二百零一条：按照年、月、日计算期间的，开始的当日不计入" in after


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"monthly_wage": "-1"}, "monthly_wage", "不能为负数。"),
        ({"end_date": "2019-02-28"}, "end_date", "结束日期不能早于用工起始日期。"),
        ({"start_date": "1949-12-31"}, "start_date", "日期应在 1950 年至 2100 年之间。"),
    ],
)
def test_bad_values_are_field_errors_in_the_api_and_chinese_on_the_page(
    db, client, change, field, message
):
    body = {**request("economic_compensation", "2019-03-01", "2025-08-31", "8500", "500103")}
    body.update(change)
    response = APIClient().post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json() == {field: [message]}
    page = client.post("/disputes/calculator/", body)
    assert message in page.content.decode()


def test_the_calculator_itself_refuses_a_start_before_1950(db):
    from datetime import date
    from decimal import Decimal

    from yutong.core.models import OrgUnit
    from yutong.disputes import calculator

    unit = OrgUnit.objects.get(code="500103")
    with pytest.raises(calculator.InputError) as exc:
        calculator.economic_compensation(date(1949, 1, 1), date(2020, 1, 1), Decimal(5000), unit)
    assert exc.value.errors == {
        "start_date": ["用工起始日期不能早于 1950-01-01，请检查是否填写有误。"]
    }
