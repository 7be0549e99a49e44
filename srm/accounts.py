"""Sign-in and the signed-in user's own account: the two-factor code step, two-factor set-up,
recovery codes, personal API tokens and (for administrators) the per-role requirement.

Every page acts on ``request.user`` only: no URL names another user, and a token id of
someone else answers 404 like an unknown one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import django_otp
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from core import api_tokens, two_factor
from core.errors import FieldErrors
from core.forms import add_field_errors
from core.models import User
from core.roles import Capability, require
from srm.account_forms import CodeForm, RolePoliciesForm, TokenCreateForm
from srm.middleware import SECOND_FACTOR, session_second_factor_refresh

# Wrong codes one sign-in may try before it starts again from the password.
MAX_CODE_ATTEMPTS = 5
_CODE_ATTEMPTS = "srm_code_attempts"


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # login_required ran first
    return user


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class SignInView(LoginView):
    """The password step. A user with an authenticator goes on to the code step."""

    def get_success_url(self) -> str:
        url = super().get_success_url()
        state = self.request.session.get(SECOND_FACTOR) or {}
        if state.get("enrolled"):
            return f"{reverse('login-code')}?{urlencode({'next': url})}"
        return url


@never_cache
@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: a code from the authenticator app, or one recovery code."""
    if not request.user.is_authenticated:
        return redirect("login")
    user = _user(request)
    if user.is_verified() or not two_factor.two_factor_enrolled(user):  # type: ignore[attr-defined]
        return redirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.second_factor_verify(user=user, code=form.cleaned_data["code"])
        except FieldErrors as error:
            attempts = int(request.session.get(_CODE_ATTEMPTS, 0)) + 1
            if attempts >= MAX_CODE_ATTEMPTS:
                logout(request)
                messages.error(request, _("Too many wrong codes. Sign in again."))
                return redirect("login")
            request.session[_CODE_ATTEMPTS] = attempts
            add_field_errors(form, error)
        else:
            django_otp.login(request, device)
            request.session.pop(_CODE_ATTEMPTS, None)
            if isinstance(device, StaticDevice):
                left = device.token_set.count()
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(left)d left. "
                        "Make new ones on your account page if you are running short.",
                        "You signed in with a recovery code; %(left)d left. "
                        "Make new ones on your account page if you are running short.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next_url(request))
    return render(
        request, "registration/login_code.html", {"form": form, "next": _next_url(request)}
    )


@login_required
def account_home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    context = {
        "status": two_factor.two_factor_status(user),
        "live_tokens": sum(
            1 for t in api_tokens.api_tokens_of(user) if api_tokens.token_status(t) == "active"
        ),
        "can_administer": user.can(Capability.ADMINISTER),
    }
    return render(request, "account/home.html", context)


@never_cache
@login_required
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """Two-factor status; while it is off, the set-up with its QR code."""
    user = _user(request)
    status = two_factor.two_factor_status(user)
    context: dict[str, Any] = {"status": status, "form": CodeForm()}
    if not status.enrolled:
        context["enrolment"] = two_factor.two_factor_enrolment_start(actor=user)
    return render(request, "account/two_factor.html", context)


@never_cache
@login_required
@require_POST
def two_factor_confirm(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            device, codes = two_factor.two_factor_enrolment_confirm(
                actor=user, code=form.cleaned_data["code"]
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            django_otp.login(request, device)
            session_second_factor_refresh(request)
            messages.success(request, _("Two-factor sign-in is on."))
            return render(request, "account/recovery_codes.html", {"codes": codes, "new": True})
    context = {
        "status": two_factor.two_factor_status(user),
        "form": form,
        "enrolment": two_factor.two_factor_enrolment_start(actor=user),
    }
    return render(request, "account/two_factor.html", context)


@never_cache
@login_required
@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_verified():  # type: ignore[attr-defined]
        return redirect("login-code")
    codes = two_factor.recovery_codes_regenerate(actor=user)
    return render(request, "account/recovery_codes.html", {"codes": codes, "new": False})


@login_required
@require_POST
def two_factor_off(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not user.is_verified():  # type: ignore[attr-defined]
        return redirect("login-code")
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            two_factor.two_factor_disable(actor=user, code=form.cleaned_data["code"])
        except FieldErrors as error:
            messages.error(request, " ".join(error.errors["code"]))
        else:
            session_second_factor_refresh(request)
            messages.success(request, _("Two-factor sign-in is off."))
    return redirect("account:two-factor")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens_page(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; creating one shows it once, on the page that answers the form."""
    user = _user(request)
    form = TokenCreateForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = api_tokens.api_token_create(
                actor=user,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            form = TokenCreateForm()
    tokens = [(t, api_tokens.token_status(t)) for t in api_tokens.api_tokens_of(user)]
    context = {"form": form, "tokens": tokens, "created": created}
    return render(request, "account/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    user = _user(request)
    token = api_tokens.api_token_get(user, token_id)
    api_tokens.api_token_revoke(actor=user, token=token)
    messages.success(
        request, _("Token “%(name)s” revoked: it no longer works.") % {"name": token.name}
    )
    return redirect("account:tokens")


@login_required
@require_http_methods(["GET", "POST"])
def role_policies(request: HttpRequest) -> HttpResponse:
    """Administrators: which roles must use two-factor sign-in."""
    user = _user(request)
    require(user, Capability.ADMINISTER)
    form = RolePoliciesForm(request.POST or None, policies=two_factor.role_policies())
    if request.method == "POST" and form.is_valid():
        for role, required in form.required_by_role().items():
            two_factor.role_two_factor_set(actor=user, role=role, required=required)
        session_second_factor_refresh(request)
        messages.success(request, _("Two-factor requirements saved."))
        return redirect("account:roles")
    return render(request, "account/roles.html", {"form": form})
