"""A partnership's action items: the list with the form to add one, and status changes."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from core.concurrency import StaleEditError
from core.errors import FieldErrors
from core.forms import add_field_errors, conflict_message, posted_version
from core.htmx import render_page
from core.roles import Capability
from governance import forms, selectors
from governance.escalation import ActionStatus, action_is_overdue
from governance.services import actions
from governance.views.common import internal_partner, internal_record, request_user


@login_required
@vary_on_headers("HX-Request")
def partner_actions(request: HttpRequest, partner_id: int) -> HttpResponse:
    """Action items of a partnership (overdue ones marked), and the form to add one."""
    partner = internal_partner(request, partner_id)
    user = request_user(request)
    form = forms.ActionForm(request.POST or None, partner=partner)
    if request.method == "POST" and form.is_valid():
        try:
            created = actions.action_create(actor=user, partner=partner, **form.cleaned_data)
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            messages.success(
                request, _("Action “%(title)s” added.") % {"title": created.action.title}
            )
            if created.warning:
                messages.warning(request, created.warning)
            return redirect("governance:actions", partner_id=partner.pk)
    today = timezone.localdate()
    context = {
        "partner": partner,
        "actions": [
            (a, action_is_overdue(a.due_date, a.status, today))
            for a in selectors.action_list(user, partner)
        ],
        "form": form,
        "status_form": forms.ActionStatusForm(),
        "can_manage": user.can(Capability.MANAGE_GOVERNANCE),
    }
    return render_page(request, "governance/actions.html", context, partial="actions")


@login_required
@require_POST
def action_status(request: HttpRequest, action_id: int) -> HttpResponse:
    """Change an action's status (internal users; suppliers use the portal)."""
    action = internal_record(request, selectors.actions_visible_to(request.user), action_id)
    form = forms.ActionStatusForm(request.POST)
    if form.is_valid():
        status = form.cleaned_data["status"]
        try:
            actions.action_update(
                actor=request_user(request),
                action=action,
                changes={"status": status},
                expected_version=posted_version(request),
            )
        except StaleEditError as error:
            shown = ActionStatus(status).label
            messages.error(
                request, conflict_message(error, _("status %(status)s") % {"status": shown})
            )
        else:
            messages.success(
                request,
                _("Status of “%(title)s”: %(status)s.")
                % {"title": action.title, "status": ActionStatus(status).label},
            )
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect("governance:actions", partner_id=action.partner_id)
