"""Serializers and viewsets. ``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router;
``PATHS`` are further URL patterns under /api/v1/ (yutong/urls.py mounts both).

/api/v1/complaints/ shows a complaint together with the inspection case opened from it: the
decision (``accept``, ``refuse``, ``redirect``, ``request-materials``, ``materials-supplied``,
``assign``) acts on the complaint and takes its ``version``; the investigation (``inspectors``,
``extend``, ``suspend``, ``resume``, ``close``) acts on the case and takes ``case_version``. The
complainant's identity is in the answer only for inspection roles, and then masked (phone,
resident ID).

/api/v1/inspection-cases/ lists and reads every inspection case (from a complaint or proactive),
opens proactive ones and carries the case actions; /api/v1/arrears-blacklist/ is the wage-arrears
blacklist (list, listing, early removal, cancellation) and /api/v1/arrears-blacklist/public/ the
public list in force (no login, throttled, employers only: no amounts, no personal data).
"""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, Q
from django.urls import path
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, generics, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle

from yutong.core import cases, scope
from yutong.core import services as core_services
from yutong.core.drf import DayField, MomentField, StandardPagination, UrgeSerializer
from yutong.core.middleware import client_ip
from yutong.core.models import User
from yutong.core.permissions import can
from yutong.core.personal import mask_phone, mask_resident_id
from yutong.registry.models import ConstructionProject
from yutong.registry.validators import normalise_uscc, validate_uscc

from . import queries, services
from .models import (
    ArrearsBlacklist,
    Complaint,
    ComplianceRating,
    Grade,
    InspectionCase,
    InspectionEvent,
    RatingRun,
    ViolationType,
)

MAX_VERSION = 2_147_483_647


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


class ComplainantIdentityMixin:
    """The complainant's identity (name; phone and resident ID masked), added to a complaint's
    fields only when the reader is inspection staff (``queries.IDENTITY_READERS``): never for
    an auditor or an enterprise account."""

    identity_fields = (
        "complainant_name",
        "complainant_phone_masked",
        "complainant_resident_id_masked",
    )

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


class ComplaintSerializer(ComplainantIdentityMixin, serializers.ModelSerializer):
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

    unit = ScopedCodeField(scope.filing_units, label="办理单位")
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
    decided_on = DayField(
        required=False,
        help_text="the day the extension was approved (default today); not after the due day",
    )
    days = serializers.IntegerField(help_text="working days, at most 30, once")
    reason = serializers.CharField(max_length=300, allow_blank=True)
    approver = serializers.CharField(max_length=64, allow_blank=True)


class CaseSuspendSerializer(InspectionVersionSerializer):
    from_day = DayField(help_text="the first day the clock stands still")
    reason = serializers.CharField(max_length=300, allow_blank=True)
    approver = serializers.CharField(max_length=64, allow_blank=True)


class CaseResumeSerializer(InspectionVersionSerializer):
    to_day = DayField(help_text="the last suspended day")


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


def require_handler(request) -> None:
    """Every POST of these endpoints is a service call for inspection staff: refuse the other
    roles before reading the body, so that they get 403 whatever they send."""
    if request.method == "POST" and not can(request.user, *services.HANDLERS):
        raise exceptions.PermissionDenied("您没有办理劳动保障监察事项的权限。")


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

    def check_permissions(self, request):
        super().check_permissions(request)
        require_handler(request)

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

    @_doc(CaseSuspendSerializer)
    def suspend(self, request, pk=None):
        """Stop the case's clock from ``from_day`` with the reason and the approver."""
        return self.act_on_case(request, CaseSuspendSerializer, services.suspend_case)

    @_doc(CaseResumeSerializer)
    def resume(self, request, pk=None):
        """End the case's suspension; ``to_day`` is the last suspended day."""
        return self.act_on_case(request, CaseResumeSerializer, services.resume_case)

    @_doc(CaseCloseSerializer)
    def close(self, request, pk=None):
        """Close the case with its outcome, amounts and the facts the rating needs."""
        return self.act_on_case(request, CaseCloseSerializer, services.close_case)

    @_doc(UrgeSerializer)
    def urge(self, request, pk=None):
        """催办 on the complaint: its handler is told by message (managing staff)."""
        return self.act(request, UrgeSerializer, core_services.urge_case)

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


