"""The rating and blacklist lists as declared lists (core/generic.py, issue #13): sortable
columns, the empty state that says why, money written with separators, and a district's rows
kept from another district's staff."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import EnterpriseFactory, UserFactory
from tests.inspection.test_ratings import YEAR, closed_case
from yutong.core import roles
from yutong.inspection import services

pytestmark = pytest.mark.django_db

RATINGS = "/inspection/ratings/"
BLACKLIST = "/inspection/blacklist/"
PUBLIC = "/inspection/blacklist/public/"


def _order(html: str, *names: str) -> list[str]:
    """``names`` in the order the page shows them (those shown)."""
    found = [(html.find(name), name) for name in names if name in html]
    return [name for _, name in sorted(found)]


@pytest.fixture
def shapingba_pair(shapingba, shapingba_inspector):
    helper = UserFactory(username="spb_inspector2", unit=shapingba, roles=[roles.INSPECTOR])
    return shapingba_inspector, helper


def _list(actor, helper, employer, *, amount: str, days_ago: int):
    on = timezone.localdate() - timedelta(days=days_ago)
    case = closed_case(actor, helper, employer, on=on, refused_order=True, amount_owed=amount)
    return services.list_in_blacklist(
        actor, case, condition="criminal_threshold", basis="拒不支付", listed_on=on
    )


@pytest.fixture
def listings(inspector, inspector2, shapingba_pair, yuzhong, shapingba):
    big = EnterpriseFactory(unit=yuzhong, name="A大户欠薪")
    small = EnterpriseFactory(unit=yuzhong, name="B小户欠薪")
    far = EnterpriseFactory(unit=shapingba, name="C沙坪坝欠薪")
    return {
        "big": _list(inspector, inspector2, big, amount="1234567.5", days_ago=10),
        "small": _list(inspector, inspector2, small, amount="40000", days_ago=2),
        "far": _list(*shapingba_pair, far, amount="90000", days_ago=5),
    }


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["B小户欠薪", "A大户欠薪"]),  # newest listing first
        ("listed_on", ["A大户欠薪", "B小户欠薪"]),
        ("amount_owed", ["B小户欠薪", "A大户欠薪"]),
        ("-amount_owed", ["A大户欠薪", "B小户欠薪"]),
        ("-enterprise", ["B小户欠薪", "A大户欠薪"]),
        ("enterprise", ["A大户欠薪", "B小户欠薪"]),
        ("no_such_column", ["B小户欠薪", "A大户欠薪"]),
    ],
)
def test_blacklist_sorts_by_its_headers(login_client, inspector, listings, sort, expected):
    html = login_client(inspector).get(BLACKLIST, {"sort": sort}).content.decode()
    assert _order(html, "A大户欠薪", "B小户欠薪") == expected
    assert 'data-sort="amount_owed"' in html
    assert "1,234,567.50" in html and "40,000.00" in html
    assert "C沙坪坝欠薪" not in html


def test_blacklist_keeps_to_the_district_and_says_why_it_is_empty(
    login_client, inspector, shapingba_inspector, listings, yuzhong
):
    other = login_client(shapingba_inspector)
    assert other.get(f"{BLACKLIST}{listings['big'].pk}/").status_code == 404
    assert "A大户欠薪" not in other.get(BLACKLIST, {"show": "all"}).content.decode()
    services.remove_from_blacklist(
        shapingba_inspector,
        listings["far"],
        removal="error",
        removed_on=timezone.localdate(),
        reason="列入错误",
    )
    active = other.get(BLACKLIST).content.decode()
    assert 'data-testid="empty-state"' in active and "目前没有在列的用人单位。" in active
    everything = other.get(BLACKLIST, {"show": "all", "sort": "-amount_owed"}).content.decode()
    assert "C沙坪坝欠薪" in everything
    # The tabs keep the sort.
    assert "?show=active&amp;sort=-amount_owed" in everything


def test_public_blacklist_sorts_by_what_it_shows_only(client, listings):
    by_name = client.get(PUBLIC, {"sort": "enterprise"}).content.decode()
    assert _order(by_name, "A大户欠薪", "B小户欠薪", "C沙坪坝欠薪") == [
        "A大户欠薪",
        "B小户欠薪",
        "C沙坪坝欠薪",
    ]
    # The amount stays with staff: not shown, and not an order the public may ask for.
    by_amount = client.get(PUBLIC, {"sort": "-amount_owed"}).content.decode()
    assert _order(by_amount, "A大户欠薪", "B小户欠薪", "C沙坪坝欠薪") == [
        "B小户欠薪",
        "C沙坪坝欠薪",
        "A大户欠薪",
    ]
    assert "1,234,567.50" not in by_amount and 'data-sort="amount_owed"' not in by_amount


@pytest.fixture
def rated(inspector, inspector2, shapingba_pair, yuzhong, shapingba):
    firms = {
        "B": EnterpriseFactory(unit=yuzhong, name="X乙级企业"),
        "C": EnterpriseFactory(unit=yuzhong, name="Y丙级企业"),
        "far": EnterpriseFactory(unit=shapingba, name="沙坪坝丙级"),
    }
    closed_case(inspector, inspector2, firms["B"], "penalty")
    for _ in range(3):
        closed_case(inspector, inspector2, firms["C"])
        closed_case(*shapingba_pair, firms["far"])
    services.compute_ratings(inspector, unit=yuzhong, year=YEAR)
    services.compute_ratings(shapingba_pair[0], unit=shapingba, year=YEAR)
    return firms


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["X乙级企业", "Y丙级企业"]),  # B before C
        ("-grade", ["Y丙级企业", "X乙级企业"]),
        ("-handled", ["Y丙级企业", "X乙级企业"]),
        ("enterprise", ["X乙级企业", "Y丙级企业"]),
        ("-enterprise", ["Y丙级企业", "X乙级企业"]),
    ],
)
def test_ratings_sort_by_their_headers(login_client, inspector, rated, sort, expected):
    html = login_client(inspector).get(RATINGS, {"sort": sort}).content.decode()
    assert _order(html, "X乙级企业", "Y丙级企业") == expected
    assert "沙坪坝丙级" not in html
    assert 'data-sort="grade"' in html


def test_ratings_empty_state_and_a_refused_form_keep_the_list(
    login_client, inspector, rated, yuzhong
):
    client = login_client(inspector)
    earlier = client.get(RATINGS, {"year": YEAR - 5}).content.decode()
    assert f"{YEAR - 5} 年度没有 B、C 级或经复核的企业" in earlier
    filtered = client.get(RATINGS, {"q": "不存在", "sort": "-grade"}).content.decode()
    assert "没有符合筛选条件的评级记录。" in filtered
    assert 'href="?sort=-grade">清除筛选条件' in filtered
    refused = client.post(f"{RATINGS}compute/", {"unit": "", "year": YEAR})
    assert refused.status_code == 400
    page = refused.content.decode()
    assert 'data-testid="compute-form"' in page and "X乙级企业" in page


@pytest.mark.parametrize(
    "url, noun", [("/inspection/complaints/", "举报投诉"), ("/inspection/cases/", "案件")]
)
def test_an_empty_queue_says_why_and_a_filter_offers_to_clear(login_client, inspector, url, noun):
    client = login_client(inspector)
    overdue = client.get(url, {"queue": "overdue"}).content.decode()
    assert 'data-testid="empty-state"' in overdue and f"没有已超期的{noun}。" in overdue
    filtered = client.get(url, {"queue": "unit", "employer": "不存在的单位"}).content.decode()
    assert "没有符合筛选条件的" in filtered and "清除筛选条件" in filtered
