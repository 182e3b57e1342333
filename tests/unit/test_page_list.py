"""The router's page list matches the pages/ folder, and URL paths are the public contract."""

from pathlib import Path

import pytest

from smartcities.config import ROOT
from smartcities.ui.pages import PAGES

pytestmark = pytest.mark.unit


def test_every_page_file_is_declared_and_exists():
    declared = {p.path for p in PAGES}
    on_disk = {f"pages/{f.name}" for f in Path(ROOT / "pages").glob("*.py")}
    assert declared == on_disk


def test_url_paths_are_the_public_contract():
    assert {p.url_path for p in PAGES} == {
        "",
        "iccc",
        "progress",
        "map",
        "city",
        "coverage",
        "data",
        "load",
        "about",
    }
    assert sum(p.default for p in PAGES) == 1
