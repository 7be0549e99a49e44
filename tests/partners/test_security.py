"""Every partners page and API route, as another partner's supplier and as a supplier
asking for its own company's internal data: 403/404 and nothing of the other partner."""

from __future__ import annotations

import pytest
from django.urls import reverse

from partners.models import AgreementDocument
from tests.partners.factories import furnish

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(procurement_manager, partner_a, partner_b, supplier_a, supplier_b, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from partners.services import agreements

    settings.MEDIA_ROOT = tmp_path
    furnish(partner_a, procurement_manager)
    furnish(partner_b, procurement_manager)
    agreement = partner_a.agreements.get()
    agreements.agreement_document_add(
        actor=procurement_manager,
        agreement=agreement,
        file=SimpleUploadedFile("contract.pdf", b"secret terms of Alpha"),
    )
    return {
        "a": partner_a,
        "agreement": agreement,
        "assessment": partner_a.readiness_assessments.first(),
        "document": AgreementDocument.objects.get(),
    }


def _page_routes(world) -> list[tuple[str, str]]:
    a = world["a"].pk
    return [
        ("get", reverse("partners:list")),
        ("get", reverse("partners:create")),
        ("get", reverse("partners:import")),
        ("get", reverse("partners:export", args=["csv"])),
        ("get", reverse("partners:export", args=["xlsx"])),
        ("get", reverse("partners:matrix")),
        ("get", reverse("partners:playbooks")),
        ("get", reverse("partners:playbook-edit", args=["strategic_partnership"])),
        ("post", reverse("partners:playbook-edit", args=["strategic_partnership"])),
        ("get", reverse("partner-page", args=[a])),
        ("get", reverse("partners:edit", args=[a])),
        ("get", reverse("partners:transition", args=[a])),
        ("post", reverse("partners:transition", args=[a])),
        ("get", reverse("partners:segmentation", args=[a])),
        ("get", reverse("partners:readiness", args=[a])),
        ("get", reverse("partners:readiness-rate", args=[a, world["assessment"].pk])),
        ("get", reverse("partners:agreement-create", args=[a])),
        ("get", reverse("partners:agreement-edit", args=[a, world["agreement"].pk])),
        ("get", reverse("partners:agreement-document", args=[world["document"].pk])),
        ("post", reverse("partners:note-create", args=[a])),
        ("get", reverse("partners:supply-item-create", args=[a])),
        ("get", reverse("partners:benchmark-create", args=[a])),
        ("get", reverse("partners:benchmark-edit", args=[a, world["a"].benchmarks.get().pk])),
        ("get", reverse("partners:supply-item-edit", args=[a, world["a"].supply_items.get().pk])),
        ("get", reverse("partners:contact-create", args=[a])),
        ("get", reverse("partners:contact-edit", args=[a, world["a"].contacts.get().pk])),
        ("get", reverse("partners:spend", args=[a])),
        ("post", reverse("partners:spend", args=[a])),
    ]


LEAKS = ("Alpha Cells", "Secret of", "Override reason", "Walk-away", "secret terms", "Benchmark of")


@pytest.mark.parametrize("who", ["supplier_a", "supplier_b"])
def test_no_partner_page_opens_for_a_supplier(client_for, world, who, request) -> None:
    client = client_for(request.getfixturevalue(who))
    for method, url in _page_routes(world):
        response = getattr(client, method)(url)
        assert response.status_code in (403, 404), (method, url, response.status_code)
        body = response.content.decode()
        assert not any(leak in body for leak in LEAKS), (url, body[:300])


def _api_reads(world) -> list[str]:
    a = world["a"]
    return [
        f"/api/v1/partners/{a.pk}/",
        f"/api/v1/partners/{a.pk}/playbook/",
        f"/api/v1/partner-agreements/{world['agreement'].pk}/",
        f"/api/v1/partner-readiness/{world['assessment'].pk}/",
        f"/api/v1/partner-segmentations/{a.segmentations.first().pk}/",
        f"/api/v1/partner-benchmarks/{a.benchmarks.get().pk}/",
        f"/api/v1/partner-supply-items/{a.supply_items.get().pk}/",
        f"/api/v1/partner-contacts/{a.contacts.get().pk}/",
        f"/api/v1/partner-notes/{a.notes.first().pk}/",
        f"/api/v1/partner-spend/{a.spend.get().pk}/",
    ]


def test_another_partners_supplier_gets_404_or_403_on_every_api_record(
    api_for, world, supplier_b
) -> None:
    api = api_for(supplier_b)
    for url in _api_reads(world):
        response = api.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        assert "Alpha" not in response.content.decode()


API_LISTS = [
    "/api/v1/partners/",
    "/api/v1/partner-agreements/",
    "/api/v1/partner-contacts/",
    "/api/v1/partner-notes/",
]


def test_api_lists_hold_nothing_of_another_partner(api_for, world, supplier_b, partner_b) -> None:
    api = api_for(supplier_b)
    for url in API_LISTS:
        response = api.get(url)
        assert response.status_code == 200
        assert "Alpha" not in response.content.decode(), url
        results = response.json()["results"]
        assert results, url
        assert {r.get("partner", r["id"]) for r in results} == {partner_b.pk}, url


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/partner-segmentations/",
        "/api/v1/partner-readiness/",
        "/api/v1/partner-benchmarks/",
        "/api/v1/partner-supply-items/",
        "/api/v1/partner-spend/",
        "/api/v1/partner-playbooks/",
        "/api/v1/partner-readiness-criteria/",
        "/api/v1/partners/export/?format=csv",
        "/api/v1/partners/export/?format=xlsx",
    ],
)
def test_internal_api_lists_are_closed_to_suppliers_even_for_their_own_partner(
    api_for, world, supplier_a, url
) -> None:
    response = api_for(supplier_a).get(url, {"partner": world["a"].pk})
    assert response.status_code == 403


