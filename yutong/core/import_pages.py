"""The pages of one Excel import sheet, declared once (issue #13): upload with the latest jobs,
the job's report (polled by HTMX while it runs), confirm, cancel, retry, the blank template and
the list of errors as a workbook::

    ENTERPRISE_SHEET = ImportPages(
        EnterpriseImporter, editors=roles.REGISTRY_EDITORS, title="企业", sheet_title="企业名录",
        namespace="registry", name="import", records="registry:enterprise_list",
        records_label="查看企业名录",
    )
    urlpatterns += ENTERPRISE_SHEET.urlpatterns("imports/")

gives ``registry:import_list``, ``…_detail``, ``…_commit``, ``…_cancel``, ``…_retry``,
``…_template`` and ``…_errors``. Every page reads the job through ``imports.jobs_visible_to``
(a user's own jobs of this sheet): another user's job is a 404. The state changes are the
``core.imports`` services; these views only call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import exports, imports
from .permissions import require_role
from .viewutils import (
    act_on_import_job,
    add_service_errors,
    import_errors_response,
    import_report,
)

# Jobs listed under the upload form.
RECENT_JOBS = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="Excel 文件",
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control", "accept": ".xlsx,.xlsm,.xls,.ods"}
        ),
        error_messages={"required": "请选择要上传的 Excel 文件。"},
    )


@dataclass(frozen=True)
class ImportPages:
    importer: type[imports.Importer]
    editors: tuple[str, ...]
    # "企业", "工业园区": the page says 批量导入<title>.
    title: str
    # The worksheet of the blank template.
    sheet_title: str
    namespace: str
    # URL names are <name>_list, <name>_detail, …
    name: str
    # The list of the records the sheet creates, and its link's label.
    records: str
    records_label: str

    # The job's page; a sheet whose jobs belong to a record (the payroll: a project) shows it.
    detail_template: ClassVar[str] = "core/import_detail.html"
    status_template: ClassVar[str] = "core/_import_status.html"

    def job_context(self, job) -> dict:
        return {}

    def after_cancel(self, job) -> str:
        return reverse(self.url_name("list"))

    def url_name(self, view: str) -> str:
        return f"{self.namespace}:{self.name}_{view}"

    @property
    def links(self) -> dict:
        """The URL names the shared templates link to."""
        views = ("list", "template", "detail", "commit", "cancel", "retry", "errors")
        names = {view: self.url_name(view) for view in views}
        return {
            **names,
            "title": self.title,
            "records": self.records,
            "records_label": self.records_label,
        }

    def urlpatterns(self, prefix: str) -> list:
        return [
            path(prefix, login_required(self.upload), name=f"{self.name}_list"),
            path(f"{prefix}template/", login_required(self.template), name=f"{self.name}_template"),
            *self.job_urlpatterns(prefix),
        ]

    def job_urlpatterns(self, prefix: str) -> list:
        """The job's own pages, for a sheet uploaded elsewhere (the payroll, on its project)."""
        get = login_required

        def post(view):
            return login_required(require_POST(view))

        return [
            path(f"{prefix}<int:pk>/", get(self.detail), name=f"{self.name}_detail"),
            path(f"{prefix}<int:pk>/commit/", post(self.commit), name=f"{self.name}_commit"),
            path(f"{prefix}<int:pk>/cancel/", post(self.cancel), name=f"{self.name}_cancel"),
            path(f"{prefix}<int:pk>/retry/", post(self.retry), name=f"{self.name}_retry"),
            path(f"{prefix}<int:pk>/errors/", get(self.errors), name=f"{self.name}_errors"),
        ]

    # --- the views --------------------------------------------------------------------------

    def _job(self, request, pk):
        require_role(request.user, *self.editors)
        job = imports.jobs_visible_to(request.user, self.importer.kind).filter(pk=pk).first()
        if job is None:
            raise Http404
        return job

    def _to_job(self, job):
        return redirect(self.url_name("detail"), pk=job.pk)

    def upload(self, request):
        require_role(request.user, *self.editors)
        form = ImportUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                job = imports.upload(request.user, self.importer.kind, form.cleaned_data["file"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return self._to_job(job)
        jobs = imports.jobs_visible_to(request.user, self.importer.kind)[:RECENT_JOBS]
        context = {"form": form, "jobs": jobs, "columns": self.importer.columns}
        return render(request, "core/import_list.html", {**context, "sheet": self.links})

    def detail(self, request, pk):
        job = self._job(request, pk)
        template = self.status_template if request.htmx else self.detail_template
        context = {**import_report(job), "sheet": self.links, **self.job_context(job)}
        return render(request, template, context)

    def commit(self, request, pk):
        return self._to_job(act_on_import_job(request, imports.commit, self._job(request, pk)))

    def cancel(self, request, pk):
        job = act_on_import_job(request, imports.cancel, self._job(request, pk))
        return redirect(self.after_cancel(job))

    def retry(self, request, pk):
        return self._to_job(act_on_import_job(request, imports.retry, self._job(request, pk)))

    def template(self, request):
        require_role(request.user, *self.editors)
        rows = list(imports.template_rows(self.importer()))
        filename = f"{self.title}导入模板.xlsx"
        return exports.xlsx_response(filename, self.sheet_title, rows[0], rows[1:])

    def errors(self, request, pk):
        job = self._job(request, pk)
        return import_errors_response(job, f"{self.title}导入错误清单-{job.pk}.xlsx")
