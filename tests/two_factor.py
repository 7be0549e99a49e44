"""Test helpers for two-factor sign-in: what the user's authenticator app would show."""

from __future__ import annotations

from base64 import b32decode

from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import User
from core.two_factor import two_factor_enrolment_confirm, two_factor_enrolment_start


def app_code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code an authenticator app shows now (or ``steps_ahead`` 30-second steps later: a
    code is accepted once, and one step of clock drift either way is allowed)."""
    value = totp(device.bin_key, device.step, device.t0, device.digits, steps_ahead)
    return f"{value:0{device.digits}d}"


def fresh_code(device: TOTPDevice) -> str:
    """A code the server has not seen yet, as if the app had moved on by 30 seconds: the
    device forgets the step it last accepted, and any earlier slow-down."""
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    return app_code(device)


def code_from_secret(secret: str, steps_ahead: int = 0) -> str:
    """The code for the key the set-up page shows as text (base32, in groups of four)."""
    key = b32decode(secret.replace(" ", ""))
    return f"{totp(key, 30, 0, 6, steps_ahead):06d}"


def enrol(user: User) -> tuple[TOTPDevice, list[str]]:
    """Turn two-factor sign-in on for ``user`` as the set-up page does; return the device
    and the recovery codes."""
    device = two_factor_enrolment_start(actor=user).device
    return two_factor_enrolment_confirm(actor=user, code=app_code(device))
