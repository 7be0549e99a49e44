"""Request guards of the top layer: health probes before anything else, the idle session
timeout and the two-factor gate.

Session bookkeeping is written at sign-in (:func:`session_signed_in`, on Django's
``user_logged_in``) and then at most once a minute, so an ordinary page costs no extra query.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypedDict
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from core.models import User
from core.two_factor import two_factor_enrolled, two_factor_required_for
from srm import health

SIGNED_IN_AT = "srm_signed_in_at"
LAST_SEEN = "srm_last_seen"
SECOND_FACTOR = "srm_second_factor"
# Activity and the two-factor state are written to the session at most this often (seconds).
REFRESH_SECONDS = 60

type GetResponse = Callable[[HttpRequest], HttpResponse]


class SecondFactorState(TypedDict):
    required: bool  # the user's role requires two-factor sign-in
    enrolled: bool  # the user has an authenticator set up
    checked: int  # when this was read (Unix time)


def _second_factor_state(user: User) -> SecondFactorState:
    return {
        "required": two_factor_required_for(user),
        "enrolled": two_factor_enrolled(user),
        "checked": int(time.time()),
    }


def session_signed_in(sender: Any, request: HttpRequest, user: User, **kwargs: Any) -> None:
    """Start the session's clocks and note what sign-in still needs (``user_logged_in``)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[SECOND_FACTOR] = _second_factor_state(user)


def session_second_factor_refresh(request: HttpRequest) -> None:
    """Re-read the two-factor state now (after the user set it up or turned it off)."""
    request.session[SECOND_FACTOR] = _second_factor_state(request.user)  # type: ignore[arg-type]


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        # HTMX would swap the target page into the current one; make the browser go there.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _with_next(request: HttpRequest, url: str) -> str:
    if request.method == "GET" and request.get_full_path() != "/":
        return f"{url}?{urlencode({'next': request.get_full_path()})}"
    return url


class ProbeMiddleware:
    """``/healthz`` and ``/readyz`` answer first: over plain HTTP behind the HTTPS redirect,
    and for whatever Host a load balancer or the container's health check sends."""

    PROBES = {"/healthz": health.healthz, "/readyz": health.readyz}

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = self.PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


class SessionTimeoutMiddleware:
    """Sign out a session idle for ``SRM_SESSION_IDLE_MINUTES`` or older than
    ``SRM_SESSION_MAX_HOURS``; the next page asks to sign in again and says why."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> None:
        session = request.session
        now = int(time.time())
        last_seen = session.get(LAST_SEEN)
        signed_in_at = session.get(SIGNED_IN_AT)
        if last_seen is not None and now - int(last_seen) > settings.SRM_SESSION_IDLE_SECONDS:
            minutes = settings.SRM_SESSION_IDLE_SECONDS // 60
            logout(request)
            messages.info(
                request,
                _("You were signed out after %(minutes)d minutes without activity.")
                % {"minutes": minutes},
            )
        elif (
            signed_in_at is not None and now - int(signed_in_at) > settings.SRM_SESSION_MAX_SECONDS
        ):
            logout(request)
            messages.info(request, _("Your session ended; please sign in again."))
        elif last_seen is None or now - int(last_seen) >= REFRESH_SECONDS:
            session[LAST_SEEN] = now
            session.setdefault(SIGNED_IN_AT, now)


class SecondFactorMiddleware:
    """A signed-in session is complete only with the second factor where one is due: the user
    has an authenticator (then the code page) or the role requires one (then the set-up page).
    Until then the session reaches only those pages and sign-out; the API answers 403.

    API requests with a personal token are not sessions and are not affected.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not isinstance(user, User):
            return self.get_response(request)
        state = self._state(request, user)
        if not (state["required"] or state["enrolled"]) or user.is_verified():  # type: ignore[attr-defined]
            return self.get_response(request)
        if state["enrolled"]:
            target = reverse("login-code")
            allowed = {target}
        else:
            target = reverse("account:two-factor")
            allowed = {target, reverse("account:two-factor-confirm")}
        path = request.path_info
        if path in allowed or path == reverse("logout") or path.startswith(_PASS_THROUGH):
            request.srm_second_factor_pending = True  # type: ignore[attr-defined]
            return self.get_response(request)
        if path.startswith("/api/"):
            return JsonResponse(
                {"detail": "Finish two-factor sign-in in the browser first."}, status=403
            )
        return _redirect(request, _with_next(request, target))

    def _state(self, request: HttpRequest, user: User) -> SecondFactorState:
        state: SecondFactorState | None = request.session.get(SECOND_FACTOR)
        if state is None or int(time.time()) - int(state["checked"]) >= REFRESH_SECONDS:
            state = _second_factor_state(user)
            request.session[SECOND_FACTOR] = state
        return state


_PASS_THROUGH = (f"/{settings.STATIC_URL.lstrip('/')}", "/i18n/")
