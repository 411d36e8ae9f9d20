"""The harmony lists as declared lists (core/generic.py, issue #13): sortable columns, the empty
state that says why, the export of exactly the filtered rows in the page's order, and another
district's rows neither listed, exported nor opened."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.factories import EnterpriseFactory, OrganisationFactory, UserFactory
from tests.harmony.conftest import granted
from tests.harmony.test_services import answers
from yutong.core import roles
from yutong.core.models import Organisation
from yutong.harmony import services

pytestmark = pytest.mark.django_db


def _order(html: str, *texts: str) -> list[str]:
    found = [(html.find(t), t) for t in texts if t in html]
    return [t for _, t in sorted(found)]


def _sheet(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def _enterprise_user(enterprise, username):
    organisation = OrganisationFactory(
        name=enterprise.name,
        kind=Organisation.Kind.ENTERPRISE,
        unit=enterprise.unit,
        uscc=enterprise.uscc,
    )
    return UserFactory(
        username=username,
        unit=enterprise.unit,
        organisation=organisation,
        roles=[roles.ENTERPRISE_USER],
    )


@pytest.fixture
def records(district_staff, shapingba_staff, yuzhong, shapingba, today):
    """Two records of each list in 渝中区 (A… first by name, B… later) and one in 沙坪坝区."""
    a = EnterpriseFactory(unit=yuzhong, name="A渝中早报名")
    b = EnterpriseFactory(unit=yuzhong, name="B渝中晚报名")
    far = EnterpriseFactory(unit=shapingba, name="C沙坪坝企业")
    enrol = {
        "a": services.enrol(
            district_staff, scope="enterprise", enterprise=a, starts_on=date(2025, 1, 1)
        ),
        "b": services.enrol(
            district_staff,
            scope="enterprise",
            enterprise=b,
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 12, 31),
        ),
        "far": services.enrol(
            shapingba_staff, scope="enterprise", enterprise=far, starts_on=date(2026, 1, 1)
        ),
    }
    evaluations = {
        "a": granted(a, "AAA", today - timedelta(days=300)),
        "b": granted(b, "A", today - timedelta(days=30)),
        "far": granted(far, "AA", today - timedelta(days=60)),
    }
    checks = {
        "a": services.submit_health_check(_enterprise_user(a, "ent_a"), a, answers=answers()),
        "b": services.submit_health_check(
            _enterprise_user(b, "ent_b"), b, answers=answers(weak_theme="insurance")
        ),
        "far": services.submit_health_check(
            _enterprise_user(far, "ent_far"), far, answers=answers()
        ),
    }
    return {"enrollments": enrol, "evaluations": evaluations, "checks": checks}


LINK = {
    "enrollments": "/harmony/enrollments/{}/",
    "evaluations": "/harmony/evaluations/{}/",
    "checks": "/harmony/checks/{}/",
}


@pytest.mark.parametrize(
    ("kind", "sort", "first"),
    [
        ("enrollments", "", "b"),  # the latest start first
        ("enrollments", "starts_on", "a"),
        ("enrollments", "-ends_on", "b"),  # the open-ended one last either way
        ("enrollments", "ends_on", "b"),
        ("evaluations", "", "b"),
        ("evaluations", "-valid_until", "b"),
        ("evaluations", "valid_until", "a"),
        ("evaluations", "enterprise", "a"),
        ("checks", "score", "b"),
        ("checks", "-score", "a"),
        ("checks", "enterprise", "a"),
        ("checks", "-enterprise", "b"),
    ],
)
def test_lists_sort_by_their_headers(login_client, district_staff, records, kind, sort, first):
    rows = records[kind]
    html = login_client(district_staff).get(f"/harmony/{kind}/", {"sort": sort}).content.decode()
    links = [LINK[kind].format(rows[k].pk) for k in ("a", "b")]
    expected = links if first == "a" else links[::-1]
    assert _order(html, *links) == expected
    assert LINK[kind].format(rows["far"].pk) not in html
    if sort:
        assert f'data-sort="{sort.lstrip("-")}"' in html


@pytest.mark.parametrize("kind", ["enrollments", "evaluations", "checks"])
def test_another_districts_record_is_not_opened(login_client, shapingba_staff, records, kind):
    client = login_client(shapingba_staff)
    assert client.get(LINK[kind].format(records[kind]["a"].pk)).status_code == 404
    assert client.get(LINK[kind].format(records[kind]["far"].pk)).status_code == 200


@pytest.mark.parametrize(
    ("kind", "noun"),
    [("enrollments", "创建活动登记"), ("evaluations", "评定申报"), ("checks", "体检记录")],
)
def test_the_empty_state_says_why(login_client, district_staff, yuzhong, kind, noun):
    client = login_client(district_staff)
    none_yet = client.get(f"/harmony/{kind}/").content.decode()
    assert (
        'data-testid="empty-state"' in none_yet and f"{yuzhong.name}范围内尚无{noun}。" in none_yet
    )
    filtered = client.get(f"/harmony/{kind}/", {"q": "没有这家"}).content.decode()
    assert f"没有符合筛选条件的{noun}。" in filtered


def test_an_enterprise_without_checks_is_told_so(login_client, enterprise_user, own_enterprise):
    html = login_client(enterprise_user).get("/harmony/checks/").content.decode()
    assert f"{own_enterprise.name}尚未做过体检。" in html


@pytest.mark.parametrize("kind", ["enrollments", "evaluations"])
def test_export_holds_the_filtered_rows_in_the_pages_order(
    login_client, district_staff, records, kind
):
    client = login_client(district_staff)
    wanted = [records[kind]["a"].pk, records[kind]["b"].pk]
    for sort in ("starts_on" if kind == "enrollments" else "enterprise", "-created_at"):
        sheet = _sheet(client.get(f"/harmony/{kind}/export/", {"sort": sort}))
        assert [row[0] for row in sheet[1:]] == (wanted if "-" not in sort else wanted[::-1])
    filtered = _sheet(client.get(f"/harmony/{kind}/export/", {"q": "B渝中"}))
    assert [row[0] for row in filtered[1:]] == [records[kind]["b"].pk]


def test_the_public_list_sorts_and_says_why_it_is_empty(records):
    client = Client()
    html = client.get("/harmony/graded/").content.decode()
    assert _order(html, "A渝中早报名", "B渝中晚报名", "C沙坪坝企业")[:2] == [
        "A渝中早报名",  # 渝中区 before 沙坪坝区, AAA before A
        "B渝中晚报名",
    ]
    by_day = client.get("/harmony/graded/", {"sort": "-granted_on"}).content.decode()
    assert _order(by_day, "A渝中早报名", "B渝中晚报名", "C沙坪坝企业") == [
        "B渝中晚报名",
        "C沙坪坝企业",
        "A渝中早报名",
    ]
    none = client.get("/harmony/graded/", {"q": "没有这家"}).content.decode()
    assert "没有符合筛选条件的企业。" in none


def test_the_coverage_list_sorts_by_name(login_client, district_staff, yuzhong):
    for name in ("A覆盖企业", "B覆盖企业"):
        EnterpriseFactory(unit=yuzhong, name=name, employee_count=50)
    client = login_client(district_staff)
    html = client.get("/harmony/coverage/", {"sort": "-name"}).content.decode()
    assert _order(html, "A覆盖企业", "B覆盖企业") == ["B覆盖企业", "A覆盖企业"]
    none = client.get("/harmony/coverage/", {"q": "没有这家"}).content.decode()
    assert "没有符合筛选条件的统计范围内的企业。" in none
