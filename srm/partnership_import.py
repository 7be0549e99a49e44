"""Recreate a partnership from its export (``manage.py import_partnership FILE`` and the
administrators' page ``/partners/import-partnership/``).

All or nothing: the file is checked against the committed JSON Schema first (errors name the
path in the file), then every record is created in one transaction; any problem (the partner
exists already, a reference to nothing, a template version that exists here with other
content, a user bound to another partner) raises :class:`core.errors.FieldErrors` and nothing
is written.

People named in the file are matched by user name, else by e-mail address (one account with
it); anyone still unknown is created **inactive**, without a usable password, with the role,
names and e-mail of the file, so history keeps its authors and an administrator decides who
may sign in. Timestamps (created, assessed, raised, closed …) are kept as exported.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import models, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from core.errors import FieldErrors
from core.models import Actor, User
from core.roles import Capability, Role, require
from core.services import audit_record
from partners.models import Category, Partner, PartnerUser
from scorecards.models import KpiDefinition, Perspective, ScorecardTemplate
from srm.partnership_export import (
    FORMAT,
    FORMAT_VERSION,
    INTERNAL,
    kpi_key,
    template_row,
)
from srm.partnership_schema import committed_schema
from srm.partnership_sections import CATEGORY, KPI, PARTNER, SECTIONS, TEMPLATE, USER, ModelSection

MAX_SCHEMA_ERRORS = 20


def parse_file(content: bytes | str) -> dict[str, Any]:
    """The file's JSON object, or FieldErrors saying why it is not one."""
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FieldErrors(
            {"file": _("This is not a JSON file: %(error)s.") % {"error": exc}}
        ) from exc
    if not isinstance(data, dict):
        raise FieldErrors({"file": _("The file must hold one JSON object.")})
    return data


def validate_export(data: dict[str, Any]) -> None:
    """Refuse another format or version first (clearly), then anything off the schema."""
    if data.get("format") != FORMAT:
        raise FieldErrors(
            {
                "file": _("This is not an SRM partnership export (format %(format)r).")
                % {"format": FORMAT}
            }
        )
    version = data.get("format_version")
    if version != FORMAT_VERSION:
        raise FieldErrors(
            {
                "format_version": (
                    _(
                        "The file is format version %(version)s; this SRM imports version "
                        "%(supported)s only."
                    )
                    % {"version": version, "supported": FORMAT_VERSION}
                )
            }
        )
    if data.get("view") != INTERNAL:
        raise FieldErrors(
            {"view": _("A supplier's shared view cannot be imported: export the internal view.")}
        )
    validator = Draft202012Validator(committed_schema(INTERNAL))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        messages: dict[str, list[str]] = {}
        for error in errors[:MAX_SCHEMA_ERRORS]:
            path = "".join(
                f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path
            ).lstrip(".")
            messages.setdefault(path or "file", []).append(error.message)
        raise FieldErrors(messages)


def _value(field: models.Field[Any, Any], raw: Any) -> Any:
    if raw is None:
        return None
    try:
        if isinstance(field, models.DecimalField):
            return Decimal(raw)
        if isinstance(field, models.DateTimeField):
            return datetime.fromisoformat(raw)
        if isinstance(field, models.DateField):
            return date.fromisoformat(raw)
        if isinstance(field, models.TimeField):
            return time.fromisoformat(raw)
    except (ValueError, InvalidOperation) as exc:
        raise FieldErrors({field.name: f"{raw!r} is not a valid {field.name}."}) from exc
    return raw


