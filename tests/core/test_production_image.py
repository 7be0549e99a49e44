"""The production image's commands, run here as the image runs them.

Docker is not available to the suite, so this reads the Dockerfile and docker-compose.yml and
runs their commands with the same environment: the Dockerfile's ``ENV`` plus the compose
file's, production settings, a temporary static root. It collects the static files as the
image build does, starts the web service's command (migrate, then gunicorn), runs the compose
health check against it, serves pages over plain HTTP and behind the proxy's HTTPS header,
and starts the worker and beat commands until they report ready.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from core.models import User
from core.roles import Role
from tests.factories import PASSWORD
from tests.worker import _test_database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
HOST = "srm.example.com"


def _dockerfile_lines() -> list[str]:
    text = (ROOT / "Dockerfile").read_text()
    return [line.strip() for line in text.replace("\\\n", " ").splitlines()]


def _dockerfile_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for line in _dockerfile_lines():
        if line.startswith("ENV "):
            for pair in shlex.split(line[4:]):
                key, _, value = pair.partition("=")
                env[key] = value
    return env


def _collectstatic_command() -> tuple[dict[str, str], list[str]]:
    """The build's collectstatic step: its inline VAR=value assignments and its command."""
    for line in _dockerfile_lines():
        if line.startswith("RUN ") and "collectstatic" in line:
            step = next(part for part in line[4:].split("&&") if "collectstatic" in part)
            words = shlex.split(step)
            assignments = {}
            while "=" in words[0] and not words[0].startswith("-"):
                key, _, value = words.pop(0).partition("=")
                assignments[key] = value
            return assignments, words
    raise AssertionError("The Dockerfile has no collectstatic step")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Process:
    """A command of the image, its output collected as it runs."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.output.append(line.decode(errors="replace"))

    def text(self) -> str:
        return "".join(self.output)

    def wait_for(self, pattern: str, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while not re.search(pattern, self.text()):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{pattern!r} never appeared:\n{self.text()[-4000:]}")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@pytest.fixture(scope="module")
def image_env(tmp_path_factory: pytest.TempPathFactory, django_db_setup: None) -> dict[str, str]:
    """What a container of the image sees: the Dockerfile's ENV, the compose file's
    environment, the .env values the README asks for, and this suite's servers."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    app_env = compose["x-app"]["environment"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SRM_", "DJANGO_"))}
    env |= _dockerfile_env()
    env |= {key: str(value) for key, value in app_env.items()}
    env |= {
        # .env beside the compose file
        "SRM_SECRET_KEY": "k9$Xq2!vLm7#pR4wZ8@tY1^uB6&nC3*eH5%jF0(oS-dG_aQ+iW=kX]zV[cM;l",
        "SRM_ALLOWED_HOSTS": HOST,
        # this machine's servers instead of the compose network's
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": os.environ["REDIS_URL"],
        # the container's paths, under the test's own folder
        "SRM_STATIC_ROOT": str(tmp_path_factory.mktemp("static") / "staticfiles"),
        "SRM_MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        # `python`, `gunicorn` and `celery` as the image has them on its PATH
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    assert env["SRM_ENV"] == "production"
    return env


@pytest.fixture(scope="module")
def collected(image_env: dict[str, str]) -> dict[str, str]:
    """Run the build's collectstatic step exactly as the Dockerfile writes it."""
    assignments, command = _collectstatic_command()
    started = time.monotonic()
    result = subprocess.run(
        command, cwd=ROOT, env=image_env | assignments, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = Path(image_env["SRM_STATIC_ROOT"]) / "staticfiles.json"
    assert manifest.exists()
    paths = json.loads(manifest.read_text())["paths"]
    assert "vendor/chart.umd.min.js" in paths and "css/srm.css" in paths
    print(f"collectstatic took {time.monotonic() - started:.1f} s")
    return image_env


@pytest.fixture
def services(collected: dict[str, str], tmp_path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """The compose file's web (migrate, then gunicorn, on a free port), worker and beat
    commands, started together; yields once all three are up."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    commands = {name: compose["services"][name]["command"] for name in ("web", "worker", "beat")}
    port = _free_port()
    commands["web"] = [
        part.replace("0.0.0.0:8000", f"127.0.0.1:{port}") for part in commands["web"]
    ]
    schedule = str(tmp_path / "celerybeat-schedule")
    commands["beat"] = [
        schedule if p == "/tmp/celerybeat-schedule" else p for p in commands["beat"]
    ]
    processes = {name: Process(command, collected) for name, command in commands.items()}
    try:
        processes["worker"].wait_for(r"celery@\S+ ready\.")
        processes["beat"].wait_for(r"beat: Starting\.\.\.")
        assert "redis://" in processes["worker"].text()
        deadline = time.monotonic() + 90
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            web = processes["web"]
            if web.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"The web service did not start:\n{web.text()[-4000:]}")
            time.sleep(0.2)
        yield port, compose
    finally:
        for process in processes.values():
            if process.proc.poll() is None:
                process.proc.terminate()
        for process in processes.values():
            process.stop()


def _get(
    port: int,
    path: str,
    headers: dict[str, str] | None = None,
    *,
    method: str = "GET",
    body: str | None = None,
) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    response.read()
    return response


class Browser:
    """Just enough of a browser behind the TLS-terminating proxy: cookies, HTTPS header."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Referer": f"https://{HOST}/"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response.status, dict(response.headers.items()), text


def test_the_image_builds_starts_serves_and_passes_its_health_check(services) -> None:
    """Worker and beat report ready (in the fixture); the web service answers its health
    check over plain HTTP and serves signed-in pages with collected static files."""
    port, compose = services
    env_check = compose["services"]["web"]["healthcheck"]["test"]
    assert env_check[0] == "CMD"

    # The compose health check, as Docker runs it inside the container (plain HTTP, Host
    # localhost, which is not an allowed host).
    check = [part.replace(":8000", f":{port}") for part in env_check[1:]]
    result = subprocess.run(check, cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr

    ready = _get(port, "/readyz", {"Host": "10.1.2.3:8000"})
    assert ready.status == 200
    # Everything else goes through the HTTPS redirect and the host check.
    plain = _get(port, "/accounts/login/", {"Host": HOST})
    assert plain.status == 301
    assert plain.headers["Location"] == f"https://{HOST}/accounts/login/"
    assert (
        _get(
            port, "/accounts/login/", {"Host": "evil.example", "X-Forwarded-Proto": "https"}
        ).status
        == 400
    )

    User.objects.create(
        username="ops",
        role=Role.PROCUREMENT_MANAGER,
        password=PBKDF2PasswordHasher().encode(PASSWORD, "productiontest"),
    )
    browser = Browser(port)
    status, headers, login = browser.request("GET", "/accounts/login/")
    assert status == 200, login
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "Strict-Transport-Security" in headers
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
    assert token
    status, headers, _ = browser.request(
        "POST",
        "/accounts/login/",
        {"username": "ops", "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
    )
    assert status == 302, headers

    static_urls: set[str] = set()
    for page in (
        "/workspace/",
        "/partners/",
        "/partners/matrix/",
        "/dashboard/",
        "/scorecards/",
        "/account/",
        "/account/two-factor/",
        "/account/tokens/",
        "/api/docs/",
    ):
        status, _, html = browser.request("GET", page)
        assert status == 200, f"{page} answered {status} in production:\n{html[:2000]}"
        static_urls |= set(re.findall(r'(?:src|href)="(/static/[^"]+)"', html))
    # Every static file the pages name is collected under its hashed name and served.
    assert any(re.search(r"/static/css/srm\.[0-9a-f]{12}\.css", url) for url in static_urls)
    assert any("chart.umd.min." in url for url in static_urls)
    for url in sorted(static_urls):
        assert _get(port, url, {"Host": HOST, "X-Forwarded-Proto": "https"}).status == 200, url


def test_the_image_and_compose_run_the_same_web_server() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    web_command = compose["services"]["web"]["command"][-1]
    gunicorn = web_command.split("exec ", 1)[1]
    cmd = next(line for line in _dockerfile_lines() if line.startswith("CMD "))
    assert shlex.split(gunicorn) == json.loads(cmd[4:])
