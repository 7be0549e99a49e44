"""Where a partner form returns after saving: the partner page, at the tab it was opened from.

The partner page's links to the record's forms carry the open tab (``?tab=risk``); the form
keeps it in its address, and the save returns there instead of to the overview. Only a tab
name (lower-case letters, digits, ``-``, ``_``) is taken, and only as that query parameter of
the partner page, so the parameter cannot send anyone elsewhere.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from partners.models import Partner

TAB_NAME = re.compile(r"[a-z][a-z0-9_-]{0,39}")


def partner_page_url(request: HttpRequest, partner: Partner) -> str:
    """The partner page, at the tab named by the request's ``tab`` parameter if any."""
    url = reverse("partner-page", args=[partner.pk])
    tab = request.GET.get("tab", "")
    if TAB_NAME.fullmatch(tab):
        return f"{url}?{urlencode({'tab': tab})}"
    return url
