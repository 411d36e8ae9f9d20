"""The one table mechanism (core/tables.py, core/_pagination.html): sorting declared per list,
page size, jump to page, the total; shown on the enterprise list, the busiest one."""

from datetime import date
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import RequestFactory
from django.test.html import Element, parse_html

from tests.factories import EnterpriseFactory
from yutong.core.tables import Sorting
from yutong.registry.models import Enterprise

pytestmark = pytest.mark.django_db

LIST = "/registry/enterprises/"

SORTING = Sorting(
    columns={"name": ("name",), "staff": ("employee_count",), "both": ("-status", "name")},
    default=("name", "id"),
    descending_first=frozenset({"staff"}),
)


def elements(response, name, **attrs):
    """The elements ``name`` of the page whose attributes hold ``attrs`` (a class: one of)."""
    found = []

    def walk(node):
        if not isinstance(node, Element):
            return
        given = dict(node.attributes)
        if node.name == name and all(
            (value in (given.get(key) or "").split()) if key == "class" else given.get(key) == value
            for key, value in ((k.replace("_", "-"), v) for k, v in attrs.items())
        ):
            found.append(node)
        for child in node.children:
            walk(child)

    walk(parse_html(response.content.decode()))
    return found


def attr(node, key):
    return dict(node.attributes).get(key)


def text(node):
    return "".join(c if isinstance(c, str) else text(c) for c in node.children)


def hidden_inputs(form):
    found = {}

    def walk(node):
        if isinstance(node, Element):
            if node.name == "input" and attr(node, "type") == "hidden":
                found[attr(node, "name")] = attr(node, "value")
            for child in node.children:
                walk(child)

    walk(form)
    return found


def request(query=""):
    return RequestFactory().get(f"/list/?{query}")


# --- the declaration -----------------------------------------------------------------------


def test_a_key_orders_ascending_and_a_minus_descending_with_the_tie_breaker():
    assert SORTING.order_by(SORTING.state(request("sort=staff"))) == ("employee_count", "id")
    assert SORTING.order_by(SORTING.state(request("sort=-staff"))) == ("-employee_count", "-id")
    assert SORTING.order_by(SORTING.state(request("sort=-both"))) == ("status", "-name", "-id")


@pytest.mark.parametrize("query", ["", "sort=", "sort=password", "sort=-id", "sort=--name"])
def test_an_unknown_key_gives_the_default_order(query):
    state = SORTING.state(request(query))
    assert state.key is None and state.param == ""
    assert SORTING.order_by(state) == ("name", "id")


def test_a_click_toggles_the_direction_and_some_columns_start_descending():
    assert SORTING.next_param("name", SORTING.state(request())) == "name"
    assert SORTING.next_param("name", SORTING.state(request("sort=name"))) == "-name"
    assert SORTING.next_param("name", SORTING.state(request("sort=-name"))) == "name"
    assert SORTING.next_param("staff", SORTING.state(request("sort=name"))) == "-staff"


# --- on a list -----------------------------------------------------------------------------


@pytest.fixture
def firms(yuzhong, shapingba):
    rows = [
        ("乙公司", 300, date(2001, 1, 1)),
        ("甲公司", 10, date(2010, 1, 1)),
        ("丙公司", 50, None),
        ("丁公司", 50, date(1995, 1, 1)),
    ]
    made = [
        EnterpriseFactory(unit=yuzhong, name=name, employee_count=n, established_on=d)
        for name, n, d in rows
    ]
    # Another district's biggest firm: never on a 渝中区 list, whatever the order.
    EnterpriseFactory(unit=shapingba, name="沙坪坝巨头公司", employee_count=99999)
    return made


def shown(response):
    assert response.status_code == 200
    return [e.name for e in response.context["object_list"]]


def default_names(user):
    return list(
        Enterprise.objects.filter(unit=user.unit)
        .order_by("name", "id")
        .values_list("name", flat=True)
    )


