"""The collective-relations API under /api/v1/: unions, collective bargaining, collective
contracts, workers' congresses, open factory affairs, tripartite meetings and their follow-up
items, employment filings and the to-do lists of rules §7. List, create and read in the
caller's scope, and every change of state as ``POST …/{id}/{action}/`` (a draft contract also
``PATCH``).

Serializers check the shape of the input; the rules, roles and scope are the services'. A
record outside the caller's scope is a 404; a role that may not read or act a 403; a stale
``version`` a 409; a wrong state or a rule broken a 400 with the field (or
``non_field_errors``) that explains it.

Schema note: a choice field whose name another app also uses for other choices (``form``,
``level``, ``outcome``, ``channel``) appears in one component only (a create serializer takes
its record's component name), so drf-spectacular names its enum after that component without a
warning.

``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router; ``PATHS`` are further URL
patterns under /api/v1/ (yutong/urls.py mounts both).
"""

from __future__ import annotations

import re
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yutong.core import roles, scope
from yutong.core.dates import FIRST_DAY, LAST_DAY
from yutong.core.drf import DayField
from yutong.core.models import OrgUnit
from yutong.core.pagination import EstimatedCountPagination
from yutong.core.permissions import can
from yutong.registry.choices import Industry
from yutong.registry.models import Enterprise, IndustrialPark
from yutong.registry.queries import enterprises_visible_to, parks_visible_to
from yutong.registry.validators import normalise_uscc

from . import queries, services
from .models import (
    AffairsDisclosure,
    BargainingRound,
    Body,
    CollectiveBargaining,
    CollectiveContract,
    CongressCoverage,
    CongressSession,
    ContractCoverage,
    ContractKind,
    EmploymentFiling,
    FollowUpItem,
    Scope,
    TripartiteMeeting,
    TripartiteParticipant,
    Union,
    WorkersCongress,
)

MAX_VERSION = 2_147_483_647
# The largest BigAutoField id: a larger number in an id filter failed in the database (a 500).
MAX_ID = 9_223_372_036_854_775_807
# Who reads what (the services decide who acts): staff of the record's units, and enterprise
# accounts for their own enterprise's records; tripartite work is the staff's alone.
READERS = (*queries.READERS, roles.ENTERPRISE_USER)
STAFF_READERS = queries.READERS


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-06"})
class PeriodField(serializers.Field):
    """A month as ``YYYY-MM`` (stored as its first day)."""

    default_error_messages = {"invalid": "请按“年-月”填写，例如 2025-06。"}

    def to_internal_value(self, value) -> date:
        match = re.fullmatch(r"(\d{4})-(\d{2})", str(value).strip())
        if not match:
            self.fail("invalid")
        year, month = int(match.group(1)), int(match.group(2))
        if not (1 <= month <= 12 and FIRST_DAY.year <= year <= LAST_DAY.year):
            self.fail("invalid")
        return date(year, month, 1)

    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


def _version_field():
    return serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="the record's version as you read it; if someone changed it since: 409",
    )


