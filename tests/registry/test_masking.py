"""Contact numbers in the registry: masked on the pages and in the edit forms; a mask posted
back unchanged keeps the number, a new number replaces it; staff reveal one with an audited
click, auditors and enterprise accounts cannot."""

from __future__ import annotations

import io

import pytest
from django import forms
from openpyxl import load_workbook

from tests.factories import PHONE, EnterpriseFactory
from tests.wages import fixtures
from yutong.core.models import AuditEntry
from yutong.registry.models import ConstructionProject, Enterprise

pytestmark = pytest.mark.django_db

MASKED = "138****5678"


def posted_back(page, **changes) -> dict:
    """What the browser sends when the form on ``page`` is saved (with ``changes`` typed)."""
    data = {}
    for field in page.context["form"]:
        if field.field.disabled:
            continue
        value = field.value()
        if isinstance(field.field, forms.BooleanField):
            if value:
                data[field.html_name] = "on"
            continue
        data[field.html_name] = "" if value is None else str(value)
    return data | changes


def reveals():
    return AuditEntry.objects.filter(action="reveal_personal_data")


@pytest.fixture
def enterprise(yuzhong):
    return EnterpriseFactory(unit=yuzhong, contact_phone=PHONE)


def edit_url(enterprise):
    return f"/registry/enterprises/{enterprise.uscc}/edit/"


def test_the_enterprise_edit_form_shows_the_mask(login_client, district_staff, enterprise):
    page = login_client(district_staff).get(edit_url(enterprise))
    assert page.context["form"]["contact_phone"].value() == MASKED
    assert MASKED in page.text and PHONE not in page.text


def test_the_mask_posted_back_keeps_the_number(login_client, district_staff, enterprise):
    client = login_client(district_staff)
    data = posted_back(client.get(edit_url(enterprise)), name="改名后的有限公司")
    assert data["contact_phone"] == MASKED
    response = client.post(edit_url(enterprise), data)
    assert response.status_code == 302
    saved = Enterprise.objects.get(pk=enterprise.pk)
    assert saved.name == "改名后的有限公司" and saved.contact_phone == PHONE
    entry = AuditEntry.objects.filter(action="update_enterprise").latest("id")
    assert "contact_phone" not in entry.changes


def test_a_new_number_replaces_it(login_client, district_staff, enterprise):
    client = login_client(district_staff)
    data = posted_back(client.get(edit_url(enterprise)), contact_phone="13900002222")
    assert client.post(edit_url(enterprise), data).status_code == 302
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == "13900002222"


def test_a_mangled_mask_is_refused(login_client, district_staff, enterprise):
    client = login_client(district_staff)
    data = posted_back(client.get(edit_url(enterprise)), contact_phone="138****567")
    response = client.post(edit_url(enterprise), data)
    assert response.status_code == 200 and "contact_phone" in response.context["form"].errors
    assert Enterprise.objects.get(pk=enterprise.pk).contact_phone == PHONE


def test_staff_reveal_the_enterprise_phone(login_client, district_staff, enterprise):
    client = login_client(district_staff)
    page = client.get(f"/registry/enterprises/{enterprise.uscc}/").text
    url = f"/core/reveal/enterprise-contact-phone/{enterprise.pk}/"
    assert MASKED in page and f'hx-post="{url}"' in page and PHONE not in page
    response = client.post(url)
    assert response.status_code == 200 and PHONE in response.text
    entry = reveals().get()
    assert entry.actor == district_staff and entry.object_type == "registry.enterprise"
    assert entry.changes == {"revealed": [None, f"企业联系电话 {MASKED}"]}


def test_no_reveal_outside_the_rules(
    login_client, auditor, enterprise_user, shapingba_staff, own_enterprise, enterprise
):
    own_enterprise.contact_phone = PHONE
    own_enterprise.save()
    page = login_client(enterprise_user).get(f"/registry/enterprises/{own_enterprise.uscc}/")
    assert MASKED in page.text and "/core/reveal/" not in page.text
    for user, record, status in [
        (auditor, enterprise, 403),
        (enterprise_user, own_enterprise, 403),
        (shapingba_staff, enterprise, 404),
    ]:
        url = f"/core/reveal/enterprise-contact-phone/{record.pk}/"
        assert login_client(user).post(url).status_code == status
    assert not reveals().exists()


# --- the labour officer of a construction project ---------------------------------------------


@pytest.fixture
def project(district_staff, yuzhong):
    owner, contractor, _ = fixtures.make_parties(yuzhong)
    return fixtures.register(district_staff, yuzhong, owner, contractor)


def test_the_project_pages_mask_the_labour_officer(login_client, district_staff, project):
    client = login_client(district_staff)
    masked = fixtures.MASKED_OFFICER_PHONE
    page = client.get(f"/registry/projects/{project.pk}/")
    assert masked in page.text and fixtures.OFFICER_PHONE not in page.text
    url = f"/core/reveal/project-labour-officer-phone/{project.pk}/"
    assert client.post(url).text.count(fixtures.OFFICER_PHONE) == 1
    assert reveals().get().changes == {"revealed": [None, f"劳资专管员电话 {masked}"]}

    edit = f"/registry/projects/{project.pk}/edit/"
    form = client.get(edit)
    assert form.context["form"]["labour_officer_phone"].value() == masked
    assert fixtures.OFFICER_PHONE not in form.text
    data = posted_back(form, name="改名后的工程")
    assert client.post(edit, data).status_code == 302
    saved = ConstructionProject.objects.get(pk=project.pk)
    assert saved.name == "改名后的工程" and saved.labour_officer_phone == fixtures.OFFICER_PHONE
    data = posted_back(client.get(edit), labour_officer_phone="13700003333")
    assert client.post(edit, data).status_code == 302
    assert ConstructionProject.objects.get(pk=project.pk).labour_officer_phone == "13700003333"


def _cells(response) -> str:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return str(list(book.active.iter_rows(values_only=True)))


def test_the_exports_keep_masking(login_client, district_staff, enterprise, project):
    client = login_client(district_staff)
    enterprises = _cells(client.get("/registry/enterprises/export/"))
    assert MASKED in enterprises and PHONE not in enterprises
    projects = _cells(client.get("/registry/projects/export/"))
    assert fixtures.MASKED_OFFICER_PHONE in projects and fixtures.OFFICER_PHONE not in projects


def test_a_form_shown_again_after_an_error_still_masks(login_client, district_staff, enterprise):
    client = login_client(district_staff)
    data = posted_back(client.get(edit_url(enterprise)), name="")
    response = client.post(edit_url(enterprise), data)
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert MASKED in response.text and PHONE not in response.text
