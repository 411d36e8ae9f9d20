"""The work bench (#13) stays cheap: the number of queries the home page makes does not grow
with the number of cases, contracts, projects or payroll months — for staff and for an
enterprise account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.disputes.conftest import worker
from tests.factories import EnterpriseFactory, UserFactory
from tests.relations.conftest import draft, establish, to_stage
from tests.wages import fixtures as wage_fixtures
from yutong.core import roles
from yutong.disputes import services as disputes
from yutong.disputes.models import ArbitrationCommission
from yutong.inspection import services as inspection

pytestmark = pytest.mark.django_db


def home_queries(client) -> int:
    cache.clear()  # the harmony coverage figure is cached: measure the cold page each time
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def add_records(n, *, staff, officer, unit, commission, own):
    today = timezone.localdate()
    for i in range(n):
        firm = EnterpriseFactory(unit=unit, employee_count=60)
        dispute = disputes.register_dispute(
            staff,
            unit=unit,
            channel="staff",
            facts="拖欠工资。",
            employer_name=firm.name,
            workers=[worker(i, is_representative=True)],
            claims=[{"claim_type": "wages", "amount": "1000"}],
        )
        disputes.receive_arbitration(
            staff, dispute, commission=commission, received_on=today - timedelta(days=1)
        )
        inspection.register_complaint(
            staff,
            unit=unit,
            channel="hotline_12333",
            received_on=today - timedelta(days=1),
            employer_name=own.name,
            employer_uscc=own.uscc,
            matter="拖欠工资。",
            violation_types=["wages"],
            is_wage_arrears=True,
            workers_affected=1,
            is_anonymous=True,
        )
        establish(officer, firm)
        to_stage(officer, draft(officer, firm), "signed")
        wage_fixtures.register(staff, unit, firm, own)


def test_home_queries_do_not_grow_with_records(
    login_client, district_staff, enterprise_user, own_enterprise, yuzhong
):
    officer = UserFactory(username="bench_union", unit=yuzhong, roles=[roles.UNION_OFFICER])
    commission = ArbitrationCommission.objects.create(
        code="A500103", name="渝中区劳动人事争议仲裁委员会", unit=yuzhong, short_name="渝中劳人仲"
    )
    wage_fixtures.set_minimum_wage()
    context = dict(
        staff=district_staff,
        officer=officer,
        unit=yuzhong,
        commission=commission,
        own=own_enterprise,
    )
    staff_client, company_client = login_client(district_staff), login_client(enterprise_user)

    add_records(1, **context)
    staff_before, company_before = home_queries(staff_client), home_queries(company_client)
    add_records(4, **context)
    assert home_queries(staff_client) == staff_before
    assert home_queries(company_client) == company_before
    # The queues did read the records.
    staff_queues = {q["label"]: q["value"] for q in staff_client.get("/").context["todo"]}
    assert staff_queues["仲裁申请待审查"] == 5 and staff_queues["投诉待决定受理"] == 5
    assert staff_queues["集体合同待报送"] == 5
    company_queues = {q["label"]: q["value"] for q in company_client.get("/").context["todo"]}
    assert company_queues["工资发放记录缺月的项目"] == 5
