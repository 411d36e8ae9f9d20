"""Serializers and views. ``ROUTES`` (prefix, viewset, basename) go on the /api/v1/ router;
``PATHS`` are further URL patterns under /api/v1/ (yutong/urls.py mounts both).

``GET /api/v1/projects/{id}/wage-code/`` is public (no login), throttled per client address,
and answers ``{"colour": "green"|"yellow"|"red", "reasons": [text, …]}`` — the stored colour
and the reasons the public page shows (no personal data).

For signed-in users, per project (a project outside the reader's scope is a 404, exactly as on
the pages): the deposit and the four safeguards (``…/safeguards/``, read; recorded through
``…/safeguards/deposit/`` and ``…/safeguards/{kind}/`` by project editors), and the payroll
months with their checks (``…/payroll-months/``, for staff in scope and the general
contractor's own account). Payroll sheets are uploaded to ``/api/v1/payroll-imports/`` (the
generic ``core.import_api`` over the same importer as the page). The wage-code rules and the
settings are readable by staff (``/api/v1/wage-code-rules/``, ``/api/v1/wage-settings/``).
"""

from __future__ import annotations

from datetime import date

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import path
from django.utils import timezone
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, generics, mixins, serializers, viewsets
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from yutong.core import roles
from yutong.core.drf import DayField, MomentField, StandardPagination
from yutong.core.import_api import ImportJobSerializer, ImportJobViewSet
from yutong.core.middleware import client_ip
from yutong.core.permissions import can, require_role
from yutong.core.personal import mask_resident_id
from yutong.registry import queries as registry_queries
from yutong.registry.models import ConstructionProject

from . import facts, queries, rules, services
from .importers import PAYROLL
from .models import (
    DepositForm,
    NoticeItem,
    PayrollEntry,
    PayrollMonth,
    SafeguardKind,
    WageCode,
    WageCodeRule,
    WageDeposit,
    WageSettings,
)

THROTTLED_MESSAGE = "查询过于频繁，请稍后再试。"


class PublicThrottle(SimpleRateThrottle):
    """120 public wage-code reads a minute per client address (``client_ip``: the proxy's
    last hop, not the caller-chosen X-Forwarded-For), shared by the page, the QR image and
    the API."""

    scope = "wage_code"
    rate = "120/min"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "unknown"}


class WageCodeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [PublicThrottle]

    @extend_schema(
        summary="The wage code (渝薪码) of a construction project: colour and reasons. Public.",
        responses={
            200: inline_serializer(
                "WageCodeResponse",
                {
                    "colour": serializers.ChoiceField(choices=["green", "yellow", "red"]),
                    "reasons": serializers.ListField(child=serializers.CharField()),
                },
            ),
            404: OpenApiResponse(description="No such project (or not computed yet)."),
            429: OpenApiResponse(description="Too many requests from this address."),
        },
        auth=[],
    )
    def get(self, request, pk: int):
        code = WageCode.objects.filter(project_id=pk).first()
        if code is None:
            raise exceptions.NotFound("没有该项目。")
        return Response(
            {"colour": code.colour, "reasons": [reason["text"] for reason in code.reasons]}
        )

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=THROTTLED_MESSAGE)


# --- a project's safeguards ------------------------------------------------------------------

READERS = (*roles.STAFF_ROLES, roles.ENTERPRISE_USER)
MAX_VERSION = 2_147_483_647


def visible_project(request, pk: int) -> ConstructionProject:
    """The project if the caller may read it: outside the roles 403, outside the scope 404."""
    require_role(request.user, *READERS)
    project = registry_queries.projects_visible_to(request.user).filter(pk=pk).first()
    if project is None:
        raise exceptions.NotFound("没有该项目，或不在您的管辖范围内。")
    return project


def _choice_help(choices) -> str:
    return "; ".join(f"{value}: {label}" for value, label in choices)


class RequirementSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="yuan")
    rate = serializers.DecimalField(max_digits=5, decimal_places=2, help_text="% of contract")
    exempt = serializers.BooleanField()
    trace = serializers.ListField(child=serializers.CharField(), help_text="how it was found")


