"""Shared set-up for the AppTest tier: each test starts with empty data caches.

``st.cache_data`` survives across tests in one pytest process, so a result computed for one
test's data could leak into the next. The shared read-only resources (the public record and the
synthetic sample, in ``st.cache_resource``) are kept: they never change, and loading them once
keeps the tier fast.
"""

from __future__ import annotations

import re

import pytest
import streamlit as st


@pytest.fixture(autouse=True)
def _clear_data_caches() -> None:
    st.cache_data.clear()


def citation(at) -> str:  # noqa: ANN001 (AppTest)
    """The page's citation as the reader sees it (the Markdown escapes removed)."""
    found = [m.value for m in at.markdown if "Smart Cities Mission dashboard" in m.value]
    assert found, "no citation on the page"
    return re.sub(r"\\(.)", r"\1", found[-1])
