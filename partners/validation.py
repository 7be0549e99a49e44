"""The partner services' two input checks, both answered as FieldErrors (the one error format
forms and the API show): the model's own validation, and fields a service does not take."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from core.errors import FieldErrors


def model_full_clean(instance: models.Model, exclude: Sequence[str] | None = None) -> None:
    """``full_clean``, re-raised as FieldErrors so forms and the API show one error format."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise FieldErrors(exc.message_dict) from exc


def refuse_unknown_fields(data: Mapping[str, object], allowed: frozenset[str]) -> None:
    """Refuse keys a service does not take (its ``TypedDict`` of fields), instead of setting
    whatever attribute it is given."""
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise FieldErrors({name: [_("This field cannot be set here.")] for name in unknown})