@extend_schema_field(OpenApiTypes.STR)
class EnterpriseCodeField(serializers.SlugRelatedField):
    """An enterprise by USCC, among those the caller may see."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": "统一社会信用代码“{value}”不存在或不在您的管辖范围内。"},
        )
        super().__init__(slug_field="uscc", **kwargs)

    def to_internal_value(self, data):
        return super().to_internal_value(normalise_uscc(str(data)))

    def get_queryset(self):
        return enterprises_visible_to(self.context["request"].user)


@extend_schema_field(OpenApiTypes.STR)
class UnitCodeField(serializers.SlugRelatedField):
    def __init__(self, *levels, units=scope.placing_units, **kwargs):
        """``units``: the places a new record may name, unless a filter says otherwise."""
        self.levels = levels
        self.units = units
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": "单位代码“{value}”不存在或不在您的管辖范围内。"},
        )
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        units = self.units(self.context["request"].user)
        return units.filter(OrgUnit.valid_on_q(timezone.localdate()), level__in=self.levels)


# --- unions ---------------------------------------------------------------------------------


class UnionSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Union
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "name",
            "form",
            "established_on",
            "members",
            "chair",
            "fulltime_staff",
            "dues_rate",
            "monthly_dues",
            "dissolved_on",
            "dissolution_reason",
            "is_active",
            "version",
        ]


@extend_schema_serializer(component_name="Union")  # its ``form`` enum: one component
class UnionCreateSerializer(serializers.Serializer):
    enterprise = EnterpriseCodeField(help_text="the enterprise's USCC")
    name = serializers.CharField(max_length=200)
    form = serializers.ChoiceField(choices=Union.Form.choices)
    established_on = DayField()
    members = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    chair = serializers.CharField(max_length=64)
    fulltime_staff = serializers.IntegerField(min_value=0, max_value=32767, default=0)
    dues_rate = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, help_text="percent; default 2"
    )
    monthly_dues = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True
    )

    def create(self, validated_data):
        return services.establish_union(self.context["request"].user, **validated_data)


class DissolveSerializer(serializers.Serializer):
    version = _version_field()
    dissolved_on = DayField()
    reason = serializers.CharField(max_length=300)


class ReadViewSet(viewsets.GenericViewSet):
    """Reads in the caller's scope (``readers`` only: another role gets a 403, not an empty
    list) and the helpers of the actions."""

    pagination_class = EstimatedCountPagination
    filter_backends: list = []
    readers: tuple = READERS

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not can(request.user, *self.readers):
            raise exceptions.PermissionDenied("您没有查看此类记录的权限。")

    def filters(self, filter_class) -> dict:
        params = filter_class(data=self.request.query_params, context=self.get_serializer_context())
        params.is_valid(raise_exception=True)
        return params.validated_data

    def present(self, record, status_code=status.HTTP_200_OK):
        record = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(record).data, status=status_code)

    def act(self, request, input_class, call):
        record = self.get_object()
        data = self.validated(request, input_class)
        version = data.pop("version", None)
        return self.present(call(request.user, record, expected_version=version, **data))

    def validated(self, request, input_class) -> dict:
        serializer = input_class(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadViewSet):
    """List, read and create (``editors`` only; the service checks the rest)."""

    create_serializer_class: type = serializers.Serializer
    editors: tuple = ()

    def create(self, request, *args, **kwargs):
        if not can(request.user, *self.editors):
            raise exceptions.PermissionDenied("您没有登记此类记录的权限。")
        serializer = self.create_serializer_class(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return self.present(serializer.save(), status.HTTP_201_CREATED)


class UnionFilterSerializer(serializers.Serializer):
    enterprise = serializers.CharField(required=False, help_text="USCC")
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


@extend_schema(tags=["unions"])
class UnionViewSet(RecordViewSet):
    """Unions of the caller's units (an enterprise account: its own enterprise's)."""

    serializer_class = UnionSerializer
    create_serializer_class = UnionCreateSerializer
    editors = services.UNION_EDITORS

    def get_queryset(self):
        unions = queries.unions_visible_to(self.request.user)
        if self.action == "list":
            params = UnionFilterSerializer(data=self.request.query_params)
            params.is_valid(raise_exception=True)
            d = params.validated_data
            if d.get("enterprise"):
                unions = unions.filter(enterprise__uscc=normalise_uscc(d["enterprise"]))
            if d.get("active") is not None:
                unions = unions.filter(dissolved_on__isnull=d["active"])
        return unions.order_by("-established_on", "-id")

    @extend_schema(request=UnionCreateSerializer, responses={201: UnionSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=DissolveSerializer, responses=UnionSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, pk=None):
        return self.act(request, DissolveSerializer, services.dissolve_union)


# --- collective contracts ------------------------------------------------------------------------


class CollectiveContractSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    filing_venue = serializers.SlugRelatedField(slug_field="code", read_only=True)
    covered_enterprises = serializers.SerializerMethodField(
        help_text="USCCs of the enterprises the contract covers"
    )
    status = serializers.SerializerMethodField(
        help_text="state today: draft, adopted, signed, under_review, effective, objected, "
        "expired, terminated"
    )

    class Meta:
        model = CollectiveContract
        fields = [
            "id",
            "title",
            "scope",
            "kind",
            "status",
            "stage",
            "unit",
            "enterprise",
            "region",
            "industry",
            "covered_enterprises",
            "employees_covered",
            "term_start",
            "expires_on",
            "effective_from",
            "congress_total",
            "congress_attending",
            "congress_approving",
            "adopted_on",
            "signed_on",
            "filing_due_on",
            "filing_venue",
            "filed_on",
            "filed_late",
            "review_due_on",
            "objected_on",
            "objection_reason",
            "publication_due_on",
            "terminated_on",
            "termination_reason",
            "previous",
            "bargaining",
            "version",
        ]

    def get_covered_enterprises(self, obj) -> list[str]:
        return [c.enterprise.uscc for c in obj.coverage.all()]

    def get_status(self, obj) -> str:
        return obj.status_on(timezone.localdate())


def covered_enterprises(user, codes: list[str]) -> list[Enterprise]:
    """The enterprises of a coverage list, in the order given; unknown codes by name."""
    codes = list(dict.fromkeys(normalise_uscc(c) for c in codes))
    found = {e.uscc: e for e in enterprises_visible_to(user).filter(uscc__in=codes)}
    missing = [c for c in codes if c not in found]
    if missing:
        raise serializers.ValidationError(
            f"以下统一社会信用代码不存在或不在您的管辖范围内：{'、'.join(missing[:10])}"
        )
    return [found[c] for c in codes]


def _covered_list_field(**kwargs):
    return serializers.ListField(
        child=serializers.CharField(max_length=18),
        max_length=50_000,
        help_text="regional/industry: USCCs of the enterprises covered",
        **kwargs,
    )


class ContractCreateSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Scope.choices)
    kind = serializers.ChoiceField(choices=ContractKind.choices)
    title = serializers.CharField(max_length=200)
    enterprise = EnterpriseCodeField(required=False, allow_null=True, help_text="scope enterprise")
    region = UnitCodeField(
        OrgUnit.Level.DISTRICT,
        OrgUnit.Level.TOWNSHIP,
        required=False,
        allow_null=True,
        help_text="scope regional: township/street or district code",
    )
    unit = UnitCodeField(
        OrgUnit.Level.DISTRICT, required=False, allow_null=True, help_text="scope industry"
    )
    industry = serializers.ChoiceField(
        choices=Industry.choices, required=False, allow_blank=True, default=""
    )
    covered_enterprises = _covered_list_field(required=False, default=list)
    term_start = DayField()
    expires_on = DayField()
    bargaining = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def validate_covered_enterprises(self, codes: list[str]) -> list[Enterprise]:
        return covered_enterprises(self.context["request"].user, codes)

    def validate_bargaining(self, number):
        if number is None:
            return None
        found = queries.bargainings_visible_to(self.context["request"].user).filter(pk=number)
        if not found.exists():
            raise serializers.ValidationError("该集体协商不存在或不在您的管辖范围内。")
        return found.get()

    def create(self, validated_data):
        data = dict(validated_data)
        data["covered"] = data.pop("covered_enterprises")
        return services.draft_contract(self.context["request"].user, **data)


class ApproveSerializer(serializers.Serializer):
    version = _version_field()
    adopted_on = DayField()
    congress_total = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)
    congress_attending = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    congress_approving = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)


class SignSerializer(serializers.Serializer):
    version = _version_field()
    signed_on = DayField()


class FileSerializer(serializers.Serializer):
    version = _version_field()
    filed_on = DayField()
    filing_venue = UnitCodeField(
        OrgUnit.Level.CITY,
        OrgUnit.Level.DISTRICT,
        required=False,
        allow_null=True,
        help_text="the contract's district (default) or 500000 for the city",
    )

    def get_fields(self):
        fields = super().get_fields()
        # The city may receive filings from any district: not limited to the caller's scope.
        fields["filing_venue"].get_queryset = lambda: OrgUnit.objects.filter(
            level__in=(OrgUnit.Level.CITY, OrgUnit.Level.DISTRICT)
        )
        return fields


class ObjectSerializer(serializers.Serializer):
    version = _version_field()
    objected_on = DayField()
    reason = serializers.CharField(max_length=1000)


class TerminateSerializer(serializers.Serializer):
    version = _version_field()
    terminated_on = DayField()
    reason = serializers.CharField(max_length=300)


class RenewSerializer(serializers.Serializer):
    version = _version_field()
    expires_on = DayField(help_text="the end of the renewed term (1-3 years)")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ContractUpdateSerializer(serializers.Serializer):
    """A draft's correction: only the fields sent change."""

    version = _version_field()
    title = serializers.CharField(max_length=200, required=False)
    term_start = DayField(required=False)
    expires_on = DayField(required=False, help_text="term of 1-3 years from term_start")
    covered_enterprises = _covered_list_field(required=False)

    def validate_covered_enterprises(self, codes: list[str]) -> list[Enterprise]:
        return covered_enterprises(self.context["request"].user, codes)


class ContractFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=CollectiveContract.Status.choices, required=False)
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    kind = serializers.ChoiceField(choices=ContractKind.choices, required=False)
    queue = serializers.ChoiceField(choices=list(queries.CONTRACT_QUEUES), required=False)
    enterprise = serializers.CharField(required=False, help_text="USCC of a covered enterprise")


@extend_schema(tags=["collective-contracts"])
class CollectiveContractViewSet(RecordViewSet):
    """Collective contracts of the caller's units (an enterprise account: those covering it)."""

    serializer_class = CollectiveContractSerializer
    create_serializer_class = ContractCreateSerializer
    editors = services.CONTRACT_EDITORS

    def get_queryset(self):
        contracts = queries.contracts_visible_to(self.request.user).prefetch_related(
            Prefetch(
                "coverage",
                queryset=ContractCoverage.objects.select_related("enterprise")
                .only("contract_id", "enterprise__uscc")
                .order_by("id"),
            )
        )
        if self.action != "list":
            return contracts
        params = ContractFilterSerializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        today = timezone.localdate()
        if d.get("status"):
            contracts = contracts.filter(queries.contract_status_q(d["status"], today))
        for field in ("scope", "kind"):
            if d.get(field):
                contracts = contracts.filter(**{field: d[field]})
        if d.get("enterprise"):
            contracts = contracts.filter(coverage__enterprise__uscc=normalise_uscc(d["enterprise"]))
        return queries.contract_queue(contracts, d.get("queue", "all"), today)

    @extend_schema(request=ContractCreateSerializer, responses={201: CollectiveContractSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=ContractUpdateSerializer, responses=CollectiveContractSerializer)
    def partial_update(self, request, pk=None):
        """Correct a draft (title, term, covered enterprises) with the checks of creation."""
        record = self.get_object()
        data = self.validated(request, ContractUpdateSerializer)
        version = data.pop("version", None)
        if "covered_enterprises" in data:
            data["covered"] = data.pop("covered_enterprises")
        contract = services.update_draft_contract(
            request.user, record, expected_version=version, **data
        )
        return self.present(contract)

    @extend_schema(request=ApproveSerializer, responses=CollectiveContractSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """The workers' congress adopts the draft (≥ 2/3 attend, > 1/2 of all approve)."""
        return self.act(request, ApproveSerializer, services.approve_contract)

    @extend_schema(request=SignSerializer, responses=CollectiveContractSerializer)
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        return self.act(request, SignSerializer, services.sign_contract)

    @extend_schema(request=FileSerializer, responses=CollectiveContractSerializer)
    @action(detail=True, methods=["post"])
    def file(self, request, pk=None):
        """Filing; a text filed after the 10 days is received and marked ``filed_late``; effect
        after the 15-day review from receipt."""
        return self.act(request, FileSerializer, services.file_contract)

    @extend_schema(request=ObjectSerializer, responses=CollectiveContractSerializer)
    @action(detail=True, methods=["post"])
    def object(self, request, pk=None):
        """The review's objection, within 15 days of filing (labour administration only)."""
        return self.act(request, ObjectSerializer, services.object_contract)

    @extend_schema(request=TerminateSerializer, responses=CollectiveContractSerializer)
    @action(detail=True, methods=["post"])
    def terminate(self, request, pk=None):
        return self.act(request, TerminateSerializer, services.terminate_contract)

    @extend_schema(request=RenewSerializer, responses={201: CollectiveContractSerializer})
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Open the renewal: a new draft for the next term (from 3 months before expiry)."""
        record = self.get_object()
        data = self.validated(request, RenewSerializer)
        version = data.pop("version", None)
        renewal = services.renew_contract(request.user, record, expected_version=version, **data)
        return self.present(renewal, status.HTTP_201_CREATED)


# --- collective bargaining ---------------------------------------------------------------------


@extend_schema_serializer(component_name="BargainingRound")  # ``outcome``: one component
class BargainingRoundSerializer(serializers.ModelSerializer):
    """A round as read, and the input of ``POST …/{id}/rounds/`` (``version`` is the
    bargaining's)."""

    held_on = DayField()
    resume_by = DayField(
        required=False, allow_null=True, help_text="outcome suspend: at most 30 days after held_on"
    )
    version = _version_field()

    class Meta:
        model = BargainingRound
        fields = ["number", "held_on", "summary", "outcome", "resume_by", "version"]
        read_only_fields = ["number"]
        extra_kwargs = {"version": {"write_only": True}}


class CollectiveBargainingSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    rounds = serializers.SerializerMethodField()
    reply_overdue = serializers.SerializerMethodField(
        help_text="no written reply and the 20-day period has passed"
    )

    class Meta:
        model = CollectiveBargaining
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "union",
            "topic",
            "year",
            "requested_by",
            "requested_on",
            "reply_due_on",
            "replied_on",
            "reply",
            "resume_by",
            "concluded_on",
            "status",
            "reply_overdue",
            "rounds",
            "version",
        ]

    @extend_schema_field(BargainingRoundSerializer(many=True))
    def get_rounds(self, obj) -> list:
        return BargainingRoundSerializer(obj.rounds.all(), many=True).data

    def get_reply_overdue(self, obj) -> bool:
        return (
            obj.status == CollectiveBargaining.Status.REQUESTED
            and obj.reply_due_on < timezone.localdate()
        )


class BargainingCreateSerializer(serializers.Serializer):
    enterprise = EnterpriseCodeField(help_text="the enterprise's USCC (it must have a union)")
    topic = serializers.ChoiceField(choices=ContractKind.choices)
    year = serializers.IntegerField(min_value=FIRST_DAY.year, max_value=LAST_DAY.year)
    requested_by = serializers.ChoiceField(choices=CollectiveBargaining.Party.choices)
    requested_on = DayField()

    def create(self, validated_data):
        return services.request_bargaining(self.context["request"].user, **validated_data)


class BargainingReplySerializer(serializers.Serializer):
    version = _version_field()
    replied_on = DayField()
    reply = serializers.CharField(max_length=500)


class BargainingCloseSerializer(serializers.Serializer):
    version = _version_field()
    closed_on = DayField()
    reason = serializers.CharField(max_length=300)


class BargainingFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(
        choices=["all", *queries.BARGAINING_QUEUES], required=False, default="all"
    )
    status = serializers.ChoiceField(choices=CollectiveBargaining.Status.choices, required=False)
    topic = serializers.ChoiceField(choices=ContractKind.choices, required=False)
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    enterprise = serializers.CharField(required=False, help_text="USCC")


@extend_schema_view(list=extend_schema(parameters=[BargainingFilterSerializer]))
@extend_schema(tags=["collective-bargainings"])
class CollectiveBargainingViewSet(RecordViewSet):
    """Bargaining requests and their talks: the 20-day written reply, rounds of talks (a round
    may suspend the talks for at most 30 days, resume them, or end them in agreement or
    failure), and the closing of a request that never led to talks."""

    serializer_class = CollectiveBargainingSerializer
    create_serializer_class = BargainingCreateSerializer
    editors = services.CONTRACT_EDITORS

    def get_queryset(self):
        bargainings = queries.bargainings_visible_to(self.request.user).prefetch_related(
            Prefetch("rounds", queryset=BargainingRound.objects.order_by("number"))
        )
        if self.action != "list":
            return bargainings
        d = self.filters(BargainingFilterSerializer)
        for field in ("status", "topic", "year"):
            if d.get(field):
                bargainings = bargainings.filter(**{field: d[field]})
        if d.get("enterprise"):
            bargainings = bargainings.filter(enterprise__uscc=normalise_uscc(d["enterprise"]))
        if d["queue"] == "all":
            return bargainings.order_by("-requested_on", "-id")
        return queries.bargaining_queue(bargainings, d["queue"])

    @extend_schema(
        request=BargainingCreateSerializer, responses={201: CollectiveBargainingSerializer}
    )
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=BargainingReplySerializer, responses=CollectiveBargainingSerializer)
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """The written reply (due within 20 days of the request): the talks begin."""
        return self.act(request, BargainingReplySerializer, services.reply_bargaining)

    @extend_schema(
        request=BargainingRoundSerializer, responses={201: CollectiveBargainingSerializer}
    )
    @action(detail=True, methods=["post"])
    def rounds(self, request, pk=None):
        """One round of talks. ``outcome``: ``continue`` (also resumes suspended talks),
        ``suspend`` (with ``resume_by``, at most 30 days on), ``agree`` or ``fail`` (closes)."""
        record = self.get_object()
        data = self.validated(request, BargainingRoundSerializer)
        version = data.pop("version", None)
        services.record_round(request.user, record, expected_version=version, **data)
        return self.present(record, status.HTTP_201_CREATED)

    @extend_schema(request=BargainingCloseSerializer, responses=CollectiveBargainingSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """End a request that never led to talks (withdrawn or refused); talks under way end
        through a round's outcome."""
        return self.act(request, BargainingCloseSerializer, services.close_request)


# --- workers' congresses -----------------------------------------------------------------------


class CongressSessionSerializer(serializers.ModelSerializer):
    """A session as read, and the input of ``POST …/{id}/sessions/``."""

    held_on = DayField()

    class Meta:
        model = CongressSession
        fields = ["id", "held_on", "year", "delegates_total", "attending", "agenda", "resolutions"]
        read_only_fields = ["id", "year"]


class WorkersCongressSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    region = serializers.SlugRelatedField(slug_field="code", read_only=True)
    covered_enterprises = serializers.SerializerMethodField(
        help_text="USCCs of the enterprises the congress covers"
    )
    sessions = CongressSessionSerializer(many=True, read_only=True)

    class Meta:
        model = WorkersCongress
        fields = [
            "id",
            "name",
            "scope",
            "form",
            "unit",
            "enterprise",
            "region",
            "industry",
            "covered_enterprises",
            "established_on",
            "staff_count",
            "delegates",
            "dissolved_on",
            "sessions",
            "version",
        ]

    def get_covered_enterprises(self, obj) -> list[str]:
        return [c.enterprise.uscc for c in obj.coverage.all()]


@extend_schema_serializer(component_name="WorkersCongress")  # ``form``: one component
class CongressCreateSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Scope.choices)
    form = serializers.ChoiceField(choices=WorkersCongress.Form.choices)
    name = serializers.CharField(max_length=200)
    enterprise = EnterpriseCodeField(required=False, allow_null=True, help_text="scope enterprise")
    region = UnitCodeField(
        OrgUnit.Level.DISTRICT,
        OrgUnit.Level.TOWNSHIP,
        required=False,
        allow_null=True,
        help_text="scope regional: township/street or district code",
    )
    unit = UnitCodeField(
        OrgUnit.Level.DISTRICT, required=False, allow_null=True, help_text="scope industry"
    )
    industry = serializers.ChoiceField(
        choices=Industry.choices, required=False, allow_blank=True, default=""
    )
    covered_enterprises = _covered_list_field(required=False, default=list)
    established_on = DayField()
    staff_count = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)
    delegates = serializers.IntegerField(
        min_value=0,
        max_value=MAX_VERSION,
        required=False,
        allow_null=True,
        help_text="congress: at least 5 % of staff and at least 30; all_staff: ignored",
    )

    def validate_covered_enterprises(self, codes: list[str]) -> list[Enterprise]:
        return covered_enterprises(self.context["request"].user, codes)

    def create(self, validated_data):
        data = dict(validated_data)
        data["covered"] = data.pop("covered_enterprises")
        return services.establish_congress(self.context["request"].user, **data)


class CongressFilterSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    enterprise = serializers.CharField(required=False, help_text="USCC of a covered enterprise")
    active = serializers.BooleanField(required=False, allow_null=True, default=None)
    without_session = serializers.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        help_text="a year: congresses in being that held no session in it",
    )


@extend_schema_view(list=extend_schema(parameters=[CongressFilterSerializer]))
@extend_schema(tags=["workers-congresses"])
class WorkersCongressViewSet(RecordViewSet):
    """Workers' congresses (or all-staff meetings) of enterprises, and regional or industry
    congresses covering a list of enterprises; their yearly sessions."""

    serializer_class = WorkersCongressSerializer
    create_serializer_class = CongressCreateSerializer
    editors = services.CONGRESS_EDITORS

    def get_queryset(self):
        congresses = queries.congresses_visible_to(self.request.user).prefetch_related(
            Prefetch(
                "coverage",
                queryset=CongressCoverage.objects.select_related("enterprise")
                .only("congress_id", "enterprise__uscc")
                .order_by("id"),
            ),
            Prefetch("sessions", queryset=CongressSession.objects.order_by("-held_on", "-id")),
        )
        if self.action != "list":
            return congresses
        d = self.filters(CongressFilterSerializer)
        if d.get("scope"):
            congresses = congresses.filter(scope=d["scope"])
        if d.get("enterprise"):
            congresses = congresses.filter(
                coverage__enterprise__uscc=normalise_uscc(d["enterprise"])
            )
        if d.get("active") is not None:
            congresses = congresses.filter(dissolved_on__isnull=d["active"])
        if d.get("without_session"):
            return queries.congresses_without_session(congresses, d["without_session"])
        return congresses.order_by("-established_on", "-id")

    @extend_schema(request=CongressCreateSerializer, responses={201: WorkersCongressSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(request=CongressSessionSerializer, responses={201: WorkersCongressSerializer})
    @action(detail=True, methods=["post"])
    def sessions(self, request, pk=None):
        """A session of the congress (at least once a year)."""
        record = self.get_object()
        data = self.validated(request, CongressSessionSerializer)
        services.record_session(request.user, record, **data)
        return self.present(record, status.HTTP_201_CREATED)


# --- open factory affairs ----------------------------------------------------------------------


@extend_schema_serializer(component_name="AffairsDisclosure")  # ``channel``: one component
class AffairsDisclosureSerializer(serializers.ModelSerializer):
    """A disclosure as read, and the input of its creation."""

    enterprise = EnterpriseCodeField(
        required=False, help_text="USCC; an enterprise account may leave it out (its own)"
    )
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    contract = serializers.PrimaryKeyRelatedField(
        queryset=CollectiveContract.objects.none(),
        required=False,
        allow_null=True,
        help_text="a collective contract being published (within 10 days of its effect)",
        error_messages={"does_not_exist": "集体合同“{pk_value}”不存在或不在您的管辖范围内。"},
    )
    disclosed_on = DayField()

    class Meta:
        model = AffairsDisclosure
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "contract",
            "category",
            "channel",
            "disclosed_on",
            "title",
            "content",
            "created_at",
        ]
        read_only_fields = ["id", "created_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["contract"].queryset = queries.contracts_visible_to(request.user)
        return fields

    def validate(self, attrs):
        if attrs.get("enterprise") is None:
            attrs["enterprise"] = own_enterprise(self.context["request"].user)
        return attrs

    def create(self, validated_data):
        return services.disclose_affairs(self.context["request"].user, **validated_data)


def own_enterprise(user) -> Enterprise:
    """An enterprise account's own enterprise, when it leaves ``enterprise`` out."""
    uscc = queries._own_uscc(user)
    found = Enterprise.objects.filter(uscc=uscc).first() if uscc else None
    if found is None:
        raise serializers.ValidationError({"enterprise": "请填写企业的统一社会信用代码。"})
    return found


class DisclosureFilterSerializer(serializers.Serializer):
    enterprise = serializers.CharField(required=False, help_text="USCC")
    category = serializers.ChoiceField(choices=AffairsDisclosure.Category.choices, required=False)
    contract = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


@extend_schema_view(list=extend_schema(parameters=[DisclosureFilterSerializer]))
@extend_schema(tags=["affairs-disclosures"])
class AffairsDisclosureViewSet(RecordViewSet):
    """Open factory affairs (厂务公开); an enterprise account records and reads its own."""

    serializer_class = AffairsDisclosureSerializer
    create_serializer_class = AffairsDisclosureSerializer
    editors = services.DISCLOSURE_EDITORS

    def get_queryset(self):
        disclosures = queries.disclosures_visible_to(self.request.user)
        if self.action != "list":
            return disclosures
        d = self.filters(DisclosureFilterSerializer)
        if d.get("enterprise"):
            disclosures = disclosures.filter(enterprise__uscc=normalise_uscc(d["enterprise"]))
        if d.get("category"):
            disclosures = disclosures.filter(category=d["category"])
        if d.get("contract"):
            disclosures = disclosures.filter(contract_id=d["contract"])
        return disclosures.order_by("-disclosed_on", "-id")

    @extend_schema(responses={201: AffairsDisclosureSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)


# --- tripartite meetings -----------------------------------------------------------------------


class TripartiteParticipantSerializer(serializers.ModelSerializer):
    class Meta:
        model = TripartiteParticipant
        fields = ["body", "name", "position"]


# The follow-up's ``owner_body`` has the choices of a participant's ``body``: one enum component
# under two field names. ENUM_NAME_OVERRIDES names it TripartiteBodyEnum; a hand-written $ref
# to "BodyEnum" pointed at a component that was never generated.
@extend_schema_field({"$ref": "#/components/schemas/TripartiteBodyEnum"})
class OwnerBodyField(serializers.ChoiceField):
    def __init__(self, **kwargs):
        kwargs.setdefault("error_messages", {"invalid_choice": "请选择牵头单位。"})
        super().__init__(choices=Body.choices, **kwargs)


class FollowUpItemSerializer(serializers.ModelSerializer):
    meeting_title = serializers.CharField(source="meeting.title", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    owner_body = OwnerBodyField()
    due_on = DayField()
    overdue = serializers.SerializerMethodField(help_text="not done and past due_on")

    class Meta:
        model = FollowUpItem
        fields = [
            "id",
            "meeting",
            "meeting_title",
            "unit",
            "task",
            "owner_body",
            "owner_name",
            "due_on",
            "done_on",
            "result",
            "overdue",
            "version",
        ]
        read_only_fields = ["id", "meeting", "done_on", "result", "version"]

    def get_overdue(self, obj) -> bool:
        return obj.done_on is None and obj.due_on < timezone.localdate()


class TripartiteMeetingSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    park = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    participants = TripartiteParticipantSerializer(many=True, read_only=True)
    follow_ups = FollowUpItemSerializer(many=True, read_only=True)

    class Meta:
        model = TripartiteMeeting
        fields = [
            "id",
            "level",
            "unit",
            "park",
            "township",
            "industry",
            "held_on",
            "title",
            "agenda",
            "decisions",
            "participants",
            "follow_ups",
            "version",
        ]


class FollowUpInputSerializer(serializers.Serializer):
    task = serializers.CharField(max_length=500)
    owner_body = OwnerBodyField()
    owner_name = serializers.CharField(max_length=64)
    due_on = DayField()


@extend_schema_serializer(component_name="TripartiteMeeting")  # ``level``: one component
class MeetingCreateSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=TripartiteMeeting.Level.choices)
    unit = UnitCodeField(
        OrgUnit.Level.CITY,
        OrgUnit.Level.DISTRICT,
        required=False,
        allow_null=True,
        help_text=(
            "level city: 500000; level district: the district's code; level industry: "
            "500000 or the district's code"
        ),
    )
    township = UnitCodeField(
        OrgUnit.Level.TOWNSHIP,
        required=False,
        allow_null=True,
        help_text="level township: the township's (street's) code",
    )
    industry = serializers.ChoiceField(
        choices=Industry.choices,
        required=False,
        allow_blank=True,
        help_text="level industry: the industry letter (GB/T 4754, A–T)",
    )
    park = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndustrialPark.objects.none(),
        required=False,
        allow_null=True,
        help_text="level park: the park's code",
        error_messages={"does_not_exist": "园区代码“{value}”不存在或不在您的管辖范围内。"},
    )
    held_on = DayField()
    title = serializers.CharField(max_length=200)
    agenda = serializers.CharField(max_length=2000)
    decisions = serializers.CharField(max_length=2000)
    participants = TripartiteParticipantSerializer(
        many=True, help_text="people of all four bodies (hrss, trade_union, …)"
    )
    follow_ups = FollowUpInputSerializer(many=True, required=False, default=list)

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["park"].queryset = parks_visible_to(request.user)
        return fields

    def create(self, validated_data):
        data = dict(validated_data)
        data["participants"] = [dict(p) for p in data["participants"]]
        data["follow_ups"] = [dict(f) for f in data["follow_ups"]]
        return services.record_meeting(self.context["request"].user, **data)


class AddFollowUpSerializer(FollowUpInputSerializer):
    version = _version_field()


class MeetingFilterSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=TripartiteMeeting.Level.choices, required=False)
    industry = serializers.ChoiceField(choices=Industry.choices, required=False)
    held_from = DayField(required=False)
    held_to = DayField(required=False)
    q = serializers.CharField(required=False, max_length=100, help_text="words of the title")


@extend_schema_view(list=extend_schema(parameters=[MeetingFilterSerializer]))
@extend_schema(tags=["tripartite-meetings"])
class TripartiteMeetingViewSet(RecordViewSet):
    """Tripartite meetings at city, district and park level (staff only): participants of the
    four bodies, the decisions and their follow-up items."""

    serializer_class = TripartiteMeetingSerializer
    create_serializer_class = MeetingCreateSerializer
    editors = services.TRIPARTITE_EDITORS
    readers = STAFF_READERS

    def get_queryset(self):
        meetings = queries.meetings_visible_to(self.request.user).prefetch_related(
            Prefetch("participants", queryset=TripartiteParticipant.objects.order_by("body", "id")),
            Prefetch(
                "follow_ups",
                queryset=FollowUpItem.objects.select_related("meeting", "unit").order_by(
                    "due_on", "id"
                ),
            ),
        )
        if self.action != "list":
            return meetings
        d = self.filters(MeetingFilterSerializer)
        return queries.filter_meetings(meetings, d).order_by("-held_on", "-id")

    @extend_schema(request=MeetingCreateSerializer, responses={201: TripartiteMeetingSerializer})
    def create(self, request, *args, **kwargs):
        return super().create(request, *args, **kwargs)

    @extend_schema(
        request=AddFollowUpSerializer,
        responses={201: TripartiteMeetingSerializer},
        operation_id="tripartite_meetings_follow_ups_create",
    )
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk=None):
        """Add a follow-up item (``version`` is the meeting's)."""
        record = self.get_object()
        data = self.validated(request, AddFollowUpSerializer)
        version = data.pop("version", None)
        services.add_follow_up(request.user, record, expected_version=version, **data)
        return self.present(record, status.HTTP_201_CREATED)


