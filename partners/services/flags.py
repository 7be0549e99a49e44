"""The risk flags stored on each partner (SPEC 1.7, 1.8), recomputed after every write that
feeds them so list pages filter and sort by them without computing anything."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.db.models import Sum

from core.bulk import bulk_update_values
from core.models import Actor
from core.risk_signals import risk_signals_refresh_after_commit
from core.roles import Capability, require
from partners import risk
from partners.kraljic import EngagementModel
from partners.models import (
    Agreement,
    AnnualSpend,
    Category,
    CategorySpendTotal,
    Partner,
    PriceBenchmark,
    SupplyItem,
)


def partner_flags_refresh(*, actor: Actor, partner_ids: Sequence[int] | None = None) -> int:
    """Recompute the stored risk flags of the given partners (all when None); returns how
    many partners were refreshed.

    A constant number of queries whatever the number of partners. Spend shares use the
    latest year with spend, against the recorded category total of that year (or, when
    none is recorded, the sum of the partners' spend in the category).
    """
    require(actor, Capability.EDIT_PARTNERS)
    partners = Partner.objects.all()
    if partner_ids is not None:
        partners = partners.filter(pk__in=partner_ids)
    partners_list = list(partners.only("pk", "engagement_model", "annual_revenue"))
    if not partners_list:
        return 0
    ids = [p.pk for p in partners_list]
    year = AnnualSpend.objects.order_by("-year").values_list("year", flat=True).first()
    spend_by_partner: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    partner_total: dict[int, Decimal] = defaultdict(Decimal)
    category_total: dict[int, Decimal] = {}
    names: dict[int, str] = dict(Category.objects.values_list("pk", "name"))
    if year is not None:
        category_total = {
            row["category"]: row["total"]
            for row in AnnualSpend.objects.filter(year=year)
            .values("category")
            .annotate(total=Sum("amount"))
        }
        category_total.update(
            CategorySpendTotal.objects.filter(year=year).values_list("category", "amount")
        )
        for pid, cid, amount in AnnualSpend.objects.filter(year=year, partner__in=ids).values_list(
            "partner", "category", "amount"
        ):
            partner_total[pid] += amount
            spend_by_partner[pid].append((cid, amount))
    exit_clause = set(
        Agreement.objects.filter(partner__in=ids, has_exit_clause=True).values_list(
            "partner", flat=True
        )
    )
    items: dict[int, list[SupplyItem]] = defaultdict(list)
    for item in SupplyItem.objects.filter(partner__in=ids, is_critical=True):
        items[item.partner_id].append(item)
    benchmarks: dict[int, list[PriceBenchmark]] = defaultdict(list)
    for benchmark in PriceBenchmark.objects.filter(partner__in=ids):
        benchmarks[benchmark.partner_id].append(benchmark)

    for partner in partners_list:
        checks: list[risk.RiskFlag | None] = []
        for item in items[partner.pk]:
            checks.append(
                risk.single_source_flag(item.name, item.is_critical, item.qualified_second_sources)
            )
        for cid, amount in spend_by_partner[partner.pk]:
            amount = risk.whole_amount(amount)
            total = risk.whole_amount(category_total.get(cid, Decimal(0)))
            if total > 0 and amount <= total:
                flag = risk.spend_concentration_flag(amount, total)
                if flag is not None:
                    name = names.get(cid, "")
                    flag = risk.RiskFlag(
                        flag.code,
                        flag.severity,
                        f"{name}: {flag.message}",
                        {**flag.params, "category": name},
                    )
                checks.append(flag)
        checks.append(
            risk.exit_clause_flag(
                EngagementModel(partner.engagement_model), partner.pk in exit_clause
            )
        )
        revenue = risk.whole_amount(partner.annual_revenue) if partner.annual_revenue else None
        spend = risk.whole_amount(partner_total[partner.pk])
        if revenue and revenue > 0 and spend <= revenue:
            checks.append(risk.reverse_dependency_flag(spend, revenue))
        for benchmark in benchmarks[partner.pk]:
            checks.append(
                risk.premium_flag(
                    risk.price_in_cents(benchmark.partner_price),
                    risk.price_in_cents(benchmark.market_price),
                    benchmark.justification,
                )
            )
        flags = risk.collect_flags(checks)
        partner.risk_flags = risk.flags_snapshot(flags)
        partner.flag_count = len(flags)
    bulk_update_values(partners_list, ["risk_flags", "flag_count"])
    # High-severity flags are a reason to list a partnership as at risk.
    risk_signals_refresh_after_commit(ids)
    return len(partners_list)


def partners_touched_by_spend(
    *, actor: Actor, partner: Partner, year: int, category: Category
) -> list[int] | None:
    """The partners whose flags a (saved) spend figure of ``partner`` in ``year`` and
    ``category`` can change; None when it can change everyone's.

    Flags read the latest year with spend. A figure in an earlier year changes no flag but
    this partner's (kept for simplicity); a figure that starts a new latest year changes
    everyone's; one in the latest year changes the shares of the partners with spend in that
    category — or only this partner's when the category's total is recorded.
    """
    require(actor, Capability.EDIT_PARTNERS)
    latest = AnnualSpend.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None or year < latest:
        return [partner.pk]
    if not AnnualSpend.objects.filter(year=year).exclude(partner=partner).exists():
        return None  # the first figure of a new latest year: everyone's shares move
    if CategorySpendTotal.objects.filter(year=year, category=category).exists():
        return [partner.pk]
    return list(
        AnnualSpend.objects.filter(year=year, category=category)
        .values_list("partner_id", flat=True)
        .distinct()
    )
