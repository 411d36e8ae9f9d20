"""Issue 12: the wage pages — safeguards, payroll, the notice board, the project panel and the
public wage-code page — write dates one way (``{% load display %}``)."""

from __future__ import annotations

import re

import pytest

from tests.display_checks import assert_written_one_way
from tests.wages import fixtures
from yutong.core.models import ImportJob

pytestmark = pytest.mark.django_db


def test_wage_pages_write_values_one_way(
    client, login_client, district_staff, contractor_user, project
):
    fixtures.safeguards_in_place(district_staff, project)
    month = fixtures.months_ago(1)
    uploader = login_client(contractor_user)
    rows = fixtures.payroll_rows(project, month)
    uploader.post(f"/wages/projects/{project.pk}/payroll/", {"file": fixtures.sheet(rows)})
    job = ImportJob.objects.get()
    uploader.post(f"/wages/payroll-imports/{job.pk}/commit/")
    staff = login_client(district_staff)
    since = (project.starts_on or month).strftime("%Y-%m-%d")
    pages = {
        f"/wages/projects/{project.pk}/safeguards/": staff,
        f"/wages/projects/{project.pk}/payroll/": staff,
        f"/wages/projects/{project.pk}/payroll/{month:%Y-%m}/": staff,
        f"/wages/projects/{project.pk}/notice-board/": staff,
        f"/registry/projects/{project.pk}/": staff,
        f"/wages/code/{project.pk}/": client,
    }
    for url, reader in pages.items():
        response = reader.get(url)
        assert response.status_code == 200, url
        assert_written_one_way(response.content.decode())
    safeguards = staff.get(f"/wages/projects/{project.pk}/safeguards/").content.decode()
    assert f"{since} 起落实" in safeguards
    board = staff.get(f"/wages/projects/{project.pk}/notice-board/").content.decode()
    assert re.search(r"自 \d{4}-\d{2}-\d{2} 起", board)  # the minimum wage's valid-from day
