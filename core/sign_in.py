"""Brute-force protection at sign-in: who is asking (the client address behind our own
proxies) and when to stop answering (per account across addresses, and per address across
accounts). Used by django-axes through ``AXES_CLIENT_IP_CALLABLE`` and ``AXES_HANDLER``.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest

type Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# django-axes is untyped; type-check the handler against a plain base.
if TYPE_CHECKING:
    _AxesHandler = object
else:
    _AxesHandler = AxesDatabaseHandler


def _trusted_networks() -> list[Network]:
    return [ipaddress.ip_network(item, strict=False) for item in settings.SRM_TRUSTED_PROXY_IPS]


def _is_trusted(address: str, networks: list[Network]) -> bool:
    if not networks:
        return True  # trust is by count alone
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def forwarded_client_ip(
    remote_addr: str, forwarded_for: str, *, proxy_count: int, trusted: list[Network]
) -> str:
    """The client address, counting ``proxy_count`` trusted proxies from our side.

    Each proxy appends the address it was reached from to ``X-Forwarded-For``, so the entry
    ``proxy_count`` places from the right is the one our outermost proxy saw; anything left of
    it is whatever the client claimed. With no trusted proxies (the default), or a peer outside
    ``trusted`` (when given), forwarded addresses are ignored and the peer is the client.
    """
    address = remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for _ in range(proxy_count):
        if not hops or not _is_trusted(address, trusted):
            break
        address = hops.pop()
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return remote_addr


def client_ip(request: HttpRequest) -> str:
    """The address sign-in attempts are counted against."""
    return forwarded_client_ip(
        request.META.get("REMOTE_ADDR", "") or "",
        request.META.get("HTTP_X_FORWARDED_FOR", "") or "",
        proxy_count=settings.SRM_TRUSTED_PROXY_COUNT,
        trusted=_trusted_networks(),
    )


class AccountAndAddressLockoutHandler(_AxesHandler):
    """Two limits instead of axes' one: an account locks after ``AXES_FAILURE_LIMIT`` failures
    from any addresses, and an address after ``SRM_LOGIN_IP_FAILURE_LIMIT`` failures against
    any accounts (one password sprayed over many accounts), each for the cool-off time.

    An account's count is axes' attempts, cleared when its owner signs in. An address's count
    comes from the failure log, which nothing clears: a sprayer signing in to an account of
    its own between guesses, or a victim signing in, does not reset it. Needs
    ``AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]`` and
    ``AXES_ENABLE_ACCESS_FAILURE_LOG = True``.
    """

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict[str, Any],
        request: HttpRequest | None = None,
        **kwargs: Any,
    ) -> None:
        # Axes decides on the lock before it logs this failure: count it as logged already.
        if request is not None:
            request.srm_failure_pending = True  # type: ignore[attr-defined]
        try:
            AxesDatabaseHandler.user_login_failed(self, sender, credentials, request, **kwargs)
        finally:
            if request is not None:
                request.srm_failure_pending = False  # type: ignore[attr-defined]

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        threshold = get_cool_off_threshold(request)
        account_limit = int(get_failure_limit(request, credentials))
        username = get_client_username(request, credentials)
        account = 0
        if username:
            account = int(
                AccessAttempt.objects.filter(
                    username=username, attempt_time__gte=threshold
                ).aggregate(failures=Sum("failures_since_start"))["failures"]
                or 0
            )
        address = AccessFailureLog.objects.filter(
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
            attempt_time__gte=threshold,
        ).count() + int(getattr(request, "srm_failure_pending", False))
        # Axes compares one number with the account limit: report the address's lock as that.
        if address >= settings.SRM_LOGIN_IP_FAILURE_LIMIT:
            return max(account, account_limit)
        return account

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful sign-in clears that account's failures only (axes would clear the
        address's too)."""
        username = get_client_username(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return int(count)
