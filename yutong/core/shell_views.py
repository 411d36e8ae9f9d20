"""Pages of the staff shell itself: the message inbox (站内信) and the global search."""

from django.apps import apps
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import generic, inbox, services, tables
from .models import Message

SEARCH_MIN_CHARS = 2
SEARCH_LIMIT = 10


class MessageList(generic.ObjectListView):
    """One's own messages, newest first (``?sort=created_at`` oldest first), by kind and unread."""

    template_name = "core/message_list.html"
    sorting = tables.Sorting(
        columns={"created_at": ("created_at",)},
        default=("-created_at", "-id"),
        descending_first=frozenset({"created_at"}),
    )

    def selection(self, request) -> tuple[bool, str]:
        kind = request.GET.get("kind", "")
        return request.GET.get("unread") == "1", kind if kind in Message.Kind.values else ""

    def get_queryset(self, request):
        messages = inbox.inbox_of(request.user).select_related("sender")
        unread, kind = self.selection(request)
        if unread:
            messages = messages.filter(read_at__isnull=True)
        if kind:
            messages = messages.filter(kind=kind)
        return messages

    def get_context(self, request):
        unread, kind = self.selection(request)
        # A kind the inbox does not know is ignored, so it does not make the list "filtered".
        return {
            "unread": unread,
            "kind": kind,
            "kinds": Message.Kind.choices,
            "filtered": unread or bool(kind),
        }


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
