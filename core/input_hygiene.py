"""Input hygiene in one place: text PostgreSQL cannot store is refused before any view runs.

PostgreSQL refuses a NUL character in text, and UTF-8 cannot encode an unpaired surrogate
(which JSON's ``"\\ud800"`` produces); either used to reach the database and answer 500. The
middleware checks every query parameter, every form field and every value of a JSON body
(keys too) and answers 400 naming the field: an error page for pages, the API's
``{"field": ["message"]}`` for ``/api/``. Query values over ``MAX_QUERY_VALUE`` characters
(no filter or search needs more) are refused the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext, gettext_noop

NUL_MESSAGE = gettext_noop("Null characters are not allowed.")
SURROGATE_MESSAGE = gettext_noop(
    "This text contains a character that cannot be stored (an unpaired surrogate)."
)
MAX_QUERY_VALUE = 2000
_REFUSED = re.compile("[\x00\ud800-\udfff]")


def refused_character_message(value: str) -> str | None:
    """Why ``value`` cannot be stored as text, or None when it can."""
    match = _REFUSED.search(value)
    if match is None:
        return None
    return gettext(NUL_MESSAGE if match.group() == "\x00" else SURROGATE_MESSAGE)


def _printable(name: str) -> str:
    return _REFUSED.sub("?", name) or "?"


def _strings(value: Any) -> Iterator[str]:
    """Every string in a decoded JSON value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _query_errors(data: QueryDict, *, max_length: int | None) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    for name, values in data.lists():
        for text in [name, *values]:
            message = refused_character_message(text)
            if message is None and max_length is not None and len(text) > max_length:
                message = gettext("Ensure this value has at most %(max)d characters.") % {
                    "max": max_length
                }
            if message is not None:
                errors.setdefault(_printable(name), []).append(message)
                break
    return errors


def _json_errors(body: Any) -> dict[str, list[str]]:
    fields = list(body.items()) if isinstance(body, dict) else [("non_field_errors", body)]
    errors: dict[str, list[str]] = {}
    for name, value in fields:
        for text in [str(name), *_strings(value)]:
            message = refused_character_message(text)
            if message is not None:
                errors[_printable(str(name))] = [message]
                break
    return errors


def request_input_errors(request: HttpRequest) -> dict[str, list[str]]:
    """The fields of ``request`` (query, form, JSON body) holding text that cannot be stored."""
    errors = _query_errors(request.GET, max_length=MAX_QUERY_VALUE)
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in {
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    }:
        for name, messages in _query_errors(request.POST, max_length=None).items():
            errors.setdefault(name, messages)
    elif content_type == "application/json" and request.method in {"POST", "PUT", "PATCH"}:
        try:
            body = json.loads(request.body or b"null")
        except ValueError:
            return errors  # malformed JSON: the API's parser answers 400 for it
        for name, messages in _json_errors(body).items():
            errors.setdefault(name, messages)
    return errors


class InputHygieneMiddleware:
    """Answer 400 with field errors when a request carries text PostgreSQL cannot store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        errors = request_input_errors(request)
        if not errors:
            return self.get_response(request)
        if request.path.startswith("/api/"):
            return JsonResponse(errors, status=400)
        messages = [f"{name}: {' '.join(texts)}" for name, texts in errors.items()]
        return render(
            request,
            "error.html",
            {"status": 400, "messages": messages, "field_errors": errors},
            status=400,
        )
