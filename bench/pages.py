"""The pages the benchmark measures, who reads each, and their SQL query counts.

``python -m bench.pages`` (with DATABASE_URL naming a generated portfolio) prints, as JSON,
every page with its URL, the user it is read as, and the status, query count, size and time
of one request through Django's test client. The runner calls it for the 10 % and the 100 %
database and loads the same URLs through gunicorn.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

from bench.users import EXECUTIVE, MANAGER, SUPPLIER

API_ACCEPT = "application/json"
PAGE_ACCEPT = "text/html"


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    user: str
    accept: str = PAGE_ACCEPT


def pages() -> list[Page]:
    """The baseline, the pages of issue 12 and every API list the router serves."""
    # Django must be set up by the caller; these read the URLconf and the generated users.
    from partners.models import PartnerUser
    from srm.urls import router

    partner_id = PartnerUser.objects.get(user__username=SUPPLIER).partner_id
    listed = [
        Page("baseline /healthz", "/healthz", MANAGER, API_ACCEPT),
        Page("executive dashboard", "/dashboard/", EXECUTIVE),
        Page("workspace", "/workspace/", MANAGER),
        Page("partner list", "/partners/", MANAGER),
        Page("partner page", f"/partners/{partner_id}/", MANAGER),
        Page("scorecard list", "/scorecards/", MANAGER),
        Page("Kraljic matrix", "/partners/matrix/", MANAGER),
        Page("portal home (supplier)", "/portal/", SUPPLIER),
    ]
    for prefix, viewset, _basename in router.registry:
        if hasattr(viewset, "list"):
            listed.append(Page(f"API {prefix}", f"/api/v1/{prefix}/", MANAGER, API_ACCEPT))
    return listed


@dataclass
class Measured:
    name: str
    url: str
    user: str
    accept: str
    status: int
    queries: int
    bytes: int
    seconds: float


def measure(page: Page) -> Measured:
    """One request of ``page`` as its user through the test client, its queries counted."""
    # Only with Django set up (see pages()).
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.models import User

    client = Client()
    client.force_login(User.objects.get(username=page.user))
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(page.url, HTTP_ACCEPT=page.accept)
        elapsed = time.perf_counter() - started
    return Measured(
        name=page.name,
        url=page.url,
        user=page.user,
        accept=page.accept,
        status=response.status_code,
        queries=len(queries.captured_queries),
        bytes=len(response.content),
        seconds=round(elapsed, 4),
    )


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    import django

    django.setup()
    results: list[dict[str, Any]] = []
    listed = pages()
    measure(listed[0])  # the first request pays for imports; not a page's cost
    for page in listed:
        results.append(asdict(measure(page)))
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
