"""/api/v1/mediation-cases/ and /api/v1/arbitration-cases/: the dispute cases in the caller's
scope — list (work queues and filters), register, read, and every change of state as
``POST …/{id}/{action}/``.

Serializers validate the shape of the input; the rules of the law, the roles and the scope are
checked by the services in ``services.py``, which every change goes through. A case outside the
caller's scope is a 404; a stale ``version`` a 409; a wrong state a 400 (``non_field_errors``).
Resident ID numbers are write-only: reads return them masked.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yutong.core import cases, scope
from yutong.core import services as core_services
from yutong.core.drf import DayField, MomentField, StandardPagination, UrgeSerializer
from yutong.core.models import User
from yutong.core.personal import mask_resident_id
from yutong.registry.validators import normalise_uscc, validate_uscc

from . import queries, services
from .models import (
    ArbitrationCase,
    ArbitrationCommission,
    Arbitrator,
    AwardItem,
    Claim,
    Dispute,
    DisputeWorker,
    MediationBody,
    MediationCase,
    Mediator,
)

# The clocks and the calculator know these years; anything else is a typing error.
MAX_VERSION = 2_147_483_647

MEDIATION_NEEDS_NO_ACCEPTANCE = (
    "调解案件无需作出受理决定：调解组织收到调解申请即开始调解，15 日调解期限自收到申请之日"
    "起计算（《劳动争议调解仲裁法》第十四条）。指派调解员请使用“指派调解员”（assign）。"
)
MEDIATION_HAS_NO_REFUSAL = (
    "调解案件没有“不予受理”操作；不再调解的，请以“申请人撤回”或“未达成调解协议”结案（close）。"
)
MEDIATION_CLOCK_FIXED = (
    "《劳动争议调解仲裁法》第十四条规定的调解期限为自收到调解申请之日起 15 日，该条没有延长、"
    "中止或恢复计算的规定；期满未达成调解协议的，当事人可以依法申请仲裁（“转仲裁”，transfer）。"
)


# --- input fields ----------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class ScopedCodeField(serializers.SlugRelatedField):
    """A body or commission by its code, among those of the caller's scope."""

    def __init__(self, model, *, label: str, **kwargs):
        self.model = model
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": f"{label}“{{value}}”不存在或不在您的管辖范围内。",
                "invalid": f"请填写{label}编号。",
            },
        )
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return scope.restrict_to_units(self.model.objects.all(), self.context["request"].user)


@extend_schema_field(OpenApiTypes.INT)
class ScopedIdField(serializers.PrimaryKeyRelatedField):
    """A record by its id, among those of the caller's scope."""

    def __init__(self, queryset_for, *, label: str, **kwargs):
        self.queryset_for = queryset_for
        kwargs.setdefault(
            "error_messages",
            {
                "does_not_exist": f"{label}“{{pk_value}}”不存在或不在您的管辖范围内。",
                "incorrect_type": f"{label}应填写编号（整数）。",
            },
        )
        super().__init__(**kwargs)

    def get_queryset(self):
        return self.queryset_for(self.context["request"].user)


def _mediators(user):
    return scope.restrict_to_units(Mediator.objects.all(), user, field="body__unit")


def _arbitrators(user):
    return scope.restrict_to_units(Arbitrator.objects.all(), user, field="commission__unit")


def _version_field():
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="the case's version as you read it; if someone changed it since: 409",
    )


# --- read serializers ------------------------------------------------------------------------


class ClockSerializer(serializers.Serializer):
    as_of = DayField(help_text="today")
    due = DayField(allow_null=True, help_text="null while suspended")
    days_used = serializers.IntegerField()
    days_left = serializers.IntegerField()
    overdue = serializers.BooleanField()
    due_soon = serializers.BooleanField()
    suspended = serializers.BooleanField()
    calendar_known = serializers.BooleanField(
        help_text="false when a year's holidays are not known yet: the due date is provisional"
    )


class ClaimSerializer(serializers.ModelSerializer):
    claim_type = serializers.CharField(source="claim_type_id", help_text="claim type code")
    claim_type_name = serializers.CharField(source="claim_type.name")

    class Meta:
        model = Claim
        fields = ["id", "claim_type", "claim_type_name", "amount", "description", "withdrawn_on"]
        extra_kwargs = {
            "withdrawn_on": {"help_text": "null while the claim stands; awards decide only those"}
        }


