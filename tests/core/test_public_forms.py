"""The public forms store nothing per visitor: no session row for a GET (or a submission), a
captcha that travels signed in the form, is spent on first use and goes stale."""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.test import Client

from tests.captcha import fetch, solve
from tests.inspection.test_views import URL as COMPLAIN
from tests.inspection.test_views import public_data
from yutong.core.public_forms import CAPTCHA_SECONDS
from yutong.inspection.models import Complaint
from yutong.inspection.views import GUARD

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    "/disputes/apply/",
    "/disputes/apply/targets/?district=500103",
    "/inspection/complain/",
    "/disputes/calculator/",
    "/login/",
]


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_anonymous_gets_create_no_session_row(units, url):
    before = Session.objects.count()
    for n in range(3):
        response = Client(REMOTE_ADDR=f"10.1.0.{n}").get(url)
        assert response.status_code == 200
        assert "sessionid" not in response.cookies
    assert Session.objects.count() == before


def test_a_submission_and_its_confirmation_create_no_session_row(units):
    client = Client()
    response = client.post(COMPLAIN, public_data(client))
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert Complaint.objects.get().reference in page.content.decode()
    assert not Session.objects.exists()


def test_the_confirmation_cannot_be_forged(units):
    client = Client()
    client.cookies["yutong_inspection_complaint_done"] = signing.dumps({"reference": "TS1"})
    response = client.get("/inspection/complain/done/")
    assert response.status_code == 302 and response["Location"] == COMPLAIN


def test_a_replayed_captcha_is_refused(units):
    client = Client()
    data = public_data(client)
    assert client.post(COMPLAIN, data).status_code == 302
    replay = client.post(COMPLAIN, data | {"matter": "同一个验证码再提交一次。"})
    assert replay.status_code == 200
    assert replay.context["form"].errors["captcha"] == ["验证码已使用，请重新计算。"]
    assert Complaint.objects.count() == 1


def test_a_wrong_answer_spends_the_token_too(units):
    """One token, one guess: the sum has few answers, so trying them all must not work."""
    client = Client()
    data = public_data(client)
    wrong = str(int(data["captcha"]) + 1)
    first = client.post(COMPLAIN, data | {"captcha": wrong})
    assert first.context["form"].errors["captcha"] == ["验证码不正确，请重新计算。"]
    second = client.post(COMPLAIN, data)
    assert second.context["form"].errors["captcha"] == ["验证码已使用，请重新计算。"]
    assert not Complaint.objects.exists()


class _Earlier(signing.TimestampSigner):
    def timestamp(self):
        return signing.b62_encode(int(time.time()) - CAPTCHA_SECONDS - 60)


def test_an_expired_captcha_is_refused(units):
    client = Client()
    data = public_data(client)
    payload = signing.loads(data["captcha_token"], salt=GUARD._salt)
    stale = _Earlier(salt=GUARD._salt).sign_object(payload)
    response = client.post(COMPLAIN, data | {"captcha_token": stale})
    assert response.context["form"].errors["captcha"] == ["验证码已过期，请重新计算。"]
    assert not Complaint.objects.exists()


def test_a_tampered_token_is_refused(units):
    client = Client()
    data = public_data(client)
    response = client.post(COMPLAIN, data | {"captcha_token": data["captcha_token"] + "x"})
    assert response.context["form"].errors["captcha"] == ["验证码不正确，请重新计算。"]
    assert not Complaint.objects.exists()


def test_the_page_shows_a_new_token_after_a_failed_post(units):
    client = Client()
    data = public_data(client, matter="")
    response = client.post(COMPLAIN, data)
    fresh = solve(response)
    assert fresh["captcha_token"] != data["captcha_token"]
    retry = client.post(COMPLAIN, data | fresh | {"matter": "补充了投诉事项。"})
    assert retry.status_code == 302


def test_the_token_does_not_hold_the_answer(units):
    data = fetch(Client(), COMPLAIN)
    payload = signing.loads(data["captcha_token"], salt=GUARD._salt)
    assert data["captcha"] not in {str(v) for v in payload.values()}
