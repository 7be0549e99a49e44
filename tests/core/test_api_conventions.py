"""One list behaviour on every endpoint (README "Lists, filters, ordering and errors"):
paged, ordered by any field it offers without a 5xx, bad filters 400, and the README's
worked example run with curl against a live server (issue 15)."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.filters import OrderingFilter
from rest_framework.test import APIClient, APIRequestFactory
from rest_framework.viewsets import ViewSetMixin

from core.api_tokens import api_token_create
from core.models import User
from partners.models import Partner
from tests.factories import PartnerFactory
from tests.governance.factories import ActionItemFactory

pytestmark = pytest.mark.django_db

# Lists that are not a collection of records: one entry per notification kind.
UNPAGED = {"/api/v1/notification-preferences/"}


def _list_routes() -> list[tuple[str, Any]]:
    """(path, viewset class) of every router list route under /api/v1/."""
    routes: list[tuple[str, Any]] = []

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                cls = getattr(p.callback, "cls", None)
                actions = getattr(p.callback, "actions", {}) or {}
                path = prefix + str(p.pattern)
                if (
                    cls is not None
                    and issubclass(cls, ViewSetMixin)
                    and actions.get("get") == "list"
                    and path.startswith("api/v1/")
                    and "format" not in path
                ):
                    routes.append(("/" + path.replace("^", "").replace("$", ""), cls))

    walk(get_resolver().url_patterns, "")
    return sorted(set(routes), key=lambda r: r[0])


def test_every_list_is_paged(api_for: Callable[[User], APIClient], administrator: User) -> None:
    api = api_for(administrator)
    routes = _list_routes()
    assert len(routes) > 25
    for path, _ in routes:
        body = api.get(path).json()
        if path in UNPAGED:
            assert isinstance(body, list), path
            continue
        assert set(body) == {"count", "next", "previous", "results"}, path
        past_the_end = api.get(path, {"page": 999})
        assert past_the_end.status_code == 404, path
        assert past_the_end.json() == {"detail": "Invalid page."}, path


def test_every_list_orders_by_every_field_it_offers(
    api_for: Callable[[User], APIClient], administrator: User, partner_a: Partner
) -> None:
    ActionItemFactory(partner=partner_a)
    api = api_for(administrator)
    factory = APIRequestFactory()
    checked = 0
    for path, cls in _list_routes():
        if path in UNPAGED:
            continue
        if OrderingFilter not in [*getattr(cls, "filter_backends", [])] and not (
            "filter_backends" not in cls.__dict__ and _default_ordering()
        ):
            continue
        view = cls(action="list", action_map={"get": "list"}, format_kwarg=None, kwargs={})
        view.request = view.initialize_request(factory.get(path))
        view.request.user = administrator
        fields = OrderingFilter().get_valid_fields(view.get_queryset(), view, {"request": None})
        for name, _ in fields:
            for term in (name, f"-{name}"):
                answer = api.get(path, {"ordering": term})
                assert answer.status_code == 200, (path, term, answer.content[:300])
                checked += 1
        assert api.get(path, {"ordering": "no_such_field"}).status_code == 200, path
    assert checked > 100


def _default_ordering() -> bool:
    from django.conf import settings  # settings read at call time: pytest may override them

    backends = settings.REST_FRAMEWORK["DEFAULT_FILTER_BACKENDS"]
    return "rest_framework.filters.OrderingFilter" in backends


def test_a_bad_filter_value_is_a_400_naming_the_filter(
    api_for: Callable[[User], APIClient], administrator: User
) -> None:
    answer = api_for(administrator).get("/api/v1/governance/actions/", {"status": "someday"})
    assert answer.status_code == 400
    assert answer.json() == {
        "status": ["Select a valid choice. someday is not one of the available choices."]
    }


def _readme_curl_lines() -> list[str]:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("### Lists, filters, ordering and errors", 1)[1]
    block = section.split("```sh", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.startswith("curl ")]


@pytest.mark.django_db(transaction=True)
def test_the_readme_worked_example_runs(live_server: Any, tmp_path: Path) -> None:
    manager = User.objects.create_user("readme-pm", role="procurement_manager")
    partner = PartnerFactory(short_name="Voltaris", legal_name="Voltaris Cell Technologies AB")
    for title, due in (
        ("Send 2027 volume forecast", date(2026, 11, 20)),
        ("Yield", date(2026, 11, 18)),
    ):
        ActionItemFactory(partner=partner, title=title, due_date=due, status="open")
    ActionItemFactory(partner=partner, title="Done already", status="done")
    secret = api_token_create(actor=manager, name="README", lifetime_days=7).secret
    env = {**os.environ, "SRM_TOKEN": secret}

    def run(command: str) -> str:
        command = command.replace("https://srm.example.com", live_server.url)
        command = command.replace("/partners/7/", f"/partners/{partner.pk}/")
        command = command.replace("partner=7", f"partner={partner.pk}")
        result = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    listing, bad_filter, export = _readme_curl_lines()
    body = json.loads(run(listing))
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    assert [a["title"] for a in body["results"]] == ["Send 2027 volume forecast", "Yield"]
    assert json.loads(run(bad_filter)) == {
        "status": ["Select a valid choice. someday is not one of the available choices."]
    }
    run(export)
    exported = json.loads((tmp_path / "voltaris.json").read_text())
    assert exported["format_version"] == 1 and exported["partner"]["short_name"] == "Voltaris"
