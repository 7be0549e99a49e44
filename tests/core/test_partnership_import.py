"""Importing a partnership export: all or nothing, refused when the partner exists, for
another format version or a file off the schema; the administrators' page (issue 15)."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from core.errors import FieldErrors
from core.models import AuditEvent, User
from core.roles import Role
from governance.models import Meeting
from partners.models import Partner, PartnerUser
from scorecards.models import KpiDefinition, ScorecardTemplate
from srm.demo import seed_demo
from srm.partnership_export import SHARED, partnership_export
from srm.partnership_import import partnership_import
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported() -> dict[str, Any]:
    """Voltaris's export, then Voltaris removed: this instance has everything but it."""
    seed_demo()
    voltaris = Partner.objects.get(short_name="Voltaris")
    data = partnership_export(voltaris)
    voltaris.delete()
    return data


@pytest.fixture
def admin() -> User:
    return UserFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


def _counts() -> tuple[int, int, int]:
    return Partner.objects.count(), Meeting.objects.count(), User.objects.count()


def _refused(admin: User, data: dict[str, Any]) -> dict[str, list[str]]:
    before = _counts()
    with pytest.raises(FieldErrors) as refused:
        partnership_import(actor=admin, data=data)
    assert _counts() == before  # nothing written
    return refused.value.errors


def test_import_recreates_it_matching_people_and_templates(
    exported: dict[str, Any], admin: User
) -> None:
    templates = ScorecardTemplate.objects.count()
    partner = partnership_import(actor=admin, data=exported)
    assert partner.short_name == "Voltaris"
    # Existing people are matched by user name, shared templates reused, none created.
    assert partner.owner == User.objects.get(username="priya")
    assert ScorecardTemplate.objects.count() == templates
    assert partner.meetings.filter(title="Internal prep: 2027 volume negotiation").exists()
    assert User.objects.get(username="lena").partner_link.partner == partner
    assert AuditEvent.objects.filter(action="partnership_imported", object_id=str(partner.pk))
    again = partnership_export(partner)
    for key in exported:
        if key != "exported_at":
            assert again[key] == exported[key], key


def test_people_are_matched_by_email_else_created_inactive(
    exported: dict[str, Any], admin: User
) -> None:
    # Another instance named marco differently.
    data = json.loads(json.dumps(exported).replace('"marco"', '"m.keller"'))
    helena = next(u for u in data["users"] if u["username"] == "helena")
    helena["email"] = "helena@elsewhere.example"
    User.objects.filter(username="helena").update(username="h.vogt")
    partnership_import(actor=admin, data=data)
    # marco's e-mail address matched the existing account; nobody knew helena: inactive.
    assert User.objects.filter(username="m.keller").count() == 0
    created = User.objects.get(username="helena")
    assert not created.is_active and not created.has_usable_password()
    assert created.role == Role.EXECUTIVE_SPONSOR


def test_an_instance_that_has_the_partner_refuses(exported: dict[str, Any], admin: User) -> None:
    partnership_import(actor=admin, data=exported)
    errors = _refused(admin, exported)
    assert errors == {
        "partner": [
            "A partner named 'Voltaris Cell Technologies AB' exists already: a partnership is "
            "imported only into an instance that does not have it."
        ]
    }


def test_another_format_version_is_refused(exported: dict[str, Any], admin: User) -> None:
    errors = _refused(admin, {**exported, "format_version": 2})
    assert errors == {
        "format_version": ["The file is format version 2; this SRM imports version 1 only."]
    }
    assert "format" in _refused(admin, {**exported, "format": "something-else"})["file"][0]


def test_a_file_off_the_schema_names_each_place_and_writes_nothing(
    exported: dict[str, Any], admin: User
) -> None:
    data = copy.deepcopy(exported)
    data["meetings"][2]["start"] = 12
    del data["agreements"][0]["title"]
    data["partner"]["surprise"] = True
    errors = _refused(admin, data)
    assert "12 is not of type 'string'" in errors["meetings[2].start"][0]
    assert "'title' is a required property" in errors["agreements[0]"][0]
    assert "('surprise' was unexpected)" in errors["partner"][0]


def test_a_reference_to_nothing_rolls_everything_back(
    exported: dict[str, Any], admin: User
) -> None:
    data = copy.deepcopy(exported)
    data["actions"][-1]["meeting"] = "meetings/9999"
    users_before = User.objects.count()
    errors = _refused(admin, data)
    assert errors[f"actions[{len(data['actions']) - 1}]"] == [
        "'meetings/9999' refers to no meetings in the file."
    ]
    assert User.objects.count() == users_before


def test_a_template_version_that_differs_here_is_refused(
    exported: dict[str, Any], admin: User
) -> None:
    template = exported["scorecard_templates"][0]
    code, version = template["code"], template["version"]
    kpi = KpiDefinition.objects.filter(
        perspective__template__code=code, perspective__template__version=version
    ).first()
    assert kpi is not None
    KpiDefinition.objects.filter(pk=kpi.pk).update(target=kpi.target + 1)
    errors = _refused(admin, exported)
    assert f"Template {code}@{version} exists here with other" in errors["scorecard_templates"][0]


def test_the_shared_view_and_other_roles_are_refused(exported: dict[str, Any], admin: User) -> None:
    seed_partner = Partner.objects.get(short_name="GreenPack")
    shared = partnership_export(seed_partner, view=SHARED)
    assert "cannot be imported" in _refused(admin, shared)["view"][0]
    with pytest.raises(Exception, match="Your role does not allow this"):
        partnership_import(actor=User.objects.get(username="priya"), data=exported)


def test_the_command(exported: dict[str, Any], tmp_path: Path) -> None:
    path = tmp_path / "voltaris.json"
    path.write_text(json.dumps(exported), encoding="utf-8")
    call_command("import_partnership", str(path))
    assert Partner.objects.filter(short_name="Voltaris").exists()
    with pytest.raises(CommandError, match="exists already"):
        call_command("import_partnership", str(path))
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_partnership", str(tmp_path / "missing.json"))


def test_the_administrators_page(
    exported: dict[str, Any], admin: User, client_for: Callable[[User], Client]
) -> None:
    assert (
        client_for(User.objects.get(username="priya"))
        .get("/partners/import-partnership/")
        .status_code
        == 403
    )
    client = client_for(admin)
    assert "Import a partnership (JSON)" in client.get("/partners/").content.decode()
    assert client.get("/partners/import-partnership/").status_code == 200

    def upload(content: bytes) -> Any:
        file = SimpleUploadedFile("export.json", content, content_type="application/json")
        return client.post("/partners/import-partnership/", {"file": file})

    bad = upload(json.dumps({**exported, "format_version": 7}).encode())
    assert bad.status_code == 200
    assert "Nothing was imported" in bad.content.decode()
    assert "this SRM imports version 1 only" in bad.content.decode()
    assert "not a JSON file" in upload(b"{nope").content.decode()

    done = upload(json.dumps(exported).encode())
    partner = Partner.objects.get(short_name="Voltaris")
    assert done.status_code == 302 and done["Location"] == f"/partners/{partner.pk}/"
    again = upload(json.dumps(exported).encode()).content.decode()
    assert "exists already" in again


def test_a_portal_user_of_another_partner_here_is_refused(
    exported: dict[str, Any], admin: User
) -> None:
    lena = User.objects.get(username="lena")
    PartnerUser.objects.create(user=lena, partner=Partner.objects.get(short_name="GreenPack"))
    errors = _refused(admin, exported)
    assert list(errors.values()) == [["User 'lena' is a portal user of another partner here."]]
