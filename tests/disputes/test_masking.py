"""The workers' numbers on the case pages: masked, revealed one at a time by the staff who
handle disputes (audited), never by an auditor or anyone outside the case's scope."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.disputes.conftest import resident_id
from tests.disputes.test_apply import application
from yutong.core.models import AuditEntry
from yutong.core.personal import mask_resident_id
from yutong.disputes.models import DisputeWorker, MediationCase

pytestmark = pytest.mark.django_db

PHONE = "13812345678"


@pytest.fixture
def case(body):
    application(Client(), body)  # worker 1, phone PHONE
    return MediationCase.objects.get()


def reveals():
    return AuditEntry.objects.filter(action="reveal_personal_data")


def test_the_case_page_masks_and_offers_reveal(login_client, district_staff, case):
    worker = DisputeWorker.objects.get()
    page = login_client(district_staff).get(f"/disputes/mediation/{case.pk}/").text
    assert "138****5678" in page and PHONE not in page
    assert mask_resident_id(resident_id(1)) in page and resident_id(1) not in page
    assert f'hx-post="/core/reveal/dispute-worker-phone/{worker.pk}/"' in page
    assert f'hx-post="/core/reveal/dispute-worker-resident-id/{worker.pk}/"' in page


def test_a_reveal_is_audited(login_client, district_staff, case):
    worker = DisputeWorker.objects.get()
    client = login_client(district_staff)
    response = client.post(f"/core/reveal/dispute-worker-resident-id/{worker.pk}/")
    assert response.status_code == 200 and resident_id(1) in response.text
    entry = reveals().get()
    assert (entry.actor, entry.object_type, entry.object_id, entry.unit) == (
        district_staff,
        "disputes.disputeworker",
        str(worker.pk),
        case.dispute.unit,
    )
    assert entry.changes == {
        "revealed": [None, f"劳动者公民身份号码 {mask_resident_id(resident_id(1))}"]
    }
    assert resident_id(1) not in str(entry.changes) + entry.object_repr


def test_no_reveal_for_auditors_or_other_districts(
    login_client, auditor, shapingba_staff, enterprise_user, case
):
    worker = DisputeWorker.objects.get()
    url = f"/core/reveal/dispute-worker-phone/{worker.pk}/"
    page = login_client(auditor).get(f"/disputes/mediation/{case.pk}/").text
    assert "138****5678" in page and "/core/reveal/" not in page
    assert login_client(auditor).post(url).status_code == 403
    assert login_client(enterprise_user).post(url).status_code == 403
    assert login_client(shapingba_staff).post(url).status_code == 404
    assert not reveals().exists()


def test_the_export_and_the_api_keep_masking(login_client, api_client, district_staff, case):
    book = login_client(district_staff).get("/disputes/mediation/export/")
    rows = str(list(_rows(b"".join(book.streaming_content))))
    assert mask_resident_id(resident_id(1)) in rows and resident_id(1) not in rows
    body = api_client(district_staff).get(f"/api/v1/mediation-cases/{case.pk}/").text
    assert mask_resident_id(resident_id(1)) in body
    assert resident_id(1) not in body and PHONE not in body


def _rows(content: bytes):
    return load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
