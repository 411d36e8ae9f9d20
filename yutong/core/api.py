"""API pieces of core: the token endpoint and org units."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken

from . import scope
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
        return super().post(request, *args, **kwargs)


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
            field = serializers.DateField()
            try:
                day = field.to_internal_value(on)
            except serializers.ValidationError as exc:
                raise exceptions.ValidationError({"on": exc.detail}) from exc
            queryset = queryset.filter(OrgUnit.valid_on_q(day))
        return queryset.order_by("code")
