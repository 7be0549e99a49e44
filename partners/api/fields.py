"""Serializer fields that choose related records only among those the request's user may see.

Every app's API uses these for its foreign keys, so an id the user may not see answers exactly
like an id that does not exist ("Invalid pk ... object does not exist"), never revealing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.access import partners_visible_to


@extend_schema_field(OpenApiTypes.INT)
class ScopedPrimaryKeyField(serializers.PrimaryKeyRelatedField[Any]):
    """A primary key chosen from ``scope(user)``, the queryset the request's user may see,
    e.g. ``ScopedPrimaryKeyField(meetings_visible_to)``."""

    def __init__(self, scope: Callable[[Any], QuerySet[Any]], **kwargs: Any) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        request = self.context.get("request")
        return self.scope(getattr(request, "user", None))


def partner_field(**kwargs: Any) -> ScopedPrimaryKeyField:
    """The ``partner`` of a record: one of the partners the user may see."""
    return ScopedPrimaryKeyField(partners_visible_to, **kwargs)
