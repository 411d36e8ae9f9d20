"""The work bench (#13): complaints waiting for the decision on acceptance (a link to the
complaint list filtered to exactly those rows, within the user's district, for the handlers);
an enterprise account sees how many cases against its own enterprise are open, and nothing
of who complained."""

from __future__ import annotations

import pytest

from tests.bench import listed, queues
from tests.factories import EnterpriseFactory
from tests.inspection.conftest import complaint_data, working_days_ago
from yutong.inspection import services

pytestmark = pytest.mark.django_db

TO_DECIDE, TO_COMPLETE = "投诉待决定受理", "投诉待补正材料"
AGAINST_US = "本企业被立案调查（未结案）"


def register(user, unit, **overrides):
    return services.register_complaint(
        user,
        unit=unit,
        channel="hotline_12333",
        received_on=working_days_ago(1),
        **complaint_data(**overrides),
    )


def test_complaints_to_decide_count_what_the_list_shows(
    login_client, inspector, shapingba_inspector, yuzhong, shapingba
):
    register(inspector, yuzhong)
    register(inspector, yuzhong)
    waiting = register(inspector, yuzhong)
    services.request_materials(inspector, waiting, items="欠薪的证明材料")
    accepted = register(inspector, yuzhong)
    services.accept_complaint(inspector, accepted, accepted_on=accepted.received_on)
    register(shapingba_inspector, shapingba)

    client = login_client(inspector)
    bench = queues(client)
    assert bench[TO_DECIDE]["value"] == 2 == listed(client, bench[TO_DECIDE]["url"])
    assert bench[TO_COMPLETE]["value"] == 1 == listed(client, bench[TO_COMPLETE]["url"])
    assert queues(login_client(shapingba_inspector))[TO_DECIDE]["value"] == 1


def test_readers_who_do_not_decide_get_no_decision_queue(login_client, inspector, auditor, yuzhong):
    register(inspector, yuzhong)
    assert TO_DECIDE not in queues(login_client(auditor))


def test_enterprise_sees_only_its_own_open_cases_and_never_the_complainant(
    login_client, inspector, enterprise_user, own_enterprise, yuzhong
):
    ours = register(
        inspector,
        yuzhong,
        employer_name=own_enterprise.name,
        employer_uscc=own_enterprise.uscc,
        complainant_name="李举报",
    )
    services.accept_complaint(inspector, ours, accepted_on=ours.received_on)
    register(
        inspector, yuzhong, employer_name=own_enterprise.name, employer_uscc=own_enterprise.uscc
    )
    other = EnterpriseFactory(name="重庆别家劳务有限公司", unit=yuzhong)
    theirs = register(inspector, yuzhong, employer_name=other.name, employer_uscc=other.uscc)
    services.accept_complaint(inspector, theirs, accepted_on=theirs.received_on)

    client = login_client(enterprise_user)
    bench = queues(client)
    # Only the accepted case against it: a complaint not yet decided is not its business.
    assert bench[AGAINST_US]["value"] == 1
    assert client.get(bench[AGAINST_US]["url"]).status_code == 200
    page = client.get("/").content.decode()
    assert "李举报" not in page and ours.case.number not in page
    assert TO_DECIDE not in bench
