"""DRF settings hooks (kept apart from api.py, which DRF would import while half-loaded)."""

import re
from datetime import date, datetime

import django_filters
import django_filters.rest_framework
from django import forms
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import QueryDict
from django.utils import timezone
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import exceptions, parsers, permissions, serializers
from rest_framework.pagination import PageNumberPagination

from . import dates

NUL = "\x00"
NUL_MESSAGE = "不能包含空字符（\\u0000）。"


class StandardPagination(PageNumberPagination):
    """Pages of 50, or ``page_size`` (1 to 500): a size the schema forbids is a 400, not
    silently replaced by the default."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        given = request.query_params.getlist(self.page_size_query_param)
        if not given:
            return self.page_size
        try:
            size = int(given[0]) if len(given) == 1 else 0
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise exceptions.ValidationError(
                {self.page_size_query_param: [f"每页条数应为 1 至 {self.max_page_size} 的整数。"]}
            )
        return size

    def get_page_number(self, request, paginator):
        # The schema says a positive integer: DRF would also take "last" or " 2".
        given = request.query_params.getlist(self.page_query_param) or ["1"]
        raw = given[0]
        if len(given) > 1 or not re.fullmatch(r"[1-9][0-9]{0,8}", raw):
            raise exceptions.ValidationError({self.page_query_param: ["页码应为正整数。"]})
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
            elif parameter["name"] == self.page_query_param:
                parameter["schema"].update(minimum=1, maximum=999_999_999)
        return parameters


class ApiDocsPermission(permissions.BasePermission):
    """/api/schema/ and /api/docs/: signed-in users, or anyone when API_DOCS_PUBLIC is on."""

    def has_permission(self, request, view) -> bool:
        return settings.API_DOCS_PUBLIC or bool(request.user and request.user.is_authenticated)


class Conflict(exceptions.APIException):
    """Someone else changed the record since the caller read it."""

    status_code = 409
    default_detail = "记录已被他人修改，请重新读取后再提交。"
    default_code = "conflict"


def exception_handler(exc, context):
    """Services raise Django's errors; the API answers 400 per field, 409 or 403."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError) and getattr(exc, "code", None) == "conflict":
        exc = Conflict(detail=exc.messages[0])
    elif isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = exc.message_dict
        else:
            detail = {"non_field_errors": exc.messages}
        exc = exceptions.ValidationError(detail=detail)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(detail=str(exc) or None)
    return drf_exception_handler(exc, context)


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, QueryDict):
        return any(_holds_nul(key) or _holds_nul(items) for key, items in value.lists())
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def nul_field(data) -> str | None:
    """The field (the top-level key) whose name or value holds a NUL byte, if any."""
    if not _holds_nul(data):
        return None
    if isinstance(data, dict):
        pairs = data.lists() if isinstance(data, QueryDict) else data.items()
        key = next(key for key, value in pairs if _holds_nul(key) or _holds_nul(value))
        return key.replace(NUL, "") or "non_field_errors"
    return "non_field_errors"


def refuse_nul(data):
    """``data`` unless one of its strings holds a NUL byte: then a 400 on the field holding it.

    PostgreSQL cannot store text with NUL (it was a 500). The middleware refuses it in paths,
    query strings and POSTed forms; the API's parsers refuse it in every body they decode.
    """
    field = nul_field(data)
    if field is not None:
        raise exceptions.ValidationError({field: [NUL_MESSAGE]})
    return data


class NulRefusingJSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class NulRefusingFormParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        return refuse_nul(super().parse(stream, media_type, parser_context))


class NulRefusingMultiPartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        refuse_nul(parsed.data)
        refuse_nul({name: [f.name for f in files] for name, files in parsed.files.lists()})
        return parsed


class DayField(serializers.DateField):
    """A date as YYYY-MM-DD inside the platform's range (core/dates.py)."""

    default_error_messages = {"invalid": dates.INVALID, "out_of_range": dates.OUT_OF_RANGE}

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", ["iso-8601"])
        super().__init__(**kwargs)

    def to_internal_value(self, value) -> date:
        day = super().to_internal_value(value)
        if not dates.in_range(day):
            self.fail("out_of_range")
        return day


class MomentField(serializers.DateTimeField):
    """A date and time (ISO 8601; without an offset it is Beijing time) inside the range."""

    default_error_messages = {"out_of_range": dates.OUT_OF_RANGE}

    def to_internal_value(self, value) -> datetime:
        moment = super().to_internal_value(value)
        try:
            day = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
        except OverflowError:
            self.fail("out_of_range")
        if not dates.in_range(day):
            self.fail("out_of_range")
        return moment


# Every ModelSerializer builds its date fields from this mapping: bounding it here bounds every
# model date the API accepts, including serializers written later.
serializers.ModelSerializer.serializer_field_mapping[models.DateField] = DayField
serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = MomentField


def _model_field_is_nullable(field) -> bool:
    """Whether a related field's source (``a.b``) can be NULL on its serializer's model."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    for attr in getattr(field, "source_attrs", ()):
        if model is None:
            return False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if model_field.null:
            return True
        model = model_field.related_model
    return False


class NullableRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """A related field (``unit``, ``park`` by code) on a nullable foreign key is nullable in
    the schema too: the responses carry null there, and clients generated from the schema
    would reject them."""

    target_class = "rest_framework.relations.RelatedField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if _model_field_is_nullable(self.target) and "$ref" not in schema:
            schema["nullable"] = True
        return schema


def allow_empty_query_values(result, generator, request, public):
    """Spectacular post-processing hook: an optional query parameter sent empty is "no filter".

    django-filter and the apps' filter serializers all drop empty values (HTML forms send every
    field, filled or not), so the schema says so with OpenAPI's ``allowEmptyValue``. Pages are
    the exception: an empty ``page`` or ``page_size`` is refused.
    """
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") != "query" or parameter.get("required"):
                    continue
                if parameter["name"] not in ("page", "page_size"):
                    parameter["allowEmptyValue"] = True
    return result


class _WholeNumberField(forms.IntegerField):
    # Django's IntegerField reads "2025.0" as 2025; the schema says integer, so it is refused.
    def to_python(self, value):
        if value not in self.empty_values and not re.fullmatch(r"-?\d+", str(value).strip()):
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class IntegerFilter(django_filters.NumberFilter):
    """An integer column filtered by an integer, within bigint, as the schema says."""

    field_class = _WholeNumberField

    def __init__(self, *args, **kwargs):
        # The largest value a PostgreSQL bigint holds: a larger one failed in the database.
        kwargs.setdefault("min_value", -(2**63))
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class FilterSet(django_filters.rest_framework.FilterSet):
    FILTER_DEFAULTS = {
        **django_filters.rest_framework.FilterSet.FILTER_DEFAULTS,
        **{
            field: {"filter_class": IntegerFilter}
            for field in (
                models.IntegerField,
                models.SmallIntegerField,
                models.BigIntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.PositiveBigIntegerField,
                models.AutoField,
                models.BigAutoField,
            )
        },
    }


class FilterBackend(django_filters.rest_framework.DjangoFilterBackend):
    """The default filter backend: ``filterset_fields`` on integer columns take integers only."""

    filterset_base = FilterSet


class UrgeSerializer(serializers.Serializer):
    """催办 on any kind of case (``core.services.urge_case``)."""

    note = serializers.CharField(max_length=500, help_text="催办事项；承办人会收到站内信")
