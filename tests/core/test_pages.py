"""The pages every internal user starts from keep a constant number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import AnnualSpendFactory, PartnerFactory, SupplierContactFactory

pytestmark = pytest.mark.django_db


def _portfolio(owner, n: int) -> None:
    for _ in range(n):
        partner = PartnerFactory(owner=owner)
        AnnualSpendFactory(partner=partner)
        SupplierContactFactory(partner=partner)


@pytest.mark.parametrize(
    ("route", "ceiling"),
    # The workspace: +1 for the latest scores, +2 for disputes to resolve and escalations on me,
    # +1 for the improvement-plan actions the user owns; its header figures are two aggregates
    # (srm.workspace), not the dashboards' four-query summary. The executive dashboard: +6 for issue
    # 11's figures and at-risk reasons (payback, open plans, survey gaps; three queries each).
    [("workspace", 14), ("executive-dashboard", 24), ("partners:list", 12)],
)
def test_portfolio_pages_do_not_query_per_partner(
    route, ceiling, client_for, procurement_manager, django_assert_max_num_queries
) -> None:
    client = client_for(procurement_manager)
    _portfolio(procurement_manager, 2)
    with django_assert_max_num_queries(ceiling) as few:
        assert client.get(reverse(route)).status_code == 200
    _portfolio(procurement_manager, 15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse(route)).status_code == 200


def test_partner_page_shows_the_record(client_for, procurement_manager) -> None:
    partner = PartnerFactory(owner=procurement_manager, short_name="Voltaris")
    SupplierContactFactory(partner=partner, name="Lena Berg")
    body = client_for(procurement_manager).get(reverse("partner-page", args=[partner.pk]))
    text = body.content.decode()
    assert "Voltaris" in text and "Lena Berg" in text
