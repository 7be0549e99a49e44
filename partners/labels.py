"""Labels inside a sentence, per language."""

from __future__ import annotations

from django.utils.translation import get_language


def in_sentence(label: object) -> str:
    """A label inside a sentence: lower case in English ("not ready — missing exit clause"),
    as it is in German, whose nouns keep their capital ("fehlt: Ausstiegsklausel")."""
    text = str(label)
    return text.lower() if (get_language() or "en").startswith("en") else text
