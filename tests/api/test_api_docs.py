"""/api/schema/ and /api/docs/: signed-in users only in production, with the usual headers."""

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_docs(settings):
    settings.API_DOCS_PUBLIC = False


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/", "/api/docs/?script="])
def test_anonymous_users_cannot_read_the_api_description_in_production(url, production_docs):
    assert APIClient().get(url).status_code == 401


@pytest.mark.parametrize("url", ["/api/schema/", "/api/docs/"])
def test_signed_in_users_read_it(url, production_docs, district_staff, api_client, login_client):
    assert api_client(district_staff).get(url).status_code == 200
    assert login_client(district_staff).get(url).status_code == 200


def test_it_is_public_when_the_operator_opens_it(settings):
    settings.API_DOCS_PUBLIC = True
    assert APIClient().get("/api/schema/").status_code == 200


def test_the_docs_page_has_the_security_headers_and_no_inline_script(district_staff, login_client):
    client = login_client(district_staff)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    csp = page["Content-Security-Policy"]
    assert "script-src 'self';" in csp
    assert page["X-Frame-Options"] == "DENY"
    assert page["X-Content-Type-Options"] == "nosniff"
    body = page.content.decode()
    # Every script is loaded from a URL the CSP allows; none is written into the page.
    assert "<script>" not in body
    assert "?script=" in body
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


def test_the_production_default_is_closed(monkeypatch):
    import importlib

    import yutong.settings as yutong_settings

    monkeypatch.setenv("YUTONG_DEBUG", "0")
    monkeypatch.setenv("YUTONG_SECRET_KEY", "x" * 60)
    monkeypatch.setenv("YUTONG_FIELD_KEY", "y" * 40)
    monkeypatch.delenv("YUTONG_API_DOCS_PUBLIC", raising=False)
    try:
        assert importlib.reload(yutong_settings).API_DOCS_PUBLIC is False
    finally:
        monkeypatch.undo()
        importlib.reload(yutong_settings)
