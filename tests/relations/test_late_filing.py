"""A collective contract filed after the 10-day window (集体合同规定 Art.42) is received, marked
late (stored, shown on the page and in the API, counted in a queue), and its 15-day review runs
from receipt (Art.47); nothing in 劳动合同法 Art.54 or 集体合同规定 bars receiving it."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from tests.relations.conftest import draft, to_stage
from yutong.core.models import AuditEntry
from yutong.relations import queries, services
from yutong.relations.models import CollectiveContract, ContractEvent

CONTRACTS = "/api/v1/collective-contracts/"
LATE = date(2025, 3, 14)  # the window of a contract signed on 2025-03-03 ends on 2025-03-13


def signed(union_officer, firm):
    contract = to_stage(union_officer, draft(union_officer, firm), "signed")
    assert contract.filing_due_on == date(2025, 3, 13)
    return contract


def test_a_late_filing_is_received_marked_late_and_reviewed_from_receipt(
    union_officer, district_staff, firms, unions
):
    contract = services.file_contract(
        district_staff, signed(union_officer, firms.big), filed_on=LATE
    )
    contract = CollectiveContract.objects.get(pk=contract.pk)
    assert (contract.stage, contract.filed_on, contract.filed_late) == ("filed", LATE, True)
    # 15 days from receipt end on Saturday 29 March: the last day moves to Monday (民法典 Art.203)
    assert contract.review_due_on == date(2025, 3, 31)
    assert contract.effective_from == date(2025, 4, 1)
    event = ContractEvent.objects.get(case=contract, kind="filed")
    assert "逾期 1 日报送" in event.text
    entry = AuditEntry.objects.get(action="file_contract")
    assert entry.changes["filed_late"] == [False, True]


def test_late_filings_are_counted_apart_from_timely_ones(
    union_officer, district_staff, firms, unions
):
    late = services.file_contract(district_staff, signed(union_officer, firms.big), filed_on=LATE)
    timely = to_stage(union_officer, draft(union_officer, firms.mid), "filed")
    assert not timely.filed_late
    counted = queries.contract_queue(CollectiveContract.objects.all(), "filed_late")
    assert list(counted) == [late]


def test_the_api_and_the_page_show_the_lateness(
    union_officer, district_staff, firms, unions, api_client, login_client
):
    contract = signed(union_officer, firms.big)
    api = api_client(district_staff)
    response = api.post(
        f"{CONTRACTS}{contract.pk}/file/",
        {"filed_on": LATE.isoformat(), "version": contract.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["filed_late"] is True
    listed = api.get(CONTRACTS, {"queue": "filed_late"}).json()
    assert [c["id"] for c in listed["results"]] == [contract.pk]
    page = login_client(district_staff).get(
        reverse("relations:contract_detail", args=[contract.pk])
    )
    assert 'data-testid="filed-late"' in page.content.decode()
