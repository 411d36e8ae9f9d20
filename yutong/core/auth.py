"""Login with lockout, the login log, and API tokens that expire and stop with the account.

The same backend serves the UI login form and the API token endpoint, so one policy and one
login log cover both. Failures are counted per account *and* client address: five wrong
passwords for an account from one address lock that account for that address for the window,
so an attacker elsewhere cannot lock out a user who signs in from their own address. A
per-address throttle refuses an address that fails too often whatever the accounts (a guesser
walking through usernames). An administrator's unlock (``accounts.unlock``) starts the count
afresh for every address. Unknown usernames lock the same way, so a guesser learns nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Count, Max
from django.dispatch import receiver
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from . import requestcontext
from .models import LoginEvent

USERNAME_MAX = 150
LOCKED_MESSAGE = "登录失败次数过多，账号已临时锁定，请稍后再试。"
THROTTLED_MESSAGE = "该地址登录失败次数过多，请稍后再试。"
Kind = LoginEvent.Kind
# both count towards the lockout and the address throttle
FAILURES = (Kind.FAILURE, Kind.OTP_FAILURE)


def current_ip() -> str | None:
    ctx = requestcontext.current()
    return ctx.ip if ctx else None


def log_event(kind: str, username: str, user=None, channel: str = "ui") -> None:
    ctx = requestcontext.current()
    LoginEvent.objects.create(
        username=(username or "")[:USERNAME_MAX],
        user=user,
        kind=kind,
        channel=channel,
        ip=ctx.ip if ctx else None,
        request_id=ctx.request_id if ctx else "",
    )


def _window_start():
    return timezone.now() - settings.LOGIN_FAILURE_WINDOW


def recent_failures(username: str, ip: str | None) -> int:
    """Failures for this account from this address since the window opened, the last success
    from the address or the last unlock, whichever is latest."""
    events = LoginEvent.objects.filter(username=username, at__gte=_window_start())
    marks = events.filter(kind=Kind.UNLOCK) | events.filter(kind=Kind.SUCCESS, ip=ip)
    since = marks.aggregate(last=Max("at"))["last"] or _window_start()
    return events.filter(kind__in=FAILURES, ip=ip, at__gte=since).count()


def is_locked(username: str, ip: str | None) -> bool:
    return recent_failures(username, ip) >= settings.LOGIN_FAILURE_LIMIT


def is_throttled(ip: str | None) -> bool:
    if ip is None:
        return False
    failures = LoginEvent.objects.filter(ip=ip, kind__in=FAILURES, at__gte=_window_start())
    return failures.count() >= settings.LOGIN_ADDRESS_LIMIT


def locked_addresses(username: str) -> list[str]:
    """The addresses from which this account is locked now (for the user administration page).
    One grouped query finds the addresses with enough failures in the window; only those (a
    handful, even under a password spray) are checked against unlocks and successes."""
    candidates = (
        LoginEvent.objects.filter(username=username, kind__in=FAILURES, at__gte=_window_start())
        .values("ip")
        .annotate(failures=Count("id"))
        .filter(failures__gte=settings.LOGIN_FAILURE_LIMIT)
        .values_list("ip", flat=True)
    )
    return sorted(ip or "" for ip in candidates if is_locked(username, ip))


def _channel(request) -> str:
    return "api" if request is not None and request.path.startswith("/api/") else "ui"


def refusal(username: str, ip: str | None) -> str | None:
    """Why a sign-in by ``username`` from ``ip`` is refused now: the address is throttled or the
    account is locked for it (a LoginEvent kind), or None. The one decision the password form,
    the code and enrolment steps and the token endpoint all use."""
    if is_throttled(ip):
        return Kind.THROTTLED
    if is_locked(username, ip):
        return Kind.LOCKED
    return None


MESSAGES = {Kind.THROTTLED: THROTTLED_MESSAGE, Kind.LOCKED: LOCKED_MESSAGE}


class LockoutAwareBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username:
            refused = refusal(username, current_ip())
            if refused is not None:
                log_event(refused, username, channel=_channel(request))
                if request is not None:
                    request.yutong_locked = refused
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD


def refusal_message(request) -> str | None:
    """The message for a login the lockout refused (None when the password was just wrong)."""
    return MESSAGES.get(getattr(request, "yutong_locked", None))


def record_failure(username: str, channel: str, kind: str = Kind.FAILURE) -> None:
    """A wrong password (or, ``Kind.OTP_FAILURE``, a wrong one-time code after the right
    password): logged, and the lockout logged when it starts."""
    log_event(kind, username, channel=channel)
    if recent_failures(username, current_ip()) == settings.LOGIN_FAILURE_LIMIT:
        log_event(Kind.LOCKOUT, username, channel=channel)


@receiver(user_login_failed)
def _on_failure(sender, credentials, request=None, **kwargs):
    if request is not None and getattr(request, "yutong_locked", None):
        return
    record_failure(credentials.get("username", ""), _channel(request))


@receiver(user_logged_in)
def _on_success(sender, request, user, **kwargs):
    log_event(Kind.SUCCESS, user.get_username(), user=user, channel=_channel(request))


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        log_event(Kind.LOGOUT, user.get_username(), user=user, channel=_channel(request))


# --- API tokens ----------------------------------------------------------------------------


def token_expires(token: Token):
    return token.created + timedelta(days=settings.TOKEN_DAYS)


def end_tokens(user) -> None:
    """A new password (or a reset) ends every token issued under the old one; called inside
    the service that changes it."""
    Token.objects.filter(user=user).delete()


def issue_token(user) -> Token:
    """The user's token; an expired one is replaced by a new key. ``get_or_create``: two
    requests at once for an account without a token get the same one (the key is one-to-one)."""
    expired = timezone.now() - timedelta(days=settings.TOKEN_DAYS)
    Token.objects.filter(user=user, created__lte=expired).delete()
    return Token.objects.get_or_create(user=user)[0]


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's token check, plus: the token has not expired, and the account is not locked for
    the caller's address, checked on every request so a lockout or deactivation acts at once.
    The per-address throttle is not applied here: it stops password guessing, and a request
    with a valid token guesses nothing (an office behind one address would otherwise lose
    every token to its colleagues' typos)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)  # refuses inactive users
        if token_expires(token) <= timezone.now():
            raise exceptions.AuthenticationFailed("令牌已过期，请重新获取。")
        if _locked_now(user.get_username(), current_ip()):
            raise exceptions.AuthenticationFailed(LOCKED_MESSAGE)
        return user, token


def _locked_now(username: str, ip: str | None) -> bool:
    # One indexed query in the usual case (no recent failure for the account).
    recent = LoginEvent.objects.filter(
        username=username, kind__in=FAILURES, at__gte=_window_start()
    )
    return recent.exists() and is_locked(username, ip)
