"""Governance pages for internal users. Thin: parse, check access, call a service, render."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.errors import ConflictError, FieldErrors, PermissionDeniedError
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from governance import forms, selectors, services
from governance.access import require_escalation_capability
from governance.cadence import MeetingStatus, localize
from governance.escalation import action_is_overdue
from governance.models import CalendarFeed, InitiativeStage, MeetingAttachment, PlanMilestone
from partners.access import access_partner, partners_visible_to, require_capability
from partners.models import Partner
from scorecards.selectors import partner_kpi_choices, partner_latest_kpi_results


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _internal_partner(request: HttpRequest, partner_id: int) -> Partner:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return access_partner(request.user, partner_id)


def _in_zone(value: datetime, tz_name: str) -> datetime:
    """A datetime-local value typed as wall time in ``tz_name``."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return localize(naive, ZoneInfo(tz_name))


# --------------------------------------------------------------------------- overview


_GOVERNANCE_FORMS: dict[str, type[Any]] = {
    "charter": forms.CharterForm,
    "cadence": forms.CadenceForm,
    "plan": forms.PlanForm,
    "objective": forms.ObjectiveForm,
    "initiative": forms.InitiativeForm,
}


def _governance_write(step: str, actor: User, partner: Partner, data: dict[str, Any]) -> str:
    """Run the service behind one form of the governance page; returns a success message."""
    if step == "charter":
        data["review_due"] = data.get("review_due") or None
        charter = services.charter_create_version(actor=actor, partner=partner, **data)
        return f"Charter version {charter.version} saved."
    if step == "cadence":
        cadence = services.cadence_create(actor=actor, partner=partner, **data)
        created = services.meetings_generate(cadence=cadence, now=timezone.now())
        return f"Cadence “{cadence.name}” added with {created} meetings scheduled."
    if step == "plan":
        plan = services.plan_create(actor=actor, partner=partner, **data)
        return f"Joint business plan {plan.year} created."
    if step == "objective":
        plan = get_object_or_404(partner.business_plans, pk=data.pop("plan"))
        services.objective_add(actor=actor, plan=plan, **data)
        return "Objective added."
    if step == "milestone":
        plan = get_object_or_404(partner.business_plans, pk=data.pop("plan"))
        services.milestone_add(actor=actor, plan=plan, **data)
        return "Milestone added."
    initiative = services.initiative_create(actor=actor, partner=partner, owner=actor, **data)
    return f"Initiative “{initiative.title}” added."


