"""One latest score per partner, the same on every page, export and dashboard (issue 8).

A partner's latest score is the latest scored period among its scorecards (latest end date;
ties go to the lowest scorecard id); a period closed with no data never replaces it.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from core import outbox
from core.roles import SYSTEM
from scorecards.services.periods import period_close
from scorecards.services.scorecards import scorecard_apply_template
from scorecards.services.templates import scorecard_template_create
from tests.factories import PartnerFactory, supplier_user
from tests.scorecards.factories import (
    DEFAULT_PERSPECTIVES,
    HAND_VALUES,
    enter_values,
    open_period,
    scorecard_for,
)

pytestmark = pytest.mark.django_db

EXCELLENT_VALUES = {**HAND_VALUES, "patents": Decimal(4), "ppv": Decimal(0)}  # 87.0


def _duo(owner):
    """A partner with two scorecards: the first scored 69.5 in 2026-Q2, then closed 2026-Q3
    with no data; the second scored 87.0 in 2026-Q2 and has 2026-Q3 still open."""
    partner = PartnerFactory(short_name="Duo", legal_name="Duo Components GmbH", owner=owner)
    first = scorecard_for(partner)
    period_close(actor=SYSTEM, period=enter_values(first, HAND_VALUES))
    period_close(actor=SYSTEM, period=open_period(first))  # 2026-Q3: no data
    other = scorecard_template_create(
        actor=SYSTEM, code="delivery", name="Delivery focus", perspectives=DEFAULT_PERSPECTIVES
    )
    second = scorecard_apply_template(
        actor=SYSTEM, partner=partner, template=other, today=date(2026, 5, 10)
    )
    period_close(actor=SYSTEM, period=enter_values(second, EXCELLENT_VALUES))
    return partner, first, second


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _rated_cell(row: str) -> str:
    """The score shown in a table row's cell before its "Needs improvement" badge."""
    return row.split('<span class="badge badge-needs_improvement"', 1)[0].rsplit("<td>", 1)[1]


def test_dashboard_partner_page_portal_workspace_and_exports_show_the_same_latest_score(
    client_for, procurement_manager, executive
) -> None:
    partner, _, _ = _duo(procurement_manager)
    outbox.sweep()  # what the worker does after the closes: the at-risk verdicts are refreshed
    shown: dict[str, str] = {}

    dashboard = client_for(executive).get(reverse("executive-dashboard")).content.decode()
    row = _between(_between(dashboard, 'id="at-risk"', "</section>"), "Duo", "</tr>")
    assert "Needs improvement" in row and "87.0" not in row
    shown["executive dashboard"] = _rated_cell(row).strip()

    client = client_for(procurement_manager)
    page = client.get(reverse("partner-page", args=[partner.pk]), {"tab": "scorecards"})
    page = page.content.decode()
    headline = _between(page, 'id="partner-latest-score"', "</p>")
    assert "2026-Q2" in headline and "Strategic balanced" in headline
    shown["partner page"] = _between(headline, 'data-testid="latest-score">', "<")

    supplier = supplier_user(partner, "duo-user")
    portal = client_for(supplier).get(reverse("portal:home")).content.decode()
    headline = _between(portal, 'id="partner-latest-score"', "</p>")
    assert "2026-Q2" in headline
    shown["portal"] = _between(headline, 'data-testid="latest-score">', "<")

    workspace = client.get(reverse("workspace")).content.decode()
    row = _between(workspace, ">Duo</a>", "</tr>")
    assert "Needs improvement" in row and "87.0" not in row
    shown["workspace"] = _rated_cell(row).strip()

    export = client.get(reverse("scorecards:list-export", args=["csv"]))
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    (first_row,) = [
        r for r in rows if r["partner"] == "Duo" and r["template"] == "Strategic balanced"
    ]
    assert first_row["latest_period"] == "2026-Q2"  # not the 2026-Q3 closed with no data
    shown["export"] = first_row["score"]

    assert set(shown.values()) == {"69.5"}, shown


def test_a_later_score_of_another_scorecard_becomes_the_partners_latest(
    client_for, procurement_manager, executive
) -> None:
    partner, _, second = _duo(procurement_manager)
    # The second scorecard's 2026-Q3 closes with a critical score: it ends last, so it counts.
    period_close(actor=SYSTEM, period=enter_values(second, {"ppv": Decimal(5)}))
    outbox.sweep()  # the worker refreshes the at-risk verdict after the close
    client = client_for(procurement_manager)
    page = client.get(reverse("partner-page", args=[partner.pk]), {"tab": "scorecards"})
    page = page.content.decode()
    headline = _between(page, 'id="partner-latest-score"', "</p>")
    assert "Delivery focus" in headline and "2026-Q3" in headline
    shown = _between(headline, 'data-testid="latest-score">', "<")
    dashboard = client_for(executive).get(reverse("executive-dashboard")).content.decode()
    row = _between(_between(dashboard, 'id="at-risk"', "</section>"), "Duo", "</tr>")
    assert shown in row and "Critical" in row
