"""Where a KPI's values come from (SPEC 3.1): the buyer, the supplier's self-report, or a
computation. Pure, so the models' choices and the template rules (scorecards.template_input)
share one definition."""

from __future__ import annotations

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class DataSource(TextChoices):
    BUYER = "buyer", _("Buyer")
    SUPPLIER = "supplier", _("Supplier self-report")
    COMPUTED = "computed", _("Computed")
