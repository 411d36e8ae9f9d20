"""Guards for the forms anyone may submit without logging in (online dispute applications,
complaints): a per-address rate limit kept in the cache and a small sum as captcha kept in the
session. One guard per form, so the limits of one never count against another."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError

from .middleware import client_ip

WINDOW_SECONDS = 3600
RATE_LIMITED_MESSAGE = (
    "提交过于频繁，请一小时后再试。如有急事，请到所在区县人力社保部门窗口办理，或拨打 12333 咨询。"
)


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

    def expected_answer(self, request) -> int | None:
        """The answer to the sum shown last time (read before asking a new one)."""
        return request.session.get(f"public:{self.name}:captcha")

    def new_captcha(self, request) -> str:
        """A fresh sum for every showing of the form; the answer stays in the session."""
        a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
        request.session[f"public:{self.name}:captcha"] = a + b
        return f"{a} + {b}"


class CaptchaFormMixin(forms.Form):
    """A form with the guard's sum as its last field. Pass ``captcha_question`` and
    ``captcha_answer`` (``None`` on a first showing, which no answer matches)."""

    captcha = forms.IntegerField(label="验证码")

    def __init__(self, *args, captcha_question: str, captcha_answer: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.captcha_answer = captcha_answer
        self.fields["captcha"] = self.fields.pop("captcha")  # last, after the form's own fields
        self.fields["captcha"].label = f"验证码：{captcha_question} = ?"
        self.fields["captcha"].widget.attrs.update(inputmode="numeric", autocomplete="off")

    def clean_captcha(self):
        answer = self.cleaned_data["captcha"]
        if self.captcha_answer is None or answer != self.captcha_answer:
            raise ValidationError("验证码不正确，请重新计算。")
        return answer

    def clear_captcha(self) -> None:
        """The answer typed for the old sum must not stand in the box for the new one."""
        self.data = self.data.copy()
        self.data["captcha"] = ""
