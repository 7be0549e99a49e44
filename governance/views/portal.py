"""Portal pages for supplier users: what is shared with their own company, nothing else."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.errors import ConflictError, FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from governance import forms, selectors
from governance.access import supplier_may_update_action
from governance.escalation import action_is_overdue
from governance.services import actions, innovation
from governance.services import calendar as calendars
from governance.views.common import request_user
from partners.access import supplier_partner


@login_required
@vary_on_headers("HX-Request")
def portal_actions(request: HttpRequest) -> HttpResponse:
    """Shared action items of the supplier's company; theirs can be updated here."""
    partner = supplier_partner(request.user)
    user = request_user(request)
    today = timezone.localdate()
    rows = [
        (
            a,
            action_is_overdue(a.due_date, a.status, today),
            supplier_may_update_action(user, a),
        )
        for a in selectors.actions_for_supplier(user)
    ]
    context = {"partner": partner, "rows": rows, "status_form": forms.ActionStatusForm()}
    return render_page(request, "governance/portal_actions.html", context, partial="actions")


@login_required
@require_POST
def portal_action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    """Change the status of an action the supplier's side owes."""
    supplier_partner(request.user)
    user = request_user(request)
    action = get_object_or_404(selectors.actions_for_supplier(user), pk=action_id)
    form = forms.ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a valid status."))
        return redirect("governance:portal-actions")
    actions.action_update(
        actor=user, action=action, changes={"status": form.cleaned_data["status"]}
    )
    messages.success(request, _("“%(title)s” updated.") % {"title": action.title})
    return redirect("governance:portal-actions")


@login_required
def portal_meetings(request: HttpRequest) -> HttpResponse:
    """Meetings shared with the supplier's company, with the supplier's calendar feed;
    posting issues a new feed URL."""
    partner = supplier_partner(request.user)
    user = request_user(request)
    feed = calendars.calendar_feed_for(actor=user)
    if request.method == "POST":
        feed = calendars.calendar_feed_revoke(actor=user, feed=feed)
        messages.success(request, _("New calendar URL issued; the old one no longer works."))
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
    partner = supplier_partner(request.user)
    meeting = selectors.meeting_get(request.user, meeting_id)
    return render_page(
        request, "governance/portal_meeting.html", {"partner": partner, "meeting": meeting}
    )


@login_required
def portal_challenges(request: HttpRequest) -> HttpResponse:
    """Innovation challenges published to the supplier's company; posting submits a proposal
    to the one named by ``challenge``."""
    partner = supplier_partner(request.user)
    user = request_user(request)
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
                innovation.proposal_submit(
                    actor=user,
                    challenge=challenge,
                    partner=partner,
                    title=data["title"],
                    description=data["description"],
                    expected_value=data.get("expected_value") or Decimal(0),
                )
            except FieldErrors as error:
                add_field_errors(form, error)
            # A challenge that closed while the supplier wrote has no form any more: say it
            # above the page, which shows the challenge as closed.
            except ConflictError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Proposal submitted. Thank you!"))
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
    partner = supplier_partner(request.user)
    charter = selectors.charter_current(request.user, partner)
    return render_page(
        request, "governance/portal_charter.html", {"partner": partner, "charter": charter}
    )
