"""Partner pages. The partner page itself is composed in srm.partner_page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.vary import vary_on_headers

from partners.access import require_capability
from partners.selectors import partner_list
from srm.core.htmx import render_page
from srm.core.roles import Capability


@login_required
@vary_on_headers("HX-Request")
def partner_list_view(request: HttpRequest) -> HttpResponse:
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    partners = partner_list(request.user).order_by("short_name")
    query = request.GET.get("q", "").strip()
    if query:
        partners = partners.filter(short_name__icontains=query) | partners.filter(
            legal_name__icontains=query
        )
    page = Paginator(partners, 25).get_page(request.GET.get("page"))
    return render_page(request, "partners/list.html", {"page": page, "q": query}, partial="results")
