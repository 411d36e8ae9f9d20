"""Small helpers every app's HTML views share."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form


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
