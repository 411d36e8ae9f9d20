"""The work bench (#13) of an enterprise account: the live projects it contracts with a
payroll month missing (it keeps the wage ledger); never another contractor's projects."""

from __future__ import annotations

import pytest

from tests.bench import queues
from tests.wages.fixtures import months_ago
from yutong.wages import services

pytestmark = pytest.mark.django_db

MISSING = "工资发放记录缺月的项目"


def upload(actor, project, month):
    services.store_payroll(actor, project, month, [], minimum_wage=None, minimum_wage_trace="测试")


def test_contractor_sees_its_projects_missing_payroll_months(
    login_client, contractor_user, sub_user, project, spb_project
):
    client = login_client(contractor_user)
    bench = queues(client)
    # Started 3 months ago, nothing uploaded; the 沙坪坝 project has another contractor.
    assert bench[MISSING]["value"] == 1
    assert bench[MISSING]["url"] == f"/wages/projects/{project.pk}/payroll/"
    assert client.get(bench[MISSING]["url"]).status_code == 200

    for n in (1, 2, 3):
        upload(contractor_user, project, months_ago(n))
    assert queues(client)[MISSING]["value"] == 0
    # A subcontractor does not keep the ledger: no such queue.
    assert MISSING not in queues(login_client(sub_user))


def test_staff_do_not_get_the_enterprise_queue(login_client, district_staff, project):
    assert MISSING not in queues(login_client(district_staff))