class DepositSerializer(serializers.ModelSerializer):
    """The deposit as recorded, with the requirement computed when it was recorded."""

    form = serializers.CharField(read_only=True, help_text=_choice_help(DepositForm.choices))
    reference_masked = serializers.SerializerMethodField(
        help_text="account, guarantee or policy number: last 4 characters only"
    )
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = WageDeposit
        fields = [
            "form",
            "amount",
            "deposited_on",
            "issuer",
            "reference_masked",
            "expires_on",
            "required_amount",
            "required_rate",
            "exempt",
            "trace",
            "recorded_by",
            "recorded_at",
            "version",
        ]
        read_only_fields = fields
        extra_kwargs = {"trace": {"help_text": "list of sentences"}}

    def get_reference_masked(self, obj) -> str:
        return services.mask_account(obj.reference)


class SafeguardStateSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=_choice_help(SafeguardKind.choices))
    label = serializers.CharField()
    in_place = serializers.BooleanField(help_text="recorded as in place")
    in_place_since = DayField(allow_null=True)
    bank_name = serializers.CharField(help_text="wage_account only")
    account_number_masked = serializers.CharField(help_text="wage_account: last 4 digits only")
    pay_day = serializers.IntegerField(allow_null=True, help_text="bank_payroll: day of month")
    notice_items = serializers.ListField(
        child=serializers.CharField(),
        help_text="notice_board: contents shown; " + _choice_help(NoticeItem.choices),
    )
    missing_notice_items = serializers.ListField(
        child=serializers.CharField(), help_text="notice_board: required contents not shown"
    )
    note = serializers.CharField()
    recorded_by = serializers.CharField(allow_null=True)
    recorded_at = MomentField(allow_null=True)
    version = serializers.IntegerField(
        allow_null=True, help_text="send it back when you correct the record (409 if stale)"
    )


class ProjectSafeguardsSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="project id")
    code = serializers.CharField(help_text="project code")
    deposit = DepositSerializer(allow_null=True, help_text="null: no deposit recorded")
    requirement = RequirementSerializer(help_text="the deposit required as of today")
    safeguards = SafeguardStateSerializer(many=True, help_text="the four, in a fixed order")


def _safeguard_state(kind: str, label: str, record) -> dict:
    if record is None:
        return {
            "kind": kind,
            "label": label,
            "in_place": False,
            "in_place_since": None,
            "bank_name": "",
            "account_number_masked": "",
            "pay_day": None,
            "notice_items": [],
            "missing_notice_items": [],
            "note": "",
            "recorded_by": None,
            "recorded_at": None,
            "version": None,
        }
    board = kind == SafeguardKind.NOTICE_BOARD
    return {
        "kind": kind,
        "label": label,
        "in_place": True,
        "in_place_since": record.in_place_since,
        "bank_name": record.bank_name,
        "account_number_masked": services.mask_account(record.account_number),
        "pay_day": record.pay_day,
        "notice_items": list(record.notice_items or []),
        "missing_notice_items": record.missing_notice_items if board else [],
        "note": record.note,
        "recorded_by": record.recorded_by.username,
        "recorded_at": record.recorded_at,
        "version": record.version,
    }


def safeguards_document(project: ConstructionProject) -> dict:
    found = queries.safeguards_of(project)
    need = services.requirement_for(project)
    document = {
        "project": project.pk,
        "code": project.code,
        "deposit": queries.deposit_of(project),
        "requirement": {
            "amount": need.amount,
            "rate": need.rate,
            "exempt": need.exempt,
            "trace": need.trace,
        },
        "safeguards": [
            _safeguard_state(kind, label, found.get(kind)) for kind, label in SafeguardKind.choices
        ],
    }
    return ProjectSafeguardsSerializer(document).data


class VersionInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_VERSION,
        help_text="the version you read when correcting a record; if it changed since: 409",
    )


class DepositInputSerializer(VersionInputSerializer):
    form = serializers.ChoiceField(
        choices=DepositForm.choices,
        error_messages={"invalid_choice": "请选择存储形式：现金、银行保函或工程保证保险。"},
    )
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="yuan, > 0")
    deposited_on = DayField()
    issuer = serializers.CharField(max_length=100, allow_blank=True, help_text="bank or insurer")
    reference = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        default="",
        help_text="write-only; read masked",
    )
    expires_on = DayField(
        required=False, allow_null=True, default=None, help_text="guarantees only, required"
    )


