"""A broken import of the project's own code must fail the suite, not skip tests: no test
skips itself on ``importorskip`` of a ``smartcities``, ``benchmarks`` or ``scripts`` module."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

TESTS = Path(__file__).resolve().parents[1]
OWN = ("smartcities", "benchmarks", "scripts", "tests", "dashboard", "pages")


def self_skips(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "importorskip"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and str(node.args[0].value).split(".")[0] in OWN
        ):
            found.append(f"line {node.lineno}: importorskip({node.args[0].value!r})")
    return found


def test_no_test_skips_on_the_projects_own_modules() -> None:
    found = {
        str(path.relative_to(TESTS)): hits
        for path in TESTS.rglob("*.py")
        if (hits := self_skips(ast.parse(path.read_text(encoding="utf-8"))))
    }
    assert not found, found


def test_the_check_can_fail() -> None:
    tree = ast.parse("x = pytest.importorskip('smartcities.maps')\ny = pytest.importorskip('zz')")
    assert self_skips(tree) == ["line 1: importorskip('smartcities.maps')"]
