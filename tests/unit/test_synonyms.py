"""The reviewed synonym files (data/synonyms/*.csv): they parse, list no spelling twice and
point only at real columns, metrics and allowed values; the loader reads them."""

from __future__ import annotations

import csv
import shutil

import pytest

from smartcities.names import match_key
from smartcities.normalise import synonyms
from smartcities.normalise.headers import accepted, canonical_column, canonical_metric
from smartcities.normalise.parse import category_value
from smartcities.normalise.synonyms import SYNONYMS, header_key, read_rows
from smartcities.schema import METRICS, TABLES

pytestmark = pytest.mark.unit

HEADERS = {
    "columns.csv": ["table", "spelling", "column"],
    "metrics.csv": ["spelling", "metric"],
    "values.csv": ["column", "spelling", "value"],
}


def test_every_file_is_described_and_parses():
    files = sorted(p.name for p in SYNONYMS.glob("*.csv"))
    assert files == sorted(HEADERS)
    readme = (SYNONYMS / "README.md").read_text(encoding="utf-8")
    for name, header in HEADERS.items():
        assert f"`{name}`" in readme
        with (SYNONYMS / name).open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == header, name
        assert len(rows) > 1, name
        for n, row in enumerate(rows[1:], start=2):
            assert len(row) == len(header), f"{name} row {n}: {row}"
            # Every cell but columns.csv's table (empty = every table) is filled in.
            cells = row[1:] if name == "columns.csv" else row
            assert all(c.strip() for c in cells), f"{name} row {n}: {row}"


def _duplicates(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    return [k for k in keys if k in seen or seen.add(k)]


def test_no_spelling_is_listed_twice():
    columns = [(r["table"], header_key(r["spelling"])) for r in read_rows("columns.csv")]
    metrics = [("", header_key(r["spelling"])) for r in read_rows("metrics.csv")]
    values = [(r["column"], match_key(r["spelling"])) for r in read_rows("values.csv")]
    assert _duplicates(columns) == []
    assert _duplicates(metrics) == []
    assert _duplicates(values) == []


def test_every_target_is_a_real_column_metric_or_value():
    for r in read_rows("columns.csv"):
        if r["table"]:
            assert r["table"] in TABLES, r
            assert r["column"] in accepted(r["table"]), r
        else:
            assert any(r["column"] in t.columns for t in TABLES.values()), r
    for r in read_rows("metrics.csv"):
        assert r["metric"] in METRICS, r
    for r in read_rows("values.csv"):
        fields = [f for t in TABLES.values() for f in t.fields if f.name == r["column"]]
        assert fields, r
        assert all(f.dtype == "category" for f in fields), r
        assert any(r["value"] in (f.allowed or ()) for f in fields), r


@pytest.mark.parametrize(
    ("header", "table", "column"),
    [
        ("Name of the Smart City", None, "city_name"),
        ("Remarks", "iccc", "note"),
        ("Date of Work Order", "projects", "work_order_date"),
        ("Date", "events", "event_date"),
    ],
)
def test_the_loader_maps_headers_through_columns_csv(header, table, column):
    assert canonical_column(header, table) == column


def test_the_loader_maps_metrics_and_values_through_the_files():
    assert canonical_metric("Central Assistance Released") == "central_funds_released_inr_crore"
    stage = TABLES["projects"].field("stage")
    assert category_value(stage, "WO Issued", "projects") == "work_order_issued"
    unit = TABLES["progress"].field("unit")
    assert category_value(unit, "Rs Crore", "progress") == "inr_crore"


def _forget() -> None:
    """Drop what the loader read (it reads each file once per process)."""
    for cached in (synonyms.column_synonyms, synonyms.metric_synonyms, synonyms._value_synonyms):
        cached.cache_clear()


@pytest.fixture
def edited_copy(tmp_path, monkeypatch):
    """A copy of data/synonyms the test may edit, read by the loader instead of the real one."""
    folder = tmp_path / "synonyms"
    shutil.copytree(SYNONYMS, folder)
    monkeypatch.setattr(synonyms, "SYNONYMS", folder)
    _forget()
    yield folder
    monkeypatch.undo()
    _forget()


def test_a_spelling_added_to_a_file_is_accepted_without_code(edited_copy):
    assert canonical_column("Nagar Nigam", "cities") == "nagar_nigam"
    with (edited_copy / "columns.csv").open("a", encoding="utf-8") as fh:
        fh.write("cities,Nagar Nigam,city_name\n")
    with (edited_copy / "values.csv").open("a", encoding="utf-8") as fh:
        fh.write("stage,Karya Pragati Par,work_order_issued\n")
    _forget()
    assert canonical_column("Nagar Nigam", "cities") == "city_name"
    assert canonical_column("Nagar Nigam", "iccc") == "nagar_nigam"  # that table only
    stage = TABLES["projects"].field("stage")
    assert category_value(stage, "karya pragati par", "projects") == "work_order_issued"
