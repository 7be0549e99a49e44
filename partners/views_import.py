"""The partner import pages: partners with spend, and supplier contacts (core.importing).

A small file is checked and written at once (all rows or none); a larger one becomes a job
with a progress bar and a preview before anything is written (core.import_views)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.vary import vary_on_headers

from core.htmx import render_page
from core.import_forms import ImportFileForm
from core.import_views import import_upload
from core.importing import ImportOutcome, spec_for
from core.roles import Capability
from partners.access import require_capability
from partners.importing import CONTACT_COLUMNS, CONTACTS, PARTNER_COLUMNS, PARTNERS


def _page(
    request: HttpRequest, *, kind: str, template: str, columns: tuple[str, ...]
) -> HttpResponse:
    require_capability(request.user, Capability.EDIT_PARTNERS)
    form = ImportFileForm(request.POST or None, request.FILES or None)
    result: ImportOutcome | None = None
    if request.method == "POST" and form.is_valid():
        outcome = import_upload(request, kind=kind, params={}, upload=form.cleaned_data["file"])
        if isinstance(outcome, HttpResponse):
            return outcome
        result = outcome
    summary = spec_for(kind).describe(result.counts) if result and result.written else ""
    context = {"form": form, "result": result, "columns": columns, "summary": summary}
    return render_page(request, template, context, partial="outcome")


@login_required
@vary_on_headers("HX-Request")
def partner_import_view(request: HttpRequest) -> HttpResponse:
    """Upload partners and spend; every row is checked and nothing is written on any error."""
    return _page(
        request, kind=PARTNERS.kind, template="partners/import.html", columns=PARTNER_COLUMNS
    )


@login_required
@vary_on_headers("HX-Request")
def contact_import_view(request: HttpRequest) -> HttpResponse:
    """Upload supplier contacts of existing partners; all rows or none."""
    return _page(
        request,
        kind=CONTACTS.kind,
        template="partners/import_contacts.html",
        columns=CONTACT_COLUMNS,
    )
