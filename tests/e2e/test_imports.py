"""A large import in a real browser (issue 12): upload, the worker's check with the page
polling, the preview, the confirmation and the outcome."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from partners.models import Partner
from srm.demo import DEMO_PASSWORD, seed_demo
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CSV = b"legal_name,short_name,country,spend_year,spend_category,spend_amount\n" + b"".join(
    f"Browser Import {n:03d} AG,BI{n},CH,2026,magnets,{1000 + n}\n".encode() for n in range(300)
)


def test_upload_progress_preview_and_confirm_in_the_browser(
    page: Page, live_server, celery_worker_process, settings
) -> None:
    settings.SRM_IMPORT_INLINE_MAX_BYTES = 0  # every file goes through a job
    seed_demo()
    sign_in(page, live_server.url, "priya", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/partners/import/")
    page.get_by_label("File").set_input_files(
        {"name": "partners.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Check and import").click()
    expect(page).to_have_url(re.compile(r"/imports/\d+/$"))
    status = page.locator("#import-status")
    expect(status).to_contain_text("300 rows checked: no errors.", timeout=60_000)
    expect(status).to_contain_text("300 new partner(s), 0 updated, 300 spend line(s)")
    screenshot(page, "import-preview")
    assert not Partner.objects.filter(legal_name__startswith="Browser Import").exists()
    page.get_by_role("button", name="Import now").click()
    expect(status).to_contain_text("Imported: 300 new partner(s)", timeout=60_000)
    screenshot(page, "import-done")
    assert Partner.objects.filter(legal_name__startswith="Browser Import").count() == 300