class FollowUpCompleteSerializer(serializers.Serializer):
    version = _version_field()
    done_on = DayField()
    result = serializers.CharField(max_length=500)


class FollowUpFilterSerializer(serializers.Serializer):
    queue = serializers.ChoiceField(
        choices=["all", *queries.FOLLOW_UP_QUEUES],
        required=False,
        default="all",
        help_text="open, overdue (not done and past due), done",
    )
    meeting = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)


@extend_schema_view(list=extend_schema(parameters=[FollowUpFilterSerializer]))
@extend_schema(tags=["tripartite-meetings"])
class FollowUpItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReadViewSet):
    """The follow-up items of the caller's meetings (created with their meeting, or by
    ``POST /tripartite-meetings/{id}/follow-ups/``); ``queue=overdue`` is the overdue list."""

    serializer_class = FollowUpItemSerializer
    readers = STAFF_READERS

    def get_queryset(self):
        items = queries.follow_ups_visible_to(self.request.user)
        if self.action != "list":
            return items
        d = self.filters(FollowUpFilterSerializer)
        if d.get("meeting"):
            items = items.filter(meeting_id=d["meeting"])
        if d["queue"] == "all":
            return items.order_by("due_on", "id")
        return queries.follow_up_queue(items, d["queue"])

    @extend_schema(request=FollowUpCompleteSerializer, responses=FollowUpItemSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self.act(request, FollowUpCompleteSerializer, services.complete_follow_up)


# --- employment filing -------------------------------------------------------------------------


class EmploymentFilingSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    period = PeriodField(read_only=True)
    signing_rate = serializers.FloatField(
        read_only=True, allow_null=True, help_text="contracted ÷ employees"
    )
    dispatch_share = serializers.FloatField(
        read_only=True, allow_null=True, help_text="dispatched ÷ (contracted + dispatched)"
    )

    class Meta:
        model = EmploymentFiling
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "unit",
            "period",
            "employees",
            "contracted",
            "dispatched",
            "insured",
            "signing_rate",
            "dispatch_share",
            "dispatch_over_cap",
            "filed_on",
            "version",
        ]


