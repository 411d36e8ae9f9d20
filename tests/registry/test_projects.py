"""Construction projects: register and edit through the service (validation, audit, optimistic
concurrency), the scoped list with its filters, the project page, Excel export and the API,
and every role boundary (another district, an enterprise account, a reader)."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import UserFactory
from tests.wages import fixtures
from yutong.core import roles
from yutong.core.models import AuditEntry
from yutong.registry import queries, services
from yutong.registry.models import ConstructionProject, ProjectSubcontractor


@pytest.fixture
def parties(yuzhong, shapingba):
    return fixtures.make_parties(yuzhong), fixtures.make_parties(shapingba)


@pytest.fixture
def yz_project(district_staff, yuzhong, parties):
    owner, contractor, sub = parties[0]
    return fixtures.register(
        district_staff, yuzhong, owner, contractor, [(sub, "劳务分包")], name="解放碑综合体工程"
    )


@pytest.fixture
def spb_project(shapingba_staff, shapingba, parties):
    owner, contractor, _ = parties[1]
    return fixtures.register(shapingba_staff, shapingba, owner, contractor, name="沙坪坝大学城工程")


def _enterprise_user(enterprise, username):
    from tests.wages.conftest import _enterprise_account

    return _enterprise_account(enterprise, username)


# --- services -------------------------------------------------------------------------------


def test_register_writes_parties_and_masked_audit(yz_project, parties):
    owner, contractor, sub = parties[0]
    assert yz_project.owner == owner and yz_project.general_contractor == contractor
    row = ProjectSubcontractor.objects.get(project=yz_project)
    assert row.enterprise == sub and row.scope_of_work == "劳务分包"
    project = ConstructionProject.objects.get(pk=yz_project.pk)
    assert project.labour_officer_phone == fixtures.OFFICER_PHONE  # decrypted on read
    entry = AuditEntry.objects.get(action="register_project", object_id=str(project.pk))
    assert entry.changes["labour_officer_phone"] == [None, fixtures.MASKED_OFFICER_PHONE]
    assert entry.changes["general_contractor"] == [None, contractor.uscc]
    assert fixtures.OFFICER_PHONE not in str(entry.changes)


def test_register_rejects_bad_input_per_field(district_staff, yuzhong, parties):
    owner, contractor, sub = parties[0]
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        fixtures.register(
            district_staff,
            yuzhong,
            owner,
            owner,
            [(owner, "")],
            starts_on=None,
            planned_completion_on=today - timedelta(days=400),
            contract_amount=Decimal("-1"),
            labour_officer_phone="12345",
        )
    errors = caught.value.message_dict
    assert set(errors) >= {"starts_on", "general_contractor", "labour_officer_phone"}
    assert "contract_amount" in errors
    assert not ConstructionProject.objects.exists()


def test_register_refuses_completed_without_date_and_contractor_as_subcontractor(
    district_staff, yuzhong, parties
):
    owner, contractor, _ = parties[0]
    with pytest.raises(ValidationError) as caught:
        fixtures.register(
            district_staff, yuzhong, owner, contractor, [(contractor, "")], status="completed"
        )
    assert set(caught.value.message_dict) == {"completed_on", "subcontractors"}


def test_register_outside_own_district_is_refused(district_staff, shapingba, parties):
    owner, contractor, _ = parties[1]
    with pytest.raises(PermissionDenied):
        fixtures.register(district_staff, shapingba, owner, contractor)


@pytest.mark.parametrize("role", [roles.MEDIATOR, roles.AUDITOR, roles.UNION_OFFICER])
def test_only_project_editors_register(role, yuzhong, parties):
    owner, contractor, _ = parties[0]
    user = UserFactory(unit=yuzhong, roles=[role])
    with pytest.raises(PermissionDenied):
        fixtures.register(user, yuzhong, owner, contractor)


def test_inspector_registers(yuzhong, parties):
    owner, contractor, _ = parties[0]
    inspector = UserFactory(unit=yuzhong, roles=[roles.INSPECTOR])
    assert fixtures.register(inspector, yuzhong, owner, contractor).pk


def test_duplicate_code_is_a_field_error(district_staff, yuzhong, parties, yz_project):
    owner, contractor, _ = parties[0]
    with pytest.raises(ValidationError) as caught:
        fixtures.register(district_staff, yuzhong, owner, contractor, code=yz_project.code)
    assert caught.value.message_dict["code"] == ["该项目编号已登记。"]


def test_update_is_audited_and_versioned(district_staff, yz_project, parties):
    _, _, sub = parties[1]
    updated = services.update_project(
        district_staff,
        yz_project,
        expected_version=1,
        status="suspended",
        subcontractors=[(sub, "钢结构")],
    )
    assert updated.version == 2 and updated.status == "suspended"
    assert list(updated.subcontractors.all()) == [sub]
    entry = AuditEntry.objects.get(action="update_project")
    assert entry.changes["status"] == ["under_construction", "suspended"]
    assert sub.uscc in entry.changes["subcontractors"][1]
    with pytest.raises(ValidationError) as stale:
        services.update_project(district_staff, yz_project, expected_version=1, name="新名称")
    assert stale.value.code == "conflict"


def test_update_without_change_writes_nothing(district_staff, yz_project):
    services.update_project(district_staff, yz_project, expected_version=1, name=yz_project.name)
    assert not AuditEntry.objects.filter(action="update_project").exists()
    assert ConstructionProject.objects.get(pk=yz_project.pk).version == 1


def test_other_district_cannot_update(shapingba_staff, yz_project):
    with pytest.raises(PermissionDenied):
        services.update_project(shapingba_staff, yz_project, name="越权修改")


# --- scope --------------------------------------------------------------------------------


def test_scope_by_unit_and_enterprise_party(
    district_staff, shapingba_staff, city_admin, yz_project, spb_project, parties
):
    assert list(queries.projects_visible_to(district_staff)) == [yz_project]
    assert list(queries.projects_visible_to(shapingba_staff)) == [spb_project]
    assert set(queries.projects_visible_to(city_admin)) == {yz_project, spb_project}
    owner, contractor, sub = parties[0]
    for enterprise, name in ((owner, "o"), (contractor, "c"), (sub, "s")):
        user = _enterprise_user(enterprise, f"ent_{name}")
        assert list(queries.projects_visible_to(user)) == [yz_project]
    outsider = _enterprise_user(parties[1][2], "ent_other")  # 沙坪坝's subcontractor: no role
    assert list(queries.projects_visible_to(outsider)) == []


# --- views ----------------------------------------------------------------------------------


def test_list_filters_and_pages(login_client, city_admin, yz_project, spb_project, parties):
    client = login_client(city_admin)
    response = client.get("/registry/projects/")
    assert response.status_code == 200
    assert yz_project.name in response.text and spb_project.name in response.text
    response = client.get("/registry/projects/", {"unit": "500106"})
    assert spb_project.name in response.text and yz_project.name not in response.text
    response = client.get("/registry/projects/", {"contractor": parties[0][1].uscc})
    assert yz_project.name in response.text and spb_project.name not in response.text
    response = client.get("/registry/projects/", {"q": "大学城"})
    assert spb_project.name in response.text and yz_project.name not in response.text
    response = client.get("/registry/projects/", {"status": "completed"})
    assert "没有符合筛选条件的项目" in response.text
    response = client.get("/registry/projects/", {"colour": "purple"})
    assert "筛选条件有误" in response.text


def test_other_district_cannot_read_or_edit_through_ui(login_client, shapingba_staff, yz_project):
    client = login_client(shapingba_staff)
    assert yz_project.name not in client.get("/registry/projects/").text
    assert client.get(f"/registry/projects/{yz_project.pk}/").status_code == 404
    assert client.get(f"/registry/projects/{yz_project.pk}/edit/").status_code == 404
    response = client.post(f"/registry/projects/{yz_project.pk}/edit/", {"name": "x"})
    assert response.status_code == 404


def test_export_is_scoped_and_masked(login_client, district_staff, yz_project, spb_project):
    response = login_client(district_staff).get("/registry/projects/export/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "项目编号"
    assert [row[1] for row in rows[1:]] == [yz_project.name]
    assert rows[1][13] == fixtures.MASKED_OFFICER_PHONE


def test_detail_shows_parties_and_masked_phone(login_client, district_staff, yz_project):
    response = login_client(district_staff).get(f"/registry/projects/{yz_project.pk}/")
    assert response.status_code == 200
    assert yz_project.general_contractor.name in response.text
    assert fixtures.MASKED_OFFICER_PHONE in response.text
    assert fixtures.OFFICER_PHONE not in response.text


def test_register_through_the_form(login_client, district_staff, yuzhong, parties):
    owner, contractor, sub = parties[0]
    client = login_client(district_staff)
    data = {
        "code": "500103202611240001",
        "name": "较场口改造工程",
        "unit": yuzhong.pk,
        "owner": owner.uscc,
        "general_contractor": contractor.uscc,
        "subcontractors": f"{sub.uscc} 劳务分包",
        "contract_amount": "12000000",
        "starts_on": fixtures.months_ago(1).isoformat(),
        "status": "under_construction",
        "labour_officer": "陈专管",
        "labour_officer_phone": "13800001111",
    }
    response = client.post("/registry/projects/new/", data)
    project = ConstructionProject.objects.get(code="500103202611240001")
    assert response.status_code == 302 and response.url == f"/registry/projects/{project.pk}/"
    assert ProjectSubcontractor.objects.get(project=project).scope_of_work == "劳务分包"
    bad = dict(data, code="X2", owner="91500000MA00000000", subcontractors="123")
    response = client.post("/registry/projects/new/", bad)
    assert response.status_code == 200
    assert "企业名录中没有该统一社会信用代码" in response.text
    assert "企业名录中没有这些统一社会信用代码" in response.text
    assert not ConstructionProject.objects.filter(code="X2").exists()


def test_edit_form_with_stale_version_says_so(login_client, district_staff, yz_project):
    client = login_client(district_staff)
    services.update_project(district_staff, yz_project, name="别人先改了")
    form = client.get(f"/registry/projects/{yz_project.pk}/edit/")
    assert form.status_code == 200
    data = {
        "version": 1,
        "name": "我的修改",
        "unit": yz_project.unit_id,
        "owner": yz_project.owner.uscc,
        "general_contractor": yz_project.general_contractor.uscc,
        "contract_amount": "50000000",
        "starts_on": yz_project.starts_on.isoformat(),
        "status": "under_construction",
    }
    response = client.post(f"/registry/projects/{yz_project.pk}/edit/", data)
    assert response.status_code == 200
    assert "已被他人修改" in response.text
    assert ConstructionProject.objects.get(pk=yz_project.pk).name == "别人先改了"


def test_readers_cannot_reach_the_forms(login_client, mediator, enterprise_user):
    for user in (mediator, enterprise_user):
        assert login_client(user).get("/registry/projects/new/").status_code == 403


# --- API ------------------------------------------------------------------------------------


def _payload(parties, unit="500103", **changes):
    owner, contractor, sub = parties
    data = {
        "code": "API-0001",
        "name": "两路口立交工程",
        "unit": unit,
        "owner": owner.uscc,
        "general_contractor": contractor.uscc,
        "subcontractors": [{"enterprise": sub.uscc, "scope_of_work": "劳务"}],
        "contract_amount": "8800000.00",
        "starts_on": fixtures.months_ago(2).isoformat(),
        "status": "under_construction",
        "labour_officer": "周专管",
        "labour_officer_phone": "13700002222",
    }
    data.update(changes)
    return data


def test_api_create_read_update(api_client, district_staff, parties):
    client = api_client(district_staff)
    response = client.post("/api/v1/projects/", _payload(parties[0]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["labour_officer_phone_masked"] == "137****2222"
    assert "labour_officer_phone" not in body
    assert body["subcontractors"] == [{"enterprise": parties[0][2].uscc, "scope_of_work": "劳务"}]
    assert body["wage_code_colour"] in ("green", "yellow", "red")
    url = f"/api/v1/projects/{body['id']}/"
    assert client.get(url).json()["code"] == "API-0001"
    response = client.patch(url, {"status": "suspended", "version": 1}, format="json")
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = client.patch(url, {"name": "旧版本", "version": 1}, format="json")
    assert stale.status_code == 409
    listed = client.get("/api/v1/projects/", {"status": "suspended"}).json()
    assert [row["id"] for row in listed["results"]] == [body["id"]]


def test_api_bad_input_is_400_per_field(api_client, district_staff, parties):
    client = api_client(district_staff)
    payload = _payload(
        parties[0], contract_amount="abc", general_contractor="91500000MA00000000", starts_on=""
    )
    response = client.post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert {"contract_amount", "general_contractor", "starts_on"} <= set(response.json())
    payload = _payload(parties[0], planned_completion_on="2000-01-01")
    response = client.post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400 and "planned_completion_on" in response.json()
    assert not ConstructionProject.objects.exists()


def test_api_scope(api_client, shapingba_staff, enterprise_user, yz_project, parties):
    client = api_client(shapingba_staff)
    assert client.get(f"/api/v1/projects/{yz_project.pk}/").status_code == 404
    response = client.patch(f"/api/v1/projects/{yz_project.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 404
    assert client.get("/api/v1/projects/").json()["results"] == []
    response = client.post("/api/v1/projects/", _payload(parties[0]), format="json")
    assert response.status_code == 400 and "unit" in response.json()  # not one of its units
    ent = api_client(enterprise_user)
    assert ent.get("/api/v1/projects/").json()["results"] == []
    response = ent.post("/api/v1/projects/", _payload(parties[0], code="E-1"), format="json")
    assert response.status_code == 403


def test_api_enterprise_party_reads_but_cannot_edit(api_client, yz_project, parties):
    contractor_user = _enterprise_user(parties[0][1], "gc_api")
    client = api_client(contractor_user)
    assert client.get(f"/api/v1/projects/{yz_project.pk}/").status_code == 200
    response = client.patch(f"/api/v1/projects/{yz_project.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 403
