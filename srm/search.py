"""One search box for the whole product: partners, meetings, actions, lessons learned and
joint business plans, scoped like every page.

It lives in the top layer because it reads several apps. Each kind of record is one query
(a title match, or PostgreSQL full-text search over its longer text in web-search syntax),
bounded by ``limit``, so a search costs the same number of queries whatever the data.
Everything goes through the apps' scoped selectors: a supplier user finds only its own
company, and only the meetings and actions shared with it (never lessons, which are internal,
nor plans, which the portal does not show); another partner's records are never found.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db.models import BooleanField, ExpressionWrapper, F, Model, Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from governance.selectors import (
    actions_visible_to,
    lessons_visible_to,
    meetings_visible_to,
    plans_visible_to,
)
from partners.access import partners_visible_to

MIN_QUERY = 2
MAX_QUERY = 100
DROPDOWN_LIMIT = 5
PAGE_LIMIT = 25


@dataclass(frozen=True)
class Hit:
    title: str
    detail: str
    url: str


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    hits: list[Hit]


def _matching[M: Model](
    queryset: QuerySet[M], text: str, title_fields: tuple[str, ...], body_fields: tuple[str, ...]
) -> QuerySet[M]:
    """Rows whose title fields contain ``text``, or whose text matches it as a full-text
    search (English stemming, web-search syntax); title matches first, then by rank."""
    query = SearchQuery(text, config="english", search_type="websearch")
    vector = SearchVector(*title_fields, *body_fields, config="english")
    in_title = Q()
    for field in title_fields:
        in_title |= Q(**{f"{field}__icontains": text})
    # Annotating makes the stubs forget the row type; the rows are still ``M``.
    return cast(
        "QuerySet[M]",
        queryset.annotate(
            search_document=vector,
            search_rank=SearchRank(vector, query),
            title_hit=ExpressionWrapper(in_title, output_field=BooleanField()),
        )
        .filter(in_title | Q(search_document=query))
        .order_by("-title_hit", F("search_rank").desc(nulls_last=True), "-id"),
    )


def _partners(user: Any, text: str, limit: int, supplier: bool) -> list[Hit]:
    rows = _matching(
        partners_visible_to(user), text, ("short_name", "legal_name"), ("description",)
    )[:limit]
    if supplier:
        return [Hit(p.short_name, p.legal_name, reverse("portal:home")) for p in rows]
    return [Hit(p.short_name, p.legal_name, reverse("partner-page", args=[p.pk])) for p in rows]


def _meetings(user: Any, text: str, limit: int, supplier: bool) -> list[Hit]:
    rows = _matching(meetings_visible_to(user), text, ("title",), ("agenda", "minutes"))[:limit]
    name = "governance:portal-meeting" if supplier else "governance:meeting"
    return [
        Hit(
            m.title,
            f"{m.partner.short_name} · {date_format(localtime(m.start), 'j M Y')}",
            reverse(name, args=[m.pk]),
        )
        for m in rows
    ]


def _actions(user: Any, text: str, limit: int, supplier: bool) -> list[Hit]:
    rows = _matching(actions_visible_to(user), text, ("title",), ("description",))[:limit]
    hits = []
    for a in rows:
        url = (
            reverse("governance:portal-actions")
            if supplier
            else reverse("governance:actions", args=[a.partner_id])
        )
        hits.append(Hit(a.title, f"{a.partner.short_name} · {a.get_status_display()}", url))
    return hits


def _lessons(user: Any, text: str, limit: int, supplier: bool) -> list[Hit]:
    if supplier:  # internal knowledge (lessons_visible_to agrees; no query is spent)
        return []
    rows = _matching(lessons_visible_to(user), text, ("title",), ("body",))[:limit]
    url = reverse("governance:lessons")
    return [
        Hit(lesson.title, lesson.partner.short_name, f"{url}?{urlencode({'q': lesson.title})}")
        for lesson in rows
    ]


def _plans(user: Any, text: str, limit: int, supplier: bool) -> list[Hit]:
    if supplier:  # the portal shows no plans, so there is nothing to link a supplier to
        return []
    plans = plans_visible_to(user).prefetch_related(None).select_related("partner")
    rows = _matching(plans, text, ("title",), ("summary",))[:limit]
    return [
        Hit(
            p.title,
            f"{p.partner.short_name} · {p.year}",
            reverse("governance:partner", args=[p.partner_id]) + "#plans",
        )
        for p in rows
    ]


SEARCHES: list[tuple[str, Any, Callable[[Any, str, int, bool], list[Hit]]]] = [
    ("partners", _("Partners"), _partners),
    ("meetings", _("Meetings"), _meetings),
    ("actions", _("Actions"), _actions),
    ("lessons", _("Lessons learned"), _lessons),
    ("plans", _("Joint business plans"), _plans),
]


def clean_query(raw: str) -> str:
    return " ".join(raw.split())[:MAX_QUERY]


def global_search(user: Any, raw_query: str, *, limit: int = DROPDOWN_LIMIT) -> list[Section]:
    """The sections with hits for ``raw_query`` (none for fewer than two characters)."""
    text = clean_query(raw_query)
    if len(text) < MIN_QUERY or not getattr(user, "is_authenticated", False):
        return []
    supplier = bool(getattr(user, "is_supplier", False))
    sections = [
        Section(key, str(label), search(user, text, limit, supplier))
        for key, label, search in SEARCHES
    ]
    return [s for s in sections if s.hits]
