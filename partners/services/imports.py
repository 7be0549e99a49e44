"""Import of partners and annual spend from CSV/XLSX (SPEC 7).

Every row is validated first; errors name the row (as numbered in the spreadsheet, the
header being row 1) and the column. Nothing is written unless every row is valid, and
the writes run in one transaction through the partner services.

Columns (header names, any order; only ``legal_name`` is always required):
legal_name, short_name, country, currency, website, engagement_model, lifecycle_stage,
owner (user name), categories (codes separated by ";"), tags (";"), annual_revenue,
spend_year, spend_category (code), spend_amount. A partner may appear on several rows,
one per spend line; blank partner cells keep the current value.

Numbers are read by ``core.numbers.parse_decimal`` without a preferred decimal mark: "1234,56"
and "1.234,56" read as 1234.56, "1,200,000" as 1200000, and a number two conventions read
differently ("1,234") is refused with a message on its row and column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.errors import FieldErrors
from core.locks import try_advisory_xact_lock
from core.models import Actor, User
from core.numbers import NumberFormatError, parse_decimal
from core.roles import Capability, require
from core.spreadsheets import SpreadsheetError, read_table
from partners.kraljic import EngagementModel
from partners.lifecycle import LifecycleStage
from partners.models import AnnualSpend, Category, Partner
from partners.services.flags import partner_flags_refresh, partners_touched_by_spend
from partners.services.partners import PartnerFields, partner_create, partner_update
from partners.services.records import spend_record

COLUMNS = (
    "legal_name",
    "short_name",
    "country",
    "currency",
    "website",
    "engagement_model",
    "lifecycle_stage",
    "owner",
    "categories",
    "tags",
    "annual_revenue",
    "spend_year",
    "spend_category",
    "spend_amount",
)
SPEND_COLUMNS = ("spend_year", "spend_category", "spend_amount")
MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        return (
            f"{where}, {self.column}: {self.message}" if self.column else f"{where}: {self.message}"
        )


@dataclass
class ImportResult:
    errors: list[RowError] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    spend: int = 0


@dataclass
class _Row:
    number: int
    partner: dict[str, Any]
    categories: list[Category] | None
    spend: tuple[int, Category, Decimal] | None


def partner_import(*, actor: Actor, upload: UploadedFile[bytes]) -> ImportResult:
    """Validate every row, then import all of them in one transaction, or none.

    Refuses files over 5 MB or not readable as a table; every row error (named by row and
    column) is returned in the result, and then nothing is written.
    """
    require(actor, Capability.EDIT_PARTNERS)
    result = ImportResult()
    if upload.size is not None and upload.size > MAX_BYTES:
        result.errors.append(RowError(0, "", "The file is larger than 5 MB."))
        return result
    try:
        table = read_table(upload.name or "", upload)
    except SpreadsheetError as exc:
        result.errors.append(RowError(0, "", exc.message))
        return result
    header = table.header
    if "legal_name" not in header:
        result.errors.append(RowError(1, "legal_name", "The header needs a legal_name column."))
    unknown = [c for c in header if c and c not in COLUMNS]
    for column in unknown:
        result.errors.append(RowError(1, column, "Unknown column."))
    if result.errors:
        return result
    rows = _validate(table.rows, result.errors)
    if result.errors:
        return result
    try:
        _write(actor, rows, result)
    except _RollBack:
        result.created = result.updated = result.spend = 0
    except _Busy:
        result.errors.append(RowError(0, "", BUSY_MESSAGE))
    return result


BUSY_MESSAGE = (
    "Another partner import is running; nothing was written. "
    "Import this file again when it has finished."
)


class _RollBack(Exception):
    pass


class _Busy(Exception):
    """Another partner import holds the import lock: two at once would both create the same
    new partners (a unique-name violation), so the second is refused, not half-done."""


def _validate(records: list[tuple[int, dict[str, str]]], errors: list[RowError]) -> list[_Row]:
    categories = {c.code: c for c in Category.objects.all()}
    owners = {u.username: u for u in User.objects.filter(is_active=True)}
    existing = {p.legal_name: p for p in Partner.objects.all()}
    seen_spend: dict[tuple[str, int, str], int] = {}
    introduced: set[str] = set()
    rows: list[_Row] = []
    models = {m.value for m in EngagementModel}
    stages = {s.value for s in LifecycleStage}

    for index, record in records:

        def error(column: str, message: str, row: int = index) -> None:
            errors.append(RowError(row, column, message))

        legal_name = record.get("legal_name", "")
        partner: dict[str, Any] = {}
        if not legal_name:
            error("legal_name", "Required.")
        elif len(legal_name) > 200:
            error("legal_name", "At most 200 characters.")
        known = existing.get(legal_name)
        is_new = known is None and legal_name not in introduced
        for column in ("short_name", "website"):
            if record.get(column):
                partner[column] = record[column]
        if is_new and legal_name and not record.get("short_name"):
            error("short_name", "Required for a new partner.")
        if len(record.get("short_name", "")) > 60:
            error("short_name", "At most 60 characters.")
        country = record.get("country", "").upper()
        if country:
            if len(country) != 2 or not country.isalpha():
                error("country", "Use a two-letter ISO code, e.g. DE.")
            partner["country"] = country
        elif is_new and legal_name:
            error("country", "Required for a new partner.")
        currency = record.get("currency", "").upper()
        if currency:
            if len(currency) != 3 or not currency.isalpha():
                error("currency", "Use a three-letter ISO code, e.g. EUR.")
            partner["currency"] = currency
        if record.get("engagement_model"):
            if record["engagement_model"] not in models:
                error("engagement_model", f"One of: {', '.join(sorted(models))}.")
            partner["engagement_model"] = record["engagement_model"]
        stage = record.get("lifecycle_stage", "")
        if stage:
            if stage not in stages:
                error("lifecycle_stage", f"One of: {', '.join(s.value for s in LifecycleStage)}.")
            elif known is not None and stage != known.lifecycle_stage:
                error("lifecycle_stage", "Change an existing partner's stage with a transition.")
            elif known is None:
                partner["lifecycle_stage"] = stage
        if record.get("owner"):
            owner = owners.get(record["owner"])
            if owner is None or not owner.is_internal:
                error("owner", f"No internal user named {record['owner']!r}.")
            partner["owner"] = owner
        row_categories: list[Category] | None = None
        if record.get("categories"):
            codes = [c.strip() for c in record["categories"].split(";") if c.strip()]
            missing = [c for c in codes if c not in categories]
            if missing:
                error("categories", f"Unknown category code(s): {', '.join(missing)}.")
            row_categories = [categories[c] for c in codes if c in categories]
        if record.get("tags"):
            partner["tags"] = [t.strip() for t in record["tags"].split(";") if t.strip()]
        if record.get("annual_revenue"):
            revenue = _number(record["annual_revenue"], "annual_revenue", error)
            if revenue is not None and revenue < 0:
                error("annual_revenue", "Enter a number of at least 0.")
            partner["annual_revenue"] = revenue
        spend = None
        given = [c for c in SPEND_COLUMNS if record.get(c)]
        if given and len(given) < len(SPEND_COLUMNS):
            for column in SPEND_COLUMNS:
                if not record.get(column):
                    error(column, "Fill spend_year, spend_category and spend_amount together.")
        elif given:
            year_text, code = record["spend_year"], record["spend_category"]
            year = int(year_text) if year_text.isdigit() else 0
            ok = True
            if not 1990 <= year <= 2100:
                error("spend_year", "Enter a year such as 2026.")
                ok = False
            if code not in categories:
                error("spend_category", f"Unknown category code {code!r}.")
                ok = False
            amount = _number(record["spend_amount"], "spend_amount", error)
            if amount is not None and (amount < 0 or amount >= Decimal("1e14")):
                error("spend_amount", "Enter an amount of at least 0.")
                ok = False
            if ok and amount is not None:
                key = (legal_name, year, code)
                if key in seen_spend:
                    error(
                        "spend_amount", f"Same partner, year and category as row {seen_spend[key]}."
                    )
                seen_spend[key] = index
                spend = (year, categories[code], amount)
        introduced.add(legal_name)
        rows.append(_Row(index, {"legal_name": legal_name, **partner}, row_categories, spend))
    return rows


def _number(text: str, column: str, error: Callable[[str, str], None]) -> Decimal | None:
    """The number in a cell, or None after reporting why it is not one."""
    try:
        return parse_decimal(text)
    except NumberFormatError as exc:
        error(column, str(exc))
        return None


@transaction.atomic
def _write(actor: Actor, rows: list[_Row], result: ImportResult) -> None:
    if not try_advisory_xact_lock("partners.import"):
        raise _Busy
    partners: dict[str, Partner] = {p.legal_name: p for p in Partner.objects.all()}
    touched: set[str] = set()
    spend_keys: dict[tuple[int, int], Partner] = {}  # (year, category id): a partner with spend
    latest_before = AnnualSpend.objects.order_by("-year").values_list("year", flat=True).first()
    try:
        for row in rows:
            # The row holds only PartnerFields keys (_validate builds it); the service checks.
            fields = cast(PartnerFields, dict(row.partner))
            legal_name = fields.pop("legal_name")
            partner = partners.get(legal_name)
            if partner is None:
                if row.categories is not None:
                    fields["categories"] = row.categories
                fields["legal_name"] = legal_name
                partner = partner_create(actor=actor, fields=fields)
                partners[legal_name] = partner
                result.created += 1
            elif fields or row.categories is not None:
                if row.categories is not None:
                    fields["categories"] = row.categories
                partner_update(actor=actor, partner=partner, changes=fields)
                if legal_name not in touched:
                    result.updated += 1
            touched.add(legal_name)
            if row.spend is not None:
                year, category, amount = row.spend
                spend_record(
                    actor=actor,
                    partner=partner,
                    year=year,
                    category=category,
                    amount=amount,
                    refresh_flags=False,
                )
                spend_keys[(year, category.pk)] = partner
                result.spend += 1
        # Only the flags this file can move: its partners', and the partners whose spend
        # shares its spend figures change (everyone's when it starts a new latest year).
        refresh: set[int] | None = {partners[name].pk for name in touched}
        if any(latest_before is None or year > latest_before for year, _ in spend_keys):
            refresh = None  # a new latest year: every partner's shares are read from it now
        for (year, category_id), partner in spend_keys.items() if refresh is not None else ():
            others = partners_touched_by_spend(
                actor=actor, partner=partner, year=year, category=Category(pk=category_id)
            )
            if others is None:
                refresh = None
                break
            assert refresh is not None
            refresh.update(others)
        partner_flags_refresh(actor=actor, partner_ids=None if refresh is None else sorted(refresh))
    except FieldErrors as exc:
        for column, messages in exc.errors.items():
            result.errors.append(RowError(row.number, column, " ".join(messages)))
        transaction.set_rollback(True)
        raise _RollBack from exc