class WorkerSerializer(serializers.ModelSerializer):
    resident_id_masked = serializers.SerializerMethodField()

    class Meta:
        model = DisputeWorker
        fields = ["name", "resident_id_masked", "is_representative"]

    def get_resident_id_masked(self, obj) -> str:
        return mask_resident_id(obj.resident_id)


class DisputeSerializer(serializers.ModelSerializer):
    claims = ClaimSerializer(many=True)
    workers = WorkerSerializer(many=True)

    class Meta:
        model = Dispute
        fields = [
            "id",
            "channel",
            "employer_name",
            "employer_uscc",
            "facts",
            "registered_at",
            "claims",
            "workers",
        ]


class PersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class CaseSerializer(serializers.ModelSerializer):
    """The fields every case has (core.cases.CaseBase)."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    assigned_to = serializers.SlugRelatedField(slug_field="username", read_only=True)
    closure = serializers.CharField(read_only=True)  # help_text set per subclass
    clock = serializers.SerializerMethodField(
        help_text="the statutory clock of an open case as of today (null if none runs)"
    )
    dispute = DisputeSerializer(read_only=True)

    common_fields = [
        "id",
        "status",
        "version",
        "unit",
        "received_on",
        "accepted_on",
        "due_on",
        "closed_on",
        "closure",
        "ended_on",
        "is_collective",
        "workers_count",
        "assigned_to",
        "clock",
        "dispute",
        "created_at",
    ]

    @extend_schema_field(ClockSerializer(allow_null=True))
    def get_clock(self, obj):
        if not obj.is_open:
            return None
        state = obj.clock_state()
        if state is None:
            return None
        return ClockSerializer(state).data


def _choices_help(choices) -> str:
    return "; ".join(f"{value}: {label}" for value, label in choices)


class MediationCaseSerializer(CaseSerializer):
    body = serializers.SlugRelatedField(slug_field="code", read_only=True)
    mediator = PersonSerializer(read_only=True, allow_null=True)
    closure = serializers.CharField(
        read_only=True,
        help_text="empty while open; " + _choices_help(MediationCase.Closure.choices),
    )
    arbitration_cases = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="ids of the arbitration cases it was transferred to"
    )

    class Meta:
        model = MediationCase
        fields = [
            *CaseSerializer.common_fields,
            "body",
            "mediator",
            "agreement_text",
            "agreed_amount",
            "arbitration_cases",
        ]
        read_only_fields = fields


class AwardItemSerializer(serializers.ModelSerializer):
    claim_type = serializers.CharField(source="claim.claim_type_id")
    claim_type_name = serializers.CharField(source="claim.claim_type.name")

    class Meta:
        model = AwardItem
        fields = [
            "id",
            "claim",
            "claim_type",
            "claim_type_name",
            "amount",
            "is_final",
            "final_basis",
            "over_claim_reason",
        ]


class ArbitrationCaseSerializer(CaseSerializer):
    commission = serializers.SlugRelatedField(slug_field="code", read_only=True)
    closure = serializers.CharField(
        read_only=True,
        help_text="empty while open; " + _choices_help(ArbitrationCase.Closure.choices),
    )
    tribunal = PersonSerializer(many=True, read_only=True)
    award_items = AwardItemSerializer(many=True, read_only=True)

    class Meta:
        model = ArbitrationCase
        fields = [
            *CaseSerializer.common_fields,
            "commission",
            "number",
            "from_mediation",
            "decision_due_on",
            "refused_on",
            "refusal_reason",
            "procedure",
            "tribunal",
            "hearing_at",
            "hearing_notified_on",
            "closure_note",
            "award_items",
            "is_model_case",
            "summary",
        ]
        read_only_fields = fields


def mediation_cases(user):
    return (
        queries.mediation_cases_visible_to(user)
        .select_related("assigned_to")
        .prefetch_related(
            "dispute__claims__claim_type",
            "dispute__workers",
            "clock_changes",
            Prefetch(
                "arbitration_cases",
                queryset=ArbitrationCase.objects.only("id", "from_mediation_id"),
            ),
        )
    )


def arbitration_cases(user):
    return (
        queries.arbitration_cases_visible_to(user)
        .select_related("assigned_to")
        .prefetch_related(
            "dispute__claims__claim_type",
            "dispute__workers",
            "clock_changes",
            "tribunal",
            "award_items__claim__claim_type",
        )
    )


# --- registration ----------------------------------------------------------------------------


class WorkerInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=64, allow_blank=True)
    resident_id = serializers.CharField(
        max_length=32, allow_blank=True, help_text="write-only; reads show it masked"
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True)
    is_representative = serializers.BooleanField(required=False, default=False)


class ClaimInputSerializer(serializers.Serializer):
    claim_type = serializers.CharField(max_length=32, help_text="claim type code, e.g. wages")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="yuan"
    )
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class DisputeInputSerializer(serializers.Serializer):
    """Parties, claims and facts. ``employer_uscc`` links the registry's enterprise if any."""

    facts = serializers.CharField(max_length=10000, allow_blank=True)
    employer_name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    employer_uscc = serializers.CharField(max_length=40, required=False, allow_blank=True)
    workers = WorkerInputSerializer(many=True)
    claims = ClaimInputSerializer(many=True)

    dispute_fields = ("facts", "employer_name", "employer_uscc", "workers", "claims")

    def validate_employer_uscc(self, value: str) -> str:
        value = normalise_uscc(value)
        if value:
            validate_uscc(value)
        return value

    def _register(self, actor, unit, data: dict) -> Dispute:
        return services.register_dispute(
            actor,
            unit=unit,
            channel=Dispute.Channel.STAFF,
            facts=data.get("facts", ""),
            workers=[dict(w) for w in data.get("workers", [])],
            claims=[dict(c) for c in data.get("claims", [])],
            employer_name=data.get("employer_name", ""),
            employer_uscc=data.get("employer_uscc", ""),
        )


