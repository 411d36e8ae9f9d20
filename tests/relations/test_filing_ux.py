"""Issue 12: 用工备案 shows signing rates as percentages, and a district merged before the month
is not listed: its filings count under the district that took it over."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import EnterpriseFactory
from yutong.core import services as core_services
from yutong.relations import services

pytestmark = pytest.mark.django_db

JUNE = date(2025, 6, 1)


def file(actor, firm, employees, contracted):
    return services.file_employment(
        actor,
        enterprise=firm,
        period=JUNE,
        employees=employees,
        contracted=contracted,
        dispatched=0,
        insured=employees,
    )


def test_rates_are_percentages_and_a_merged_district_is_not_listed(
    login_client, city_admin, yuzhong, jiangbei
):
    file(city_admin, EnterpriseFactory(unit=yuzhong, name="渝中甲公司"), 1000, 931)
    file(city_admin, EnterpriseFactory(unit=jiangbei, name="江北乙公司"), 1000, 869)
    core_services.end_org_unit(city_admin, jiangbei, valid_to=date(2025, 3, 31), successor=yuzhong)
    page = login_client(city_admin).get("/relations/filings/?period=2025-06").content.decode()
    table = page.split('data-testid="rate-table"')[1].split("</table>")[0]
    assert jiangbei.name not in table and yuzhong.name in table
    assert "90.0%" in table  # (931 + 869) / 2000, both under 渝中区
    rows = page.split('data-testid="filing-table"')[1].split("</table>")[0]
    assert "93.1%" in rows and "86.9%" in rows and "0.931" not in rows
    assert jiangbei.name not in rows


def test_a_month_before_the_merger_keeps_the_old_district(
    login_client, city_admin, yuzhong, jiangbei
):
    file(city_admin, EnterpriseFactory(unit=jiangbei, name="江北乙公司"), 10, 5)
    core_services.end_org_unit(city_admin, jiangbei, valid_to=date(2025, 8, 31), successor=yuzhong)
    page = login_client(city_admin).get("/relations/filings/?period=2025-06").content.decode()
    table = page.split('data-testid="rate-table"')[1].split("</table>")[0]
    assert jiangbei.name in table and "50.0%" in table
