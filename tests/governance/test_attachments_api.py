"""Meeting attachments over the API: upload, list, download, scoped like the meeting."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from governance.models import MeetingAttachment, Visibility
from tests.governance.factories import MeetingFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/governance/attachments/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path


def _upload(api, meeting, content: bytes = b"%PDF-1.4 QBR deck", name: str = "deck.pdf"):
    return api.post(
        LIST,
        {"meeting": meeting.pk, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_a_manager_uploads_lists_and_downloads(partner_a, api_for, alliance_manager) -> None:
    meeting = MeetingFactory(partner=partner_a)
    api = api_for(alliance_manager)
    response = _upload(api, meeting)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["name"] == "deck.pdf" and body["size"] == 17 and "file" not in body
    listed = api.get(LIST, {"meeting": meeting.pk}).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [body["id"]]
    download = api.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 QBR deck"
    assert 'filename="deck.pdf"' in download["Content-Disposition"]


def test_internal_meetings_attachments_never_reach_suppliers(
    partner_a, api_for, alliance_manager, supplier_a, supplier_b
) -> None:
    shared = MeetingFactory(partner=partner_a)
    internal = MeetingFactory(partner=partner_a, visibility=Visibility.INTERNAL)
    api = api_for(alliance_manager)
    shared_id = _upload(api, shared).json()["id"]
    internal_id = _upload(api, internal).json()["id"]

    def ids(user) -> list[int]:
        data = api_for(user).get(LIST).json()
        return [r["id"] for r in (data["results"] if isinstance(data, dict) else data)]

    assert ids(supplier_a) == [shared_id]
    assert ids(supplier_b) == []
    assert sorted(ids(alliance_manager)) == sorted([shared_id, internal_id])
    download = f"{LIST}{internal_id}/download/"
    assert api_for(supplier_a).get(download).status_code == 404
    assert api_for(supplier_a).get(f"{LIST}{internal_id}/").status_code == 404
    assert api_for(supplier_b).get(f"{LIST}{shared_id}/download/").status_code == 404
    assert api_for(supplier_a).get(f"{LIST}{shared_id}/download/").status_code == 200


def test_suppliers_cannot_upload(partner_a, api_for, supplier_a) -> None:
    meeting = MeetingFactory(partner=partner_a)
    assert _upload(api_for(supplier_a), meeting).status_code == 403
    assert not MeetingAttachment.objects.exists()


def test_bad_uploads_are_400s_with_field_errors(
    partner_a, partner_b, api_for, alliance_manager, executive
) -> None:
    meeting = MeetingFactory(partner=partner_a)
    api = api_for(alliance_manager)
    empty = _upload(api, meeting, content=b"")
    assert empty.status_code == 400 and "file" in empty.json()
    missing = api.post(LIST, {"meeting": meeting.pk}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()
    unknown = api.post(
        LIST, {"meeting": 999999, "file": SimpleUploadedFile("a.txt", b"x")}, format="multipart"
    )
    assert unknown.status_code == 400 and "meeting" in unknown.json()
    assert not MeetingAttachment.objects.exists()


def test_an_empty_file_on_the_page_is_a_message_not_a_500(
    partner_a, client_for, alliance_manager
) -> None:
    meeting = MeetingFactory(partner=partner_a)
    response = client_for(alliance_manager).post(
        reverse("governance:meeting-attach", args=[meeting.pk]),
        {"file": SimpleUploadedFile("empty.pdf", b"")},
        follow=True,
    )
    assert response.status_code == 200
    assert "The file is empty." in response.content.decode()
    assert not MeetingAttachment.objects.exists()
