"""Serializers and views. ``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router;
``PATHS`` are further URL patterns under /api/v1/ (yutong/urls.py mounts both).

``GET /api/v1/projects/{id}/wage-code/`` is public (no login), throttled per client address,
and answers ``{"colour": "green"|"yellow"|"red", "reasons": [text, …]}`` — the stored colour
and the reasons the public page shows (no personal data)."""

from django.urls import path
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from yutong.core.middleware import client_ip

from .models import WageCode

THROTTLED_MESSAGE = "查询过于频繁，请稍后再试。"


class PublicThrottle(SimpleRateThrottle):
    """120 public wage-code reads a minute per client address (``client_ip``: the proxy's
    last hop, not the caller-chosen X-Forwarded-For), shared by the page, the QR image and
    the API."""

    scope = "wage_code"
    rate = "120/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class WageCodeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]

    @extend_schema(
        summary="The wage code (渝薪码) of a construction project: colour and reasons. Public.",
        responses={
            200: inline_serializer(
                "WageCodeResponse",
                {
                    "colour": serializers.ChoiceField(choices=["green", "yellow", "red"]),
                    "reasons": serializers.ListField(child=serializers.CharField()),
                },
            ),
            404: OpenApiResponse(description="No such project (or not computed yet)."),
            429: OpenApiResponse(description="Too many requests from this address."),
        },
        auth=[],
    )
    def get(self, request, pk: int):
        code = WageCode.objects.filter(project_id=pk).first()
        if code is None:
            raise exceptions.NotFound("没有该项目。")
        return Response(
            {"colour": code.colour, "reasons": [reason["text"] for reason in code.reasons]}
        )

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=THROTTLED_MESSAGE)


ROUTES: list = []
PATHS: list = [
    path("projects/<int:pk>/wage-code/", WageCodeView.as_view(), name="api_project_wage_code"),
]
