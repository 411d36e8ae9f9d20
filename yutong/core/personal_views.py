"""The one-click reveal of a masked phone or resident ID number (an HTMX POST from the
``{% personal %}`` tag). Each reveal writes an audit entry; the answer is never cached."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from . import personal


@require_POST
@never_cache
@login_required
def reveal(request, key: str, pk: int):
    try:
        value = personal.reveal(request.user, key, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(request, "core/_personal_revealed.html", {"value": value, "key": key})
