"""The partner kinds of the one importer (core.importing): partners with their annual spend,
and supplier contacts.

Partners: columns (any order; only ``legal_name`` is always required) legal_name, short_name,
country, currency, website, engagement_model, lifecycle_stage, owner (user name), categories
(codes separated by ";"), tags (";"), annual_revenue, spend_year, spend_category (code),
spend_amount. A partner may appear on several rows, one per spend line; blank partner cells
keep the current value. Numbers are read by ``core.numbers.parse_decimal`` without a
preferred decimal mark ("1,234" is refused as ambiguous, by row and column).

Contacts: legal_name (an existing partner), name, and optionally role, email, phone; a
contact of that partner with that name is updated, otherwise one is created.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.bulk import bulk_insert_copy
from core.importing import ImportSession, ImportSpec, register
from core.models import AuditEvent, User
from core.numbers import NumberFormatError, parse_decimal
from core.roles import Capability
from core.services import model_changes
from partners.kraljic import EngagementModel
from partners.lifecycle import LifecycleStage
from partners.models import AnnualSpend, Category, Partner, SupplierContact
from partners.services.flags import partner_flags_refresh, partners_touched_by_spend
from partners.services.playbooks import partner_engagement_model_change

PARTNER_COLUMNS = (
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
CONTACT_COLUMNS = ("legal_name", "name", "role", "email", "phone")
BATCH = 2000


def _audit(actor: Any, action: str, obj: Any, changes: Mapping[str, Any]) -> AuditEvent:
    """The event core.services.audit_record would write, for a bulk insert."""
    version = getattr(obj, "version", None)
    return AuditEvent(
        actor=actor if isinstance(actor, User) and actor.pk else None,
        actor_label="" if isinstance(actor, User) else str(getattr(actor, "name", "")),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes={k: _jsonable(v) for k, v in changes.items()},
        object_version=version if isinstance(version, int) else None,
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Partner | Category | User):
        return str(value)
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _decimals_ok(value: Decimal, places: int) -> bool:
    exponent = value.as_tuple().exponent
    return isinstance(exponent, int) and exponent >= -places


class PartnerSession(ImportSession):
    def __init__(self, actor: Any, params: Mapping[str, Any]) -> None:
        super().__init__(actor, params)
        self.names: set[str] = set()
        self.codes: set[str] = set()
        self.usernames: set[str] = set()
        # What the file will write, merged by partner (not the rows).
        self.fields: dict[str, dict[str, Any]] = {}
        self.categories: dict[str, list[Category]] = {}
        self.spend: dict[tuple[str, int, str], Decimal] = {}
        self.spend_rows: dict[tuple[str, int, str], int] = {}
        self.order: list[str] = []

    def header(self, columns: list[str]) -> None:
        if "legal_name" not in columns:
            self.error(1, "legal_name", _("The header needs a legal_name column."))

    def collect(self, number: int, row: Mapping[str, str]) -> None:
        if row.get("legal_name"):
            self.names.add(row["legal_name"])
        if row.get("owner"):
            self.usernames.add(row["owner"])
        for code in row.get("categories", "").split(";"):
            if code.strip():
                self.codes.add(code.strip())
        if row.get("spend_category"):
            self.codes.add(row["spend_category"])

    def load(self) -> None:
        # One query per lookup kind, whatever the number of rows.
        self.existing = {p.legal_name: p for p in Partner.objects.filter(legal_name__in=self.names)}
        self.category_map = {c.code: c for c in Category.objects.filter(code__in=self.codes)}
        self.owners = {
            u.username: u for u in User.objects.filter(username__in=self.usernames, is_active=True)
        }

    def check(self, index: int, record: Mapping[str, str]) -> None:
        if "legal_name" not in record:
            return  # reported once, on the header

        def error(column: str, message: str) -> None:
            self.error(index, column, message)

        legal_name = record.get("legal_name", "")
        partner: dict[str, Any] = {}
        if not legal_name:
            error("legal_name", _("Required."))
        elif len(legal_name) > 200:
            error("legal_name", _("At most 200 characters."))
        known = self.existing.get(legal_name)
        is_new = known is None and legal_name not in self.fields
        for column in ("short_name", "website"):
            if record.get(column):
                partner[column] = record[column]
        if is_new and legal_name and not record.get("short_name"):
            error("short_name", _("Required for a new partner."))
        if len(record.get("short_name", "")) > 60:
            error("short_name", _("At most 60 characters."))
        if record.get("website"):
            try:
                URLValidator()(record["website"])
                if len(record["website"]) > 200:
                    raise ValidationError("long")
            except ValidationError:
                error("website", _("Enter a full web address, e.g. https://example.com."))
        country = record.get("country", "").upper()
        if country:
            if len(country) != 2 or not country.isalpha():
                error("country", _("Use a two-letter ISO code, e.g. DE."))
            partner["country"] = country
        elif is_new and legal_name:
            error("country", _("Required for a new partner."))
        currency = record.get("currency", "").upper()
        if currency:
            if len(currency) != 3 or not currency.isalpha():
                error("currency", _("Use a three-letter ISO code, e.g. EUR."))
            partner["currency"] = currency
        models = sorted(m.value for m in EngagementModel)
        if record.get("engagement_model"):
            if record["engagement_model"] not in models:
                error("engagement_model", _("One of: %(values)s.") % {"values": ", ".join(models)})
            partner["engagement_model"] = record["engagement_model"]
        stage = record.get("lifecycle_stage", "")
        if stage:
            stages = [s.value for s in LifecycleStage]
            if stage not in stages:
                error("lifecycle_stage", _("One of: %(values)s.") % {"values": ", ".join(stages)})
            elif known is not None and stage != known.lifecycle_stage:
                error("lifecycle_stage", _("Change an existing partner's stage with a transition."))
            elif known is None:
                partner["lifecycle_stage"] = stage
        if record.get("owner"):
            owner = self.owners.get(record["owner"])
            if owner is None or not owner.is_internal:
                error("owner", _("No internal user named %(name)r.") % {"name": record["owner"]})
            partner["owner"] = owner
        row_categories: list[Category] | None = None
        if record.get("categories"):
            codes = [c.strip() for c in record["categories"].split(";") if c.strip()]
            missing = [c for c in codes if c not in self.category_map]
            if missing:
                error(
                    "categories",
                    _("Unknown category code(s): %(codes)s.") % {"codes": ", ".join(missing)},
                )
            row_categories = [self.category_map[c] for c in codes if c in self.category_map]
        if record.get("tags"):
            partner["tags"] = [t.strip() for t in record["tags"].split(";") if t.strip()]
        if record.get("annual_revenue"):
            revenue = self._number(record["annual_revenue"], "annual_revenue", error)
            if revenue is not None and (
                revenue < 0 or revenue >= Decimal("1e16") or not _decimals_ok(revenue, 2)
            ):
                error("annual_revenue", _("Enter a number of at least 0, with at most 2 decimals."))
            partner["annual_revenue"] = revenue
        given = [c for c in SPEND_COLUMNS if record.get(c)]
        if given and len(given) < len(SPEND_COLUMNS):
            for column in SPEND_COLUMNS:
                if not record.get(column):
                    error(column, _("Fill spend_year, spend_category and spend_amount together."))
        elif given:
            self._spend(index, legal_name, record, error)
        if legal_name not in self.fields:
            self.order.append(legal_name)
            self.fields[legal_name] = {}
        self.fields[legal_name].update(partner)
        if row_categories is not None:
            self.categories[legal_name] = row_categories

    def _spend(
        self,
        index: int,
        legal_name: str,
        record: Mapping[str, str],
        error: Callable[[str, str], None],
    ) -> None:
        year_text, code = record["spend_year"], record["spend_category"]
        year = int(year_text) if year_text.isdigit() else 0
        ok = True
        if not 1990 <= year <= 2100:
            error("spend_year", _("Enter a year such as 2026."))
            ok = False
        if code not in self.category_map:
            error("spend_category", _("Unknown category code %(code)r.") % {"code": code})
            ok = False
        amount = self._number(record["spend_amount"], "spend_amount", error)
        if amount is not None and (
            amount < 0 or amount >= Decimal("1e14") or not _decimals_ok(amount, 2)
        ):
            error("spend_amount", _("Enter an amount of at least 0, with at most 2 decimals."))
            ok = False
        if ok and amount is not None:
            key = (legal_name, year, code)
            if key in self.spend_rows:
                error(
                    "spend_amount",
                    _("Same partner, year and category as row %(row)s.")
                    % {"row": self.spend_rows[key]},
                )
            self.spend_rows[key] = index
            self.spend[key] = amount

    @staticmethod
    def _number(text: str, column: str, error: Callable[[str, str], None]) -> Decimal | None:
        try:
            return parse_decimal(text)
        except NumberFormatError as exc:
            error(column, str(exc))
            return None

    def planned(self) -> dict[str, int]:
        created = sum(1 for name in self.order if name not in self.existing)
        updated = sum(
            1
            for name in self.order
            if name in self.existing and (self.fields[name] or name in self.categories)
        )
        return {"created": created, "updated": updated, "spend": len(self.spend)}

    def write(self, report: Callable[[int, int], None]) -> dict[str, int]:
        actor = self.actor
        now = timezone.now()
        audits: list[AuditEvent] = []
        through = Partner.categories.through
        latest_before = AnnualSpend.objects.order_by("-year").values_list("year", flat=True).first()
        # New partners, in one bulk insert.
        new = [
            Partner(legal_name=name, **self.fields[name])
            for name in self.order
            if name not in self.existing
        ]
        Partner.objects.bulk_create(new, batch_size=BATCH)
        partners = dict(self.existing)
        for partner in new:
            partners[partner.legal_name] = partner
            audits.append(
                _audit(
                    actor,
                    "partner.create",
                    partner,
                    {"legal_name": partner.legal_name, **self.fields[partner.legal_name]},
                )
            )
        report(1, 4)
        # Existing partners: an engagement model change goes through its service (it records
        # the playbook); the other fields in one bulk update.
        changed: list[Partner] = []
        changed_fields: set[str] = set()
        updated = 0
        existing_with_categories = [partners[n].pk for n in self.categories if n in self.existing]
        before_categories: dict[int, list[str]] = {}
        for pid, name in through.objects.filter(
            partner_id__in=existing_with_categories
        ).values_list("partner_id", "category__name"):
            before_categories.setdefault(pid, []).append(name)
        for name in self.order:
            known = self.existing.get(name)
            if known is None or not (self.fields[name] or name in self.categories):
                continue
            partner = known
            updated += 1
            data = dict(self.fields[name])
            new_model = data.pop("engagement_model", None)
            if new_model is not None and new_model != partner.engagement_model:
                partner_engagement_model_change(
                    actor=actor, partner=partner, engagement_model=new_model
                )
                partner.refresh_from_db()
            audited = model_changes(partner, data)
            if name in self.categories:
                before = sorted(before_categories.get(partner.pk, []))
                after = sorted(str(c) for c in self.categories[name])
                if before != after:
                    audited["categories"] = [before, after]
            if audited:
                changed_fields.update(k for k in audited if k != "categories")
                changed.append(partner)
                audits.append(_audit(actor, "partner.update", partner, audited))
        if changed:
            for partner in changed:
                partner.updated_at = now
                partner.version = F("version") + 1
            Partner.objects.bulk_update(
                changed, sorted({*changed_fields, "updated_at", "version"}), batch_size=BATCH
            )
        # Categories: a file's categories cell replaces the partner's; spend adds its own.
        if existing_with_categories:
            through.objects.filter(partner_id__in=existing_with_categories).delete()
        links = {
            (partners[name].pk, category.pk)
            for name, categories in self.categories.items()
            for category in categories
        }
        links.update(
            (partners[name].pk, self.category_map[code].pk) for name, _y, code in self.spend
        )
        bulk_insert_copy(
            [through(partner_id=p, category_id=c) for p, c in sorted(links)],
            ignore_conflicts=True,
        )
        report(2, 4)
        # Spend: one query for what is stored, then inserts and updates in bulk.
        spend_partner_ids = {partners[name].pk for name, _y, _c in self.spend}
        stored = {
            (s.partner_id, s.year, s.category_id): s
            for s in AnnualSpend.objects.filter(
                partner_id__in=[p.pk for p in self.existing.values()],
                year__in={year for _n, year, _c in self.spend},
            )
            if s.partner_id in spend_partner_ids
        }
        spend_new: list[AnnualSpend] = []
        spend_changed: list[AnnualSpend] = []
        spend_audits: list[tuple[AnnualSpend, dict[str, Any]]] = []
        for (name, year, code), amount in self.spend.items():
            partner, category = partners[name], self.category_map[code]
            row = stored.get((partner.pk, year, category.pk))
            if row is None:
                row = AnnualSpend(partner=partner, year=year, category=category, amount=amount)
                spend_new.append(row)
                spend_audits.append((row, {"amount": [None, str(amount)]}))
            else:
                row.partner, row.category = partner, category
                audited = model_changes(row, {"amount": amount})
                if audited:
                    spend_changed.append(row)
                spend_audits.append((row, audited))
        AnnualSpend.objects.bulk_create(spend_new, batch_size=BATCH)
        AnnualSpend.objects.bulk_update(spend_changed, ["amount"], batch_size=BATCH)
        audits.extend(_audit(actor, "spend.record", row, ch) for row, ch in spend_audits)
        bulk_insert_copy(audits)
        report(3, 4)
        # Only the flags this file can move: its partners', and the partners whose spend
        # shares its spend figures change (everyone's when it starts a new latest year).
        refresh: set[int] | None = {partners[name].pk for name in self.order}
        keys = {(year, self.category_map[code].pk, name) for name, year, code in self.spend}
        if any(latest_before is None or year > latest_before for year, _c, _n in keys):
            refresh = None
        seen: set[tuple[int, int]] = set()
        for year, category_id, name in sorted(keys) if refresh is not None else ():
            if (year, category_id) in seen:
                continue
            seen.add((year, category_id))
            others = partners_touched_by_spend(
                actor=actor, partner=partners[name], year=year, category=Category(pk=category_id)
            )
            if others is None:
                refresh = None
                break
            assert refresh is not None
            refresh.update(others)
        partner_flags_refresh(actor=actor, partner_ids=None if refresh is None else sorted(refresh))
        report(4, 4)
        return {"created": len(new), "updated": updated, "spend": len(self.spend)}


class PartnersSpec(ImportSpec):
    kind = "partners"
    label = gettext_lazy("partners and spend")
    columns = PARTNER_COLUMNS
    capability = Capability.EDIT_PARTNERS
    session_class = PartnerSession

    def lock_name(self, params: Mapping[str, Any]) -> str:
        return "partners.import"  # the lock the partner import has always taken

    def busy_message(self) -> str:
        return busy_message()

    def done_url(self, params: Mapping[str, Any]) -> str:
        return reverse("partners:list")

    def upload_url(self, params: Mapping[str, Any]) -> str:
        return reverse("partners:import")

    def describe(self, counts: Mapping[str, int]) -> str:
        return _("%(created)s new partner(s), %(updated)s updated, %(spend)s spend line(s)") % {
            "created": counts.get("created", 0),
            "updated": counts.get("updated", 0),
            "spend": counts.get("spend", 0),
        }


def busy_message() -> str:
    return _(
        "Another partner import is running; nothing was written. "
        "Import this file again when it has finished."
    )


class ContactSession(ImportSession):
    def __init__(self, actor: Any, params: Mapping[str, Any]) -> None:
        super().__init__(actor, params)
        self.names: set[str] = set()
        self.contacts: dict[tuple[int, str], dict[str, str]] = {}
        self.rows: dict[tuple[int, str], int] = {}

    def collect(self, number: int, row: Mapping[str, str]) -> None:
        if row.get("legal_name"):
            self.names.add(row["legal_name"])

    def load(self) -> None:
        self.partners = {p.legal_name: p for p in Partner.objects.filter(legal_name__in=self.names)}

    def check(self, number: int, row: Mapping[str, str]) -> None:
        partner = self.partners.get(row.get("legal_name", ""))
        if not row.get("legal_name"):
            self.error(number, "legal_name", _("Required."))
        elif partner is None:
            self.error(
                number, "legal_name", _("No partner named %(name)r.") % {"name": row["legal_name"]}
            )
        name = row.get("name", "")
        if not name:
            self.error(number, "name", _("Required."))
        limits = {"name": 120, "role": 120, "email": 254, "phone": 40}
        for column, limit in limits.items():
            if len(row.get(column, "")) > limit:
                self.error(number, column, _("At most %(count)s characters.") % {"count": limit})
        if row.get("email"):
            try:
                validate_email(row["email"])
            except ValidationError:
                self.error(number, "email", _("Enter a valid e-mail address."))
        if partner is None or not name:
            return
        key = (partner.pk, name)
        if key in self.rows:
            self.error(
                number, "name", _("Same partner and name as row %(row)s.") % {"row": self.rows[key]}
            )
        self.rows[key] = number
        self.contacts[key] = {c: row[c] for c in ("role", "email", "phone") if row.get(c)}

    def planned(self) -> dict[str, int]:
        return {"contacts": len(self.contacts)}

    def write(self, report: Callable[[int, int], None]) -> dict[str, int]:
        stored = {
            (c.partner_id, c.name): c
            for c in SupplierContact.objects.filter(
                partner_id__in={pid for pid, _n in self.contacts}
            ).order_by("id")
        }
        partners = {p.pk: p for p in self.partners.values()}
        new: list[SupplierContact] = []
        changed: list[SupplierContact] = []
        audits: list[tuple[SupplierContact, dict[str, Any]]] = []
        fields: set[str] = set()
        for (pid, name), data in self.contacts.items():
            contact = stored.get((pid, name))
            if contact is None:
                contact = SupplierContact(partner=partners[pid], name=name, **data)
                new.append(contact)
                audits.append(
                    (contact, {"name": [None, name], **{k: [None, v] for k, v in data.items()}})
                )
            else:
                contact.partner = partners[pid]
                audited = model_changes(contact, data)
                if audited:
                    fields.update(audited)
                    changed.append(contact)
                    audits.append((contact, audited))
        SupplierContact.objects.bulk_create(new, batch_size=BATCH)
        if changed:
            for contact in changed:
                contact.version = F("version") + 1
            SupplierContact.objects.bulk_update(changed, [*sorted(fields), "version"])
        bulk_insert_copy([_audit(self.actor, "contact.save", c, ch) for c, ch in audits])
        report(1, 1)
        return {"created": len(new), "updated": len(changed)}


class ContactsSpec(ImportSpec):
    kind = "contacts"
    label = gettext_lazy("supplier contacts")
    columns = CONTACT_COLUMNS
    required = ("legal_name", "name")
    capability = Capability.EDIT_PARTNERS
    session_class = ContactSession

    def lock_name(self, params: Mapping[str, Any]) -> str:
        return "partners.import-contacts"

    def done_url(self, params: Mapping[str, Any]) -> str:
        return reverse("partners:list")

    def upload_url(self, params: Mapping[str, Any]) -> str:
        return reverse("partners:import-contacts")

    def describe(self, counts: Mapping[str, int]) -> str:
        if "contacts" in counts:
            return _("%(count)s contact(s)") % {"count": counts["contacts"]}
        return _("%(created)s new contact(s), %(updated)s updated") % {
            "created": counts.get("created", 0),
            "updated": counts.get("updated", 0),
        }


PARTNERS = register(PartnersSpec())
CONTACTS = register(ContactsSpec())
