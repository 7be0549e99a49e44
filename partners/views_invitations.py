"""Supplier invitations: invite and revoke from the partner page, accept from the e-mail link.

The accept page is public (the invitee has no account yet); the link's token is the only key.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_text_html
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from core.errors import FieldErrors
from core.forms import add_field_errors
from core.models import User
from core.roles import Capability
from partners.access import access_partner, require_capability
from partners.invitations import INVITATION_LIFETIME, invitation_by_token, invitation_status
from partners.models import PartnerInvitation, SupplierContact
from partners.services import invitations

UNUSABLE = {
    "unknown": (
        gettext_lazy("This invitation link does not work"),
        gettext_lazy("Check that the whole link was opened."),
    ),
    "expired": (
        gettext_lazy("This invitation has expired"),
        gettext_lazy("Ask your contact at our company to invite you again."),
    ),
    "revoked": (
        gettext_lazy("This invitation was withdrawn"),
        gettext_lazy(
            "A newer invitation may have been sent; otherwise ask your contact to invite you again."
        ),
    ),
    "accepted": (
        gettext_lazy("This invitation was used already"),
        gettext_lazy(
            "Sign in with your e-mail address as the user name and the password you chose."
        ),
    ),
}


def _actor(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
@require_POST
def invitation_send_view(request: HttpRequest, partner_id: int, contact_id: int) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    contact = get_object_or_404(SupplierContact, pk=contact_id, partner=partner)
    try:
        invitations.invitation_send(actor=_actor(request), contact=contact)
    except FieldErrors as exc:
        for problem in exc.errors.values():
            for message in problem:
                messages.error(request, message)
    else:
        messages.success(
            request,
            ngettext(
                "Invitation sent to %(email)s; the link works for %(days)d day.",
                "Invitation sent to %(email)s; the link works for %(days)d days.",
                INVITATION_LIFETIME.days,
            )
            % {"email": contact.email, "days": INVITATION_LIFETIME.days},
        )
    return redirect("partner-page", partner.pk)


@login_required
@require_POST
def invitation_revoke_view(
    request: HttpRequest, partner_id: int, invitation_id: int
) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    partner = access_partner(request.user, partner_id)
    invitation = get_object_or_404(PartnerInvitation, pk=invitation_id, partner=partner)
    invitations.invitation_revoke(actor=_actor(request), invitation=invitation)
    messages.success(
        request, gettext("The invitation of %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("partner-page", partner.pk)


class InvitationAcceptForm(forms.Form):
    new_password1 = forms.CharField(
        label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput
    )
    new_password2 = forms.CharField(
        label=gettext_lazy("Repeat it"), strip=False, widget=forms.PasswordInput
    )


def _unusable(request: HttpRequest, reason: str) -> HttpResponse:
    title, hint = UNUSABLE[reason]
    context = {"title": title, "hint": hint, "reason": reason}
    status = 404 if reason == "unknown" else 410
    return render(request, "registration/invitation_unusable.html", context, status=status)


@never_cache
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee chooses a password, is signed in, and goes on to the portal (through the
    two-factor set-up first where their role requires it)."""
    invitation = invitation_by_token(token)
    if invitation is None:
        return _unusable(request, "unknown")
    status = invitation_status(invitation)
    if status != "pending":
        return _unusable(request, status)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitations.invitation_accept(
                actor=invitations.INVITEE,
                token=token,
                password=form.cleaned_data["new_password1"],
                password_again=form.cleaned_data["new_password2"],
            )
        except invitations.InvitationUnusable as exc:
            return _unusable(request, exc.reason)
        except FieldErrors as exc:
            add_field_errors(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("home")
    context = {
        "invitation": invitation,
        "form": form,
        "password_help": password_validators_help_text_html(),
    }
    return render(request, "registration/invitation_accept.html", context)
