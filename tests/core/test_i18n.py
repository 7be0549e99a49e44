"""The two checks of issue 14: every template string is marked for translation, and every
message the sources mark has a German translation in ``locale/de/LC_MESSAGES/django.po``.

Areas other branches are still marking are PENDING: their checks are expected to fail
(``xfail(strict=True)``), so a finished area shows up as XPASS, a hard failure, until its entry
is removed from PENDING; from then on both checks hold it for good.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
CATALOGUE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"

# Areas still being marked on other branches (template paths relative to templates/, source
# paths relative to the repository). Remove an entry when its branch is merged and complete.
PENDING: dict[str, tuple[str, ...]] = {}

# PENDING areas whose messages are not all translated yet (a subset of PENDING: an area's
# templates can still be unmarked while every message it marked so far is translated).
PENDING_MESSAGES: set[str] = set()

# Words that read the same in both languages and may stay unmarked.
ALLOWED_TOKENS = {
    "SRM",
    "API",
    "PDF",
    "CSV",
    "XLSX",
    "ICS",
    "KPI",
    "KPIs",
    "QBR",
    "ROI",
    "ISO",
    "TOTP",
    "HTMX",
    "JSON",
    "OpenAPI",
    "EUR",
    "ID",
}
# Attributes people read (a tooltip, a placeholder, a screen reader's label, a confirmation).
TEXT_ATTRIBUTES = {
    "title",
    "placeholder",
    "alt",
    "aria-label",
    "data-confirm",
    "hx-confirm",
    "label",
}
# <input type=…> whose value is the visible caption of a button.
BUTTON_INPUTS = {"submit", "button", "reset"}

LETTER = re.compile(r"[^\W\d_]")
ALLOWED = re.compile(r"\b(?:" + "|".join(sorted(ALLOWED_TOKENS, key=len, reverse=True)) + r")\b")


def _pending_area(path: str) -> str | None:
    """The PENDING area a path (a template under templates/ or a source file) belongs to."""
    template = path.removeprefix("templates/")
    for area, prefixes in PENDING.items():
        for prefix in prefixes:
            if template.startswith(prefix) or path.startswith(prefix):
                return area
    return None


# --- a) Every template string is marked ----------------------------------------------------


def _templates() -> list[str]:
    names = []
    for path in sorted(TEMPLATES.rglob("*")):
        if not path.is_file() or path.suffix not in {".html", ".txt"}:
            continue
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith("drf_spectacular/"):
            continue  # the API docs' page: Swagger UI's own
        if re.search(r"\.(en|de)\.txt$", relative):
            continue  # e-mail bodies, written once per language
        names.append(relative)
    return names


def _blank(match: re.Match[str]) -> str:
    """Removed template text keeps its line breaks, so reported line numbers stay right."""
    return "\n" * match.group(0).count("\n")


# Unmarked literals given to filters that show them ({{ x|default:"none" }}).
SHOWN_LITERAL = re.compile(r"\|(?:default|default_if_none|yesno):(\"[^\"]*\"|'[^']*')")


def _strip_template_syntax(source: str) -> tuple[str, list[tuple[int, str]]]:
    """The template as plain HTML, and the unmarked literals its tags show."""
    source = re.sub(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}", _blank, source, flags=re.S)
    source = re.sub(r"{#.*?#}", _blank, source, flags=re.S)
    source = re.sub(
        r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}",
        _blank,
        source,
        flags=re.S,
    )
    literals = []
    for tag in re.finditer(r"{{.*?}}|{%.*?%}", source, flags=re.S):
        for literal in SHOWN_LITERAL.finditer(tag.group(0)):
            if LETTER.search(ALLOWED.sub("", literal.group(1))):
                line = source.count("\n", 0, tag.start()) + 1
                literals.append((line, literal.group(0)))
    source = re.sub(r"{{.*?}}|{%.*?%}", _blank, source, flags=re.S)
    return source, literals


class _VisibleText(HTMLParser):
    """Text nodes and read attributes outside <script>/<style>; entities and comments are
    left out (convert_charrefs off: entities arrive apart and are ignored)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.found: list[tuple[int, str]] = []
        self._raw = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style"}:
            self._raw += 1
        values = {name: value or "" for name, value in attrs}
        for name, value in values.items():
            shown = name in TEXT_ATTRIBUTES or (
                name == "value" and tag == "input" and values.get("type") in BUTTON_INPUTS
            )
            if shown and _has_words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag in {"script", "style"}:
            self._raw -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"} and self._raw:
            self._raw -= 1

    def handle_data(self, data: str) -> None:
        if not self._raw and _has_words(data):
            leading = data[: len(data) - len(data.lstrip())]
            line = self.getpos()[0] + leading.count("\n")
            self.found.append((line, " ".join(data.split())))


