"""Password validators for the 等保 level 3 policy (settings.AUTH_PASSWORD_VALIDATORS).

Django calls them wherever a password is set through ``validate_password`` (services, forms), and
calls ``password_changed`` from ``User.save()`` whenever a new password is stored, so the
history covers every path that sets a password.
"""

from __future__ import annotations

import re

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (
    ("大写字母", re.compile(r"[A-Z]")),
    ("小写字母", re.compile(r"[a-z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^A-Za-z0-9]")),
)


class MinimumLengthValidator:
    """Django's length rule, with a message in Chinese (its own lacks a translation)."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self):
        return f"密码至少 {self.min_length} 个字符。"


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        found = sum(1 for _, pattern in CLASSES if pattern.search(password))
        if found < self.min_classes:
            raise ValidationError(self._text(), code="password_too_few_classes")

    def get_help_text(self):
        return self._text()

    def _text(self) -> str:
        names = "、".join(name for name, _ in CLASSES)
        return f"密码须包含{names}中的至少 {self.min_classes} 类。"


class NotUsernameValidator:
    """Refuses a password that contains the username (also reversed), whatever the case."""

    def validate(self, password, user=None):
        username = (getattr(user, "username", "") or "").lower()
        if not username:
            return
        lowered = password.lower()
        if username in lowered or username[::-1] in lowered:
            raise ValidationError(self.get_help_text(), code="password_contains_username")

    def get_help_text(self):
        return "密码不能包含用户名。"


class PasswordHistoryValidator:
    def __init__(self, count: int = 5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        if any(check_password(password, stored) for stored in self._recent(user)):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        stale = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[self.count :]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()

    def get_help_text(self):
        return f"不能与最近 {self.count} 次使用过的密码相同。"

    def _recent(self, user) -> list[str]:
        from .models import PasswordHistory

        stored = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.count
            ]
        )
        # Accounts that predate the history still may not keep their current password.
        if user.password and user.password not in stored:
            stored.append(user.password)
        return stored
