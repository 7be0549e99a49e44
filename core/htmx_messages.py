"""Flash messages in HTMX responses: a partial swapped into a page does not render the base
layout, so a "Saved" queued while answering it would wait for the next full page. This
middleware appends the messages region as an out-of-band swap (``hx-swap-oob``) to every
HTMX HTML answer that does not carry it already, so the message shows with the swap."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


class HtmxMessagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.headers.get("HX-Request") != "true"
            or "HX-Redirect" in response
            or "HX-Location" in response
            or response.streaming
            or response.status_code != 200
            or "text/html" not in response.get("Content-Type", "")
            or b'id="messages"' in response.content
        ):
            return response
        queued = list(get_messages(request))
        if queued:
            region = render_to_string("_messages.html", {"messages": queued, "oob": True})
            response.content = response.content + region.encode(response.charset or "utf-8")
        return response
