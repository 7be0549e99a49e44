"""Download a partnership export (partner page, portal, API) and import one (administrators).

Internal users get the internal view of any partner they see; a supplier user gets the shared
view of its own company only (another partner's id answers 404, like every other URL).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import FieldErrors
from core.htmx import render_page
from core.models import User
from core.roles import Capability
from partners.access import access_partner, require_capability, supplier_partner
from partners.models import Partner
from srm.forms import PartnershipImportForm
from srm.partnership_export import (
    FORMAT_VERSION,
    INTERNAL,
    SHARED,
    can_export_internal,
    export_filename,
    partnership_export,
)
from srm.partnership_import import parse_file, partnership_import

MAX_IMPORT_BYTES = 50 * 1024 * 1024


def _download(partner: Partner, view: str) -> HttpResponse:
    data = partnership_export(partner, view=view)
    response = HttpResponse(
        json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(partner, data)}"'
    return response


@login_required
def partner_export_download(request: HttpRequest, partner_id: int) -> HttpResponse:
    """The internal view, from the partner page."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    return _download(access_partner(request.user, partner_id), INTERNAL)


@login_required
def portal_export_download(request: HttpRequest) -> HttpResponse:
    """The supplier's shared view of its own company, from the portal."""
    return _download(supplier_partner(request.user), SHARED)


class PartnershipExportView(APIView):
    """``GET /api/v1/partners/{id}/export/``: the partnership as one JSON document."""

    @extend_schema(
        operation_id="partners_partnership_export",
        summary="Export one whole partnership",
        description=(
            "The versioned JSON export (format_version 1; JSON Schema in "
            "srm/schemas/). Internal users get the internal view; a supplier user the "
            "shared view of its own company. Another partner answers 404."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The export."),
            404: OpenApiResponse(description="No such partner, or one you may not see."),
        },
        tags=["partners"],
    )
    def get(self, request: Request, partner_id: int) -> Response:
        user = request.user
        partner = access_partner(user, partner_id)
        view = INTERNAL if can_export_internal(user) else SHARED
        if view == SHARED:
            require_capability(user, Capability.USE_PORTAL)
        data = partnership_export(partner, view=view)
        response = Response(data)
        response["Content-Disposition"] = f'attachment; filename="{export_filename(partner, data)}"'
        return response


@login_required
@require_http_methods(["GET", "POST"])
def partnership_import_page(request: HttpRequest) -> HttpResponse:
    """Upload an export → check it → create the partnership, all or nothing."""
    require_capability(request.user, Capability.ADMINISTER)
    form = PartnershipImportForm(request.POST or None, request.FILES or None)
    errors: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > MAX_IMPORT_BYTES:
                raise FieldErrors({"file": _("The file is larger than 50 MB.")})
            actor = request.user
            assert isinstance(actor, User)
            partner = partnership_import(actor=actor, data=parse_file(upload.read()))
        except FieldErrors as exc:
            errors = [(path, m) for path, texts in exc.errors.items() for m in texts]
        else:
            messages.success(
                request, _("Imported the partnership with %(partner)s.") % {"partner": partner}
            )
            return redirect("partner-page", partner_id=partner.pk)
    context = {"form": form, "errors": errors, "format_version": FORMAT_VERSION}
    return render_page(request, "srm/partnership_import.html", context)
