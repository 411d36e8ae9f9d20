"""Issue 12: an enterprise account's home page names its company and shows only what concerns
it; staff keep their workbench."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_enterprise_home_names_the_company_and_shows_no_staff_cards(
    login_client, enterprise_user, own_enterprise
):
    page = login_client(enterprise_user).get("/").content.decode()
    assert f'data-testid="home-company">{own_enterprise.name}<' in page
    assert "本企业登记信息" in page and f"/registry/enterprises/{own_enterprise.uscc}/" in page
    assert "本企业参建的在建项目" in page
    for staff_card in ("企业（存续经营）", "已建工会企业", '<h1 class="h4">工作台<', "被催办"):
        assert staff_card not in page


def test_staff_home_keeps_the_workbench(login_client, district_staff):
    page = login_client(district_staff).get("/").content.decode()
    assert '<h1 class="h4">工作台<' in page and "企业（存续经营）" in page
    assert 'data-testid="home-company"' not in page