class MediationCaseCreateSerializer(DisputeInputSerializer):
    body = ScopedCodeField(MediationBody, label="调解组织")
    mediator = ScopedIdField(_mediators, label="调解员", required=False, allow_null=True)
    received_on = DayField()

    def create(self, validated_data) -> MediationCase:
        actor = self.context["request"].user
        body = validated_data["body"]
        # Both services are atomic; one outer transaction makes the pair all or nothing.
        with transaction.atomic():
            dispute = self._register(actor, body.unit, validated_data)
            return services.open_mediation(
                actor,
                dispute,
                body=body,
                received_on=validated_data["received_on"],
                mediator=validated_data.get("mediator"),
            )


class ArbitrationCaseCreateSerializer(DisputeInputSerializer):
    commission = ScopedCodeField(ArbitrationCommission, label="仲裁委员会")
    received_on = DayField()
    from_mediation = ScopedIdField(
        queries.mediation_cases_visible_to,
        label="调解案件",
        required=False,
        allow_null=True,
        help_text="transfer this mediation case (its dispute is carried over: leave out "
        "workers, claims, facts and employer)",
    )
    from_mediation_version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="with from_mediation: the mediation case's version as you read it",
    )

    def get_fields(self):
        fields = super().get_fields()
        for name in self.dispute_fields:
            fields[name].required = False
        return fields

    def validate(self, attrs):
        if attrs.get("from_mediation") is not None:
            given = [name for name in self.dispute_fields if attrs.get(name)]
            if given:
                raise exceptions.ValidationError(
                    {
                        name: ["转自调解的案件沿用调解案件的当事人、请求事项和事实，请勿另行填写。"]
                        for name in given
                    }
                )
        elif "from_mediation_version" in attrs:
            raise exceptions.ValidationError(
                {"from_mediation_version": ["只有转自调解的案件需要填写调解案件的版本号。"]}
            )
        return attrs

    def create(self, validated_data) -> ArbitrationCase:
        actor = self.context["request"].user
        commission = validated_data["commission"]
        received_on = validated_data["received_on"]
        mediation = validated_data.get("from_mediation")
        if mediation is not None:
            return services.transfer_to_arbitration(
                actor,
                mediation,
                commission=commission,
                received_on=received_on,
                expected_version=validated_data.get("from_mediation_version"),
            )
        with transaction.atomic():
            dispute = self._register(actor, commission.unit, validated_data)
            return services.receive_arbitration(
                actor, dispute, commission=commission, received_on=received_on
            )


# --- action inputs ---------------------------------------------------------------------------


