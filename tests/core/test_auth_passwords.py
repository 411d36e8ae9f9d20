"""The password policy (等保 level 3) and the self-service password change page."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tests.e2e.conftest import PASSWORD as E2E_PASSWORD
from tests.factories import PASSWORD
from yutong.core.models import AuditEntry, PasswordHistory, User
from yutong.demo.accounts import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

CLASSES = "密码须包含大写字母、小写字母、数字、符号中的至少 3 类。"
NOT_USERNAME = "密码不能包含用户名。"
REUSED = "不能与最近 5 次使用过的密码相同。"


def problems(password, user=None):
    try:
        with translation.override("zh-hans"):
            validate_password(password, user)
    except ValidationError as exc:
        return exc.messages
    return []


@pytest.mark.parametrize("password", [DEMO_PASSWORD, PASSWORD, E2E_PASSWORD])
def test_the_project_passwords_meet_the_policy(password):
    assert problems(password, User(username="admin")) == []


def test_short_passwords_are_refused():
    assert any("至少 10 个字符" in text for text in problems("Ab1!cdefg"))


@pytest.mark.parametrize(
    ("password", "ok"),
    [
        ("kangaroo-paddock", False),  # lower + symbol
        ("KangarooPaddock", False),  # upper + lower
        ("kangaroo-paddock7", True),  # lower + symbol + digit
        ("KangarooPaddock7", True),  # upper + lower + digit
    ],
)
def test_three_of_four_character_classes(password, ok):
    assert (CLASSES not in problems(password)) is ok


def test_a_password_containing_the_username_is_refused():
    user = User(username="chaotianmen")
    assert NOT_USERNAME in problems("Chaotianmen-2026!", user)
    assert NOT_USERNAME in problems("2026-nemnaitoahc-X", user)


def test_none_of_the_last_five_passwords(district_staff):
    passwords = [f"Ciqikou-Street-{n}!" for n in range(6)]
    for password in passwords:
        assert problems(password, district_staff) == []
        district_staff.set_password(password)
        district_staff.save()
    # The current one and the four before it are refused; the sixth-last is allowed again.
    for password in passwords[1:]:
        assert REUSED in problems(password, district_staff)
    assert problems(passwords[0], district_staff) == []
    assert PasswordHistory.objects.filter(user=district_staff).count() == 5
    assert all(row.password.startswith("md5$") for row in PasswordHistory.objects.all())


def test_the_password_page_shows_the_rules(district_staff, login_client):
    body = login_client(district_staff).get("/core/account/password/").content.decode()
    assert 'data-testid="password-rules"' in body
    for rule in (CLASSES, NOT_USERNAME, REUSED, "至少 10 个字符"):
        assert rule in body


def test_changing_ones_password_on_the_page(district_staff):
    client = Client()
    client.post("/login/", {"username": "yz_staff", "password": PASSWORD})
    new = "Hongyadong-Night-2026"
    response = client.post(
        "/core/account/password/",
        {"old_password": PASSWORD, "new_password": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get("/core/account/").status_code == 200  # still signed in
    district_staff.refresh_from_db()
    assert district_staff.check_password(new)
    assert AuditEntry.objects.get(action="change_password").actor == district_staff


def test_the_page_refuses_bad_input_in_chinese(district_staff, login_client):
    client = login_client(district_staff)
    response = client.post(
        "/core/account/password/",
        {"old_password": "wrong", "new_password": "Abcdefgh-12", "new_password2": "x"},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["new_password2"] == ["两次输入的新密码不一致。"]
    response = client.post(
        "/core/account/password/",
        {"old_password": PASSWORD, "new_password": PASSWORD, "new_password2": PASSWORD},
    )
    assert REUSED in response.context["form"].errors["new_password"]
    district_staff.refresh_from_db()
    assert district_staff.check_password(PASSWORD)


def test_the_user_form_shows_the_rules_too(city_admin, login_client):
    body = login_client(city_admin).get("/core/users/new/").content.decode()
    assert CLASSES in body
    assert REUSED in body