class FilingCreateSerializer(serializers.Serializer):
    enterprise = EnterpriseCodeField(
        required=False, help_text="USCC; an enterprise account may leave it out (its own)"
    )
    period = PeriodField(help_text="the month, YYYY-MM")
    employees = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    contracted = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    dispatched = serializers.IntegerField(min_value=0, max_value=MAX_VERSION, default=0)
    insured = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    version = _version_field()

    def validate(self, attrs):
        if attrs.get("enterprise") is None:
            attrs["enterprise"] = own_enterprise(self.context["request"].user)
        return attrs


class FilingFilterSerializer(serializers.Serializer):
    period = PeriodField(required=False, help_text="YYYY-MM")
    enterprise = serializers.CharField(required=False, help_text="USCC")
    over_cap = serializers.BooleanField(required=False, allow_null=True, default=None)


class SigningRateFilterSerializer(serializers.Serializer):
    unit = UnitCodeField(
        OrgUnit.Level.CITY,
        OrgUnit.Level.DISTRICT,
        units=scope.units_visible_to,
        required=False,
        help_text="only the filings of this unit (default: all the caller's units)",
    )
    period = PeriodField(required=False, help_text="YYYY-MM (default: the latest filed)")


class SigningRateSerializer(serializers.Serializer):
    unit = serializers.CharField(source="unit__code")
    unit_name = serializers.CharField(source="unit__name")
    enterprises = serializers.IntegerField()
    employees = serializers.IntegerField()
    contracted = serializers.IntegerField()
    dispatched = serializers.IntegerField()
    insured = serializers.IntegerField()
    over_cap = serializers.IntegerField(help_text="enterprises over the dispatch cap")
    signing_rate = serializers.FloatField(allow_null=True, help_text="contracted ÷ employees")


