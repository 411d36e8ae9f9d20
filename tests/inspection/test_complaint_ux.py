"""Issue 12, smaller things: the complaint forms look the project up (name or code) within
the user's scope and link it; the wage-code page's button fills in the public form."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from tests.captcha import fetch
from tests.factories import EnterpriseFactory
from yutong.inspection.models import Complaint
from yutong.registry.models import ConstructionProject

pytestmark = pytest.mark.django_db

URL = "/inspection/complain/"


@pytest.fixture
def elsewhere(shapingba):
    firm = EnterpriseFactory(name="重庆沙坪坝建工有限公司", unit=shapingba)
    return ConstructionProject.objects.create(
        code="500106202601010202",
        name="解放碑同名区外项目",
        unit=shapingba,
        owner=firm,
        general_contractor=firm,
        contract_amount=Decimal("1000000"),
    )


def staff_data(yuzhong, **overrides) -> dict:
    data = {
        "unit": yuzhong.pk,
        "channel": "visit",
        "received_on": timezone.localdate().isoformat(),
        "employer_name": "某公司",
        "matter": "拖欠工资",
        "violation_types": ["wages"],
        "workers_affected": "2",
        "is_wage_arrears": "on",
        "is_anonymous": "on",
    }
    data.update(overrides)
    return data


def test_staff_lookup_offers_only_projects_in_scope(login_client, inspector, project, elsewhere):
    page = login_client(inspector).get("/inspection/projects/", {"project_code": "解放碑"})
    text = page.content.decode()
    assert f'<option value="{project.code}">{project.name}</option>' in text
    assert elsewhere.code not in text


def test_public_lookup_gives_code_and_name_only(project, elsewhere):
    text = Client().get("/inspection/projects/", {"q": "解放碑"}).content.decode()
    assert project.code in text and elsewhere.code in text
    assert project.general_contractor.name not in text and "option" in text
    assert "option" not in Client().get("/inspection/projects/", {"q": "解"}).content.decode()


def test_forms_carry_the_picker_without_inline_script(login_client, inspector):
    for client, url in ((login_client(inspector), "/inspection/complaints/new/"), (Client(), URL)):
        text = client.get(url).content.decode()
        assert 'list="project-options"' in text and 'hx-get="/inspection/projects/"' in text
        assert '<datalist id="project-options"' in text and "onchange" not in text


def test_staff_form_links_the_project_by_name(login_client, inspector, yuzhong, project):
    client = login_client(inspector)
    response = client.post(
        "/inspection/complaints/new/", staff_data(yuzhong, project_code=project.name)
    )
    assert response.status_code == 302
    assert Complaint.objects.get().project == project


def test_staff_form_refuses_a_project_outside_scope(login_client, inspector, yuzhong, elsewhere):
    client = login_client(inspector)
    response = client.post(
        "/inspection/complaints/new/", staff_data(yuzhong, project_code=elsewhere.name)
    )
    assert "请从列表中选择" in response.content.decode()
    assert not Complaint.objects.exists()


def public_data(client, **overrides) -> dict:
    data = {
        **fetch(client, URL),
        "district": "500103",
        "employer_name": "重庆某某建筑劳务有限公司",
        "matter": "工地拖欠三个月工资。",
        "violation_types": ["wages"],
        "is_wage_arrears": "on",
        "workers_affected": "5",
        "complainant_name": "王五",
        "complainant_phone": "13700001111",
    }
    data.update(overrides)
    return data


def test_public_form_links_a_picked_project_and_keeps_an_unknown_one(yuzhong, project):
    client = Client()
    assert client.post(URL, public_data(client, project_code=project.name)).status_code == 302
    client = Client()
    assert client.post(URL, public_data(client, project_code="某某小区二期")).status_code == 302
    linked, typed = Complaint.objects.order_by("id")
    assert linked.project == project and "工程项目" not in linked.matter
    assert typed.project is None and "工程项目：某某小区二期" in typed.matter


def test_public_form_reads_initial_values_from_the_link(yuzhong, project):
    params = {
        "district": "500103",
        "employer": "某建工公司",
        "project": project.code,
        "arrears": "1",
    }
    text = Client().get(URL, params).content.decode()
    assert '<option value="500103" selected>' in text
    assert 'value="某建工公司"' in text and f'value="{project.code}"' in text
    assert 'name="is_wage_arrears" class="form-check-input" id="id_is_wage_arrears" checked' in text
    assert re.search(r'name="violation_types" value="wages"[^>]*checked', text)
    assert not re.search(r'name="violation_types" value="social_insurance"[^>]*checked', text)
