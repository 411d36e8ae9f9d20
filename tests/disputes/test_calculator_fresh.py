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