def test_a_supplier_reads_its_own_company_without_internal_fields(
    api_for, world, supplier_a
) -> None:
    api = api_for(supplier_a)
    partner = api.get(f"/api/v1/partners/{world['a'].pk}/").json()
    assert partner["legal_name"] == "Alpha Cells AB"
    for internal in ("quadrant", "risk_flags", "annual_revenue", "alternative_source", "owner"):
        assert internal not in partner
    agreements = api.get("/api/v1/partner-agreements/").json()["results"]
    assert [a["gain_share"] for a in agreements] == ["60:40"]
    assert "internal_notes" not in agreements[0] and "documents" not in agreements[0]
    notes = api.get("/api/v1/partner-notes/").content.decode()
    assert "Shared with Alpha" in notes and "Secret of" not in notes
    # Filtering by an internal field must not reveal it either.
    assert len(api.get("/api/v1/partners/", {"quadrant": "leverage"}).json()["results"]) == 1
    assert api.get(f"/api/v1/partners/{world['a'].pk}/playbook/").status_code == 403


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/partners/"),
        ("post", "/api/v1/partners/import/"),
        ("post", "/api/v1/partner-notes/"),
        ("post", "/api/v1/partner-agreements/"),
        ("post", "/api/v1/partner-segmentations/"),
        ("post", "/api/v1/partner-readiness/"),
        ("post", "/api/v1/partner-benchmarks/"),
        ("post", "/api/v1/partner-contacts/"),
    ],
)
def test_suppliers_cannot_write(api_for, world, supplier_a, method, url) -> None:
    response = getattr(api_for(supplier_a), method)(url, {"partner": world["a"].pk}, format="json")
    assert response.status_code == 403


def test_supplier_cannot_change_another_partners_agreement_or_upload(
    api_for, world, supplier_b
) -> None:
    api = api_for(supplier_b)
    agreement = world["agreement"].pk
    assert api.patch(f"/api/v1/partner-agreements/{agreement}/", {"title": "x"}).status_code in (
        403,
        404,
    )
    assert api.post(f"/api/v1/partner-agreements/{agreement}/documents/", {}).status_code in (
        403,
        404,
    )
    assert api.post(f"/api/v1/partners/{world['a'].pk}/transition/", {}).status_code in (403, 404)