class RatingComputeSerializer(serializers.Serializer):
    unit = ScopedCodeField(scope.units_visible_to, label="评价单位", help_text="a district")
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, help_text="rated from the previous year's records"
    )


@extend_schema_view(
    create=extend_schema(request=RatingComputeSerializer, responses={201: RatingRunSerializer})
)
class RatingRunViewSet(viewsets.ReadOnlyModelViewSet, mixins.CreateModelMixin):
    """Which units' ratings were computed for which year, with the rules applied. POST
    computes (or recomputes, keeping reviewers' overrides) a district's ratings for a year."""

    serializer_class = RatingRunSerializer
    pagination_class = StandardPagination
    filterset_fields = {"year": ["exact"]}
    http_method_names = ["get", "post", "head", "options"]

    def check_permissions(self, request):
        super().check_permissions(request)
        require_handler(request)

    def create(self, request, *args, **kwargs):
        serializer = RatingComputeSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        run = services.compute_ratings(request.user, **serializer.validated_data)
        return Response(RatingRunSerializer(run).data, status=status.HTTP_201_CREATED)

    def get_queryset(self):
        if not can(self.request.user, *queries.READERS):
            return RatingRun.objects.none()
        runs = RatingRun.objects.select_related("unit", "computed_by")
        return scope.restrict_to_units(runs, self.request.user).order_by("-year", "unit__code")


# --- inspection cases ----------------------------------------------------------------------


class CaseClockSerializer(serializers.Serializer):
    as_of = DayField(help_text="today")
    due = DayField(allow_null=True, help_text="null while suspended")
    days_used = serializers.IntegerField(help_text="working days")
    days_left = serializers.IntegerField(help_text="working days; negative when overdue")
    overdue = serializers.BooleanField()
    due_soon = serializers.BooleanField(help_text="within 5 working days")
    suspended = serializers.BooleanField()
    calendar_known = serializers.BooleanField(
        help_text="false when a year's holidays are not known yet: the due date is provisional"
    )


class CaseClockChangeSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="extension, suspension or restart")
    days = serializers.IntegerField(help_text="extension: working days added")
    from_day = DayField(allow_null=True)
    to_day = DayField(allow_null=True, help_text="suspension: null while it runs")
    reason = serializers.CharField()
    approver = serializers.CharField()
    at = MomentField()


def _choice_help(choices) -> str:
    return "; ".join(f"{value}: {label}" for value, label in choices)


class CaseComplaintSerializer(ComplainantIdentityMixin, serializers.ModelSerializer):
    """The complaint a case was opened from (the complainant only for inspection staff)."""

    reference = serializers.CharField(read_only=True)
    channel = serializers.CharField(
        read_only=True, help_text=_choice_help(Complaint.Channel.choices)
    )

    class Meta:
        model = Complaint
        fields = ["id", "reference", "channel", "received_on", "is_anonymous", "version"]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = InspectionEvent
        fields = ["at", "actor", "kind", "text"]
        read_only_fields = fields


