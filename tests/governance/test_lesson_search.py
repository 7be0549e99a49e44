"""Lessons learned: PostgreSQL full-text search with stemming and ranking."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from core.roles import SYSTEM
from governance import selectors
from governance.services.lessons import lesson_record

pytestmark = pytest.mark.django_db


def _titles(user, query: str) -> list[str]:
    return [lesson.title for lesson in selectors.lesson_search(user, query)]


@pytest.fixture
def lessons(partner_a, partner_b) -> None:
    lesson_record(
        actor=SYSTEM,
        partner=partner_a,
        title="Tooling handover",
        body="The tooling transfer was delayed by six weeks because nobody owned customs.",
    )
    lesson_record(
        actor=SYSTEM,
        partner=partner_b,
        title="Delays in the ramp-up",
        body="Capacity came late; we agreed weekly calls.",
        tags=["capacity"],
    )
    lesson_record(actor=SYSTEM, partner=partner_b, title="Price review", body="Index clauses work.")


def test_stemming_finds_delayed_when_searching_delays(lessons, procurement_manager) -> None:
    assert set(_titles(procurement_manager, "delays")) == {
        "Tooling handover",
        "Delays in the ramp-up",
    }
    assert _titles(procurement_manager, "owning") == ["Tooling handover"]


def test_a_title_match_ranks_above_a_match_in_the_text(lessons, procurement_manager) -> None:
    assert _titles(procurement_manager, "delay") == ["Delays in the ramp-up", "Tooling handover"]


def test_tags_and_partner_names_narrow_the_search(
    lessons, partner_a, partner_b, procurement_manager
) -> None:
    assert _titles(procurement_manager, "capacity") == ["Delays in the ramp-up"]
    assert _titles(procurement_manager, f"{partner_a.short_name} delays") == ["Tooling handover"]
    assert set(_titles(procurement_manager, partner_b.short_name)) == {
        "Delays in the ramp-up",
        "Price review",
    }


@pytest.mark.parametrize("query", ['"', "&|!():*", "delay -customs", "'; drop table", "a" * 500])
def test_any_typed_query_is_safe(lessons, procurement_manager, client_for, query) -> None:
    titles = _titles(procurement_manager, query)
    if query == "delay -customs":
        assert titles == ["Delays in the ramp-up"]
    response = client_for(procurement_manager).get(reverse("governance:lessons"), {"q": query})
    assert response.status_code == 200


def test_the_search_uses_the_gin_index(lessons, procurement_manager) -> None:
    queryset = selectors.lesson_search(procurement_manager, "delays")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = queryset.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "lesson_search_gin" in plan


def test_the_page_shows_the_results(lessons, procurement_manager, client_for, supplier_a) -> None:
    html = (
        client_for(procurement_manager)
        .get(reverse("governance:lessons"), {"q": "delays"}, headers={"HX-Request": "true"})
        .content.decode()
    )
    assert "Tooling handover" in html and "Price review" not in html
    assert not selectors.lesson_search(supplier_a, "delays").exists()
