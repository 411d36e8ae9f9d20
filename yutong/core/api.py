"""API pieces of core: the token endpoint and org units."""

from django.contrib.auth.signals import user_logged_in
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response

from . import scope
from .auth import LOCKED_MESSAGE
from .drf import DayField
from .models import OrgUnit


class TokenView(ObtainAuthToken):
    """POST {"username", "password"} → {"token"}; the same lockout as the login page."""

    @extend_schema(
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            if getattr(request, "yutong_locked", False):
                raise exceptions.ValidationError({"non_field_errors": [LOCKED_MESSAGE]})
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        token, _ = Token.objects.get_or_create(user=user)
        # A token is a login: the login log records it (and resets the failure count), and
        # last_login is updated, as for the login page.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response({"token": token.key})


class OrgUnitSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)
    successor = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = OrgUnit
        fields = [
            "code",
            "name",
            "level",
            "kind",
            "parent",
            "valid_from",
            "valid_to",
            "successor",
            "current",
        ]


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Org units in the caller's scope.

    Filters: ?level=district, ?parent=CODE, ?on=YYYY-MM-DD (units in force that day).
    """

    serializer_class = OrgUnitSerializer
    lookup_field = "code"
    filterset_fields = {"level": ["exact"], "kind": ["exact"]}

    def get_queryset(self):
        queryset = scope.units_visible_to(self.request.user).select_related("successor", "current")
        parent = self.request.query_params.get("parent")
        if parent:
            queryset = queryset.filter(parent__code=parent)
        on = self.request.query_params.get("on")
        if on:
            field = DayField()
            try:
                day = field.to_internal_value(on)
            except serializers.ValidationError as exc:
                raise exceptions.ValidationError({"on": exc.detail}) from exc
            queryset = queryset.filter(OrgUnit.valid_on_q(day))
        return queryset.order_by("code")
