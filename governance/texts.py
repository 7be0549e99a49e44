"""Governance texts in two languages: SRM's own defaults stored in records, and the language a
notification is written in.

Default cadence names (which become meeting titles), default agenda lines and the default
escalation ladder's level names are stored in English, whoever applies them, so a record holds
one language; pages, the QBR pack and notifications show them in the reader's language.
Whatever people typed stays as typed.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from core.cadences import CadenceKind
from governance.cadence import DEFAULT_AGENDAS
from governance.escalation import default_escalation_ladder

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


def english(text: StrOrPromise) -> str:
    """``text`` (a lazily translated label) as SRM stores its defaults: in English."""
    with translation.override("en"):
        return str(text)


@cache
def _default_texts() -> frozenset[str]:
    names = {english(kind.label) for kind in CadenceKind}
    lines = {line for agenda in DEFAULT_AGENDAS.values() for line in agenda}
    levels = {level.name for level in default_escalation_ladder().levels}
    return frozenset(names | lines | levels)


def default_text(value: object) -> str:
    """A stored text in the active language when it is one of SRM's own defaults (a cadence
    kind's name, a default agenda line, a default escalation level); anything else unchanged."""
    text = str(value)
    return gettext(text.strip()) if text.strip() in _default_texts() else text


def recipient_language(user: object) -> str:
    """The language to write to ``user`` in: theirs when SRM speaks it, else the default."""
    language = getattr(user, "language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
