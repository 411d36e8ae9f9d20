"""Changes of state for sign-in: unlock, tokens, one's own password, two-factor policy and reset.

Like ``services.py``: each function checks permission, writes and audits in one transaction.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from . import audit, auth, roles, twofactor
from .auth import issue_token, log_event
from .models import LoginEvent, Role, User
from .permissions import require_role, require_unit


def _require_admin_of(actor, user: User) -> None:
    require_role(actor, *roles.USER_ADMINS)
    require_unit(actor, user.unit)


@transaction.atomic
def unlock(actor, user: User, channel: str = "ui") -> None:
    """Clear the lockout of an account for every address (the failures stay in the log). The
    log row carries the administrator's address; the audit entry names the administrator."""
    _require_admin_of(actor, user)
    log_event(LoginEvent.Kind.UNLOCK, user.get_username(), user=user, channel=channel)
    audit.record(actor, "unlock_account", user)


@transaction.atomic
def revoke_token(actor, user: User) -> bool:
    """Revoke the user's API token (one's own, or as administrator); False if there was none."""
    if actor.pk != user.pk:
        _require_admin_of(actor, user)
    deleted, _ = Token.objects.filter(user=user).delete()
    if deleted:
        audit.record(actor, "revoke_token", user)
    return bool(deleted)


def change_own_password(
    user: User, *, old_password: str, new_password: str, channel: str = "ui"
) -> Token | None:
    """Returns a fresh API token when the user had one (the old one is revoked).

    A wrong current password counts as a failed sign-in and the lockout applies, so a stolen
    session or token cannot be used to guess the password. The failure is logged outside the
    transaction of the change, which it refuses."""
    username = user.get_username()
    refused = auth.refusal(username, auth.current_ip())
    if refused is not None:
        raise ValidationError({"old_password": auth.MESSAGES[refused]})
    if not user.check_password(old_password or ""):
        auth.record_failure(username, channel)
        raise ValidationError({"old_password": "原密码不正确。"})
    return _set_own_password(user, new_password)


@transaction.atomic
def _set_own_password(user: User, new_password: str) -> Token | None:
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password": exc.messages}) from exc
    had_token = Token.objects.filter(user=user).exists()
    user.set_password(new_password)
    user.save(update_fields=["password"])
    auth.end_tokens(user)
    audit.record(user, "change_password", user, changes={"password": ["***", "***"]})
    return issue_token(user) if had_token else None


@transaction.atomic
def set_two_factor_roles(actor, role_codes) -> list[str]:
    """Mark the roles whose accounts must sign in with a one-time code (beyond the fixed ones)."""
    require_role(actor, roles.CITY_ADMIN)
    wanted = set(role_codes) | set(twofactor.ALWAYS)
    unknown = wanted - set(roles.ALL_ROLES)
    if unknown:
        raise ValidationError({"roles": f"未知角色：{'、'.join(sorted(unknown))}"})
    before = sorted(Role.objects.filter(requires_two_factor=True).values_list("code", flat=True))
    Role.objects.filter(code__in=wanted).update(requires_two_factor=True)
    Role.objects.exclude(code__in=wanted).update(requires_two_factor=False)
    after = sorted(wanted)
    if before != after:
        newly = set(after) - set(before)
        ended = twofactor.end_password_only_tokens(User.objects.filter(roles__code__in=newly))
        audit.record(
            actor,
            "set_two_factor_roles",
            Role.objects.get(code=roles.CITY_ADMIN),
            object_id="two_factor_roles",
            changes={"roles": [before, after], "tokens_ended": [None, ended]},
        )
    return after


@transaction.atomic
def reset_two_factor(actor, user: User) -> None:
    """Remove the user's authenticator and recovery codes: the next sign-in enrols anew."""
    _require_admin_of(actor, user)
    if actor.pk == user.pk:
        raise PermissionDenied("不能重置自己的两步验证，请联系其他管理员。")
    twofactor.remove_devices(user)
    audit.record(actor, "reset_two_factor", user)


@transaction.atomic
def enrol(user: User, device, code: str) -> list[str] | None:
    """Confirm the user's new authenticator with a first code; returns the recovery codes."""
    codes = twofactor.confirm(user, device, code)
    if codes is not None:
        audit.record(user, "enrol_two_factor", user)
    return codes
