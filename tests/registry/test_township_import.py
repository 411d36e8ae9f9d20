"""Enterprise import by a township account: rows of its own township (under its district) are
imported; rows of other townships or districts, or without a township, get a row error."""

from __future__ import annotations

import pytest

from tests.factories import make_uscc, township_staff
from tests.registry.test_import_export import IMPORTS, job_of, row, upload, write_xlsx
from yutong.core import roles
from yutong.core.models import AuditEntry
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db


@pytest.fixture
def street(towns):
    return township_staff(towns.x, roles.DISTRICT_STAFF)


def test_a_township_account_imports_its_townships_enterprises(
    street, towns, units, login_client, tmp_path
):
    path = write_xlsx(
        tmp_path / "street.xlsx",
        [row(1, 所属镇街="解放碑街道"), row(2, 所属区县="500103", 所属镇街=towns.x.code)],
    )
    client = login_client(street)
    job = job_of(upload(client, path))
    job.refresh_from_db()
    assert (job.status, job.errors) == ("ready", [])
    assert client.post(f"{IMPORTS}{job.pk}/commit/").status_code == 302
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 2)
    made = Enterprise.objects.filter(
        uscc__in=[make_uscc("500103", 9001), make_uscc("500103", 9002)]
    )
    assert {(e.unit, e.township) for e in made} == {(units.yuzhong, towns.x)}
    assert AuditEntry.objects.filter(action="import_enterprise", actor=street).count() == 2


def test_rows_outside_the_township_are_refused_row_by_row(street, towns, login_client, tmp_path):
    path = write_xlsx(
        tmp_path / "outside.xlsx",
        [
            row(1, 所属镇街="解放碑街道"),
            row(2, 所属镇街="七星岗街道"),
            row(3),
            row(4, 所属区县="沙坪坝区", 所属镇街="小龙坎街道"),
            row(5, 所属区县="沙坪坝区"),
        ],
    )
    job = job_of(upload(login_client(street), path))
    job.refresh_from_db()
    assert job.status == "invalid"
    assert [(e["row"], e["label"], e["column"], e["message"]) for e in job.errors] == [
        (3, "导入测试2有限公司", "所属镇街", "不在您的管辖范围内（只能导入解放碑街道的企业）"),
        (4, "导入测试3有限公司", "所属镇街", "请填写您所在的镇街（解放碑街道）"),
        (5, "导入测试4有限公司", "所属区县", "不在您的管辖范围内"),
        (6, "导入测试5有限公司", "所属区县", "不在您的管辖范围内"),
    ]
    assert not Enterprise.objects.exists()


def test_a_district_account_still_imports_any_of_its_townships(
    district_staff, towns, login_client, tmp_path
):
    path = write_xlsx(
        tmp_path / "district.xlsx",
        [row(1, 所属镇街="解放碑街道"), row(2, 所属镇街="七星岗街道"), row(3)],
    )
    job = job_of(upload(login_client(district_staff), path))
    job.refresh_from_db()
    assert (job.status, job.errors) == ("ready", [])
