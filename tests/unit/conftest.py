"""Fixtures shared by the unit tests of the page models."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from smartcities.load import load_public
from smartcities.query import Engine


@pytest.fixture(scope="session")
def public_engine() -> Iterator[Engine]:
    """A query engine over the bundled public record (read only; shared by the tests)."""
    engine = Engine(load_public())
    yield engine
    engine.close()
