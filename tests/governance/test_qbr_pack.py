"""The QBR pack of a meeting: the page (print stylesheet, server-drawn charts), the PDF made
by WeasyPrint (its text read back with pypdf), access and a constant query count."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse
from pypdf import PdfReader

from core.roles import SYSTEM
from governance.models import Visibility
from governance.services import escalations, meetings, plans
from scorecards.services.periods import period_close
from scorecards.svg_charts import bar_chart, line_chart
from tests.governance.factories import ActionItemFactory, MeetingFactory, standard_ladder
from tests.scorecards.factories import HAND_VALUES, enter_values, scorecard_for

pytestmark = pytest.mark.django_db

QBR_START = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)


def _history(partner, *, meetings_held: int = 1):
    """Three closed quarters, held meetings with minutes and decisions (the last one's
    decisions are the ones the pack must show), open actions, an escalation, a plan, and
    the upcoming QBR the pack is for."""
    scorecard = scorecard_for(partner)
    for _ in range(3):
        period_close(actor=SYSTEM, period=enter_values(scorecard, HAND_VALUES), confirm_early=True)
    for n in range(meetings_held):
        held = MeetingFactory(
            partner=partner,
            title=f"QBR Q{n}",
            start=QBR_START - timedelta(days=90 * (meetings_held - n)),
        )
        meetings.meeting_record(
            actor=SYSTEM,
            meeting=held,
            minutes=f"Reviewed quarter {n}.",
            decisions=[f"Decision {n}: dual-source the cathode foil"],
        )
        ActionItemFactory(partner=partner, meeting=held, title=f"Follow-up {n}")
    ActionItemFactory(partner=partner, title="Close the yield gap", due_date=date(2020, 1, 1))
    standard_ladder(partner)
    escalations.escalation_raise(actor=SYSTEM, partner=partner, title="Late deliveries Plant 2")
    plan = plans.plan_create(actor=SYSTEM, partner=partner, year=2026, title="JBP 2026")
    plans.objective_add(actor=SYSTEM, plan=plan, title="Cut logistics cost", target="-8 %")
    return MeetingFactory(
        partner=partner,
        title="QBR Q4 2026",
        start=QBR_START,
        agenda="Scorecard review\nOpen actions\nJoint plan 2027",
        visibility=Visibility.INTERNAL,
    )


def test_the_pdf_has_the_partner_the_score_and_the_last_decisions(
    partner_a, client_for, procurement_manager
) -> None:
    meeting = _history(partner_a, meetings_held=2)
    response = client_for(procurement_manager).get(
        reverse("governance:meeting-pack-pdf", args=[meeting.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="qbr-pack-')
    assert response.content.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert partner_a.legal_name in text
    # The same hand-computed 69.5 the scorecard page shows for these values.
    assert "69.5" in text
    # The last held meeting's decisions, not the one before.
    assert "Decision 1: dual-source the cathode foil" in text
    assert "Decision 0" not in text
    assert "Scorecard review" in text and "Close the yield gap" in text
    assert "Late deliveries Plant 2" in text and "Cut logistics cost" in text
    # A4 pages (595 x 842 points).
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_the_pack_page_prints_and_draws_its_charts_on_the_server(
    partner_a, client_for, executive
) -> None:
    meeting = _history(partner_a)
    html = (
        client_for(executive)
        .get(reverse("governance:meeting-pack", args=[meeting.pk]))
        .content.decode()
    )
    assert "css/print.css" in html and "css/qbr-pack.css" in html
    # Trend and perspective charts as inline SVG (the PDF runs no scripts): no canvas.
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="svg-chart"') == 2
    assert "<canvas" not in html
    for text in ("Scorecard review", "Decision 0: dual-source", "Close the yield gap", "69.5"):
        assert text in html
    assert reverse("governance:meeting-pack-pdf", args=[meeting.pk]) in html


def test_the_meeting_and_the_partner_page_link_to_the_pack(
    partner_a, client_for, procurement_manager
) -> None:
    meeting = MeetingFactory(partner=partner_a, start=datetime.now(UTC) + timedelta(days=3))
    pack = reverse("governance:meeting-pack", args=[meeting.pk])
    client = client_for(procurement_manager)
    assert pack in client.get(reverse("governance:meeting", args=[meeting.pk])).content.decode()
    page = client.get(reverse("partner-page", args=[partner_a.pk]), {"tab": "governance"})
    assert pack in page.content.decode()


def test_suppliers_and_other_partners_get_no_pack(
    partner_a, partner_b, client_for, supplier_a, procurement_manager
) -> None:
    meeting = MeetingFactory(partner=partner_a, title="Shared QBR")
    for name in ("governance:meeting-pack", "governance:meeting-pack-pdf"):
        url = reverse(name, args=[meeting.pk])
        # Even a meeting shared with its own company: the pack holds internal facts.
        assert client_for(supplier_a).get(url).status_code in (403, 404)
    missing = reverse("governance:meeting-pack", args=[meeting.pk + 1000])
    assert client_for(procurement_manager).get(missing).status_code == 404


@pytest.mark.parametrize("held", [1, 6])
def test_the_pack_keeps_a_constant_query_count(
    partner_a, client_for, procurement_manager, django_assert_max_num_queries, held
) -> None:
    meeting = _history(partner_a, meetings_held=held)
    client = client_for(procurement_manager)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("governance:meeting-pack", args=[meeting.pk]))
    assert response.status_code == 200


def test_svg_charts_escape_text_and_leave_gaps_for_missing_scores() -> None:
    svg = line_chart(["Q1", "Q2", "Q3"], [("<b>Overall</b>", ["80.0", None, "70.5"])], title="T")
    assert "<b>" not in svg and "&lt;b&gt;Overall&lt;/b&gt;" in svg
    # A gap: two points, no line drawn across the missing quarter.
    assert svg.count("<circle") == 2 and "<polyline" not in svg
    bars = bar_chart([("Cost", "69.5"), ("Quality", None)], title="Perspectives")
    assert bars.count("<rect") == 1 and ">69.5<" in bars and ">—<" in bars