class VersionSerializer(serializers.Serializer):
    version = _version_field()


class MediationCloseSerializer(VersionSerializer):
    closure = serializers.ChoiceField(
        choices=MediationCase.Closure.choices,
        error_messages={"invalid_choice": "请选择结案方式。"},
    )
    closed_on = DayField()
    agreement_text = serializers.CharField(
        max_length=10000,
        required=False,
        allow_blank=True,
        help_text="required for agreement and settlement",
    )
    agreed_amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="yuan"
    )


class MediationAssignSerializer(VersionSerializer):
    mediator = ScopedIdField(_mediators, label="调解员")


class MediationTransferSerializer(VersionSerializer):
    commission = ScopedCodeField(ArbitrationCommission, label="仲裁委员会")
    received_on = DayField()


class ClaimChangeInputSerializer(serializers.Serializer):
    """One claim to change: ``claim`` and the fields that change (those left out stay)."""

    claim = serializers.IntegerField(help_text="id of one of the dispute's standing claims")
    claim_type = serializers.CharField(max_length=32, required=False, help_text="claim type code")
    amount = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, help_text="yuan"
    )
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ChangeClaimsSerializer(VersionSerializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)
    add = ClaimInputSerializer(many=True, required=False, default=list)
    change = ClaimChangeInputSerializer(many=True, required=False, default=list)
    withdraw = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        default=list,
        help_text="ids of standing claims to withdraw (kept on record with withdrawn_on)",
    )
    restart_clock = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="accepted arbitration case adding or changing claims: required — true when "
        "the tribunal accepted them and the 45 days count afresh from restart_on (办案规则 "
        "Art.46(3)), false otherwise; not allowed otherwise",
    )
    restart_on = DayField(
        required=False, help_text="with restart_clock: the day the changed claims were accepted"
    )

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        data["add"] = [dict(item) for item in data["add"]]
        data["change"] = [dict(item) for item in data["change"]]
        return data


class NonFieldErrorsSerializer(serializers.Serializer):
    non_field_errors = serializers.ListField(child=serializers.CharField())


class ArbitrationAcceptSerializer(VersionSerializer):
    accepted_on = DayField()
    procedure = serializers.ChoiceField(
        choices=ArbitrationCase.Procedure.choices,
        error_messages={"invalid_choice": "请选择简易处理或普通程序。"},
    )


class ArbitrationRefuseSerializer(VersionSerializer):
    refused_on = DayField()
    reason = serializers.CharField(max_length=300, allow_blank=True)


class ExtendSerializer(VersionSerializer):
    decided_on = DayField(
        required=False,
        help_text="the day the extension was approved (default today); not after the due day",
    )
    days = serializers.IntegerField(help_text="at most the configured maximum (15), once")
    reason = serializers.CharField(max_length=300, allow_blank=True)
    approver = serializers.CharField(max_length=64, allow_blank=True)


class AssignArbitrationSerializer(VersionSerializer):
    handler = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text="username of an active arbitrator or staff member of the case's unit",
    )


class RestartSerializer(VersionSerializer):
    start = DayField(help_text="the day the clock counts from again")
    ground = serializers.ChoiceField(choices=list(services.RESTART_GROUNDS))
    note = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")


class SuspendSerializer(VersionSerializer):
    from_day = DayField()
    reason = serializers.CharField(max_length=300, allow_blank=True)
    approver = serializers.CharField(max_length=64, allow_blank=True)


class ResumeSerializer(VersionSerializer):
    to_day = DayField(help_text="the last day of the suspension")


class AwardItemInputSerializer(serializers.Serializer):
    claim = serializers.IntegerField(help_text="id of one of the dispute's claims")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="yuan")
    reason = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="required when a compensation or damages item exceeds the amount claimed",
    )


class ArbitrationCloseSerializer(VersionSerializer):
    closure = serializers.ChoiceField(
        choices=ArbitrationCase.Closure.choices,
        error_messages={"invalid_choice": "请选择结案方式。"},
    )
    closed_on = DayField()
    items = AwardItemInputSerializer(
        many=True, required=False, help_text="award: one item per claim decided"
    )
    note = serializers.CharField(
        max_length=300,
        required=False,
        allow_blank=True,
        help_text="required for cancelled, terminated and deemed_withdrawn",
    )


