"""/api/v1/enterprises/, /api/v1/parks/ and /api/v1/projects/: list, register, read and edit
enterprises, industrial parks and construction projects in the caller's scope."""

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yutong.core import roles, scope
from yutong.core.drf import DayField
from yutong.core.models import OrgUnit
from yutong.core.pagination import EstimatedCountPagination
from yutong.core.permissions import can
from yutong.core.personal import mask_phone

from . import queries, services
from .choices import ProjectStatus
from .forms import EnterpriseFilterForm, ParkFilterForm, ProjectFilterForm
from .models import (
    ConstructionProject,
    Enterprise,
    EnterpriseState,
    IndustrialPark,
    ParkState,
    ProjectSubcontractor,
)
from .services import EDITABLE_FIELDS, PARK_FIELDS, PROJECT_FIELDS


class UnitField(serializers.SlugRelatedField):
    """A unit code, looked up only among the caller's units in force today."""

    def __init__(self, level, **kwargs):
        self.level = level
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        user = self.context["request"].user
        return scope.units_visible_to(user).filter(
            OrgUnit.valid_on_q(timezone.localdate()), level=self.level
        )


UNION_FLAG_MESSAGE = "“已建工会”由工会登记维护：请在“工会组织”中登记或撤销该企业的工会。"


class TrackedRecordSerializer(serializers.ModelSerializer):
    """Create and update of a record with a change history (an enterprise, a park): a new
    record has no earlier values, so ``effective_on``/``correction`` are refused on create; the
    key (``key_field``) cannot change; ``version`` guards against overwriting."""

    key_field = ""
    key_label = ""
    noun = ""

    def register(self, actor, **data):
        raise NotImplementedError

    def change(self, actor, instance, **data):
        raise NotImplementedError

    def create(self, validated_data):
        validated_data.pop("version", None)
        misplaced = {
            field: [f"仅在修改{self.noun}信息时使用。"]
            for field, value in (
                ("effective_on", validated_data.pop("effective_on", None)),
                ("correction", validated_data.pop("correction", False)),
            )
            if value
        }
        if misplaced:
            raise exceptions.ValidationError(misplaced)
        return self.register(self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        key = validated_data.pop(self.key_field, getattr(instance, self.key_field))
        if key != getattr(instance, self.key_field):
            raise exceptions.ValidationError({self.key_field: [f"{self.key_label}不能修改。"]})
        return self.change(
            self.context["request"].user,
            instance,
            expected_version=expected,
            effective_on=validated_data.pop("effective_on", None),
            correction=validated_data.pop("correction", False),
            **validated_data,
        )


class EnterpriseSerializer(TrackedRecordSerializer):
    key_field, key_label, noun = "uscc", "统一社会信用代码", "企业"

    unit = UnitField(OrgUnit.Level.DISTRICT)
    township = UnitField(OrgUnit.Level.TOWNSHIP, required=False, allow_null=True)
    park = serializers.SlugRelatedField(slug_field="code", read_only=True)
    contact_phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    contact_phone_masked = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False, help_text="PATCH: the version you read; a mismatch is 409."
    )
    effective_on = DayField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text=(
            "PATCH: the day a change of unit, township, park, industry, status or "
            "employee_count took effect (default today); the replaced values stay on record "
            "for the days before (see history/)."
        ),
    )
    correction = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="PATCH: true mends a wrong entry; the replaced values are not kept.",
    )

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            *EDITABLE_FIELDS,
            "union_established",
            "state_since",
            "effective_on",
            "correction",
            "contact_phone_masked",
            "version",
            "created_at",
            "updated_at",
        ]
        # The union flag is kept by the union services (relations), from the union records.
        read_only_fields = ["union_established", "state_since", "created_at", "updated_at"]
        # Uniqueness and placement are checked by the service, with the UI's messages.
        extra_kwargs = {"uscc": {"validators": []}}

    def get_contact_phone_masked(self, obj) -> str:
        return mask_phone(obj.contact_phone)

    def validate(self, attrs):
        # Read-only fields are dropped silently; a client that tries to change the flag is told
        # where it is kept instead (sending back the stored value, as a PUT does, is fine).
        sent = self.initial_data.get("union_established") if self.initial_data else None
        stored = self.instance.union_established if self.instance else False
        if sent is not None and serializers.BooleanField().to_internal_value(sent) != stored:
            raise exceptions.ValidationError({"union_established": [UNION_FLAG_MESSAGE]})
        return attrs

    def register(self, actor, **data):
        return services.register_enterprise(actor, **data)

    def change(self, actor, instance, **data):
        return services.update_enterprise(actor, instance, **data)


