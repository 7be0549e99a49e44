"""Error types shared by every app. Services raise these; one handler per surface shows them.

Pages: ``core.middleware.DomainErrorMiddleware``; API: ``core.api.exception_handler``. Both map
the same types to the same statuses: FieldErrors 400, PermissionDeniedError 403,
NotFoundError 404, ConflictError 409.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence


class FieldErrors(ValueError):
    """Bad input, keyed by field: ``{"end_date": ["The end date is before the start date."]}``.

    Raised by services and rules; forms add them to fields and the API answers 400 with them.
    """

    status_code = 400

    def __init__(self, errors: Mapping[str, Sequence[str] | str]) -> None:
        self.errors: dict[str, list[str]] = {
            field: [messages] if isinstance(messages, str) else list(messages)
            for field, messages in errors.items()
        }
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in self.errors.items()))


class PermissionDeniedError(Exception):
    """The user may not do this (403)."""

    status_code = 403


class NotFoundError(Exception):
    """No such record, or none the user may see (404): the two answer alike."""

    status_code = 404


class ConflictError(Exception):
    """The request clashes with the current state, e.g. closing a closed period (409)."""

    status_code = 409


DomainError = FieldErrors | PermissionDeniedError | NotFoundError | ConflictError
