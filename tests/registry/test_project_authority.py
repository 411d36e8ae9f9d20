"""The project's industry authority (行业主管部门, 《保障农民工工资支付条例》第十条): recorded
on the project through the service, the form and the API, and printed on the public wage-code
page in place of the human-resources bureau (issue 12)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.wages import fixtures
from yutong.registry import services
from yutong.registry.models import ConstructionProject

pytestmark = pytest.mark.django_db

AUTHORITY = "渝中区住房和城乡建设委员会"


@pytest.fixture
def project(district_staff, yuzhong):
    owner, contractor, _ = fixtures.make_parties(yuzhong)
    return fixtures.register(district_staff, yuzhong, owner, contractor, name="较场口改造工程")


def test_the_wage_code_page_names_the_projects_authority(district_staff, project):
    services.update_project(district_staff, project, sector="housing", authority=AUTHORITY)
    page = Client().get(f"/wages/code/{project.pk}/").content.decode()
    assert f"{AUTHORITY}（房屋建筑和市政基础设施工程）" in page
    assert "人力资源和社会保障局（劳动保障监察机构）" not in page


def test_an_unrecorded_authority_is_said_to_be_unrecorded(project):
    page = Client().get(f"/wages/code/{project.pk}/").content.decode()
    assert "人力资源和社会保障局（劳动保障监察机构）" not in page
    assert 'data-testid="authority">未登记' in page


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sector": "transport"}, "authority"),
        ({"sector": "water", "authority": "  "}, "authority"),
        ({"authority": AUTHORITY}, "sector"),
        ({"sector": "mining", "authority": AUTHORITY}, "sector"),
    ],
)
def test_sector_and_authority_go_together(district_staff, project, changes, field):
    with pytest.raises(ValidationError) as excinfo:
        services.update_project(district_staff, project, **changes)
    assert field in excinfo.value.message_dict
    stored = ConstructionProject.objects.get(pk=project.pk)
    assert (stored.sector, stored.authority, stored.version) == ("", "", project.version)


def test_the_form_and_the_api_record_it(district_staff, project, login_client, api_client):
    response = api_client(district_staff).patch(
        f"/api/v1/projects/{project.pk}/",
        {"sector": "water", "authority": "重庆市水利局", "version": project.version},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (response.json()["sector"], response.json()["authority"]) == ("water", "重庆市水利局")
    bad = api_client(district_staff).patch(
        f"/api/v1/projects/{project.pk}/", {"authority": ""}, format="json"
    )
    assert bad.status_code == 400 and "authority" in bad.json()
    client = login_client(district_staff)
    form = client.get(f"/registry/projects/{project.pk}/edit/").content.decode()
    assert 'name="sector"' in form and 'name="authority"' in form
    detail = client.get(f"/registry/projects/{project.pk}/").content.decode()
    assert "重庆市水利局（水利工程）" in detail
