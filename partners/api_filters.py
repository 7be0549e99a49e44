"""The API's filter backend: every related filter chooses among what the request's user may see.

django-filter builds a ``ModelChoiceFilter`` for each foreign key in ``filterset_fields`` from
*every* row of the related table. That leaks twice: the browsable API's filter form lists every
partner's name (and every meeting, cadence, scorecard, KPI …), and on the JSON API an id the user
may not see filters to an empty 200 while an unknown id answers 400, an existence oracle.

``ScopedFilterBackend`` replaces each related filter's choices with a scoped queryset before the
filter form is built, so a foreign id and an unknown id are the same invalid choice (400, same
body) and the form lists only what the user may see. A view names the scope of each related
filter in ``filter_scopes`` (``{"meeting": meetings_visible_to}``); ``partner`` is scoped through
``partners.access.partners_visible_to`` by default. A related filter without a scope is a
configuration error, so a new filter cannot leak by being forgotten.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import django_filters
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend

from partners.access import partners_visible_to
from partners.models import Partner

type FilterScope = Callable[[Any], QuerySet[Any]]

# Filters every view may have without naming a scope.
DEFAULT_SCOPES: Mapping[str, FilterScope] = {"partner": partners_visible_to}

_RELATED_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


def scope_filterset(filterset: Any, user: Any, scopes: Mapping[str, FilterScope]) -> Any:
    """Point every related filter of ``filterset`` at ``scopes[name](user)``."""
    for name, filter_ in filterset.filters.items():
        if not isinstance(filter_, _RELATED_FILTERS):
            continue
        scope = scopes.get(name)
        if scope is None and name in DEFAULT_SCOPES:
            related = getattr(filter_.queryset, "model", None)
            scope = DEFAULT_SCOPES[name] if related in (None, Partner) else None
        if scope is None:
            raise ImproperlyConfigured(
                f"The related filter {name!r} of {type(filterset).__name__} has no scope: name "
                "the queryset of what the user may see in the view's filter_scopes."
            )
        filter_.queryset = scope(user)
        # A field built earlier (a cached copy) would keep the unscoped choices.
        filter_.__dict__.pop("_field", None)
    return filterset


class ScopedFilterBackend(DjangoFilterBackend):  # type: ignore[misc,unused-ignore]  # untyped library
    """``DjangoFilterBackend`` whose related filters are scoped to the request's user."""

    def get_filterset(self, request: Any, queryset: QuerySet[Any], view: Any) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        scopes: Mapping[str, FilterScope] = getattr(view, "filter_scopes", {})
        return scope_filterset(filterset, getattr(request, "user", None), scopes)
