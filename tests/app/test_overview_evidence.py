"""The Overview on the 2026 public record: the latest national figures with their date basis
and source, and the two running totals that fell flagged on their cards."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def overview() -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60).run()
    assert not at.exception, at.exception
    return at


def card(at: AppTest, label: str):
    found = [m for m in at.metric if m.label == label]
    assert found, f"no card {label!r}"
    return found[0]


def test_latest_national_completion_with_date_basis_and_source(overview) -> None:
    done = card(overview, "Projects completed")
    assert done.value == "7,767"
    assert "As on 15 Jan 2026" in done.help
    assert "Source: http" in done.help
    assert card(overview, "Value of projects completed").value == "₹1,55,859 crore"
    captions = [c.value for c in overview.caption]
    assert captions.count("As on 15 Jan 2026") >= 3


def test_two_falling_running_totals_are_flagged(overview) -> None:
    flags = [c.value.replace("\\", "") for c in overview.caption if "Fell from" in c.value]
    assert any("₹47,459 crore (as on 31 Mar 2025) to ₹47,458 crore" in f for f in flags), flags
    assert any("7,905 (as on 10 Apr 2022) to 7,822 (as on 8 Jul 2022)" in f for f in flags), flags
    released = card(overview, "Central funds released")
    assert "A running total should not fall" in released.help
    assert released.delta.startswith("-")


def test_an_earlier_date_shows_the_figure_of_then_with_its_basis() -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params["as_of"] = "2025-12-01"
    at.run()
    assert not at.exception
    assert card(at, "Projects completed").value == "7,741"
