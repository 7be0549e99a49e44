"""The scorecard pages in German (SPEC 7): words a German user reads, scores written the
German way ("69,5"), and numbers machines read (charts, the grid's inputs, JSON) left alone.

The user's language is German twice over: ``user.language = "de"`` (their choice) and the
browser's ``Accept-Language: de``, so the pages are German however the language is wired.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from core.models import User
from core.roles import SYSTEM
from scorecards.models import Measurement
from scorecards.services.periods import period_close
from scorecards.svg_charts import bar_chart, line_chart
from tests.scorecards.factories import (
    HAND_VALUES,
    enter_values,
    kpis_by_code,
    open_period,
    scorecard_for,
)

pytestmark = pytest.mark.django_db

GERMAN = {"Accept-Language": "de"}
# An SVG number: digits with at most one decimal point, never a decimal comma.
SVG_NUMBER = r"-?\d+(?:\.\d+)?"


@pytest.fixture(autouse=True)
def german_catalogue() -> None:
    """The German catalogue compiled (setup does this; a fresh checkout may not have yet)."""
    po = Path(settings.BASE_DIR) / "locale" / "de" / "LC_MESSAGES" / "django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        msgfmt = shutil.which("msgfmt")
        assert msgfmt, "gettext's msgfmt compiles the German catalogue"
        subprocess.run([msgfmt, "-o", str(mo), str(po)], check=True)
        # Changing LOCALE_PATHS (to itself) makes Django load the catalogues afresh.
        with override_settings(LOCALE_PATHS=list(settings.LOCALE_PATHS)):
            pass


def german(client_for, user: User) -> Client:
    user.language = "de"
    user.save(update_fields=["language"])
    return client_for(user)


def _closed_quarter(partner):
    scorecard = scorecard_for(partner)
    period_close(confirm_early=True, actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES))
    return scorecard


def _json_scripts(html: str) -> list[str]:
    return re.findall(r'<script id="[^"]+" type="application/json">(.*?)</script>', html, re.S)


def test_the_scorecard_page_and_its_breakdown_read_german(
    client_for, procurement_manager, partner_a
):
    scorecard = _closed_quarter(partner_a)
    html = (
        german(client_for, procurement_manager)
        .get(reverse("scorecards:detail", args=[scorecard.pk]), headers=GERMAN)
        .content.decode()
    )
    # Headings, the breakdown's columns and its explanation.
    assert "Gesamt 2026-Q2" in html and "Abdeckung" in html and "Verlauf" in html
    assert "Perspektive / Kennzahl" in html and "Zielwert" in html and "Schwellenwert" in html
    assert "Gewichtung" in html and "niedriger ist besser" in html
    assert "Unter 80 % ist die Bewertung vorläufig." in html
    assert "Bewertung nach Periode" in html and "Einsprüche" in html and "Selbstauskünfte" in html
    # The rating band and the data source in German.
    assert "Verbesserungsbedürftig" in html and "Käufer" in html
    # The score and a KPI value as German numbers; the English ones are gone from the text.
    assert 'data-testid="overall">69,5<' in html and "2,5 %" in html
    assert "Needs improvement" not in html and "Coverage" not in html
    # The trend chart's data stays plain JSON numbers, with its legend in German.
    (chart,) = _json_scripts(html)
    data = json.loads(chart)
    assert data["overall"] == ["69.5"] and data["names"]["overall"] == "Gesamt"


def test_the_grid_and_its_validation_error_read_german(client_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    ppv = kpis_by_code(scorecard)["ppv"]
    client = german(client_for, procurement_manager)
    url = reverse("scorecards:grid", args=[period.pk])

    bad = client.post(url, {f"kpi-{ppv.pk}": "zwei"}, headers={"HX-Request": "true", **GERMAN})
    assert "Geben Sie eine Zahl ein." in bad.content.decode()

    # A German decimal comma is read as the decimal mark; the projection is German text.
    good = client.post(url, {f"kpi-{ppv.pk}": "2,5"}, headers={"HX-Request": "true", **GERMAN})
    assert "Allein mit diesen Werten ergäbe sich die Bewertung" in good.content.decode()
    saved = client.post(url, {f"kpi-{ppv.pk}": "2,5", "save": "1"}, headers=GERMAN)
    assert saved.status_code == 302
    assert Measurement.objects.get().value == Decimal("2.5")

    page = client.get(url, headers=GERMAN).content.decode()
    assert "Werte speichern" in page and "Zielwert" in page and "Perspektive" in page
    assert f"{period.label} abschließen und bewerten" in page
    # The saved value goes back into its input unlocalised, so posting it again reads the same.
    assert f'name="kpi-{ppv.pk}" value="2.5"' in page


def test_the_saved_message_and_close_message_are_german(client_for, procurement_manager, partner_a):
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    # Every value typed the German way, with a decimal comma.
    typed = {f"kpi-{kpis[code].pk}": f"{v:f}".replace(".", ",") for code, v in HAND_VALUES.items()}
    client = german(client_for, procurement_manager)
    saved = client.post(
        reverse("scorecards:grid", args=[period.pk]),
        {**typed, "save": "1"},
        headers=GERMAN,
        follow=True,
    )
    assert f"{len(typed)} Werte für {period.label} gespeichert." in saved.content.decode()
    assert Measurement.objects.get(kpi=kpis["ppv"]).value == Decimal("2.5")
    closed = client.post(
        reverse("scorecards:period-close", args=[period.pk]),
        {"confirm_early": "1"},
        headers=GERMAN,
        follow=True,
    )
    assert f"{period.label} abgeschlossen: 69,5." in closed.content.decode()


def test_the_portal_scorecard_reads_german(client_for, supplier_a, partner_a):
    scorecard = _closed_quarter(partner_a)
    open_period(scorecard)
    html = (
        german(client_for, supplier_a)
        .get(reverse("scorecards:portal-scorecard"), headers=GERMAN)
        .content.decode()
    )
    assert "Ihre Scorecard" in html
    assert "Einspruch gegen die Bewertung 2026-Q2 erheben" in html
    assert "Selbstauskunft einreichen" in html and "Kennzahl" in html
    assert "Begründung" in html  # the dispute form's label
    assert 'data-testid="overall">69,5<' in html and "Verbesserungsbedürftig" in html
    assert "Your scorecard" not in html and "Dispute the" not in html
    (chart,) = _json_scripts(html)
    assert "69,5" not in chart and json.loads(chart)["overall"] == ["69.5"]


def test_english_users_still_read_english_with_points(client_for, procurement_manager, partner_a):
    scorecard = _closed_quarter(partner_a)
    html = (
        client_for(procurement_manager)
        .get(reverse("scorecards:detail", args=[scorecard.pk]))
        .content.decode()
    )
    assert 'data-testid="overall">69.5<' in html and "Needs improvement" in html
    assert "Coverage" in html and "Abdeckung" not in html


def test_svg_charts_keep_decimal_points_in_german_and_write_the_score_the_german_way():
    with translation.override("de"):
        lines = str(
            line_chart(
                ["Q1", "Q2", "Q3"],
                [("Gesamt", ["72.5", "33.3", "12.5"]), ("Kosten", [Decimal("66.7"), None, 50])],
                title="Verlauf",
            )
        )
        bars = str(bar_chart([("Kosten", "72.5"), ("Qualität", Decimal("33.3"))], title="T"))
    for svg in (lines, bars):
        for name, value in re.findall(r'\s(x|y|x1|y1|x2|y2|cx|cy|width|height)="([^"]*)"', svg):
            assert re.fullmatch(SVG_NUMBER, value), (name, value)
    for points in re.findall(r'points="([^"]*)"', lines):
        for pair in points.split():
            assert re.fullmatch(f"{SVG_NUMBER},{SVG_NUMBER}", pair), pair
    # The score written above a bar is text for people: German decimal comma.
    assert ">72,5<" in bars and ">33,3<" in bars and ">72.5<" not in bars
