"""Error pages in Chinese, in production and in development alike.

With DEBUG on, Django answers a 404 or an uncaught exception with its English technical page
before any handler404/handler500 is asked (``response_for_exception``). Development keeps DEBUG for
its other conveniences, so this middleware answers those cases with our pages instead, and steps
aside only when a developer asks for the technical pages (``YUTONG_DEBUG_PAGES=1``). With DEBUG off
Django calls the handlers in ``yutong/urls.py`` itself and the middleware does nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core import signals
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpResponseServerError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.log import log_response

from . import views

security_logger = logging.getLogger("django.security")


def bad_request(request, exception=None):
    return render(request, "core/400.html", status=400)


def server_error(request):
    # No request context: the failure may be the database the context processors read.
    return HttpResponseServerError(loader.get_template("core/500.html").render())


class ErrorPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    @staticmethod
    def _ours() -> bool:
        return settings.DEBUG and not settings.DEBUG_PAGES

    def __call__(self, request):
        if self._ours():
            try:
                resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404 as exc:
                return views.not_found(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not self._ours() or isinstance(exception, PermissionDenied):
            return None  # Django renders handler403 whatever DEBUG says
        if isinstance(exception, Http404):
            return views.not_found(request, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation, MultiPartParserError)):
            security_logger.error(str(exception), extra={"status_code": 400, "request": request})
            return bad_request(request, exception)
        # As Django's own handling: signal (test client, error reporting) and log, then answer.
        signals.got_request_exception.send(sender=None, request=request)
        response = server_error(request)
        log_response(
            "%s: %s",
            response.reason_phrase,
            request.path,
            response=response,
            request=request,
            exception=exception,
        )
        return response
