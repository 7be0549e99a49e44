"""The German journeys of issue 14 in a real browser: a supplier switches to German with the
top bar's switcher and reads its scorecard; a manager who works in German opens a partner, jumps
to governance and downloads the QBR pack as a PDF in German. The English journeys are in
test_partner_journey.py. Screenshots go to test-results/screenshots/supplier-german-*.png and
journey-de-*.png."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from core.models import User
from core.roles import Role
from tests.e2e.conftest import screenshot, sign_in
from tests.e2e.test_partner_journey import _partnership
from tests.factories import PASSWORD, UserFactory, supplier_user

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_supplier_switches_to_german_and_reads_its_scorecard(page: Page, live_server) -> None:
    partner = _partnership()
    supplier = supplier_user(partner, "lena-e2e")
    sign_in(page, live_server.url, "lena-e2e", PASSWORD)
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name="My company")).to_be_visible()
    expect(page.get_by_test_id("latest-score")).to_have_text("69.5")

    # The switcher in the portal's top bar: the same page comes back, in German.
    page.get_by_test_id("language-de").click()
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert page.url.rstrip("/").endswith("/portal")
    expect(header.get_by_role("link", name="Mein Unternehmen")).to_be_visible()
    expect(header.get_by_role("link", name="Aufgaben")).to_be_visible()
    expect(header.get_by_role("button", name="Abmelden")).to_be_visible()
    expect(page.get_by_role("heading", name="Ihre Scorecard")).to_be_visible()
    expect(page.get_by_test_id("latest-score")).to_have_text("69,5")  # German decimal comma
    expect(page.get_by_test_id("language-de")).to_be_disabled()
    screenshot(page, "supplier-german-1-portal")
    supplier.refresh_from_db()
    assert supplier.language == "de"  # kept for the next visit and for e-mails

    # Its scorecard page, from the German navigation.
    header.get_by_role("link", name="Scorecard", exact=True).click()
    expect(page).to_have_url(re.compile(r"/scorecards/portal/"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(header.get_by_role("link", name="Mein Unternehmen")).to_be_visible()
    expect(page.locator("nav ul.periods")).to_contain_text("2026-Q4")
    screenshot(page, "supplier-german-2-scorecard")

    # And back to English the same way.
    page.get_by_test_id("language-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(header.get_by_role("link", name="My company")).to_be_visible()


def test_a_german_manager_jumps_to_governance_and_downloads_the_qbr_pack(
    page: Page, live_server
) -> None:
    UserFactory(username="priya-de", role=Role.PROCUREMENT_MANAGER)
    User.objects.filter(username="priya-de").update(language="de")
    partner = _partnership()
    sign_in(page, live_server.url, "priya-de", PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(
        page.locator("header.site-header").get_by_role("link", name="Arbeitsbereich")
    ).to_be_visible()

    page.get_by_test_id("top-search").fill("Volta")
    result = page.locator("#top-search-results").get_by_role("link", name="Voltaris")
    expect(result).to_be_visible()
    result.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Voltaris")
    expect(page.get_by_role("tab", name="Überblick")).to_have_attribute("aria-selected", "true")

    page.get_by_role("tab", name="Governance").click()
    expect(page.locator("#governance-panel")).to_be_visible()
    assert page.url.endswith(f"/partners/{partner.pk}/?tab=governance")
    screenshot(page, "journey-de-1-governance-tab")

    page.get_by_test_id("next-meeting-pack").first.click()
    pack = page.get_by_test_id("qbr-pack")
    expect(pack).to_contain_text("Letzte Bewertung")
    expect(pack).to_contain_text("Qualify the second cathode line by March")
    screenshot(page, "journey-de-2-qbr-pack")
    with page.expect_download() as download_info:
        page.get_by_test_id("pack-pdf").click()
    download = download_info.value
    assert download.suggested_filename.startswith("qbr-pack-voltaris-")
    assert download.suggested_filename.endswith(".pdf")
    data = download.path().read_bytes()
    assert data.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "Voltaris Battery Cells GmbH" in text
    assert "Letzte Bewertung" in text  # the PDF is rendered in the manager's language
    assert "Qualify the second cathode line by March" in text
