"""Serializers and viewsets. ``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router;
``PATHS`` are further URL patterns under /api/v1/ (yutong/urls.py mounts both).

/api/v1/complaints/ shows a complaint together with the inspection case opened from it: the
decision (``accept``, ``refuse``, ``redirect``, ``request-materials``, ``materials-supplied``,
``assign``) acts on the complaint and takes its ``version``; the investigation (``inspectors``,
``extend``, ``close``) acts on the case and takes ``case_version``. The complainant's identity is
in the answer only for inspection roles, and then masked (phone, resident ID).
"""

from __future__ import annotations

from datetime import date

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yutong.core import cases, scope
from yutong.core.drf import StandardPagination
from yutong.core.models import User
from yutong.core.permissions import can
from yutong.core.personal import mask_phone, mask_resident_id
from yutong.registry.models import ConstructionProject
from yutong.registry.validators import normalise_uscc, validate_uscc

from . import queries, services
from .models import Complaint, ComplianceRating, Grade, InspectionCase, RatingRun, ViolationType

FIRST_DAY, LAST_DAY = date(1990, 1, 1), date(2100, 12, 31)
MAX_VERSION = 2_147_483_647


class DayField(serializers.DateField):
    default_error_messages = {"out_of_range": "日期应在 1990-01-01 至 2100-12-31 之间。"}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def to_internal_value(self, value) -> date:
        day = super().to_internal_value(value)
        if not FIRST_DAY <= day <= LAST_DAY:
            self.fail("out_of_range")
        return day


def _money_field(**kwargs):
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, **kwargs
    )


@extend_schema_field(OpenApiTypes.STR)
class ScopedCodeField(serializers.SlugRelatedField):
    """A unit or a project by its code, among those in the caller's scope."""

    def __init__(self, queryset_for, *, label: str, **kwargs):
        self.queryset_for = queryset_for
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": f"{label}“{{value}}”不存在或不在您的管辖范围内。"},
        )
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return self.queryset_for(self.context["request"].user)


def _projects(user):
    return scope.restrict_to_units(ConstructionProject.objects.all(), user)


# --- read ---------------------------------------------------------------------------------


