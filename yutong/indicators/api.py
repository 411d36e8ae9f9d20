"""The indicators API: definitions and settings (``/api/v1/indicators/``) and computed values
(``/api/v1/indicator-values/``). Values are computed on each request from the case records."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from yutong.core import roles
from yutong.core.drf import MomentField
from yutong.core.models import OrgUnit

from . import engine, services
from .definitions import BY_CODE
from .models import Indicator, IndicatorTarget
from .periods import parse_period

VIEWERS = roles.STAFF_ROLES


class StaffOnly(permissions.BasePermission):
    message = "指标数据仅向业务人员开放。"

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user.is_authenticated and (user.is_superuser or user.has_role(*VIEWERS)))


class TargetSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndicatorTarget
        fields = ["year", "unit", "value", "note"]


class IndicatorSerializer(serializers.ModelSerializer):
    settings = serializers.SerializerMethodField()
    option_definitions = serializers.SerializerMethodField()
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "kind",
            "description",
            "settings",
            "option_definitions",
            "targets",
            "version",
            "updated_at",
        ]

    def get_settings(self, obj) -> dict:
        return engine.settings_of(obj)

    def get_option_definitions(self, obj) -> list[dict]:
        return [
            {
                "name": option.name,
                "label": option.label,
                "kind": option.kind,
                "default": option.default,
                "choices": [value for value, _ in option.choices],
                "minimum": None if option.minimum is None else str(option.minimum),
                "maximum": None if option.maximum is None else str(option.maximum),
                "help": option.help,
            }
            for option in BY_CODE[obj.code].options
        ]


class SettingsInputSerializer(serializers.Serializer):
    options = serializers.DictField(label="口径设置")
    version = serializers.IntegerField(label="版本号")


class TargetInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(label="年度")
    value = serializers.CharField(label="目标值（%）")
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        required=False,
        allow_null=True,
        label="单位（不填为默认目标）",
        error_messages={"does_not_exist": "没有代码为 {value} 的单位。"},
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200)


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """The six indicators, their settings (options) and targets. City administrators change
    settings with ``PATCH`` (send the ``version`` read) and targets with ``POST …/targets/``."""

    serializer_class = IndicatorSerializer
    permission_classes = [permissions.IsAuthenticated, StaffOnly]
    pagination_class = None
    lookup_field = "code"
    queryset = Indicator.objects.prefetch_related("targets__unit")

    @extend_schema(request=SettingsInputSerializer, responses=IndicatorSerializer)
    def partial_update(self, request, code=None):
        indicator = self.get_object()
        data = SettingsInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.update_settings(
            request.user,
            indicator,
            options=data.validated_data["options"],
            expected_version=data.validated_data["version"],
        )
        return Response(IndicatorSerializer(self.get_object()).data)

    @extend_schema(request=TargetInputSerializer, responses=TargetSerializer)
    @action(detail=True, methods=["post"])
    def targets(self, request, code=None):
        indicator = self.get_object()
        data = TargetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        target = services.set_target(request.user, indicator, **data.validated_data)
        return Response(TargetSerializer(target).data, status=201)


VALUE_RESPONSE = inline_serializer(
    "IndicatorValue",
    {
        "indicator": serializers.CharField(),
        "unit": serializers.CharField(),
        "unit_name": serializers.CharField(),
        "period": serializers.CharField(),
        "numerator": serializers.IntegerField(allow_null=True),
        "denominator": serializers.IntegerField(allow_null=True),
        "value": serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True),
        "target": serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True),
        "gap": serializers.DecimalField(max_digits=7, decimal_places=2, allow_null=True),
        "status": serializers.ChoiceField(
            choices=[*engine.STATUS_LABELS, "unavailable"],
            help_text="met, at_risk, missed, no_data (no denominator), unavailable (the "
            "records of this indicator are not kept yet)",
        ),
        "as_of": MomentField(allow_null=True),
        "rank": serializers.IntegerField(
            allow_null=True,
            help_text="名次: the district-level unit's place in the league when no unit is asked "
            "for (by value, highest first; equal values share a place, the next is skipped: "
            "1, 2, 2, 4); null for the city, for a unit without a value (no denominator) or "
            "an indicator whose records are not kept, and when one unit is asked for",
        ),
        "settings": serializers.DictField(),
        "parts": serializers.ListField(
            child=serializers.DictField(),
            help_text="a value made of several kinds of record (harmony_coverage: 企业, 工业园区): "
            "each one's label, numerator, denominator and value; empty otherwise",
        ),
    },
    many=True,
)


def _text(value) -> str | None:
    return None if value is None else str(value)


def value_json(value: engine.Value, rank: int | None = None) -> dict:
    return {
        "indicator": value.indicator.code,
        "unit": value.unit.code,
        "unit_name": value.unit.name,
        "period": value.period.key,
        "numerator": value.numerator,
        "denominator": value.denominator,
        "value": _text(value.value),
        "target": _text(value.target),
        "gap": _text(value.gap),
        "status": value.status,
        "as_of": value.as_of.isoformat(),
        "rank": rank,
        "settings": value.settings,
        "parts": [
            {
                "label": part.label,
                "numerator": part.numerator,
                "denominator": part.denominator,
                "value": _text(part.value),
            }
            for part in value.parts
        ],
    }


def unavailable_json(indicator: Indicator, unit: OrgUnit, period) -> dict:
    return {
        "indicator": indicator.code,
        "unit": unit.code,
        "unit_name": unit.name,
        "period": period.key,
        "numerator": None,
        "denominator": None,
        "value": None,
        "target": None,
        "gap": None,
        "status": "unavailable",
        "as_of": None,
        "rank": None,
        "settings": {},
        "parts": [],
    }


class IndicatorValuesView(APIView):
    permission_classes = [permissions.IsAuthenticated, StaffOnly]

    @extend_schema(
        parameters=[
            OpenApiParameter("indicator", OpenApiTypes.STR, description="指标代码；不填为全部六项"),
            OpenApiParameter("unit", OpenApiTypes.STR, description="单位代码；不填为全市及各区县"),
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            OpenApiParameter("quarter", OpenApiTypes.INT),
            OpenApiParameter("month", OpenApiTypes.INT),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="年初至该日"),
            OpenApiParameter(
                "basis", OpenApiTypes.STR, enum=list(engine.BASES), description="默认 recorded"
            ),
        ],
        responses=VALUE_RESPONSE,
    )
    def get(self, request):
        params = request.query_params
        try:
            period = parse_period(
                params.get("year"), params.get("quarter"), params.get("month"), params.get("as_of")
            )
        except ValidationError as exc:
            raise exceptions.ValidationError(exc.message_dict) from None
        basis = params.get("basis") or engine.RECORDED
        if basis not in engine.BASES:
            raise exceptions.ValidationError({"basis": ["应为 recorded 或 current。"]})
        chosen = self._indicators(params.get("indicator"))
        league = not params.get("unit")
        units = self._units(params.get("unit"), period, basis)
        results = []
        for indicator in chosen:
            try:
                values = engine.compute(indicator, period, units, basis=basis)
            except engine.SourceUnavailable:
                results += [unavailable_json(indicator, unit, period) for unit in units]
                continue
            ranks = engine.league_ranks(values) if league else [None] * len(values)
            results += [value_json(v, r) for v, r in zip(values, ranks, strict=True)]
        return Response(results)

    def _indicators(self, code: str | None) -> list[Indicator]:
        if not code:
            return engine.indicators()
        found = engine.indicators([code])
        if not found:
            raise exceptions.ValidationError(
                {"indicator": [f"没有代码为 {code} 的指标。可选：{'、'.join(BY_CODE)}。"]}
            )
        return found

    def _units(self, code: str | None, period, basis) -> list[OrgUnit]:
        if not code:
            return engine.units_listed(period, basis, timezone.localdate())
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            raise exceptions.ValidationError({"unit": [f"没有代码为 {code} 的单位。"]})
        return [unit]


ROUTES = [("indicators", IndicatorViewSet, "indicator")]
PATHS = [path("indicator-values/", IndicatorValuesView.as_view(), name="api_indicator_values")]
