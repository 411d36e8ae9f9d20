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

from tests.bench import queues
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


@pytest.fixture
def inspector(yuzhong):
    return UserFactory(username="bench_inspector", unit=yuzhong, roles=[roles.INSPECTOR])


# The queries of the home page itself, per role: the session (read, and saved: 4), the user,
# roles and unit or enterprise, then one count query per kind of record (each table's queues
# at once) — 66 before #14. The costly cards come after the page (``later_url``), one request
# each. An enterprise account's apps each find its enterprise (several small lookups).
HOME_QUERIES = {
    "city_admin": 17,
    "district_staff": 20,
    "mediator": 14,
    "inspector": 15,
    "enterprise_user": 24,
}


def later_queries(client) -> dict[str, int]:
    """The queries of each card the page loads after itself."""
    response = client.get("/")
    later = [c for c in response.context["todo"] + response.context["cards"] if "later_url" in c]
    counted = {}
    for card in later:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(card["later_url"]).status_code == 200
        counted[card["label"]] = len(queries)
    return counted


def test_home_queries_do_not_grow_with_records(
    request, login_client, district_staff, enterprise_user, own_enterprise, yuzhong, inspector
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
    clients = {role: login_client(request.getfixturevalue(role)) for role in HOME_QUERIES}

    add_records(1, **context)
    before = {role: home_queries(client) for role, client in clients.items()}
    later_before = {role: later_queries(client) for role, client in clients.items()}
    add_records(4, **context)
    after = {role: home_queries(client) for role, client in clients.items()}
    assert after == before == HOME_QUERIES
    assert {role: later_queries(client) for role, client in clients.items()} == later_before
    # The queues did read the records.
    staff_queues = {q["label"]: q["value"] for q in queues(clients["district_staff"]).values()}
    assert staff_queues["仲裁申请待审查"] == 5 and staff_queues["投诉待决定受理"] == 5
    assert staff_queues["集体合同待报送"] == 5
    company_queues = {q["label"]: q["value"] for q in queues(clients["enterprise_user"]).values()}
    assert company_queues["工资发放记录缺月的项目"] == 5


@pytest.mark.parametrize("name", ["", "nothing", "core.z", "registry.nothing", "x.y.z"])
def test_an_unknown_later_card_is_not_found(login_client, district_staff, name):
    assert login_client(district_staff).get("/", {"card": name}).status_code == 404


def test_a_card_not_offered_to_the_role_is_not_found(login_client, enterprise_user):
    """An enterprise account is not offered the registry's city figures: asking for one by name
    is a 404, not the count."""
    client = login_client(enterprise_user)
    for name in ("registry.operating", "registry.union", "harmony.coverage"):
        assert client.get("/", {"card": name}).status_code == 404