class InspectionCaseSerializer(serializers.ModelSerializer):
    """The inspection case opened from the complaint."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    inspectors = serializers.SlugRelatedField(slug_field="username", read_only=True, many=True)
    outcome = serializers.CharField(source="closure", read_only=True)

    class Meta:
        model = InspectionCase
        fields = [
            "id",
            "number",
            "version",
            "status",
            "unit",
            "accepted_on",
            "due_on",
            "closed_on",
            "outcome",
            "closure_note",
            "assigned_to",
            "inspectors",
            "amount_owed",
            "penalty_amount",
            "amount_recovered",
            "workers_paid",
            "additional_damages",
            "mass_incident",
            "refused_order",
            "obstructed_inspection",
            "child_or_forced_labour",
        ]
        read_only_fields = fields


def _case_of(complaint: Complaint) -> InspectionCase | None:
    try:
        return complaint.case
    except InspectionCase.DoesNotExist:
        return None


class ComplaintSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    reference = serializers.CharField(read_only=True)
    workers_affected = serializers.IntegerField(source="workers_count", read_only=True)
    decision_due_on = serializers.SerializerMethodField(
        help_text="the day the acceptance decision is due (5 working days); null once decided"
    )
    due_on = serializers.SerializerMethodField(
        help_text="while undecided: the decision's due day; once accepted: the case's"
    )
    closed_on = serializers.SerializerMethodField()
    outcome = serializers.SerializerMethodField(
        help_text="the case's outcome: "
        + "; ".join(f"{v}: {k}" for v, k in InspectionCase.Outcome.choices)
    )
    amount_recovered = serializers.SerializerMethodField()
    case_version = serializers.SerializerMethodField(
        help_text="pass as version to inspectors, extend and close"
    )
    case = serializers.SerializerMethodField()

    identity_fields = (
        "complainant_name",
        "complainant_phone_masked",
        "complainant_resident_id_masked",
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "reference",
            "version",
            "status",
            "unit",
            "channel",
            "received_on",
            "decision_due_on",
            "accepted_on",
            "due_on",
            "closed_on",
            "outcome",
            "is_wage_arrears",
            "workers_affected",
            "amount_owed",
            "amount_recovered",
            "employer_name",
            "employer_uscc",
            "project",
            "matter",
            "violation_types",
            "violation_ended_on",
            "materials_requested",
            "refusal_reason",
            "redirect_to",
            "assigned_to",
            "is_anonymous",
            "case_version",
            "case",
        ]
        read_only_fields = fields

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None and queries.can_see_complainant(request.user):
            fields["complainant_name"] = serializers.CharField(read_only=True)
            fields["complainant_phone_masked"] = serializers.SerializerMethodField()
            fields["complainant_resident_id_masked"] = serializers.SerializerMethodField()
        return fields

    def get_complainant_phone_masked(self, obj) -> str:
        return mask_phone(obj.complainant_phone)

    def get_complainant_resident_id_masked(self, obj) -> str:
        return mask_resident_id(obj.complainant_resident_id)

    def get_decision_due_on(self, obj) -> date | None:
        return obj.due_on if obj.is_open else None

    def get_due_on(self, obj) -> date | None:
        case = _case_of(obj)
        return case.due_on if case is not None else obj.due_on

    def get_closed_on(self, obj) -> date | None:
        case = _case_of(obj)
        return case.closed_on if case is not None else None

    def get_outcome(self, obj) -> str:
        case = _case_of(obj)
        return case.closure if case is not None else ""

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_amount_recovered(self, obj):
        case = _case_of(obj)
        if case is None or case.amount_recovered is None:
            return None
        return str(case.amount_recovered)

    def get_case_version(self, obj) -> int | None:
        case = _case_of(obj)
        return case.version if case is not None else None

    @extend_schema_field(InspectionCaseSerializer(allow_null=True))
    def get_case(self, obj):
        case = _case_of(obj)
        return InspectionCaseSerializer(case).data if case is not None else None


# --- write --------------------------------------------------------------------------------


class ComplaintCreateSerializer(serializers.Serializer):
    """A complaint taken by staff (hotline 12333/12345, letter, visit, transfer)."""

    unit = ScopedCodeField(scope.units_visible_to, label="办理单位")
    channel = serializers.ChoiceField(
        choices=[c for c in Complaint.Channel.choices if c[0] != Complaint.Channel.ONLINE]
    )
    received_on = DayField()
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    employer_uscc = serializers.CharField(max_length=40, required=False, allow_blank=True)
    matter = serializers.CharField(max_length=10000, allow_blank=True)
    violation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolationType.choices), max_length=9
    )
    violation_ended_on = DayField(required=False, allow_null=True)
    is_wage_arrears = serializers.BooleanField(default=False)
    project = ScopedCodeField(_projects, label="工程建设项目", required=False, allow_null=True)
    workers_affected = serializers.IntegerField(default=1)
    amount_owed = _money_field(help_text="yuan")
    is_anonymous = serializers.BooleanField(default=False)
    complainant_name = serializers.CharField(max_length=64, required=False, allow_blank=True)
    complainant_phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    complainant_resident_id = serializers.CharField(
        max_length=32, required=False, allow_blank=True, help_text="write-only; read masked"
    )

    def validate_employer_uscc(self, value: str) -> str:
        value = normalise_uscc(value)
        if value:
            validate_uscc(value)
        return value

    def create(self, validated_data) -> Complaint:
        data = dict(validated_data)
        return services.register_complaint(
            self.context["request"].user,
            unit=data.pop("unit"),
            channel=data.pop("channel"),
            received_on=data.pop("received_on"),
            **data,
        )


class InspectionVersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="the version you read (complaint: version; case actions: case_version); "
        "if someone changed it since: 409",
    )


class ComplaintAcceptSerializer(InspectionVersionSerializer):
    accepted_on = DayField()


class ComplaintRefuseSerializer(InspectionVersionSerializer):
    refused_on = DayField()
    reason = serializers.CharField(max_length=300, allow_blank=True)


class ComplaintRedirectSerializer(InspectionVersionSerializer):
    redirected_on = DayField()
    redirect_to = serializers.CharField(max_length=300, allow_blank=True)


class ComplaintMaterialsSerializer(InspectionVersionSerializer):
    items = serializers.CharField(max_length=500, allow_blank=True)


class ComplaintMaterialsSuppliedSerializer(InspectionVersionSerializer):
    on = DayField(help_text="the day the materials arrived: the 5 working days restart")


class ComplaintAssignSerializer(InspectionVersionSerializer):
    handler = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )


class CaseInspectorsSerializer(InspectionVersionSerializer):
    lead = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True)
    )
    inspectors = serializers.SlugRelatedField(
        slug_field="username", queryset=User.objects.filter(is_active=True), many=True
    )


class CaseExtendSerializer(InspectionVersionSerializer):
    days = serializers.IntegerField(help_text="working days, at most 30, once")
    reason = serializers.CharField(max_length=300, allow_blank=True)
    approver = serializers.CharField(max_length=64, allow_blank=True)


class CaseCloseSerializer(InspectionVersionSerializer):
    outcome = serializers.ChoiceField(
        choices=InspectionCase.Outcome.choices,
        error_messages={"invalid_choice": "请选择处理结果。"},
    )
    closed_on = DayField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    amount_owed = _money_field(help_text="the arrears found (yuan); default: as recorded")
    penalty_amount = _money_field(help_text="required for penalty")
    amount_recovered = _money_field()
    workers_paid = serializers.IntegerField(required=False, allow_null=True)
    additional_damages = _money_field(help_text="50 %-100 % of the amount owed")
    mass_incident = serializers.BooleanField(default=False)
    refused_order = serializers.BooleanField(default=False)
    obstructed_inspection = serializers.BooleanField(default=False)
    child_or_forced_labour = serializers.BooleanField(default=False)


class ComplaintFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(
        choices=list(cases.QUEUES.items()),
        required=False,
        help_text="the decision queues (closed: decided)",
    )
    status = serializers.ChoiceField(choices=Complaint.Status.choices, required=False)
    channel = serializers.ChoiceField(choices=Complaint.Channel.choices, required=False)
    outcome = serializers.ChoiceField(choices=InspectionCase.Outcome.choices, required=False)
    is_wage_arrears = serializers.BooleanField(required=False, allow_null=True, default=None)
    received_from = DayField(required=False)
    received_to = DayField(required=False)
    unit = ScopedCodeField(scope.units_visible_to, label="单位", required=False)
    project = serializers.CharField(required=False, help_text="construction project code")

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_to")
        if start and end and start > end:
            raise exceptions.ValidationError({"received_to": ["结束日期不能早于开始日期。"]})
        return attrs


def complaints_for(user):
    return (
        queries.complaints_visible_to(user)
        .select_related("case", "case__unit", "case__assigned_to")
        .prefetch_related("case__inspectors")
    )


@extend_schema_view(
    list=extend_schema(
        parameters=[ComplaintFilterSerializer],
        description="Complaints in your scope, nearest decision first.",
    ),
    create=extend_schema(request=ComplaintCreateSerializer, responses={201: ComplaintSerializer}),
)
class ComplaintViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ComplaintSerializer
    pagination_class = StandardPagination
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        queryset = complaints_for(self.request.user)
        if self.action != "list":
            return queryset
        given = {k: v for k, v in self.request.query_params.dict().items() if v != ""}
        params = ComplaintFilterSerializer(data=given, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        return queries.work_order(self._filter(queryset, params.validated_data))

    def _filter(self, queryset, params: dict):
        if params.get("queue"):
            queryset = queries.queue(queryset, self.request.user, params["queue"])
        for field in ("status", "channel", "unit"):
            if params.get(field):
                queryset = queryset.filter(**{field: params[field]})
        if params.get("outcome"):
            queryset = queryset.filter(case__closure=params["outcome"])
        if params.get("is_wage_arrears") is not None:
            queryset = queryset.filter(is_wage_arrears=params["is_wage_arrears"])
        if params.get("received_from"):
            queryset = queryset.filter(received_on__gte=params["received_from"])
        if params.get("received_to"):
            queryset = queryset.filter(received_on__lte=params["received_to"])
        if params.get("project"):
            queryset = queryset.filter(project__code=params["project"])
        return queryset

    def present(self, complaint, status_code=status.HTTP_200_OK):
        complaint = complaints_for(self.request.user).get(pk=complaint.pk)
        data = ComplaintSerializer(complaint, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = ComplaintCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.present(serializer.save(), status.HTTP_201_CREATED)

    def _input(self, request, input_class) -> tuple[dict, int | None]:
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        return data, data.pop("version", None)

    def act(self, request, input_class, service):
        complaint = self.get_object()  # outside the scope: 404
        data, version = self._input(request, input_class)
        service(request.user, complaint, expected_version=version, **data)
        return self.present(complaint)

    def act_on_case(self, request, input_class, service):
        complaint = self.get_object()
        data, version = self._input(request, input_class)
        case = _case_of(complaint)
        if case is None:
            raise exceptions.ValidationError(
                {"non_field_errors": ["该投诉尚未立案，不能进行案件办理操作。"]}
            )
        service(request.user, case, expected_version=version, **data)
        return self.present(complaint)

    def _doc(input_class, url_path=None):  # noqa: N805 (a decorator factory in the class body)
        def decorate(method):
            method = action(detail=True, methods=["post"], url_path=url_path)(method)
            return extend_schema(request=input_class, responses={200: ComplaintSerializer})(method)

        return decorate

    @_doc(ComplaintAcceptSerializer)
    def accept(self, request, pk=None):
        """Accept: the inspection case is opened, 60 working days to conclude."""
        return self.act(request, ComplaintAcceptSerializer, services.accept_complaint)

    @_doc(ComplaintRefuseSerializer)
    def refuse(self, request, pk=None):
        """Refuse in writing with the reason (e.g. the violation is more than 2 years old)."""
        return self.act(request, ComplaintRefuseSerializer, services.refuse_complaint)

    @_doc(ComplaintRedirectSerializer)
    def redirect(self, request, pk=None):
        """Not for inspection or not this unit's: tell the complainant where to go."""
        return self.act(request, ComplaintRedirectSerializer, services.redirect_complaint)

    @_doc(ComplaintMaterialsSerializer, url_path="request-materials")
    def request_materials(self, request, pk=None):
        """Ask for the missing materials; the decision clock waits."""
        return self.act(request, ComplaintMaterialsSerializer, services.request_materials)

    @_doc(ComplaintMaterialsSuppliedSerializer, url_path="materials-supplied")
    def materials_supplied(self, request, pk=None):
        return self.act(request, ComplaintMaterialsSuppliedSerializer, services.materials_supplied)

    @_doc(ComplaintAssignSerializer)
    def assign(self, request, pk=None):
        """Give the undecided complaint to a handler of its unit."""
        return self.act(request, ComplaintAssignSerializer, services.assign_complaint)

    @_doc(CaseInspectorsSerializer)
    def inspectors(self, request, pk=None):
        """The case's lead and investigating inspectors (at least the configured number)."""
        return self.act_on_case(request, CaseInspectorsSerializer, services.assign_inspectors)

    @_doc(CaseExtendSerializer)
    def extend(self, request, pk=None):
        """Extend the case once, by at most 30 working days, with the approver."""
        return self.act_on_case(request, CaseExtendSerializer, services.extend_case)

    @_doc(CaseCloseSerializer)
    def close(self, request, pk=None):
        """Close the case with its outcome, amounts and the facts the rating needs."""
        return self.act_on_case(request, CaseCloseSerializer, services.close_case)

    del _doc


