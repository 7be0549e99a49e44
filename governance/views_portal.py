"""Portal pages for supplier users: what is shared with their own company, nothing else."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from governance import forms, selectors, services
from governance.escalation import action_is_overdue
from partners.access import access_partner, partner_id_of_supplier, require_capability
from partners.models import Partner


def _supplier(request: HttpRequest) -> tuple[User, Partner]:
    require_capability(request.user, Capability.USE_PORTAL)
    partner_id = partner_id_of_supplier(request.user)
    if partner_id is None:
        raise Http404("Your account is not linked to a partner yet.")
    assert isinstance(request.user, User)
    return request.user, access_partner(request.user, partner_id)


@login_required
def portal_actions(request: HttpRequest) -> HttpResponse:
    """Shared action items of the supplier's company; theirs can be updated here."""
    user, partner = _supplier(request)
    today = timezone.localdate()
    rows = [
        (
            a,
            action_is_overdue(a.due_date, a.status, today),
            services.supplier_may_update_action(user, a),
        )
        for a in selectors.actions_for_supplier(user)
    ]
    context = {"partner": partner, "rows": rows, "status_form": forms.ActionStatusForm()}
    return render_page(request, "governance/portal_actions.html", context, partial="actions")


@login_required
@require_POST
def portal_action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    user, _ = _supplier(request)
    action = get_object_or_404(selectors.actions_for_supplier(user), pk=action_id)
    form = forms.ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid status.")
    else:
        try:
            services.action_update(actor=user, action=action, status=form.cleaned_data["status"])
        except PermissionDeniedError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"“{action.title}” updated.")
    return redirect("governance:portal-actions")


@login_required
def portal_meetings(request: HttpRequest) -> HttpResponse:
    """Meetings shared with the supplier's company, with the supplier's calendar feed."""
    user, partner = _supplier(request)
    feed = services.calendar_feed_for(owner=user)
    if request.method == "POST":
        feed = services.calendar_feed_revoke(actor=user, feed=feed)
        messages.success(request, "New calendar URL issued; the old one no longer works.")
    meetings = selectors.meetings_visible_to(user).filter(partner=partner)
    now = timezone.now()
    context = {
        "partner": partner,
        "upcoming": meetings.filter(start__gte=now).order_by("start")[:20],
        "past": meetings.filter(start__lt=now).order_by("-start")[:20],
        "feed_url": request.build_absolute_uri(reverse("governance:feed", args=[feed.token])),
    }
    return render_page(request, "governance/portal_meetings.html", context)


@login_required
def portal_meeting(request: HttpRequest, meeting_id: int) -> HttpResponse:
    user, partner = _supplier(request)
    meeting = selectors.meeting_get(user, meeting_id)
    return render_page(
        request, "governance/portal_meeting.html", {"partner": partner, "meeting": meeting}
    )


@login_required
def portal_challenges(request: HttpRequest) -> HttpResponse:
    """Innovation challenges published to the supplier's company; submit proposals."""
    user, partner = _supplier(request)
    form = forms.ProposalForm(request.POST or None)
    challenge = None
    if request.method == "POST":
        challenge = get_object_or_404(
            selectors.challenges_visible_to(user),
            pk=forms.posted_pk(request.POST.get("challenge")),
        )
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.proposal_submit(
                    actor=user,
                    challenge=challenge,
                    partner=partner,
                    title=data["title"],
                    description=data["description"],
                    expected_value=data.get("expected_value") or Decimal(0),
                )
            except FieldErrors as error:
                forms.add_field_errors(form, error)
            except (ConflictError, PermissionDeniedError) as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "Proposal submitted. Thank you!")
                return redirect("governance:portal-challenges")
    challenges = list(selectors.challenges_visible_to(user))
    today = timezone.localdate()
    context = {
        "partner": partner,
        "challenges": challenges,
        "open_ids": {c.pk for c in challenges if c.accepts_proposals(today)},
        "proposals": selectors.proposals_visible_to(user),
        # The posted form (with its errors) shows under its own challenge only.
        "posted": challenge,
        "form": form,
        "blank_form": forms.ProposalForm(),
    }
    return render_page(request, "governance/portal_challenges.html", context)


@login_required
def portal_charter(request: HttpRequest) -> HttpResponse:
    """The charter in force between the supplier's company and us: agreed by both sides, so
    shared in full (who wrote it on our side is not shown)."""
    user, partner = _supplier(request)
    charter = selectors.charter_current(user, partner)
    return render_page(
        request, "governance/portal_charter.html", {"partner": partner, "charter": charter}
    )
