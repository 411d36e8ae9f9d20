"""Redis unreachable: the cache is an accelerator, so pages, the calculator and the public
complaint form keep answering, rate limits count in the process, and the fault is logged once."""

from __future__ import annotations

import contextlib
import logging
import shutil
import socket
import subprocess
import time

import pytest
import redis
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
    sixth = public_data(client)  # its form is shown before the limit is reached
    for _ in range(5):
        assert client.post(COMPLAIN, public_data(client)).status_code == 302
    # the limit now counts in this process's memory instead of failing every request
    assert client.post(COMPLAIN, sixth).status_code == 429
    assert client.get(COMPLAIN).status_code == 429


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


@contextlib.contextmanager
def redis_server(port: int):
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""],
        stdout=subprocess.DEVNULL,
    )
    try:
        client = redis.Redis(port=port)
        for _ in range(100):
            with contextlib.suppress(redis.exceptions.ConnectionError):
                client.ping()
                break
            time.sleep(0.05)
        yield client
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server not installed")
def test_cache_goes_back_to_redis_when_it_returns(settings, db, caplog):
    port = closed_port()
    config = yutong_settings.cache_config(f"redis://127.0.0.1:{port}/0")
    settings.CACHES = {"default": {**config, "RETRY_SECONDS": 0}}  # retry on every call
    with redis_server(port) as raw:
        cache.set("shared", 1)
        assert raw.exists("yutong:1:shared")
    assert cache.get("shared") is None  # Redis gone: this process's memory
    cache.set("local", 2)
    assert cache.get("local") == 2 and "unreachable" in caplog.text
    with redis_server(port) as raw:
        cache.set("shared", 3)
        assert raw.get("yutong:1:shared") is not None
        assert cache.get("shared") == 3
        assert "reachable again" in caplog.text
