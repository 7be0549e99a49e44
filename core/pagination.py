"""API pagination whose cost does not grow with the table (issue 12).

DRF's page-number pagination counts every matching row on each request; over millions of
measurements or actions that count alone is the slowest part of the page. Here the count
stops at ``COUNT_CAP`` rows: ``count`` is exact below the cap and equals the cap above it
(``count_capped`` says so), and pages past the cap are still served while they hold rows —
``next`` appears as long as one more row follows. Filtering narrows a list for an exact count.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

COUNT_CAP = 10_000


class CappedPaginator(Paginator):  # type: ignore[type-arg]
    """A Django paginator that counts at most ``COUNT_CAP`` rows (one bounded COUNT)."""

    @cached_property
    def count(self) -> int:
        object_list: Any = self.object_list
        if hasattr(object_list, "order_by"):
            # COUNT(*) over a LIMITed subquery: stops after the cap's rows.
            return int(object_list.order_by().values("pk")[: COUNT_CAP + 1].count())
        return len(object_list)

    @property
    def capped(self) -> bool:
        return self.count > COUNT_CAP

    def validate_number(self, number: Any) -> int:
        if not self.capped:
            return int(super().validate_number(number))
        wanted = int(number) if str(number).isdigit() else 0
        if wanted < 1:
            raise EmptyPage("That page number is less than 1")
        return wanted

    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        number = self.validate_number(number)
        if not self.capped:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        # One row more than a page: whether a next page exists, without counting further.
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows:
            raise EmptyPage("That page contains no results")
        page = CappedPage(rows[: self.per_page], number, self)
        page.more = len(rows) > self.per_page
        return page


class CappedPage(Page):  # type: ignore[type-arg]
    more = False

    def has_next(self) -> bool:
        paginator: Any = self.paginator
        if paginator.capped:
            return self.more
        return bool(super().has_next())


class CappedPageNumberPagination(PageNumberPagination):
    """The API's default pagination: page numbers, a bounded count."""

    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Sequence[Any]) -> Response:
        response = super().get_paginated_response(data)
        paginator: Any = self.page.paginator if self.page is not None else None
        if paginator is not None and paginator.capped:
            response.data["count"] = COUNT_CAP
            response.data["count_capped"] = True
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        shape = super().get_paginated_response_schema(schema)
        shape["properties"]["count_capped"] = {
            "type": "boolean",
            "description": f"Present and true when more than {COUNT_CAP} rows match.",
        }
        return shape
