"""Township accounts in wages: a project's safeguards and payroll follow the project, so a
township account reads and keeps those of its township's projects, and of no other."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import EnterpriseFactory, township_staff
from yutong.core import roles
from yutong.registry.models import ConstructionProject
from yutong.wages import queries, services

pytestmark = pytest.mark.django_db


def project(code, unit, township, name):
    return ConstructionProject.objects.create(
        code=code,
        name=name,
        unit=unit,
        township=township,
        owner=EnterpriseFactory(unit=unit, name=f"{name}建设单位"),
        general_contractor=EnterpriseFactory(unit=unit, name=f"{name}总包"),
        contract_amount=Decimal("5000000"),
        starts_on=date(2026, 3, 1),
        status="under_construction",
    )


@pytest.fixture
def projects(units, towns):
    return {
        "x": project("W-X", units.yuzhong, towns.x, "解放碑地铁站项目"),
        "y": project("W-Y", units.yuzhong, towns.y, "七星岗隧道项目"),
        "z": project("W-Z", units.shapingba, towns.z, "小龙坎学校项目"),
    }


@pytest.fixture
def street(towns):
    return township_staff(towns.x, roles.INSPECTOR)


def test_a_street_keeps_the_safeguards_of_its_projects_only(street, projects):
    kept = services.record_safeguard(
        street, projects["x"], "real_name", in_place_since=date(2026, 3, 1)
    )
    assert kept.project == projects["x"]
    for key in ("y", "z"):
        with pytest.raises(PermissionDenied):
            services.record_safeguard(
                street, projects[key], "real_name", in_place_since=date(2026, 3, 1)
            )


def test_a_street_reads_the_payroll_and_pages_of_its_projects_only(
    street, projects, login_client, api_client
):
    assert queries.can_read_payroll(street, projects["x"]) is True
    assert services.can_upload_payroll(street, projects["x"]) is True
    for key in ("y", "z"):
        assert queries.can_read_payroll(street, projects[key]) is False
        assert services.can_upload_payroll(street, projects[key]) is False
    page, api = login_client(street), api_client(street)
    assert page.get(f"/wages/projects/{projects['x'].pk}/safeguards/").status_code == 200
    assert api.get(f"/api/v1/projects/{projects['x'].pk}/safeguards/").status_code == 200
    for key in ("y", "z"):
        assert page.get(f"/wages/projects/{projects[key].pk}/safeguards/").status_code == 404
        assert api.get(f"/api/v1/projects/{projects[key].pk}/safeguards/").status_code == 404
