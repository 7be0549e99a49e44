"""The 10,000-row import benchmark: its files, the end-to-end measurement, the clean-up.

``python -m bench.imports build DIR ROWS`` writes ``partners.xlsx`` (new partners with four
years of spend each, ROWS rows) and ``measurements.xlsx`` (ROWS buyer values for the open
quarter of the supplier's partner's scorecard) and prints, as JSON, the scorecard the
measurements are for. ``python -m bench.imports clean`` removes what an import wrote, so the
generated database stays as generated.

``python -m bench.imports measure [ROWS]`` (default 10,000) times both files end to end, as a
user goes through it, in the generated database ``DATABASE_URL`` names: the upload through
the import page (Django's test client, signed in as the manager), the check by one Celery
worker (solo pool, started here, on ``REDIS_URL``) until the page shows the preview, the
confirmation, and the write until the page shows the outcome. It cleans up after itself and
prints one JSON line (the last) with the seconds of each step.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "Bench import "
COMMENT = "bench import"


def build(folder: Path, rows: int) -> dict[str, Any]:
    # Django is set up by main(); openpyxl is only needed here.
    from openpyxl import Workbook

    from bench.users import MANAGER, SUPPLIER
    from partners.models import Category, PartnerUser
    from scorecards.models import KpiDefinition, Period, Scorecard

    categories = list(Category.objects.order_by("code").values_list("code", flat=True))
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["legal_name", "short_name", "country", "engagement_model", "owner",
                  "categories", "spend_year", "spend_category", "spend_amount"])  # fmt: skip
    for row in range(rows):
        number, year = divmod(row, 4)
        category = categories[number % len(categories)]
        sheet.append([f"{PREFIX}{number:05d} GmbH", f"Import {number}", "DE", "transactional",
                      MANAGER, category, 2023 + year, category, 1000 + row])  # fmt: skip
    book.save(folder / "partners.xlsx")

    partner_id = PartnerUser.objects.get(user__username=SUPPLIER).partner_id
    scorecard = Scorecard.objects.filter(partner_id=partner_id).order_by("id").first()
    assert scorecard is not None, "the supplier's partner has a scorecard"
    period = scorecard.periods.filter(status="open").order_by("-start").first()
    assert isinstance(period, Period)
    kpis = list(
        KpiDefinition.objects.filter(perspective__template_id=scorecard.template_id)
        .order_by("id")
        .values_list("code", flat=True)
    )
    # Days of the quarter other than month ends (the generated values' dates), so the import
    # adds values instead of replacing them; repeats of a KPI and day update in place.
    days = [
        period.start + timedelta(days=n)
        for n in range((period.end - period.start).days + 1)
        if (period.start + timedelta(days=n + 1)).day != 1
    ]
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["period", "kpi", "value", "measured_on", "comment"])
    for row in range(rows):
        sheet.append([period.label, kpis[row % len(kpis)], row % 100,
                      days[(row // len(kpis)) % len(days)].isoformat(), COMMENT])  # fmt: skip
    book.save(folder / "measurements.xlsx")
    return {"scorecard": scorecard.pk, "period": period.label, "rows": rows}


def clean() -> dict[str, int]:
    """Delete what the import benchmark wrote and, when partners were imported, recompute
    the risk flags they changed (shares of category spend)."""
    # Django is set up by main().
    from bench import app_services
    from partners.models import Partner
    from scorecards.models import Measurement

    measurements, _ = Measurement.objects.filter(comment=COMMENT).delete()
    partners, _ = Partner.objects.filter(legal_name__startswith=PREFIX).delete()
    if partners:
        app_services.partner_flags_refresh()
    return {"measurement_rows": measurements, "partner_rows": partners}


def _start_worker(log: Path) -> subprocess.Popen[bytes]:
    celery = [sys.executable, "-m", "celery", "-A", "srm"]
    worker = subprocess.Popen(
        [*celery, "worker", "--pool", "solo", "--loglevel", "INFO", "--without-heartbeat",
         "--without-mingle", "--without-gossip"],
        env=dict(os.environ), cwd=ROOT, stdout=log.open("wb"), stderr=subprocess.STDOUT,
    )  # fmt: skip
    while b"ready." not in log.read_bytes():
        if worker.poll() is not None:
            raise RuntimeError(log.read_text()[-3000:])
        time.sleep(0.1)
    return worker


def _wait_for(job_id: int, states: set[str], timeout: float) -> str:
    from core.models import ImportJob

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).get()
        if status in states:
            return status
        time.sleep(0.1)
    return "timed out"


def _through_the_page(url: str, file: Path, timeout: float) -> dict[str, Any]:
    from django.test import Client

    from bench.users import MANAGER
    from core.models import ImportJob, User

    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.get(username=MANAGER))
    started = time.monotonic()
    with file.open("rb") as upload:
        response = client.post(url, {"file": upload})
    uploaded = time.monotonic()
    job = ImportJob.objects.filter(created_by__username=MANAGER).order_by("-id").first()
    if response.status_code != 302 or job is None:
        return {"outcome": f"no job (HTTP {response.status_code})"}
    checked_state = _wait_for(job.pk, {"ready", "invalid", "failed"}, timeout)
    checked = time.monotonic()
    client.get(response["Location"])  # the page showing the preview
    if checked_state != "ready":
        job.refresh_from_db()
        return {"outcome": f"{checked_state}: {job.errors[:3]} {job.message}"}
    client.post(f"/imports/{job.pk}/confirm/")
    confirmed = time.monotonic()
    written_state = _wait_for(job.pk, {"done", "invalid", "failed"}, timeout)
    written = time.monotonic()
    page = client.get(response["Location"]).content.decode()
    job.refresh_from_db()
    return {
        "outcome": written_state,
        "rows": job.rows,
        "counts": job.counts,
        "seconds_upload": round(uploaded - started, 2),
        "seconds_check": round(checked - uploaded, 2),
        "seconds_write": round(written - confirmed, 2),
        "seconds_total": round(written - started, 2),
        "page_says_imported": "Imported:" in page,
    }


def measure(rows: int, *, timeout: float = 300) -> dict[str, Any]:
    from django.db import connection

    result: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        built = build(Path(folder), rows)
        connection.close()
        log = Path(folder) / "worker.log"
        worker = _start_worker(log)
        try:
            targets = {
                "partners and spend": ("/partners/import/", Path(folder) / "partners.xlsx"),
                "measurements": (
                    f"/scorecards/{built['scorecard']}/import/",
                    Path(folder) / "measurements.xlsx",
                ),
            }
            for name, (url, file) in targets.items():
                result[name] = _through_the_page(url, file, timeout)
        finally:
            worker.terminate()
            try:
                worker.wait(30)
            except subprocess.TimeoutExpired:  # a solo worker finishes its task first
                worker.kill()
                worker.wait(10)
            result["clean_up"] = clean()
    return result


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    if argv[:1] == ["measure"]:
        # This process's wake-ups must reach the worker it starts, and nobody else's.
        os.environ["SRM_CELERY_QUEUE"] = f"srm-bench-imports-{os.getpid()}"
    import django

    django.setup()
    if argv[:1] == ["build"]:
        json.dump(build(Path(argv[1]), int(argv[2])), sys.stdout)
    elif argv[:1] == ["clean"]:
        json.dump(clean(), sys.stdout)
    elif argv[:1] == ["measure"]:
        result = measure(int(argv[1]) if len(argv) > 1 else 10_000)
        for name in ("partners and spend", "measurements"):
            print(f"{name}: {result[name]}")
        print(json.dumps(result))
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
