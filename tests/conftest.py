"""Fixtures shared by the suite: users of every role, two partners with supplier users."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from django.test import Client
from django.utils import translation
from rest_framework.test import APIClient

from core.catalogue import compile_catalogues
from core.models import User
from core.roles import Role
from partners.models import Partner
from tests.factories import PartnerFactory, UserFactory, supplier_user

pytest_plugins = ["tests.worker"]


def pytest_sessionstart(session: pytest.Session) -> None:
    """The German pages need the compiled catalogue (the .mo is built, not committed)."""
    compile_catalogues()


@pytest.fixture
def procurement_manager(db: None) -> User:
    return UserFactory(username="pm", role=Role.PROCUREMENT_MANAGER)


@pytest.fixture
def alliance_manager(db: None) -> User:
    return UserFactory(username="am", role=Role.ALLIANCE_MANAGER)


@pytest.fixture
def executive(db: None) -> User:
    return UserFactory(username="exec", role=Role.EXECUTIVE_SPONSOR)


@pytest.fixture
def administrator(db: None) -> User:
    return UserFactory(username="root", role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def partner_a(db: None) -> Partner:
    return PartnerFactory(short_name="Alpha Cells", legal_name="Alpha Cells AB")


@pytest.fixture
def partner_b(db: None) -> Partner:
    return PartnerFactory(short_name="Beta Pack", legal_name="Beta Pack B.V.")


@pytest.fixture
def supplier_a(partner_a: Partner) -> User:
    return supplier_user(partner_a, "supplier-a")


@pytest.fixture
def supplier_b(partner_b: Partner) -> User:
    return supplier_user(partner_b, "supplier-b")


@pytest.fixture
def client_for() -> Callable[[User], Client]:
    """A test client signed in as the given user."""

    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def api_for() -> Callable[[User], APIClient]:
    """An API client authenticated as the given user."""

    def make(user: User) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request in German leaves German active in the test's thread (the middleware
    activates the user's or browser's language and nothing resets it between requests of a
    test client); the tests after it expect English."""
    yield
    translation.deactivate()