def _has_words(text: str) -> bool:
    return bool(LETTER.search(ALLOWED.sub("", text)))


def unmarked_strings(relative: str) -> list[str]:
    """``line: text`` of every string in the template that is not marked for translation."""
    source = (TEMPLATES / relative).read_text(encoding="utf-8")
    html, literals = _strip_template_syntax(source)
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    found = sorted(parser.found + literals)
    return [f"templates/{relative}:{line}: {text!r}" for line, text in found]


def _template_params() -> list[object]:
    """One test per finished template; one per PENDING area, over all of its templates."""
    params: list[object] = []
    for relative in _templates():
        if _pending_area(f"templates/{relative}") is None:
            params.append(pytest.param([relative], id=relative))
    for area in PENDING:
        params.append(
            pytest.param(
                [r for r in _templates() if _pending_area(f"templates/{r}") == area],
                id=f"pending:{area}",
                marks=pytest.mark.xfail(strict=True, reason=f"{area}: marked on another branch"),
            )
        )
    return params


@pytest.mark.parametrize("templates", _template_params())
def test_every_template_string_is_marked_for_translation(templates: list[str]) -> None:
    assert templates
    unmarked = [text for relative in templates for text in unmarked_strings(relative)]
    assert not unmarked, (
        "Text not marked for translation (use {% translate %} / {% blocktranslate trimmed %}, "
        "or add a brand token to ALLOWED_TOKENS):\n" + "\n".join(unmarked)
    )


def test_the_check_finds_unmarked_text_attributes_and_literals(tmp_path, monkeypatch) -> None:
    """The check itself: what it must flag and what it must let through."""
    monkeypatch.setattr(sys.modules[__name__], "TEMPLATES", tmp_path)
    (tmp_path / "t.html").write_text(
        "{% load i18n %}{# a note #}{% comment %}Old text{% endcomment %}\n"
        "<h1>{% translate 'Partners' %}</h1><p>SRM · PDF &amp; CSV</p>\n"
        "<p>{% blocktranslate trimmed %}Hello {{ name }}{% endblocktranslate %}</p>\n"
        "<script>const label = 'not shown';</script><style>p { color: red }</style>\n"
        "<!-- a comment -->\n"
        "<p>Unmarked words</p>\n"
        '<input title="Tooltip" value="data" type="text"><input type="submit" value="Save">\n'
        '<a href="#" aria-label="{% translate \'Fine\' %}">{{ x|default:"nothing" }}</a>\n'
    )
    assert unmarked_strings("t.html") == [
        "templates/t.html:6: 'Unmarked words'",
        "templates/t.html:7: 'title=\"Tooltip\"'",
        "templates/t.html:7: 'value=\"Save\"'",
        "templates/t.html:8: '|default:\"nothing\"'",
    ]


# --- b) Every marked message has its German translation --------------------------------------


@dataclass
class Message:
    msgid: str
    context: str = ""
    plural: str = ""
    strings: list[str] = field(default_factory=list)
    fuzzy: bool = False
    references: list[str] = field(default_factory=list)


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(
        r'\\(["\\ntr])',
        lambda m: {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(1), m.group(1)),
        body,
    )


