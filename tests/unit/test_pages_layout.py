"""Pages hold layout only: what a page shows is computed by a page model of the package, so a
page never queries the engine, builds a figure or does arithmetic on a frame itself, and stays
short enough to read at a glance."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

PAGES = sorted((Path(__file__).resolve().parents[2] / "pages").glob("*.py"))
MAX_LINES = 150
# Modules that compute: a page asks a page model (overview, iccc, progress_view, ...) instead.
COMPUTING = {"pandas", "numpy", "plotly", "duckdb", "smartcities.figures", "smartcities.maps"}
COMPUTING |= {"smartcities.metrics", "smartcities.provenance", "smartcities.checks"}
ENGINE_QUERIES = {"progress", "latest", "series", "cities", "iccc", "projects", "sql", "distinct"}
ENGINE_QUERIES |= {"memo", "row_count", "source_counts", "funnel_breakdown", "has_projects"}


def imported(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def engine_queries(tree: ast.Module) -> list[str]:
    """Calls like ``frame.engine.latest(...)``."""
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ENGINE_QUERIES
            and isinstance(node.func.value, ast.Attribute)
            and node.func.value.attr == "engine"
        ):
            found.append(f"line {node.lineno}: engine.{node.func.attr}")
    return found


def test_there_are_pages() -> None:
    assert len(PAGES) >= 9


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_a_page_is_layout_only(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    tree = ast.parse(text)
    assert len(text.splitlines()) <= MAX_LINES, f"{page.name}: move logic into a page model"
    heavy = {
        name
        for name in imported(tree)
        if any(name == m or name.startswith(m + ".") for m in COMPUTING)
    }
    assert not heavy, f"{page.name} imports {sorted(heavy)}: compute in a page model"
    assert not engine_queries(tree), f"{page.name} queries the engine: {engine_queries(tree)}"


def test_the_checks_can_fail() -> None:
    bad = ast.parse(
        "import pandas as pd\nfrom smartcities import figures\nrows = frame.engine.latest(scope)\n"
    )
    assert {"pandas", "smartcities.figures"} <= imported(bad)
    assert engine_queries(bad) == ["line 3: engine.latest"]
