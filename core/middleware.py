"""Middleware of the base: the user's language and time zone, and the one page handler of
domain errors."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation

from core.errors import ConflictError, FieldErrors, NotFoundError, PermissionDeniedError


def language_of(user: object) -> str | None:
    """The user's language when it is one SRM speaks, else None."""
    language = getattr(user, "language", None)
    known = {code for code, _name in settings.LANGUAGES}
    return language if language in known else None


class UserLanguageMiddleware:
    """A signed-in user sees their language (``User.language``, set with the switcher or on
    the preferences page) whatever the browser asks for; the anonymous keep LocaleMiddleware's
    choice (the language cookie, then Accept-Language). API tokens are handled by
    ``core.authentication``, which authenticates inside the view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = language_of(user) if user is not None and user.is_authenticated else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class UserTimezoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        tz_name = getattr(user, "time_zone", None) if user and user.is_authenticated else None
        try:
            if tz_name:
                timezone.activate(zoneinfo.ZoneInfo(tz_name))
            else:
                timezone.deactivate()
        except zoneinfo.ZoneInfoNotFoundError:
            timezone.deactivate()
        return self.get_response(request)


class DomainErrorMiddleware:
    """The one handler that turns a service's domain error into a page: FieldErrors 400,
    PermissionDeniedError 403, NotFoundError 404, ConflictError 409.

    Views still catch FieldErrors where they re-render a form with the messages; what they do
    not catch ends here instead of as a 500. The API maps the same types in
    ``core.api.exception_handler``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFoundError):
            raise Http404(str(exception)) from exception
        if isinstance(exception, PermissionDeniedError):
            raise PermissionDenied(str(exception)) from exception
        if isinstance(exception, FieldErrors | ConflictError):
            status = exception.status_code
            messages = (
                [m for ms in exception.errors.values() for m in ms]
                if isinstance(exception, FieldErrors)
                else [str(exception)]
            )
            return render(
                request, "error.html", {"status": status, "messages": messages}, status=status
            )
        return None
