"""The global search: what each kind of user finds, the HTMX dropdown and the page, and a
constant number of queries whatever the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from core.roles import SYSTEM
from governance.models import Visibility
from governance.services import lessons, plans
from tests.governance.factories import ActionItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def _records(partner, word: str, copies: int = 1) -> None:
    """Records of every kind that mention ``word``: shared and internal ones."""
    for n in range(copies):
        MeetingFactory(partner=partner, title=f"{word} review {n}", visibility=Visibility.SHARED)
        MeetingFactory(
            partner=partner,
            title=f"Prep {n}",
            agenda=f"Internal: how hard to push on {word}",
            visibility=Visibility.INTERNAL,
        )
        ActionItemFactory(partner=partner, title=f"Ship {word} samples {n}")
        ActionItemFactory(
            partner=partner,
            title=f"Find a second {word} source {n}",
            visibility=Visibility.INTERNAL,
        )
        lessons.lesson_record(
            actor=SYSTEM, partner=partner, title=f"{word} lesson {n}", body=f"About {word}."
        )
        plans.plan_create(
            actor=SYSTEM, partner=partner, year=2000 + n, title=f"{word} plan {2000 + n}"
        )


def _dropdown(client, query: str) -> str:
    response = client.get(reverse("search"), {"q": query}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def test_an_internal_user_finds_every_kind_of_record(
    partner_a, client_for, procurement_manager
) -> None:
    _records(partner_a, "cathode")
    html = _dropdown(client_for(procurement_manager), "cathode")
    assert "<html" not in html  # the dropdown only
    for heading in ("Meetings", "Actions", "Lessons learned", "Joint business plans"):
        assert heading in html
    for title in (
        "cathode review 0",
        "Prep 0",  # found by its agenda (full text, stemmed: "cathode" in the agenda)
        "Ship cathode samples 0",
        "Find a second cathode source 0",
        "cathode lesson 0",
        "cathode plan 2000",
    ):
        assert title in html
    assert reverse("governance:meeting", args=[1]).rsplit("1", 1)[0] in html
    # Partners by name.
    html = _dropdown(client_for(procurement_manager), partner_a.short_name[:5])
    assert reverse("partner-page", args=[partner_a.pk]) in html


def test_a_supplier_finds_only_its_own_companys_shared_records(
    partner_a, partner_b, client_for, supplier_b
) -> None:
    """As another partner's supplier: nothing of partner A, and of its own company only the
    shared meetings and actions (never internal ones, lessons or plans)."""
    _records(partner_a, "cathode")
    _records(partner_b, "cathode")
    client = client_for(supplier_b)
    html = _dropdown(client, "cathode")
    assert "cathode review 0" in html and "Ship cathode samples 0" in html
    for leak in ("Prep 0", "Find a second", "lesson", "plan 2000", "Lessons learned"):
        assert leak not in html
    assert reverse("governance:portal-meeting", args=[1]).rsplit("1", 1)[0] in html
    # Partner A's records are never among the results, however they are asked for.
    a_meeting_ids = partner_a.meetings.values_list("pk", flat=True)
    page = client.get(reverse("search"), {"q": "cathode"}).content.decode()
    for pk in a_meeting_ids:
        assert reverse("governance:portal-meeting", args=[pk]) not in page
    assert "Nothing found for" in _dropdown(client, partner_a.short_name)
    assert partner_a.legal_name not in page


def test_the_page_lists_more_and_explains_short_or_empty_queries(
    partner_a, client_for, procurement_manager
) -> None:
    _records(partner_a, "cathode", copies=7)
    client = client_for(procurement_manager)
    assert _dropdown(client, "cathode").count("cathode review") == 5
    page = client.get(reverse("search"), {"q": "cathode"}).content.decode()
    assert page.count("cathode review") == 7
    assert 'name="q" value="cathode"' in page
    assert (
        "Type at least 2 characters" in client.get(reverse("search"), {"q": "c"}).content.decode()
    )
    assert "Nothing found for" in _dropdown(client, "zeppelin")
    # Web-search syntax never errors, whatever is typed.
    assert "Nothing found for" in _dropdown(client, '"unbalanced -or ) ( & |')


def test_the_top_bar_has_the_search_box(client_for, procurement_manager, supplier_a) -> None:
    for user in (procurement_manager, supplier_a):
        html = client_for(user).get(reverse("home"), follow=True).content.decode()
        assert 'data-testid="top-search"' in html and f'hx-get="{reverse("search")}"' in html


@pytest.mark.parametrize("copies", [1, 8])
def test_search_keeps_a_constant_query_count(
    partner_a,
    partner_b,
    client_for,
    procurement_manager,
    supplier_a,
    django_assert_max_num_queries,
    copies,
) -> None:
    _records(partner_a, "cathode", copies)
    _records(partner_b, "cathode", copies)
    internal = client_for(procurement_manager)
    # Session, user, then one query per kind of record.
    with django_assert_max_num_queries(7):
        _dropdown(internal, "cathode")
    with django_assert_max_num_queries(7):
        internal.get(reverse("search"), {"q": "cathode"})
    supplier = client_for(supplier_a)
    with django_assert_max_num_queries(7):
        _dropdown(supplier, "cathode")