class SigningRatesSerializer(serializers.Serializer):
    period = PeriodField(allow_null=True)
    results = SigningRateSerializer(many=True)


@extend_schema_view(list=extend_schema(parameters=[FilingFilterSerializer]))
@extend_schema(tags=["employment-filings"])
class EmploymentFilingViewSet(RecordViewSet):
    """Employment filings per enterprise and month: staff read and file for their units'
    enterprises, an enterprise account for its own. A second filing of the same month corrects
    the first (``version`` of the filing read; 200 instead of 201)."""

    serializer_class = EmploymentFilingSerializer
    editors = services.FILING_EDITORS

    def get_queryset(self):
        filings = queries.filings_visible_to(self.request.user)
        if self.action != "list":
            return filings
        d = self.filters(FilingFilterSerializer)
        if d.get("period"):
            filings = filings.filter(period=d["period"])
        if d.get("enterprise"):
            filings = filings.filter(enterprise__uscc=normalise_uscc(d["enterprise"]))
        if d.get("over_cap") is not None:
            filings = filings.filter(dispatch_over_cap=d["over_cap"])
        return filings.order_by("-period", "-id")

    @extend_schema(
        request=FilingCreateSerializer,
        responses={201: EmploymentFilingSerializer, 200: EmploymentFilingSerializer},
    )
    def create(self, request, *args, **kwargs):
        if not can(request.user, *self.editors):
            raise exceptions.PermissionDenied("您没有办理用工备案的权限。")
        data = self.validated(request, FilingCreateSerializer)
        version = data.pop("version", None)
        period = data["period"]
        existed = EmploymentFiling.objects.filter(
            enterprise=data["enterprise"], period=period
        ).exists()
        filing = services.file_employment(request.user, expected_version=version, **data)
        return self.present(filing, status.HTTP_200_OK if existed else status.HTTP_201_CREATED)

    @extend_schema(parameters=[SigningRateFilterSerializer], responses=SigningRatesSerializer)
    @action(detail=False, methods=["get"], url_path="signing-rates", pagination_class=None)
    def signing_rates(self, request):
        """The labour-contract signing rate per handling unit for one month (staff only)."""
        if not can(request.user, *STAFF_READERS):
            raise exceptions.PermissionDenied("只有工作人员可以查看各单位的签订率。")
        d = self.filters(SigningRateFilterSerializer)
        filings = queries.filings_visible_to(request.user)
        if d.get("unit") is not None:
            filings = filings.filter(unit_id__in=scope.subtree_ids(d["unit"]))
        period = d.get("period") or queries.latest_period(filings)
        rows = queries.signing_rates_by_unit(filings, period) if period else []
        return Response(SigningRatesSerializer({"period": period, "results": rows}).data)


