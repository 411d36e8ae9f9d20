"""Wage fixtures: the minimum wage, parties in 渝中区 and 沙坪坝区, a live 渝中 project, the
general contractor's enterprise account and an inspector."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import OrganisationFactory, UserFactory
from tests.wages import fixtures
from yutong.core import roles
from yutong.core.models import Organisation


@pytest.fixture
def minimum_wage(db):
    fixtures.set_minimum_wage()


@pytest.fixture
def parties(yuzhong, shapingba):
    owner, contractor, sub = fixtures.make_parties(yuzhong)
    spb_owner, spb_contractor, spb_sub = fixtures.make_parties(shapingba)
    return SimpleNamespace(
        owner=owner,
        contractor=contractor,
        sub=sub,
        spb_owner=spb_owner,
        spb_contractor=spb_contractor,
        spb_sub=spb_sub,
    )


@pytest.fixture
def project(district_staff, yuzhong, parties, minimum_wage):
    return fixtures.register(
        district_staff, yuzhong, parties.owner, parties.contractor, [(parties.sub, "劳务分包")]
    )


@pytest.fixture
def spb_project(shapingba_staff, shapingba, parties, minimum_wage):
    return fixtures.register(shapingba_staff, shapingba, parties.spb_owner, parties.spb_contractor)


def _enterprise_account(enterprise, username):
    organisation = OrganisationFactory(
        name=enterprise.name,
        kind=Organisation.Kind.ENTERPRISE,
        unit=enterprise.unit,
        uscc=enterprise.uscc,
    )
    return UserFactory(
        username=username,
        unit=enterprise.unit,
        organisation=organisation,
        roles=[roles.ENTERPRISE_USER],
    )


@pytest.fixture
def contractor_user(parties):
    """The general contractor's enterprise account."""
    return _enterprise_account(parties.contractor, "gc_user")


@pytest.fixture
def sub_user(parties):
    """The subcontractor's enterprise account."""
    return _enterprise_account(parties.sub, "sub_user")


@pytest.fixture
def inspector(yuzhong):
    return UserFactory(username="yz_inspector", unit=yuzhong, roles=[roles.INSPECTOR])
