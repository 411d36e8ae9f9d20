"""Audit entries and the login log are read at district level and above: a township account
cannot be made an auditor or administrator (services, the user form), and one that holds such a
role from before reads neither log. Township accounts' events stay in their district's logs."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from tests.factories import PASSWORD, UserFactory, township_staff
from yutong.core import queries, roles, services
from yutong.core.models import User

pytestmark = pytest.mark.django_db

REFUSED = (
    "镇街单位的账号不能担任系统管理员或审计员（审计日志和登录日志按区县归集），"
    "请将该账号设在区县或市级单位。"
)


@pytest.mark.parametrize("role", [roles.AUDITOR, roles.CITY_ADMIN])
def test_a_township_account_cannot_be_made_an_auditor_or_administrator(city_admin, towns, role):
    with pytest.raises(ValidationError) as excinfo:
        services.create_user(
            city_admin, username="town_log", password=PASSWORD, unit=towns.x, role_codes=[role]
        )
    assert excinfo.value.message_dict == {"roles": [REFUSED]}
    assert not User.objects.filter(username="town_log").exists()


def test_nor_by_an_edit(city_admin, towns, yuzhong):
    staff = township_staff(towns.x, roles.DISTRICT_STAFF)
    with pytest.raises(ValidationError) as excinfo:
        services.update_user(city_admin, staff, role_codes=[roles.DISTRICT_STAFF, roles.AUDITOR])
    assert excinfo.value.message_dict == {"roles": [REFUSED]}
    district_auditor = UserFactory(unit=yuzhong, roles=[roles.AUDITOR])
    with pytest.raises(ValidationError):
        services.update_user(city_admin, district_auditor, unit=towns.x)
    assert User.objects.get(pk=district_auditor.pk).unit == yuzhong


def test_township_staff_roles_stay_allowed(city_admin, towns):
    user = services.create_user(
        city_admin,
        username="town_staff",
        password=PASSWORD,
        unit=towns.x,
        role_codes=[roles.DISTRICT_STAFF, roles.MEDIATOR],
    )
    assert user.unit == towns.x


def test_the_user_form_shows_the_refusal_on_the_roles(city_admin, towns, login_client):
    response = login_client(city_admin).post(
        "/core/users/new/",
        {
            "username": "town_auditor",
            "unit": towns.x.pk,
            "roles": [roles.AUDITOR],
            "password": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"roles": [REFUSED]}
    assert REFUSED in response.content.decode()
    assert not User.objects.filter(username="town_auditor").exists()


def test_a_township_auditor_from_before_reads_neither_log(towns, city_admin, login_client):
    # Written straight to the table, as an account from before the refusal would be.
    old = township_staff(towns.x, roles.AUDITOR)
    colleague = township_staff(towns.x, roles.DISTRICT_STAFF)
    # An entry and a login event of the township's own unit: its subtree would hold them.
    services.update_user(city_admin, colleague, display_name="解放碑同事")
    Client().post("/login/", {"username": colleague.username, "password": PASSWORD})
    assert not queries.audit_entries_visible_to(old).exists()
    assert not queries.login_events_visible_to(old).exists()
    client = login_client(old)
    for url in ("/core/audit/", "/core/logins/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "您没有执行此操作的权限。" in response.content.decode()
    assert "/core/audit/" not in client.get("/").content.decode()


def test_a_district_auditor_reads_the_logins_of_its_township_accounts(towns, yuzhong, login_client):
    inside = township_staff(towns.x, roles.DISTRICT_STAFF, username="town_x_staff")
    outside = township_staff(towns.z, roles.DISTRICT_STAFF, username="town_z_staff")
    for account in (inside, outside):
        Client().post("/login/", {"username": account.username, "password": PASSWORD})
    auditor = UserFactory(unit=yuzhong, roles=[roles.AUDITOR])
    response = login_client(auditor).get("/core/logins/")
    names = {event.username for event in response.context["object_list"]}
    assert inside.username in names
    assert outside.username not in names
