"""Small helpers every app's HTML views share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form

from . import exports, imports


def add_service_errors(form: Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def act_on_import_job(request, action, job):
    """Run an import service (``imports.commit``/``cancel``/``retry``) on ``job`` for a page's
    POST: its refusal becomes an error message, a finished commit a success message. Returns
    the job as the service left it."""
    try:
        job = action(request.user, job) or job
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        if job.status == job.Status.DONE:
            messages.success(request, job.message)
    return job


REPORT_ERRORS_SHOWN = 200


def import_report(job, shown: int = REPORT_ERRORS_SHOWN) -> dict:
    """The context of an import job's report (``core/import_report.html``): the counts, the
    notices, and the first ``shown`` errors grouped by row, each row with its name."""
    errors = job.errors[:shown]
    groups: list[dict] = []
    for error in errors:
        if groups and groups[-1]["row"] == error["row"]:
            groups[-1]["errors"].append(error)
        else:
            groups.append({"row": error["row"], "label": error.get("label", ""), "errors": [error]})
    # Jobs checked before the count was stored: count the rows of the errors kept.
    error_rows = job.error_rows or len({e["row"] for e in job.errors if e["row"] > 1})
    return {
        "job": job,
        "errors": errors,
        "error_groups": groups,
        "error_rows": error_rows,
        # The name column only for sheets that have one (not the payroll: its rows are
        # workers, and the report keeps no personal data).
        "label_header": imports.importer_for(job.kind).label_header,
    }


def import_errors_response(job, filename: str):
    """The job's error list as a workbook: one line per error (row, name, column, message)."""
    label = imports.importer_for(job.kind).label_header or "名称"
    rows = ([e["row"], e.get("label", ""), e["column"], e["message"]] for e in job.errors)
    return exports.xlsx_response(filename, "错误清单", ["行号", label, "列", "问题"], rows)
