"""The registry lists (mediation bodies, arbitration commissions, lawyers) and the people on a
body's or commission's page, as declarations on core/generic.py: sortable headers, the empty
state that says why, the district boundary; and the queues' empty state."""

from __future__ import annotations

import pytest

from tests.disputes.test_views import MEDIATION
from yutong.disputes.models import (
    ArbitrationCommission,
    Arbitrator,
    Lawyer,
    MediationBody,
    Mediator,
)

pytestmark = pytest.mark.django_db


def _body(unit, name, code):
    return MediationBody.objects.create(code=code, name=name, kind="industry", unit=unit)


def _commission(unit, name, code):
    return ArbitrationCommission.objects.create(code=code, name=name, unit=unit, short_name=code)


def _lawyer(unit, name, code):
    return Lawyer.objects.create(name=name, firm=f"{code}律师事务所", unit=unit)


# kind: (list URL, make(unit, name, code), the noun of the empty state, the row's edit URL)
LISTS = {
    "bodies": ("/disputes/bodies/", _body, "调解组织", "/disputes/bodies/{}/edit/"),
    "commissions": (
        "/disputes/commissions/",
        _commission,
        "仲裁委员会",
        "/disputes/commissions/{}/edit/",
    ),
    "lawyers": ("/disputes/lawyers/", _lawyer, "律师", "/disputes/lawyers/{}/edit/"),
}
DEACTIVATE = {
    "bodies": "/disputes/bodies/{}/deactivate/",
    "commissions": "/disputes/commissions/{}/deactivate/",
    "lawyers": "/disputes/lawyers/{}/deactivate/",
}


def names(response) -> list[str]:
    assert response.status_code == 200
    return [row.name for row in response.context["object_list"]]


@pytest.mark.parametrize("kind", LISTS)
def test_a_header_sorts_the_list_both_ways(login_client, district_staff, yuzhong, kind):
    url, make, _, _ = LISTS[kind]
    # The codes run the other way from the names, so the two sorts differ.
    make(yuzhong, "1号甲", "Z9")
    make(yuzhong, "2号乙", "A1")
    client = login_client(district_staff)
    page = client.get(url)
    assert names(page) == ["1号甲", "2号乙"]  # the default: district, then name
    assert 'data-sort="name"' in page.content.decode()
    descending = client.get(url, {"sort": "-name"})
    assert names(descending) == ["2号乙", "1号甲"]
    assert 'aria-sort="descending"' in descending.content.decode()
    assert names(client.get(url, {"sort": "name"})) == ["1号甲", "2号乙"]
    # An unknown column keeps the default order.
    assert names(client.get(url, {"sort": "phone"})) == ["1号甲", "2号乙"]


@pytest.mark.parametrize(
    ("url", "key", "add"),
    [
        (
            "/disputes/bodies/",
            "mediators",
            lambda row: Mediator.objects.bulk_create(
                [Mediator(body=row, name=f"调解员{n}") for n in range(2)]
                + [Mediator(body=row, name="已停用调解员", is_active=False)]
            ),
        ),
        (
            "/disputes/commissions/",
            "arbitrators",
            lambda row: Arbitrator.objects.bulk_create(
                [Arbitrator(commission=row, name=f"仲裁员{n}") for n in range(2)]
                + [Arbitrator(commission=row, name="书记员", role=Arbitrator.Role.CLERK)]
            ),
        ),
    ],
)
def test_a_count_column_sorts_by_the_people_on_duty(
    login_client, district_staff, yuzhong, url, key, add
):
    make = _body if "bodies" in url else _commission
    make(yuzhong, "1号无人", "X1")
    add(make(yuzhong, "2号有人", "X2"))
    client = login_client(district_staff)
    # The first click on a count asks for the largest first.
    page = client.get(url).content.decode()
    assert f'href="?sort=-{key}"' in page
    assert names(client.get(url, {"sort": f"-{key}"})) == ["2号有人", "1号无人"]
    assert names(client.get(url, {"sort": key})) == ["1号无人", "2号有人"]
    assert 'class="num"' in page


@pytest.mark.parametrize("kind", LISTS)
def test_the_empty_state_says_why(login_client, district_staff, yuzhong, kind):
    url, make, noun, _ = LISTS[kind]
    client = login_client(district_staff)
    none_yet = client.get(url).content.decode()
    assert 'data-testid="empty-state"' in none_yet
    assert f"{yuzhong.name}范围内尚无{noun}。" in none_yet
    make(yuzhong, "某某", "Q1")
    filtered = client.get(url, {"q": "没有这个名字", "sort": "-name"}).content.decode()
    assert f"没有符合筛选条件的{noun}。" in filtered
    assert 'href="?sort=-name">清除筛选条件' in filtered
    assert "某某" in client.get(url).content.decode()