FIELDS_BY_KIND = {
    SafeguardKind.WAGE_ACCOUNT: ("bank_name", "account_number"),
    SafeguardKind.REAL_NAME: (),
    SafeguardKind.BANK_PAYROLL: ("pay_day",),
    SafeguardKind.NOTICE_BOARD: ("notice_items",),
}


class SafeguardInputSerializer(VersionInputSerializer):
    """One form for the four kinds; a field the kind does not have is a 400 on that field."""

    in_place_since = DayField()
    bank_name = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="wage_account: required"
    )
    account_number = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="wage_account: required, 8-32 digits; write-only, read masked",
    )
    pay_day = serializers.IntegerField(
        required=False, allow_null=True, help_text="bank_payroll: required, 1-31"
    )
    notice_items = serializers.ListField(
        child=serializers.ChoiceField(choices=NoticeItem.choices),
        required=False,
        max_length=len(NoticeItem.choices),
        help_text="notice_board: the required contents found on the board",
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")

    def validate(self, attrs):
        kind = self.context["kind"]
        optional = {name for names in FIELDS_BY_KIND.values() for name in names}
        foreign = sorted((optional - set(FIELDS_BY_KIND[kind])) & set(self.initial_data))
        if foreign:
            label = SafeguardKind(kind).label
            raise exceptions.ValidationError({name: [f"{label}没有此项。"] for name in foreign})
        return attrs


class ProjectSafeguardsView(APIView):
    @extend_schema(
        summary="A project's wage deposit (with the requirement and its trace) and the four "
        "safeguards; account numbers masked.",
        responses={200: ProjectSafeguardsSerializer},
    )
    def get(self, request, pk: int):
        return Response(safeguards_document(visible_project(request, pk)))


def _editable_project(request, pk: int) -> ConstructionProject:
    project = visible_project(request, pk)
    services.require_project_editor(request.user, project)  # a reader but not an editor: 403
    return project


class DepositView(APIView):
    @extend_schema(
        summary="Record (or correct) the wage deposit; the requirement is computed as of "
        "today. Project editors of the project's units.",
        request=DepositInputSerializer,
        responses={200: ProjectSafeguardsSerializer},
    )
    def post(self, request, pk: int):
        project = _editable_project(request, pk)
        serializer = DepositInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        services.record_deposit(request.user, project, expected_version=version, **data)
        return Response(safeguards_document(project))


class SafeguardView(APIView):
    kind: str = ""

    @extend_schema(
        summary="Record (or correct) that a safeguard is in place. Project editors.",
        request=SafeguardInputSerializer,
        responses={200: ProjectSafeguardsSerializer},
    )
    def post(self, request, pk: int):
        project = _editable_project(request, pk)
        serializer = SafeguardInputSerializer(data=request.data, context={"kind": self.kind})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        services.record_safeguard(
            request.user, project, self.kind, expected_version=version, **data
        )
        return Response(safeguards_document(project))


# --- payroll ----------------------------------------------------------------------------------


def payroll_project(request, pk: int) -> ConstructionProject:
    """Staff in scope and the general contractor's account read the payroll; the other
    parties of the project read its safeguards only (403)."""
    project = visible_project(request, pk)
    if not queries.can_read_payroll(request.user, project):
        raise exceptions.PermissionDenied("您不能查看该项目的工资发放记录。")
    return project


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-03"})
class MonthField(serializers.DateField):
    def to_representation(self, value) -> str:
        return f"{value:%Y-%m}"


class PayrollMonthSerializer(serializers.ModelSerializer):
    """A month's payroll as last uploaded, with the counts of its checks (no worker data)."""

    month = MonthField(read_only=True, help_text="YYYY-MM")
    outstanding = serializers.DecimalField(
        max_digits=16, decimal_places=2, read_only=True, help_text="due minus paid (≥ 0)"
    )
    uploaded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PayrollMonth
        fields = [
            "month",
            "worker_count",
            "total_due",
            "total_paid",
            "outstanding",
            "unpaid_count",
            "below_minimum_count",
            "not_own_account_count",
            "minimum_wage",
            "minimum_wage_trace",
            "uploaded_by",
            "uploaded_at",
            "import_job",
        ]
        read_only_fields = fields


class PayrollEntrySerializer(serializers.ModelSerializer):
    resident_id_masked = serializers.SerializerMethodField()

    class Meta:
        model = PayrollEntry
        fields = [
            "row_number",
            "worker_name",
            "resident_id_masked",
            "days_worked",
            "amount_due",
            "amount_paid",
            "paid_to_own_account",
            "is_unpaid",
            "is_below_minimum",
            "minimum_applied",
        ]
        read_only_fields = fields

    def get_resident_id_masked(self, obj) -> str:
        return mask_resident_id(obj.resident_id)


def months_due(project: ConstructionProject) -> tuple[list[date], list[date]]:
    """(expected, missing) payroll months of the project as of today, by the wage-code rules."""
    today = timezone.localdate()
    row = ConstructionProject.objects.filter(pk=project.pk).values(*facts.PROJECT_COLUMNS).get()
    found = facts.project_facts([row], today)[project.pk]
    return rules.expected_months(found, today), rules.missing_months(found, today)


class PayrollMonthsPagination(StandardPagination):
    """The page of months plus what is missing: ``expected_months`` (count) and
    ``missing_months`` (YYYY-MM), from the start of works to last month."""

    extra: dict = {}

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data = {**self.extra, **response.data}
        return response

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"] = {
            "expected_months": {"type": "integer", "description": "months that need a payroll"},
            "missing_months": {
                "type": "array",
                "items": {"type": "string", "example": "2026-03"},
                "description": "months without a payroll (YYYY-MM)",
            },
            **paginated["properties"],
        }
        paginated["required"] = ["expected_months", "missing_months", *paginated["required"]]
        return paginated


