"""An HTMX request after the session ended is sent to the login page as a whole page
(``HX-Redirect``), not answered with the login form swapped into a fragment."""

from urllib.parse import quote

import pytest
from django.shortcuts import resolve_url

pytestmark = pytest.mark.django_db

LIST = "/registry/enterprises/"


def test_a_plain_request_is_redirected_as_before(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url("login"))
    assert "HX-Redirect" not in response


def test_an_htmx_request_gets_hx_redirect_back_to_the_page_it_was_on(
    client, login_client, district_staff
):
    response = client.get(
        LIST,
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/registry/enterprises/?page=2",
    )
    assert response.status_code == 204
    assert response.content == b""
    login = resolve_url("login")
    assert response["HX-Redirect"] == f"{login}?next={quote('/registry/enterprises/?page=2')}"
    # An expired session behaves the same: the session is gone, the header is there.
    signed_in = login_client(district_staff)
    signed_in.logout()
    again = signed_in.post("/core/reveal/x/1/", HTTP_HX_REQUEST="true")
    assert again.status_code == 204 and again["HX-Redirect"].startswith(login)


def test_a_foreign_current_url_is_not_used_as_next(client):
    response = client.get(
        LIST, HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/phish"
    )
    assert response["HX-Redirect"] == f"{resolve_url('login')}?next=/"


def test_a_signed_in_htmx_request_is_untouched(login_client, district_staff):
    response = login_client(district_staff).get(LIST, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "HX-Redirect" not in response
