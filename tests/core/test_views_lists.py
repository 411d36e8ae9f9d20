"""Core's own lists as declared lists (core/generic.py, issue #13): messages, API tokens,
organisations, units and parameters sort by their headers and say why they are empty; the
forms that live on the organisation and parameter pages still show their errors there; the
user, audit and login logs say why they are empty."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from tests.factories import OrganisationFactory, TownshipFactory, UserFactory
from yutong.core import roles
from yutong.core.models import Message, Organisation

pytestmark = pytest.mark.django_db


def _order(html: str, *texts: str) -> list[str]:
    found = [(html.find(t), t) for t in texts if t in html]
    return [t for _, t in sorted(found)]


def test_messages_oldest_first_on_request(login_client, district_staff):
    now = timezone.now()
    for title, age in (("A较早的消息", 3), ("B较新的消息", 1)):
        Message.objects.create(
            recipient=district_staff,
            kind=Message.Kind.ASSIGNMENT,
            title=title,
            created_at=now - timedelta(days=age),
        )
    client = login_client(district_staff)
    newest = client.get("/core/messages/").content.decode()
    assert _order(newest, "A较早的消息", "B较新的消息") == ["B较新的消息", "A较早的消息"]
    oldest = client.get("/core/messages/", {"sort": "created_at"}).content.decode()
    assert _order(oldest, "A较早的消息", "B较新的消息") == ["A较早的消息", "B较新的消息"]


def test_messages_say_why_the_inbox_is_empty(login_client, district_staff):
    html = login_client(district_staff).get("/core/messages/").content.decode()
    assert 'data-testid="empty-state"' in html and "暂无站内信" in html


def test_tokens_sort_by_account_and_issue(login_client, city_admin, district_staff, mediator):
    now = timezone.now()
    for user, age in ((district_staff, 5), (mediator, 1)):
        token = Token.objects.create(user=user)
        Token.objects.filter(pk=token.pk).update(created=now - timedelta(days=age))
    client = login_client(city_admin)
    names = (district_staff.username, mediator.username)
    newest = client.get("/core/tokens/").content.decode()
    assert _order(newest, *names) == [mediator.username, district_staff.username]
    oldest = client.get("/core/tokens/", {"sort": "created"}).content.decode()
    assert _order(oldest, *names) == [district_staff.username, mediator.username]
    assert 'data-sort="username"' in oldest
    assert login_client(district_staff).get("/core/tokens/").status_code == 403


def test_tokens_empty_state(login_client, city_admin, city):
    html = login_client(city_admin).get("/core/tokens/").content.decode()
    assert f"{city.name}范围内尚无API 令牌。" in html


def test_organisations_sort_filter_and_keep_the_form(
    login_client, city_admin, district_staff, yuzhong
):
    busy = OrganisationFactory(name="A忙碌机构", unit=yuzhong)
    OrganisationFactory(name="B空闲机构", unit=yuzhong)
    for n in range(2):
        UserFactory(username=f"busy{n}", unit=yuzhong, organisation=busy)
    client = login_client(city_admin)
    by_users = client.get("/core/organisations/", {"sort": "-users"}).content.decode()
    assert _order(by_users, "A忙碌机构", "B空闲机构") == ["A忙碌机构", "B空闲机构"]
    by_name = client.get("/core/organisations/", {"sort": "-name"}).content.decode()
    assert _order(by_name, "A忙碌机构", "B空闲机构") == ["B空闲机构", "A忙碌机构"]
    none = client.get("/core/organisations/", {"q": "没有这家"}).content.decode()
    assert "没有符合筛选条件的机构。" in none
    refused = client.post("/core/organisations/", {"name": "", "kind": "", "unit": ""})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "A忙碌机构" in page and ("errorlist" in page or "invalid-feedback" in page)
    assert not Organisation.objects.filter(name="").exists()
    assert login_client(district_staff).get("/core/organisations/").status_code == 403


def test_units_sort_and_say_when_a_unit_has_no_townships(login_client, district_staff, yuzhong):
    TownshipFactory(parent=yuzhong, name="A解放碑街道", code="500103001")
    TownshipFactory(parent=yuzhong, name="B七星岗街道", code="500103002")
    client = login_client(district_staff)
    down = client.get("/core/units/", {"parent": yuzhong.code, "sort": "-code"}).content.decode()
    assert _order(down, "A解放碑街道", "B七星岗街道") == ["B七星岗街道", "A解放碑街道"]
    empty = client.get("/core/units/", {"parent": "500103001"}).content.decode()
    assert "该单位没有下辖镇街。" in empty


def test_parameters_filter_by_name_and_sort_by_day(login_client, district_staff):
    client = login_client(district_staff)
    wages = client.get("/core/parameters/", {"q": "最低工资"}).content.decode()
    assert "最低工资" in wages and "仲裁审理期限" not in wages
    assert 'data-sort="valid_from"' in wages
    none = client.get("/core/parameters/", {"q": "没有这个参数"}).content.decode()
    assert "没有符合筛选条件的参数。" in none


@pytest.mark.parametrize(
    ("url", "query", "noun"),
    [
        ("/core/users/", {"q": "没有这个人"}, "用户"),
        ("/core/audit/", {"actor": "没有这个人"}, "审计记录"),
        ("/core/logins/", {"username": "没有这个人"}, "登录记录"),
    ],
)
def test_logs_and_users_say_why_they_are_empty(login_client, city_admin, url, query, noun):
    html = login_client(city_admin).get(url, query).content.decode()
    assert f"没有符合筛选条件的{noun}。" in html and "清除筛选条件" in html


def test_only_the_city_admin_reads_the_users(login_client, yuzhong):
    staff = UserFactory(username="plain", unit=yuzhong, roles=[roles.DISTRICT_STAFF])
    assert login_client(staff).get("/core/users/").status_code == 403