class EnterpriseStateSerializer(serializers.ModelSerializer):
    """What the enterprise was for [valid_from, valid_until); units and park by code."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    park = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    valid_from = DayField(
        read_only=True,
        allow_null=True,
        help_text="first day; null = since before the records began",
    )
    valid_until = DayField(read_only=True, help_text="first day of the next period (exclusive)")

    class Meta:
        model = EnterpriseState
        fields = [
            "valid_from",
            "valid_until",
            "unit",
            "township",
            "park",
            "industry",
            "status",
            "employee_count",
            "recorded_at",
        ]
        read_only_fields = fields


FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="name (contains) or USCC (exact or prefix)"),
    OpenApiParameter("unit", str, description="district-level unit code"),
    OpenApiParameter(
        "unit_basis",
        str,
        enum=["recorded", "current"],
        description="recorded: the unit of the record's time; current: today's unit",
    ),
    OpenApiParameter("township", str, description="township/street code"),
    OpenApiParameter("industry", str, description="GB/T 4754 section letter"),
    OpenApiParameter("size", str, enum=["lt20", "20_99", "100_299", "300_999", "1000plus"]),
    OpenApiParameter("status", str, enum=["operating", "suspended", "deregistered"]),
    OpenApiParameter("ownership", str),
    OpenApiParameter("union", str, enum=["yes", "no"]),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class EnterpriseViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = EnterpriseSerializer
    # A city-wide list is a million rows: its count may be an estimate (count_is_estimate).
    pagination_class = EstimatedCountPagination
    lookup_field = "uscc"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        queryset = queries.enterprises_visible_to(self.request.user)
        if self.action != "list":
            return queryset
        form = EnterpriseFilterForm(
            self.request.query_params, units=scope.units_visible_to(self.request.user)
        )
        if not form.is_valid():
            raise exceptions.ValidationError({k: list(v) for k, v in form.errors.items()})
        return queries.filter_enterprises(queryset, form.cleaned_data).order_by("name", "id")

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method in ("POST", "PATCH") and not can(request.user, *roles.REGISTRY_EDITORS):
            raise exceptions.PermissionDenied("您没有登记或修改企业的权限。")

    @extend_schema(
        summary="Past states of the enterprise, newest first",
        description=(
            "The values of unit, township, park, industry, status and employee_count before "
            "each change, one row per period [valid_from, valid_until). The present values "
            "hold from the enterprise's state_since."
        ),
        responses=EnterpriseStateSerializer(many=True),
    )
    @action(detail=True, methods=["get"], serializer_class=EnterpriseStateSerializer)
    def history(self, request, uscc=None):
        enterprise = self.get_object()  # 404 outside the caller's scope
        page = self.paginate_queryset(queries.enterprise_history(request.user, enterprise))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# --- construction projects ------------------------------------------------------------------


class SubcontractorSerializer(serializers.Serializer):
    enterprise = serializers.SlugRelatedField(
        slug_field="uscc", queryset=Enterprise.objects.all(), help_text="USCC"
    )
    scope_of_work = serializers.CharField(required=False, allow_blank=True, max_length=100)


class ProjectSerializer(serializers.ModelSerializer):
    unit = UnitField(OrgUnit.Level.DISTRICT)
    township = UnitField(OrgUnit.Level.TOWNSHIP, required=False, allow_null=True)
    owner = serializers.SlugRelatedField(slug_field="uscc", queryset=Enterprise.objects.all())
    general_contractor = serializers.SlugRelatedField(
        slug_field="uscc", queryset=Enterprise.objects.all()
    )
    subcontractors = SubcontractorSerializer(many=True, required=False, write_only=True)
    labour_officer_phone = serializers.CharField(write_only=True, required=False, allow_blank=True)
    labour_officer_phone_masked = serializers.SerializerMethodField()
    wage_code_colour = serializers.SerializerMethodField(
        help_text="green, yellow or red (null before the first computation)"
    )
    version = serializers.IntegerField(
        required=False, help_text="PATCH: the version you read; a mismatch is 409."
    )

    class Meta:
        model = ConstructionProject
        fields = [
            "id",
            "code",
            *PROJECT_FIELDS,
            "subcontractors",
            "labour_officer_phone_masked",
            "wage_code_colour",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"code": {"validators": []}}

    def get_labour_officer_phone_masked(self, obj) -> str:
        return mask_phone(obj.labour_officer_phone)

    def get_wage_code_colour(self, obj) -> str | None:
        code = getattr(obj, "wage_code", None)  # kept by the wages app (reverse one-to-one)
        return code.colour if code is not None else None

    def to_representation(self, instance):
        data = super().to_representation(instance)
        rows = ProjectSubcontractor.objects.filter(project=instance).select_related("enterprise")
        data["subcontractors"] = [
            {"enterprise": row.enterprise.uscc, "scope_of_work": row.scope_of_work}
            for row in rows.order_by("id")
        ]
        return data

    @staticmethod
    def _pairs(validated_data):
        rows = validated_data.pop("subcontractors", None)
        if rows is None:
            return None
        return [(row["enterprise"], row.get("scope_of_work", "")) for row in rows]

    def create(self, validated_data):
        validated_data.pop("version", None)
        pairs = self._pairs(validated_data) or []
        return services.register_project(
            self.context["request"].user, subcontractors=pairs, **validated_data
        )

    def update(self, instance, validated_data):
        expected = validated_data.pop("version", None)
        if "code" in validated_data and validated_data["code"] != instance.code:
            raise exceptions.ValidationError({"code": ["项目编号不能修改。"]})
        validated_data.pop("code", None)
        return services.update_project(
            self.context["request"].user,
            instance,
            expected_version=expected,
            subcontractors=self._pairs(validated_data),
            **validated_data,
        )


PROJECT_FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="project name (contains) or project code (exact)"),
    OpenApiParameter("unit", str, description="district-level unit code"),
    OpenApiParameter("unit_basis", str, enum=["recorded", "current"]),
    OpenApiParameter("township", str, description="township/street code"),
    OpenApiParameter("status", str, enum=[c for c, _ in ProjectStatus.choices]),
    OpenApiParameter("contractor", str, description="general contractor: USCC or name"),
    OpenApiParameter("colour", str, enum=["green", "yellow", "red"]),
]


@extend_schema_view(list=extend_schema(parameters=PROJECT_FILTER_PARAMETERS))
class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Construction projects in the caller's scope (staff: their units; an enterprise account:
    the projects its enterprise is a party to). Editors: city admin, district staff, inspectors."""

    serializer_class = ProjectSerializer
    pagination_class = EstimatedCountPagination
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        user = self.request.user
        if self.request.method == "PATCH":
            # Outside the editor's units is a 404 even for a project they could read.
            return queries.projects_editable_by(user).select_related(
                "owner", "general_contractor", "wage_code"
            )
        queryset = queries.projects_visible_to(user).select_related("wage_code")
        if self.action != "list":
            return queryset
        form = ProjectFilterForm(self.request.query_params, units=scope.units_visible_to(user))
        if not form.is_valid():
            raise exceptions.ValidationError({k: list(v) for k, v in form.errors.items()})
        return queries.filter_projects(queryset, form.cleaned_data).order_by(*queries.PROJECT_ORDER)

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method in ("POST", "PATCH") and not can(request.user, *roles.PROJECT_EDITORS):
            raise exceptions.PermissionDenied("您没有登记或修改工程建设项目的权限。")


