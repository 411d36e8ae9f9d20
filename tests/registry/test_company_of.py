"""How an enterprise account finds its company is decided once, by
``core.permissions.company_of``: the registry, relations and harmony read the same answer."""

import pytest

from tests.factories import UserFactory
from yutong.core import roles
from yutong.core.permissions import company_of
from yutong.harmony.services import own_enterprise as harmony_own
from yutong.registry import queries
from yutong.relations.queries import _own_uscc
from yutong.relations.services import _is_enterprise_account

pytestmark = pytest.mark.django_db


def test_every_app_finds_the_same_company(enterprise_user, own_enterprise):
    assert company_of(enterprise_user).uscc == own_enterprise.uscc
    assert list(queries.enterprises_visible_to(enterprise_user)) == [own_enterprise]
    assert harmony_own(enterprise_user) == own_enterprise
    assert _own_uscc(enterprise_user) == own_enterprise.uscc
    assert _is_enterprise_account(enterprise_user, own_enterprise)


def test_an_account_without_the_enterprise_role_has_no_company(enterprise_user, own_enterprise):
    # Its organisation names the company, but the account is not an enterprise account: it
    # acts for no company anywhere (the project gate used to read the organisation alone).
    other = UserFactory(organisation=enterprise_user.organisation, roles=[roles.AUDITOR])
    other.roles.clear()
    assert company_of(other) is None
    assert queries._own_enterprise_ids(other) == []
    assert not queries.projects_contracted_by(other).exists()
    assert harmony_own(other) is None and _own_uscc(other) is None
    assert not _is_enterprise_account(other, own_enterprise)
