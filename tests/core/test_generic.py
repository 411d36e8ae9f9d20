"""Declared lists and edit pages (core/generic.py), the empty state and the number filters, as
the registry's park list and park form use them."""

from datetime import date

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from yutong.core.generic import filters_applied
from yutong.registry import services
from yutong.registry.models import IndustrialPark

pytestmark = pytest.mark.django_db

PARKS = "/registry/parks/"


def render(text: str, **context) -> str:
    return Template("{% load display tables %}" + text).render(Context(context))


def test_money_and_number():
    assert render("{{ a|money }}", a=1234567.5) == "1,234,567.50"
    assert render("{{ a|money }}", a="0.005") == "0.01"
    assert render("{{ a|money }}", a=None) == "—"
    assert render("{{ n|number }}", n=1200000) == "1,200,000"
    assert render("{{ n|number }}", n=0) == "0"
    assert render("{{ n|number }}", n="") == "—"
    assert render("{{ n|number }}", n="1200") == "1,200"
    # A large list's count is an estimate already written out (the indicator drill-down's
    # tabs at city scale): shown as it is, where int() raised and the page answered 500.
    assert render("{{ n|number }}", n="约 613,000") == "约 613,000"


@pytest.mark.parametrize(
    ("query", "applied"),
    [("", False), ("page=2&page_size=50&sort=-name", False), ("q=+", False), ("q=园", True)],
)
def test_paging_and_sorting_are_not_filters(query, applied):
    assert filters_applied(RequestFactory().get(f"/x/?{query}")) is applied


def _park(actor, unit, code, name):
    return services.create_park(
        actor, code=code, name=name, unit=unit, established_on=date(2020, 1, 1)
    )


def test_the_empty_state_says_why(district_staff, yuzhong, login_client):
    client = login_client(district_staff)
    none_yet = client.get(PARKS).content.decode()
    assert 'data-testid="empty-state"' in none_yet
    assert f"{yuzhong.name}范围内尚无园区。" in none_yet
    _park(district_staff, yuzhong, "YZ01", "渝中数字园")
    filtered = client.get(PARKS, {"q": "不存在的园区", "sort": "-name"}).content.decode()
    assert "没有符合筛选条件的园区。" in filtered
    assert 'href="?sort=-name">清除筛选条件' in filtered
    assert "渝中数字园" in client.get(PARKS).content.decode()


def test_export_is_the_filtered_list_and_refuses_too_many_rows(
    district_staff, yuzhong, login_client, settings
):
    for n in range(3):
        _park(district_staff, yuzhong, f"YZ0{n}", f"渝中园{n}")
    client = login_client(district_staff)
    settings.EXPORT_MAX_ROWS = 2
    refused = client.get(f"{PARKS}export/", {"active": ""})
    assert refused.status_code == 302 and refused.url.startswith(PARKS)
    assert "导出结果超过 2 行" in client.get(refused.url).content.decode()
    exported = client.get(f"{PARKS}export/", {"q": "渝中园1"})
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")


def test_edit_page_shows_a_refusal_on_the_form_and_keeps_to_the_scope(
    district_staff, shapingba_staff, yuzhong, shapingba, login_client
):
    park = _park(district_staff, yuzhong, "YZ01", "渝中数字园")
    client = login_client(district_staff)
    # Another park of the same code is refused on the form; nothing is written.
    response = client.post(
        f"{PARKS}new/",
        {"code": "YZ01", "name": "重复园", "unit": yuzhong.pk, "established_on": "2021-01-01"},
    )
    assert response.status_code == 200
    assert "重复园" not in IndustrialPark.objects.values_list("name", flat=True)
    assert "errorlist" in response.content.decode() or "invalid-feedback" in (
        response.content.decode()
    )
    # Another district's park is not found, for reading or editing.
    other = login_client(shapingba_staff)
    assert other.get(f"{PARKS}{park.pk}/edit/").status_code == 404
    assert other.post(f"{PARKS}{park.pk}/edit/", {"name": "改名"}).status_code == 404


def test_clearing_the_filters_keeps_the_tab(district_staff, login_client):
    """A list's choice parameters (here the to-do list's tab) survive 清除筛选条件."""
    page = login_client(district_staff).get(
        "/relations/", {"list": "no_contract", "q": "不存在的企业", "sort": "name"}
    )
    text = page.content.decode()
    assert "没有符合筛选条件的" in text
    assert 'href="?sort=name&amp;list=no_contract">清除筛选条件' in text


@pytest.mark.parametrize("url", [PARKS, f"{PARKS}export/", "/registry/enterprises/"])
def test_a_list_asks_for_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith("/login/")


@pytest.mark.parametrize("url", ["/inspection/blacklist/public/", "/harmony/graded/"])
def test_a_public_list_needs_no_sign_in(client, db, url):
    response = client.get(url, {"sort": "-name"})
    assert response.status_code == 200
    assert 'data-testid="empty-state"' in response.content.decode()


def test_an_export_with_a_bad_filter_is_refused_not_the_whole_list(
    district_staff, yuzhong, login_client
):
    """A bad filter leaves the page unfiltered beside the form's errors; the export says so
    rather than writing every record as if it were the filtered list."""
    _park(district_staff, yuzhong, "YZ01", "渝中数字园")
    client = login_client(district_staff)
    refused = client.get(f"{PARKS}export/", {"active": "不存在的状态"})
    assert refused.status_code == 302 and refused.url.startswith(PARKS)
    assert "筛选条件有误，请修改后再导出。" in client.get(refused.url).content.decode()


def test_a_stray_parameter_is_not_a_filter(district_staff, yuzhong, login_client):
    page = login_client(district_staff).get(PARKS, {"utm_source": "mail"}).content.decode()
    assert f"{yuzhong.name}范围内尚无园区。" in page and "没有符合筛选条件" not in page


def test_a_list_longer_than_the_usual_sizes_offers_its_own(city_admin, login_client):
    """The parameter list shows 200 rows a page: its size selector says so."""
    page = login_client(city_admin).get("/core/parameters/").content.decode()
    assert '<option value="200" selected>200 条</option>' in page
