"""Governance in German (issue 14): a German-speaking user reads the meeting page, the
actions page with its form errors, the QBR pack and its PDF in German, with German dates;
SRM's own default meeting titles and agenda lines follow the reader's language; numbers in
form values and attributes stay machine-readable."""

from __future__ import annotations

import io
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real
from pypdf import PdfReader

from core.cadences import CadenceKind
from core.models import Notification, User
from core.roles import SYSTEM
from governance.models import Cadence, Meeting
from governance.services import actions, escalations, innovation
from governance.texts import english
from partners.models import Partner
from tests.governance.factories import CadenceFactory, MeetingFactory, standard_ladder
from tests.governance.test_qbr_pack import _history

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
CATALOGUE = Path(__file__).resolve().parents[2] / "locale" / "de" / "LC_MESSAGES" / "django.po"
QBR_TITLE = english(CadenceKind.QUARTERLY_BUSINESS_REVIEW.label)


@pytest.fixture(scope="module", autouse=True)
def _german_catalogue() -> None:
    """The compiled catalogue (setup compiles it; a bare checkout may not have it yet)."""
    mo = CATALOGUE.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < CATALOGUE.stat().st_mtime:
        msgfmt = shutil.which("msgfmt")
        if msgfmt is None:
            pytest.fail("GNU gettext (msgfmt) is missing: apt-get install gettext")
        subprocess.run([msgfmt, "--check-format", "-o", str(mo), str(CATALOGUE)], check=True)
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """A German request leaves German active in the thread; the next test starts afresh."""
    yield
    translation.deactivate()


def german(user: User) -> Client:
    """A browser of a user who chose German (and whose browser asks for it too)."""
    user.language = "de"
    user.save(update_fields=["language"])
    client = Client(HTTP_ACCEPT_LANGUAGE="de")
    client.force_login(user)
    return client