@login_required
def partner_governance(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Charter, cadences, joint plans and innovation of one partnership, with their forms."""
    partner = _internal_partner(request, partner_id)
    user = _user(request)
    bound: dict[str, Any] = {name: form() for name, form in _GOVERNANCE_FORMS.items()}
    bound["milestone"] = forms.MilestoneForm(partner=partner)
    if request.method == "POST":
        require_capability(user, Capability.MANAGE_GOVERNANCE)
        step = request.POST.get("step", "")
        if step == "defaults":
            created = services.cadences_apply_defaults(
                actor=user, partner=partner, anchor_date=timezone.localdate()
            )
            now = timezone.now()
            count = sum(services.meetings_generate(cadence=c, now=now) for c in created)
            messages.success(request, f"{len(created)} cadences added, {count} meetings scheduled.")
            return redirect("governance:partner", partner_id=partner.pk)
        if step == "initiative_stage":
            initiative = get_object_or_404(
                partner.initiatives, pk=forms.posted_pk(request.POST.get("initiative"))
            )
            try:
                services.initiative_update(
                    actor=user, initiative=initiative, stage=request.POST.get("stage", "")
                )
            except FieldErrors as error:
                messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
            else:
                messages.success(request, f"“{initiative.title}” moved on.")
            return redirect("governance:partner", partner_id=partner.pk)
        if step == "initiative_value":
            initiative = get_object_or_404(
                partner.initiatives, pk=forms.posted_pk(request.POST.get("initiative"))
            )
            value_form = forms.RealizedValueForm(request.POST)
            if value_form.is_valid():
                services.initiative_update(
                    actor=user, initiative=initiative, **value_form.cleaned_data
                )
                messages.success(request, f"Realized value of “{initiative.title}” saved.")
            else:
                messages.error(request, "Give the realized value as a positive amount.")
            return redirect("governance:partner", partner_id=partner.pk)
        if step == "milestone_done":
            milestone = get_object_or_404(
                PlanMilestone.objects.filter(plan__partner=partner),
                pk=forms.posted_pk(request.POST.get("milestone")),
            )
            try:
                services.milestone_complete(actor=user, milestone=milestone)
            except ConflictError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Milestone “{milestone.title}” done.")
            return redirect("governance:partner", partner_id=partner.pk)
        if step in _GOVERNANCE_FORMS or step == "milestone":
            form = bound[step] = (
                forms.MilestoneForm(request.POST, partner=partner)
                if step == "milestone"
                else _GOVERNANCE_FORMS[step](request.POST)
            )
            if form.is_valid():
                try:
                    messages.success(
                        request, _governance_write(step, user, partner, dict(form.cleaned_data))
                    )
                except FieldErrors as error:
                    forms.add_field_errors(form, error)
                else:
                    return redirect("governance:partner", partner_id=partner.pk)
    cadences = list(partner.cadences.all())
    context = {
        "partner": partner,
        "charters": list(selectors.charters_visible_to(user).filter(partner=partner)),
        "cadences": cadences,
        # Offer the playbook only while it would add something.
        "missing_defaults": [
            d.kind.label
            for d in services.cadence_defaults_for_partner(partner)
            if d.kind not in {c.kind for c in cadences}
        ],
        "plans": list(selectors.plans_visible_to(user).filter(partner=partner)),
        "kpi_results": partner_latest_kpi_results(partner),
        "kpi_choices": partner_kpi_choices(partner),
        "initiatives": list(selectors.initiatives_visible_to(user).filter(partner=partner)),
        "lessons": list(selectors.lessons_visible_to(user).filter(partner=partner)),
        "today": timezone.localdate(),
        "can_manage": user.can(Capability.MANAGE_GOVERNANCE),
        "forms": bound,
        "stages": InitiativeStage.choices,
        # Evaluated once: the milestone form repeats under every plan.
        "owner_choices": list(bound["milestone"].fields["owner_user"].queryset),
        "contact_choices": list(bound["milestone"].fields["owner_contact"].queryset),
    }
    return render_page(request, "governance/partner.html", context)


# --------------------------------------------------------------------------- meetings


@login_required
@vary_on_headers("HX-Request")
def partner_meetings(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Meetings of a partnership, and the form to schedule one."""
    partner = _internal_partner(request, partner_id)
    form = forms.MeetingForm(request.POST or None, partner=partner)
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_GOVERNANCE)
        if form.is_valid():
            try:
                meeting = services.meeting_create(
                    actor=_user(request), partner=partner, **form.cleaned_data
                )
            except FieldErrors as error:
                forms.add_field_errors(form, error)
            else:
                messages.success(request, f"Scheduled “{meeting.title}”.")
                return redirect("governance:meeting", meeting_id=meeting.pk)
    meetings = selectors.meeting_list(request.user, partner)
    now = timezone.now()
    # What comes next first; the past most recent first.
    sections = [
        ("Upcoming", list(meetings.filter(end__gte=now))),
        ("Past", list(meetings.filter(end__lt=now).order_by("-start", "-id"))),
    ]
    context = {
        "partner": partner,
        "sections": sections,
        "has_meetings": any(rows for _, rows in sections),
        "form": form,
        "can_manage": _user(request).can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/meetings.html", context, partial="meetings")


def _attendees_form(meeting: Any, data: Any = None) -> forms.AttendeesForm:
    initial = {"attendees": list(meeting.attendees.all()), "contacts": list(meeting.contacts.all())}
    return forms.AttendeesForm(data, partner=meeting.partner, initial=initial)


@login_required
@vary_on_headers("HX-Request")
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting: agenda, attendees, minutes, decisions, attachments and actions."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    meeting = selectors.meeting_get(request.user, meeting_id)
    minutes_form = forms.MinutesForm(initial={"minutes": meeting.minutes})
    reason_form = forms.ReasonForm()
    move_form = forms.MoveForm()
    attendees_form = _attendees_form(meeting)
    attendees_saved = False
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_GOVERNANCE)
        step = request.POST.get("step")
        try:
            if step == "attendees":
                attendees_form = _attendees_form(meeting, request.POST)
                if attendees_form.is_valid():
                    services.meeting_update(
                        actor=_user(request), meeting=meeting, **attendees_form.cleaned_data
                    )
                    if not request.htmx:  # type: ignore[attr-defined]
                        messages.success(request, "Attendees saved.")
                        return redirect("governance:meeting", meeting_id=meeting.pk)
                    meeting = selectors.meeting_get(request.user, meeting_id)
                    attendees_form = _attendees_form(meeting)
                    attendees_saved = True
            elif step == "minutes":
                minutes_form = forms.MinutesForm(request.POST)
                if minutes_form.is_valid():
                    services.meeting_record(
                        actor=_user(request),
                        meeting=meeting,
                        minutes=minutes_form.cleaned_data["minutes"],
                        decisions=minutes_form.decision_lines(),
                    )
                    messages.success(request, "Minutes saved; the meeting counts as held.")
                    return redirect("governance:meeting", meeting_id=meeting.pk)
            elif step == "cancel":
                reason_form = forms.ReasonForm(request.POST)
                if reason_form.is_valid():
                    services.meeting_cancel(
                        actor=_user(request),
                        meeting=meeting,
                        reason=reason_form.cleaned_data["reason"],
                    )
                    messages.success(
                        request, "Meeting cancelled; subscribed calendars will drop it."
                    )
                    return redirect("governance:meeting", meeting_id=meeting.pk)
            elif step == "attach":
                upload = request.FILES.get("file")
                if upload is None:
                    messages.error(request, "Choose a file to attach.")
                else:
                    try:
                        services.attachment_add(actor=_user(request), meeting=meeting, file=upload)
                    except FieldErrors as error:
                        messages.error(request, " ".join(error.errors.get("file", [])))
                    else:
                        messages.success(request, f"Attached {upload.name}.")
                        return redirect("governance:meeting", meeting_id=meeting.pk)
            elif step == "move":
                move_form = forms.MoveForm(request.POST)
                if move_form.is_valid():
                    data = move_form.cleaned_data
                    services.meeting_move(
                        actor=_user(request),
                        meeting=meeting,
                        start=_in_zone(data["start"], meeting.tz_name),
                        end=_in_zone(data["end"], meeting.tz_name),
                        reason=data["reason"],
                    )
                    messages.success(request, "Meeting moved; subscribed calendars will update.")
                    return redirect("governance:meeting", meeting_id=meeting.pk)
        except FieldErrors as error:
            target = {
                "minutes": minutes_form,
                "cancel": reason_form,
                "attendees": attendees_form,
            }.get(step or "", move_form)
            forms.add_field_errors(target, error)
        except ConflictError as error:
            messages.error(request, str(error))
    context = {
        "meeting": meeting,
        "partner": meeting.partner,
        "minutes_form": minutes_form,
        "reason_form": reason_form,
        "move_form": move_form,
        "attendees_form": attendees_form,
        "attendees_saved": attendees_saved,
        "can_manage": _user(request).can(Capability.MANAGE_GOVERNANCE),
        "today": timezone.localdate(),
        "is_cancelled": meeting.status == MeetingStatus.CANCELLED,
        "is_held": meeting.status == MeetingStatus.HELD,
    }
    return render_page(request, "governance/meeting.html", context, partial="attendees")


