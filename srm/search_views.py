"""The global search: the top bar's dropdown (HTMX) and the results page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.vary import vary_on_headers

from core.htmx import render_page
from srm.search import DROPDOWN_LIMIT, MIN_QUERY, PAGE_LIMIT, clean_query, global_search


@login_required
@vary_on_headers("HX-Request")
def search(request: HttpRequest) -> HttpResponse:
    """``?q=`` across partners, meetings, actions, lessons and plans the user may see; the
    top bar asks with HTMX for the dropdown, Enter opens the full page."""
    query = clean_query(request.GET.get("q", ""))
    dropdown = bool(getattr(request, "htmx", False))
    sections = global_search(request.user, query, limit=DROPDOWN_LIMIT if dropdown else PAGE_LIMIT)
    context = {
        "query": query,
        "sections": sections,
        "too_short": 0 < len(query) < MIN_QUERY,
        "min_query": MIN_QUERY,
    }
    return render_page(request, "srm/search.html", context, partial="dropdown")
