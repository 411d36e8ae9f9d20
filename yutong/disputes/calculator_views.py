"""The claim calculator's public page (/disputes/calculator/) and API (/api/v1/calculations/).

Both are open to anyone (a worker checks a claim before filing) and throttled per caller. Both
read their input through the same serializers below, so the page and the API accept the same
values and give the same Chinese messages; the law itself is in ``calculator.py``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import exceptions, serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from yutong.core.drf import NulRefusingJSONParser
from yutong.core.middleware import client_ip
from yutong.core.models import OrgUnit

from .calculator import KINDS, Calculation, InputError, ValueMissing, calculate

DEFAULT_KIND = "economic_compensation"
THROTTLED_MESSAGE = "请求过于频繁，请稍后再试。"


# --- input -----------------------------------------------------------------------------------

# Long enough for any real figure; the length bound keeps hostile input cheap to refuse.
DECIMAL_TEXT = re.compile(r"-?[0-9]{1,30}(\.[0-9]{1,30})?", re.ASCII)


@extend_schema_field(
    {
        "oneOf": [
            {"type": "string", "pattern": r"^[0-9]{1,12}(\.[0-9]{1,2})?$", "example": "8500.00"},
            {"type": "integer", "minimum": 0},
        ]
    }
)
class StrictDecimalField(serializers.Field):
    """A decimal string or a JSON integer. Floats are refused: 0.1 + 0.2 is not money."""

    default_error_messages = {
        "invalid": "请填写数字，如 8500 或 8500.50。",
        "float": '请以字符串（如 "8500.50"）或整数提交，不接受浮点数。',
        "negative": "不能为负数。",
        "places": "最多保留 {places} 位小数。",
        "max_value": "不能超过 {max_value}。",
    }

    def __init__(self, *, max_value: Decimal, places: int = 2, **kwargs):
        self.max_value, self.places = max_value, places
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> Decimal:
        if isinstance(data, float):
            self.fail("float")
        if isinstance(data, int) and not isinstance(data, bool):
            data = str(data)
        if not isinstance(data, str) or not DECIMAL_TEXT.fullmatch(data.strip()):
            self.fail("invalid")
        value = Decimal(data.strip())
        if value < 0:
            self.fail("negative")
        if -value.normalize().as_tuple().exponent > self.places:  # "8500.100" is 8500.1
            self.fail("places", places=self.places)
        if value > self.max_value:
            self.fail("max_value", max_value=self.max_value)
        return value

    def to_representation(self, value) -> str:
        return str(value)


def money(label: str, help_text: str = "") -> StrictDecimalField:
    # A hundred million yuan a month is beyond any wage; the bound keeps the arithmetic small.
    return StrictDecimalField(max_value=Decimal(100_000_000), label=label, help_text=help_text)


def hours(label: str) -> StrictDecimalField:
    # 31 days × 24 hours: the hours are one month's.
    return StrictDecimalField(
        max_value=Decimal(744), label=label, help_text="单位：小时", initial="0"
    )


def day(label: str, help_text: str = "", **kwargs) -> serializers.DateField:
    return serializers.DateField(
        label=label,
        help_text=help_text,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": "日期格式应为 YYYY-MM-DD，如 2024-03-01。"},
        validators=[_plausible_date],
        **kwargs,
    )


def _plausible_date(value) -> None:
    if not 1950 <= value.year <= 2100:
        raise serializers.ValidationError("日期应在 1950 年至 2100 年之间。")


def whole(
    label: str, max_value: int, help_text: str = "", min_value: int = 0, **kwargs
) -> serializers.IntegerField:
    return serializers.IntegerField(
        label=label,
        help_text=help_text,
        min_value=min_value,
        max_value=max_value,
        error_messages={
            "invalid": "请填写整数。",
            "min_value": "不能为负数。" if min_value == 0 else f"不能小于 {min_value}。",
            "max_value": f"不能超过 {max_value}。",
        },
        **kwargs,
    )


class UnitField(serializers.SlugRelatedField):
    """A district-level unit code, e.g. 500103 (渝中区); its tier selects the minimum wage."""

    def __init__(self, **kwargs):
        super().__init__(
            slug_field="code",
            queryset=OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT),
            error_messages={
                "does_not_exist": "区县代码“{value}”不存在或不是区县级单位。",
                "invalid": "请填写区县代码，如 500103。",
            },
            **kwargs,
        )


def kind_field(*kinds: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=[(k, KINDS[k][0]) for k in kinds],
        label="计算类型",
        error_messages={
            "required": "请选择计算类型。",
            "null": "请选择计算类型。",
            "invalid_choice": "未知的计算类型“{input}”，可选：" + "、".join(KINDS) + "。",
        },
    )


class KindSerializer(serializers.Serializer):
    kind = kind_field(*KINDS)


class TerminationSerializer(serializers.Serializer):
    kind = kind_field("economic_compensation", "illegal_termination_damages")
    start_date = day("用工起始日期", "入职（开始用工）的日期")
    end_date = day("劳动关系结束日期", "劳动合同解除或终止之日，即最后一个工作日")
    monthly_wage = money(
        "月工资（元）", "解除或终止前十二个月的平均应得工资，不满十二个月按实际月数平均"
    )
    unit = UnitField(
        label="用人单位所在区县", help_text="区县代码，如 500103；其档次决定适用的最低工资标准"
    )


class DoubleWagesSerializer(serializers.Serializer):
    kind = kind_field("double_wages")
    start_date = day("用工起始日期")
    end_date = day("劳动关系结束日期", "仍在职的，填写计算截止日")
    monthly_wage = money("月工资（元）")
    contract_signed_on = day("书面劳动合同订立日期", "从未订立的留空", allow_null=True)


class OvertimeSerializer(serializers.Serializer):
    kind = kind_field("overtime")
    monthly_wage = money("加班工资计算基数（元/月）", "劳动合同约定的月工资")
    weekday_hours = hours("工作日延长工作时数")
    rest_day_hours = hours("休息日加班时数（未安排补休）")
    holiday_hours = hours("法定节假日加班时数")


class AnnualLeaveSerializer(serializers.Serializer):
    kind = kind_field("annual_leave")
    cumulative_service_years = whole(
        "累计工作年限（整年）", 80, "含在不同用人单位的工作时间，不满一年填 0"
    )
    monthly_wage = money("月平均工资（元）", "前十二个月剔除加班工资后的月平均工资")
    days_taken = whole("当年已休年休假天数", 366)
    year = whole("年度", 2100, "按全年计算时填写", min_value=1950, required=False, allow_null=True)
    end_date = day(
        "离职日期", "年中离职的填写，按当年已过天数折算", required=False, allow_null=True
    )


SERIALIZERS: dict[str, type[serializers.Serializer]] = {
    "economic_compensation": TerminationSerializer,
    "illegal_termination_damages": TerminationSerializer,
    "double_wages": DoubleWagesSerializer,
    "overtime": OvertimeSerializer,
    "annual_leave": AnnualLeaveSerializer,
}


def run_calculation(data, staff: bool = False) -> tuple[Calculation | None, dict]:
    """``(calculation, {})``, or ``(None, errors per field)`` in the API's error shape.

    A missing value is said in plain words to the public; ``staff`` pages name the parameter
    the administrator must set instead.
    """
    if not isinstance(data, Mapping):
        return None, {"non_field_errors": ["请求内容应为 JSON 对象。"]}
    kind = data.get("kind")
    serializer = SERIALIZERS.get(kind if isinstance(kind, str) else "", KindSerializer)(data=data)
    if not serializer.is_valid():
        return None, serializer.errors
    inputs = dict(serializer.validated_data)
    try:
        return calculate(inputs.pop("kind"), **inputs), {}
    except InputError as exc:
        return None, exc.errors
    except ValueMissing as exc:
        # A gap in the configuration: never guess; say what is missing and what one can do.
        return None, {"non_field_errors": [exc.for_staff if staff else str(exc)]}


class CalculationThrottle(SimpleRateThrottle):
    """60 calculations a minute per signed-in user, or per client address for everyone else.

    The address comes from ``client_ip`` (the proxy's last hop), not DRF's default, which
    trusts the whole X-Forwarded-For header and so lets a caller pick a new identity per call.
    """

    scope = "calculations"
    rate = "60/min"

    def get_cache_key(self, request, view):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident = f"user:{user.pk}"
        else:
            ident = client_ip(request) or "unknown"
        return self.cache_format % {"scope": self.scope, "ident": ident}


# --- API -------------------------------------------------------------------------------------


class TraceStepSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The step as a sentence, ending with its article.")
    article = serializers.CharField(
        allow_null=True, help_text="The article cited, e.g. 《劳动合同法》第四十七条; null if none."
    )


class CalculationResultSerializer(serializers.Serializer):
    amount = serializers.CharField(help_text="Yuan, a decimal string with 2 decimals.")
    trace = TraceStepSerializer(many=True)


class CalculationView(APIView):
    """POST /api/v1/calculations/: one claim amount with its trace. Public, throttled."""

    permission_classes = [AllowAny]
    throttle_classes = [CalculationThrottle]
    parser_classes = [NulRefusingJSONParser]

    @extend_schema(
        summary="Calculate a labour claim (economic compensation, damages, double wages, …)",
        request=PolymorphicProxySerializer(
            component_name="CalculationRequest",
            serializers=SERIALIZERS,
            resource_type_field_name="kind",
        ),
        responses={
            200: CalculationResultSerializer,
            400: OpenApiResponse(
                description="Errors per field, or in plain words a value not yet configured."
            ),
            429: OpenApiResponse(description="Too many requests from this caller."),
        },
        examples=[
            OpenApiExample(
                "经济补偿",
                request_only=True,
                value={
                    "kind": "economic_compensation",
                    "start_date": "2019-03-01",
                    "end_date": "2025-08-31",
                    "monthly_wage": "8500.00",
                    "unit": "500103",
                },
            )
        ],
    )
    def post(self, request):
        calculation, errors = run_calculation(request.data)
        if errors:
            raise exceptions.ValidationError(errors)
        return Response(calculation.as_dict())

    def throttled(self, request, wait):
        raise exceptions.Throttled(wait, detail=THROTTLED_MESSAGE)


# --- page ------------------------------------------------------------------------------------

INPUT_TYPES = {
    serializers.DateField: "date",
    serializers.IntegerField: "number",
    StrictDecimalField: "decimal",
    UnitField: "unit",
}


def page_data(post, kind: str) -> dict:
    """The form of ``kind`` as JSON-like data: an empty box is a missing value, or null where
    allowed. The posted kind is kept as posted: a tampered one is reported, not replaced."""
    data = {"kind": post.get("kind", "")}
    for name, field in SERIALIZERS[kind]().fields.items():
        if name == "kind":
            continue
        value = post.get(name, "").strip()
        if value:
            data[name] = value
        elif field.allow_null:
            data[name] = None
    return data


def input_fields(kind: str, values: Mapping | None, errors: Mapping) -> list[dict]:
    """What the template needs per input; ``values`` is None for a blank form (initial values)."""
    fields = []
    for name, field in SERIALIZERS[kind]().fields.items():
        if name == "kind":
            continue
        value = field.initial if values is None else values.get(name)
        fields.append(
            {
                "name": name,
                "label": field.label,
                "help_text": field.help_text,
                "required": field.required and not field.allow_null,
                "type": INPUT_TYPES[type(field)],
                "value": "" if value is None else value,
                "errors": errors.get(name, []),
            }
        )
    return fields


def initial_values(kind: str, known: Mapping) -> dict:
    """A blank form's values with what is already ``known`` (e.g. from a case) filled in."""
    fields = SERIALIZERS[kind]().fields
    values = {name: field.initial for name, field in fields.items() if name != "kind"}
    return values | {name: value for name, value in known.items() if name in fields}


def unit_choices() -> list[tuple[str, str]]:
    today = timezone.localdate()
    units = OrgUnit.objects.filter(level=OrgUnit.Level.DISTRICT).order_by("code")
    return [
        (u.code, u.name if u.is_valid_on(today) else f"{u.name}（{u.valid_to} 前）") for u in units
    ]


def kind_choices() -> list[tuple[str, str]]:
    return [(code, label) for code, (label, _) in KINDS.items()]


def calculate_posted(request, kind: str, staff: bool = False):
    """``(calculation, errors, status)`` for a posted form, throttled like the API."""
    if not CalculationThrottle().allow_request(request, None):
        return None, {"non_field_errors": [THROTTLED_MESSAGE]}, 429
    calculation, errors = run_calculation(page_data(request.POST, kind), staff)
    return calculation, errors, 200


def form_errors(errors: Mapping) -> list:
    """Errors not shown on an input: configuration gaps, throttling, a tampered kind."""
    return [*errors.get("non_field_errors", []), *errors.get("kind", [])]


# --- inside a case (the pages are in case_calculator_views) -----------------------------------

# The claim type (dictionary of migration 0002) that each calculation gives the amount of.
CLAIM_TYPE_OF_KIND = {
    "economic_compensation": "economic_compensation",
    "illegal_termination_damages": "illegal_termination_damages",
    "double_wages": "double_wages",
    "overtime": "overtime_pay",
    "annual_leave": "leave_pay",
}


def claims_by_kind(case) -> dict[str, list]:
    """The case's claims as they stand, per calculation kind that computes their type."""
    claims = list(case.dispute.claims.active().select_related("claim_type"))
    return {
        kind: [c for c in claims if c.claim_type_id == code]
        for kind, code in CLAIM_TYPE_OF_KIND.items()
    }


def case_panel(case) -> list[dict]:
    """The case page's 权益计算 card: one line per kind, with the case's claims of that kind."""
    by_kind = claims_by_kind(case)
    return [
        {"kind": kind, "label": label, "claims": by_kind[kind]} for kind, label in kind_choices()
    ]


@require_http_methods(["GET", "POST"])
def calculator_page(request):
    """Pick the kind (one link each, no script needed), fill the inputs, see amount and trace."""
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind") if source.get("kind") in KINDS else DEFAULT_KIND
    calculation, errors, status, bound = None, {}, 200, None
    if request.method == "POST":
        bound = request.POST
        calculation, errors, status = calculate_posted(request, kind)
    context = {
        "kinds": kind_choices(),
        "kind": kind,
        "kind_label": KINDS[kind][0],
        "fields": input_fields(kind, bound, errors),
        "non_field_errors": form_errors(errors),
        "units": unit_choices(),
        "calculation": calculation,
    }
    return render(request, "disputes/calculator.html", context, status=status)
