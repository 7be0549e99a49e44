"""The partner pages in German (issue 14): what a German-speaking buyer reads on the list, the
forms (with their errors), the Kraljic matrix and the record's risk tab, and that numbers the
browser reads (chart data, input values) stay unlocalised while the ones people read do not."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.models import Notification, User
from partners.models import Partner
from partners.services import records, segmentation
from partners.tasks import agreement_reminders
from tests.factories import PartnerFactory
from tests.partners.factories import AgreementFactory, all_ratings, furnish

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def german_catalogue(django_db_blocker) -> None:  # type: ignore[no-untyped-def]
    """The compiled catalogue (the .mo is built, not committed)."""
    with django_db_blocker.unblock():
        call_command("compilemessages", "-l", "de", "--ignore=.venv", verbosity=0)


@pytest.fixture
def german(client_for, procurement_manager: User):  # type: ignore[no-untyped-def]
    """A procurement manager who chose German, asking in German as their browser does."""
    procurement_manager.language = "de"
    procurement_manager.save(update_fields=["language"])
    client = client_for(procurement_manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    return client


def _text(html: str) -> str:
    """The page's words with tags removed and spaces collapsed, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_partner_list_speaks_german(german, procurement_manager) -> None:
    PartnerFactory(
        short_name="Voltaris",
        engagement_model="strategic_partnership",
        quadrant="strategic",
        lifecycle_stage="active",
    )
    body = german.get(reverse("partners:list")).content.decode()
    text = _text(body)
    assert "<h1>Partner</h1>" in body
    assert "Kraljic-Matrix" in text
    assert "Jedes Kooperationsmodell" in text  # filter options
    assert 'aria-label="Partner filtern"' in body
    assert "Sortierung: Ausgaben, höchste zuerst" in text
    # The row: engagement model, quadrant and stage labels from the rule modules.
    assert "Strategische Partnerschaft" in text
    assert "Strategisch" in text and "Aktiv" in text
    assert "1 Partner" in text
    assert "Any engagement model" not in text


def test_the_list_stays_english_for_an_english_user(client_for, procurement_manager) -> None:
    PartnerFactory(quadrant="bottleneck")
    text = _text(client_for(procurement_manager).get(reverse("partners:list")).content.decode())
    assert "Any engagement model" in text and "Bottleneck" in text
    assert "Jedes Kooperationsmodell" not in text


def test_the_partner_form_shows_its_labels_and_errors_in_german(german) -> None:
    body = german.post(reverse("partners:create"), {"short_name": "Neu"}).content.decode()
    text = _text(body)
    assert "<h1>Neuer Partner</h1>" in body
    assert "Firmenname" in text and "Kooperationsmodell" in text
    assert "Trennen Sie Schlagwörter durch Kommas." in text
    # Django's own message for a required field, in German.
    assert "Dieses Feld ist zwingend erforderlich." in text
    assert ">Speichern</button>" in body


def test_a_rule_error_reaches_the_form_in_german(german, procurement_manager) -> None:
    partner = PartnerFactory()
    url = reverse("partners:segmentation", args=[partner.pk])
    data = {**all_ratings(3), "override_quadrant": "strategic", "override_justification": ""}
    text = _text(german.post(url, data).content.decode())
    assert "Kraljic-Segmentierung von" in text
    assert "Quadrant übersteuern" in text
    assert "Anteil an den Ausgaben (Ergebniseinfluss)" in text  # factor (axis) label
    assert "Eine manuelle Übersteuerung des Quadranten braucht eine Begründung." in text
    assert not partner.segmentations.exists()


def test_an_agreement_date_error_is_german(german) -> None:
    partner = PartnerFactory()
    response = german.post(
        reverse("partners:agreement-create", args=[partner.pk]),
        {
            "kind": "contract",
            "title": "Liefervertrag 2027",
            "start_date": "2027-06-01",
            "end_date": "2027-01-01",
            "notice_period_days": "90",
            "confidentiality_level": "confidential",
        },
    )
    assert response.status_code == 200
    text = _text(response.content.decode())
    assert "Das Enddatum darf nicht vor dem Startdatum liegen." in text
    # The date the user typed comes back as the ISO value the date input needs.
    assert 'value="2027-06-01"' in response.content.decode()


