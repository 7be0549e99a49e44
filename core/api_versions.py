"""Conditional requests for the API's versioned records (core.concurrency).

Detail responses (GET, and the answer to PUT/PATCH) carry a strong ``ETag`` derived from the
record's version, and the JSON a ``version`` field. A write may name the version it is based
on, either way; both are optional:

- ``If-Match: "<etag>"`` on PUT/PATCH/DELETE: 412 Precondition Failed when the record is no
  longer at that version (or the tag is not one of this record's). ``If-Match: *`` matches any.
- ``"version": N`` in the body (without If-Match): 409 Conflict when the record moved on.

Without either, the write goes ahead as before (older clients keep working).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response

from core.concurrency import StaleEditError, Versioned, version_etag, version_from_etag, version_of

_CONDITIONAL_METHODS = {"PUT", "PATCH", "DELETE"}
_ETAG_ACTIONS = {"retrieve", "update", "partial_update"}


class PreconditionFailed(exceptions.APIException):
    status_code = 412
    default_detail = _(
        "The record changed since you read it (If-Match does not name its current version). "
        "Read it again (GET) and send your change with the new ETag."
    )
    default_code = "precondition_failed"


class ConditionalWriteMixin(generics.GenericAPIView[Any]):
    """Put first in a viewset's bases; its ``perform_update`` passes
    :meth:`expected_version` to the service as ``expected_version``."""

    _etag_object: Versioned | None = None
    _expected_version: int | None = None
    _if_match = False

    def get_object(self) -> Any:
        obj = super().get_object()
        if isinstance(obj, Versioned):
            self._etag_object = obj
            if self.request.method in _CONDITIONAL_METHODS:
                self._read_precondition(obj)
        return obj

    def _read_precondition(self, obj: Versioned) -> None:
        header = self.request.headers.get("If-Match")
        if header:
            try:
                version = version_from_etag(header, obj)
            except ValueError as exc:
                raise PreconditionFailed() from exc
            if version is not None and version != obj.version:
                raise PreconditionFailed()
            self._expected_version, self._if_match = version, True
            return
        data = self.request.data
        if isinstance(data, Mapping) and "version" in data:
            self._expected_version = version_of(data.get("version"))

    def expected_version(self) -> int | None:
        """The version the client based its write on (If-Match or body), None if it sent none."""
        return self._expected_version

    def handle_exception(self, exc: Exception) -> Response:
        # Another write slipped in between the If-Match check and the service's row lock.
        if isinstance(exc, StaleEditError) and self._if_match:
            exc = PreconditionFailed()
        return super().handle_exception(exc)

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = self._etag_object
        if (
            obj is not None
            and 200 <= response.status_code < 300
            and getattr(self, "action", None) in _ETAG_ACTIONS
        ):
            data = getattr(response, "data", None)
            if isinstance(data, Mapping) and isinstance(data.get("version"), int):
                obj.version = data["version"]
            response["ETag"] = version_etag(obj)
        return response
