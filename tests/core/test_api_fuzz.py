"""Schemathesis against the live schema, as an internal user and as a supplier (issue 15).

Every operation of `/api/schema/` (as the running app serves it) is called in-process through
the WSGI application with a personal API token, with generated valid and invalid input: no
answer may be a 5xx, and every documented answer must match the schema. Bounded so the whole
module stays near two minutes (`SRM_FUZZ_EXAMPLES` examples per operation and role, 5 by
default; deterministic, so a failure reproduces).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import response_schema_conformance

from core.api_tokens import api_token_create
from core.roles import Role
from tests.factories import PartnerFactory, SupplierContactFactory, UserFactory, supplier_user
from tests.governance.factories import ActionItemFactory, MeetingFactory
from tests.partners.factories import AgreementFactory
from tests.scorecards.factories import scorecard_for

EXAMPLES = int(os.environ.get("SRM_FUZZ_EXAMPLES", "5"))
STATEFUL_RUNS = int(os.environ.get("SRM_FUZZ_WORKFLOWS", "10"))
WSGI = get_wsgi_application()


def live_schema_document() -> dict[str, Any]:
    """The document /api/schema/ serves: the same generator and renderer, without a request
    (test_the_fuzzed_schema_is_the_served_one checks they agree)."""
    generator = SchemaGenerator()
    document = generator.get_schema(request=None, public=True)
    rendered: dict[str, Any] = json.loads(OpenApiJsonRenderer().render(document))
    return rendered


CONFIG = SchemathesisConfig.from_dict(
    {
        "generation": {"mode": "all", "max-examples": EXAMPLES, "deterministic": True},
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_dict(live_schema_document(), config=CONFIG)
schema.app = WSGI


def test_the_fuzzed_schema_is_the_served_one(client_for: Any, procurement_manager: Any) -> None:
    answer = client_for(procurement_manager).get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    assert json.loads(answer.content) == live_schema_document()


@pytest.fixture
def in_process(db: None) -> Iterator[None]:
    """Requests through the WSGI app share the test's connection and transaction: keep the
    end of a request from closing it (what Django's own test client does)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(in_process: None) -> dict[str, str]:
    """A small world both roles can reach into, and a token for each role."""
    alpha = PartnerFactory(short_name="Alpha Cells", legal_name="Alpha Cells AB")
    beta = PartnerFactory(short_name="Beta Pack", legal_name="Beta Pack B.V.")
    admin = UserFactory(username="fuzz-admin", role=Role.ADMINISTRATOR, is_staff=True)
    supplier = supplier_user(alpha, "fuzz-supplier")
    for partner in (alpha, beta):
        contact = SupplierContactFactory(partner=partner)
        meeting = MeetingFactory(partner=partner)
        ActionItemFactory(partner=partner, meeting=meeting, owner_contact=contact)
        scorecard_for(partner)
        AgreementFactory(partner=partner)
    return {
        "internal": api_token_create(actor=admin, name="fuzz", lifetime_days=7).secret,
        "supplier": api_token_create(actor=supplier, name="fuzz", lifetime_days=7).secret,
    }


CHECKS = [not_a_server_error, response_schema_conformance]


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _call(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_contract_as_an_internal_user(case: Any, tokens: dict[str, str]) -> None:
    _call(case, tokens["internal"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_api_contract_as_a_supplier_user(case: Any, tokens: dict[str, str]) -> None:
    _call(case, tokens["supplier"])


def _workflow(token: str) -> type[Any]:
    """Stateful runs along the links schemathesis finds in the schema (a created record's id
    fed to its read, update and actions), with the same checks."""
    base = schema.as_state_machine()

    class Workflow(base):  # type: ignore[valid-type,misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            return {"headers": {"Authorization": f"Bearer {token}"}}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    return Workflow


STATEFUL = settings(
    max_examples=STATEFUL_RUNS,
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.mark.parametrize("role", ["internal", "supplier"])
def test_api_workflows_along_the_schema_links(role: str, tokens: dict[str, str]) -> None:
    _workflow(tokens[role]).run(settings=STATEFUL)