class PayrollMonthsView(generics.ListAPIView):
    """The months uploaded, latest first, and the months missing."""

    serializer_class = PayrollMonthSerializer
    pagination_class = PayrollMonthsPagination
    filter_backends = []

    def get_queryset(self):
        self.project = payroll_project(self.request, self.kwargs["pk"])
        return queries.payroll_months(self.project).select_related("uploaded_by")

    def list(self, request, *args, **kwargs):
        queryset = self.get_queryset()
        expected, missing = months_due(self.project)
        self.paginator.extra = {
            "expected_months": len(expected),
            "missing_months": [f"{m:%Y-%m}" for m in missing],
        }
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


def _month(value: str) -> date:
    try:
        return date.fromisoformat(f"{value}-01")
    except ValueError:
        raise Http404 from None


def payroll_month(request, pk: int, month: str) -> PayrollMonth:
    project = payroll_project(request, pk)
    found = (
        PayrollMonth.objects.select_related("uploaded_by")
        .filter(project=project, month=_month(month))
        .first()
    )
    if found is None:
        raise exceptions.NotFound("该月没有工资发放记录。")
    return found


MONTH_PARAMETER = OpenApiParameter(
    "month", str, OpenApiParameter.PATH, description="YYYY-MM", pattern=r"^\d{4}-\d{2}$"
)


@extend_schema(parameters=[MONTH_PARAMETER])
class PayrollMonthView(APIView):
    @extend_schema(summary="One month's payroll and its checks.", responses=PayrollMonthSerializer)
    def get(self, request, pk: int, month: str):
        return Response(PayrollMonthSerializer(payroll_month(request, pk, month)).data)


@extend_schema(parameters=[MONTH_PARAMETER])
class PayrollEntriesView(generics.ListAPIView):
    """One month's workers in sheet order: resident IDs masked, each line's checks."""

    serializer_class = PayrollEntrySerializer
    pagination_class = StandardPagination
    filter_backends = []

    def get_queryset(self):
        payroll = payroll_month(self.request, self.kwargs["pk"], self.kwargs["month"])
        return payroll.entries.order_by("row_number", "id")


class PayrollImportJobSerializer(ImportJobSerializer):
    payroll_month = serializers.SerializerMethodField(
        help_text="once committed: the project and month stored (null before)"
    )

    class Meta(ImportJobSerializer.Meta):
        fields = [*ImportJobSerializer.Meta.fields, "payroll_month"]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "PayrollImportTarget",
            {
                "project": serializers.IntegerField(),
                "project_code": serializers.CharField(),
                "month": serializers.CharField(help_text="YYYY-MM"),
            },
            allow_null=True,
        )
    )
    def get_payroll_month(self, obj):
        # Annotated by PayrollImportViewSet.get_queryset: no query per job of a page.
        if getattr(obj, "stored_project_id", None) is None:
            return None
        return {
            "project": obj.stored_project_id,
            "project_code": obj.stored_project_code,
            "month": f"{obj.stored_month:%Y-%m}",
        }


