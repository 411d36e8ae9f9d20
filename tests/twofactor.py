"""Test helpers for two-factor sign-in: an enrolled authenticator and fresh recovery codes."""

from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from yutong.core import twofactor


def enrol(user) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name=twofactor.TOTP_NAME, defaults={"confirmed": True}
    )
    return device


def current_code(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def recovery_code(user) -> str:
    """A fresh single-use code: unlike a TOTP code, several sign-ins in one 30-second step
    each get one that works."""
    enrol(user)
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=twofactor.RECOVERY_NAME, defaults={"confirmed": True}
    )
    code = StaticToken.random_token()
    device.token_set.create(token=code)
    return code


def otp_fields(user) -> dict:
    """The extra field the token endpoint needs from this user (none if not asked)."""
    return {"otp": recovery_code(user)} if twofactor.asks_code(user) else {}