@login_required
def meeting_ics(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Download one meeting as .ics (suppliers: shared meetings of their partner only)."""
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=meeting_id)
    response = HttpResponse(
        selectors.meeting_ics(meeting), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


@login_required
def attachment_download(request: HttpRequest, attachment_id: int) -> FileResponse:
    """An attachment, for whoever may see its meeting (suppliers: shared meetings only)."""
    attachment = get_object_or_404(
        MeetingAttachment.objects.filter(meeting__in=selectors.meetings_visible_to(request.user)),
        pk=attachment_id,
    )
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# --------------------------------------------------------------------------- calendar


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """My upcoming meetings and my secret feed URLs (mine, and per partnership)."""
    user = _user(request)
    partner = None
    if request.GET.get("partner"):
        partner = access_partner(user, request.GET["partner"])
    feed = services.calendar_feed_for(owner=user, partner=partner)
    if request.method == "POST":
        feed = services.calendar_feed_revoke(actor=user, feed=feed)
        messages.success(request, "New calendar URL issued; the old one no longer works.")
    meetings = (
        selectors.feed_meetings(feed).filter(start__gte=timezone.now()).order_by("start")[:50]
    )
    context = {
        "feed": feed,
        "feed_url": request.build_absolute_uri(reverse("governance:feed", args=[feed.token])),
        "partner": partner,
        "meetings": meetings,
    }
    return render_page(request, "governance/calendar.html", context)


def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A subscribable feed at a secret URL: no login, 404 once revoked."""
    calendar_feed: CalendarFeed | None = selectors.feed_by_token(token)
    if calendar_feed is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        selectors.feed_ics(calendar_feed), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=900"
    return response


# --------------------------------------------------------------------------- actions


@login_required
@vary_on_headers("HX-Request")
def partner_actions(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _internal_partner(request, partner_id)
    form = forms.ActionForm(request.POST or None, partner=partner)
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_GOVERNANCE)
        if form.is_valid():
            try:
                created = services.action_create(
                    actor=_user(request), partner=partner, **form.cleaned_data
                )
            except FieldErrors as error:
                forms.add_field_errors(form, error)
            else:
                messages.success(request, f"Action “{created.action.title}” added.")
                if created.warning:
                    messages.warning(request, created.warning)
                return redirect("governance:actions", partner_id=partner.pk)
    today = timezone.localdate()
    actions = [
        (a, action_is_overdue(a.due_date, a.status, today))
        for a in selectors.action_list(request.user, partner)
    ]
    context = {
        "partner": partner,
        "actions": actions,
        "form": form,
        "status_form": forms.ActionStatusForm(),
        "can_manage": _user(request).can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/actions.html", context, partial="actions")


@login_required
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    """Change an action's status (internal users; suppliers use the portal)."""
    require_capability(request.user, Capability.MANAGE_GOVERNANCE)
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=action_id)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_update(
            actor=_user(request), action=action, status=form.cleaned_data["status"]
        )
        messages.success(
            request, f"“{action.title}” is now {form.cleaned_data['status'].replace('_', ' ')}."
        )
    else:
        messages.error(request, "Choose a valid status.")
    return redirect("governance:actions", partner_id=action.partner_id)


# --------------------------------------------------------------------------- escalations


@login_required
def partner_escalations(request: HttpRequest, partner_id: int) -> HttpResponse:
    partner = _internal_partner(request, partner_id)
    levels = list(partner.escalation_levels.all())
    ladder_form = forms.LadderForm(
        initial={"levels": "\n".join(f"{lv.name} | {lv.response_time_hours}" for lv in levels)}
    )
    raise_form = forms.EscalationForm()
    status = 200
    if request.method == "POST":
        step = request.POST.get("step")
        require_escalation_capability(request.user, step)
        try:
            if step == "ladder":
                ladder_form = forms.LadderForm(request.POST)
                if ladder_form.is_valid():
                    services.escalation_ladder_set(
                        actor=_user(request), partner=partner, levels=ladder_form.level_rows()
                    )
                    messages.success(request, "Escalation ladder saved.")
                    return redirect("governance:escalations", partner_id=partner.pk)
            elif step == "raise":
                raise_form = forms.EscalationForm(request.POST)
                if raise_form.is_valid():
                    services.escalation_raise(
                        actor=_user(request), partner=partner, **raise_form.cleaned_data
                    )
                    messages.success(
                        request, "Escalated to level 1; its people have been notified."
                    )
                    return redirect("governance:escalations", partner_id=partner.pk)
            elif step == "resolve":
                escalation = get_object_or_404(
                    selectors.escalations_visible_to(request.user).filter(partner=partner),
                    pk=forms.posted_pk(request.POST.get("escalation")),
                )
                form = forms.ResolutionForm(request.POST)
                if form.is_valid():
                    services.escalation_resolve(
                        actor=_user(request),
                        escalation=escalation,
                        resolution=form.cleaned_data["resolution"],
                    )
                    messages.success(request, "Escalation resolved.")
                    return redirect("governance:escalations", partner_id=partner.pk)
                messages.error(request, "Say how it was resolved.")
        except FieldErrors as error:
            forms.add_field_errors(ladder_form if step == "ladder" else raise_form, error)
        except ConflictError as error:
            messages.error(request, str(error))
    context = {
        "partner": partner,
        "levels": levels,
        "escalations": selectors.escalations_visible_to(request.user)
        .filter(partner=partner)
        .prefetch_related("moves"),
        "ladder_form": ladder_form,
        "raise_form": raise_form,
        "can_manage": _user(request).can(Capability.MANAGE_GOVERNANCE),
        "can_resolve": _user(request).can(Capability.MANAGE_GOVERNANCE)
        or _user(request).can(Capability.SIGN_OFF),
    }
    return render_page(request, "governance/escalations.html", context, status=status)


# --------------------------------------------------------------------------- QBR


@login_required
def partner_qbr(request: HttpRequest, partner_id: int) -> HttpResponse:
    """The facts of a quarterly business review on one screen."""
    partner = _internal_partner(request, partner_id)
    return render_page(request, "governance/qbr.html", selectors.qbr_context(request.user, partner))


# --------------------------------------------------------------------------- lessons, challenges


@login_required
def lessons(request: HttpRequest) -> HttpResponse:
    """Lessons learned across the portfolio, searchable."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    query = request.GET.get("q", "").strip()
    form = forms.LessonForm(request.POST or None, partners=partners_visible_to(request.user))
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_GOVERNANCE)
        if form.is_valid():
            try:
                services.lesson_record(actor=_user(request), **form.cleaned_data)
            except FieldErrors as error:
                forms.add_field_errors(form, error)
            else:
                messages.success(request, "Lesson recorded.")
                return redirect("governance:lessons")
    context: dict[str, Any] = {
        "lessons": selectors.lesson_search(request.user, query)[:100],
        "q": query,
        "form": form,
        "can_manage": _user(request).can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/lessons.html", context, partial="results")


@login_required
def challenges(request: HttpRequest) -> HttpResponse:
    """Open innovation challenges: publish one, and decide on the proposals received."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    form = forms.ChallengeForm(partners=partners_visible_to(request.user))
    if request.method == "POST":
        require_capability(request.user, Capability.MANAGE_GOVERNANCE)
        if request.POST.get("step") == "publish":
            form = forms.ChallengeForm(request.POST, partners=partners_visible_to(request.user))
            if form.is_valid():
                services.challenge_publish(actor=_user(request), **form.cleaned_data)
                messages.success(request, "Challenge published to the chosen partners.")
                return redirect("governance:challenges")
        else:
            proposal = get_object_or_404(
                selectors.proposals_visible_to(request.user),
                pk=forms.posted_pk(request.POST.get("proposal")),
            )
            decision = request.POST.get("decision")
            try:
                if decision not in ("adopt", "decline"):
                    raise FieldErrors({"decision": ["Choose adopt or decline."]})
                services.proposal_decide(
                    actor=_user(request),
                    proposal=proposal,
                    adopt=decision == "adopt",
                    feedback=request.POST.get("feedback", ""),
                )
            except FieldErrors as error:
                messages.error(request, " ".join(m for ms in error.errors.values() for m in ms))
            except (ConflictError, PermissionDeniedError) as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"Decision on “{proposal.title}” recorded.")
                return redirect("governance:challenges")
    context = {
        "challenges": selectors.challenges_visible_to(request.user).prefetch_related(
            "proposals__partner"
        ),
        "form": form,
        "can_manage": _user(request).can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/challenges.html", context)


@login_required
@vary_on_headers("HX-Request")
def my_governance(request: HttpRequest) -> HttpResponse:
    """My open actions and upcoming meetings; the workspace loads the lists from here."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    context = {"governance": selectors.workspace_governance(request.user)}
    return render_page(request, "governance/my.html", context, partial="lists")