class PayrollImportViewSet(ImportJobViewSet):
    """Monthly payroll sheets (工资发放表): one project and one month per sheet, named in its
    rows (the template of the project's payroll page). Project editors of the project's
    units and the general contractor's own account may upload; the report, the checks and
    the all-or-nothing commit are the page's."""

    importer_kind = PAYROLL.kind
    serializer_class = PayrollImportJobSerializer

    def get_queryset(self):
        stored = PayrollMonth.objects.filter(import_job=OuterRef("pk")).order_by("id")
        return (
            super()
            .get_queryset()
            .annotate(
                stored_project_id=Subquery(stored.values("project_id")[:1]),
                stored_project_code=Subquery(stored.values("project__code")[:1]),
                stored_month=Subquery(stored.values("month")[:1]),
            )
        )


# --- settings (read-only here; the city admin edits them on the settings pages) --------------


def require_staff(request) -> None:
    if not can(request.user, *roles.STAFF_ROLES):
        raise exceptions.PermissionDenied("您没有查看根治欠薪规则的权限。")


class WageCodeRuleSerializer(serializers.ModelSerializer):
    code = serializers.CharField(read_only=True)
    label = serializers.CharField(source="get_code_display", read_only=True)
    colour = serializers.CharField(
        read_only=True,
        help_text="the colour the rule gives when it holds; "
        + _choice_help(WageCodeRule.RuleColour.choices),
    )

    class Meta:
        model = WageCodeRule
        fields = [
            "code",
            "label",
            "colour",
            "threshold",
            "threshold_meaning",
            "description",
            "version",
            "updated_at",
        ]
        read_only_fields = fields


class WageCodeRuleViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The wage-code rules (rules §10: ours, no official rule): a project's colour is the
    worst colour of the rules that hold, green if none."""

    serializer_class = WageCodeRuleSerializer
    pagination_class = StandardPagination
    filter_backends = []
    lookup_field = "code"

    def check_permissions(self, request):
        super().check_permissions(request)
        require_staff(request)

    def get_queryset(self):
        return WageCodeRule.objects.order_by("position", "code")


class WageSettingsSerializer(serializers.ModelSerializer):
    class Meta:
        model = WageSettings
        fields = [*services.SETTINGS_FIELDS, "version", "updated_at"]
        read_only_fields = fields


class WageSettingsView(APIView):
    @extend_schema(
        summary="The deposit rates and limits (rules §4.3) and the rights information.",
        responses=WageSettingsSerializer,
    )
    def get(self, request):
        require_staff(request)
        return Response(WageSettingsSerializer(WageSettings.current()).data)


ROUTES: list = [
    ("payroll-imports", PayrollImportViewSet, "payroll-import"),
    ("wage-code-rules", WageCodeRuleViewSet, "wage-code-rule"),
]
PATHS: list = [
    path("projects/<int:pk>/wage-code/", WageCodeView.as_view(), name="api_project_wage_code"),
    path(
        "projects/<int:pk>/safeguards/",
        ProjectSafeguardsView.as_view(),
        name="api_project_safeguards",
    ),
    path(
        "projects/<int:pk>/safeguards/deposit/",
        DepositView.as_view(),
        name="api_project_deposit",
    ),
    *(
        path(
            f"projects/<int:pk>/safeguards/{kind.replace('_', '-')}/",
            SafeguardView.as_view(kind=kind),
            name=f"api_project_{kind}",
        )
        for kind in SafeguardKind.values
    ),
    path(
        "projects/<int:pk>/payroll-months/",
        PayrollMonthsView.as_view(),
        name="api_project_payroll_months",
    ),
    path(
        "projects/<int:pk>/payroll-months/<str:month>/",
        PayrollMonthView.as_view(),
        name="api_project_payroll_month",
    ),
    path(
        "projects/<int:pk>/payroll-months/<str:month>/entries/",
        PayrollEntriesView.as_view(),
        name="api_project_payroll_entries",
    ),
    path("wage-settings/", WageSettingsView.as_view(), name="api_wage_settings"),
]