# --- industrial parks -----------------------------------------------------------------------


class ParkSerializer(TrackedRecordSerializer):
    key_field, key_label, noun = "code", "园区代码", "园区"

    unit = UnitField(OrgUnit.Level.DISTRICT)
    township = UnitField(OrgUnit.Level.TOWNSHIP, required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False, help_text="PATCH: the version you read; a mismatch is 409."
    )
    effective_on = DayField(
        write_only=True,
        required=False,
        allow_null=True,
        help_text=(
            "PATCH: the day a change of unit or township took effect (default today); the "
            "replaced values stay on record for the days before (see history/)."
        ),
    )
    correction = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="PATCH: true mends a wrong entry; the replaced values are not kept.",
    )

    class Meta:
        model = IndustrialPark
        fields = [
            "code",
            *PARK_FIELDS,
            "is_active",
            "closed_on",
            "state_since",
            "effective_on",
            "correction",
            "version",
            "created_at",
            "updated_at",
        ]
        # Closing and reopening are the close/ and reopen/ actions.
        read_only_fields = ["is_active", "closed_on", "state_since", "created_at", "updated_at"]
        extra_kwargs = {"code": {"validators": []}}

    def register(self, actor, **data):
        return services.create_park(actor, **data)

    def change(self, actor, instance, **data):
        return services.update_park(actor, instance, **data)


