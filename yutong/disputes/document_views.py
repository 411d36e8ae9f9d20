"""Printable documents of a case: an HTML print view (print stylesheet) and the same
document as PDF (``?format=pdf``).

/disputes/arbitration/<id>/documents/acceptance/   受理通知书
/disputes/arbitration/<id>/documents/refusal/      不予受理通知书
/disputes/arbitration/<id>/documents/hearing/      开庭通知书
/disputes/arbitration/<id>/documents/award/        裁决书
/disputes/mediation/<id>/documents/agreement/      调解协议书

Only the roles that read the case may print it (403 otherwise); a case outside the user's
scope is a 404, and so is a document the case's state does not have (with the reason).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

from yutong.core.permissions import require_role

from . import documents, queries


@login_required
def arbitration_document(request, pk: int, kind: str):
    require_role(request.user, *queries.ARBITRATION_READERS)
    if kind not in documents.ARBITRATION_DOCUMENTS:
        raise Http404
    case = get_object_or_404(queries.arbitration_cases_visible_to(request.user), pk=pk)
    return _respond(request, lambda: documents.arbitration_document(case, kind))


@login_required
def mediation_document(request, pk: int, kind: str):
    require_role(request.user, *queries.MEDIATION_READERS)
    if kind not in documents.MEDIATION_DOCUMENTS:
        raise Http404
    case = get_object_or_404(queries.mediation_cases_visible_to(request.user), pk=pk)
    return _respond(request, lambda: documents.mediation_document(case, kind))


def _respond(request, build):
    try:
        document = build()
    except documents.DocumentUnavailable as exc:
        return render(
            request, "disputes/document_unavailable.html", {"message": str(exc)}, status=404
        )
    if request.GET.get("format") == "pdf":
        response = HttpResponse(documents.render_pdf(document), content_type="application/pdf")
        response["Content-Disposition"] = content_disposition_header(False, document.filename)
    else:
        response = render(request, "disputes/document_print.html", {"document": document})
    # Names and masked identities of the parties: not for shared caches or the back button.
    patch_cache_control(response, private=True, no_store=True)
    return response
