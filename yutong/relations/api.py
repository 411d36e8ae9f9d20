"""/api/v1/unions/ and /api/v1/collective-contracts/: list, create and read in the caller's
scope, and every change of state as ``POST …/{id}/{action}/``.

Serializers check the shape of the input; the rules, roles and scope are the services'. A
record outside the caller's scope is a 404; a stale ``version`` a 409; a wrong state or a rule
broken a 400 with the field (or ``non_field_errors``) that explains it.

``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router; ``PATHS`` are further URL
patterns under /api/v1/ (yutong/urls.py mounts both).
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yutong.core import scope
from yutong.core.models import OrgUnit
from yutong.core.pagination import EstimatedCountPagination
from yutong.core.permissions import can
from yutong.registry.choices import Industry
from yutong.registry.models import Enterprise
from yutong.registry.queries import enterprises_visible_to
from yutong.registry.validators import normalise_uscc

from . import queries, services
from .models import CollectiveContract, ContractCoverage, ContractKind, Scope, Union

MAX_VERSION = 2_147_483_647


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
    def __init__(self, *levels, **kwargs):
        self.levels = levels
        kwargs.setdefault(
            "error_messages",
            {"does_not_exist": "单位代码“{value}”不存在或不在您的管辖范围内。"},
        )
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        units = scope.units_visible_to(self.context["request"].user)
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


class UnionCreateSerializer(serializers.Serializer):
    enterprise = EnterpriseCodeField(help_text="the enterprise's USCC")
    name = serializers.CharField(max_length=200)
    form = serializers.ChoiceField(choices=Union.Form.choices)
    established_on = serializers.DateField()
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
    dissolved_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    pagination_class = EstimatedCountPagination
    filter_backends: list = []
    create_serializer_class: type = serializers.Serializer
    editors: tuple = ()

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
    covered_enterprises = serializers.ListField(
        child=serializers.CharField(max_length=18),
        required=False,
        default=list,
        max_length=50_000,
        help_text="regional/industry: USCCs of the enterprises covered",
    )
    term_start = serializers.DateField()
    expires_on = serializers.DateField()
    bargaining = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def validate_covered_enterprises(self, codes: list[str]) -> list[Enterprise]:
        codes = list(dict.fromkeys(normalise_uscc(c) for c in codes))
        user = self.context["request"].user
        found = {e.uscc: e for e in enterprises_visible_to(user).filter(uscc__in=codes)}
        missing = [c for c in codes if c not in found]
        if missing:
            raise serializers.ValidationError(
                f"以下统一社会信用代码不存在或不在您的管辖范围内：{'、'.join(missing[:10])}"
            )
        return [found[c] for c in codes]

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
    adopted_on = serializers.DateField()
    congress_total = serializers.IntegerField(min_value=1, max_value=MAX_VERSION)
    congress_attending = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)
    congress_approving = serializers.IntegerField(min_value=0, max_value=MAX_VERSION)


class SignSerializer(serializers.Serializer):
    version = _version_field()
    signed_on = serializers.DateField()


class FileSerializer(serializers.Serializer):
    version = _version_field()
    filed_on = serializers.DateField()
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
    objected_on = serializers.DateField()
    reason = serializers.CharField(max_length=1000)


class TerminateSerializer(serializers.Serializer):
    version = _version_field()
    terminated_on = serializers.DateField()
    reason = serializers.CharField(max_length=300)


class RenewSerializer(serializers.Serializer):
    version = _version_field()
    expires_on = serializers.DateField(help_text="the end of the renewed term (1-3 years)")
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


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
        """Filing within 10 days of signature; effect after the 15-day review."""
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


ROUTES: list = [
    ("unions", UnionViewSet, "union"),
    ("collective-contracts", CollectiveContractViewSet, "collective-contract"),
]
PATHS: list = []