class _Import:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.objects: dict[str, dict[str, Model]] = {}
        self.users: dict[str, User] = {}
        self.categories: dict[str, Category] = {}
        self.templates: dict[str, ScorecardTemplate] = {}
        self.kpis: dict[str, KpiDefinition] = {}
        self.created_users: list[str] = []

    # ---------------------------------------------------------------- shared records
    def resolve_users(self) -> None:
        for row in self.data["users"]:
            username = row["username"]
            user = User.objects.filter(username=username).first()
            if user is None and row["email"]:
                matches = list(User.objects.filter(email__iexact=row["email"])[:2])
                user = matches[0] if len(matches) == 1 else None
            if user is None:
                role = row["role"] if row["role"] in set(Role) else Role.PROCUREMENT_MANAGER
                user = User(
                    username=username,
                    email=row["email"],
                    first_name=row["first_name"],
                    last_name=row["last_name"],
                    role=role,
                    job_title=row["job_title"],
                    time_zone=row["time_zone"],
                    is_active=False,
                )
                user.set_unusable_password()
                user.save()
                self.created_users.append(username)
            self.users[username] = user

    def resolve_categories(self) -> None:
        for row in self.data["categories"]:
            category, _created = Category.objects.get_or_create(
                code=row["code"], defaults={"name": row["name"]}
            )
            self.categories[row["code"]] = category

    def resolve_templates(self) -> None:
        for row in self.data["scorecard_templates"]:
            key = row["key"]
            existing = (
                ScorecardTemplate.objects.filter(code=row["code"], version=row["version"])
                .prefetch_related("perspectives__kpis")
                .first()
            )
            if existing is not None:
                if _template_content(template_row(existing)) != _template_content(row):
                    raise FieldErrors(
                        {
                            "scorecard_templates": (
                                f"Template {key} exists here with other perspectives or KPIs; "
                                "it cannot be used for this partnership's history."
                            )
                        }
                    )
                template = existing
            else:
                template = self.create_template(row)
            self.templates[key] = template
            for perspective in template.perspectives.all():
                for kpi in perspective.kpis.all():
                    kpi.perspective = perspective
                    perspective.template = template
                    self.kpis[kpi_key(kpi)] = kpi

    def create_template(self, row: dict[str, Any]) -> ScorecardTemplate:
        template = ScorecardTemplate.objects.create(
            code=row["code"],
            version=row["version"],
            name=row["name"],
            description=row["description"],
        )
        ScorecardTemplate.objects.filter(pk=template.pk).update(
            created_at=datetime.fromisoformat(row["created_at"])
        )
        for p in row["perspectives"]:
            perspective = Perspective.objects.create(
                template=template,
                code=p["code"],
                name=p["name"],
                weight=Decimal(p["weight"]),
                position=p["position"],
            )
            KpiDefinition.objects.bulk_create(
                KpiDefinition(
                    perspective=perspective,
                    code=k["code"],
                    name=k["name"],
                    unit=k["unit"],
                    direction=k["direction"],
                    target=Decimal(k["target"]),
                    threshold=Decimal(k["threshold"]),
                    weight=Decimal(k["weight"]),
                    data_source=k["data_source"],
                    aggregation=k["aggregation"],
                    position=k["position"],
                )
                for k in p["kpis"]
            )
        return ScorecardTemplate.objects.prefetch_related("perspectives__kpis").get(pk=template.pk)

    # ---------------------------------------------------------------- references
    def lookup(self, kind: str, ref: str, where: str) -> Model:
        found: Model | None
        if kind == USER:
            found = self.users.get(ref)
        elif kind == CATEGORY:
            found = self.categories.get(ref)
        elif kind == TEMPLATE:
            found = self.templates.get(ref)
        elif kind == KPI:
            found = self.kpis.get(ref)
        else:
            found = self.objects.get(kind, {}).get(ref)
        if found is None:
            raise FieldErrors({where: f"{ref!r} refers to no {kind} in the file."})
        return found

    def create(self, section: ModelSection, row: dict[str, Any], where: str, **fixed: Any) -> Model:
        obj = section.model(**fixed)
        stamps: dict[str, Any] = {}
        for name in section.fields:
            if name in section.many:
                continue
            raw = row[name]
            if name in section.refs:
                target = None if raw is None else self.lookup(section.refs[name], raw, where)
                setattr(obj, name, target)
                continue
            field = section.model._meta.get_field(name)
            assert isinstance(field, models.Field)
            value = _value(field, raw)
            if isinstance(field, models.FileField):
                value = value or ""
            setattr(obj, name, value)
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                stamps[name] = value
        obj.save()
        for name, kind in section.many.items():
            members = [self.lookup(kind, ref, f"{where}.{name}") for ref in row[name]]
            getattr(obj, name).set(members)
        if stamps:
            # auto_now(_add) fields take the clock on save; history keeps the exported times.
            section.model._default_manager.filter(pk=obj.pk).update(**stamps)
            for name, value in stamps.items():
                setattr(obj, name, value)
        return obj

    def run(self) -> Partner:
        legal_name = self.data["partner"]["legal_name"]
        if Partner.objects.filter(legal_name=legal_name).exists():
            raise FieldErrors(
                {
                    "partner": (
                        f"A partner named {legal_name!r} exists already: a partnership is "
                        "imported only into an instance that does not have it."
                    )
                }
            )
        self.resolve_users()
        self.resolve_categories()
        self.resolve_templates()
        partner = self.create(PARTNER, self.data["partner"], "partner")
        assert isinstance(partner, Partner)
        for section in SECTIONS:
            refs = self.objects.setdefault(section.name, {})
            fixed = {"partner": partner} if section.partner_path == "partner" else {}
            for position, row in enumerate(self.data[section.name]):
                where = f"{section.name}[{position}]"
                if section.model is PartnerUser:
                    self.check_portal_user(row["user"], where)
                refs[row["ref"]] = self.create(section, row, where, **fixed)
        return partner

    def check_portal_user(self, username: str, where: str) -> None:
        user = self.users.get(username)
        if user is not None and PartnerUser.objects.filter(user=user).exists():
            raise FieldErrors(
                {where: f"User {username!r} is a portal user of another partner here."}
            )


def _template_content(row: dict[str, Any]) -> Any:
    return {k: v for k, v in row.items() if k != "created_at"}


def partnership_import(*, actor: Actor, data: dict[str, Any]) -> Partner:
    """Recreate the partnership of an export file (all or nothing). Administrators only."""
    require(actor, Capability.ADMINISTER)
    validate_export(data)
    with transaction.atomic():
        importer = _Import(data)
        partner = importer.run()
        audit_record(
            actor=actor,
            action="partnership_imported",
            obj=partner,
            changes={
                "exported_at": data["exported_at"],
                "users_created_inactive": importer.created_users,
            },
        )
    return partner