def english_client(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return client


def text_of(html: str) -> str:
    return " ".join(html.split())


def _qbr_meeting(partner: Partner) -> Meeting:
    """An upcoming QBR titled and agenda'd with SRM's defaults, as a cadence creates it."""
    start = datetime(2031, 1, 16, 9, 0, tzinfo=BERLIN)
    return MeetingFactory(
        partner=partner,
        title=QBR_TITLE,
        start=start,
        end=start + timedelta(hours=2),
        agenda="Review of scorecard\nOpen actions\nPricing for 2032",
    )


def test_the_meeting_page_reads_in_german(partner_a, procurement_manager) -> None:
    meeting = _qbr_meeting(partner_a)
    html = german(procurement_manager).get(reverse("governance:meeting", args=[meeting.pk]))
    page = text_of(html.content.decode())
    # SRM's default title and agenda lines in German; what people typed stays as typed.
    assert "<h1>Quartalsgespräch (QBR)</h1>" in page
    assert "<li>Überprüfung der Scorecard</li>" in page and "<li>Pricing for 2032</li>" in page
    # The date as Germans write it, in the reader's zone.
    assert "Donnerstag, 16. Januar 2031, 09:00\u201311:00 CET (Ihre Zeit)" in page
    assert "Geplant" in page  # the meeting's state
    for heading in ("Tagesordnung", "Teilnehmende", "Protokoll", "Beschlüsse", "Anhänge"):
        assert f">{heading}</h" in page
    assert "Zum Kalender hinzufügen (.ics)" in page
    assert "QBR-Unterlagen (Druck oder PDF)" in page
    assert "Das Protokoll kann erfasst werden, sobald die Sitzung begonnen hat" in page
    # The form of the page speaks German too (labels and choices from Python).
    assert "Verantwortlich (unsere Seite)" in page and "Mit dem Partner geteilt" in page
    assert "Agenda" not in page and "Minutes" not in page


def test_an_english_reader_sees_the_same_meeting_in_english(partner_a, procurement_manager) -> None:
    meeting = _qbr_meeting(partner_a)
    html = english_client(procurement_manager).get(reverse("governance:meeting", args=[meeting.pk]))
    page = text_of(html.content.decode())
    assert f"<h1>{QBR_TITLE}</h1>" in page and "<li>Review of scorecard</li>" in page
    assert "Tagesordnung" not in page and ">Agenda</h2>" in page


def test_the_meetings_list_shows_states_and_times_in_german(partner_a, procurement_manager) -> None:
    _qbr_meeting(partner_a)
    page = text_of(
        german(procurement_manager)
        .get(reverse("governance:meetings", args=[partner_a.pk]))
        .content.decode()
    )
    assert "Sitzungen mit Alpha Cells" in page
    assert "Do 16.01.2031, 09:00 CET" in page  # weekday, short German date, time, zone
    assert "Geplant" in page and "Quartalsgespräch (QBR)" in page


def test_the_actions_form_explains_its_errors_in_german(partner_a, procurement_manager) -> None:
    client = german(procurement_manager)
    url = reverse("governance:actions", args=[partner_a.pk])
    response = client.post(url, {"title": "", "priority": "medium", "visibility": "shared"})
    assert response.status_code == 200
    page = text_of(response.content.decode())
    assert "Maßnahmen mit Alpha Cells" in page
    assert "Dieses Feld ist zwingend erforderlich." in page
    for label in ("Titel", "Verantwortlich (unsere Seite)", "Fälligkeitsdatum", "Priorität"):
        assert f"{label} <" in page or f">{label}<" in page, label
    assert ">Mittel</option>" in page and "Maßnahme hinzufügen" in page

    # A due date in the past is accepted with a warning, in German and with a German date.
    response = client.post(
        url,
        {
            "title": "Ship the samples",
            "due_date": "2020-03-01",
            "priority": "high",
            "visibility": "shared",
        },
        follow=True,
    )
    page = text_of(response.content.decode())
    assert "Maßnahme „Ship the samples“ hinzugefügt." in page
    assert "Das Fälligkeitsdatum 01.03.2020 liegt in der Vergangenheit" in page
    assert "überfällig" in page and ">Offen</option>" in page


def test_a_stale_status_change_and_a_known_status_answer_in_german(
    partner_a, procurement_manager
) -> None:
    created = actions.action_create(actor=SYSTEM, partner=partner_a, title="Audit the line")
    response = german(procurement_manager).post(
        reverse("governance:action-status", args=[created.action.pk]),
        {"status": "in_progress", "version": created.action.version},
        follow=True,
    )
    assert "Status von „Audit the line“: In Bearbeitung." in response.content.decode()


def test_the_qbr_pack_reads_in_german(partner_a, procurement_manager) -> None:
    meeting = _history(partner_a, meetings_held=2)
    meeting.title = QBR_TITLE
    meeting.agenda = "Review of scorecard\nJoint plan progress\nPricing for 2027"
    meeting.save(update_fields=["title", "agenda"])
    page = text_of(
        german(procurement_manager)
        .get(reverse("governance:meeting-pack", args=[meeting.pk]))
        .content.decode()
    )
    assert "<title>QBR-Unterlagen · Alpha Cells" in page
    assert "Quartalsgespräch (QBR)" in page and "Donnerstag, 10. Dezember 2026" in page
    for heading in (
        "Tagesordnung",
        "Scorecard",
        "Letzte Sitzung: Protokoll und Beschlüsse",
        "Offene Maßnahmen",
        "Eskalationen",
        "Gemeinsamer Geschäftsplan 2026: Ziele",
        "Einhaltung der Governance (letzte 12 Monate)",
    ):
        assert f">{heading}</h" in page, heading
    assert "<li>Überprüfung der Scorecard</li>" in page
    assert "<li>Fortschritt des gemeinsamen Plans</li>" in page
    assert "<li>Pricing for 2027</li>" in page
    assert "überfällig" in page and "PDF herunterladen" in page


def test_the_pdf_is_german_with_the_partner_and_the_last_decisions(
    partner_a, procurement_manager
) -> None:
    meeting = _history(partner_a, meetings_held=2)
    meeting.title = QBR_TITLE
    meeting.agenda = "Review of scorecard\nNext quarter priorities"
    meeting.save(update_fields=["title", "agenda"])
    response = german(procurement_manager).get(
        reverse("governance:meeting-pack-pdf", args=[meeting.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = text_of("\n".join(page.extract_text() for page in reader.pages))
    assert partner_a.legal_name in text
    # The cover's kicker is set in capitals by the stylesheet.
    assert "QBR-UNTERLAGEN" in text and "Quartalsgespräch (QBR)" in text
    assert "Donnerstag, 10. Dezember 2026" in text
    for heading in (
        "Tagesordnung",
        "Letzte Sitzung: Protokoll und Beschlüsse",
        "Beschlüsse",
        "Offene Maßnahmen",
        "Einhaltung der Governance (letzte 12 Monate)",
    ):
        assert heading in text, heading
    assert "Überprüfung der Scorecard" in text and "Prioritäten für das nächste Quartal" in text
    assert "Decision 1: dual-source the cathode foil" in text
    assert "Agenda" not in text and "Open actions" not in text


def test_numbers_in_form_values_stay_machine_readable_in_german(
    partner_a, procurement_manager
) -> None:
    initiative = innovation.initiative_create(
        actor=SYSTEM,
        partner=partner_a,
        title="Dry electrode coating",
        expected_value=Decimal("25000"),
        realized_value=Decimal("1234.5"),
    )
    page = (
        german(procurement_manager)
        .get(reverse("governance:partner", args=[partner_a.pk]))
        .content.decode()
    )
    assert 'value="1234.50"' in page  # the input's value: a number the browser understands
    assert "1.235" in page and "25.000" in page  # what people read: German grouping
    assert f"Realisierter Wert von {initiative.title}" in page
    assert "Innovations-Roadmap" in page and "Idee" in page


def test_default_cadences_are_stored_in_english_and_shown_in_german(
    partner_a, procurement_manager
) -> None:
    CadenceFactory(
        partner=partner_a, kind=CadenceKind.STEERING_COMMITTEE, name="Steering committee"
    )
    client = german(procurement_manager)
    client.post(reverse("governance:cadence-defaults", args=[partner_a.pk]), follow=True)
    names = set(Cadence.objects.filter(partner=partner_a).values_list("name", flat=True))
    assert QBR_TITLE in names  # one language in the records, whoever applied them
    page = text_of(client.get(reverse("governance:partner", args=[partner_a.pk])).content.decode())
    assert "Lenkungsausschuss" in page and "Quartalsgespräch (QBR)" in page
    assert "Steering committee" not in page


def test_the_portal_meeting_reads_in_german(partner_a, supplier_a) -> None:
    meeting = _qbr_meeting(partner_a)
    page = text_of(
        german(supplier_a)
        .get(reverse("governance:portal-meeting", args=[meeting.pk]))
        .content.decode()
    )
    assert "<h1>Quartalsgespräch (QBR)</h1>" in page
    assert "Donnerstag, 16. Januar 2031" in page and "Tagesordnung" in page
    assert date(2031, 1, 16).isoformat() not in page


def test_the_escalation_ladder_and_its_notice_speak_the_readers_language(
    partner_a, procurement_manager, alliance_manager
) -> None:
    alliance_manager.language = "de"
    alliance_manager.save(update_fields=["language"])
    partner_a.alliance_manager = alliance_manager
    partner_a.save(update_fields=["alliance_manager"])
    standard_ladder(partner_a)  # SRM's default level names, stored in English
    escalations.escalation_raise(actor=SYSTEM, partner=partner_a, title="Late deliveries")
    # The German alliance manager is told in German; the English manager's page stays English.
    (notice,) = Notification.objects.filter(recipient=alliance_manager)
    assert notice.subject == "An Sie eskaliert (Operative Leitung): Late deliveries"
    page = text_of(
        german(procurement_manager)
        .get(reverse("governance:escalations", args=[partner_a.pk]))
        .content.decode()
    )
    assert "Lenkungsausschuss — reagiert innerhalb von 120 Std." in page
    assert "Operative Leitung — reagiert innerhalb von 48 Std." in page
    assert "Eskalationen mit Alpha Cells" in page