# --- compliance ratings --------------------------------------------------------------------


class RatingSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reviewed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    # Plain strings, not enums: "grade" is also the harmony evaluation's (A/AA/AAA) field
    # name, and two enums of one name make the OpenAPI schema ambiguous.
    grade = serializers.CharField(read_only=True, help_text="A, B or C (the override if any)")
    computed_grade = serializers.CharField(read_only=True, help_text="A, B or C")
    override_grade = serializers.CharField(read_only=True, help_text="empty, A, B or C")

    class Meta:
        model = ComplianceRating
        fields = [
            "id",
            "year",
            "enterprise_name",
            "uscc",
            "unit",
            "grade",
            "computed_grade",
            "reasons",
            "handled_count",
            "override_grade",
            "override_reason",
            "reviewed_by",
            "reviewed_at",
            "computed_at",
            "version",
        ]
        read_only_fields = fields


def _grade(value: str) -> str:
    if value not in Grade.values:
        raise exceptions.ValidationError("请选择等级（A、B 或 C）。")
    return value


class RatingFilterSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100, required=False)
    grade = serializers.CharField(required=False, validators=[_grade], help_text="A, B or C")
    unit = ScopedCodeField(scope.units_visible_to, label="单位", required=False)
    uscc = serializers.CharField(required=False)