def test_sorting_by_head_count_both_ways(district_staff, firms, login_client):
    client = login_client(district_staff)
    ascending = shown(client.get(LIST, {"sort": "employee_count"}))
    descending = shown(client.get(LIST, {"sort": "-employee_count"}))
    assert ascending[0] == "甲公司" and ascending[-1] == "乙公司"
    assert descending[0] == "乙公司" and descending[-1] == "甲公司"
    # Equal counts fall back on the id, in the direction asked for: stable pages.
    fifty = [f for f in firms if f.employee_count == 50]
    assert ascending[1:3] == [f.name for f in sorted(fifty, key=lambda f: f.pk)]
    assert descending[1:3] == [f.name for f in sorted(fifty, key=lambda f: -f.pk)]
    assert "沙坪坝巨头公司" not in ascending + descending


def test_sorting_by_founding_day_puts_the_unknown_last_both_ways(
    district_staff, firms, login_client
):
    client = login_client(district_staff)
    names = shown(client.get(LIST, {"sort": "established_on"}))
    assert names == ["丁公司", "乙公司", "甲公司", "丙公司"]
    names = shown(client.get(LIST, {"sort": "-established_on"}))
    assert names == ["甲公司", "乙公司", "丁公司", "丙公司"]


@pytest.mark.parametrize("sort", ["unknown", "-contact_phone", "uscc", ""])
def test_an_unknown_sort_key_is_ignored(district_staff, firms, login_client, sort):
    response = login_client(district_staff).get(LIST, {"sort": sort})
    assert shown(response) == default_names(district_staff)


def test_sorting_keeps_the_filters_and_the_scope(city_admin, firms, yuzhong, login_client):
    response = login_client(city_admin).get(LIST, {"unit": yuzhong.code, "sort": "-employee_count"})
    # 丁公司 and 丙公司 have 50 each: the later one (higher id) first when descending.
    assert shown(response) == ["乙公司", "丁公司", "丙公司", "甲公司"]
    assert "沙坪坝巨头公司" not in response.content.decode()


def header_links(response):
    """data-sort -> (href, the th's aria-sort, the icon's class, the th's class)."""
    links = {}
    for th in elements(response, "th"):
        for a in th.children:
            if isinstance(a, Element) and a.name == "a" and "sort-link" in attr(a, "class"):
                icons = [c for c in a.children if isinstance(c, Element) and c.name == "i"]
                icon = attr(icons[0], "class") if icons else None
                links[attr(a, "data-sort")] = (
                    attr(a, "href"),
                    attr(th, "aria-sort"),
                    icon,
                    attr(th, "class") or "",
                )
    return links


def test_header_links_keep_filters_drop_the_page_and_show_the_direction(
    city_admin, firms, yuzhong, login_client
):
    response = login_client(city_admin).get(
        LIST, {"unit": yuzhong.code, "sort": "employee_count", "page": "1", "page_size": "20"}
    )
    links = header_links(response)
    assert set(links) == {"name", "employee_count", "established_on"}
    href, aria, icon, css = links["employee_count"]
    query = parse_qs(urlsplit(href).query)
    assert query == {"unit": [yuzhong.code], "sort": ["-employee_count"], "page_size": ["20"]}
    assert aria == "ascending" and "bi-sort-up" in icon
    assert "num" in css.split()  # numbers are right-aligned
    href, aria, icon, _ = links["name"]
    assert parse_qs(urlsplit(href).query)["sort"] == ["name"] and aria is None
    # An unsorted column shows a faint two-way arrow, so it looks sortable.
    assert "bi-arrow-down-up" in icon and "bi-sort" not in icon
    descending = header_links(login_client(city_admin).get(LIST, {"sort": "-employee_count"}))
    assert "bi-sort-down" in descending["employee_count"][2]


# --- page size, jump to page, total --------------------------------------------------------


@pytest.fixture
def many(yuzhong):
    for n in range(120):
        EnterpriseFactory(unit=yuzhong, name=f"企业{n:03d}有限公司")


@pytest.mark.parametrize(
    ("size", "expected"),
    [("20", 20), ("50", 50), ("100", 100), ("30", 50), ("x", 50), ("1000", 50)],
)
def test_page_size_is_one_of_20_50_100(district_staff, many, login_client, size, expected):
    response = login_client(district_staff).get(LIST, {"page_size": size})
    assert len(shown(response)) == expected


