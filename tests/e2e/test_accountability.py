"""Issue 11 in a real browser under the Content-Security-Policy: the partner page draws the
cumulative value chart and the survey history, an internal user and a supplier user each
answer the open health survey, and the supplier sees only its side of the ledger."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from partners.models import Partner
from scorecards.models import HealthSurvey, SurveyResponse
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import CSP_LISTENER, csp_violations, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch(page: Page) -> list[str]:
    reports: list[str] = []
    page.add_init_script(CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            reports.append(f"{message.type}: {message.text} ({page.url})")

    page.on("console", on_console)
    return reports


def _answer(page: Page, value: str) -> None:
    for name in ("trust", "communication", "joint_problem_solving", "responsiveness", "fairness"):
        page.locator(f"input[name={name}][value='{value}']").check()
    page.get_by_role("button", name="Save answers").click()


def test_charts_and_both_sides_answering(page: Page, live_server) -> None:
    seed_demo()
    reports = _watch(page)
    voltaris = Partner.objects.get(short_name="Voltaris")
    survey = HealthSurvey.objects.filter(partner=voltaris).order_by("-opens_on").first()
    assert survey is not None
    base = live_server.url
    sign_in(page, base, "marco", DEMO_PASSWORD)
    # Value and ledger are on the partner page's Value tab, the surveys beside the scorecards.
    for tab, selector in (
        ("value", "canvas[data-value-chart]"),
        ("scorecards", "canvas[data-survey-chart]"),
    ):
        page.goto(f"{base}/partners/{voltaris.pk}/?tab={tab}")
        page.wait_for_load_state("networkidle")
        expect(page.locator(selector)).to_have_attribute("height", re.compile(r"^\d+$"))
        if tab == "value":
            expect(page.locator("#ledger-panel")).to_contain_text("Tooling rework")
        screenshot(page, f"accountability-partner-page-{tab}")
    page.goto(f"{base}/scorecards/surveys/{survey.pk}/")
    _answer(page, "4")
    expect(page.locator("[data-testid=buyer-score]")).not_to_have_text("—")
    page.goto(f"{base}/dashboard/")
    expect(page.locator("#accountability-figures")).to_be_visible()
    assert csp_violations(page) == []

    page.context.clear_cookies()
    sign_in(page, base, "lena", DEMO_PASSWORD)
    page.goto(f"{base}/scorecards/portal/surveys/")
    expect(page.locator("#portal-ledger").first).to_contain_text("your share")
    expect(page.locator("body")).not_to_contain_text("Internal:")
    page.get_by_role("link", name=re.compile("answer now|change your answers")).first.click()
    _answer(page, "3")
    expect(page.locator("#portal-surveys")).to_contain_text("change your answers")
    screenshot(page, "accountability-portal-surveys")
    assert SurveyResponse.objects.filter(survey=survey, side="supplier").exists()
    assert csp_violations(page) == []
    assert reports == []