class RatingOverrideSerializer(InspectionVersionSerializer):
    grade = serializers.CharField(validators=[_grade], help_text="A, B or C")
    reason = serializers.CharField(max_length=500, allow_blank=True)


LIST_RATINGS = (
    "Ratings in your scope. Only enterprises with records in the previous year (B, C) or a "
    "reviewer's override have a row: an enterprise of a unit listed in "
    "/api/v1/compliance-rating-runs/ for that year without a row is A."
)


@extend_schema_view(
    list=extend_schema(parameters=[RatingFilterSerializer], description=LIST_RATINGS)
)
class ComplianceRatingViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = RatingSerializer
    pagination_class = StandardPagination
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []

    def get_queryset(self):
        queryset = queries.ratings_visible_to(self.request.user)
        if self.action != "list":
            return queryset
        given = {k: v for k, v in self.request.query_params.dict().items() if v != ""}
        params = RatingFilterSerializer(data=given, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        data = params.validated_data
        for field in ("year", "grade", "unit"):
            if data.get(field):
                queryset = queryset.filter(**{field: data[field]})
        if data.get("uscc"):
            queryset = queryset.filter(enterprise__uscc=normalise_uscc(data["uscc"]))
        return queryset.order_by("-year", "grade", "enterprise__name", "id")

    @extend_schema(request=RatingOverrideSerializer, responses={200: RatingSerializer})
    @action(detail=True, methods=["post"])
    def override(self, request, pk=None):
        """A reviewer's grade with the reason (audited); the computed grade stays beside it."""
        rating = self.get_object()
        serializer = RatingOverrideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        rating = services.override_rating(
            request.user,
            enterprise=rating.enterprise,
            year=rating.year,
            grade=data["grade"],
            reason=data["reason"],
            expected_version=data.get("version"),
        )
        return Response(RatingSerializer(rating).data)


class RatingRunSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    computed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RatingRun
        fields = [
            "id",
            "unit",
            "year",
            "computed_at",
            "computed_by",
            "with_records",
            "rated_b",
            "rated_c",
            "rules",
        ]
        read_only_fields = fields


class RatingRunViewSet(viewsets.ReadOnlyModelViewSet):
    """Which units' ratings were computed for which year, with the rules applied."""

    serializer_class = RatingRunSerializer
    pagination_class = StandardPagination
    filterset_fields = {"year": ["exact"]}

    def get_queryset(self):
        if not can(self.request.user, *queries.READERS):
            return RatingRun.objects.none()
        runs = RatingRun.objects.select_related("unit", "computed_by")
        return scope.restrict_to_units(runs, self.request.user).order_by("-year", "unit__code")


ROUTES: list = [
    ("complaints", ComplaintViewSet, "complaint"),
    ("compliance-ratings", ComplianceRatingViewSet, "compliance-rating"),
    ("compliance-rating-runs", RatingRunViewSet, "compliance-rating-run"),
]
PATHS: list = []
