"""The complainant's phone and resident ID are masked on the complaint page; inspection staff
reveal them with one (audited) click; the employer and auditors never can."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.inspection.conftest import PHONE, complaint_data, resident_id, working_days_ago
from yutong.core.models import AuditEntry
from yutong.core.personal import mask_resident_id
from yutong.inspection import services

pytestmark = pytest.mark.django_db

MASKED = "139****5678"


def reveal_url(key, complaint):
    return f"/core/reveal/{key}/{complaint.pk}/"


def reveals():
    return AuditEntry.objects.filter(action="reveal_personal_data")


def test_the_page_shows_masks_and_reveal_buttons(login_client, inspector, complaint):
    page = login_client(inspector).get(f"/inspection/complaints/{complaint.pk}/")
    html = page.content.decode()
    assert MASKED in html and PHONE not in html
    assert mask_resident_id(resident_id(1)) in html and resident_id(1) not in html
    assert f'hx-post="{reveal_url("complainant-phone", complaint)}"' in html
    assert f'hx-post="{reveal_url("complainant-resident-id", complaint)}"' in html
    assert "<script>" not in html.split("<body", 1)[1].split("</body>")[0].replace(" ", "")


def test_a_reveal_answers_the_number_and_is_audited(login_client, inspector, complaint):
    client = login_client(inspector)
    response = client.post(reveal_url("complainant-phone", complaint))
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = reveals().get()
    assert (entry.actor, entry.object_type, entry.object_id) == (
        inspector,
        "inspection.complaint",
        str(complaint.pk),
    )
    assert entry.changes == {"revealed": [None, f"投诉人电话 {MASKED}"]}
    assert entry.unit == complaint.unit and PHONE not in str(entry.changes)
    response = client.post(reveal_url("complainant-resident-id", complaint))
    assert resident_id(1) in response.content.decode()
    assert reveals().count() == 2


@pytest.mark.parametrize("who", ["auditor", "enterprise_user", "mediator"])
def test_no_reveal_for_the_employer_or_auditors(request, login_client, complaint, who):
    client = login_client(request.getfixturevalue(who))
    response = client.post(reveal_url("complainant-phone", complaint))
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert not reveals().exists()


def test_out_of_scope_or_anonymous_or_unknown_is_404(
    login_client, inspector, shapingba_inspector, complaint, yuzhong
):
    assert (
        login_client(shapingba_inspector)
        .post(reveal_url("complainant-phone", complaint))
        .status_code
        == 404
    )
    anonymous = services.register_complaint(
        inspector,
        unit=yuzhong,
        channel="hotline_12333",
        received_on=working_days_ago(1),
        **complaint_data(is_anonymous=True, complainant_name="", complainant_phone=""),
    )
    client = login_client(inspector)
    assert client.post(reveal_url("complainant-phone", anonymous)).status_code == 404
    assert client.post(f"/core/reveal/no-such-field/{complaint.pk}/").status_code == 404
    assert not reveals().exists()


def test_only_a_csrf_protected_post_reveals(inspector, complaint):
    client = Client(enforce_csrf_checks=True)
    client.force_login(inspector)
    assert client.get(reveal_url("complainant-phone", complaint)).status_code == 405
    assert client.post(reveal_url("complainant-phone", complaint)).status_code == 403
    assert not reveals().exists()


def test_signed_out_gets_the_login_page(complaint):
    response = Client().post(reveal_url("complainant-phone", complaint))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_api_and_the_export_keep_masking(api_client, inspector, complaint):
    body = api_client(inspector).get(f"/api/v1/complaints/{complaint.pk}/").content.decode()
    assert MASKED in body and PHONE not in body and resident_id(1) not in body
