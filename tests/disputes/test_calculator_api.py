"""POST /api/v1/calculations/ and the public page /disputes/calculator/ (issue #3)."""

from __future__ import annotations

import re

import pytest
from rest_framework.test import APIClient

from tests.disputes.test_calculator import set_wage_parameters
from yutong.disputes.calculator_views import CalculationThrottle, CalculationView

URL = "/api/v1/calculations/"
PAGE = "/disputes/calculator/"

COMPENSATION = {
    "kind": "economic_compensation",
    "start_date": "2019-03-01",
    "end_date": "2025-08-31",
    "monthly_wage": "8500.00",
    "unit": "500103",
}


@pytest.fixture
def parameters(db):
    set_wage_parameters()


@pytest.fixture
def api():
    return APIClient()  # anonymous: the calculator is public


def post(api, body):
    return api.post(URL, body, format="json")


# --- API: answers ---------------------------------------------------------------------------


def test_compensation_answer_shape(parameters, api):
    response = post(api, COMPENSATION)
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body) == {"amount", "trace"}
    # 民法典 Art.201: 2019-03-02 .. 2025-08-31 is 6 y 5 m 30 d → N = 6.5; 6.5 × 8,500.
    assert body["amount"] == "55250.00"
    assert all(set(step) == {"text", "article"} for step in body["trace"])
    articles = [step["article"] for step in body["trace"]]
    assert "《劳动合同法》第四十七条第一款" in articles
    assert any("2,330.00 元，自 2025-05-01 起施行" in step["text"] for step in body["trace"])


@pytest.mark.parametrize(
    ("body", "amount"),
    [
        ({**COMPENSATION, "kind": "illegal_termination_damages"}, "110500.00"),
        ({**COMPENSATION, "monthly_wage": 8500}, "55250.00"),  # a JSON integer is exact
        (
            {
                "kind": "double_wages",
                "start_date": "2024-01-01",
                "end_date": "2025-06-30",
                "monthly_wage": "6000",
                "contract_signed_on": "2024-04-15",
            },
            "14758.62",
        ),
        (
            {
                "kind": "double_wages",
                "start_date": "2023-03-01",
                "end_date": "2025-02-28",
                "monthly_wage": "6000",
                "contract_signed_on": None,
            },
            "66000.00",
        ),
        (
            {
                "kind": "overtime",
                "monthly_wage": "6960",
                "weekday_hours": "10",
                "rest_day_hours": 8,
                "holiday_hours": "8",
            },
            "2200.00",
        ),
        (
            {
                "kind": "annual_leave",
                "cumulative_service_years": 10,
                "monthly_wage": "8700",
                "days_taken": 2,
                "end_date": "2025-09-30",
            },
            "4000.00",
        ),
        (
            {
                "kind": "annual_leave",
                "cumulative_service_years": "20",
                "monthly_wage": "8700",
                "days_taken": 0,
                "year": 2025,
            },
            "12000.00",
        ),
    ],
)
def test_every_kind(parameters, api, body, amount):
    response = post(api, body)
    assert response.status_code == 200, response.content
    assert response.json()["amount"] == amount


# --- API: refusals --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"kind": "bonus"}, "kind", "未知的计算类型“bonus”"),
        ({"kind": None}, "kind", "请选择计算类型"),
        ({"monthly_wage": 8500.5}, "monthly_wage", "不接受浮点数"),
        ({"monthly_wage": True}, "monthly_wage", "请填写数字"),
        ({"monthly_wage": "八千"}, "monthly_wage", "请填写数字"),
        ({"monthly_wage": "1e4"}, "monthly_wage", "请填写数字"),
        ({"monthly_wage": "-1"}, "monthly_wage", "不能为负数"),
        ({"monthly_wage": "8500.001"}, "monthly_wage", "最多保留 2 位小数"),
        ({"monthly_wage": "100000001"}, "monthly_wage", "不能超过"),
        ({"end_date": "2018-12-31"}, "end_date", "不能早于用工起始日期"),
        ({"end_date": "2025/08/31"}, "end_date", "YYYY-MM-DD"),
        ({"start_date": "1900-01-01"}, "start_date", "1950 年至 2100 年"),
        ({"unit": "999999"}, "unit", "区县代码“999999”不存在"),
        ({"unit": "500000"}, "unit", "不是区县级单位"),  # the city has no tier
        ({"unit": "500112"}, "unit", "请选择承继单位两江新区"),  # 渝北区 ended 2025-11-05
    ],
)
def test_field_errors_in_chinese(parameters, api, change, field, message):
    body = {**COMPENSATION, **change}
    if field == "unit" and change["unit"] == "500112":
        body["end_date"] = "2025-12-31"
    response = post(api, body)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])


def test_missing_fields_are_named(api):
    response = post(api, {"kind": "economic_compensation"})
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"start_date", "end_date", "monthly_wage", "unit"}
    assert errors["unit"] == ["该字段是必填项。"]


def test_missing_kind(api):
    assert post(api, {}).json() == {"kind": ["请选择计算类型。"]}


def test_never_signed_must_be_said_with_null(api):
    body = {
        "kind": "double_wages",
        "start_date": "2024-01-01",
        "end_date": "2025-06-30",
        "monthly_wage": "6000",
    }
    response = post(api, body)
    assert response.status_code == 400
    assert "contract_signed_on" in response.json()


def test_overtime_negative_hours(api):
    body = {
        "kind": "overtime",
        "monthly_wage": "6960",
        "weekday_hours": "-2",
        "rest_day_hours": "0",
        "holiday_hours": "0",
    }
    assert post(api, body).json() == {"weekday_hours": ["不能为负数。"]}


