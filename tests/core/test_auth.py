"""Login with lockout (UI form and API token endpoint), the login log, session expiry."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from yutong.core import roles
from yutong.core.models import LoginEvent

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多，账号已临时锁定，请稍后再试。"
INVALID = "用户名或密码不正确。"
WRONG = "not-the-password"


def ui_login(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def api_login(username, password):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json"
    )


def kinds(username):
    return list(
        LoginEvent.objects.filter(username=username)
        .order_by("at", "id")
        .values_list("kind", "channel")
    )


def past_failures(username, minutes, count, ip="127.0.0.1"):
    """Failures that happened ``minutes`` ago (the log is append-only: time is not rewound on
    existing rows, older rows are added)."""
    at = timezone.now() - timedelta(minutes=minutes)
    LoginEvent.objects.bulk_create(
        LoginEvent(username=username, kind="failure", ip=ip, at=at) for _ in range(count)
    )


def form_errors(response):
    return list(response.context["form"].non_field_errors())


# --- UI ------------------------------------------------------------------------------------


def test_ui_login_success_is_logged_and_lands_on_the_workbench(district_staff):
    client = Client()
    response = ui_login(client, "yz_staff", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert kinds("yz_staff") == [("success", "ui")]
    event = LoginEvent.objects.get(username="yz_staff")
    assert event.user == district_staff
    assert event.ip == "127.0.0.1"
    assert len(event.request_id) == 36


def test_ui_wrong_password_shows_the_chinese_message(district_staff):
    response = ui_login(Client(), "yz_staff", WRONG)
    assert response.status_code == 200
    assert form_errors(response) == [INVALID]
    assert INVALID in response.content.decode()
    assert kinds("yz_staff") == [("failure", "ui")]


def test_ui_five_failures_lock_the_account_even_for_the_right_password(district_staff):
    client = Client()
    for _ in range(4):
        assert form_errors(ui_login(client, "yz_staff", WRONG)) == [INVALID]
    # The fifth failure is the one that locks.
    assert form_errors(ui_login(client, "yz_staff", WRONG)) == [INVALID]
    assert kinds("yz_staff") == [("failure", "ui")] * 5 + [("lockout", "ui")]

    response = ui_login(client, "yz_staff", PASSWORD)
    assert response.status_code == 200
    assert form_errors(response) == [LOCKED]
    assert LOCKED in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert kinds("yz_staff")[-1] == ("locked", "ui")
    assert not LoginEvent.objects.filter(username="yz_staff", kind="success").exists()


def test_failures_older_than_the_window_do_not_lock(district_staff):
    past_failures("yz_staff", 16, 5)  # a whole lockout, over since a minute
    assert ui_login(Client(), "yz_staff", PASSWORD).status_code == 302


def test_failures_within_the_window_lock(district_staff):
    client = Client()
    # 4 failures 14 minutes ago + 1 now = 5 within 15 minutes: locked.
    past_failures("yz_staff", 14, 4)
    ui_login(client, "yz_staff", WRONG)
    assert form_errors(ui_login(client, "yz_staff", PASSWORD)) == [LOCKED]


def test_failures_just_outside_the_window_do_not_count(district_staff):
    past_failures("yz_staff", 16, 4)
    ui_login(Client(), "yz_staff", WRONG)
    assert ui_login(Client(), "yz_staff", PASSWORD).status_code == 302


def test_a_success_resets_the_failure_count(district_staff):
    client = Client()
    for _ in range(4):
        ui_login(client, "yz_staff", WRONG)
    assert ui_login(client, "yz_staff", PASSWORD).status_code == 302
    client.post("/logout/")
    for _ in range(4):
        ui_login(client, "yz_staff", WRONG)
    assert ui_login(Client(), "yz_staff", PASSWORD).status_code == 302


def test_unknown_usernames_lock_the_same_way(db):
    client = Client()
    for _ in range(5):
        assert form_errors(ui_login(client, "nobody", WRONG)) == [INVALID]
    assert form_errors(ui_login(client, "nobody", WRONG)) == [LOCKED]
    assert [kind for kind, _ in kinds("nobody")] == ["failure"] * 5 + ["lockout", "locked"]


def test_inactive_account_cannot_log_in(district_staff):
    district_staff.is_active = False
    district_staff.save()
    response = ui_login(Client(), "yz_staff", PASSWORD)
    assert response.status_code == 200
    assert form_errors(response) == [INVALID]


def test_logout_is_logged(district_staff):
    client = Client()
    ui_login(client, "yz_staff", PASSWORD)
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert kinds("yz_staff") == [("success", "ui"), ("logout", "ui")]
    assert client.get("/").status_code == 302


# --- API token endpoint --------------------------------------------------------------------


def test_api_token_success_is_logged(district_staff):
    response = api_login("yz_staff", PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    assert len(token) == 40
    assert kinds("yz_staff") == [("success", "api")]
    district_staff.refresh_from_db()
    assert district_staff.last_login is not None
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/enterprises/").status_code == 200


def test_api_five_failures_lock_the_account(district_staff):
    for _ in range(5):
        response = api_login("yz_staff", WRONG)
        assert response.status_code == 400
        assert LOCKED not in response.content.decode()
    assert kinds("yz_staff") == [("failure", "api")] * 5 + [("lockout", "api")]

    response = api_login("yz_staff", PASSWORD)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [LOCKED]}
    assert kinds("yz_staff")[-1] == ("locked", "api")


def test_lockout_is_shared_by_ui_and_api(district_staff):
    client = Client()
    for _ in range(5):
        ui_login(client, "yz_staff", WRONG)
    response = api_login("yz_staff", PASSWORD)
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": [LOCKED]}


# --- session expiry ------------------------------------------------------------------------


def test_session_lasts_session_cookie_age_and_then_is_gone(district_staff, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    assert ui_login(client, "yz_staff", PASSWORD).status_code == 302
    assert client.get("/registry/enterprises/").status_code == 200
    session = Session.objects.get()
    remaining = session.expire_date - timezone.now()
    assert timedelta(minutes=29) < remaining <= timedelta(minutes=30)

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/registry/enterprises/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/registry/enterprises/"


def test_each_request_renews_the_session(district_staff):
    client = Client()
    ui_login(client, "yz_staff", PASSWORD)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))
    assert client.get("/").status_code == 200
    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > timedelta(minutes=29)


def test_pages_require_login(db):
    response = Client().get("/registry/enterprises/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/registry/enterprises/"


# --- the login log page --------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["city_admin", "auditor"])
def test_login_log_visible_to_city_admin_and_auditor(request, reader, district_staff, login_client):
    ui_login(Client(), "yz_staff", WRONG)
    ui_login(Client(), "yz_staff", PASSWORD)
    client = login_client(request.getfixturevalue(reader))
    response = client.get("/core/logins/", {"username": "yz_staff"})
    assert response.status_code == 200
    events = list(response.context["object_list"])
    assert [event.kind for event in events] == ["success", "failure"]
    body = response.content.decode()
    assert "登录成功" in body
    assert "密码错误" in body

    response = client.get("/core/logins/", {"username": "yz_staff", "kind": "failure"})
    assert [event.kind for event in response.context["object_list"]] == ["failure"]


def test_login_log_is_forbidden_to_district_staff(district_staff, login_client):
    response = login_client(district_staff).get("/core/logins/")
    assert response.status_code == 403
    assert "您没有执行此操作的权限。" in response.content.decode()


def test_district_auditor_sees_only_login_events_of_its_own_accounts(
    district_staff, shapingba_staff, yuzhong, login_client
):
    district_auditor = UserFactory(unit=yuzhong, roles=[roles.AUDITOR])
    ui_login(Client(), "yz_staff", PASSWORD)
    ui_login(Client(), "spb_staff", PASSWORD)
    response = login_client(district_auditor).get("/core/logins/")
    assert response.status_code == 200
    # The auditor's own (forced) login is an event of a 渝中 account too; 沙坪坝's is not.
    assert {event.username for event in response.context["object_list"]} == {
        "yz_staff",
        district_auditor.username,
    }
