"""API tokens: expiry, logout, rotation on password change, listing and revocation by
administrators."""

from datetime import datetime, timedelta

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import PASSWORD, UserFactory
from yutong.core import roles, services
from yutong.core.models import AuditEntry

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Jiefangbei-Tower-88"


def with_token(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def works(token: str) -> bool:
    return with_token(token).get("/api/v1/enterprises/").status_code == 200


def test_token_response_says_when_it_expires(district_staff, settings):
    settings.TOKEN_DAYS = 7
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": "yz_staff", "password": PASSWORD}, format="json"
    )
    token = Token.objects.get(user=district_staff)
    expires = datetime.fromisoformat(response.json()["expires"])
    assert expires == token.created + timedelta(days=7)


def test_an_expired_token_is_refused_and_a_new_login_issues_a_new_key(
    district_staff, obtain_token, settings
):
    settings.TOKEN_DAYS = 7
    old = obtain_token(district_staff)
    assert works(old)
    Token.objects.filter(key=old).update(created=Token.objects.get(key=old).created - timedelta(8))
    response = with_token(old).get("/api/v1/enterprises/")
    assert response.status_code == 401
    assert response.json()["detail"] == "令牌已过期，请重新获取。"
    new = obtain_token(district_staff)
    assert new != old
    assert works(new)


def test_logout_revokes_ones_own_token(district_staff, obtain_token):
    token = obtain_token(district_staff)
    response = with_token(token).post("/api/v1/auth/logout/")
    assert response.status_code == 204
    assert not works(token)
    assert AuditEntry.objects.filter(action="revoke_token", actor=district_staff).count() == 1
    assert APIClient().post("/api/v1/auth/logout/").status_code == 401


def test_changing_ones_password_by_api_rotates_the_token(district_staff, obtain_token):
    token = obtain_token(district_staff)
    response = with_token(token).post(
        "/api/v1/auth/password/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 200
    new = response.json()["token"]
    assert new and new != token
    assert not works(token)
    assert works(new)
    district_staff.refresh_from_db()
    assert district_staff.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="change_password").count() == 1


def test_password_change_by_api_refuses_a_wrong_old_password_and_a_weak_one(
    district_staff, obtain_token
):
    client = with_token(obtain_token(district_staff))
    response = client.post(
        "/api/v1/auth/password/",
        {"old_password": "wrong", "new_password": NEW_PASSWORD},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"old_password": ["原密码不正确。"]}
    response = client.post(
        "/api/v1/auth/password/",
        {"old_password": PASSWORD, "new_password": "short"},
        format="json",
    )
    assert response.status_code == 400
    assert "new_password" in response.json()
    district_staff.refresh_from_db()
    assert district_staff.check_password(PASSWORD)


def test_an_administrators_password_reset_revokes_the_token(
    district_staff, city_admin, obtain_token
):
    token = obtain_token(district_staff)
    services.set_user_password(city_admin, district_staff, NEW_PASSWORD)
    assert not works(token)


def test_administrator_lists_tokens_in_scope_without_keys(
    district_staff, shapingba_staff, yuzhong, obtain_token, api_client, login_client
):
    obtain_token(district_staff)
    obtain_token(shapingba_staff)
    yuzhong_admin = UserFactory(unit=yuzhong, roles=[roles.CITY_ADMIN])
    client = api_client(yuzhong_admin)
    rows = client.get("/api/v1/auth/tokens/").json()["results"]
    assert {row["username"] for row in rows} == {"yz_staff", yuzhong_admin.username}
    assert set(rows[0]) == {"username", "display_name", "unit", "created", "expires"}
    body = login_client(yuzhong_admin).get("/core/tokens/").content.decode()
    assert "yz_staff" in body
    assert "spb_staff" not in body
    assert Token.objects.get(user=district_staff).key not in body


def test_token_list_is_for_administrators_only(district_staff, api_client, login_client):
    assert api_client(district_staff).get("/api/v1/auth/tokens/").status_code == 403
    assert login_client(district_staff).get("/core/tokens/").status_code == 403


def test_administrator_revokes_a_token_by_page_and_by_api(
    district_staff, mediator, city_admin, obtain_token, api_client, login_client
):
    staff_token, mediator_token = obtain_token(district_staff), obtain_token(mediator)
    response = login_client(city_admin).post(
        f"/core/users/{district_staff.pk}/revoke-token/", {"back": "tokens"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/core/tokens/"
    assert not works(staff_token)
    response = api_client(city_admin).post("/api/v1/auth/accounts/yz_mediator/revoke-token/")
    assert response.status_code == 204
    assert not works(mediator_token)
    entries = AuditEntry.objects.filter(action="revoke_token", actor=city_admin)
    assert {entry.object_id for entry in entries} == {str(district_staff.pk), str(mediator.pk)}


def test_a_district_user_cannot_revoke_anothers_token(
    district_staff, mediator, obtain_token, api_client
):
    token = obtain_token(mediator)
    response = api_client(district_staff).post("/api/v1/auth/accounts/yz_mediator/revoke-token/")
    assert response.status_code == 403
    assert works(token)


def test_an_expired_token_is_shown_as_expired(city_admin, district_staff, login_client):
    from datetime import timedelta

    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=district_staff)
    Token.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=400))
    own = login_client(district_staff).get("/core/account/").content.decode()
    assert 'data-testid="token-expired"' in own
    page = login_client(city_admin).get(f"/core/users/{district_staff.pk}/").content.decode()
    assert 'data-testid="token-expired"' in page