def test_annual_leave_without_period(api):
    body = {
        "kind": "annual_leave",
        "cumulative_service_years": 5,
        "monthly_wage": "8700",
        "days_taken": 0,
    }
    response = post(api, body)
    assert response.status_code == 400
    assert "离职日期" in response.json()["year"][0]


def test_body_must_be_an_object(api):
    response = post(api, [COMPENSATION])
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["请求内容应为 JSON 对象。"]}


def test_only_json_is_accepted(api):
    assert api.post(URL, COMPENSATION).status_code == 415  # multipart form


def test_missing_value_is_said_in_plain_words(parameters, api):
    response = post(api, {**COMPENSATION, "unit": "500101"})  # 万州区: no tier configured
    assert response.status_code == 400
    (message,) = response.json()["non_field_errors"]
    assert "暂时无法计算" in message and "万州区最低工资标准档次" in message
    assert "12333" in message  # what the user can do
    assert not re.search("[a-z]+_[a-z_]+", message)  # never a parameter code


def test_missing_average_wage(parameters, api):
    response = post(api, {**COMPENSATION, "start_date": "2023-01-01", "end_date": "2024-05-31"})
    assert response.status_code == 400
    (message,) = response.json()["non_field_errors"]
    assert "2024-05-31 适用的作为经济补偿封顶基数的上年度职工月平均工资" in message
    assert "avg_wage" not in message


def test_signed_in_users_may_call_it_too(parameters, api_client, district_staff):
    assert api_client(district_staff).post(URL, COMPENSATION, format="json").status_code == 200


# --- API: abuse -----------------------------------------------------------------------------


def test_view_is_public_and_throttled():
    assert CalculationView.permission_classes[0].__name__ == "AllowAny"
    assert CalculationView.throttle_classes == [CalculationThrottle]
    assert CalculationThrottle.rate == "60/min"


def test_throttle_answers_429_after_60_a_minute(parameters, api):
    for _ in range(60):
        assert post(api, COMPENSATION).status_code == 200
    response = post(api, COMPENSATION)
    assert response.status_code == 429
    assert response.json()["detail"].startswith("请求过于频繁，请稍后再试。")
    assert "Retry-After" in response.headers


def test_forged_forwarded_for_does_not_give_a_fresh_allowance(parameters, api):
    # Only the proxy's own hop (the last) identifies the caller; earlier hops are the client's.
    for n in range(60):
        forwarded = f"203.0.113.{n}, 10.0.0.7"
        response = api.post(URL, COMPENSATION, format="json", HTTP_X_FORWARDED_FOR=forwarded)
        assert response.status_code == 200
    response = api.post(
        URL, COMPENSATION, format="json", HTTP_X_FORWARDED_FOR="198.51.100.1, 10.0.0.7"
    )
    assert response.status_code == 429


def test_schema_documents_the_endpoint(api):
    schema = api.get("/api/schema/").content.decode()
    assert "/api/v1/calculations/" in schema
    assert "CalculationRequest" in schema


# --- page -----------------------------------------------------------------------------------


def feedback(response) -> list[str]:
    return re.findall(r'invalid-feedback d-block">([^<]*)<', response.content.decode())


def test_page_renders_for_anyone(client, db):
    response = client.get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "劳动争议请求金额计算器" in html
    assert 'name="viewport"' in html
    for label in ("经济补偿", "违法解除或终止劳动合同赔偿金", "二倍工资差额", "加班费", "年休假"):
        assert label in html
    assert 'name="unit"' in html
    assert "渝中区" in html


def test_page_switches_kind_by_link(client, db):
    html = client.get(PAGE, {"kind": "overtime"}).content.decode()
    assert 'name="weekday_hours"' in html
    assert 'value="0"' in html  # hours start at 0
    assert 'name="unit"' not in html


def test_page_shows_amount_and_trace(client, parameters):
    response = client.post(PAGE, COMPENSATION)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="amount">55,250.00' in html
    assert "《劳动合同法》第四十七条第一款" in html
    assert "折合 6.5 个月工资" in html


def test_page_blank_contract_date_means_never_signed(client, db):
    data = {
        "kind": "double_wages",
        "start_date": "2023-03-01",
        "end_date": "2025-02-28",
        "monthly_wage": "6000",
        "contract_signed_on": "",
    }
    assert 'data-testid="amount">66,000.00' in client.post(PAGE, data).content.decode()


def test_page_shows_chinese_field_errors(client, db):
    data = {**COMPENSATION, "start_date": "2025-01-01", "end_date": "2024-01-01"}
    assert feedback(client.post(PAGE, data)) == ["结束日期不能早于用工起始日期。"]
    data = {**COMPENSATION, "start_date": "", "monthly_wage": "-5"}
    assert feedback(client.post(PAGE, data)) == ["该字段是必填项。", "不能为负数。"]


def test_page_shows_missing_parameter(client, parameters):
    html = client.post(PAGE, {**COMPENSATION, "unit": "500101"}).content.decode()
    assert "暂时无法计算" in html and "12333" in html
    assert "min_wage_tier" not in html
    assert 'data-testid="amount"' not in html


def test_page_reports_a_tampered_kind(client, db):
    html = client.post(PAGE, {**COMPENSATION, "kind": "bonus"}).content.decode()
    assert "未知的计算类型" in html


def test_page_posts_share_the_throttle(client, parameters):
    for _ in range(60):
        client.post(PAGE, COMPENSATION)
    response = client.post(PAGE, COMPENSATION)
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()
