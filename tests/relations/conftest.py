"""Relations fixtures: union officers of 渝中 and 沙坪坝, a 渝中 street, enterprises of several
sizes, and helpers that take a contract through the services to a given stage."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from tests.factories import EnterpriseFactory, TownshipFactory, UserFactory
from yutong.core import roles
from yutong.relations import services

# Past days (the services refuse future dates): a Monday in 2025 with no holiday nearby.
SIGNED = date(2025, 3, 3)


@pytest.fixture
def union_officer(yuzhong):
    return UserFactory(
        username="yz_union", display_name="渝中工会干部", unit=yuzhong, roles=[roles.UNION_OFFICER]
    )


@pytest.fixture
def spb_union_officer(shapingba):
    return UserFactory(
        username="spb_union",
        display_name="沙坪坝工会干部",
        unit=shapingba,
        roles=[roles.UNION_OFFICER],
    )


@pytest.fixture
def streets(yuzhong):
    return SimpleNamespace(
        jiefangbei=TownshipFactory(parent=yuzhong, name="解放碑街道"),
        chaotianmen=TownshipFactory(parent=yuzhong, name="朝天门街道"),
    )


@pytest.fixture
def firms(yuzhong, shapingba, streets):
    """渝中: big (300, street 解放碑), mid (120, 解放碑), small (30, 朝天门), tiny (10);
    沙坪坝: other (500)."""
    return SimpleNamespace(
        big=EnterpriseFactory(
            unit=yuzhong,
            township=streets.jiefangbei,
            name="解放碑重工有限公司",
            employee_count=300,
            industry="C",
        ),
        mid=EnterpriseFactory(
            unit=yuzhong,
            township=streets.jiefangbei,
            name="解放碑电子有限公司",
            employee_count=120,
            industry="C",
        ),
        small=EnterpriseFactory(
            unit=yuzhong,
            township=streets.chaotianmen,
            name="朝天门餐饮有限公司",
            employee_count=30,
            industry="H",
        ),
        tiny=EnterpriseFactory(unit=yuzhong, name="渝中小微商店", employee_count=10, industry="F"),
        other=EnterpriseFactory(
            unit=shapingba, name="沙坪坝机械有限公司", employee_count=500, industry="C"
        ),
    )


def establish(actor, enterprise, **overrides):
    data = {
        "enterprise": enterprise,
        "name": f"{enterprise.name}工会委员会",
        "form": "committee",
        "established_on": date(2024, 6, 1),
        "members": min(enterprise.employee_count, 100),
        "chair": "张主席",
        "fulltime_staff": 1,
    }
    data.update(overrides)
    return services.establish_union(actor, **data)


@pytest.fixture
def unions(union_officer, firms):
    return SimpleNamespace(
        big=establish(union_officer, firms.big),
        mid=establish(union_officer, firms.mid, fulltime_staff=0),
    )


def draft(actor, enterprise, **overrides):
    data = {
        "scope": "enterprise",
        "kind": "general",
        "title": f"{enterprise.name if enterprise else ''}集体合同",
        "enterprise": enterprise,
        "term_start": date(2025, 4, 1),
    }
    data.update(overrides)
    data.setdefault("expires_on", services.add_years(data["term_start"], 3) - timedelta(days=1))
    return services.draft_contract(actor, **data)


def to_stage(actor, contract, stage: str, *, signed_on: date = SIGNED, filed_on=None):
    """Take a draft through the services up to ``stage`` (adopted, signed or filed)."""
    contract = services.approve_contract(
        actor,
        contract,
        adopted_on=signed_on,
        congress_total=60,
        congress_attending=50,
        congress_approving=40,
    )
    if stage == "adopted":
        return contract
    contract = services.sign_contract(actor, contract, signed_on=signed_on)
    if stage == "signed":
        return contract
    return services.file_contract(actor, contract, filed_on=filed_on or signed_on)


PEOPLE = [
    {"body": "hrss", "name": "王局长", "position": "副局长"},
    {"body": "trade_union", "name": "李主席", "position": ""},
    {"body": "enterprise_confederation", "name": "张会长", "position": ""},
    {"body": "commerce_federation", "name": "赵会长", "position": ""},
]


def meeting(actor, unit, *, follow_ups=(), title="渝中区协调劳动关系三方会议", **overrides):
    """A district meeting with people of the four bodies (through the service)."""
    data = {
        "level": "district",
        "unit": unit,
        "held_on": date(2025, 5, 20),
        "title": title,
        "agenda": "欠薪治理",
        "decisions": "开展专项行动",
        "participants": [dict(p) for p in PEOPLE],
        "follow_ups": list(follow_ups),
    }
    data.update(overrides)
    return services.record_meeting(actor, **data)


def follow_up(task: str, due_on: date, body: str = "hrss", owner: str = "王科长") -> dict:
    return {"task": task, "owner_body": body, "owner_name": owner, "due_on": due_on}
