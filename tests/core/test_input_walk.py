"""No input is a 500: every page and every API operation, walked with NUL bytes and over-long
values in every query parameter and every text field of its forms and bodies.

Routes come from the URL configuration and the OpenAPI schema (not a hand-made list), so a
route added later is walked too. Path arguments are real ids of Voltaris's records on the demo
portfolio; form fields are the ones the pages really render.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import DatabaseError, transaction
from django.test import Client

from core.models import User
from partners.models import Partner
from srm.demo import seed_demo
from tests.security.test_supplier_isolation import (
    PARAM_VALUES,
    _fill,
    _give_voltaris_a_record_of_every_kind,
    _model_for_param,
    _partner_path,
    _routes,
)

pytestmark = pytest.mark.django_db

NUL = "a\x00b"
LONG = "x" * 5000
BIG_NUMBER = "9" * 40
# Query parameters list pages commonly take, sent to every page besides its own form fields.
COMMON_QUERY = ["q", "search", "page", "sort", "ordering", "status", "year", "kind", "partner"]
# Forms a walk must not submit: they end the walking user's session.
SKIP_ACTIONS = re.compile(r"^/(accounts/|account/|admin/)")


class _Forms(HTMLParser):
    """The forms of a page: action, method and the names of their fields (with a default)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._current: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._current = {
                "action": a.get("action") or a.get("hx-post") or a.get("hx-get") or "",
                "method": "post"
                if (a.get("method", "").lower() == "post" or "hx-post" in a)
                else "get",
                "text": [],
                "other": {},
            }
            self.forms.append(self._current)
            return
        if self._current is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in {"text", "search", "email", "url", "tel", "hidden", "password"}:
                if name != "csrfmiddlewaretoken":
                    self._current["text"].append(name)
            elif kind in {"number", "date", "datetime-local", "month", "time"}:
                self._current["text"].append(name)
            elif kind in {"checkbox", "radio"}:
                self._current["other"].setdefault(name, a.get("value", "on"))
        elif tag == "textarea" and name:
            self._current["text"].append(name)
        elif tag == "select" and name:
            self._select = name
            self._current["text"].append(name)  # an invalid choice is probed too
        elif tag == "option" and self._select and self._select not in self._current["other"]:
            self._current["other"][self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._current = None
        elif tag == "select":
            self._select = None


def _forms(html: str, url: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        form["action"] = form["action"] or url
    return parser.forms


@pytest.fixture
def demo() -> dict[str, Any]:
    seed_demo()
    voltaris = Partner.objects.get(short_name="Voltaris")
    _give_voltaris_a_record_of_every_kind(voltaris, User.objects.get(username="lena"))
    return {"voltaris": voltaris, "admin": User.objects.get(username="admin")}


def _page_urls(voltaris: Partner) -> list[str]:
    urls = []
    for route, params in _routes():
        values: dict[str, Any] = {}
        for param in params:
            if param in {"partner_id", "partner_pk"}:
                values[param] = voltaris.pk
                continue
            if param in PARAM_VALUES:
                values[param] = PARAM_VALUES[param]
                continue
            model = _model_for_param(param)
            path = _partner_path(model) if model is not None else None
            if model is None or path is None:
                break
            instance = model._default_manager.filter(**{path: voltaris}).order_by("pk").first()
            if instance is None:
                break
            values[param] = instance.pk
        else:
            urls.append(_fill(route, values))
    return urls


class _Broken:
    """Stands for a response when a request broke the transaction (a 500 in production)."""

    status_code = 500

    def get(self, _name: str, default: str = "") -> str:
        return default


def _send(client: Client, method: str, url: str, *args: Any, **kwargs: Any) -> Any:
    """One request in a savepoint, so a request that breaks the transaction (a 500) is
    reported and the walk goes on."""
    sid = transaction.savepoint_create()
    try:
        response = getattr(client, method)(url, *args, **kwargs)
    except DatabaseError:
        response = _Broken()
    if response.status_code >= 500:
        transaction.set_rollback(False)
        transaction.savepoint_rollback(sid)
    else:
        transaction.savepoint_commit(sid)
    return response


def _is_page(response: Any) -> bool:
    return response.status_code == 200 and "html" in response.get("Content-Type", "")


def test_no_page_answers_5xx_to_nul_bytes_or_over_long_values(demo) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(demo["admin"])
    failures: list[str] = []
    forms: dict[tuple[str, str], dict[str, Any]] = {}
    urls = _page_urls(demo["voltaris"])
    assert len(urls) > 60, urls
    for url in urls:
        plain = _send(client, "get", url)
        if _is_page(plain):
            for form in _forms(plain.content.decode(), url):
                key = (form["method"], form["action"].split("?")[0])
                forms.setdefault(key, form)
        get_fields = {
            name
            for (method, action), form in forms.items()
            if method == "get" and action == url
            for name in form["text"]
        }
        for value in (NUL, LONG, BIG_NUMBER):
            query = dict.fromkeys(sorted(get_fields | set(COMMON_QUERY)), value)
            response = _send(client, "get", url, query)
            if response.status_code >= 500:
                failures.append(f"GET {url} {value[:3]!r}… → {response.status_code}")
    posted = 0
    for (method, action), form in sorted(forms.items()):
        if method != "post" or SKIP_ACTIONS.match(action) or not form["text"]:
            continue
        for value in (NUL, LONG):
            for name in form["text"]:
                data = {**form["other"], **dict.fromkeys(form["text"], "1"), name: value}
                response = _send(client, "post", action, data)
                posted += 1
                if response.status_code >= 500:
                    failures.append(f"POST {action} {name}={value[:3]!r}… → {response.status_code}")
    assert posted > 30
    assert not failures, "\n".join(failures)
    # Bounded by construction (a fixed set of requests per route and form field), not by the
    # wall clock, which a loaded machine stretches: about 40 s here.
    assert len(urls) * 4 + posted < 2500


def _schema(client: Client) -> dict[str, Any]:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return dict(json.loads(response.content))


def _resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    if "allOf" in node:
        merged: dict[str, Any] = {"properties": {}}
        for part in node["allOf"]:
            merged["properties"].update(_resolve(schema, part).get("properties", {}))
        return merged
    return node


def _poisoned(schema: dict[str, Any], body_schema: dict[str, Any], value: str) -> dict[str, Any]:
    """A body with ``value`` in every text field (and every list of text) the schema names."""
    body: dict[str, Any] = {}
    for name, prop in _resolve(schema, body_schema).get("properties", {}).items():
        prop = _resolve(schema, prop)
        if prop.get("readOnly"):
            continue
        kind = prop.get("type")
        if kind == "string" or "enum" in prop or "oneOf" in prop:
            body[name] = value
        elif kind == "array":
            item = _resolve(schema, prop.get("items", {}))
            body[name] = [value] if item.get("type") in {"string", None} else []
    return body


def _first_id(client: Client, collection: str) -> int | None:
    response = client.get(collection)
    if response.status_code != 200:
        return None
    body = response.json()
    items = body.get("results", body) if isinstance(body, dict) else body
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and "id" in item:
            return int(item["id"])
    return None


def test_no_api_operation_answers_5xx_to_nul_bytes_or_over_long_values(demo) -> None:
    client = Client(raise_request_exception=False)
    client.force_login(demo["admin"])
    schema = _schema(client)
    failures: list[str] = []
    probed = 0
    for path, operations in schema["paths"].items():
        url = path
        for param in re.findall(r"\{(\w+)\}", path):
            collection = path.split("{")[0]
            ident = _first_id(client, collection) or 1
            url = url.replace("{" + param + "}", str(ident))
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch"}:
                continue
            query_names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
            content = operation.get("requestBody", {}).get("content", {})
            body_schema = (content.get("application/json") or {}).get("schema")
            for value in (NUL, LONG, BIG_NUMBER):
                query = "&".join(f"{n}={value.replace(chr(0), '%00')}" for n in query_names)
                target = f"{url}?{query}" if query else url
                if method == "get":
                    response = _send(client, "get", target)
                else:
                    body = _poisoned(schema, body_schema, value) if body_schema else {}
                    response = _send(
                        client, method, target, json.dumps(body), content_type="application/json"
                    )
                probed += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{method.upper()} {url} {value[:3]!r}… → {response.status_code}"
                    )
    assert probed > 100
    assert not failures, "\n".join(failures)
    assert probed < 1500  # bounded by construction: three probes per operation
