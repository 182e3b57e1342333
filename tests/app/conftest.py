"""Shared set-up for the AppTest tier: each test starts with empty data caches.

``st.cache_data`` survives across tests in one pytest process, so a result computed for one
test's data could leak into the next. The shared read-only resources (the public record and the
synthetic sample, in ``st.cache_resource``) are kept: they never change, and loading them once
keeps the tier fast.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _clear_data_caches() -> None:
    st.cache_data.clear()


def citation(at) -> str:  # noqa: ANN001 (AppTest)
    """The page's citation as the reader sees it (the Markdown escapes removed)."""
    found = [m.value for m in at.markdown if "Smart Cities Mission dashboard" in m.value]
    assert found, "no citation on the page"
    return re.sub(r"\\(.)", r"\1", found[-1])


def routed(page: str, **params: str) -> AppTest:
    """A page opened through the router (``dashboard.py``), as a link with ``params`` would."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if page != "overview":
        at.switch_page(f"pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def routed_ok(page: str, **params: str) -> AppTest:
    """:func:`routed`, failing the test at once if the page raised."""
    at = routed(page, **params)
    assert not at.exception, at.exception
    return at
