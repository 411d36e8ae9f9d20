"""The park sheet through core.imports: template, row-by-row report, all-or-nothing set-based
commit with audit entries, and the importer's scope (a district imports its own parks, a
township account its township's)."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

import pytest
from django.db.models import Q
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from tests.factories import IndustrialParkFactory, TownshipFactory, township_staff
from yutong.core import roles
from yutong.core.models import AuditEntry, ImportJob
from yutong.registry import history
from yutong.registry.models import IndustrialPark

pytestmark = pytest.mark.django_db

IMPORTS = "/registry/parks/imports/"
HEADERS = ["园区代码", "园区名称", "所在区县", "所在镇街", "设立日期", "地址"]


def write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for values in rows:
        sheet.append([values.get(header, "") for header in HEADERS])
    workbook.save(path)
    return path


def row(n, **overrides):
    return {"园区代码": f"PI{n:03d}", "园区名称": f"导入园区{n}", "所在区县": "渝中区"} | overrides


def upload(client, path) -> ImportJob:
    with open(path, "rb") as handle:
        response = client.post(IMPORTS, {"file": handle})
    assert response.status_code == 302, response.content.decode()[:1000]
    job = ImportJob.objects.get()
    assert response["Location"] == f"{IMPORTS}{job.pk}/"
    job.refresh_from_db()
    return job


def test_the_template_names_the_columns(login_client, district_staff):
    response = login_client(district_staff).get(f"{IMPORTS}template/")
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    page = login_client(district_staff).get(IMPORTS).content.decode()
    assert "批量导入工业园区" in page and f'href="{IMPORTS}template/"' in page


def test_a_good_sheet_is_checked_then_committed(login_client, district_staff, yuzhong, tmp_path):
    street = TownshipFactory(parent=yuzhong, name="七星岗街道")
    path = write_xlsx(
        tmp_path / "parks.xlsx",
        [
            row(1, 所在镇街="七星岗街道", 设立日期="2016-04-01", 地址="中山路 1 号"),
            row(2, 园区代码="pi002", 所在区县="500103"),
        ],
    )
    client = login_client(district_staff)
    job = upload(client, path)
    assert (job.kind, job.status, job.error_count) == ("park", "ready", 0)
    page = client.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert "确认导入 2 行" in page and f"{IMPORTS}{job.pk}/commit/" in page
    assert not IndustrialPark.objects.exists()
    response = client.post(f"{IMPORTS}{job.pk}/commit/")
    assert response["Location"] == f"{IMPORTS}{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 2)
    first = IndustrialPark.objects.get(code="PI001")
    assert (first.township, first.established_on, first.state_since, first.address) == (
        street,
        date(2016, 4, 1),
        date(2016, 4, 1),
        "中山路 1 号",
    )
    assert IndustrialPark.objects.get(code="PI002").is_active
    entries = AuditEntry.objects.filter(action="import_park")
    assert entries.count() == 2
    assert entries.get(object_id=str(first.pk)).changes["import_job"] == [None, job.pk]
    # Counted as of a day from its founding day only, like a park created by hand.
    counted = history.PARKS.as_of_q(date(2016, 3, 31), lambda key: Q(is_active=True))
    assert not IndustrialPark.objects.filter(counted, code="PI001").exists()


def test_a_bad_sheet_is_reported_row_by_row_and_nothing_is_written(
    login_client, district_staff, shapingba, tmp_path
):
    IndustrialParkFactory(code="PTAKEN")
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    path = write_xlsx(
        tmp_path / "bad.xlsx",
        [
            row(1),
            row(2, 园区代码="PI001"),
            row(3, 园区代码="PTAKEN"),
            row(4, 所在区县="沙坪坝区"),
            row(5, 所在区县="火星区"),
            row(6, 所在镇街="不存在街道"),
            row(7, 设立日期=future),
            row(8, 园区名称=""),
        ],
    )
    job = upload(login_client(district_staff), path)
    assert job.status == "invalid"
    found = {(e["row"], e["column"], e["message"]) for e in job.errors}
    assert (3, "园区代码", "与第 2 行重复") in found
    assert (4, "园区代码", "该园区代码已登记") in found
    assert (5, "所在区县", "不在您的管辖范围内") in found
    assert (6, "所在区县", "不是现行的区县级单位") in found
    assert (7, "所在镇街", "渝中区没有该镇街") in found
    assert (8, "设立日期", "不能晚于今天") in found
    assert any(e["row"] == 9 and e["column"] == "园区名称" for e in job.errors)
    assert IndustrialPark.objects.count() == 1


def test_a_township_account_imports_its_townships_parks_only(login_client, towns, tmp_path):
    staff = township_staff(towns.x, roles.DISTRICT_STAFF)
    path = write_xlsx(
        tmp_path / "town.xlsx",
        [row(1, 所在镇街=towns.x.name), row(2, 所在镇街=towns.y.name), row(3)],
    )
    job = upload(login_client(staff), path)
    assert job.status == "invalid"
    rows = {(e["row"], e["column"]) for e in job.errors}
    assert rows == {(3, "所在镇街"), (4, "所在镇街")}
    assert all("园区" in e["message"] or "镇街" in e["message"] for e in job.errors)


def test_another_users_job_and_other_roles(login_client, district_staff, city_admin, mediator):
    job = ImportJob.objects.create(
        kind="park", created_by=city_admin, original_name="x.xlsx", status="invalid"
    )
    assert login_client(district_staff).get(f"{IMPORTS}{job.pk}/").status_code == 404
    assert login_client(mediator).get(IMPORTS).status_code == 403
    # An enterprise job is not a park job.
    own = ImportJob.objects.create(
        kind="enterprise", created_by=district_staff, original_name="e.xlsx", status="invalid"
    )
    assert login_client(district_staff).get(f"{IMPORTS}{own.pk}/").status_code == 404


def test_the_park_report_groups_errors_by_row_with_the_park_name(
    login_client, district_staff, tmp_path
):
    """The park sheet gets the same report as the enterprise sheet (one core page): errors
    grouped under the row and the park's name, and a downloadable list naming it too."""
    path = write_xlsx(
        tmp_path / "bad.xlsx", [row(1, 所在区县="不存在区"), row(2), row(3, 设立日期="昨天")]
    )
    client = login_client(district_staff)
    job = upload(client, path)
    page = client.get(f"{IMPORTS}{job.pk}/").content.decode()
    assert page.count('data-testid="import-error-row"') == 2
    assert "导入园区1" in page and "导入园区3" in page and "导入园区2" not in page
    download = client.get(f"{IMPORTS}{job.pk}/errors/")
    errors = load_workbook(BytesIO(b"".join(download.streaming_content)))
    rows = list(errors.active.iter_rows(values_only=True))
    assert rows[0] == ("行号", "园区名称", "列", "问题")
    assert {r[1] for r in rows[1:]} == {"导入园区1", "导入园区3"}