class InspectionCaseRecordSerializer(serializers.ModelSerializer):
    """One inspection case, opened from a complaint or proactively."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assigned_to = serializers.SlugRelatedField(
        slug_field="username", read_only=True, help_text="the lead inspector"
    )
    inspectors = serializers.SlugRelatedField(slug_field="username", read_only=True, many=True)
    # Plain strings: the complaint's case (InspectionCase) already names these enums.
    status = serializers.CharField(
        read_only=True, help_text=_choice_help(InspectionCase.Status.choices)
    )
    origin = serializers.CharField(
        read_only=True, help_text=_choice_help(InspectionCase.Origin.choices)
    )
    outcome = serializers.CharField(
        source="closure",
        read_only=True,
        help_text="empty while open; " + _choice_help(InspectionCase.Outcome.choices),
    )
    workers_affected = serializers.IntegerField(source="workers_count", read_only=True)
    clock = serializers.SerializerMethodField(
        help_text="the 60-working-day clock of an open case as of today (null once closed)"
    )
    clock_changes = serializers.SerializerMethodField(
        help_text="extensions and suspensions of the clock, oldest first"
    )
    extended = serializers.SerializerMethodField(help_text="the one extension has been used")
    suspended = serializers.SerializerMethodField(help_text="a suspension is running")
    listings = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="ids in /api/v1/arrears-blacklist/ based on this case"
    )
    complaint = serializers.SerializerMethodField(
        help_text="origin complaint: the complaint (complainant only for inspection staff)"
    )

    class Meta:
        model = InspectionCase
        fields = [
            "id",
            "number",
            "version",
            "status",
            "origin",
            "campaign",
            "unit",
            "received_on",
            "accepted_on",
            "due_on",
            "closed_on",
            "ended_on",
            "outcome",
            "closure_note",
            "employer_name",
            "employer_uscc",
            "project",
            "matter",
            "violation_types",
            "is_wage_arrears",
            "is_collective",
            "workers_affected",
            "amount_owed",
            "assigned_to",
            "inspectors",
            "penalty_amount",
            "amount_recovered",
            "workers_paid",
            "additional_damages",
            "mass_incident",
            "refused_order",
            "obstructed_inspection",
            "child_or_forced_labour",
            "clock",
            "clock_changes",
            "extended",
            "suspended",
            "listings",
            "complaint",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(CaseClockSerializer(allow_null=True))
    def get_clock(self, obj):
        state = obj.clock_state()
        return CaseClockSerializer(state).data if state is not None else None

    @extend_schema_field(CaseClockChangeSerializer(many=True))
    def get_clock_changes(self, obj):
        changes = sorted(obj.clock_changes.all(), key=lambda c: (c.at, c.id))
        return CaseClockChangeSerializer(changes, many=True).data

    def get_extended(self, obj) -> bool:
        return any(c.kind == "extension" for c in obj.current_clock_changes())

    def get_suspended(self, obj) -> bool:
        return cases.open_suspension(obj) is not None

    @extend_schema_field(CaseComplaintSerializer(allow_null=True))
    def get_complaint(self, obj):
        if obj.complaint_id is None:
            return None
        return CaseComplaintSerializer(obj.complaint, context=self.context).data


class InspectionCaseDetailSerializer(InspectionCaseRecordSerializer):
    events = serializers.SerializerMethodField(help_text="the timeline, oldest first")

    class Meta(InspectionCaseRecordSerializer.Meta):
        fields = [*InspectionCaseRecordSerializer.Meta.fields, "events"]
        read_only_fields = fields

    @extend_schema_field(CaseEventSerializer(many=True))
    def get_events(self, obj):
        events = obj.events.select_related("actor").order_by("at", "id")
        return CaseEventSerializer(events, many=True).data


class ProactiveCaseCreateSerializer(serializers.Serializer):
    """A case opened without a complaint: patrol, written review, special campaign, random
    draw (条例 Art.14)."""

    unit = ScopedCodeField(scope.filing_units, label="办理单位")
    origin = serializers.ChoiceField(
        choices=[c for c in InspectionCase.Origin.choices if c[0] in services.PROACTIVE],
        error_messages={
            "invalid_choice": "请选择案件来源（日常巡视、书面审查、专项检查或双随机抽查）。"
        },
    )
    opened_on = DayField(help_text="the 60 working days count from this day")
    campaign = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="", help_text="campaign only"
    )
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    employer_uscc = serializers.CharField(max_length=40, required=False, allow_blank=True)
    matter = serializers.CharField(max_length=10000, allow_blank=True)
    violation_types = serializers.ListField(
        child=serializers.ChoiceField(choices=ViolationType.choices), max_length=9
    )
    is_wage_arrears = serializers.BooleanField(default=False)
    project = ScopedCodeField(_projects, label="工程建设项目", required=False, allow_null=True)
    workers_affected = serializers.IntegerField(default=1)
    amount_owed = _money_field(help_text="yuan")

    def validate_employer_uscc(self, value: str) -> str:
        value = normalise_uscc(value)
        if value:
            validate_uscc(value)
        return value

    def create(self, validated_data) -> InspectionCase:
        data = dict(validated_data)
        return services.open_inspection(
            self.context["request"].user,
            unit=data.pop("unit"),
            origin=data.pop("origin"),
            opened_on=data.pop("opened_on"),
            **data,
        )


class InspectionCaseFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(
        choices=list(cases.QUEUES.items()),
        required=False,
        help_text="the case queues; without one, every case in scope",
    )
    status = serializers.ChoiceField(choices=InspectionCase.Status.choices, required=False)
    origin = serializers.ChoiceField(choices=InspectionCase.Origin.choices, required=False)
    outcome = serializers.ChoiceField(choices=InspectionCase.Outcome.choices, required=False)
    is_wage_arrears = serializers.BooleanField(required=False, allow_null=True, default=None)
    accepted_from = DayField(required=False, help_text="opened on or after")
    accepted_to = DayField(required=False, help_text="opened on or before")
    employer = serializers.CharField(
        max_length=100, required=False, help_text="employer name contains"
    )
    unit = ScopedCodeField(scope.units_visible_to, label="单位", required=False)
    project = serializers.CharField(required=False, help_text="construction project code")

    def validate(self, attrs):
        start, end = attrs.get("accepted_from"), attrs.get("accepted_to")
        if start and end and start > end:
            raise exceptions.ValidationError({"accepted_to": ["结束日期不能早于开始日期。"]})
        return attrs


def inspection_cases_for(user):
    return queries.inspection_cases_visible_to(user).prefetch_related(
        "inspectors",
        "clock_changes",
        Prefetch("listings", queryset=ArrearsBlacklist.objects.only("id", "case_id")),
    )


def _query_params(request) -> dict:
    return {k: v for k, v in request.query_params.dict().items() if v != ""}


@extend_schema_view(
    list=extend_schema(
        parameters=[InspectionCaseFilterSerializer],
        description="Inspection cases in your scope: collective first, then the nearest due "
        "day (the closed queue: latest closure first).",
    ),
    retrieve=extend_schema(responses=InspectionCaseDetailSerializer),
    create=extend_schema(
        request=ProactiveCaseCreateSerializer, responses={201: InspectionCaseDetailSerializer}
    ),
)
class InspectionCaseViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Inspection cases. Every action takes the case's ``version`` (409 when stale)."""

    serializer_class = InspectionCaseRecordSerializer
    pagination_class = StandardPagination
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        if self.action == "list":
            return InspectionCaseRecordSerializer
        return InspectionCaseDetailSerializer

    def check_permissions(self, request):
        super().check_permissions(request)
        require_handler(request)

    def get_queryset(self):
        queryset = inspection_cases_for(self.request.user)
        if self.action != "list":
            return queryset
        params = InspectionCaseFilterSerializer(
            data=_query_params(self.request), context=self.get_serializer_context()
        )
        params.is_valid(raise_exception=True)
        return self._filter(queryset, params.validated_data)

    def _filter(self, queryset, params: dict):
        name = params.get("queue")
        if name:
            queryset = queries.queue(queryset, self.request.user, name)
        for field in ("status", "origin", "unit"):
            if params.get(field):
                queryset = queryset.filter(**{field: params[field]})
        if params.get("outcome"):
            queryset = queryset.filter(closure=params["outcome"])
        if params.get("is_wage_arrears") is not None:
            queryset = queryset.filter(is_wage_arrears=params["is_wage_arrears"])
        if params.get("accepted_from"):
            queryset = queryset.filter(accepted_on__gte=params["accepted_from"])
        if params.get("accepted_to"):
            queryset = queryset.filter(accepted_on__lte=params["accepted_to"])
        if (params.get("employer") or "").strip():
            queryset = queryset.filter(employer_name__contains=params["employer"].strip())
        if params.get("project"):
            queryset = queryset.filter(project__code=params["project"])
        if name == "closed":
            return queryset.order_by("-ended_on", "-id")
        return queries.work_order(queryset)

    def present(self, case, status_code=status.HTTP_200_OK):
        case = inspection_cases_for(self.request.user).get(pk=case.pk)
        data = InspectionCaseDetailSerializer(case, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = ProactiveCaseCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.present(serializer.save(), status.HTTP_201_CREATED)

    def act(self, request, input_class, service):
        case = self.get_object()  # outside the scope: 404
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        service(request.user, case, expected_version=version, **data)
        return self.present(case)

    def _doc(input_class):  # noqa: N805 (a decorator factory in the class body)
        def decorate(method):
            method = action(detail=True, methods=["post"])(method)
            return extend_schema(
                request=input_class, responses={200: InspectionCaseDetailSerializer}
            )(method)

        return decorate

    @_doc(CaseInspectorsSerializer)
    def inspectors(self, request, pk=None):
        """The lead inspector (who carries the case in the queues) and the investigating
        inspectors (at least the configured number, 2 by default, the lead included)."""
        return self.act(request, CaseInspectorsSerializer, services.assign_inspectors)

    @_doc(CaseExtendSerializer)
    def extend(self, request, pk=None):
        """Extend once, by at most 30 working days, with the approver (条例 Art.17)."""
        return self.act(request, CaseExtendSerializer, services.extend_case)

    @_doc(CaseSuspendSerializer)
    def suspend(self, request, pk=None):
        """Stop the clock from ``from_day`` with the reason and the approver."""
        return self.act(request, CaseSuspendSerializer, services.suspend_case)

    @_doc(CaseResumeSerializer)
    def resume(self, request, pk=None):
        """End the running suspension; ``to_day`` is the last suspended day."""
        return self.act(request, CaseResumeSerializer, services.resume_case)

    @_doc(CaseCloseSerializer)
    def close(self, request, pk=None):
        """Close with the outcome, the amounts and the facts the compliance rating needs."""
        return self.act(request, CaseCloseSerializer, services.close_case)

    @_doc(UrgeSerializer)
    def urge(self, request, pk=None):
        """催办 on the case: its lead inspector is told by message (managing staff)."""
        return self.act(request, UrgeSerializer, core_services.urge_case)

    del _doc


# --- wage-arrears blacklist ----------------------------------------------------------------


class BlacklistSerializer(serializers.ModelSerializer):
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    case_number = serializers.CharField(source="case.number", read_only=True)
    listed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    removed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    in_force = serializers.SerializerMethodField(
        help_text="not removed and today within [listed_on, term_ends_on]"
    )

    class Meta:
        model = ArrearsBlacklist
        fields = [
            "id",
            "version",
            "enterprise_name",
            "uscc",
            "unit",
            "case",
            "case_number",
            "condition",
            "basis",
            "amount_owed",
            "workers_affected",
            "listed_on",
            "term_ends_on",
            "in_force",
            "listed_by",
            "removed_on",
            "removal",
            "paid_on",
            "pledged_on",
            "removal_reason",
            "removed_by",
        ]
        read_only_fields = fields

    def get_in_force(self, obj) -> bool:
        return obj.is_active_on(timezone.localdate())


class BlacklistDetailSerializer(BlacklistSerializer):
    earliest_removal = serializers.SerializerMethodField(
        help_text="the first day an early removal is allowed (6 months after listing)"
    )

    class Meta(BlacklistSerializer.Meta):
        fields = [*BlacklistSerializer.Meta.fields, "earliest_removal"]
        read_only_fields = fields

    def get_earliest_removal(self, obj) -> date:
        return services.earliest_removal(obj)


@extend_schema_field(OpenApiTypes.INT)
class ScopedCaseField(serializers.PrimaryKeyRelatedField):
    """An inspection case id among the cases in the caller's scope."""

    default_error_messages = {
        "does_not_exist": "案件“{pk_value}”不存在或不在您的管辖范围内。",
        "incorrect_type": "请填写案件编号（整数 id）。",
    }

    def get_queryset(self):
        return queries.inspection_cases_visible_to(self.context["request"].user)


class BlacklistCreateSerializer(serializers.Serializer):
    case = ScopedCaseField(
        help_text="the closed wage-arrears case whose order to pay was not followed"
    )
    condition = serializers.ChoiceField(
        choices=ArrearsBlacklist.Condition.choices,
        error_messages={"invalid_choice": "请选择列入情形。"},
    )
    basis = serializers.CharField(max_length=500, allow_blank=True)
    listed_on = DayField()


class BlacklistRemoveSerializer(InspectionVersionSerializer):
    removed_on = DayField(help_text="at least 6 months after listing")
    paid_on = DayField(required=False, allow_null=True, help_text="the arrears paid in full")
    pledged_on = DayField(required=False, allow_null=True, help_text="the credit pledge")
    reason = serializers.CharField(max_length=500, allow_blank=True)


class BlacklistCancelSerializer(InspectionVersionSerializer):
    removed_on = DayField(help_text="the day the erroneous listing is cancelled")
    reason = serializers.CharField(max_length=500, allow_blank=True)


class BlacklistFilterSerializer(serializers.Serializer):
    in_force = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="in force today (or not)"
    )
    unit = ScopedCodeField(scope.units_visible_to, label="单位", required=False)
    year = serializers.IntegerField(
        min_value=2000, max_value=2100, required=False, help_text="year of listing"
    )
    uscc = serializers.CharField(required=False)


