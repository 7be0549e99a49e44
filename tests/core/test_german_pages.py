"""The demo's pages in German: German text, and no number a machine reads is localised.

German writes 1.5 as "1,5". That is right in a sentence and wrong in an SVG coordinate, a
``style`` width, or a number input's value (the browser drops the shape or the value). The walk
opens every page of the URL configuration (as test_input_walk does) as an administrator and as
a supplier, plus the partner page's tabs, in German and in English, and compares.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client

from core.models import User
from partners.models import Partner
from srm.demo import seed_demo
from srm.partner_page import TABS
from tests.core.test_input_walk import _page_urls
from tests.security.test_supplier_isolation import _give_voltaris_a_record_of_every_kind

pytestmark = pytest.mark.django_db

# SVG (and sizing) attributes that hold one number or a list of numbers.
NUMERIC_ATTRIBUTES = {
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "dx",
    "dy",
    "width",
    "height",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "viewbox",
    "stroke-width",
    "font-size",
    "offset",
}
# Attributes whose own syntax uses commas ("10,20 30,40", "translate(3,4)"): a localised number
# shows as a difference from the English page.
COMMA_SYNTAX = {"points", "d", "transform"}
DECIMAL_COMMA = re.compile(r"\d,\d")
STYLE_SIZE = re.compile(r"(?:^|;)\s*(?:min-|max-)?(?:width|height)\s*:\s*([^;]*)", re.I)


class _MachineNumbers(HTMLParser):
    """(tag, attribute, value) of every value on the page that a machine reads as a number."""

    def __init__(self) -> None:
        super().__init__()
        self.values: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            if name in NUMERIC_ATTRIBUTES or name in COMMA_SYNTAX:
                self.values.append((tag, name, value))
            elif name == "style":
                for size in STYLE_SIZE.findall(value):
                    self.values.append((tag, "style", size.strip()))
        if tag == "input" and values.get("type") == "number" and "value" in values:
            self.values.append((tag, "value", values["value"]))
        if tag == "input" and values.get("type") == "number":
            for bound in ("min", "max", "step"):
                if bound in values:
                    self.values.append((tag, bound, values[bound]))


def machine_numbers(html: str) -> list[tuple[str, str, str]]:
    parser = _MachineNumbers()
    parser.feed(html)
    return parser.values


def localised(values: list[tuple[str, str, str]]) -> list[str]:
    """The values that carry a decimal comma (those whose syntax has commas are compared with
    the English page instead)."""
    return [
        f'<{tag} {name}="{value}">'
        for tag, name, value in values
        if name not in COMMA_SYNTAX and DECIMAL_COMMA.search(value)
    ]


def test_the_check_sees_decimal_commas_where_machines_read_numbers() -> None:
    html = (
        '<svg viewBox="0 0 100 50"><rect x="1,5" y="2" width="10.5" height="3,25"/>'
        '<polyline points="10,20 30,40"/><circle cx="4" cy="5,5" r="1"/></svg>'
        '<div style="width: 12,5%; color: red"></div><div style="height:10px"></div>'
        '<input type="number" value="0,75" step="0.01"><input type="text" value="1,5">'
    )
    assert localised(machine_numbers(html)) == [
        '<rect x="1,5">',
        '<rect height="3,25">',
        '<circle cy="5,5">',
        '<div style="12,5%">',
        '<input value="0,75">',
    ]


@pytest.fixture
def demo() -> dict[str, Any]:
    seed_demo()
    voltaris = Partner.objects.get(short_name="Voltaris")
    _give_voltaris_a_record_of_every_kind(voltaris, User.objects.get(username="lena"))
    return {"voltaris": voltaris}


def _walk(user: User, urls: list[str], language: str) -> dict[str, str]:
    user.language = language
    user.save(update_fields=["language"])
    client = Client(raise_request_exception=False)
    client.force_login(user)
    pages = {}
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            pages[url] = response.content.decode()
    return pages


@pytest.mark.parametrize("username", ["admin", "lena"])
def test_german_pages_keep_machine_numbers_unlocalised(demo, username) -> None:
    voltaris: Partner = demo["voltaris"]
    user = User.objects.get(username=username)
    urls = _page_urls(voltaris) + [f"/partners/{voltaris.pk}/tabs/{tab.key}/" for tab in TABS]
    german = _walk(user, urls, "de")
    english = _walk(user, urls, "en")
    assert len(german) > (40 if username == "admin" else 8), sorted(german)
    assert all('<html lang="de">' in page for page in german.values() if "<html" in page)
    problems = []
    svg_shapes = 0
    for url, page in sorted(german.items()):
        values = machine_numbers(page)
        svg_shapes += sum(v[0] in {"rect", "circle", "polyline", "path", "line"} for v in values)
        problems += [f"{url}: {found}" for found in localised(values)]
        english_values = machine_numbers(english.get(url, ""))
        if url in english and len(values) == len(english_values):
            for (tag, name, value), (_t, _n, english_value) in zip(
                values, english_values, strict=True
            ):
                if name in COMMA_SYNTAX and value != english_value:
                    problems.append(f'{url}: <{tag} {name}="{value}"> (English: "{english_value}")')
    if username == "admin":
        assert svg_shapes > 10  # the walk does see the charts (QBR trend and perspectives)
    assert not problems, "Numbers localised where a machine reads them:\n" + "\n".join(problems)
