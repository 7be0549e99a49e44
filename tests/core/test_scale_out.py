"""Past one machine (issue 12): two web processes against one database, nothing kept on one
node. A file uploaded through one web process is served by the other, through Django's storage
API (here the local disk both share, as the compose file's `media` volume; S3-compatible
object storage across hosts, with SRM_S3_BUCKET)."""

from __future__ import annotations

import json
import sys
import urllib.request
import uuid
from pathlib import Path

import pytest

from core.api_tokens import api_token_create
from core.roles import Role
from tests.factories import UserFactory
from tests.faults import AppProcess, app_env, free_port
from tests.governance.factories import MeetingFactory
from tests.worker import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _web(name: str, port: int, env: dict[str, str]) -> AppProcess:
    return AppProcess(
        name,
        [sys.executable, "-m", "gunicorn", "srm.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--timeout", "30"],
        env,
    )  # fmt: skip


def _request(url: str, token: str, data: bytes | None = None, content_type: str = "") -> bytes:
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")  # noqa: S310
    request.add_header("Authorization", f"Bearer {token}")
    if content_type:
        request.add_header("Content-Type", content_type)
    with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 - our test server
        return bytes(response.read())


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310
            return bool(response.status == 200)
    except OSError:
        return False


def test_an_upload_through_one_web_process_is_served_by_the_other(tmp_path: Path) -> None:
    manager = UserFactory(username="scale-pm", role=Role.PROCUREMENT_MANAGER)
    meeting = MeetingFactory()
    token = api_token_create(actor=manager, name="scale-out test", lifetime_days=7).secret
    env = app_env(SRM_MEDIA_ROOT=str(tmp_path / "shared-media"))
    first_port, second_port = free_port(), free_port()
    webs = [_web("scale-web-1", first_port, env), _web("scale-web-2", second_port, env)]
    try:
        for web in webs:
            web.start(lambda log: "Booting worker" in log)
        first, second = f"http://127.0.0.1:{first_port}", f"http://127.0.0.1:{second_port}"
        assert wait_until(lambda: _healthy(first) and _healthy(second), timeout=30)

        content = f"minutes {uuid.uuid4()}\n".encode()
        boundary = uuid.uuid4().hex
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="meeting"\r\n\r\n'
                f'{meeting.pk}\r\n--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="minutes.txt"\r\nContent-Type: text/plain\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        created = json.loads(
            _request(
                f"{first}/api/v1/governance/attachments/",
                token,
                body,
                f"multipart/form-data; boundary={boundary}",
            )
        )
        served = _request(
            f"{second}/api/v1/governance/attachments/{created['id']}/download/", token
        )
        assert served == content
    finally:
        for web in webs:
            web.stop()


@pytest.mark.django_db(transaction=False)
def test_object_storage_is_chosen_by_the_environment() -> None:
    """With SRM_S3_BUCKET the uploads go to S3-compatible storage (django-storages), with the
    endpoint and keys from the environment; without it to the local disk."""
    import subprocess

    script = (
        "import django; django.setup(); from django.conf import settings; "
        "from django.core.files.storage import storages; s = storages['default']; "
        "print(type(s).__module__, s.bucket_name, s.endpoint_url, s.file_overwrite)"
    )
    env = app_env(
        DJANGO_SETTINGS_MODULE="srm.settings",
        SRM_S3_BUCKET="srm-files",
        SRM_S3_ENDPOINT_URL="http://minio.internal:9000",
        SRM_S3_ACCESS_KEY="key",
        SRM_S3_SECRET_KEY="secret",
    )
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["storages.backends.s3", "srm-files", "http://minio.internal:9000", "False"]
