"""Two-factor sign-in (等保 level 3: two kinds of authentication) with django-otp.

Who must: administrators and auditors always, the roles an administrator marks
(``Role.requires_two_factor``), and anyone who enrolled of their own accord. The second factor is
a TOTP authenticator app; ten single-use recovery codes (django-otp's static device) stand in for
a lost phone. The password step of the login page does not log the user in: it leaves a
*pending* sign-in in the session, and only the code step (or the enrolment step, for a user who
has no authenticator yet) calls ``login``. The API token endpoint asks for the code in the same
request.
"""

from __future__ import annotations

import base64
from binascii import unhexlify

import segno
from django.db import transaction
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import roles

ALWAYS = (roles.CITY_ADMIN, roles.AUDITOR)
RECOVERY_CODES = 10
TOTP_NAME = "authenticator"
RECOVERY_NAME = "recovery"


def required(user) -> bool:
    """Whether the user's roles oblige them to sign in with a one-time code."""
    if user.is_superuser or user.has_role(*ALWAYS):
        return True
    return user.roles.filter(requires_two_factor=True).exists()


def enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def end_password_only_tokens(users) -> int:
    """Two-factor newly required of ``users`` (a queryset): the API tokens of those without an
    authenticator were issued on the password alone, so they end now (the next token asks for
    a code). Returns how many ended. Called inside the service that changed the requirement."""
    from rest_framework.authtoken.models import Token

    enrolled_users = TOTPDevice.objects.filter(confirmed=True).values("user_id")
    tokens = Token.objects.filter(user__in=users).exclude(user_id__in=enrolled_users)
    return tokens.delete()[0]


def asks_code(user) -> bool:
    return required(user) or user_has_device(user)


def verify(user, code: str):
    """The device that accepts the code (TOTP or an unused recovery code), or None.

    django-otp refuses a TOTP code used before and slows down guessing per device."""
    code = "".join((code or "").split())
    if not code or len(code) > 16:
        return None
    return match_token(user, code)


# --- enrolment -----------------------------------------------------------------------------


def pending_device(user) -> TOTPDevice:
    """The unconfirmed authenticator the enrolment page shows (made on first visit)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def secret_base32(device: TOTPDevice) -> str:
    return base64.b32encode(unhexlify(device.key)).decode()


def qr_data_uri(device: TOTPDevice) -> str:
    return segno.make(device.config_url, error="m").svg_data_uri(scale=4)


@transaction.atomic
def confirm(user, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with a first code; returns fresh recovery codes, or None."""
    if not device.verify_token("".join((code or "").split())):
        return None
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_recovery_codes(user)


def new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def remove_devices(user) -> int:
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    removed_static, _ = StaticDevice.objects.filter(user=user).delete()
    return removed + removed_static
