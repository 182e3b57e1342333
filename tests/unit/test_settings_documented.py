"""Every ``SMARTCITIES_*`` setting the code reads is documented in the README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
SETTING = re.compile(r"\bSMARTCITIES_[A-Z][A-Z_]*[A-Z]\b")


def settings_in_code() -> set[str]:
    files = [
        ROOT / "dashboard.py",
        *(ROOT / "smartcities").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
    ]
    found: set[str] = set()
    for path in files:
        found |= set(SETTING.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_setting_is_in_the_readme() -> None:
    found = settings_in_code()
    assert {"SMARTCITIES_MAX_COLUMNS", "SMARTCITIES_DATA_DIR"} <= found  # the scan works
    readme = ROOT.joinpath("README.md").read_text(encoding="utf-8")
    missing = sorted(s for s in found if f"`{s}`" not in readme)
    assert missing == [], f"document these in README.md's Settings table: {missing}"
