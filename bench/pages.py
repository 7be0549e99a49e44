"""The pages the benchmark measures, who reads each, and their SQL query counts.

``python -m bench.pages`` (with DATABASE_URL naming a generated portfolio) prints, as JSON,
every page with its URL, the user it is read as, and the status, query count, size and time
of one warm request through Django's test client (the fastest of five, and their median).
``python -m bench.pages NAME-OR-URL …`` measures only the pages named. The runner calls it
for the 10 % and the 100 % database and loads the same URLs through gunicorn.
"""

from __future__ import annotations

import json
import os
import statistics
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
    seconds: float  # the fastest of REPEAT warm requests
    median_seconds: float


REPEAT = 5
_clients: dict[str, Any] = {}


def _client(username: str) -> Any:
    """One signed-in test client per user, kept: a new client builds a new handler, and
    loading the middleware (WhiteNoise indexes every static file) costs 0.2-0.5 s, which
    is no page's cost."""
    from django.test import Client

    from core.models import User

    if username not in _clients:
        client = Client()
        client.force_login(User.objects.get(username=username))
        _clients[username] = client
    return _clients[username]


def measure(page: Page, *, repeat: int = REPEAT) -> Measured:
    """``page`` as its user through the test client: one warm-up request (compiled templates,
    lazily imported modules), then ``repeat`` timed ones; the queries of the last counted."""
    # Only with Django set up (see pages()).
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = _client(page.user)
    client.get(page.url, HTTP_ACCEPT=page.accept)
    timings = []
    for _ in range(max(1, repeat)):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(page.url, HTTP_ACCEPT=page.accept)
            timings.append(time.perf_counter() - started)
    return Measured(
        name=page.name,
        url=page.url,
        user=page.user,
        accept=page.accept,
        status=response.status_code,
        queries=len(queries.captured_queries),
        bytes=len(response.content),
        seconds=round(min(timings), 4),
        median_seconds=round(statistics.median(timings), 4),
    )


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    import django

    django.setup()
    results: list[dict[str, Any]] = []
    for page in pages():
        if argv and not any(word in (page.name, page.url) for word in argv):
            continue
        results.append(asdict(measure(page)))
    json.dump(results, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
