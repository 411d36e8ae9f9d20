import ipaddress
import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render, resolve_url
from django.urls import Resolver404, resolve
from django.utils.http import url_has_allowed_host_and_scheme

from .drf import NUL, NUL_MESSAGE, nul_field
from .requestcontext import RequestContext, reset_context, set_context


def _valid_ip(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    # Behind the intranet proxy, the last X-Forwarded-For hop is the address the proxy saw;
    # earlier hops come from the client and can be forged. Anything that is not an IP
    # address is ignored (the login log and audit columns hold IP addresses only).
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if forwarded and not settings.DEBUG:
        address = _valid_ip(forwarded.split(",")[-1])
        if address:
            return address
    return _valid_ip(request.META.get("REMOTE_ADDR") or "")


class RequestContextMiddleware:
    """Gives every request an id (echoed as X-Request-ID) that audit rows and logs carry."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = str(uuid.uuid4())
        request.request_id = request_id
        token = set_context(RequestContext(request_id=request_id, ip=client_ip(request)))
        try:
            response = self.get_response(request)
        finally:
            reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class HtmxLoginRedirectMiddleware:
    """An HTMX request whose session has ended would follow the login-required redirect inside
    the XMLHttpRequest and swap the login page into a fragment. Instead it is answered with
    ``HX-Redirect`` to the login page, which HTMX turns into a full page load; after signing
    in the user comes back to the page they were on (``HX-Current-URL``), not to the fragment.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") == "true"
            and response.status_code == 302
            and urlsplit(response.get("Location", "")).path == resolve_url(settings.LOGIN_URL)
        ):
            page = request.headers.get("HX-Current-URL", "")
            if not url_has_allowed_host_and_scheme(
                page, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                page = "/"
            parts = urlsplit(page)
            back = parts.path + (f"?{parts.query}" if parts.query else "")
            target = redirect_to_login(back or "/")["Location"]
            response = HttpResponse(status=204)
            response["HX-Redirect"] = target
        return response


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set on Django 5.2: CSP and permissions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if request.user.is_authenticated if hasattr(request, "user") else False:
            response.setdefault("Cache-Control", "no-store")
        return response


def _path_field(path: str) -> str:
    # Name the URL parameter that holds the byte, as a serializer field error would.
    try:
        match = resolve(path)
    except Resolver404:
        return "path"
    for name, value in match.kwargs.items():
        if NUL in str(value):
            return name
    return "path"


def _form_field(request) -> str | None:
    # The API's parsers check the bodies they decode; reading request.POST here would also
    # take a multipart body away from an API view that does not accept forms (a 415).
    if request.path_info.startswith("/api/"):
        return None
    if request.method != "POST" or request.content_type not in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return None
    files = {name: [upload.name for upload in uploads] for name, uploads in request.FILES.lists()}
    return nul_field(request.POST) or nul_field(files)


class RefuseNulMiddleware:
    """Refuses a NUL byte in the path, the query string or a form field with a 400.

    PostgreSQL cannot store or compare text holding NUL, so such input reached the
    database as a 500. Other API bodies are checked by the API's parsers (core/drf.py). Sits last
    in MIDDLEWARE so that the 400 still passes every header-setting middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = None
        if NUL in request.path_info:
            field = _path_field(request.path_info)
        field = field or nul_field(request.GET) or _form_field(request)
        if field is None:
            return self.get_response(request)
        if request.path_info.startswith("/api/"):
            return JsonResponse({field: [NUL_MESSAGE]}, status=400)
        return render(request, "core/400.html", {"message": NUL_MESSAGE}, status=400)