class ParkStateSerializer(serializers.ModelSerializer):
    """What the park was for [valid_from, valid_until); units by code."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    valid_from = DayField(
        read_only=True,
        allow_null=True,
        help_text="first day; null = since before the records began",
    )
    valid_until = DayField(read_only=True, help_text="first day of the next period (exclusive)")

    class Meta:
        model = ParkState
        fields = ["valid_from", "valid_until", "unit", "township", "is_active", "recorded_at"]
        read_only_fields = fields


class ParkCloseSerializer(serializers.Serializer):
    closed_on = DayField(required=False, allow_null=True, help_text="default today")
    version = serializers.IntegerField(required=False, help_text="a mismatch is 409")


class ParkReopenSerializer(serializers.Serializer):
    reopened_on = DayField(required=False, allow_null=True, help_text="default today")
    version = serializers.IntegerField(required=False, help_text="a mismatch is 409")


PARK_FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="park name (contains) or park code (exact)"),
    OpenApiParameter("unit", str, description="district-level unit code"),
    OpenApiParameter("unit_basis", str, enum=["recorded", "current"]),
    OpenApiParameter("township", str, description="township/street code"),
    OpenApiParameter("active", str, enum=["yes", "no"], description="operating or closed"),
]


@extend_schema_view(list=extend_schema(parameters=PARK_FILTER_PARAMETERS))
class ParkViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Industrial parks in the caller's scope (staff only). Editors: city admin and district
    staff, within their units."""

    serializer_class = ParkSerializer
    lookup_field = "code"
    http_method_names = ["get", "post", "patch", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        queryset = queries.parks_visible_to(self.request.user)
        if self.action != "list":
            return queryset
        form = ParkFilterForm(
            self.request.query_params, units=scope.units_visible_to(self.request.user)
        )
        if not form.is_valid():
            raise exceptions.ValidationError({k: list(v) for k, v in form.errors.items()})
        return queries.filter_parks(queryset, form.cleaned_data).order_by(*queries.PARK_ORDER)

    def check_permissions(self, request):
        super().check_permissions(request)
        if not can(request.user, *roles.STAFF_ROLES):
            raise exceptions.PermissionDenied("您没有查看工业园区的权限。")
        if request.method in ("POST", "PATCH") and not can(request.user, *roles.REGISTRY_EDITORS):
            raise exceptions.PermissionDenied("您没有登记或修改工业园区的权限。")

    @extend_schema(
        summary="Close the park (撤销)",
        description="From closed_on (default today) the park is not counted; before, it is.",
        request=ParkCloseSerializer,
        responses=ParkSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=ParkCloseSerializer)
    def close(self, request, code=None):
        park = self.get_object()  # 404 outside the caller's scope
        data = self._valid(request)
        park = services.close_park(
            request.user,
            park,
            closed_on=data.get("closed_on"),
            expected_version=data.get("version"),
        )
        return Response(ParkSerializer(park, context=self.get_serializer_context()).data)

    @extend_schema(
        summary="Put a closed park back in operation",
        request=ParkReopenSerializer,
        responses=ParkSerializer,
    )
    @action(detail=True, methods=["post"], serializer_class=ParkReopenSerializer)
    def reopen(self, request, code=None):
        park = self.get_object()
        data = self._valid(request)
        park = services.reopen_park(
            request.user,
            park,
            reopened_on=data.get("reopened_on"),
            expected_version=data.get("version"),
        )
        return Response(ParkSerializer(park, context=self.get_serializer_context()).data)

    def _valid(self, request) -> dict:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    @extend_schema(
        summary="Past states of the park, newest first",
        description=(
            "The values of unit, township and is_active before each change, one row per "
            "period [valid_from, valid_until). The present values hold from state_since."
        ),
        responses=ParkStateSerializer(many=True),
    )
    @action(detail=True, methods=["get"], serializer_class=ParkStateSerializer)
    def history(self, request, code=None):
        park = self.get_object()
        page = self.paginate_queryset(queries.park_history(request.user, park))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


# Further registry viewsets: (prefix, viewset, basename).
ROUTES: list = [("parks", ParkViewSet, "park"), ("projects", ProjectViewSet, "project")]