@pytest.mark.parametrize("kind", LISTS)
def test_another_districts_row_is_neither_listed_nor_changed(
    login_client, district_staff, yuzhong, shapingba, kind
):
    url, make, _, edit = LISTS[kind]
    make(yuzhong, "渝中的", "YZ1")
    other = make(shapingba, "沙坪坝的", "SPB1")
    client = login_client(district_staff)
    assert names(client.get(url)) == ["渝中的"]
    assert names(client.get(url, {"unit": shapingba.pk})) == ["渝中的"]  # not a choice: ignored
    assert client.get(edit.format(other.pk)).status_code == 404
    assert client.post(edit.format(other.pk), {"name": "改名"}).status_code == 404
    assert client.post(DEACTIVATE[kind].format(other.pk)).status_code == 404
    other.refresh_from_db()
    assert (other.name, other.is_active) == ("沙坪坝的", True)


def test_the_filters_are_kept_with_the_sort(login_client, city_admin, yuzhong, shapingba):
    _body(yuzhong, "渝中1", "B1")
    _body(yuzhong, "渝中2", "B2")
    _body(shapingba, "沙坪坝3", "B3")
    client = login_client(city_admin)
    response = client.get("/disputes/bodies/", {"unit": yuzhong.pk, "sort": "-name"})
    assert names(response) == ["渝中2", "渝中1"]
    html = response.content.decode()
    assert '<input type="hidden" name="sort" value="-name">' in html  # the filter bar keeps it
    assert f'href="?unit={yuzhong.pk}&amp;sort=name"' in html  # the header keeps the filter
    assert names(client.get("/disputes/bodies/", {"sort": "unit"}))[-1] == "沙坪坝3"


def test_the_table_alone_for_htmx(login_client, district_staff, yuzhong):
    _body(yuzhong, "渝中甲", "B1")
    response = login_client(district_staff).get("/disputes/bodies/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-testid="body-table"' in html and "渝中甲" in html
    assert "<html" not in html and 'data-testid="body-filter"' not in html


def test_a_refused_lawyer_shows_on_the_form_beside_the_list(login_client, district_staff, yuzhong):
    _lawyer(yuzhong, "已在库", "L1")
    client = login_client(district_staff)
    response = client.post("/disputes/lawyers/", {"name": "", "firm": "某所", "unit": yuzhong.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "已在库" in html and "加入律师库" in html
    assert "invalid-feedback" in html or "errorlist" in html
    assert Lawyer.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "make", "person", "reason"),
    [
        (
            "/disputes/bodies/{}/",
            _body,
            lambda row, name, active: Mediator.objects.create(
                body=row, name=name, is_active=active
            ),
            "该调解组织尚未登记调解员。",
        ),
        (
            "/disputes/commissions/{}/",
            _commission,
            lambda row, name, active: Arbitrator.objects.create(
                commission=row, name=name, is_active=active
            ),
            "该仲裁委员会尚未登记仲裁员或书记员。",
        ),
    ],
)
def test_the_people_of_a_record_sort_and_say_when_there_are_none(
    login_client, district_staff, yuzhong, url, make, person, reason
):
    row = make(yuzhong, "渝中", "P1")
    client = login_client(district_staff)
    page = client.get(url.format(row.pk)).content.decode()
    assert 'data-testid="empty-state"' in page and reason in page
    person(row, "1号", False)
    person(row, "2号", True)
    person(row, "3号", True)
    # On duty first by default; by name when asked.
    assert names(client.get(url.format(row.pk))) == ["2号", "3号", "1号"]
    assert names(client.get(url.format(row.pk), {"sort": "-name"})) == ["3号", "2号", "1号"]
    assert names(client.get(url.format(row.pk), {"sort": "name"})) == ["1号", "2号", "3号"]


def test_an_empty_queue_says_why_and_clearing_keeps_the_tab(login_client, district_staff):
    client = login_client(district_staff)
    closed = client.get(MEDIATION, {"queue": "closed"}).content.decode()
    assert 'data-testid="empty-state"' in closed and "渝中区范围内尚无已结案件。" in closed
    mine = client.get(MEDIATION, {"queue": "mine"}).content.decode()
    assert "没有分配给您的在办案件。" in mine
    filtered = client.get(
        MEDIATION, {"queue": "closed", "employer": "没有这家", "sort": "-received_on"}
    ).content.decode()
    assert "没有符合筛选条件的案件。" in filtered
    assert 'href="?sort=-received_on&amp;queue=closed">清除筛选条件' in filtered
