"""Inspection fixtures: inspectors of 渝中区 and 沙坪坝区, a construction project, complaints
(staff-registered and online) and an accepted case with its two inspectors."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from stdnum.cn import ric

from tests.factories import EnterpriseFactory, UserFactory
from yutong.core import clocks, roles
from yutong.inspection import services
from yutong.registry.models import ConstructionProject

PHONE = "13912345678"


def resident_id(serial: int, district: str = "500103") -> str:
    first17 = f"{district}19850512{serial % 1000:03d}"
    return first17 + ric.calc_check_digit(first17 + "0")


def working_days_ago(n: int) -> date:
    """A working day n working days before today (so that a clock from it is exactly n used)."""
    day = timezone.localdate()
    while n:
        day -= timedelta(days=1)
        if clocks.is_working_day(day):
            n -= 1
    return day


def complaint_data(**overrides) -> dict:
    data = {
        "employer_name": "重庆某某建筑劳务有限公司",
        "matter": "2026 年 8 月至 10 月工资共 36000 元至今未发。",
        "violation_types": ["wages"],
        "is_wage_arrears": True,
        "workers_affected": 3,
        "amount_owed": "36000",
        "is_anonymous": False,
        "complainant_name": "张三",
        "complainant_phone": PHONE,
        "complainant_resident_id": resident_id(1),
    }
    data.update(overrides)
    return data


@pytest.fixture
def inspector(yuzhong):
    return UserFactory(
        username="yz_inspector", display_name="监察员甲", unit=yuzhong, roles=[roles.INSPECTOR]
    )


@pytest.fixture
def inspector2(yuzhong):
    return UserFactory(
        username="yz_inspector2", display_name="监察员乙", unit=yuzhong, roles=[roles.INSPECTOR]
    )


@pytest.fixture
def shapingba_inspector(shapingba):
    return UserFactory(
        username="spb_inspector",
        display_name="监察员丙",
        unit=shapingba,
        roles=[roles.INSPECTOR],
    )


@pytest.fixture
def employer(yuzhong):
    return EnterpriseFactory(name="重庆渝中建工集团有限公司", unit=yuzhong)


@pytest.fixture
def project(yuzhong, employer):
    owner = EnterpriseFactory(name="重庆解放碑置业有限公司", unit=yuzhong)
    return ConstructionProject.objects.create(
        code="500103202601010101",
        name="解放碑商业综合体项目",
        unit=yuzhong,
        owner=owner,
        general_contractor=employer,
        contract_amount=Decimal("120000000"),
        status="under_construction",
    )


@pytest.fixture
def complaint(inspector, yuzhong):
    """A named complaint about unpaid wages received 2 working days ago by 渝中区."""
    return services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="hotline_12333",
        received_on=working_days_ago(2),
        **complaint_data(),
    )


@pytest.fixture
def case(complaint, inspector, inspector2):
    """The complaint accepted the day it came in (2 working days ago), with two inspectors
    assigned (the lead: inspector)."""
    case = services.accept_complaint(inspector, complaint, accepted_on=complaint.received_on)
    return services.assign_inspectors(inspector, case, lead=inspector, inspectors=[inspector2])
