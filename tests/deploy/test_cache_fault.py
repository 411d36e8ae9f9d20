"""Redis unreachable: the cache is an accelerator, so pages, the calculator and the public
complaint form keep answering, rate limits count in the process, and the fault is logged once."""

from __future__ import annotations

import logging
import socket

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.test import APIClient

from tests.disputes.test_calculator import set_wage_parameters
from tests.disputes.test_calculator_api import COMPENSATION
from tests.inspection.test_views import public_data
from yutong import settings as yutong_settings

COMPLAIN = "/inspection/complain/"


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def redis_down(settings):
    """The production cache settings, pointed at a port nobody listens on."""
    settings.CACHES = {
        "default": yutong_settings.cache_config(f"redis://127.0.0.1:{closed_port()}/0")
    }
    yield
    cache.clear()  # the fallback memory is per process: leave nothing for the next test


def test_signed_in_pages_answer_with_redis_unreachable(
    redis_down, login_client, district_staff, city_admin
):
    for user in (district_staff, city_admin):
        client = login_client(user)
        for url in ("/", "/registry/enterprises/", "/disputes/calculator/"):
            assert client.get(url).status_code == 200, (user, url)


def test_calculator_api_answers_with_redis_unreachable(redis_down, db):
    set_wage_parameters()
    api = APIClient()
    assert api.post("/api/v1/calculations/", COMPENSATION, format="json").status_code == 200


def test_public_complaint_form_keeps_its_rate_limit(redis_down, db):
    client = Client()
    assert client.get(COMPLAIN).status_code == 200
    for _ in range(5):
        assert client.post(COMPLAIN, public_data(client)).status_code == 302
    # the limit now counts in this process's memory instead of failing every request
    assert client.post(COMPLAIN, public_data(client)).status_code == 429


def test_fault_is_logged_once_per_interval_without_personal_data(redis_down, db, caplog):
    caplog.set_level(logging.INFO, logger="yutong.core.cache")
    client = Client()
    for _ in range(3):
        client.post(COMPLAIN, public_data(client))
    records = [r for r in caplog.records if r.name == "yutong.core.cache"]
    assert len(records) == 1 and records[0].levelno == logging.WARNING
    assert "unreachable" in records[0].getMessage()
    assert "13700001111" not in caplog.text


def test_password_in_the_redis_url_is_not_logged(settings, db, caplog):
    url = f"redis://:s3cret-pass@127.0.0.1:{closed_port()}/0"
    settings.CACHES = {"default": yutong_settings.cache_config(url)}
    cache.get("anything")
    assert "unreachable" in caplog.text and "s3cret-pass" not in caplog.text
