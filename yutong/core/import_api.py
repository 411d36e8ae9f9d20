"""A generic API over ``core.imports`` for any app's importer: upload a sheet (multipart), read
the job with its row-by-row report, commit a clean job, cancel one, retry an interrupted one.

An app exposes its importer by subclassing ``ImportJobViewSet`` with ``importer_kind`` set and
listing it in its ``api.ROUTES`` (e.g. wages: ``/api/v1/payroll-imports/``). The jobs are the
uploader's own (``imports.jobs_visible_to``): anyone else's job is a 404. Who may upload and
commit is the importer's ``require_permission`` (403 otherwise); the checks, the report and
the all-or-nothing commit are exactly the pages' (the same ``imports.upload``/``commit``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from . import imports
from .drf import StandardPagination
from .models import ImportJob


class ImportRowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="the row number as Excel shows it (1: headers)")
    label = serializers.CharField(
        default="",
        help_text="the row's name as typed in its identifying column (the enterprise's name); "
        "empty for the headers, the whole file, or a sheet without such a column",
    )
    column = serializers.CharField(help_text="the column header (empty: the whole file)")
    message = serializers.CharField()


class ImportJobSerializer(serializers.ModelSerializer):
    """An uploaded sheet and its report. ``status``: checking → ready (no errors) or invalid
    (see ``errors``); after commit: committing → done (``created_count``) or failed (re-check
    found errors: nothing written). interrupted: the check or commit broke off and nothing was
    written — retry or cancel it. ``can_retry``: also true for a background run whose worker
    stopped. The sheet itself is never returned."""

    status = serializers.CharField(
        read_only=True,
        help_text="; ".join(f"{v}: {label}" for v, label in ImportJob.Status.choices),
    )
    errors = ImportRowErrorSerializer(
        many=True,
        read_only=True,
        help_text="every error of every row, in row order (at most 1,000 kept; see error_count)",
    )
    error_rows = serializers.IntegerField(
        read_only=True, help_text="how many data rows have at least one error"
    )
    notes = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="notices that are not errors, e.g. the columns of the sheet the import ignores",
    )
    progress_percent = serializers.IntegerField(read_only=True)
    can_retry = serializers.BooleanField(read_only=True)
    can_cancel = serializers.BooleanField(read_only=True)

    class Meta:
        model = ImportJob
        fields = [
            "id",
            "kind",
            "status",
            "original_name",
            "created_at",
            "total_rows",
            "processed_rows",
            "progress_percent",
            "error_count",
            "error_rows",
            "errors",
            "notes",
            "created_count",
            "message",
            "finished_at",
            "can_retry",
            "can_cancel",
        ]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="the sheet (.xlsx, .xlsm, .xls or .ods); headers as in the import template",
        error_messages={"required": "请选择要上传的 Excel 文件。", "empty": "文件为空。"},
    )


@extend_schema_view(
    list=extend_schema(description="Your own uploads of this kind, latest first."),
)
class ImportJobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Subclass with ``importer_kind`` (a kind registered with ``imports.register``)."""

    importer_kind = ""
    serializer_class = ImportJobSerializer
    pagination_class = StandardPagination
    http_method_names = ["get", "post", "head", "options"]
    filter_backends = []
    lookup_value_regex = r"\d+"

    def get_queryset(self):
        return imports.jobs_visible_to(self.request.user, self.importer_kind).order_by(
            "-created_at", "-id"
        )

    def present(self, job, status_code=status.HTTP_200_OK):
        job = self.get_queryset().get(pk=job.pk)
        data = self.get_serializer_class()(job, context=self.get_serializer_context()).data
        return Response(data, status=status_code)

    def _require_permission(self, request) -> None:
        imports.importer_for(self.importer_kind).require_permission(request.user)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        description="Upload and check a sheet: small files are checked at once (the answer "
        "is ready or invalid with the report), large ones in the background (checking: read "
        "the job again until it is not).",
    )
    def create(self, request, *args, **kwargs):
        self._require_permission(request)  # 403 before anything is read or stored
        upload = ImportUploadSerializer(data=request.data)
        upload.is_valid(raise_exception=True)
        job = imports.upload(request.user, self.importer_kind, upload.validated_data["file"])
        return self.present(job, status.HTTP_201_CREATED)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def commit(self, request, pk=None):
        """Write a checked job (status ready) all or nothing; the rows are checked again
        first. A job that is not ready is a 400."""
        job = self.get_object()  # someone else's job: 404
        self._require_permission(request)
        return self.present(imports.commit(request.user, job))

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Drop a job that is not done (ready, invalid, interrupted, or checking/committing
        in the background and not writing right now); its sheet is deleted. Otherwise 400."""
        job = self.get_object()
        imports.cancel(request.user, job)
        return self.present(job)

    @extend_schema(request=None)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Check the sheet of an interrupted or stuck job again (``can_retry``); then commit
        it as usual. Otherwise 400."""
        job = self.get_object()
        self._require_permission(request)
        return self.present(imports.retry(request.user, job))
