"""Dispute fixtures: a 渝中 mediation body and arbitration commission with their people, the
minimum-wage parameters the final-award test needs, and a registered dispute."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from stdnum.cn import ric

from tests.factories import UserFactory, clear_shipped_wage_parameters
from yutong.core import roles
from yutong.core.models import DatedParameter
from yutong.disputes import services
from yutong.disputes.models import ArbitrationCommission, Arbitrator, MediationBody, Mediator


def resident_id(serial: int, district: str = "500103") -> str:
    first17 = f"{district}19900101{serial % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")  # stdnum wants a check-digit slot


@pytest.fixture
def arbitrator_user(yuzhong):
    return UserFactory(
        username="yz_arbitrator", display_name="仲裁员甲", unit=yuzhong, roles=[roles.ARBITRATOR]
    )


@pytest.fixture
def body(yuzhong):
    return MediationBody.objects.create(
        code="M500103001", name="解放碑街道劳动争议调解中心", kind="township", unit=yuzhong
    )


@pytest.fixture
def shapingba_body(shapingba):
    return MediationBody.objects.create(
        code="M500106001", name="沙坪坝区劳动争议调解中心", kind="township", unit=shapingba
    )


@pytest.fixture
def mediator_person(body, mediator):
    return Mediator.objects.create(body=body, name="调解员甲", user=mediator)


@pytest.fixture
def commission(yuzhong):
    return ArbitrationCommission.objects.create(
        code="A500103", name="渝中区劳动人事争议仲裁委员会", unit=yuzhong, short_name="渝中劳人仲"
    )


@pytest.fixture
def arbitrators(commission, arbitrator_user):
    people = [
        Arbitrator.objects.create(commission=commission, name="仲裁员甲", user=arbitrator_user)
    ]
    people += [Arbitrator.objects.create(commission=commission, name=f"仲裁员{n}") for n in "乙丙"]
    return people


@pytest.fixture
def wage_parameters(city, yuzhong):
    """Tier 1 minimum wage 2,330 from 2025-05-01; 渝中 is a tier-1 district (test values)."""
    clear_shipped_wage_parameters()
    DatedParameter.objects.create(
        code="min_wage_monthly_tier1",
        valid_from=date(2025, 5, 1),
        value=Decimal("2330"),
        source="测试：渝府发〔2025〕X号",
    )
    DatedParameter.objects.create(
        code="min_wage_tier",
        unit=yuzhong,
        valid_from=date(2020, 1, 1),
        value=Decimal("1"),
        source="测试：档次划分",
    )


def worker(serial: int, **overrides) -> dict:
    return {"name": f"劳动者{serial}", "resident_id": resident_id(serial), "phone": "", **overrides}


@pytest.fixture
def dispute(district_staff, yuzhong):
    return services.register_dispute(
        district_staff,
        unit=yuzhong,
        channel="staff",
        facts="公司拖欠 2026 年 9 月至 10 月工资。",
        employer_name="重庆某某餐饮管理有限公司",
        workers=[worker(1, is_representative=True)],
        claims=[
            {"claim_type": "wages", "amount": "12000"},
            {"claim_type": "economic_compensation", "amount": "30000"},
            {"claim_type": "working_time", "amount": None},
        ],
    )
