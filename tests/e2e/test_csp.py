"""The main pages work under the Content-Security-Policy in a real browser: nothing is
blocked (no violation event, no error in the console), charts draw and HTMX still swaps."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from core.models import User
from partners.models import Partner
from scorecards.models import Scorecard
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import CSP_LISTENER, csp_violations, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch(page: Page) -> list[str]:
    reports: list[str] = []
    page.add_init_script(CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        # CSP reports, and any other script error (htmx refusing to eval, a missing file).
        if message.type == "error" or "Content Security Policy" in message.text:
            reports.append(f"{message.type}: {message.text} ({page.url})")

    page.on("console", on_console)
    return reports


def _visit(page: Page, url: str, reports: list[str], name: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    assert "default-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    screenshot(page, f"csp-{name}")
    assert csp_violations(page) == [], url
    assert reports == [], url


def test_internal_pages_run_under_the_policy(page: Page, live_server) -> None:
    seed_demo()
    reports = _watch(page)
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    base = live_server.url
    voltaris = Partner.objects.get(short_name="Voltaris")
    scorecard = Scorecard.objects.filter(partner=voltaris).first()
    assert scorecard is not None
    pages = {
        "workspace": "/workspace/",
        "partners": "/partners/",
        "partner-page": f"/partners/{voltaris.pk}/?tab=scorecards",
        "kraljic-matrix": "/partners/matrix/",
        "dashboard": "/dashboard/",
        "scorecard": f"/scorecards/{scorecard.pk}/",
        "governance": f"/governance/partners/{voltaris.pk}/",
        "lessons": "/governance/lessons/",
        "account": "/account/",
        "api-docs": "/api/docs/",
    }
    for name, path in pages.items():
        _visit(page, base + path, reports, name)
        if name in {"kraljic-matrix", "scorecard", "partner-page"}:
            # Chart.js drew on its canvas (it sets the canvas size when it renders).
            canvas = page.locator("canvas").first
            expect(canvas).to_have_attribute("height", re.compile(r"^\d+$"))
        if name == "api-docs":
            expect(page.locator(".swagger-ui .info .title")).to_contain_text("SRM API")

    # HTMX swaps without eval: the partner search narrows the list in place.
    page.goto(f"{base}/partners/")
    page.get_by_role("searchbox", name="Search partners").fill("volt")
    expect(page.locator("#results tbody tr")).to_have_count(1)
    # A data-submit-on-change select (was an inline onchange) still submits its form.
    page.goto(f"{base}/scorecards/templates/edit/")
    select = page.locator("select[name=from]")
    select.select_option(index=1)
    expect(page).to_have_url(re.compile(r"\?from=\d+"))
    assert csp_violations(page) == []
    assert reports == []


def test_portal_and_admin_pages_run_under_the_policy(page: Page, live_server) -> None:
    seed_demo()
    reports = _watch(page)
    sign_in(page, live_server.url, "lena", DEMO_PASSWORD)
    for name, path in {
        "portal": "/portal/",
        "portal-scorecard": "/scorecards/portal/",
        "portal-meetings": "/governance/portal/meetings/",
    }.items():
        _visit(page, live_server.url + path, reports, name)
    page.context.clear_cookies()
    sign_in(page, live_server.url, "admin", DEMO_PASSWORD)
    for name, path in {
        "admin-index": "/admin/",
        "admin-users": "/admin/core/user/",
        "admin-user": f"/admin/core/user/{User.objects.get(username='admin').pk}/change/",
    }.items():
        _visit(page, live_server.url + path, reports, name)
