"""My calendar page (upcoming meetings, secret feed URLs) and the subscribable feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.htmx import render_page
from governance import selectors
from governance.services import calendar as calendars
from governance.views.common import request_user
from partners.access import access_partner


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """My upcoming meetings and my secret feed URL (mine, or one partnership's with
    ``?partner=``); posting issues a new URL."""
    user = request_user(request)
    partner = access_partner(user, request.GET["partner"]) if request.GET.get("partner") else None
    feed = calendars.calendar_feed_for(actor=user, partner=partner)
    if request.method == "POST":
        feed = calendars.calendar_feed_revoke(actor=user, feed=feed)
        messages.success(request, _("New calendar URL issued; the old one no longer works."))
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
    calendar_feed = selectors.feed_by_token(token)
    if calendar_feed is None:
        raise Http404("No such calendar.")
    response = HttpResponse(
        selectors.feed_ics(calendar_feed), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=900"
    return response
