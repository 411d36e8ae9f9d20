"""The 工业园区 pages: list (filters in the database, pages), park page (its enterprises, its
history), the create/edit/close/reopen forms and the Excel export — each within the reader's
units: another district's park is neither listed, shown, changed nor exported."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import EnterpriseFactory, IndustrialParkFactory, TownshipFactory
from yutong.registry import services
from yutong.registry.models import IndustrialPark, ParkState

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LIST = "/registry/parks/"


@pytest.fixture
def parks(yuzhong, shapingba):
    street = TownshipFactory(parent=yuzhong, name="解放碑街道")
    return {
        "yz": IndustrialParkFactory(code="PYZ1", name="渝中数字产业园", unit=yuzhong),
        "yz_street": IndustrialParkFactory(
            code="PYZ2", name="解放碑创意园", unit=yuzhong, township=street
        ),
        "yz_shut": IndustrialParkFactory(
            code="PYZ3", name="渝中老工业园", unit=yuzhong, is_active=False
        ),
        "spb": IndustrialParkFactory(code="PSPB", name="沙坪坝物流园", unit=shapingba),
    }


def _rows(response) -> str:
    assert response.status_code == 200, response.content.decode()[:500]
    return response.content.decode().split('data-testid="park-table"')[1].split("</table>")[0]


def test_the_list_shows_the_readers_parks_only(login_client, district_staff, parks):
    table = _rows(login_client(district_staff).get(LIST))
    assert "渝中数字产业园" in table and "渝中老工业园" in table
    assert "沙坪坝物流园" not in table


def test_the_list_filters_by_name_district_and_state(login_client, city_admin, parks, yuzhong):
    client = login_client(city_admin)
    assert "沙坪坝物流园" in _rows(client.get(LIST))
    by_name = _rows(client.get(LIST, {"q": "创意"}))
    assert "解放碑创意园" in by_name and "渝中数字产业园" not in by_name
    assert "渝中数字产业园" in _rows(client.get(LIST, {"q": "pyz1"}))  # the code, any case
    in_yuzhong = _rows(client.get(LIST, {"unit": yuzhong.code}))
    assert "沙坪坝物流园" not in in_yuzhong and "渝中数字产业园" in in_yuzhong
    closed = _rows(client.get(LIST, {"active": "no"}))
    assert "渝中老工业园" in closed and "渝中数字产业园" not in closed
    street = parks["yz_street"].township
    only_street = _rows(client.get(LIST, {"unit": yuzhong.code, "township": street.code}))
    assert "解放碑创意园" in only_street and "渝中数字产业园" not in only_street


def test_the_list_pages(login_client, city_admin, yuzhong):
    for n in range(30):
        IndustrialParkFactory(code=f"PG{n:02d}", name=f"分页园区{n:02d}", unit=yuzhong)
    client = login_client(city_admin)
    first = _rows(client.get(LIST, {"page_size": 20}))
    second = _rows(client.get(LIST, {"page_size": 20, "page": 2}))
    shown = [f"分页园区{n:02d}" for n in range(30)]
    assert all((name in first) != (name in second) for name in shown)


def test_the_park_page_counts_its_enterprises_and_shows_its_history(
    login_client, district_staff, city_admin, parks, yuzhong
):
    park = parks["yz"]
    EnterpriseFactory(unit=yuzhong, park=park, name="园内甲有限公司")
    EnterpriseFactory(unit=yuzhong, park=park, status="deregistered", name="园内乙有限公司")
    EnterpriseFactory(unit=yuzhong, name="园外丙有限公司")
    services.update_park(
        district_staff,
        park,
        effective_on=TODAY - timedelta(days=3),
        township=parks["yz_street"].township,
    )
    page = login_client(district_staff).get(f"/registry/parks/{park.pk}/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "2 家（存续经营 1 家）" in text
    assert "园内甲有限公司" in text and "园外丙有限公司" not in text
    history = text.split('data-testid="park-history"')[1]
    assert f"至 {(TODAY - timedelta(days=4)).isoformat()}" in history
    audit_reader = login_client(city_admin).get(f"/registry/parks/{park.pk}/")
    assert "修改园区信息" in audit_reader.content.decode()  # the audit trail, labelled


def test_another_districts_park_is_a_404_everywhere(login_client, district_staff, parks):
    client = login_client(district_staff)
    other = parks["spb"]
    for path in ("", "edit/"):
        assert client.get(f"/registry/parks/{other.pk}/{path}").status_code == 404
    response = client.post(f"/registry/parks/{other.pk}/edit/", {"name": "改名"})
    assert response.status_code == 404
    assert client.post(f"/registry/parks/{other.pk}/status/", {}).status_code == 404
    other.refresh_from_db()
    assert (other.name, other.is_active) == ("沙坪坝物流园", True)


def test_readers_without_an_editing_role(login_client, mediator, enterprise_user, parks):
    client = login_client(mediator)
    page = client.get(f"/registry/parks/{parks['yz'].pk}/").content.decode()
    assert "撤销园区" not in page and "编辑" not in page
    assert client.get("/registry/parks/new/").status_code == 403
    assert client.post(f"/registry/parks/{parks['yz'].pk}/status/", {}).status_code == 403
    # An enterprise account reads no park list.
    assert login_client(enterprise_user).get(LIST).status_code == 403


def test_create_and_edit_through_the_forms(login_client, district_staff, yuzhong, shapingba):
    client = login_client(district_staff)
    assert "登记工业园区" in client.get("/registry/parks/new/").content.decode()
    data = {"code": "pnew", "name": "新园区", "unit": yuzhong.pk, "established_on": "2020-01-02"}
    response = client.post("/registry/parks/new/", data)
    park = IndustrialPark.objects.get(code="PNEW")
    assert response["Location"] == f"/registry/parks/{park.pk}/"
    assert park.established_on == date(2020, 1, 2)
    # Bad input: Chinese messages on the form, nothing written.
    response = client.post("/registry/parks/new/", data | {"name": "重复"})
    assert "该园区代码已登记。" in response.content.decode()
    response = client.post(
        "/registry/parks/new/", {"code": "P2", "name": "外区", "unit": shapingba.pk}
    )
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert IndustrialPark.objects.count() == 1
    edit = f"/registry/parks/{park.pk}/edit/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"name": "更名园区", "unit": yuzhong.pk, "version": 1, "established_on": "2020-01-02"}
    )
    assert response.status_code == 302
    assert IndustrialPark.objects.get(pk=park.pk).name == "更名园区"
    stale = client.post(edit, {"name": "再改", "unit": yuzhong.pk, "version": 1})
    assert "已被他人修改" in stale.content.decode()


def test_close_and_reopen_from_the_park_page(login_client, district_staff, parks):
    park = parks["yz"]
    client = login_client(district_staff)
    page = client.get(f"/registry/parks/{park.pk}/").content.decode()
    assert "撤销园区" in page
    closed_on = TODAY - timedelta(days=2)
    response = client.post(
        f"/registry/parks/{park.pk}/status/", {"closed_on": closed_on.isoformat(), "version": 1}
    )
    assert response.status_code == 302
    park.refresh_from_db()
    assert (park.is_active, park.closed_on) == (False, closed_on)
    page = client.get(f"/registry/parks/{park.pk}/").content.decode()
    assert "恢复运营" in page and "已撤销" in page
    future = (TODAY + timedelta(days=1)).isoformat()
    response = client.post(f"/registry/parks/{park.pk}/status/", {"reopened_on": future})
    followed = client.get(response["Location"]).content.decode()
    assert "日期不能晚于今天。" in followed
    client.post(f"/registry/parks/{park.pk}/status/", {"reopened_on": TODAY.isoformat()})
    park.refresh_from_db()
    assert park.is_active and ParkState.objects.filter(park=park).count() == 2


def test_navigation_has_the_park_list_for_staff(login_client, mediator, enterprise_user):
    assert 'href="/registry/parks/"' in login_client(mediator).get("/").content.decode()
    assert 'href="/registry/parks/"' not in login_client(enterprise_user).get("/").content.decode()


def test_the_export_holds_the_readers_parks_as_filtered(
    login_client, district_staff, parks, yuzhong
):
    EnterpriseFactory(unit=yuzhong, park=parks["yz"])
    response = login_client(district_staff).get("/registry/parks/export/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("园区代码", "园区名称")
    by_code = {row[0]: row for row in rows[1:]}
    assert set(by_code) == {"PYZ1", "PYZ2", "PYZ3"}
    assert by_code["PYZ1"][4] == "运营中" and by_code["PYZ1"][8] == 1
    assert by_code["PYZ3"][4] == "已撤销"
    filtered = login_client(district_staff).get("/registry/parks/export/", {"active": "no"})
    sheet = load_workbook(BytesIO(b"".join(filtered.streaming_content))).active
    assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["PYZ3"]
