"""Two-factor sign-in (SPEC 7): a TOTP authenticator app plus single-use recovery codes, and
the administrator's per-role requirement.

Built on django-otp: its TOTP device (RFC 6238, one step of clock drift either way, a code is
never accepted twice) and static device (recovery codes, deleted when used) both slow down
guessing exponentially (1, 2, 4, … seconds after consecutive failures).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import segno
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp import verify_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.errors import ConflictError, FieldErrors
from core.models import Actor, RoleSecurityPolicy, User
from core.roles import Capability, Role, require
from core.services import audit_record

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "Authenticator app"
RECOVERY_DEVICE_NAME = "Recovery codes"
_TOTP_CODE = re.compile(r"^\d{6}$")


@dataclass(frozen=True)
class Enrolment:
    """What the set-up page shows: the QR code (SVG markup) and the same secret as text."""

    device: TOTPDevice
    qr_svg: str
    secret: str


@dataclass(frozen=True)
class TwoFactorStatus:
    enrolled: bool
    required: bool
    recovery_codes_left: int
    enrolled_at: datetime | None


def _normalise(code: str) -> str:
    return re.sub(r"[\s-]", "", code).lower()


def format_recovery_code(code: str) -> str:
    """``abcd2efg`` → ``abcd-2efg``: easier to copy by hand; the dash is optional on entry."""
    return f"{code[:4]}-{code[4:]}"


def totp_device_of(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def two_factor_required_for(user: User) -> bool:
    """True when the administrator requires two-factor sign-in of the user's role."""
    return RoleSecurityPolicy.objects.filter(role=user.role, two_factor_required=True).exists()


def two_factor_enrolled(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


def two_factor_status(user: User) -> TwoFactorStatus:
    device = totp_device_of(user)
    left = StaticToken.objects.filter(device__user=user, device__confirmed=True).count()
    return TwoFactorStatus(
        enrolled=device is not None,
        required=two_factor_required_for(user),
        recovery_codes_left=left,
        enrolled_at=device.created_at if device is not None else None,
    )


def role_policies() -> list[tuple[Role, bool]]:
    """Every role with whether it requires two-factor sign-in, in the roles' order."""
    required = set(
        RoleSecurityPolicy.objects.filter(two_factor_required=True).values_list("role", flat=True)
    )
    return [(role, role.value in required) for role in Role]


def two_factor_enrolment_start(*, actor: User) -> Enrolment:
    """The unconfirmed authenticator the set-up page shows (the same one on every visit).

    Refuses (ConflictError) a user who already has two-factor sign-in on.
    """
    if two_factor_enrolled(actor):
        raise ConflictError(_("Two-factor sign-in is already on for your account."))
    device = totp_device_of(actor, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=actor, name=TOTP_DEVICE_NAME, confirmed=False)
    qr = segno.make(device.config_url, error="m")
    secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
    return Enrolment(
        device=device,
        qr_svg=qr.svg_inline(scale=4, light="#fff", title="QR code for your authenticator app"),
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return [format_recovery_code(code) for code in codes]


def two_factor_enrolment_confirm(*, actor: User, code: str) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on once the app shows a matching code; return the device and
    the new recovery codes (shown to the user once, never again).

    Refuses a code that does not match (FieldErrors on ``code``) and a user with no set-up
    in progress (ConflictError).
    """
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=actor, confirmed=False)
            .order_by("-pk")
            .first()
        )
        if device is None:
            raise ConflictError(_("Start the set-up again: no authenticator is waiting."))
        _refuse_while_slowed(device)
        if not _TOTP_CODE.match(_normalise(code)) or not device.verify_token(_normalise(code)):
            raise FieldErrors({"code": [str(WRONG_CODE)]})
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
        codes = _new_recovery_codes(actor)
        audit_record(actor=actor, action="two_factor.enable", obj=actor)
    return device, codes


def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """Replace the user's recovery codes with new ones; the old ones stop working."""
    if not two_factor_enrolled(actor):
        raise ConflictError(_("Turn on two-factor sign-in first."))
    with transaction.atomic():
        codes = _new_recovery_codes(actor)
        audit_record(actor=actor, action="two_factor.recovery_codes", obj=actor)
    return codes


def two_factor_disable(*, actor: User, code: str) -> None:
    """Turn two-factor sign-in off after a current code (or a recovery code) proves it is the
    user. Refuses while the user's role requires it (ConflictError)."""
    if two_factor_required_for(actor):
        raise ConflictError(_("Your role requires two-factor sign-in, so it stays on."))
    second_factor_verify(user=actor, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=actor).delete()
        StaticDevice.objects.filter(user=actor).delete()
        audit_record(actor=actor, action="two_factor.disable", obj=actor)


def second_factor_verify(*, user: User, code: str) -> Device:
    """The device that accepts ``code``: six digits are an authenticator code, anything else a
    recovery code (used up by this check). FieldErrors on ``code`` says why not, including
    while guessing is being slowed down."""
    normalised = _normalise(code)
    device: Device | None = None
    if normalised and len(normalised) <= 16:
        if _TOTP_CODE.match(normalised):
            device = totp_device_of(user)
        else:
            device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        raise FieldErrors({"code": [str(WRONG_CODE)]})
    _refuse_while_slowed(device)
    verified: Device | None = verify_token(user, device.persistent_id, normalised)
    if verified is None:
        raise FieldErrors({"code": [str(WRONG_CODE)]})
    return verified


WRONG_CODE = gettext_lazy(
    "That code did not match. Check the time on your phone and try the newest code."
)


def _refuse_while_slowed(device: Device) -> None:
    allowed, data = device.verify_is_allowed()
    if not allowed:
        until = (data or {}).get("locked_until")
        wait = max(1, int((until - timezone.now()).total_seconds()) + 1) if until else 1
        raise FieldErrors(
            {
                "code": [
                    _("Too many wrong codes: wait %(wait)d seconds, then enter the newest code.")
                    % {"wait": wait}
                ]
            }
        )


def role_two_factor_set(*, actor: Actor, role: Role, required: bool) -> RoleSecurityPolicy:
    """Require (or stop requiring) two-factor sign-in of every user of ``role``.

    Users of the role who have not set it up are sent to the set-up page before anything
    else, from their next page on (within a minute for sessions already open).
    """
    require(actor, Capability.ADMINISTER)
    with transaction.atomic():
        policy, _ = RoleSecurityPolicy.objects.select_for_update().get_or_create(role=role.value)
        if policy.two_factor_required != required:
            policy.two_factor_required = required
            policy.save(update_fields=["two_factor_required", "updated_at"])
            audit_record(
                actor=actor,
                action="role_policy.update",
                obj=policy,
                changes={"two_factor_required": [not required, required]},
            )
    return policy
