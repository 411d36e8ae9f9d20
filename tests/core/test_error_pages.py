"""Chinese error pages for 400/403/404/500 whether DEBUG is on or off; Django's technical pages
only when a developer sets YUTONG_DEBUG_PAGES=1."""

import pytest
from django.core.exceptions import SuspiciousOperation
from django.test import Client
from django.urls import path

from yutong import urls as project_urls


def boom(request):
    raise RuntimeError("broken on purpose")


def suspicious(request):
    raise SuspiciousOperation("bad header")


# The project's URLs plus two views that fail, with the project's handlers.
urlpatterns = [path("boom/", boom), path("suspicious/", suspicious), *project_urls.urlpatterns]
handler400, handler403 = project_urls.handler400, project_urls.handler403
handler404, handler500 = project_urls.handler404, project_urls.handler500

NOT_FOUND = "页面或记录不存在"
SERVER_ERROR = "系统暂时出错"


@pytest.fixture
def client():
    return Client(raise_request_exception=False)


@pytest.fixture(params=[True, False], ids=["debug", "production"])
def site(request, settings):
    settings.DEBUG = request.param
    settings.DEBUG_PAGES = False
    settings.ROOT_URLCONF = __name__
    return settings


@pytest.mark.django_db
def test_unknown_address_gets_the_chinese_404(site, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()
    assert "Page not found" not in response.content.decode()


@pytest.mark.django_db
def test_missing_record_gets_the_chinese_404(site, client, city_admin):
    client.force_login(city_admin)
    response = client.get("/registry/enterprises/000000000000000000/")
    assert response.status_code == 404
    assert NOT_FOUND in response.content.decode()


@pytest.mark.django_db
def test_uncaught_error_gets_the_chinese_500(site, client):
    response = client.get("/boom/")
    assert response.status_code == 500
    page = response.content.decode()
    assert SERVER_ERROR in page
    assert "RuntimeError" not in page and "Traceback" not in page


@pytest.mark.django_db
def test_bad_request_gets_the_chinese_400(site, client):
    response = client.get("/suspicious/")
    assert response.status_code == 400
    assert "请求的格式有误" in response.content.decode()


@pytest.mark.django_db
def test_a_missing_slash_still_redirects(site, client):
    assert client.get("/core/audit").status_code == 301


@pytest.mark.django_db
def test_technical_pages_only_when_asked(settings, client):
    settings.DEBUG, settings.DEBUG_PAGES, settings.ROOT_URLCONF = True, True, __name__
    assert "Using the URLconf" in client.get("/no-such-page/").content.decode()
    assert "RuntimeError" in client.get("/boom/").content.decode()


def test_debug_pages_are_off_by_default():
    from yutong import settings as project_settings

    assert project_settings.DEBUG_PAGES is False
