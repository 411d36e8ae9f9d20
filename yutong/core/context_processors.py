"""The staff shell around every page: the sidebar's groups, the breadcrumbs, the message bell
and who is signed in as what."""

from . import inbox, navigation, roles

EMPTY = {"nav_groups": [], "nav_entries": [], "breadcrumbs": [], "unread_messages": 0}


def shell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return EMPTY
    match = request.resolver_match
    context = navigation.sidebar(user, match.view_name if match else "", request.GET)
    # A page that counted the unread messages already (the bench) leaves its count here.
    unread = getattr(request, "unread_messages", None)
    context["unread_messages"] = inbox.unread_count(user) if unread is None else unread
    context["role_names"] = "、".join(
        name for code, name in roles.ROLE_NAMES.items() if code in user.role_codes
    ) or ("超级管理员" if user.is_superuser else "无角色")
    return context
