"""Issue 13: one way to write an amount of yuan, in templates and in text built in Python."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template

from yutong.core.money import yuan


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("1234567.5"), "1,234,567.50"),
        (Decimal("2330.0000"), "2,330.00"),  # a dated parameter's four-decimal column
        (2330, "2,330.00"),
        ("12000", "12,000.00"),
        (Decimal("999.99"), "999.99"),
        (Decimal("1000"), "1,000.00"),
        (Decimal("0"), "0.00"),
        (Decimal("-1234.5"), "-1,234.50"),
        (Decimal("1E+3"), "1,000.00"),  # never an exponent
        (0.1, "0.10"),  # a float through str(), not its binary expansion
        (Decimal("9999999999.99"), "9,999,999,999.99"),
    ],
)
def test_yuan_writes_separators_and_two_decimals(amount, written):
    assert yuan(amount) == written


@pytest.mark.parametrize(
    ("amount", "written"),
    [
        (Decimal("0.005"), "0.01"),  # half up, not half even
        (Decimal("0.015"), "0.02"),
        (Decimal("0.025"), "0.03"),
        (Decimal("1234.564"), "1,234.56"),
        (Decimal("999999.995"), "1,000,000.00"),  # rounding carries into a new group
        (Decimal("-0.004"), "0.00"),  # no minus on nothing
    ],
)
def test_yuan_rounds_half_up_to_the_fen(amount, written):
    assert yuan(amount) == written


@pytest.mark.parametrize("empty", [None, ""])
def test_no_amount_is_a_dash(empty):
    assert yuan(empty) == "—"


def test_the_money_filter_writes_what_yuan_writes():
    template = Template("{% load display %}{{ a|money }}")
    for amount in (Decimal("1234567.5"), Decimal("0.025"), 2330, None, ""):
        assert template.render(Context({"a": amount})) == yuan(amount)
