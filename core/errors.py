"""Error types shared by every app. Services raise these; forms and the API show them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class FieldErrors(ValueError):
    """Bad input, keyed by field: ``{"end_date": ["The end date is before the start date."]}``.

    Raised by services and rules; forms add them to fields and the API answers 400 with them.
    """

    def __init__(self, errors: Mapping[str, Sequence[str] | str]) -> None:
        self.errors: dict[str, list[str]] = {
            field: [messages] if isinstance(messages, str) else list(messages)
            for field, messages in errors.items()
        }
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class PermissionDeniedError(Exception):
    """The user may not do this. Views turn it into 403; the API into 403 as well."""


class ConflictError(Exception):
    """The request clashes with the current state (e.g. closing a closed period)."""
