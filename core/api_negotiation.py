"""Which API responses may be DRF's browsable HTML page.

The browsable API is a developer convenience that renders forms, filter choices and raw JSON as
a web page. It is offered only to internal users, and only where ``SRM_BROWSABLE_API`` enables
it (off by default in production, on in the demo and tests). Everyone else who asks for HTML —
a supplier's browser opening an API URL, ``?format=api`` — gets the JSON the API would answer
anyway, so there is one place that decides and no view has to remember.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.http import Http404
from rest_framework.exceptions import NotAcceptable
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer, BrowsableAPIRenderer
from rest_framework.request import Request

from core.models import User
from core.roles import Capability


def browsable_api_allowed(user: Any) -> bool:
    """Whether ``user`` may see the browsable API: enabled by setting, internal users only."""
    if not getattr(settings, "SRM_BROWSABLE_API", False):
        return False
    return isinstance(user, User) and user.can(Capability.VIEW_PORTFOLIO)


class ApiContentNegotiation(DefaultContentNegotiation):
    """DRF's negotiation, with the browsable renderer withheld from who may not use it."""

    def select_renderer(
        self,
        request: Request,
        renderers: Iterable[BaseRenderer],
        format_suffix: str | None = None,
    ) -> tuple[BaseRenderer, str]:
        renderers = list(renderers)
        renderer, media_type = super().select_renderer(request, renderers, format_suffix)
        if not isinstance(renderer, BrowsableAPIRenderer):
            return renderer, media_type
        # Reading the user authenticates the request; a bad token raises its 401 here.
        if browsable_api_allowed(request.user):
            return renderer, media_type
        plain = [r for r in renderers if not isinstance(r, BrowsableAPIRenderer)]
        if not plain:
            raise NotAcceptable()
        try:
            chosen, chosen_type = super().select_renderer(request, plain, plain[0].format)
        except (NotAcceptable, Http404):
            return plain[0], str(plain[0].media_type)
        return chosen, str(chosen_type)
