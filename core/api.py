"""API plumbing shared by every app: one error format, role permissions."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ConflictError, FieldErrors, NotFoundError, PermissionDeniedError
from core.models import User
from core.roles import Capability


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map domain errors to 4xx so bad input never becomes a 500.

    Field errors answer 400 as ``{"field": ["message", ...]}``, the same shape DRF's serializers
    give, so clients handle one format.
    """
    if isinstance(exc, FieldErrors):
        exc = exceptions.ValidationError(exc.errors)
    elif isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, PermissionDeniedError | PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, NotFoundError):
        exc = exceptions.NotFound(str(exc) or None)
    elif isinstance(exc, ConflictError):
        return Response({"detail": str(exc)}, status=409)
    return drf_exception_handler(exc, context)


class HasCapability(permissions.BasePermission):
    """Grant access when the user's role has ``view.required_capability`` (read and write)
    or ``view.write_capability`` for unsafe methods."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        needed: Capability | None = getattr(view, "required_capability", None)
        if request.method not in permissions.SAFE_METHODS:
            needed = getattr(view, "write_capability", needed)
        return needed is None or bool(user.can(needed))


def request_actor(request: Request) -> User:
    """The signed-in user behind an API request (permissions have already required one)."""
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated()
    return user


class CodeRelatedField(serializers.SlugRelatedField[Any]):
    """A related record named by its code (``"battery-cells"``). Text PostgreSQL cannot hold
    (a NUL character) names nothing: 400 like an unknown code, never a database error."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)
