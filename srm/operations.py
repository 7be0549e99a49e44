"""The operations page for administrators: the outbox at a glance, and the same figures as
JSON for monitoring (``/operations/outbox.json``, readyz-style: 200 ok, 503 degraded)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from core.htmx import render_page
from core.models import User
from core.outbox import outbox_stats
from core.roles import Capability
from core.selectors import outbox_failed
from core.services import outbox_discard, outbox_retry
from partners.access import require_capability


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("message") if v.isdigit()][:500]


@login_required
@require_GET
def outbox_page(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.ADMINISTER)
    context = {"stats": outbox_stats(), "failed": list(outbox_failed())}
    return render_page(request, "srm/operations.html", context)


@login_required
@require_POST
def outbox_retry_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.ADMINISTER)
    ids = _ids(request)
    if request.POST.get("all"):
        ids = list(outbox_failed(limit=500).values_list("pk", flat=True))
    retried = outbox_retry(actor=request.user, message_ids=ids)  # type: ignore[arg-type]
    messages.success(
        request,
        ngettext(
            "%(count)d item will be sent again.", "%(count)d items will be sent again.", retried
        )
        % {"count": retried},
    )
    return redirect("operations-outbox")


@login_required
@require_POST
def outbox_discard_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.ADMINISTER)
    discarded = outbox_discard(actor=request.user, message_ids=_ids(request))  # type: ignore[arg-type]
    messages.success(
        request,
        ngettext("%(count)d item discarded.", "%(count)d items discarded.", discarded)
        % {"count": discarded},
    )
    return redirect("operations-outbox")


def _monitor_allowed(request: HttpRequest) -> bool:
    user = request.user
    if isinstance(user, User) and user.is_authenticated and user.can(Capability.ADMINISTER):
        return True
    token = settings.SRM_MONITORING_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


@never_cache
@require_GET
def outbox_json(request: HttpRequest) -> JsonResponse:
    """Outbox counts by channel and state, oldest pending age and failures, for monitoring:
    an administrator's session or ``Authorization: Bearer $SRM_MONITORING_TOKEN``."""
    if not _monitor_allowed(request):
        return JsonResponse(
            {"detail": "Sign in as an administrator or send the token."}, status=403
        )
    stats = outbox_stats()
    return JsonResponse(stats, status=200 if stats["status"] == "ok" else 503)
