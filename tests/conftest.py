"""Shared fixtures: immediate background tasks, a private MEDIA_ROOT, a clean cache, the org
units that migrations load, one user per role and API clients with real tokens."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import (
    PASSWORD,
    EnterpriseFactory,
    OrganisationFactory,
    TownshipFactory,
    UserFactory,
)
from tests.twofactor import otp_fields
from yutong.core import roles
from yutong.core.models import Organisation, OrgUnit


def pytest_configure(config):
    # WhiteNoise warns that STATIC_ROOT does not exist: tests never run collectstatic.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")
    # An unordered page list gives rows twice or never across pages: a bug, not a warning.
    config.addinivalue_line(
        "filterwarnings", "error::django.core.paginator.UnorderedObjectListWarning"
    )


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # Hashing strength is not under test; the login flow is, and it stays the real one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _clear_cache():
    # scope.subtree_ids caches unit ids; the database is rolled back between tests.
    cache.clear()
    yield
    cache.clear()


# --- org units (loaded by migrations) ------------------------------------------------------


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


@pytest.fixture
def city(db):
    return _unit("500000")


@pytest.fixture
def yuzhong(db):
    return _unit("500103")


@pytest.fixture
def shapingba(db):
    return _unit("500106")


@pytest.fixture
def jiangbei(db):
    """江北区: ended 2025-11-05, successor 两江新区."""
    return _unit("500105")


@pytest.fixture
def yubei(db):
    """渝北区: ended 2025-11-05, successor 两江新区."""
    return _unit("500112")


@pytest.fixture
def liangjiang(db):
    return _unit("500157")


@pytest.fixture
def units(city, yuzhong, shapingba, jiangbei, yubei, liangjiang):
    return SimpleNamespace(
        city=city,
        yuzhong=yuzhong,
        shapingba=shapingba,
        jiangbei=jiangbei,
        yubei=yubei,
        liangjiang=liangjiang,
    )


@pytest.fixture
def towns(units):
    """Two streets of 渝中区 (``x``, ``y``) and one of 沙坪坝区 (``z``), for township scope."""
    return SimpleNamespace(
        x=TownshipFactory(parent=units.yuzhong, name="解放碑街道"),
        y=TownshipFactory(parent=units.yuzhong, name="七星岗街道"),
        z=TownshipFactory(parent=units.shapingba, name="小龙坎街道"),
    )


# --- users per role ------------------------------------------------------------------------


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def city_bureau(city):
    return OrganisationFactory(name="重庆市人力资源和社会保障局", unit=city)


@pytest.fixture
def city_admin(city, city_bureau):
    return UserFactory(
        username="city_admin",
        display_name="市级管理员",
        unit=city,
        organisation=city_bureau,
        roles=[roles.CITY_ADMIN],
    )


@pytest.fixture
def auditor(city, city_bureau):
    return UserFactory(
        username="city_auditor",
        display_name="市级审计员",
        unit=city,
        organisation=city_bureau,
        roles=[roles.AUDITOR],
    )


@pytest.fixture
def district_staff(yuzhong):
    """人社业务人员 of 渝中区."""
    return UserFactory(
        username="yz_staff",
        display_name="李渝中",
        unit=yuzhong,
        organisation=OrganisationFactory(name="渝中区人力资源和社会保障局", unit=yuzhong),
        roles=[roles.DISTRICT_STAFF],
    )


@pytest.fixture
def shapingba_staff(shapingba):
    """人社业务人员 of 沙坪坝区."""
    return UserFactory(
        username="spb_staff",
        display_name="王沙坪",
        unit=shapingba,
        organisation=OrganisationFactory(name="沙坪坝区人力资源和社会保障局", unit=shapingba),
        roles=[roles.DISTRICT_STAFF],
    )


@pytest.fixture
def liangjiang_staff(liangjiang):
    """人社业务人员 of 两江新区 (which absorbed 江北区 and 渝北区)."""
    return UserFactory(
        username="lj_staff",
        display_name="赵两江",
        unit=liangjiang,
        roles=[roles.DISTRICT_STAFF],
    )


@pytest.fixture
def mediator(yuzhong):
    return UserFactory(
        username="yz_mediator", display_name="调解员甲", unit=yuzhong, roles=[roles.MEDIATOR]
    )


@pytest.fixture
def own_enterprise(yuzhong):
    """The enterprise that ``enterprise_user`` works for."""
    return EnterpriseFactory(name="渝中自有科技有限公司", unit=yuzhong)


@pytest.fixture
def enterprise_user(yuzhong, own_enterprise):
    organisation = OrganisationFactory(
        name=own_enterprise.name,
        kind=Organisation.Kind.ENTERPRISE,
        unit=yuzhong,
        uscc=own_enterprise.uscc,
    )
    return UserFactory(
        username="ent_user",
        display_name="企业联络员",
        unit=yuzhong,
        organisation=organisation,
        roles=[roles.ENTERPRISE_USER],
    )


# --- clients -------------------------------------------------------------------------------


@pytest.fixture
def login_client():
    """``login_client(user)`` → a Client with a logged-in session."""

    def _make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return _make


@pytest.fixture
def obtain_token():
    """``obtain_token(user)`` → the token from POST /api/v1/auth/token/."""

    def _obtain(user, password: str = PASSWORD) -> str:
        response = APIClient().post(
            "/api/v1/auth/token/",
            {"username": user.username, "password": password, **otp_fields(user)},
            format="json",
        )
        assert response.status_code == 200, response.content
        return response.json()["token"]

    return _obtain


@pytest.fixture
def api_client(obtain_token):
    """``api_client(user)`` → an APIClient authenticated with that user's real token."""

    def _make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {obtain_token(user)}")
        return client

    return _make


# --- a small registry for filter and scope tests -------------------------------------------


@pytest.fixture
def catalog(units):
    """Six enterprises across 渝中, 沙坪坝, 江北 (ended), 渝北 (ended) and 两江新区."""
    rows = {
        "A": (units.yuzhong, "解放碑精密仪器有限公司", "C", 15, "operating", True),
        "B": (units.yuzhong, "朝天门物流有限公司", "G", 150, "suspended", False),
        "C": (units.shapingba, "沙坪坝重工有限公司", "C", 1200, "operating", True),
        "D": (units.jiangbei, "观音桥商贸有限公司", "F", 45, "deregistered", False),
        "E": (units.liangjiang, "两江智能制造有限公司", "C", 300, "operating", True),
        "F": (units.yubei, "渝北航空服务有限公司", "G", 99, "operating", False),
    }
    return SimpleNamespace(
        **{
            key: EnterpriseFactory(
                unit=unit,
                name=name,
                industry=industry,
                employee_count=employees,
                status=status,
                union_established=union,
            )
            for key, (unit, name, industry, employees, status, union) in rows.items()
        }
    )
