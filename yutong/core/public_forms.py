"""Guards for the forms anyone may submit without logging in (online dispute applications,
complaints): a per-address rate limit kept in the cache and a small sum as captcha.

Nothing is stored per visitor on a GET: the captcha travels with the form as a signed,
time-limited token (``django.core.signing``) that holds a keyed hash of the answer, never the
answer itself. A token is spent on its first use (a cache key that expires with the token), so
one solved sum cannot be replayed. The confirmation after a submission travels in a signed
cookie for the same reason. One guard per form, so the limits of one never count against
another.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.crypto import constant_time_compare, salted_hmac

from .middleware import client_ip

WINDOW_SECONDS = 3600
# Long enough to fill a long form on a phone; short enough that a solved sum goes stale.
CAPTCHA_SECONDS = 3600
DONE_SECONDS = 3600
RATE_LIMITED_MESSAGE = (
    "提交过于频繁，请一小时后再试。如有急事，请到所在区县人力社保部门窗口办理，或拨打 12333 咨询。"
)
CAPTCHA_WRONG = "验证码不正确，请重新计算。"
CAPTCHA_EXPIRED = "验证码已过期，请重新计算。"
CAPTCHA_USED = "验证码已使用，请重新计算。"


@dataclass(frozen=True)
class Captcha:
    question: str
    token: str


@dataclass(frozen=True)
class PublicFormGuard:
    name: str
    submissions_per_hour: int = 5
    attempts_per_hour: int = 30
    message: str = RATE_LIMITED_MESSAGE

    def _key(self, request, what: str) -> str:
        return f"public:{self.name}:{what}:{client_ip(request) or 'unknown'}"

    def _count(self, request, what: str) -> int:
        return cache.get(self._key(request, what)) or 0

    def _hit(self, request, what: str) -> None:
        key = self._key(request, what)
        cache.add(key, 0, WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW_SECONDS)

    def limited(self, request) -> bool:
        return (
            self._count(request, "ok") >= self.submissions_per_hour
            or self._count(request, "try") >= self.attempts_per_hour
        )

    def attempted(self, request) -> None:
        self._hit(request, "try")

    def submitted(self, request) -> None:
        self._hit(request, "ok")

    # --- captcha ---------------------------------------------------------------------------

    @property
    def _salt(self) -> str:
        return f"yutong.public_forms.captcha:{self.name}"

    def _digest(self, nonce: str, answer: int) -> str:
        return salted_hmac(self._salt, f"{nonce}:{answer}", algorithm="sha256").hexdigest()[:32]

    def new_captcha(self) -> Captcha:
        """A fresh sum for every showing of the form, with its signed token."""
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        nonce = secrets.token_urlsafe(12)
        token = signing.dumps({"n": nonce, "d": self._digest(nonce, a + b)}, salt=self._salt)
        return Captcha(f"{a} + {b}", token)

    def check_captcha(self, token: str, answer: int) -> None:
        """Spend the token and compare the answer; raises ``ValidationError`` in Chinese."""
        try:
            payload = signing.loads(token or "", salt=self._salt, max_age=CAPTCHA_SECONDS)
        except signing.SignatureExpired:
            raise ValidationError(CAPTCHA_EXPIRED) from None
        except signing.BadSignature:
            raise ValidationError(CAPTCHA_WRONG) from None
        nonce = str(payload.get("n", ""))
        # Spent whether the answer is right or not: one token, one guess.
        if not nonce or not cache.add(f"public:{self.name}:spent:{nonce}", 1, CAPTCHA_SECONDS):
            raise ValidationError(CAPTCHA_USED)
        if not constant_time_compare(str(payload.get("d", "")), self._digest(nonce, answer)):
            raise ValidationError(CAPTCHA_WRONG)

    # --- the confirmation page -------------------------------------------------------------

    @property
    def _done_cookie(self) -> str:
        return f"yutong_{self.name}_done".replace("-", "_")

    def remember_done(self, response, done: dict) -> None:
        """What the confirmation page shows, in a signed cookie rather than a session row."""
        value = signing.dumps(done, salt=self._salt + ":done", compress=True)
        response.set_cookie(
            self._done_cookie,
            value,
            max_age=DONE_SECONDS,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )

    def done(self, request) -> dict | None:
        raw = request.COOKIES.get(self._done_cookie)
        if not raw:
            return None
        try:
            return signing.loads(raw, salt=self._salt + ":done", max_age=DONE_SECONDS)
        except signing.BadSignature:
            return None


class CaptchaFormMixin(forms.Form):
    """A form with the guard's sum as its last field and the signed token as a hidden field.
    Pass the ``guard`` and the ``captcha`` just asked; the posted token is checked, and the
    form always renders the new one."""

    captcha = forms.IntegerField(label="验证码")
    captcha_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, guard: PublicFormGuard, captcha: Captcha, **kwargs):
        super().__init__(*args, **kwargs)
        self.guard = guard
        self.posted_token = self.data.get("captcha_token", "") if self.is_bound else ""
        if self.is_bound:
            self.data = self.data.copy()
            self.data["captcha_token"] = captcha.token
        self.initial["captcha_token"] = captcha.token
        self.fields["captcha"] = self.fields.pop("captcha")  # last, after the form's own fields
        self.fields["captcha"].label = f"验证码：{captcha.question} = ?"
        self.fields["captcha"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_captcha(self):
        answer = self.cleaned_data["captcha"]
        self.guard.check_captcha(self.posted_token, answer)
        return answer

    def clean_captcha_token(self):
        return self.posted_token

    def clear_captcha(self) -> None:
        """The answer typed for the old sum must not stand in the box for the new one."""
        self.data = self.data.copy()
        self.data["captcha"] = ""
