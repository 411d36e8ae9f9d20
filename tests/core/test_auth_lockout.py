"""Lockout per account and address, the address throttle, unlocking, and tokens of locked or
deactivated accounts."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from yutong.core import roles
from yutong.core.models import AuditEntry, LoginEvent

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账号已临时锁定，请稍后再试。"
THROTTLED = "该地址登录失败次数过多，请稍后再试。"
WRONG = "not-the-password"
ATTACKER = "203.0.113.9"
OFFICE = "10.1.2.3"


def ui_login(username, password, ip):
    client = Client(REMOTE_ADDR=ip)
    return client, client.post("/login/", {"username": username, "password": password})


def api_login(username, password, ip):
    return APIClient(REMOTE_ADDR=ip).post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def errors(response):
    return list(response.context["form"].non_field_errors())


def lock_from(username, ip, times=5):
    for _ in range(times):
        ui_login(username, WRONG, ip)


def test_failures_from_elsewhere_do_not_lock_the_user_out_of_their_own_address(district_staff):
    lock_from("yz_staff", ATTACKER)
    _, response = ui_login("yz_staff", PASSWORD, ATTACKER)
    assert errors(response) == [LOCKED]
    # The user at the office still signs in, by page and by API.
    _, response = ui_login("yz_staff", PASSWORD, OFFICE)
    assert response.status_code == 302
    assert api_login("yz_staff", PASSWORD, OFFICE).status_code == 200


def test_the_lockout_is_logged_with_the_address(district_staff):
    lock_from("yz_staff", ATTACKER)
    lockout = LoginEvent.objects.get(username="yz_staff", kind="lockout")
    assert lockout.ip == ATTACKER
    assert LoginEvent.objects.filter(username="yz_staff", kind="failure").count() == 5


def test_an_address_failing_across_accounts_is_throttled(district_staff, settings):
    settings.LOGIN_ADDRESS_LIMIT = 8
    for n in range(8):  # one or two guesses per username, never five for one account
        ui_login(f"guess{n % 4}", WRONG, ATTACKER)
    _, response = ui_login("yz_staff", PASSWORD, ATTACKER)
    assert errors(response) == [THROTTLED]
    assert LoginEvent.objects.filter(username="yz_staff").last().kind == "throttled"
    assert api_login("yz_staff", PASSWORD, ATTACKER).json() == {"non_field_errors": [THROTTLED]}
    # Other addresses are not affected.
    assert ui_login("yz_staff", PASSWORD, OFFICE)[1].status_code == 302


def test_administrator_sees_the_lock_and_unlocks_on_the_user_page(
    district_staff, city_admin, login_client
):
    lock_from("yz_staff", ATTACKER)
    admin = login_client(city_admin)
    page = admin.get(f"/core/users/{district_staff.pk}/").content.decode()
    assert f"已锁定（来自 {ATTACKER}）" in page

    response = admin.post(f"/core/users/{district_staff.pk}/unlock/")
    assert response.status_code == 302
    assert "未锁定" in admin.get(f"/core/users/{district_staff.pk}/").content.decode()
    assert ui_login("yz_staff", PASSWORD, ATTACKER)[1].status_code == 302
    entry = AuditEntry.objects.get(action="unlock_account")
    assert entry.actor == city_admin
    assert entry.object_id == str(district_staff.pk)
    assert LoginEvent.objects.filter(username="yz_staff", kind="unlock").count() == 1


def test_unlock_by_api_and_only_by_administrators(
    district_staff, shapingba_staff, city_admin, api_client
):
    lock_from("yz_staff", ATTACKER)
    url = "/api/v1/auth/accounts/yz_staff/unlock/"
    assert api_client(shapingba_staff).post(url).status_code == 403
    assert api_login("yz_staff", PASSWORD, ATTACKER).status_code == 400
    assert api_client(city_admin).post(url).status_code == 204
    assert api_login("yz_staff", PASSWORD, ATTACKER).status_code == 200
    assert AuditEntry.objects.filter(action="unlock_account").count() == 1


def test_a_district_administrator_cannot_unlock_accounts_outside_its_scope(
    shapingba_staff, yuzhong, login_client
):
    yuzhong_admin = UserFactory(unit=yuzhong, roles=[roles.CITY_ADMIN])
    response = login_client(yuzhong_admin).post(f"/core/users/{shapingba_staff.pk}/unlock/")
    assert response.status_code == 404
    assert not LoginEvent.objects.filter(kind="unlock").exists()


def test_a_locked_accounts_token_stops_working_at_once(district_staff):
    token = api_login("yz_staff", PASSWORD, ATTACKER).json()["token"]
    client = APIClient(REMOTE_ADDR=ATTACKER)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/enterprises/").status_code == 200
    lock_from("yz_staff", ATTACKER)
    response = client.get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert response.json()["detail"] == LOCKED


def test_a_deactivated_accounts_token_stops_working_at_once(district_staff, city_admin):
    from yutong.core import services

    token = api_login("yz_staff", PASSWORD, OFFICE).json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/enterprises/").status_code == 200
    services.update_user(city_admin, district_staff, is_active=False)
    assert client.get("/api/v1/enterprises/").status_code == 401


def test_a_valid_token_keeps_working_when_colleagues_behind_the_same_address_mistype(
    district_staff, settings
):
    settings.LOGIN_ADDRESS_LIMIT = 3
    token = api_login("yz_staff", PASSWORD, OFFICE).json()["token"]
    for n in range(3):  # other people's typos, from the office's one address
        ui_login(f"colleague{n}", WRONG, OFFICE)
    _, response = ui_login("yz_staff", PASSWORD, OFFICE)
    assert errors(response) == [THROTTLED]  # signing in again is throttled ...
    client = APIClient(REMOTE_ADDR=OFFICE, HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/units/").status_code == 200  # ... a token in hand is not


def test_guessing_the_current_password_counts_towards_the_lockout(district_staff):
    client = APIClient(REMOTE_ADDR=ATTACKER)
    client.force_authenticate(district_staff)
    wrong = {"old_password": WRONG, "new_password": "Another-pass-2026"}
    for _ in range(5):
        response = client.post("/api/v1/auth/password/", wrong, format="json")
        assert response.json() == {"old_password": ["原密码不正确。"]}
    right = {"old_password": PASSWORD, "new_password": "Another-pass-2026"}
    response = client.post("/api/v1/auth/password/", right, format="json")
    assert response.status_code == 400
    assert response.json() == {"old_password": [LOCKED]}
    district_staff.refresh_from_db()
    assert district_staff.check_password(PASSWORD)
    assert (
        LoginEvent.objects.filter(username="yz_staff", kind="failure", channel="api").count() == 5
    )