# --- the to-do lists of rules §7 ---------------------------------------------------------------

TODO_LISTS = {
    # API name: (queries name, what it lists)
    "no_union": ("no_union", "operating, 25 or more employees (setting) and no union in being"),
    "no_committee": (
        "no_committee",
        "a union of 25 or more members (setting) that is not a committee",
    ),
    "no_fulltime_staff": ("no_fulltime", "200 or more employees and no full-time union staff"),
    "key_without_contract": (
        "no_contract",
        "key enterprises (operating, a union, 100+ employees) without a contract in force",
    ),
}


class TodoFilterSerializer(serializers.Serializer):
    list = serializers.ChoiceField(
        choices=list(TODO_LISTS),
        help_text="; ".join(f"{name}: {text}" for name, (_, text) in TODO_LISTS.items()),
    )
    on = DayField(required=False, help_text="as of this day (default today)")


class TodoEnterpriseSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    township = serializers.SlugRelatedField(slug_field="code", read_only=True)
    township_name = serializers.CharField(
        source="township.name", read_only=True, allow_null=True, default=None
    )

    class Meta:
        model = Enterprise
        fields = [
            "uscc",
            "name",
            "unit",
            "unit_name",
            "township",
            "township_name",
            "industry",
            "employee_count",
            "union_established",
        ]
        read_only_fields = fields


@extend_schema_view(list=extend_schema(parameters=[TodoFilterSerializer]))
@extend_schema(tags=["unions"])
class UnionTodoViewSet(mixins.ListModelMixin, ReadViewSet):
    """What is left to set up under rules §7, over the caller's enterprises, largest first."""

    serializer_class = TodoEnterpriseSerializer

    def get_queryset(self):
        d = self.filters(TodoFilterSerializer)
        name = TODO_LISTS[d["list"]][0]
        return queries.todo_list(self.request.user, name, d.get("on")).select_related(
            "unit", "township"
        )


ROUTES: list = [
    ("unions", UnionViewSet, "union"),
    ("union-todo", UnionTodoViewSet, "union-todo"),
    ("collective-bargainings", CollectiveBargainingViewSet, "collective-bargaining"),
    ("collective-contracts", CollectiveContractViewSet, "collective-contract"),
    ("workers-congresses", WorkersCongressViewSet, "workers-congress"),
    ("affairs-disclosures", AffairsDisclosureViewSet, "affairs-disclosure"),
    ("tripartite-meetings", TripartiteMeetingViewSet, "tripartite-meeting"),
    ("follow-up-items", FollowUpItemViewSet, "follow-up-item"),
    ("employment-filings", EmploymentFilingViewSet, "employment-filing"),
]
PATHS: list = []
