"""Two-factor sign-in: who must use it, enrolment, codes, recovery codes, policy and reset."""

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import PASSWORD
from tests.twofactor import current_code, enrol, recovery_code
from yutong.core import accounts, roles, twofactor
from yutong.core.models import AuditEntry, LoginEvent, Role

pytestmark = pytest.mark.django_db


def password_step(client, username):
    return client.post("/login/", {"username": username, "password": PASSWORD})


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_staff_without_two_factor_sign_in_with_the_password_alone(district_staff):
    client = Client()
    assert password_step(client, "yz_staff")["Location"] == "/"
    assert signed_in(client)


@pytest.mark.parametrize("fixture", ["city_admin", "auditor"])
def test_administrators_and_auditors_must_enrol_on_first_sign_in(request, fixture):
    user = request.getfixturevalue(fixture)
    client = Client()
    response = password_step(client, user.username)
    assert response["Location"] == "/core/login/enrol/"
    assert not signed_in(client)
    assert client.get("/").status_code == 302  # the password alone opens nothing

    page = client.get("/core/login/enrol/")
    body = page.content.decode()
    assert 'data-testid="otp-qr"' in body
    assert 'src="data:image/svg+xml' in body
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert twofactor.secret_base32(device) in body

    response = client.post("/core/login/enrol/", {"code": "000000"})
    assert response.context["form"].errors["code"] == ["动态验证码不正确。"]
    assert not signed_in(client)

    device.throttling_failure_count = 0  # django-otp slows down guessing; this is a new try
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post("/core/login/enrol/", {"code": current_code(device)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10
    assert codes[0] in response.content.decode()
    assert response.context["next"] == "/"
    assert signed_in(client)
    assert twofactor.enrolled(user)
    assert AuditEntry.objects.filter(action="enrol_two_factor", actor=user).count() == 1
    assert LoginEvent.objects.filter(username=user.username, kind="success").count() == 1


def test_an_enrolled_user_gives_the_code_after_the_password(city_admin):
    device = enrol(city_admin)
    client = Client()
    assert password_step(client, "city_admin")["Location"] == "/core/login/otp/"
    assert not signed_in(client)
    response = client.post("/core/login/otp/", {"code": current_code(device)})
    assert response["Location"] == "/"
    assert signed_in(client)


def test_a_wrong_code_counts_as_a_failed_login(city_admin, settings):
    enrol(city_admin)
    client = Client()
    password_step(client, "city_admin")
    response = client.post("/core/login/otp/", {"code": "123456"})
    assert response.context["form"].errors["code"] == ["动态验证码不正确。"]
    assert not signed_in(client)
    assert (
        LoginEvent.objects.filter(username="city_admin", kind="otp_failure").count() == 1
    )  # the password was right

    settings.LOGIN_FAILURE_LIMIT = 1  # now the account is locked for this address
    response = client.post("/core/login/otp/", {"code": recovery_code(city_admin)})
    assert "登录失败次数过多，账号已临时锁定，请稍后再试。" in response.content.decode()
    assert not signed_in(client)


def test_a_recovery_code_works_once(city_admin):
    code = recovery_code(city_admin)
    client = Client()
    password_step(client, "city_admin")
    assert client.post("/core/login/otp/", {"code": code})["Location"] == "/"
    client.post("/logout/")
    other = Client()
    password_step(other, "city_admin")
    response = other.post("/core/login/otp/", {"code": code})
    assert response.status_code == 200
    assert not signed_in(other)


def test_the_code_step_needs_the_password_step_first(city_admin):
    enrol(city_admin)
    response = Client().get("/core/login/otp/")
    assert response["Location"] == "/login/"


def test_administrator_chooses_more_roles_and_the_choice_is_audited(
    city_admin, mediator, login_client
):
    admin = login_client(city_admin)
    page = admin.get("/core/two-factor/").content.decode()
    assert 'value="city_admin" id="role_city_admin" checked disabled' in page
    response = admin.post("/core/two-factor/", {"roles": [roles.MEDIATOR]})
    assert response.status_code == 302
    assert set(Role.objects.filter(requires_two_factor=True).values_list("code", flat=True)) == {
        roles.CITY_ADMIN,
        roles.AUDITOR,
        roles.MEDIATOR,
    }
    entry = AuditEntry.objects.get(action="set_two_factor_roles")
    assert entry.changes == {
        "roles": [["auditor", "city_admin"], ["auditor", "city_admin", "mediator"]],
        "tokens_ended": [None, 0],
    }
    assert password_step(Client(), "yz_mediator")["Location"] == "/core/login/enrol/"


def test_newly_required_accounts_lose_their_password_only_tokens(
    city_admin, mediator, district_staff, login_client
):
    from rest_framework.authtoken.models import Token

    from yutong.core import services

    mediator_token = Token.objects.create(user=mediator)
    staff_token = Token.objects.create(user=district_staff)
    login_client(city_admin).post("/core/two-factor/", {"roles": [roles.MEDIATOR]})
    assert not Token.objects.filter(pk=mediator_token.pk).exists()  # issued on the password only
    assert Token.objects.filter(pk=staff_token.pk).exists()  # still not required
    entry = AuditEntry.objects.get(action="set_two_factor_roles")
    assert entry.changes["tokens_ended"] == [None, 1]

    # The same when an administrator gives an account a role that requires it.
    services.update_user(city_admin, district_staff, role_codes=[roles.AUDITOR])
    assert not Token.objects.filter(pk=staff_token.pk).exists()


def test_only_the_city_administrator_sets_the_policy(district_staff, auditor, login_client):
    for user in (district_staff, auditor):
        assert login_client(user).post("/core/two-factor/", {"roles": []}).status_code == 403


def test_administrator_resets_a_users_two_factor(city_admin, auditor, login_client):
    enrol(auditor)
    recovery_code(auditor)
    admin = login_client(city_admin)
    assert "已绑定" in admin.get(f"/core/users/{auditor.pk}/").content.decode()
    response = admin.post(f"/core/users/{auditor.pk}/reset-two-factor/")
    assert response.status_code == 302
    assert not twofactor.enrolled(auditor)
    assert AuditEntry.objects.get(action="reset_two_factor").object_id == str(auditor.pk)
    assert password_step(Client(), "city_auditor")["Location"] == "/core/login/enrol/"


def test_reset_by_api_and_not_of_oneself(city_admin, auditor, api_client):
    enrol(auditor)
    client = api_client(city_admin)
    assert client.post("/api/v1/auth/accounts/city_auditor/reset-two-factor/").status_code == 204
    assert not twofactor.enrolled(auditor)
    assert client.post("/api/v1/auth/accounts/city_admin/reset-two-factor/").status_code == 403


def test_the_token_endpoint_asks_for_the_code(city_admin):
    def token(**extra):
        return APIClient().post(
            "/api/v1/auth/token/",
            {"username": "city_admin", "password": PASSWORD, **extra},
            format="json",
        )

    response = token()
    assert response.status_code == 400
    assert response.json() == {"otp": ["该账号须两步验证，请先在网页登录并绑定动态验证码。"]}
    device = enrol(city_admin)
    assert token().json() == {"otp": ["该账号须两步验证，请同时提交动态验证码（otp）。"]}
    assert token(otp="123456").json() == {"otp": ["动态验证码不正确。"]}
    assert LoginEvent.objects.filter(username="city_admin", kind="otp_failure").count() == 1
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = token(otp=current_code(device))
    assert response.status_code == 200
    assert len(response.json()["token"]) == 40


def test_users_may_enrol_of_their_own_accord(district_staff, login_client):
    client = login_client(district_staff)
    assert "未启用" in client.get("/core/account/").content.decode()
    client.get("/core/account/two-factor/")
    device = TOTPDevice.objects.get(user=district_staff)
    response = client.post("/core/account/two-factor/", {"code": current_code(device)})
    assert len(response.context["codes"]) == 10
    assert password_step(Client(), "yz_staff")["Location"] == "/core/login/otp/"


def test_the_demo_enrols_admin_and_auditor_with_the_published_secret(city_admin, capsys):
    from yutong.demo.accounts import DEMO_TOTP_KEY, enrol_demo_authenticator

    enrol_demo_authenticator(city_admin)
    device = TOTPDevice.objects.get(user=city_admin)
    assert device.key == DEMO_TOTP_KEY
    call_command("democode", "city_admin")
    code = capsys.readouterr().out.strip()
    client = Client()
    password_step(client, "city_admin")
    assert client.post("/core/login/otp/", {"code": code})["Location"] == "/"


def test_democode_never_reads_a_real_authenticator(city_admin):
    from django.core.management.base import CommandError

    enrol(city_admin)
    with pytest.raises(CommandError):
        call_command("democode", "city_admin")


def test_reset_service_checks_permission(district_staff, auditor):
    from django.core.exceptions import PermissionDenied

    enrol(auditor)
    with pytest.raises(PermissionDenied):
        accounts.reset_two_factor(district_staff, auditor)
    assert twofactor.enrolled(auditor)


def test_enrolment_stops_when_the_account_is_locked(city_admin, settings):
    settings.LOGIN_FAILURE_LIMIT = 1
    client = Client()
    password_step(client, "city_admin")
    client.get("/core/login/enrol/")
    client.post("/core/login/enrol/", {"code": "000000"})  # the one failure allowed
    device = TOTPDevice.objects.get(user=city_admin)
    response = client.post("/core/login/enrol/", {"code": current_code(device)})
    assert "登录失败次数过多，账号已临时锁定，请稍后再试。" in response.content.decode()
    assert not twofactor.enrolled(city_admin)
    assert not signed_in(client)
