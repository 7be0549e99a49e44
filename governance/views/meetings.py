"""A partnership's meetings, the page of one meeting with one view per form on it, its .ics
download and its attachments."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.concurrency import StaleEditError
from core.errors import FieldErrors
from core.forms import add_field_errors, conflict_show, posted_version
from core.htmx import render_page
from core.roles import Capability
from governance import forms, selectors
from governance.cadence import MeetingStatus, localize
from governance.models import Meeting, MeetingAttachment
from governance.services import actions, meetings
from governance.views.common import internal_partner, request_user
from partners.access import require_capability


def _in_zone(value: datetime, tz_name: str) -> datetime:
    """A datetime-local value typed as wall time in ``tz_name``."""
    naive = timezone.make_naive(value) if timezone.is_aware(value) else value
    return localize(naive, ZoneInfo(tz_name))


@login_required
@vary_on_headers("HX-Request")
def partner_meetings(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Meetings of a partnership (upcoming first, then the past most recent first), and the
    form to schedule one."""
    partner = internal_partner(request, partner_id)
    user = request_user(request)
    form = forms.MeetingForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = meetings.meeting_create(actor=user, partner=partner, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Scheduled “%(title)s”.") % {"title": meeting.title})
            return redirect("governance:meeting", meeting_id=meeting.pk)
    listed = selectors.meeting_list(user, partner)
    now = timezone.now()
    sections = [
        (_("Upcoming"), list(listed.filter(end__gte=now))),
        (_("Past"), list(listed.filter(end__lt=now).order_by("-start", "-id"))),
    ]
    context = {
        "partner": partner,
        "sections": sections,
        "has_meetings": any(rows for _, rows in sections),
        "form": form,
        "can_manage": user.can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/meetings.html", context, partial="meetings")


def _meeting(request: HttpRequest, meeting_id: int) -> Meeting:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return selectors.meeting_get(request.user, meeting_id)


def _attendees_form(meeting: Meeting, data: object = None) -> forms.AttendeesForm:
    initial = {"attendees": list(meeting.attendees.all()), "contacts": list(meeting.contacts.all())}
    return forms.AttendeesForm(data, partner=meeting.partner, initial=initial)


def _page(
    request: HttpRequest,
    meeting: Meeting,
    *,
    partial: str | None = None,
    conflict: StaleEditError | None = None,
    **posted: django_forms.Form,
) -> HttpResponse:
    """The meeting page (or its ``partial`` for HTMX), with ``posted`` forms (and their
    errors) in place of blank ones."""
    context = {
        "meeting": meeting,
        "partner": meeting.partner,
        "minutes_form": forms.MinutesForm(initial={"minutes": meeting.minutes}),
        "reason_form": forms.ReasonForm(),
        "unhold_form": forms.ReasonForm(),
        "move_form": forms.MoveForm(),
        "attach_form": forms.AttachmentForm(),
        "action_form": forms.ActionForm(partner=meeting.partner),
        "attendees_form": _attendees_form(meeting),
        "can_manage": request_user(request).can(Capability.MANAGE_GOVERNANCE),
        "today": timezone.localdate(),
        "is_cancelled": meeting.status == MeetingStatus.CANCELLED,
        "is_held": meeting.status == MeetingStatus.HELD,
        "has_started": meeting.has_started,
        # The version every form of the page was read at; after a stale save the current one,
        # so saving again is deliberate (the forms say what changed meanwhile).
        "version": conflict.current_version
        if conflict
        else _read_version(request, meeting, posted),
        **posted,
    }
    status = 409 if conflict else 200
    return render_page(request, "governance/meeting.html", context, partial=partial, status=status)


def _read_version(request: HttpRequest, meeting: Meeting, posted: Mapping[str, object]) -> int:
    """A form that failed re-renders on the version it was read at, not a newer one."""
    return (bool(posted) and posted_version(request)) or meeting.version


def _back(meeting: Meeting) -> HttpResponse:
    return redirect("governance:meeting", meeting_id=meeting.pk)


@login_required
@vary_on_headers("HX-Request")
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """One meeting: agenda, attendees, minutes, decisions, attachments and actions."""
    return _page(request, _meeting(request, meeting_id), partial="attendees")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def meeting_attendees(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Edit who attends; with HTMX the attendees section is swapped in place."""
    meeting = _meeting(request, meeting_id)
    form = _attendees_form(meeting, request.POST)
    if form.is_valid():
        try:
            meetings.meeting_update(
                actor=request_user(request),
                meeting=meeting,
                changes=form.changes(),
                expected_version=posted_version(request),
            )
        except StaleEditError as error:
            conflict_show(form, error)
            return _page(request, meeting, partial="attendees", conflict=error, attendees_form=form)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Attendees saved."))
            if not request.htmx:  # type: ignore[attr-defined]
                return _back(meeting)
            # The message travels with the swapped section (core.htmx_messages).
            saved = _meeting(request, meeting_id)
            return _page(request, saved, partial="attendees")
    return _page(request, meeting, partial="attendees", attendees_form=form)


@login_required
@require_POST
def meeting_minutes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            meetings.meeting_record(
                actor=request_user(request),
                meeting=meeting,
                minutes=form.cleaned_data["minutes"],
                decisions=form.decision_lines(),
                expected_version=posted_version(request),
            )
        except StaleEditError as error:
            conflict_show(form, error)
            return _page(request, meeting, conflict=error, minutes_form=form)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Minutes saved; the meeting counts as held."))
            return _back(meeting)
    return _page(request, meeting, minutes_form=form)


@login_required
@require_POST
def meeting_move(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Move a meeting; the new times are read as wall times in the meeting's own zone."""
    meeting = _meeting(request, meeting_id)
    form = forms.MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            meetings.meeting_move(
                actor=request_user(request),
                meeting=meeting,
                start=_in_zone(data["start"], meeting.tz_name),
                end=_in_zone(data["end"], meeting.tz_name),
                reason=data["reason"],
                expected_version=posted_version(request),
            )
        except StaleEditError as error:
            conflict_show(form, error)
            return _page(request, meeting, conflict=error, move_form=form)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Meeting moved; subscribed calendars will update."))
            return _back(meeting)
    return _page(request, meeting, move_form=form)


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            meetings.meeting_cancel(
                actor=request_user(request),
                meeting=meeting,
                reason=form.cleaned_data["reason"],
                expected_version=posted_version(request),
            )
        except StaleEditError as error:
            conflict_show(form, error)
            return _page(request, meeting, conflict=error, reason_form=form)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Meeting cancelled; subscribed calendars will drop it."))
            return _back(meeting)
    return _page(request, meeting, reason_form=form)


@login_required
@require_POST
def meeting_unhold(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Set a meeting marked held by mistake back to not held (with a reason, audited)."""
    meeting = _meeting(request, meeting_id)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        try:
            meetings.meeting_unhold(
                actor=request_user(request), meeting=meeting, reason=form.cleaned_data["reason"]
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("The meeting no longer counts as held."))
            return _back(meeting)
    return _page(request, meeting, unhold_form=form)


@login_required
@require_POST
def meeting_action_create(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Add an action item from this meeting: it is linked to the meeting, which lists it."""
    meeting = _meeting(request, meeting_id)
    form = forms.ActionForm(request.POST, partner=meeting.partner)
    if form.is_valid():
        try:
            created = actions.action_create(
                actor=request_user(request),
                partner=meeting.partner,
                meeting=meeting,
                **form.cleaned_data,
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request,
                _("Action “%(title)s” added to this meeting.") % {"title": created.action.title},
            )
            if created.warning:
                messages.warning(request, created.warning)
            return _back(meeting)
    return _page(request, meeting, action_form=form)


@login_required
@require_POST
def meeting_attach(request: HttpRequest, meeting_id: int) -> HttpResponse:
    meeting = _meeting(request, meeting_id)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            meetings.attachment_add(actor=request_user(request), meeting=meeting, file=upload)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(request, _("Attached %(name)s.") % {"name": upload.name})
            return _back(meeting)
    return _page(request, meeting, attach_form=form)


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