@extend_schema_view(
    list=extend_schema(
        parameters=[BlacklistFilterSerializer],
        description="Listings in your scope, latest first.",
    ),
    retrieve=extend_schema(responses=BlacklistDetailSerializer),
    create=extend_schema(
        request=BlacklistCreateSerializer, responses={201: BlacklistDetailSerializer}
    ),
)
class ArrearsBlacklistViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """拖欠农民工工资失信联合惩戒对象名单: the 3-year term is a setting; a listing past its term
    needs no action (``in_force`` turns false)."""

    serializer_class = BlacklistSerializer
    pagination_class = StandardPagination
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_serializer_class(self):
        return BlacklistSerializer if self.action == "list" else BlacklistDetailSerializer

    def check_permissions(self, request):
        super().check_permissions(request)
        require_handler(request)

    def get_queryset(self):
        queryset = queries.blacklist_visible_to(self.request.user).select_related(
            "listed_by", "removed_by"
        )
        if self.action != "list":
            return queryset
        params = BlacklistFilterSerializer(
            data=_query_params(self.request), context=self.get_serializer_context()
        )
        params.is_valid(raise_exception=True)
        data = params.validated_data
        today = timezone.localdate()
        in_force = Q(removed_on__isnull=True, listed_on__lte=today, term_ends_on__gte=today)
        if data.get("in_force") is True:
            queryset = queryset.filter(in_force)
        elif data.get("in_force") is False:
            queryset = queryset.exclude(in_force)
        if data.get("unit"):
            queryset = queryset.filter(unit=data["unit"])
        if data.get("year"):
            year = data["year"]
            queryset = queryset.filter(
                listed_on__gte=date(year, 1, 1), listed_on__lte=date(year, 12, 31)
            )
        if data.get("uscc"):
            queryset = queryset.filter(enterprise__uscc=normalise_uscc(data["uscc"]))
        return queryset.order_by("-listed_on", "-id")

    def present(self, listing, status_code=status.HTTP_200_OK):
        listing = self.get_queryset().get(pk=listing.pk)
        return Response(BlacklistDetailSerializer(listing).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = BlacklistCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        listing = services.list_in_blacklist(request.user, data.pop("case"), **data)
        return self.present(listing, status.HTTP_201_CREATED)

    def _remove(self, request, input_class, removal):
        listing = self.get_object()  # outside the scope: 404
        serializer = input_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        services.remove_from_blacklist(
            request.user,
            listing,
            removal=removal,
            expected_version=data.pop("version", None),
            **data,
        )
        return self.present(listing)

    @extend_schema(request=BlacklistRemoveSerializer, responses={200: BlacklistDetailSerializer})
    @action(detail=True, methods=["post"])
    def remove(self, request, pk=None):
        """Early removal: at least 6 months after listing, arrears paid, credit pledged."""
        return self._remove(request, BlacklistRemoveSerializer, ArrearsBlacklist.Removal.EARLY)

    @extend_schema(request=BlacklistCancelSerializer, responses={200: BlacklistDetailSerializer})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a listing made in error (any time while it is in force)."""
        return self._remove(request, BlacklistCancelSerializer, ArrearsBlacklist.Removal.ERROR)


class PublicBlacklistSerializer(serializers.ModelSerializer):
    """What the public list shows: the employer, why and when. No amounts, no basis, no case,
    no people."""

    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    condition = serializers.CharField(
        read_only=True, help_text=_choice_help(ArrearsBlacklist.Condition.choices)
    )
    condition_label = serializers.CharField(source="get_condition_display", read_only=True)
    authority = serializers.SerializerMethodField(help_text="the listing authority")

    class Meta:
        model = ArrearsBlacklist
        fields = [
            "enterprise_name",
            "uscc",
            "condition",
            "condition_label",
            "authority",
            "listed_on",
            "term_ends_on",
        ]
        read_only_fields = fields

    def get_authority(self, obj) -> str:
        return f"{obj.unit.name}人力资源和社会保障局"


THROTTLED_MESSAGE = "查询过于频繁，请稍后再试。"


class PublicBlacklistThrottle(SimpleRateThrottle):
    """120 reads a minute per client address (``client_ip``: the proxy's last hop, so forged
    earlier X-Forwarded-For hops do not reset the allowance), like the public wage code."""

    scope = "arrears_blacklist"
    rate = "120/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class PublicBlacklistView(generics.ListAPIView):
    """The listings in force today, for everyone (no login)."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicBlacklistThrottle]
    serializer_class = PublicBlacklistSerializer
    pagination_class = StandardPagination
    filter_backends = []

    def get_queryset(self):
        return queries.active_blacklist(timezone.localdate()).order_by("-listed_on", "-id")

    @extend_schema(
        summary="The wage-arrears blacklist in force today. Public, throttled.",
        responses={
            200: PublicBlacklistSerializer(many=True),
            429: OpenApiResponse(description="Too many requests from this address."),
        },
        auth=[],
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=THROTTLED_MESSAGE)


ROUTES: list = [
    ("complaints", ComplaintViewSet, "complaint"),
    ("inspection-cases", InspectionCaseViewSet, "inspection-case"),
    ("compliance-ratings", ComplianceRatingViewSet, "compliance-rating"),
    ("compliance-rating-runs", RatingRunViewSet, "compliance-rating-run"),
    ("arrears-blacklist", ArrearsBlacklistViewSet, "arrears-blacklist"),
]
PATHS: list = [
    path(
        "arrears-blacklist/public/",
        PublicBlacklistView.as_view(),
        name="api_public_arrears_blacklist",
    ),
]