def test_jump_to_page_and_the_forms_keep_the_other_parameters(district_staff, many, login_client):
    client = login_client(district_staff)
    response = client.get(LIST, {"q": "企业", "sort": "-name", "page_size": "20", "page": "3"})
    names = shown(response)
    assert names[0] == "企业079有限公司"  # 120 names descending, page 3 of 20 each
    (jump,) = elements(response, "form", data_testid="jump-to-page")
    assert hidden_inputs(jump) == {"q": "企业", "sort": "-name", "page_size": "20"}
    (page,) = [e for e in elements(response, "input") if attr(e, "name") == "page"]
    assert attr(page, "max") == "6" and attr(page, "value") == "3"
    (size,) = elements(response, "form", data_testid="page-size")
    assert "data-autosubmit" in dict(size.attributes)
    assert hidden_inputs(size) == {"q": "企业", "sort": "-name"}  # a new size starts at page 1
    (select,) = [c for c in size.children if isinstance(c, Element) and c.name == "select"]
    (chosen,) = [o for o in select.children if "selected" in dict(o.attributes)]
    assert attr(select, "name") == "page_size" and attr(chosen, "value") == "20"
    (total,) = elements(response, "span", data_testid="pager-total")
    assert "共 120 条" in text(total)
    # Jumping is a plain GET with those fields.
    assert shown(client.get(LIST, {**hidden_inputs(jump), "page": "6"}))[-1] == "企业000有限公司"


@pytest.mark.parametrize(
    ("page", "first"),
    [("abc", "企业000有限公司"), ("0", "企业100有限公司"), ("999", "企业100有限公司")],
)
def test_a_bad_page_number_falls_back(district_staff, many, login_client, page, first):
    # Not a number: the first page; out of range: the last (120 rows, 50 a page).
    assert shown(login_client(district_staff).get(LIST, {"page": page}))[0] == first


def test_queries_do_not_grow_with_rows(
    district_staff, yuzhong, login_client, django_assert_max_num_queries
):
    client = login_client(district_staff)
    for n in range(5):
        EnterpriseFactory(unit=yuzhong, name=f"少{n}")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST, {"sort": "-employee_count"})
    for n in range(60):
        EnterpriseFactory(unit=yuzhong, name=f"多{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST, {"sort": "-employee_count", "page_size": "100"})


# --- core's own lists: users, the audit log --------------------------------------------------


def test_user_list_sorts_and_stays_in_the_subtree(
    yuzhong, shapingba_staff, district_staff, mediator, login_client
):
    from tests.factories import UserFactory
    from yutong.core import roles

    admin = UserFactory(username="yz_admin", unit=yuzhong, roles=[roles.CITY_ADMIN])
    client = login_client(admin)

    def usernames(**params):
        response = client.get("/core/users/", params)
        assert response.status_code == 200
        return [u.username for u in response.context["object_list"]]

    assert usernames(sort="username") == ["yz_admin", "yz_mediator", "yz_staff"]
    assert usernames(sort="-username") == ["yz_staff", "yz_mediator", "yz_admin"]
    assert usernames(sort="-username", q="yz_s") == ["yz_staff"]
    assert usernames(sort="nonsense") == usernames()
    assert "spb_staff" not in usernames(sort="-last_login") + usernames(sort="unit")


def test_audit_list_sorts_by_time(city_admin, district_staff, yuzhong, shapingba, login_client):
    from datetime import timedelta

    from django.utils import timezone

    from yutong.core.models import AuditEntry

    now = timezone.now()
    for n, unit in enumerate([yuzhong, yuzhong, shapingba]):
        AuditEntry.objects.create(
            at=now - timedelta(hours=n),
            action="test",
            object_type="registry.enterprise",
            object_id=str(n),
            unit=unit,
        )
    client = login_client(city_admin)

    def ids(**params):
        response = client.get("/core/audit/", params)
        assert response.status_code == 200
        return [e.object_id for e in response.context["object_list"] if e.action == "test"]

    assert ids() == ["0", "1", "2"]  # newest first by default
    assert ids(sort="at") == ["2", "1", "0"]
    assert ids(sort="-at") == ["0", "1", "2"]
    assert ids(sort="at", object_id="1") == ["1"]
    # A district's administrator never sees another district's entries, in any order.
    from tests.factories import UserFactory
    from yutong.core import roles

    client = login_client(UserFactory(username="yz_admin", unit=yuzhong, roles=[roles.CITY_ADMIN]))
    assert ids(sort="at") == ["1", "0"]
