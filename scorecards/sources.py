"""Where a KPI's values come from (SPEC 3.1): the buyer, the supplier's self-report, or a
computation. Pure, so the models' choices and the template rules (scorecards.template_input)
share one definition."""

from __future__ import annotations

from django.db.models import TextChoices


class DataSource(TextChoices):
    BUYER = "buyer", "Buyer"
    SUPPLIER = "supplier", "Supplier self-report"
    COMPUTED = "computed", "Computed"