def read_po(text: str) -> dict[tuple[str, str], Message]:
    """The entries of a .po file by (context, msgid); the header and obsolete entries left out."""
    entries: dict[tuple[str, str], Message] = {}
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        fields: dict[str, str] = {}
        current = ""
        fuzzy = False
        references: list[str] = []
        for line in lines:
            if line.startswith("#,"):
                fuzzy = fuzzy or "fuzzy" in line
            elif line.startswith("#:"):
                references += [ref.rsplit(":", 1)[0] for ref in line[2:].split()]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[current] += _unquote(line)
            else:
                current, _, rest = line.partition(" ")
                fields[current] = _unquote(rest)
        if "msgid" not in fields or not fields["msgid"]:
            continue
        strings = [v for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        message = Message(
            msgid=fields["msgid"],
            context=fields.get("msgctxt", ""),
            plural=fields.get("msgid_plural", ""),
            strings=strings,
            fuzzy=fuzzy,
            references=references,
        )
        entries[(message.context, message.msgid)] = message
    return entries


PLACEHOLDER = re.compile(r"%\(\w+\)[sdfir]|%[sdfir]")


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def translation_problems(
    extracted: dict[tuple[str, str], Message], catalogue: dict[tuple[str, str], Message]
) -> list[str]:
    problems = []
    for key, message in sorted(extracted.items()):
        where = ", ".join(sorted(set(message.references))[:3])
        label = f"{message.msgid!r} ({where})"
        entry = catalogue.get(key)
        if entry is None:
            problems.append(f"missing from django.po: {label}")
            continue
        if entry.fuzzy:
            problems.append(f"fuzzy: {label}")
        if not entry.strings or not all(entry.strings):
            problems.append(f"no German: {label}")
            continue
        for translated in entry.strings:
            if message.plural:
                # A singular may say "ein Element" without the count.
                wanted = set(_placeholders(message.msgid)) | set(_placeholders(message.plural))
                same = set(_placeholders(translated)) <= wanted
            else:
                same = _placeholders(translated) == _placeholders(message.msgid)
            if not same:
                problems.append(f"placeholders differ in {translated!r}: {label}")
    return problems


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[tuple[str, str], Message]:
    """The messages the sources mark today: ``make messages``' makemessages run on a copy of
    the sources (with file references, to tell the areas apart)."""
    if not shutil.which("xgettext"):
        pytest.fail("GNU gettext (xgettext) is missing: apt-get install gettext")
    copy = tmp_path_factory.mktemp("sources") / "srm"
    # Only the sources: no virtualenv, data, caches or build output (makemessages would walk
    # them, and copying them takes time).
    skip = shutil.ignore_patterns(
        ".*",
        "bench",
        "tests",
        "locale",
        "node_modules",
        "staticfiles",
        "test-results",
        "build",
        "dist",
        "control",
        "*.egg-info",
        "__pycache__",
        "*.pyc",
    )
    shutil.copytree(ROOT, copy, ignore=skip)
    (copy / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "de",
            "--add-location=file",
            "--no-obsolete",
            "--ignore=.venv/*",
            "--ignore=bench/*",
            "--ignore=tests/*",
            "-v",
            "0",
        ],
        cwd=copy,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "srm.settings"},
        check=True,
    )
    return read_po((copy / "locale" / "de" / "LC_MESSAGES" / "django.po").read_text("utf-8"))


def _areas_of(message: Message) -> set[str | None]:
    """Where a message is used: {None} as soon as a finished area uses it (it must be
    translated now), else the PENDING areas that use it (each of them owes it)."""
    areas = {_pending_area(path) for path in message.references}
    return {None} if None in areas or not areas else areas


@pytest.mark.parametrize(
    "area",
    [pytest.param(None, id="done-areas")]
    + [
        pytest.param(
            area,
            id=area,
            marks=[pytest.mark.xfail(strict=True, reason=f"{area}: being translated elsewhere")]
            if area in PENDING_MESSAGES
            else [],
        )
        for area in PENDING
    ],
)
def test_every_marked_message_has_its_german_translation(area, extracted) -> None:
    catalogue = read_po(CATALOGUE.read_text("utf-8")) if CATALOGUE.exists() else {}
    mine = {key: m for key, m in extracted.items() if area in _areas_of(m)}
    assert mine, f"no marked messages from {area or 'the finished areas'}"
    problems = translation_problems(mine, catalogue)
    assert not problems, (
        "Run `make messages` and translate (locale/de/LC_MESSAGES/django.po):\n"
        + "\n".join(problems)
    )


def test_the_catalogue_check_reports_missing_fuzzy_and_placeholder_errors() -> None:
    catalogue = read_po(
        '#, fuzzy\nmsgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Save"\nmsgstr "Speichern"\n\n'
        '#, fuzzy\nmsgid "Partners"\nmsgstr "Partner"\n\n'
        'msgid "Hello %(name)s"\nmsgstr "Hallo %(nam)s"\n\n'
        'msgid "Empty"\nmsgstr ""\n\n'
        'msgid "%(count)s item"\nmsgid_plural "%(count)s items"\n'
        'msgstr[0] "ein Element"\nmsgstr[1] "%(count)s Elemente"\n'
    )
    extracted = {key: Message(msgid=key[1], plural=m.plural) for key, m in catalogue.items()} | {
        ("", "New"): Message(msgid="New")
    }
    assert translation_problems(extracted, catalogue) == [
        "no German: 'Empty' ()",
        "placeholders differ in 'Hallo %(nam)s': 'Hello %(name)s' ()",
        "missing from django.po: 'New' ()",
        "fuzzy: 'Partners' ()",
    ]