def test_the_kraljic_matrix_reads_german_and_keeps_chart_numbers_plain(
    german, procurement_manager
) -> None:
    partner = PartnerFactory(short_name="Voltaris")
    ratings = {**all_ratings(4), "switching_cost": 5}  # risk (4+5+4+4)/4 = 4.25
    segmentation.segmentation_assess(actor=procurement_manager, partner=partner, ratings=ratings)
    body = german.get(reverse("partners:matrix")).content.decode()
    text = _text(body)
    assert "<h1>Kraljic-Matrix</h1>" in body
    assert "Ergebniseinfluss" in text and "Versorgungsrisiko" in text
    assert "Strategisch" in text
    # Shown to people: a German decimal comma in the table.
    assert "4,25" in text
    # Read by the chart: plain JSON numbers, and the words it draws in German.
    bubbles = json.loads(re.search(r'id="kraljic-data"[^>]*>(.*?)</script>', body, re.S)[1])
    assert bubbles[0]["x"] == 4.25
    words = json.loads(re.search(r'id="kraljic-labels"[^>]*>(.*?)</script>', body, re.S)[1])
    assert words["bottleneck"] == "Engpass" and words["x"] == "Versorgungsrisiko"


def test_the_risk_tab_explains_flags_in_german(german, procurement_manager) -> None:
    partner: Partner = PartnerFactory(short_name="Voltaris", engagement_model="transactional")
    furnish(partner, procurement_manager)
    # Saved through the German form: the flags are refreshed in a German request.
    saved = german.post(
        reverse("partners:supply-item-create", args=[partner.pk]),
        {"name": "Magnet", "is_critical": "on", "qualified_second_sources": "0"},
    )
    assert saved.status_code == 302
    url = reverse("partner-page", args=[partner.pk])
    text = _text(german.get(url, {"tab": "risk"}).content.decode())
    assert "Risikohinweise" in text
    assert "Hoch" in text
    # The stored flag is shown again from its params, in German.
    assert "Kritischer Artikel „Magnet“ hat nur eine Bezugsquelle" in text
    assert "Ausstiegsbereitschaft:" in text
    assert "Segmentierung (Kraljic)" in text
    # The benchmark premium (109 against 100) with a German decimal comma and a spaced %.
    assert "liegt 9,00 % über dem Marktpreis 100,00" in text
    partner.refresh_from_db()
    stored = [f["message"] for f in partner.risk_flags]
    # Stored (for the API and exports) in English, whoever triggered the refresh.
    assert (
        "Critical item 'Magnet' is single-sourced: 1 qualified source, no qualified second source."
        in stored
    )


def test_the_playbooks_page_is_german(german) -> None:
    text = _text(german.get(reverse("partners:playbooks")).content.decode())
    assert "Playbooks der Kooperationsmodelle" in text
    assert "Scorecard-Vorlage" in text
    assert "Partnerschaftsumfrage" in text
    assert "alle 6 Monate" in text  # strategic partnership: survey every 6 months


def test_the_overview_and_the_lifecycle_form_are_german(german, procurement_manager) -> None:
    partner = PartnerFactory(lifecycle_stage="active", engagement_model="preferred_supplier")
    records.note_create(actor=procurement_manager, partner=partner, body="Hallo")
    body = german.get(reverse("partner-page", args=[partner.pk]), {"tab": "overview"}).content
    text = _text(body.decode())
    assert 'placeholder="Notiz hinzufügen …"' in body.decode()
    assert "Kooperationsmodell: Bevorzugter Lieferant" in text
    assert "Sponsor-Ebene Direktor/in; Umfrage alle 12 Monate." in text
    transition = german.get(reverse("partners:transition", args=[partner.pk])).content.decode()
    text = _text(transition)
    assert "Aktuell: Aktiv." in text
    assert "Auslaufend" in text  # a stage the partner may move to
    assert "Wechseln zu" in text


def test_an_agreement_reminder_reaches_each_owner_in_their_language(
    procurement_manager, alliance_manager
) -> None:
    procurement_manager.language = "de"
    procurement_manager.save(update_fields=["language"])
    partner = PartnerFactory(owner=procurement_manager, alliance_manager=alliance_manager)
    today = timezone.localdate()
    AgreementFactory(partner=partner, end_date=today + timedelta(days=100), notice_period_days=70)
    assert agreement_reminders.apply().get() == 2
    german = Notification.objects.get(recipient=procurement_manager)
    english = Notification.objects.get(recipient=alliance_manager)
    assert german.subject.startswith("Kündigungstermin für ")
    assert german.subject.endswith("in 30 Tagen")
    assert english.subject.startswith("Notice deadline of ")


def test_the_playbook_form_is_german(client_for, administrator) -> None:
    administrator.language = "de"
    administrator.save(update_fields=["language"])
    client = client_for(administrator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "de"
    url = reverse("partners:playbook-edit", args=["preferred_supplier"])
    text = _text(client.get(url).content.decode())
    assert "Playbook: Bevorzugter Lieferant" in text
    assert "Regeltermine" in text and "Dauer (Minuten)" in text
    assert "Playbook speichern" in text
