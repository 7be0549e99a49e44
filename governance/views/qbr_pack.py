"""The QBR pack of a meeting: a page that prints cleanly on A4, and the same pack as a PDF
rendered by WeasyPrint. Internal users only (it holds escalations and compliance)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.timezone import localtime

from core.roles import Capability
from governance.selectors_qbr import pack_meeting_get, qbr_pack_context
from governance.views.common import request_user
from partners.access import require_capability

STYLESHEETS = ("css/qbr-pack.css",)


@login_required
def meeting_pack(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The pack on screen; the browser's print uses the print stylesheet."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    meeting = pack_meeting_get(request_user(request), meeting_id)
    context = qbr_pack_context(request.user, meeting)
    return HttpResponse(render_to_string("governance/qbr_pack.html", context, request=request))


def render_pack_pdf(html: str, base_url: str) -> bytes:
    """HTML to PDF with the pack's stylesheet (A4 pages, page breaks, running footer).

    The PDF is made from our template and stylesheet alone: the fetcher allows no protocol,
    so nothing a partner typed can make the server request a URL or read a file."""
    # WeasyPrint loads Pango when imported; only the PDF download needs it, so the rest of
    # the app starts on machines without it.
    from weasyprint import CSS, HTML, URLFetcher

    fetcher = URLFetcher(allowed_protocols=())
    stylesheets = [CSS(filename=finders.find(path), url_fetcher=fetcher) for path in STYLESHEETS]
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    pdf: bytes = document.write_pdf(stylesheets=stylesheets)
    return pdf


@login_required
def meeting_pack_pdf(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The pack as a PDF download."""
    require_capability(request.user, Capability.VIEW_PORTFOLIO)
    meeting = pack_meeting_get(request_user(request), meeting_id)
    context = qbr_pack_context(request.user, meeting)
    html = render_to_string("governance/qbr_pack_pdf.html", context, request=request)
    pdf = render_pack_pdf(html, request.build_absolute_uri("/"))
    day = localtime(meeting.start).date().isoformat()
    name = f"qbr-pack-{slugify(meeting.partner.short_name)}-{day}.pdf"
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
