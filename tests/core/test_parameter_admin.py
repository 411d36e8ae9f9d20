"""Dated parameters: the law's confirmed time limits are seeded; the city administrator adds and
corrects values through a service that audits, and a page that staff can read."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.factories import clear_shipped_wage_parameters
from yutong.core import services
from yutong.core.models import AuditEntry, DatedParameter
from yutong.core.parameters import parameter_value


def test_confirmed_time_limits_are_seeded(db):
    award = parameter_value("arbitration_award_days", date(2026, 11, 24))
    assert award.value == Decimal("45")
    assert award.source == "《劳动争议调解仲裁法》第四十三条"
    assert parameter_value("inspection_working_days", date(2026, 1, 1)).value == 60


def test_set_and_correct_a_value_is_audited(city_admin, yuzhong):
    clear_shipped_wage_parameters()  # the tiers the migrations ship
    services.set_parameter(
        city_admin,
        code="min_wage_tier",
        valid_from=date(2025, 1, 1),
        value=Decimal("1"),
        source="渝府发〔2025〕X号",
        unit=yuzhong,
    )
    services.set_parameter(
        city_admin,
        code="min_wage_tier",
        valid_from=date(2025, 1, 1),
        value=Decimal("2"),
        source="渝府发〔2025〕X号（更正）",
        unit=yuzhong,
    )
    row = DatedParameter.objects.get(code="min_wage_tier")
    assert (row.value, row.source) == (Decimal("2"), "渝府发〔2025〕X号（更正）")
    entries = AuditEntry.objects.filter(action="set_parameter").order_by("id")
    assert [e.changes["value"] for e in entries] == [[None, "1.0000"], ["1.0000", "2.0000"]]
    assert entries.last().unit == yuzhong


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": " "}, "source"),
        ({"value": Decimal("-1")}, "value"),
        ({"code": "Bad Code"}, "code"),
    ],
)
def test_bad_values_are_refused(city_admin, overrides, field):
    clear_shipped_wage_parameters()
    data = {
        "code": "avg_wage_monthly_prev_year",
        "valid_from": date(2025, 1, 1),
        "value": Decimal("9000"),
        "source": "市统计局公报",
    } | overrides
    with pytest.raises(ValidationError) as caught:
        services.set_parameter(city_admin, **data)
    assert field in caught.value.message_dict
    assert not DatedParameter.objects.filter(code=data["code"]).exists()


def test_only_the_city_admin_sets_values(district_staff):
    with pytest.raises(PermissionDenied):
        services.set_parameter(
            district_staff,
            code="min_wage_tier",
            valid_from=date(2025, 1, 1),
            value=Decimal("1"),
            source="x",
        )


def test_parameter_page(login_client, city_admin, district_staff, yuzhong):
    admin = login_client(city_admin)
    response = admin.post(
        "/core/parameters/",
        {
            "code": "avg_wage_monthly_prev_year",
            "unit": "",
            "valid_from": "2026-07-01",
            "value": "9150.50",
            "source": "重庆市统计局 2025 年平均工资公报",
            "note": "",
        },
    )
    assert response.status_code == 302
    page = admin.get("/core/parameters/").content.decode()
    assert "上年度职工月平均工资" in page and "9150.5" in page and "仲裁审理期限" in page

    bad = admin.post(
        "/core/parameters/",
        {
            "code": "avg_wage_monthly_prev_year",
            "valid_from": "2026-07-01",
            "value": "-3",
            "source": "x",
        },
    )
    assert "数值不能为空或负数。" in bad.content.decode()

    staff = login_client(district_staff)
    readable = staff.get("/core/parameters/")
    assert readable.status_code == 200 and "新增或更正参数值" not in readable.content.decode()
    assert staff.post("/core/parameters/", {"code": "x"}).status_code == 403
