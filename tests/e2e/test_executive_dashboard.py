"""Issue 14 in a real browser: an executive opens the dashboard, sees the score distributions
drawn as charts and a trend per partner at risk, and filters to one quadrant; in English and
in German. The filter swaps the dashboard's body over HTMX and the address keeps it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from core.models import User
from governance.models import PartnerRiskSignals
from partners.models import Partner
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import CSP_LISTENER, csp_violations, screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# German text from the dashboard's own templates (locale/de/LC_MESSAGES/django.po).
TEXT = {
    "en": {"health": "Portfolio health", "by_quadrant": "By Kraljic quadrant", "decimal": "."},
    "de": {
        "health": "Zustand des Portfolios",
        "by_quadrant": "Nach Kraljic-Quadrant",
        "decimal": ",",
    },
}


def _watch(page: Page) -> list[str]:
    reports: list[str] = []
    page.add_init_script(CSP_LISTENER)

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            reports.append(f"{message.type}: {message.text} ({page.url})")

    page.on("console", on_console)
    return reports


@pytest.mark.parametrize("language", ["en", "de"])
def test_an_executive_filters_the_dashboard_to_one_quadrant(
    page: Page, live_server, language: str
) -> None:
    seed_demo()
    text = TEXT[language]
    reports = _watch(page)
    base = live_server.url
    sign_in(page, base, "helena", DEMO_PASSWORD)
    if language == "de":
        User.objects.filter(username="helena").update(language="de")
        page.set_extra_http_headers({"Accept-Language": "de-DE,de;q=0.9"})
    page.goto(f"{base}/dashboard/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("#health-heading")).to_have_text(text["health"])
    expect(page.locator("#dist-quadrant h3")).to_have_text(text["by_quadrant"])

    # The charts are drawn from the JSON; their tables wait behind a button on screen.
    quadrant_chart = page.locator("#dist-quadrant svg.distribution-svg")
    expect(quadrant_chart).to_be_visible()
    expect(page.locator("#dist-quadrant table.distribution-table")).to_be_hidden()
    assert quadrant_chart.locator("g.distribution-row").count() >= 2
    # An average in the chart is written as the reader's language writes it.
    averages = quadrant_chart.locator("text.distribution-total", has_text="⌀").all_text_contents()
    assert averages and all(
        re.search(rf"⌀ \d+{re.escape(text['decimal'])}\d$", a) for a in averages
    ), averages
    # Each partner at risk shows its score trend.
    expect(page.locator("#at-risk td.trend svg.sparkline").first).to_be_visible()
    screenshot(page, f"executive-dashboard-{language}")

    strategic = set(
        Partner.objects.filter(quadrant="strategic").values_list("short_name", flat=True)
    )
    at_risk_elsewhere = set(
        PartnerRiskSignals.objects.filter(at_risk=True)
        .exclude(partner__quadrant="strategic")
        .values_list("partner__short_name", flat=True)
    )
    page.locator("#id_quadrant").select_option("strategic")
    expect(page).to_have_url(re.compile(r"/dashboard/\?quadrant=strategic$"))
    rows = page.locator("#dist-quadrant tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-group", "strategic")
    expect(page.locator("[data-testid=partner-count]")).to_have_text(str(len(strategic)))
    # The swapped body is drawn again: one bar, the strategic quadrant's.
    expect(quadrant_chart.locator("g.distribution-row")).to_have_count(1)
    names = set(page.locator("#at-risk tbody tr td:first-child a").all_inner_texts())
    assert names <= strategic, names - strategic
    assert not names & at_risk_elsewhere
    expect(page.locator("#kraljic-chart")).to_be_visible()
    screenshot(page, f"executive-dashboard-strategic-{language}")

    # On paper: no filter form, and the figures print as tables under the charts.
    page.emulate_media(media="print")
    expect(page.locator("#dashboard-filters")).to_be_hidden()
    expect(page.locator("#dist-quadrant table.distribution-table")).to_be_visible()
    screenshot(page, f"executive-dashboard-print-{language}")
    page.emulate_media(media="screen")

    # The address keeps the filter: opening it again shows the same selection.
    page.reload()
    expect(page.locator("#id_quadrant")).to_have_value("strategic")
    expect(page.locator("#dist-quadrant tbody tr")).to_have_count(1)
    assert csp_violations(page) == []
    assert reports == []
