"""/api/v1/harmony-enrollments/ and /api/v1/harmony-evaluations/: list, create, read, and every
change of state as ``POST …/{id}/{action}/``; /api/v1/harmony-coverage/ (staff) and
/api/v1/harmony-graded/ (the public list, no login).

Serializers check the shape of the input; the rules, roles and scope are the services'. A
record outside the caller's scope is a 404; a stale ``version`` a 409; a wrong state a 400
(``non_field_errors``). ``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router;
``PATHS`` are further URL patterns under /api/v1/ (yutong/urls.py mounts both).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import (
    exceptions,
    generics,
    mixins,
    permissions,
    serializers,
    status,
    views,
    viewsets,
)
from rest_framework.decorators import action
from rest_framework.response import Response

from yutong.core import scope
from yutong.core.drf import (
    DayField,
    NulRefusingFormParser,
    NulRefusingJSONParser,
    NulRefusingMultiPartParser,
)
from yutong.core.models import OrgUnit
from yutong.core.pagination import EstimatedCountPagination
from yutong.registry.choices import Industry
from yutong.registry.queries import enterprises_visible_to, parks_visible_to
from yutong.registry.validators import normalise_uscc

from . import queries, services
from .models import (
    DocumentKind,
    EvaluationDocument,
    EvaluationScore,
    Grade,
    HarmonyEnrollment,
    HarmonyEvaluation,
    VetoItem,
)

MAX_VERSION = 2_147_483_647


def _version_field():
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="the record's version as you read it; if someone changed it since: 409",
    )


@extend_schema_field(OpenApiTypes.STR)
class EnterpriseCodeField(serializers.RelatedField):
    """An enterprise by its USCC, among those the caller may see."""

    default_error_messages = {
        "does_not_exist": "企业“{value}”不存在或不在您的管辖范围内。",
        "invalid": "请填写统一社会信用代码。",
    }

    def get_queryset(self):
        return enterprises_visible_to(self.context["request"].user)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        code = normalise_uscc(data)
        found = self.get_queryset().filter(uscc=code).first()
        if found is None:
            self.fail("does_not_exist", value=data)
        return found

    def to_representation(self, value):
        return value.uscc


@extend_schema_field(OpenApiTypes.STR)
class ScopedCodeField(serializers.SlugRelatedField):
    def __init__(self, queryset_for, *, label: str, **kwargs):
        self.queryset_for = queryset_for
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": f"{label}“{{value}}”不存在或不在您的管辖范围内。",
                "invalid": f"请填写{label}代码。",
            },
        )
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return self.queryset_for(self.context["request"].user)


def _townships(user):
    return scope.units_visible_to(user).filter(level=OrgUnit.Level.TOWNSHIP)


def _districts(user):
    return scope.units_visible_to(user).exclude(level=OrgUnit.Level.TOWNSHIP)


def _industry_districts(user):
    """The district of a new industry-wide enrolment (none for a township account)."""
    return scope.placing_units(user).exclude(level=OrgUnit.Level.TOWNSHIP)


def _parks(user):
    return parks_visible_to(user)


# --- enrolments -----------------------------------------------------------------------------


class EnrollmentSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    enterprise = serializers.CharField(
        source="enterprise.uscc", read_only=True, allow_null=True, default=None
    )
    township = serializers.CharField(
        source="township.code", read_only=True, allow_null=True, default=None
    )
    park = serializers.CharField(source="park.code", read_only=True, allow_null=True, default=None)
    target_name = serializers.CharField(read_only=True)
    enrolled_by = serializers.StringRelatedField()

    class Meta:
        model = HarmonyEnrollment
        fields = [
            "id",
            "scope",
            "unit",
            "unit_name",
            "enterprise",
            "township",
            "park",
            "industry",
            "target_name",
            "year",
            "starts_on",
            "ends_on",
            "covered_until",
            "withdrawn_on",
            "withdrawal_reason",
            "self_enrolled",
            "enrolled_by",
            "enrolled_at",
            "note",
            "version",
        ]


class EnrollmentCreateSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(
        choices=HarmonyEnrollment.Scope.choices,
        error_messages={"invalid_choice": "请选择创建类型（enterprise、region、park、industry）。"},
    )
    enterprise = EnterpriseCodeField(required=False, help_text="USCC, for scope enterprise")
    township = ScopedCodeField(
        _townships, label="镇街", required=False, help_text="township code, for scope region"
    )
    park = ScopedCodeField(_parks, label="园区", required=False, help_text="for scope park")
    industry = serializers.ChoiceField(
        choices=Industry.choices, required=False, help_text="GB/T 4754 section, for industry"
    )
    unit = ScopedCodeField(
        _industry_districts,
        label="区县",
        required=False,
        help_text="district code, for scope industry",
    )
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    starts_on = DayField(required=False)
    ends_on = DayField(required=False, allow_null=True)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)

    def create(self, validated_data):
        return services.enrol(self.context["request"].user, **validated_data)


class WithdrawSerializer(serializers.Serializer):
    on = DayField(required=False, help_text="the first day not covered; default today")
    reason = serializers.CharField(max_length=300, allow_blank=True)
    version = _version_field()


class EnrollmentFilterSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=HarmonyEnrollment.Scope.choices, required=False)
    unit = ScopedCodeField(_districts, label="区县", required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    active_on = DayField(required=False, help_text="only enrolments covering this day")
    q = serializers.CharField(required=False, max_length=100)


def _filters(serializer_class, request, context):
    given = {k: v for k, v in request.query_params.dict().items() if v != ""}
    params = serializer_class(data=given, context=context)
    params.is_valid(raise_exception=True)
    return params.validated_data


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = EstimatedCountPagination
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []
    create_serializer_class: type[serializers.Serializer]

    def present(self, obj, status_code=status.HTTP_200_OK):
        obj = self.visible(self.request.user).get(pk=obj.pk)
        data = self.get_serializer_class()(obj, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.present(serializer.save(), status.HTTP_201_CREATED)

    def act(self, request, input_class, call):
        obj = self.get_object()  # outside the scope: 404
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        return self.present(call(request.user, obj, expected_version=version, **data))


@extend_schema_view(
    list=extend_schema(parameters=[EnrollmentFilterSerializer]),
    create=extend_schema(request=EnrollmentCreateSerializer, responses={201: EnrollmentSerializer}),
)
class HarmonyEnrollmentViewSet(ScopedViewSet):
    """Enrolments in the creation activity: of an enterprise, a township/street (region), a park
    or an industry within a district; the caller's scope only."""

    serializer_class = EnrollmentSerializer
    create_serializer_class = EnrollmentCreateSerializer

    def visible(self, user):
        return queries.enrollments_visible_to(user)

    def get_queryset(self):
        queryset = self.visible(self.request.user)
        if self.action == "list":
            params = _filters(
                EnrollmentFilterSerializer, self.request, self.get_serializer_context()
            )
            queryset = queries.filter_enrollments(queryset, params)
        return queryset.order_by("-starts_on", "-id")

    @extend_schema(request=WithdrawSerializer, responses={200: EnrollmentSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """End the enrolment: not covered from ``on`` (default today); reason required."""
        return self.act(request, WithdrawSerializer, services.withdraw_enrollment)


# --- evaluations ----------------------------------------------------------------------------


class ScoreSerializer(serializers.ModelSerializer):
    item = serializers.CharField(source="item.code")

    class Meta:
        model = EvaluationScore
        fields = ["item", "item_name", "max_points", "points"]


class DocumentSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(source="kind.code")
    kind_name = serializers.CharField(source="kind.name")

    class Meta:
        model = EvaluationDocument
        fields = ["id", "kind", "kind_name", "original_name", "size", "uploaded_at"]


class EvaluationSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.uscc")
    enterprise_name = serializers.CharField(source="enterprise.name")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    scores = ScoreSerializer(many=True)
    documents = DocumentSerializer(many=True)
    missing_documents = serializers.SerializerMethodField()
    vetoes = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = HarmonyEvaluation
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "unit_name",
            "grade",
            "status",
            "self_score",
            "scores",
            "documents",
            "missing_documents",
            "submitted_on",
            "review_score",
            "decision",
            "review_reason",
            "reviewed_on",
            "vetoes",
            "granted_on",
            "valid_until",
            "is_current",
            "withdrawn_on",
            "revoked_on",
            "revocation_reason",
            "created_at",
            "version",
        ]

    def get_missing_documents(self, obj) -> list[str]:
        present = {d.kind_id for d in obj.documents.all()}
        return [k.code for k in _required_kinds() if k.pk not in present]


def _required_kinds():
    return list(DocumentKind.objects.filter(is_active=True, is_required=True))


class EvaluationCreateSerializer(serializers.Serializer):
    enterprise = EnterpriseCodeField(help_text="USCC")
    grade = serializers.ChoiceField(
        choices=Grade.choices, error_messages={"invalid_choice": "请选择申报等级（A、AA、AAA）。"}
    )

    def create(self, validated_data):
        return services.start_evaluation(
            self.context["request"].user,
            validated_data["enterprise"],
            grade=validated_data["grade"],
        )


class ScoresInputSerializer(serializers.Serializer):
    scores = serializers.DictField(
        child=serializers.DecimalField(max_digits=5, decimal_places=1),
        help_text="{item code: points} for every active scoring item",
    )
    version = _version_field()


class VersionSerializer(serializers.Serializer):
    version = _version_field()


class ReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=HarmonyEvaluation.Decision.choices,
        error_messages={"invalid_choice": "请选择审核结论（approve 或 reject）。"},
    )
    score = serializers.DecimalField(max_digits=5, decimal_places=1, min_value=0, max_value=100)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    vetoes = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=VetoItem.objects.filter(is_active=True),
        help_text="codes of the veto items found; any blocks approval",
    )
    version = _version_field()


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
    version = _version_field()