class RequestMaterialsSerializer(VersionSerializer):
    items = serializers.CharField(
        max_length=2000, allow_blank=True, help_text="everything missing, listed at once"
    )


class MaterialsSuppliedSerializer(VersionSerializer):
    on = DayField(help_text="the day the materials arrived: the new received date")


class TribunalSerializer(VersionSerializer):
    arbitrators = ScopedIdField(
        _arbitrators, label="仲裁员", many=True, help_text="1 (simplified) or 3 (ordinary)"
    )


class HearingSerializer(VersionSerializer):
    hearing_at = MomentField()
    notified_on = DayField()


class ModelCaseSerializer(VersionSerializer):
    is_model = serializers.BooleanField()
    summary = serializers.CharField(max_length=10000, required=False, allow_blank=True)


# --- filters ---------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.STR)
class UnitCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": "单位“{value}”不存在或不在您的管辖范围内。"},
        )
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return scope.units_visible_to(self.context["request"].user)


class CaseFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(
        choices=list(cases.QUEUES.items()),
        required=False,
        help_text="work queue; every queue but closed holds open cases only",
    )
    is_collective = serializers.BooleanField(required=False, allow_null=True, default=None)
    received_from = DayField(required=False)
    received_to = DayField(required=False)
    unit = UnitCodeField(required=False, help_text="the handling unit's code")

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_to")
        if start and end and start > end:
            raise exceptions.ValidationError({"received_to": ["结束日期不能早于开始日期。"]})
        return attrs


class MediationFilterSerializer(CaseFilterSerializer):
    status = serializers.ChoiceField(choices=MediationCase.Status.choices, required=False)
    closure = serializers.ChoiceField(choices=MediationCase.Closure.choices, required=False)


class ArbitrationFilterSerializer(CaseFilterSerializer):
    status = serializers.ChoiceField(choices=ArbitrationCase.Status.choices, required=False)
    closure = serializers.ChoiceField(choices=ArbitrationCase.Closure.choices, required=False)


# --- viewsets --------------------------------------------------------------------------------


class CaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """List (work order: collective first, then the nearest due), register, read, act."""

    pagination_class = StandardPagination
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []
    filter_serializer_class: type[CaseFilterSerializer]
    create_serializer_class: type[serializers.Serializer]

    def visible(self, user):
        raise NotImplementedError

    def get_queryset(self):
        queryset = self.visible(self.request.user)
        if self.action != "list":
            return queryset
        given = {k: v for k, v in self.request.query_params.dict().items() if v != ""}
        params = self.filter_serializer_class(data=given, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        return queries.work_order(self.apply_filters(queryset, params.validated_data))

    def apply_filters(self, queryset, params: dict):
        if params.get("queue"):
            queryset = cases.queue(queryset, self.request.user, params["queue"])
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        if params.get("closure"):
            queryset = queryset.filter(closure=params["closure"])
        if params.get("is_collective") is not None:
            queryset = queryset.filter(is_collective=params["is_collective"])
        if params.get("received_from"):
            queryset = queryset.filter(received_on__gte=params["received_from"])
        if params.get("received_to"):
            queryset = queryset.filter(received_on__lte=params["received_to"])
        if params.get("unit"):
            queryset = queryset.filter(unit=params["unit"])
        return queryset

    def present(self, case, status_code=status.HTTP_200_OK):
        """The case as the caller now reads it (re-read with everything it shows)."""
        case = self.visible(self.request.user).get(pk=case.pk)
        serializer = self.get_serializer_class()(case, context=self.get_serializer_context())
        return Response(serializer.data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = self.create_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.present(serializer.save(), status.HTTP_201_CREATED)

    def act(self, request, input_class, service):
        """Validate the input, call the service with ``expected_version``, show the case."""
        case = self.get_object()  # outside the scope: 404
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = (
            serializer.to_service()
            if hasattr(serializer, "to_service")
            else dict(serializer.validated_data)
        )
        version = data.pop("version", None)
        return self.present(service(request.user, case, expected_version=version, **data))

    def change_claims_action(self, request):
        return self.act(request, ChangeClaimsSerializer, services.change_claims)

    @extend_schema(request=UrgeSerializer)
    @action(detail=True, methods=["post"])
    def urge(self, request, pk=None):
        """催办: the handler is told by message to move the case on (managing staff of its
        unit or above; once a day per urger)."""
        return self.act(request, UrgeSerializer, core_services.urge_case)


NOT_OFFERED = extend_schema(
    request=None,
    responses={
        400: OpenApiResponse(NonFieldErrorsSerializer, description="always: not a mediation step")
    },
)
LIST_DOC = (
    "Cases in your scope, in work order (collective disputes first, then the nearest due date)."
)


@extend_schema_view(
    list=extend_schema(parameters=[MediationFilterSerializer], description=LIST_DOC),
    create=extend_schema(
        request=MediationCaseCreateSerializer,
        responses={201: MediationCaseSerializer},
        description="Register the dispute and open its mediation, all or nothing.",
    ),
)
class MediationCaseViewSet(CaseViewSet):
    serializer_class = MediationCaseSerializer
    filter_serializer_class = MediationFilterSerializer
    create_serializer_class = MediationCaseCreateSerializer

    def visible(self, user):
        return mediation_cases(user)

    def _not_offered(self, message: str):
        self.get_object()  # outside the scope: 404 as for any other action
        raise exceptions.ValidationError({"non_field_errors": [message]})

    @NOT_OFFERED
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Not a step of mediation: the clock runs from receipt (use assign)."""
        self._not_offered(MEDIATION_NEEDS_NO_ACCEPTANCE)

    @NOT_OFFERED
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        """Not a step of mediation: close it as withdrawn or no_agreement instead."""
        self._not_offered(MEDIATION_HAS_NO_REFUSAL)

    @NOT_OFFERED
    @action(detail=True, methods=["post"])
    def extend(self, request, pk=None):
        """Not offered: the 15-day mediation limit (Art.14) has no extension."""
        self._not_offered(MEDIATION_CLOCK_FIXED)

    @NOT_OFFERED
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """Not offered: the 15-day mediation limit (Art.14) has no suspension."""
        self._not_offered(MEDIATION_CLOCK_FIXED)

    @NOT_OFFERED
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        """Not offered: the 15-day mediation limit (Art.14) has no suspension."""
        self._not_offered(MEDIATION_CLOCK_FIXED)

    @extend_schema(request=MediationCloseSerializer, responses={200: MediationCaseSerializer})
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close: agreement or settlement (with the agreement's text), no agreement, withdrawn."""
        return self.act(request, MediationCloseSerializer, services.close_mediation)

    @extend_schema(request=ChangeClaimsSerializer, responses={200: MediationCaseSerializer})
    @action(detail=True, methods=["post"], url_path="change-claims")
    def change_claims(self, request, pk=None):
        """Add, change or withdraw claims of the open mediation, with the reason (the 15-day
        limit does not restart)."""
        return self.change_claims_action(request)

    @extend_schema(request=MediationAssignSerializer, responses={200: MediationCaseSerializer})
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        """Assign a mediator of the case's body; the case is then being mediated."""
        return self.act(request, MediationAssignSerializer, services.assign_mediation)

    @extend_schema(request=MediationTransferSerializer, responses={201: ArbitrationCaseSerializer})
    @action(detail=True, methods=["post"])
    def transfer(self, request, pk=None):
        """Transfer to arbitration: after closure without agreement, or once the 15 days have
        run out (the mediation is then closed as no_agreement). Answers the new arbitration
        case."""
        case = self.get_object()
        serializer = MediationTransferSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        arbitration = services.transfer_to_arbitration(
            request.user,
            case,
            commission=data["commission"],
            received_on=data["received_on"],
            expected_version=data.get("version"),
        )
        arbitration = arbitration_cases(request.user).get(pk=arbitration.pk)
        body = ArbitrationCaseSerializer(arbitration, context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_201_CREATED)


def _arbitration_action(input_class, url_path=None):
    """POST …/{id}/{url_path}/ taking ``input_class`` and answering the arbitration case."""

    def decorate(method):
        method = action(detail=True, methods=["post"], url_path=url_path)(method)
        return extend_schema(request=input_class, responses={200: ArbitrationCaseSerializer})(
            method
        )

    return decorate


@extend_schema_view(
    list=extend_schema(parameters=[ArbitrationFilterSerializer], description=LIST_DOC),
    create=extend_schema(
        request=ArbitrationCaseCreateSerializer,
        responses={201: ArbitrationCaseSerializer},
        description="Register the dispute and receive the application, all or nothing; or, "
        "with from_mediation, transfer a failed mediation with its dispute.",
    ),
)
class ArbitrationCaseViewSet(CaseViewSet):
    serializer_class = ArbitrationCaseSerializer
    filter_serializer_class = ArbitrationFilterSerializer
    create_serializer_class = ArbitrationCaseCreateSerializer

    def visible(self, user):
        return arbitration_cases(user)

    @_arbitration_action(ArbitrationAcceptSerializer)
    def accept(self, request, pk=None):
        """Accept: the case gets its number and the 45-day award clock starts (Art.43)."""
        return self.act(request, ArbitrationAcceptSerializer, services.accept)

    @_arbitration_action(ArbitrationRefuseSerializer)
    def refuse(self, request, pk=None):
        """Refuse in writing with the reason (Art.29)."""
        return self.act(request, ArbitrationRefuseSerializer, services.refuse)

    @_arbitration_action(ExtendSerializer)
    def extend(self, request, pk=None):
        """Extend the award clock once, by at most 15 days, with the approver (Art.43)."""
        return self.act(request, ExtendSerializer, services.extend)

    @_arbitration_action(AssignArbitrationSerializer)
    def assign(self, request, pk=None):
        """Give the case to another handler (承办人) of its unit."""
        return self.act(request, AssignArbitrationSerializer, services.assign_arbitration)

    @_arbitration_action(RestartSerializer)
    def restart(self, request, pk=None):
        """Count the 45 days afresh (办案规则 Art.46(1),(3)-(5)): added party, changed claims,
        merged counter-claim, case transferred in."""
        return self.act(request, RestartSerializer, services.restart_clock)

    @_arbitration_action(SuspendSerializer)
    def suspend(self, request, pk=None):
        """Suspend the hearing (中止审理): the clock stops from ``from_day``."""
        return self.act(request, SuspendSerializer, services.suspend)

    @_arbitration_action(ResumeSerializer)
    def resume(self, request, pk=None):
        """End the suspension; ``to_day`` is its last day."""
        return self.act(request, ResumeSerializer, services.resume)

    @_arbitration_action(ArbitrationCloseSerializer)
    def close(self, request, pk=None):
        """Close: by award (an amount per claim, each tested final or not), by mediation
        document, or otherwise (note required for cancelled, terminated, deemed withdrawn)."""
        case = self.get_object()
        serializer = ArbitrationCloseSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        data["items"] = [dict(item) for item in data.get("items", [])]
        return self.present(services.close(request.user, case, expected_version=version, **data))

    @_arbitration_action(ChangeClaimsSerializer, url_path="change-claims")
    def change_claims(self, request, pk=None):
        """Add, change or withdraw claims of the open case, with the reason. When an accepted
        case adds or changes claims, ``restart_clock`` records the tribunal's decision: true
        restarts the 45 days from ``restart_on`` (办案规则 Art.46(3))."""
        return self.change_claims_action(request)

    @_arbitration_action(RequestMaterialsSerializer, url_path="request-materials")
    def request_materials(self, request, pk=None):
        """Ask for everything missing at once; the acceptance decision waits."""
        return self.act(request, RequestMaterialsSerializer, services.request_materials)

    @_arbitration_action(MaterialsSuppliedSerializer, url_path="materials-supplied")
    def materials_supplied(self, request, pk=None):
        """The materials arrived on ``on``: it becomes the received date (5 days to decide)."""
        return self.act(request, MaterialsSuppliedSerializer, services.materials_supplied)

    @_arbitration_action(TribunalSerializer)
    def tribunal(self, request, pk=None):
        """Form the tribunal: 1 arbitrator (simplified) or 3 (ordinary) of the commission."""
        return self.act(request, TribunalSerializer, services.form_tribunal)

    @_arbitration_action(HearingSerializer)
    def hearing(self, request, pk=None):
        """Schedule the hearing, notified at least 5 days ahead (Art.35)."""
        return self.act(request, HearingSerializer, services.schedule_hearing)

    @_arbitration_action(ModelCaseSerializer, url_path="model-case")
    def model_case(self, request, pk=None):
        """Mark a closed case as a model case (精品案例) with its summary, or unmark it."""
        return self.act(request, ModelCaseSerializer, services.mark_model_case)
