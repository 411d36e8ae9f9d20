"""Dated parameters: the value in force on a day, for the most specific unit, with its trace.

The tree here (990000 → 990100 → 990100001) is made up so that it cannot collide with the
divisions that migrations load; codes are prefixed "test." for the same reason, except where the
Chinese label of a real code is under test.
"""

from datetime import date
from decimal import Decimal

import pytest

from yutong.core.models import DatedParameter, OrgUnit
from yutong.core.parameters import ParameterMissing, ParameterValue, parameter_value

D = date.fromisoformat
CODE = "test.min_wage"


@pytest.fixture
def tree(db):
    city = OrgUnit.objects.create(
        code="990000", name="测试市", level="city", kind="municipality", path="990000/"
    )
    district = OrgUnit.objects.create(
        code="990100",
        name="测试区",
        level="district",
        kind="district",
        parent=city,
        path="990000/990100/",
    )
    street = OrgUnit.objects.create(
        code="990100001",
        name="测试街道",
        level="township",
        kind="street",
        parent=district,
        path="990000/990100/990100001/",
    )
    other = OrgUnit.objects.create(
        code="990200",
        name="另一区",
        level="district",
        kind="district",
        parent=city,
        path="990000/990200/",
    )
    return city, district, street, other


def _param(code, valid_from, value, unit=None, source="测试依据", note=""):
    return DatedParameter.objects.create(
        code=code,
        unit=unit,
        valid_from=D(valid_from),
        value=Decimal(value),
        source=source,
        note=note,
    )


@pytest.mark.django_db
def test_latest_row_on_or_before_the_day_applies(tree):
    _param(CODE, "2022-04-01", "2100", source="旧标准")
    _param(CODE, "2025-05-01", "2330", source="新标准")
    assert parameter_value(CODE, D("2025-04-30")).value == Decimal("2100")
    on_the_day = parameter_value(CODE, D("2025-05-01"))
    assert on_the_day.value == Decimal("2330")
    assert on_the_day.valid_from == D("2025-05-01")
    assert on_the_day.source == "新标准"
    assert on_the_day.unit_code is None
    assert parameter_value(CODE, D("2030-01-01")).value == Decimal("2330")


@pytest.mark.django_db
def test_nothing_in_force_yet_raises_a_chinese_message(tree):
    _param(CODE, "2022-04-01", "2100")
    with pytest.raises(ParameterMissing) as caught:
        parameter_value(CODE, D("2022-03-31"))
    message = str(caught.value)
    assert CODE in message
    assert "2022-03-31" in message
    assert isinstance(caught.value, LookupError)


@pytest.mark.django_db
def test_missing_for_a_unit_names_the_unit(tree):
    _, _, street, _ = tree
    with pytest.raises(ParameterMissing, match="测试街道"):
        parameter_value("test.unknown", D("2025-01-01"), street)


@pytest.mark.django_db
def test_unit_row_then_parent_row_then_city_wide_row(tree):
    city, district, street, other = tree
    _param(CODE, "2022-04-01", "2100")
    _param(CODE, "2022-04-01", "2000", unit=district, source="区档次")
    _param(CODE, "2024-01-01", "1900", unit=street, source="街道")

    own = parameter_value(CODE, D("2024-06-01"), street)
    assert (own.value, own.unit_code, own.source) == (Decimal("1900"), "990100001", "街道")

    # Before the street's own row, the district's row applies to it.
    inherited = parameter_value(CODE, D("2023-06-01"), street)
    assert (inherited.value, inherited.unit_code) == (Decimal("2000"), "990100")
    assert inherited.unit_name == "测试区"

    # A sibling district without a row of its own falls back to the city-wide row.
    citywide = parameter_value(CODE, D("2023-06-01"), other)
    assert (citywide.value, citywide.unit_code) == (Decimal("2100"), None)


@pytest.mark.django_db
def test_a_units_own_old_row_wins_over_a_newer_city_wide_row(tree):
    _, district, _, other = tree
    _param(CODE, "2022-04-01", "2000", unit=district)
    _param(CODE, "2025-05-01", "2330")
    assert parameter_value(CODE, D("2025-06-01"), district).value == Decimal("2000")
    assert parameter_value(CODE, D("2025-06-01"), other).value == Decimal("2330")


@pytest.mark.django_db
def test_a_row_on_the_city_unit_itself_is_found_by_the_walk(tree):
    city, _, street, _ = tree
    _param(CODE, "2022-04-01", "2100")
    _param(CODE, "2023-01-01", "2200", unit=city)
    found = parameter_value(CODE, D("2024-01-01"), street)
    assert (found.value, found.unit_code) == (Decimal("2200"), "990000")


@pytest.mark.django_db
def test_one_query_per_level(tree, django_assert_max_num_queries):
    _param(CODE, "2022-04-01", "2100")
    street = OrgUnit.objects.get(code="990100001")  # parents not loaded, as in a real request
    # street, district, city: one parameter query and one parent fetch each; then city-wide.
    with django_assert_max_num_queries(6):
        assert parameter_value(CODE, D("2025-01-01"), street).value == Decimal("2100")


def test_trace_reads_as_a_chinese_sentence():
    value = ParameterValue(
        code="min_wage_monthly_tier1",
        value=Decimal("2330.0000"),
        valid_from=D("2025-05-01"),
        unit_code=None,
        source="川渝两地最低工资标准调整通知",
        note="",
    )
    assert value.trace() == (
        "重庆市月最低工资标准（一档）：2,330.00 元，自 2025-05-01 起施行，"
        "依据：川渝两地最低工资标准调整通知。"
    )


def test_trace_names_the_unit_and_the_note_and_writes_yuan_per_hour_as_money():
    value = ParameterValue(
        code="min_wage_hourly_tier2",
        value=Decimal("22.5000"),
        valid_from=D("2025-05-01"),
        unit_code="500101",
        source="测试依据",
        note="二档地区",
        unit_name="万州区",
    )
    assert value.trace() == (
        "重庆市非全日制小时最低工资标准（二档）（万州区）：22.50 元/小时，自 2025-05-01 起施行，"
        "依据：测试依据；二档地区。"
    )


def test_trace_of_an_unknown_code_uses_the_code():
    value = ParameterValue(
        code="test.threshold",
        value=Decimal("100.0000"),
        valid_from=D("2024-01-01"),
        unit_code=None,
        source="内部规定",
        note="",
    )
    assert value.trace() == "test.threshold：100，自 2024-01-01 起施行，依据：内部规定。"


def test_trace_writes_a_value_that_is_not_money_plainly():
    value = ParameterValue(
        code="final_award_minimum_wage_multiple",
        value=Decimal("12.0000"),
        valid_from=D("2008-05-01"),
        unit_code=None,
        source="调解仲裁法",
        note="",
    )
    assert value.stated == "12 倍"
    assert value.trace().startswith("终局裁决限额（月最低工资标准倍数）：12 倍，")


@pytest.mark.django_db
def test_trace_from_the_database(tree):
    _, district, street, _ = tree
    _param("min_wage_monthly_tier2", "2025-05-01", "2200", unit=district, source="渝人社发")
    assert parameter_value("min_wage_monthly_tier2", D("2025-05-01"), street).trace() == (
        "重庆市月最低工资标准（二档）（测试区）：2,200.00 元，"
        "自 2025-05-01 起施行，依据：渝人社发。"
    )
