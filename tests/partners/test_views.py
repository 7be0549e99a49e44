"""Partner pages: filters, forms with field errors, query counts that do not grow with rows."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from partners.models import Agreement, Partner, SegmentationAssessment
from tests.factories import PartnerFactory
from tests.partners.factories import all_criteria, all_ratings, furnish

pytestmark = pytest.mark.django_db


def _portfolio(n: int, actor) -> list[Partner]:
    partners = [PartnerFactory() for _ in range(n)]
    for partner in partners:
        furnish(partner, actor)
    return partners


@pytest.mark.parametrize("n", [2, 20])
def test_partner_list_keeps_a_constant_number_of_queries(
    client_for, procurement_manager, django_assert_max_num_queries, n
) -> None:
    _portfolio(n, procurement_manager)
    client = client_for(procurement_manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("partners:list"), {"flagged": "1", "sort": "-flags"})
    assert response.status_code == 200
    assert response.content.decode().count("⚑") == n


@pytest.mark.parametrize("n", [2, 20])
def test_partner_page_keeps_a_constant_number_of_queries(
    client_for, procurement_manager, django_assert_max_num_queries, n
) -> None:
    partners = _portfolio(n, procurement_manager)
    client = client_for(procurement_manager)
    # 25 before issue 11; its panels add 9 at most: value (entries, initiatives), ledger
    # (agreements, events, the form's agreements), surveys (rounds, results), improvement
    # plans (plans, their actions).
    with django_assert_max_num_queries(34):
        response = client.get(reverse("partner-page", args=[partners[0].pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Override reason of" in body
    assert "Secret of" in body
    assert "60:40" in body
    assert "single-sourced" in body


def test_list_filters_by_engagement_model_category_and_owner(
    client_for, procurement_manager, alliance_manager
) -> None:
    jv = PartnerFactory(
        short_name="Jv One", engagement_model="joint_venture", owner=alliance_manager
    )
    PartnerFactory(short_name="Trans One", engagement_model="transactional")
    client = client_for(procurement_manager)
    body = client.get(reverse("partners:list"), {"engagement_model": "joint_venture"}).content
    assert b"Jv One" in body and b"Trans One" not in body
    body = client.get(reverse("partners:list"), {"owner": alliance_manager.pk}).content
    assert b"Jv One" in body and b"Trans One" not in body
    furnish(jv, procurement_manager)
    code = jv.categories.get().code
    body = client.get(reverse("partners:list"), {"category": code}).content
    assert b"Jv One" in body and b"Trans One" not in body


def test_list_paginates(client_for, procurement_manager) -> None:
    for _ in range(27):
        PartnerFactory()
    body = client_for(procurement_manager).get(reverse("partners:list")).content.decode()
    assert "Page 1 of 2" in body


def test_segmentation_form_rating_out_of_range_is_a_field_error(
    client_for, procurement_manager, partner_a
) -> None:
    data = {**all_ratings(3), "switching_cost": 7}
    response = client_for(procurement_manager).post(
        reverse("partners:segmentation", args=[partner_a.pk]), data
    )
    assert response.status_code == 200
    assert "Rating must be between 1 and 5." in response.content.decode()
    assert not SegmentationAssessment.objects.exists()


def test_override_form_needs_a_justification_then_saves(
    client_for, procurement_manager, partner_a
) -> None:
    client = client_for(procurement_manager)
    url = reverse("partners:segmentation", args=[partner_a.pk])
    data = {**all_ratings(2), "override_quadrant": "strategic", "override_justification": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "needs a justification" in response.content.decode()
    data["override_justification"] = "Sole EU source of the additive."
    response = client.post(url, data)
    assert response.status_code == 302
    partner_a.refresh_from_db()
    assert partner_a.quadrant == "strategic"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"gain_share": "70:40"}, "must add up to 100"),
        ({"end_date": "2025-01-01"}, "The end date cannot be before the start date."),
    ],
)
def test_agreement_form_shows_term_errors(
    client_for, procurement_manager, partner_a, overrides, message
) -> None:
    data = {
        "kind": "contract",
        "title": "Supply",
        "start_date": "2026-01-01",
        "end_date": "2027-01-01",
        "notice_period_days": 30,
        "confidentiality_level": "confidential",
        **overrides,
    }
    response = client_for(procurement_manager).post(
        reverse("partners:agreement-create", args=[partner_a.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Agreement.objects.exists()


def test_agreement_form_saves_with_a_document(
    client_for, procurement_manager, partner_a, settings, tmp_path
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    data = {
        "kind": "nda",
        "title": "Mutual NDA",
        "start_date": "2026-01-01",
        "end_date": "2029-01-01",
        "notice_period_days": 0,
        "confidentiality_level": "strictly_confidential",
        "document": SimpleUploadedFile("nda.pdf", b"%PDF-1.4 signed", "application/pdf"),
    }
    client = client_for(procurement_manager)
    response = client.post(reverse("partners:agreement-create", args=[partner_a.pk]), data)
    assert response.status_code == 302
    document = Agreement.objects.get().documents.get()
    download = client.get(reverse("partners:agreement-document", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"


def test_transition_form_requires_lessons_to_exit(client_for, procurement_manager) -> None:
    partner = PartnerFactory(lifecycle_stage="identified")
    url = reverse("partners:transition", args=[partner.pk])
    client = client_for(procurement_manager)
    response = client.post(url, {"to_stage": "exited", "reason": "No fit"})
    assert response.status_code == 200
    assert "Record the lessons learned" in response.content.decode()
    response = client.post(
        url, {"to_stage": "exited", "reason": "No fit", "lessons_learned": "Check capacity."}
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.lifecycle_stage == "exited"


def test_readiness_form_and_second_assessor(
    client_for, procurement_manager, alliance_manager, partner_a
) -> None:
    response = client_for(procurement_manager).post(
        reverse("partners:readiness", args=[partner_a.pk]),
        {"assessed_on": "2026-11-01", **all_criteria(4)},
    )
    assert response.status_code == 302
    assessment = partner_a.readiness_assessments.get()
    assert assessment.band == "ready"
    response = client_for(alliance_manager).post(
        reverse("partners:readiness-rate", args=[partner_a.pk, assessment.pk]),
        {"cultural_fit": 9},
    )
    assert response.status_code == 200
    assert "Rating must be between 1 and 5." in response.content.decode()


def test_edit_form_previews_the_new_playbook_and_records_the_change(
    client_for, procurement_manager
) -> None:
    partner = PartnerFactory(engagement_model="transactional")
    client = client_for(procurement_manager)
    url = reverse("partners:edit", args=[partner.pk])
    preview = client.get(url, {"engagement_model": "joint_venture"}, HTTP_HX_REQUEST="true")
    body = preview.content.decode()
    assert "Moving to this model offers its playbook" in body
    assert "joint-venture-balanced" in body
    assert "<html" not in body
    data = {
        "legal_name": partner.legal_name,
        "short_name": partner.short_name,
        "country": "de",
        "currency": "eur",
        "engagement_model": "joint_venture",
        "tags": "a, b",
    }
    response = client.post(url, data, follow=True)
    partner.refresh_from_db()
    assert (partner.engagement_model, partner.country, partner.tags) == (
        "joint_venture",
        "DE",
        ["a", "b"],
    )
    # The page offers to apply the new playbook, and the audit trail says what changed.
    assert "Use “Apply this playbook” below" in response.content.decode()
    from core.models import AuditEvent

    actions = dict(
        AuditEvent.objects.filter(object_id=str(partner.pk)).values_list("action", "changes")
    )
    assert actions["partner.engagement_model_change"]
    assert actions["partner.update"]["tags"] == [[], ["a", "b"]]


def test_note_form_adds_a_note(client_for, procurement_manager, partner_a) -> None:
    response = client_for(procurement_manager).post(
        reverse("partners:note-create", args=[partner_a.pk]),
        {"body": "Met at the fair", "visibility": "shared"},
    )
    assert response.status_code == 302
    assert partner_a.notes.get().visibility == "shared"


def test_csv_export_quotes_formula_cells_and_keeps_the_filter(
    client_for, procurement_manager
) -> None:
    PartnerFactory(short_name='=HYPERLINK("http://evil")', legal_name="@SUM(A1) Ltd", tags=["+1"])
    PartnerFactory(short_name="Other", engagement_model="transactional")
    response = client_for(procurement_manager).get(
        reverse("partners:export", args=["csv"]), {"engagement_model": "strategic_partnership"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == "'@SUM(A1) Ltd"
    assert rows[1][1].startswith("'=HYPERLINK")
    assert rows[1][9] == "'+1"


def test_xlsx_export_writes_no_formula(client_for, procurement_manager) -> None:
    from openpyxl import load_workbook

    PartnerFactory(short_name="-2+3", legal_name="=1+1 GmbH")
    response = client_for(procurement_manager).get(reverse("partners:export", args=["xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "'=1+1 GmbH"
    assert sheet["B2"].value == "'-2+3"
    assert sheet["A2"].data_type == "s"


def test_kraljic_matrix_page_draws_the_chart(client_for, procurement_manager, partner_a) -> None:
    furnish(partner_a, procurement_manager)
    body = client_for(procurement_manager).get(reverse("partners:matrix")).content.decode()
    assert "vendor/chart.umd.min.js" in body
    assert 'id="kraljic-data"' in body
    assert "cdn" not in body.lower()


def test_justifying_a_premium_on_the_benchmark_form_clears_the_flag(
    client_for, procurement_manager
) -> None:
    partner = PartnerFactory(engagement_model="transactional")
    furnish(partner, procurement_manager)
    benchmark = partner.benchmarks.get()
    partner.refresh_from_db()
    assert "unjustified_premium" in [f["code"] for f in partner.risk_flags]
    response = client_for(procurement_manager).post(
        reverse("partners:benchmark-edit", args=[partner.pk, benchmark.pk]),
        {
            "item": benchmark.item,
            "partner_price": "109",
            "market_price": "100",
            "as_of": "2026-10-01",
            "justification": "Includes two-year warranty.",
        },
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert "unjustified_premium" not in [f["code"] for f in partner.risk_flags]


def test_contact_and_spend_forms(client_for, procurement_manager, partner_a) -> None:
    from tests.factories import CategoryFactory

    client = client_for(procurement_manager)
    response = client.post(
        reverse("partners:contact-create", args=[partner_a.pk]),
        {"name": "Ana Lima", "email": "not-an-email"},
    )
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    response = client.post(
        reverse("partners:contact-create", args=[partner_a.pk]),
        {"name": "Ana Lima", "email": "ana@alpha.example", "is_portal_user": "on"},
    )
    assert response.status_code == 302
    assert partner_a.contacts.get().is_portal_user
    category = CategoryFactory(code="cells")
    url = reverse("partners:spend", args=[partner_a.pk])
    bad = client.post(url, {"year": 2026, "category": category.pk, "amount": "-1"})
    assert bad.status_code == 200
    assert not partner_a.spend.exists()
    assert (
        client.post(url, {"year": 2026, "category": category.pk, "amount": "5"}).status_code == 302
    )
    assert (
        client.post(url, {"year": 2026, "category": category.pk, "amount": "7"}).status_code == 302
    )
    assert list(partner_a.spend.values_list("amount", flat=True)) == [7]


def test_new_partner_form_shows_the_playbook_and_creates(client_for, procurement_manager) -> None:
    client = client_for(procurement_manager)
    page = client.get(reverse("partners:create")).content.decode()
    assert 'id="playbook"' in page and "transactional-basic" in page
    preview = client.get(
        reverse("partners:create"),
        {"engagement_model": "preferred_supplier"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "preferred-supplier" in preview
    response = client.post(
        reverse("partners:create"),
        {
            "legal_name": "Neo Oy",
            "short_name": "Neo",
            "country": "fi",
            "currency": "eur",
            "engagement_model": "preferred_supplier",
        },
    )
    assert response.status_code == 302
    duplicate = client.post(
        reverse("partners:create"),
        {
            "legal_name": "Neo Oy",
            "short_name": "Neo",
            "country": "FI",
            "currency": "EUR",
            "engagement_model": "preferred_supplier",
        },
    )
    assert duplicate.status_code == 200
    assert "already exists" in duplicate.content.decode()
