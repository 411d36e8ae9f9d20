"""The record pages' actions: one URL per kind of record and action, which runs the action's
form through its one service; its errors come back on the record's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from yutong.core.casepages import post_action
from yutong.core.permissions import require_role

from .bargaining import BARGAINING_KIND
from .common import CONFLICT_MESSAGE, Kind, record
from .contracts import CONTRACT_KIND
from .tripartite import FOLLOW_UP_KIND
from .unions import UNION_KIND

KINDS = {k.code: k for k in (UNION_KIND, BARGAINING_KIND, CONTRACT_KIND, FOLLOW_UP_KIND)}


def detail_url(kind: Kind, obj) -> str:
    if kind.code == "follow_up":
        return reverse("relations:meeting_detail", args=[obj.meeting_id])
    return reverse(f"relations:{kind.code}_detail", args=[obj.pk])


@login_required
@require_POST
def record_action(request, pk, kind: str, action: str):
    """POST one action's form; the service decides, its errors come back on the form."""
    kind_ = KINDS[kind]
    spec = kind_.actions.get(action)
    if spec is None:
        return render(request, "core/404.html", status=404)
    obj = record(request, kind_, pk)
    require_role(request.user, *spec.roles)
    renewal = kind == "contract" and action == "renew"  # the new contract's page comes next
    return post_action(
        request,
        spec,
        obj,
        detail_url=detail_url(kind_, obj),
        render_with_errors=lambda bound: kind_.render(request, obj, bound=bound, status=400),
        form_arg="record",
        conflict_message=CONFLICT_MESSAGE,
        done_url=(lambda contract: detail_url(kind_, contract)) if renewal else None,
    )
