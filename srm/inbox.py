"""The in-app notifications: the bell in the top bar, the inbox and the preferences page.

Everyone signed in has them. A supplier user's inbox holds only notifications shared with
their own company (core.selectors.inbox_notifications, given the partner from
partners.access); links in them point into the portal.
"""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from core.errors import FieldErrors
from core.forms import add_field_errors
from core.htmx import render_page
from core.models import Notification, User
from core.selectors import inbox_notifications, inbox_unread_count, notification_preferences
from core.services import (
    notification_mark_read,
    notification_preferences_save,
    notifications_mark_all_read,
)
from partners.access import partner_id_of_supplier
from srm.forms import InboxFilterForm, PreferencesForm

PAGE_SIZE = 25


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def notifications_for(
    user: User, *, kind: str | None = None, unread: bool = False
) -> QuerySet[Notification]:
    """The user's inbox, scoped to their own company when they are a supplier user."""
    return inbox_notifications(
        user, supplier_partner_id=partner_id_of_supplier(user), kind=kind, unread=unread
    )


def notification_get(user: User, notification_id: int) -> Notification:
    """One notification of the user's inbox; 404 for anyone else's."""
    notification = notifications_for(user).filter(pk=notification_id).first()
    if notification is None:
        raise Http404("No such notification.")
    return notification


@login_required
@require_GET
@vary_on_headers("HX-Request")
def bell(request: HttpRequest) -> HttpResponse:
    """The unread count in the top bar; the page polls it."""
    user = _user(request)
    unread = inbox_unread_count(user, supplier_partner_id=partner_id_of_supplier(user))
    return render_page(request, "srm/_bell.html", {"unread": unread})


@login_required
@require_GET
@vary_on_headers("HX-Request")
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = InboxFilterForm(request.GET, user=user)
    kind, unread = form.filters()
    page = Paginator(notifications_for(user, kind=kind, unread=unread), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"form": form, "page": page, "kind": kind or "", "unread_only": unread}
    return render_page(request, "srm/inbox.html", context, partial="notifications")


@login_required
@require_GET
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Follow a notification to where it is resolved, marking it read on the way."""
    user = _user(request)
    notification = notification_mark_read(
        actor=user, notification=notification_get(user, notification_id)
    )
    target = notification.url
    safe = target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts=None)
    return redirect(target if safe else "notifications")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = _user(request)
    notification = notification_mark_read(
        actor=user, notification=notification_get(user, notification_id)
    )
    if request.htmx:  # type: ignore[attr-defined]
        return render_page(request, "srm/inbox.html#row", {"n": notification})
    return redirect("notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    kind = request.POST.get("kind") or None
    marked = notifications_mark_all_read(actor=_user(request), kind=kind)
    messages.success(
        request,
        ngettext(
            "%(count)d notification marked read.", "%(count)d notifications marked read.", marked
        )
        % {"count": marked},
    )
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    """Per kind: by e-mail, in SRM, how far ahead; and the language and zone of e-mails."""
    user = _user(request)
    current = notification_preferences(user)
    form = PreferencesForm(request.POST or None, user=user, preferences=current)
    if request.method == "POST" and form.is_valid():
        try:
            notification_preferences_save(
                actor=user, preferences=form.preferences(), profile=form.profile()
            )
        except FieldErrors as error:
            add_field_errors(form, error)
        else:
            # A new language applies from this answer on (the message included).
            translation.activate(form.profile()["language"])
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notification-preferences")
    return render_page(request, "srm/preferences.html", {"form": form})
