"""The 10,000-row import benchmark's files, and the clean-up after it.

``python -m bench.imports build DIR ROWS`` writes ``partners.xlsx`` (new partners with four
years of spend each, ROWS rows) and ``measurements.xlsx`` (ROWS buyer values for the open
quarter of the supplier's partner's scorecard) and prints, as JSON, the scorecard the
measurements are for. ``python -m bench.imports clean`` removes what an import wrote, so the
generated database stays as generated.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

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


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "srm.settings")
    import django

    django.setup()
    if argv[:1] == ["build"]:
        json.dump(build(Path(argv[1]), int(argv[2])), sys.stdout)
    elif argv[:1] == ["clean"]:
        json.dump(clean(), sys.stdout)
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
