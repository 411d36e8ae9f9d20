"""Pages of the staff shell itself: the message inbox (站内信) and the global search."""

from django.apps import apps
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import inbox, services
from .models import Message
from .pagination import paginate

SEARCH_MIN_CHARS = 2
SEARCH_LIMIT = 10


@login_required
def message_list(request):
    messages = inbox.inbox_of(request.user)
    unread = request.GET.get("unread") == "1"
    if unread:
        messages = messages.filter(read_at__isnull=True)
    kind = request.GET.get("kind", "")
    if kind in Message.Kind.values:
        messages = messages.filter(kind=kind)
    else:
        kind = ""
    context = paginate(request, messages.select_related("sender"))
    context.update(unread=unread, kind=kind, kinds=Message.Kind.choices)
    return render(request, "core/message_list.html", context)


def _safe(request, url: str) -> str:
    ok = url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure())
    return url if url and ok else ""


@login_required
@require_POST
def message_open(request, pk: int):
    """Mark one's own message read, then go to the record it names (or back to the inbox)."""
    message = get_object_or_404(inbox.inbox_of(request.user), pk=pk)
    services.mark_messages_read(request.user, [message.pk])
    return redirect(_safe(request, message.url) or "core:message_list")


@login_required
@require_POST
def message_read_all(request):
    count = services.mark_messages_read(request.user)
    flash.success(request, f"已将 {count} 条站内信标为已读。" if count else "没有未读的站内信。")
    return redirect("core:message_list")


def search_hits(user, q: str) -> list[dict]:
    """Each app's ``AppConfig.search(user, q, limit)`` answers within the user's scope; core
    names no app."""
    groups = []
    for config in apps.get_app_configs():
        provider = getattr(config, "search", None)
        if provider is None:
            continue
        for title, hits in provider(user, q, SEARCH_LIMIT):
            if hits:
                groups.append({"title": title, "hits": hits})
    return groups


@login_required
def search(request):
    q = (request.GET.get("q") or "").strip()[:100]
    groups, error = [], ""
    if q and len(q) < SEARCH_MIN_CHARS:
        error = f"请至少输入 {SEARCH_MIN_CHARS} 个字。"
    elif q:
        groups = search_hits(request.user, q)
    return render(
        request,
        "core/search.html",
        {"q": q, "groups": groups, "error": error, "limit": SEARCH_LIMIT},
    )