class DocumentInputSerializer(serializers.Serializer):
    kind = serializers.SlugRelatedField(
        slug_field="code",
        queryset=DocumentKind.objects.filter(is_active=True),
        error_messages={"does_not_exist": "材料类别“{value}”不存在。"},
    )
    file = serializers.FileField(help_text="PDF, JPG, PNG, Word or Excel; at most 20 MB")


class EvaluationFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=HarmonyEvaluation.Status.choices, required=False)
    grade = serializers.ChoiceField(choices=Grade.choices, required=False)
    unit = ScopedCodeField(_districts, label="区县", required=False)
    q = serializers.CharField(required=False, max_length=100)


@extend_schema_view(
    list=extend_schema(parameters=[EvaluationFilterSerializer]),
    create=extend_schema(request=EvaluationCreateSerializer, responses={201: EvaluationSerializer}),
)
class HarmonyEvaluationViewSet(ScopedViewSet):
    """Harmonious-enterprise evaluations: draft → submitted → approved / rejected; withdrawn;
    approved → revoked. Grades A, AA, AAA strictly in sequence."""

    serializer_class = EvaluationSerializer
    create_serializer_class = EvaluationCreateSerializer
    parser_classes = [NulRefusingJSONParser, NulRefusingFormParser, NulRefusingMultiPartParser]

    def visible(self, user):
        return queries.evaluations_visible_to(user).prefetch_related(
            Prefetch("scores", queryset=EvaluationScore.objects.select_related("item")),
            Prefetch("documents", queryset=EvaluationDocument.objects.select_related("kind")),
            "vetoes",
        )

    def get_queryset(self):
        queryset = self.visible(self.request.user)
        if self.action == "list":
            params = _filters(
                EvaluationFilterSerializer, self.request, self.get_serializer_context()
            )
            queryset = queries.filter_evaluations(queryset, params)
        return queryset.order_by("-created_at", "-id")

    @extend_schema(request=ScoresInputSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def scores(self, request, pk=None):
        """Record the self-score of every active scoring item (draft only)."""
        return self.act(request, ScoresInputSerializer, services.set_self_scores)

    @extend_schema(
        request={"multipart/form-data": DocumentInputSerializer},
        responses={201: EvaluationSerializer},
    )
    @action(detail=True, methods=["post"])
    def documents(self, request, pk=None):
        """Upload one document of the application pack (multipart: ``kind``, ``file``)."""
        evaluation = self.get_object()
        serializer = DocumentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.add_document(
            request.user,
            evaluation,
            kind=serializer.validated_data["kind"],
            file=serializer.validated_data["file"],
        )
        return self.present(evaluation, status.HTTP_201_CREATED)

    @extend_schema(request=VersionSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit for review: self-score over the grade's threshold, pack complete, in sequence."""
        return self.act(request, VersionSerializer, services.submit_evaluation)

    @extend_schema(request=ReviewSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """The district's review: score, decision, reason, veto items found."""
        return self.act(request, ReviewSerializer, services.review_evaluation)

    @extend_schema(request=VersionSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """Withdraw an application not yet decided."""
        return self.act(request, VersionSerializer, services.withdraw_evaluation)

    @extend_schema(request=RevokeSerializer, responses={200: EvaluationSerializer})
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """Revoke a granted grade (reason required)."""
        return self.act(request, RevokeSerializer, services.revoke_evaluation)


# --- coverage and the public list ----------------------------------------------------------


class CoverageRowSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit_code")
    unit_name = serializers.CharField()
    enterprises = serializers.IntegerField()
    enterprises_covered = serializers.IntegerField()
    parks = serializers.IntegerField()
    parks_covered = serializers.IntegerField()
    numerator = serializers.IntegerField()
    denominator = serializers.IntegerField()
    rate = serializers.DecimalField(max_digits=5, decimal_places=1, allow_null=True)
    enterprise_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="enterprises alone"
    )
    park_rate = serializers.DecimalField(
        max_digits=5, decimal_places=1, allow_null=True, help_text="parks alone"
    )


class CoverageQuerySerializer(serializers.Serializer):
    as_of = DayField(required=False, help_text="default today")


class CoverageView(views.APIView):
    """``harmony_coverage`` per district-level unit in the caller's scope, as of a day (per
    township for a township account)."""

    @extend_schema(
        parameters=[CoverageQuerySerializer], responses={200: CoverageRowSerializer(many=True)}
    )
    def get(self, request):
        if not queries.is_staff_reader(request.user):
            raise exceptions.PermissionDenied("您没有查看覆盖率的权限。")
        params = _filters(CoverageQuerySerializer, request, {"request": request})
        rows = queries.coverage_for(request.user, params.get("as_of") or timezone.localdate())
        return Response(CoverageRowSerializer(rows, many=True).data)


class GradedSerializer(serializers.ModelSerializer):
    enterprise = serializers.CharField(source="enterprise.uscc")
    enterprise_name = serializers.CharField(source="enterprise.name")
    unit = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")

    class Meta:
        model = HarmonyEvaluation
        fields = ["enterprise", "enterprise_name", "unit", "unit_name", "grade"]
        fields += ["granted_on", "valid_until"]


class GradedFilterSerializer(serializers.Serializer):
    unit = serializers.SlugRelatedField(
        slug_field="code",
        queryset=OrgUnit.objects.all(),
        required=False,
        error_messages={"does_not_exist": "单位“{value}”不存在。"},
    )
    grade = serializers.ChoiceField(choices=Grade.choices, required=False)


@extend_schema(parameters=[GradedFilterSerializer])
class GradedListView(generics.ListAPIView):
    """The public list of graded enterprises (no login): grades held today."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = GradedSerializer
    pagination_class = EstimatedCountPagination

    def get_queryset(self):
        params = _filters(GradedFilterSerializer, self.request, {"request": self.request})
        rows = queries.graded_enterprises()
        if params.get("unit"):
            rows = rows.filter(unit=params["unit"])
        if params.get("grade"):
            rows = rows.filter(grade=params["grade"])
        return rows


ROUTES: list = [
    ("harmony-enrollments", HarmonyEnrollmentViewSet, "harmony-enrollment"),
    ("harmony-evaluations", HarmonyEvaluationViewSet, "harmony-evaluation"),
]
PATHS: list = [
    path("harmony-coverage/", CoverageView.as_view(), name="api_harmony_coverage"),
    path("harmony-graded/", GradedListView.as_view(), name="api_harmony_graded"),
]
