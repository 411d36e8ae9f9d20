"""The demo's accounts: one per role, and a street's labour-security office that sees its
street's records only (the township data scope, issue #11)."""

from __future__ import annotations

import random

from tests.factories import EnterpriseFactory
from yutong.core.models import OrgUnit, User
from yutong.demo import accounts, generate
from yutong.registry.queries import enterprises_visible_to


def test_the_township_account_sees_its_street_only(db):
    generate.create_townships(random.Random(7), 2)
    streets = list(
        OrgUnit.objects.filter(parent__code="500103", level=OrgUnit.Level.TOWNSHIP).order_by("code")
    )
    own, other = streets[0], streets[1]
    mine = EnterpriseFactory(township=own)
    EnterpriseFactory(township=other)
    EnterpriseFactory(township=None)
    showcase = EnterpriseFactory()

    listed = accounts.create_accounts(showcase.uscc, showcase.name)

    assert ("township", "人社业务人员", own.name) in listed
    office = User.objects.get(username="township")
    assert office.unit == own and office.check_password(accounts.DEMO_PASSWORD)
    assert list(enterprises_visible_to(office)) == [mine]
