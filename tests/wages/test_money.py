"""Amounts of yuan on the wage pages are written one way (``|money``: thousands separators, two
decimals), counts with ``|number``, both right-aligned (issue #13)."""

from __future__ import annotations

import pytest

from tests.wages import fixtures
from yutong.core.models import ImportJob

pytestmark = pytest.mark.django_db


def test_payroll_pages_write_money_with_separators(login_client, contractor_user, project):
    client = login_client(contractor_user)
    month = fixtures.months_ago(1)
    rows = fixtures.payroll_rows(project, month, workers=2, due="12345.6")
    client.post(f"/wages/projects/{project.pk}/payroll/", {"file": fixtures.sheet(rows)})
    client.post(f"/wages/payroll-imports/{ImportJob.objects.get().pk}/commit/")
    months = client.get(f"/wages/projects/{project.pk}/payroll/").text
    assert '<td class="num">24,691.20</td>' in months  # the month's total due
    detail = client.get(f"/wages/projects/{project.pk}/payroll/{month:%Y-%m}/").text
    assert '<td class="num">12,345.60</td>' in detail
    assert "12345.6" not in detail


def test_settings_and_safeguards_write_money(login_client, city_admin, district_staff, project):
    settings_page = login_client(city_admin).get("/wages/settings/").text
    assert "3,000,000.00" in settings_page  # the exemption's contract amount, in yuan
    safeguards = login_client(district_staff).get(f"/wages/projects/{project.pk}/safeguards/").text
    assert " 元" in safeguards and "," in safeguards.split("应存：")[1].split("元")[0]
