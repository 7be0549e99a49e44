"""The executive dashboard's filters: Kraljic quadrant, category and executive sponsor.

They arrive as query parameters (``?quadrant=strategic&category=cells&sponsor=7``), from the
HTMX form and from a plain GET alike, so a filtered dashboard has an address to share. A value
that is not a choice is reported and ignored: the dashboard shows what the valid ones select.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from core.models import User
from partners.kraljic import Quadrant
from partners.models import Category, Partner

# The quadrant filter's value for partners not segmented yet (their quadrant is blank).
UNSEGMENTED = "unsegmented"


def quadrant_label(key: str) -> str:
    """A quadrant's name, or "Not segmented" for a partner without one ("" or UNSEGMENTED)."""
    if key in ("", UNSEGMENTED):
        return str(_("Not segmented"))
    try:
        return str(Quadrant(key).label)
    except ValueError:
        return key


class DashboardFilterForm(forms.Form):
    quadrant = forms.ChoiceField(label=_("Quadrant"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    sponsor = forms.TypedChoiceField(
        label=_("Executive sponsor"), required=False, coerce=int, empty_value=None
    )

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        categories: list[tuple[str, str]],
        sponsors: list[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        quadrant_field = self.fields["quadrant"]
        category_field = self.fields["category"]
        sponsor_field = self.fields["sponsor"]
        assert isinstance(quadrant_field, forms.ChoiceField)
        assert isinstance(category_field, forms.ChoiceField)
        assert isinstance(sponsor_field, forms.ChoiceField)
        quadrant_field.choices = [
            ("", _("All quadrants")),
            *((q.value, q.label) for q in Quadrant),
            (UNSEGMENTED, _("Not segmented")),
        ]
        category_field.choices = [("", _("All categories")), *categories]
        sponsor_field.choices = [("", _("All sponsors")), *sponsors]


@dataclass(frozen=True, slots=True)
class DashboardFilter:
    """The valid filters of one request; empty values select everything."""

    quadrant: str = ""
    category: str = ""
    sponsor: int | None = None
    category_name: str = ""
    sponsor_name: str = ""

    @property
    def active(self) -> bool:
        return bool(self.quadrant or self.category or self.sponsor is not None)

    def apply(self, partners: QuerySet[Partner]) -> QuerySet[Partner]:
        """Narrow ``partners``. The category is an EXISTS, not a join, so grouping the result
        by category afterwards still sees each partner's every category."""
        if self.quadrant == UNSEGMENTED:
            partners = partners.filter(quadrant="")
        elif self.quadrant:
            partners = partners.filter(quadrant=self.quadrant)
        if self.category:
            links = Partner.categories.through.objects.filter(
                partner_id=OuterRef("pk"), category__code=self.category
            )
            partners = partners.filter(Exists(links))
        if self.sponsor is not None:
            partners = partners.filter(executive_sponsor_id=self.sponsor)
        return partners

    def described(self) -> list[tuple[str, str]]:
        """(filter name, chosen value) of each active filter, for the line above the figures."""
        parts: list[tuple[str, str]] = []
        if self.quadrant:
            parts.append((str(_("Quadrant")), quadrant_label(self.quadrant)))
        if self.category:
            parts.append((str(_("Category")), self.category_name or self.category))
        if self.sponsor is not None:
            parts.append((str(_("Executive sponsor")), self.sponsor_name or str(self.sponsor)))
        return parts

    def query(self, **extra: Any) -> str:
        """The filters as a query string (without "?"), plus ``extra`` parameters."""
        params: dict[str, Any] = {
            "quadrant": self.quadrant,
            "category": self.category,
            "sponsor": "" if self.sponsor is None else self.sponsor,
        }
        params.update(extra)
        return urlencode({key: value for key, value in params.items() if value not in ("", None)})


def sponsor_choices(partners: QuerySet[Partner]) -> list[tuple[int, str]]:
    """The executive sponsors of ``partners``, by name. One query."""
    sponsors = User.objects.filter(
        pk__in=partners.filter(executive_sponsor__isnull=False).values("executive_sponsor_id")
    ).order_by("first_name", "last_name", "username")
    return [(user.pk, str(user)) for user in sponsors.only("first_name", "last_name", "username")]


def category_choices() -> list[tuple[str, str]]:
    """Every category, by name (code, name). One query."""
    return list(Category.objects.order_by("name").values_list("code", "name"))


def dashboard_filter(
    params: Mapping[str, Any], partners: QuerySet[Partner]
) -> tuple[DashboardFilterForm, DashboardFilter]:
    """Read the filters from ``params``; the form carries the errors of invalid values."""
    categories = category_choices()
    sponsors = sponsor_choices(partners)
    form = DashboardFilterForm(params, categories=categories, sponsors=sponsors)
    form.is_valid()
    data = form.cleaned_data  # the valid fields only
    category = data.get("category") or ""
    sponsor = data.get("sponsor")
    return form, DashboardFilter(
        quadrant=data.get("quadrant") or "",
        category=category,
        sponsor=sponsor,
        category_name=dict(categories).get(category, ""),
        sponsor_name=dict(sponsors).get(sponsor, "") if sponsor is not None else "",
    )
