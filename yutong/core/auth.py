"""Login with lockout: too many failures in the window lock the account for the window.

The same backend serves the UI login form and the API token endpoint, so one policy and
one login log cover both. The lockout is per username (whether or not the account exists),
so a guesser learns nothing from the messages.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.utils import timezone

from . import requestcontext
from .models import LoginEvent

USERNAME_MAX = 150
LOCKED_MESSAGE = "登录失败次数过多，账号已临时锁定，请稍后再试。"


def _log(kind: str, username: str, user=None, channel: str = "ui") -> None:
    ctx = requestcontext.current()
    LoginEvent.objects.create(
        username=(username or "")[:USERNAME_MAX],
        user=user,
        kind=kind,
        channel=channel,
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )


def recent_failures(username: str) -> int:
    since = timezone.now() - settings.LOGIN_FAILURE_WINDOW
    last_success = (
        LoginEvent.objects.filter(username=username, kind=LoginEvent.Kind.SUCCESS, at__gte=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    failures = LoginEvent.objects.filter(
        username=username, kind=LoginEvent.Kind.FAILURE, at__gte=last_success or since
    )
    return failures.count()


def is_locked(username: str) -> bool:
    return recent_failures(username) >= settings.LOGIN_FAILURE_LIMIT


def _channel(request) -> str:
    return "api" if request is not None and request.path.startswith("/api/") else "ui"


class LockoutAwareBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username and is_locked(username):
            _log(LoginEvent.Kind.LOCKED, username, channel=_channel(request))
            if request is not None:
                request.yutong_locked = True
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


@receiver(user_login_failed)
def _on_failure(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", "")
    if request is not None and getattr(request, "yutong_locked", False):
        return
    _log(LoginEvent.Kind.FAILURE, username, channel=_channel(request))
    if is_locked(username):
        _log(LoginEvent.Kind.LOCKOUT, username, channel=_channel(request))


@receiver(user_logged_in)
def _on_success(sender, request, user, **kwargs):
    _log(LoginEvent.Kind.SUCCESS, user.get_username(), user=user, channel=_channel(request))


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        _log(LoginEvent.Kind.LOGOUT, user.get_username(), user=user, channel=_channel(request))
