"""Fixtures of the scorecard tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_afterwards() -> Iterator[None]:
    """A request in German leaves German active in the test's thread (the middleware
    activates the user's or browser's language and nothing resets it between tests); the
    tests after it expect English messages."""
    yield
    translation.deactivate()
