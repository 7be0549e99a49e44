"""The buyer's grid, the supplier's self-report form and the measurement import read KPI
values with the one parser (core.numbers via scorecards.kpi_values): they accept and refuse
the same text."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from scorecards.models import Measurement
from tests.scorecards.factories import kpis_by_code, open_period, scorecard_for

pytestmark = pytest.mark.django_db


def _grid(client, period, kpi, text: str, language: str) -> Decimal | None:
    response = client.post(
        reverse("scorecards:grid", args=[period.pk]),
        {f"kpi-{kpi.pk}": text, "save": "1"},
        headers={"Accept-Language": language},
    )
    if response.status_code != 302:
        assert 'role="alert"' in response.content.decode()
        return None
    return Measurement.objects.get(period=period, kpi=kpi).value


def _portal(client, period, kpi, text: str, language: str) -> Decimal | None:
    response = client.post(
        reverse("scorecards:portal-self-report", args=[period.pk]),
        {"kpi": kpi.pk, "value": text},
        headers={"Accept-Language": language},
    )
    if response.status_code != 302:
        assert "errorlist" in response.content.decode()
        return None
    return Measurement.objects.get(period=period, kpi=kpi).value


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("2.5", "en", Decimal("2.5")),
        ("1,5", "en", Decimal("1.5")),  # the grid accepted this, the portal refused it
        ("1.234,5", "en", Decimal("1234.5")),
        ("1,234", "en", Decimal(1234)),  # read with the user's decimal mark
        ("1,234", "de", Decimal("1.234")),
        ("1 234,5", "de", Decimal("1234.5")),
        ("two", "en", None),
        ("1,2,3", "en", None),
        ("1.5.5,5", "en", None),
        ("0.0000001", "en", None),  # more places than stored
        ("1e30", "en", None),  # more digits than stored
    ],
)
def test_grid_and_portal_accept_and_refuse_the_same_text(
    client_for, procurement_manager, supplier_a, partner_a, text, language, expected
) -> None:
    scorecard = scorecard_for(partner_a)
    period = open_period(scorecard)
    kpis = kpis_by_code(scorecard)
    # A signed-in user's own language wins over the browser's (core.middleware).
    for user in (procurement_manager, supplier_a):
        user.language = language
        user.save(update_fields=["language"])
    grid = _grid(client_for(procurement_manager), period, kpis["ppm"], text, language)
    portal = _portal(client_for(supplier_a), period, kpis["savings-ideas"], text, language)
    assert grid == portal == expected


def test_the_import_refuses_an_ambiguous_value_by_row_and_column(
    client_for, procurement_manager, partner_a
) -> None:
    scorecard = scorecard_for(partner_a)
    url = reverse("scorecards:import", args=[scorecard.pk])
    client = client_for(procurement_manager)
    body = b'period,kpi,value\n2026-Q2,ppm,"1,5"\n2026-Q2,co2,"1,234"\n'
    response = client.post(url, {"file": SimpleUploadedFile("m.csv", body)})
    html = response.content.decode()
    assert response.status_code == 200 and "Nothing was imported" in html
    assert "<td>3</td><td>value</td><td>&#x27;1,234&#x27; is ambiguous" in html
    assert not Measurement.objects.exists()
    body = b'period,kpi,value\n2026-Q2,ppm,"1,5"\n2026-Q2,co2,"1.234,5"\n'
    assert client.post(url, {"file": SimpleUploadedFile("m.csv", body)}).status_code == 302
    values = {m.kpi.code: m.value for m in Measurement.objects.select_related("kpi")}
    assert values == {"ppm": Decimal("1.5"), "co2": Decimal("1234.5")}
