"""API lists read as a portfolio-wide user skip the all-partners join (issue 12) and still
return exactly the rows the user may see, in the same order, in queries that do not grow."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Model, QuerySet

from governance.models import ActionItem, Meeting
from partners.access import partners_visible_to, visible_partners_only
from partners.models import AnnualSpend, Partner, SupplierContact
from scorecards.models import Measurement, Period
from tests.factories import (
    AnnualSpendFactory,
    PartnerFactory,
    SupplierContactFactory,
    supplier_user,
)
from tests.governance.factories import ActionItemFactory, MeetingFactory
from tests.scorecards.factories import scorecard_for

pytestmark = pytest.mark.django_db


def _partner_with_records(name: str) -> Partner:
    partner = PartnerFactory(short_name=name)
    AnnualSpendFactory(partner=partner)
    SupplierContactFactory(partner=partner)
    MeetingFactory(partner=partner)
    ActionItemFactory(partner=partner)
    return partner


def _ids(queryset: QuerySet[Model]) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


@pytest.mark.parametrize(
    ("model", "path"),
    [
        (AnnualSpend, "partner"),
        (SupplierContact, "partner"),
        (Meeting, "partner"),
        (ActionItem, "partner"),
        (Period, "scorecard__partner"),
        (Measurement, "period__scorecard__partner"),
    ],
)
def test_visible_partners_only_is_the_partner_scope(
    model, path, procurement_manager, executive
) -> None:
    mine = _partner_with_records("Voltaris")
    other = _partner_with_records("Nordkraft")
    scorecard_for(mine, today=date(2026, 5, 10))
    scorecard_for(other, today=date(2026, 5, 10))
    supplier = supplier_user(mine, "lena-scope")
    everything = model._default_manager.all()
    for user in (procurement_manager, executive, supplier):
        scoped = visible_partners_only(everything, user, path)
        expected = everything.filter(**{f"{path}__in": partners_visible_to(user)})
        assert _ids(scoped) == _ids(expected)
    # The supplier sees its own partner's rows only; managers see both partners'.
    if _ids(everything):
        assert set(_ids(visible_partners_only(everything, supplier, path))) < set(_ids(everything))


def test_a_portfolio_wide_list_has_no_partner_join(procurement_manager, client_for) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _partner_with_records("Voltaris")
    with CaptureQueriesContext(connection) as queries:
        client_for(procurement_manager).get(
            "/api/v1/partner-spend/", HTTP_ACCEPT="application/json"
        )
    listing = [q["sql"] for q in queries.captured_queries if "partners_annualspend" in q["sql"]]
    assert listing and not any('IN (SELECT "partners_partner"."id"' in sql for sql in listing)


LISTS = [
    "/api/v1/partners/",
    "/api/v1/partner-spend/",
    "/api/v1/partner-contacts/",
    "/api/v1/governance/meetings/",
    "/api/v1/governance/actions/",
    "/api/v1/scorecards/",
    "/api/v1/scorecard-periods/",
]


@pytest.mark.parametrize("url", LISTS)
def test_api_lists_keep_their_queries_and_order_as_rows_grow(
    url, procurement_manager, client_for, django_assert_max_num_queries
) -> None:
    client = client_for(procurement_manager)
    for name in ("Birch", "Alder"):
        scorecard_for(_partner_with_records(name), today=date(2026, 5, 10))
    with django_assert_max_num_queries(12) as few:
        first = client.get(url, HTTP_ACCEPT="application/json")
    assert first.status_code == 200 and first.json()["count"] >= 2
    for n in range(8):
        scorecard_for(_partner_with_records(f"Cedar {n}"), today=date(2026, 5, 10))
    with django_assert_max_num_queries(len(few.captured_queries)):
        more = client.get(url, HTTP_ACCEPT="application/json")
    assert more.status_code == 200 and more.json()["count"] > first.json()["count"]


def test_partner_records_are_listed_by_partner_name(procurement_manager, client_for) -> None:
    for name in ("Cedar", "Alder", "Birch"):
        _partner_with_records(name)
    rows = client_for(procurement_manager).get("/api/v1/partner-spend/").json()["results"]
    names = [Partner.objects.get(pk=row["partner"]).short_name for row in rows]
    assert names == sorted(names)


def test_the_category_filter_lists_each_partner_once(procurement_manager, client_for) -> None:
    from tests.factories import CategoryFactory

    cells, packs = CategoryFactory(code="cells"), CategoryFactory(code="packs")
    both = PartnerFactory(short_name="Both")
    both.categories.add(cells, packs)
    PartnerFactory(short_name="Neither")
    api = client_for(procurement_manager)
    rows = api.get("/api/v1/partners/?category=cells").json()["results"]
    assert [row["short_name"] for row in rows] == ["Both"]
