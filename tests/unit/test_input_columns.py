"""Required input columns come from the schema (Table.input_required), not a second list."""

from __future__ import annotations

import pytest

from smartcities.normalise.detect import detect_table, input_missing
from smartcities.schema import TABLES

pytestmark = pytest.mark.unit

# What a file of each table must carry, as the loader has always asked for it (the messages
# name the columns in this order).
EXPECTED = {
    "cities": ["city_name or city_id"],
    "progress": ["as_of_date", "metric", "value"],
    "iccc": ["city_id or city_name", "stage", "stage_date"],
    "projects": [
        "project_id",
        "city_id or city_name",
        "project_name",
        "cost_inr_crore or work_order_cost_inr_crore or estimated_cost_inr_crore",
        "stage",
    ],
    "events": ["event_date", "event", "category"],
}


@pytest.mark.parametrize("table", list(TABLES))
def test_an_empty_header_lacks_exactly_the_schemas_input_columns(table):
    assert input_missing(table, set()) == EXPECTED[table]
    assert [" or ".join(o) for o in TABLES[table].input_required] == EXPECTED[table]


def test_a_wide_progress_file_gives_metric_and_value_by_its_layout():
    assert input_missing("progress", set(), wide=True) == ["as_of_date"]
    assert input_missing("progress", {"as_of_date"}, wide=True) == []


def test_any_alternative_satisfies_a_column():
    assert input_missing("iccc", {"city_name", "stage", "stage_date"}) == []
    projects = {"project_id", "city_id", "project_name", "estimated_cost_inr_crore", "stage"}
    assert input_missing("projects", projects) == []
    assert input_missing("cities", {"city_id"}) == []


@pytest.mark.parametrize("table", list(TABLES))
def test_every_required_column_is_asked_for_or_filled_by_the_loader(table):
    t = TABLES[table]
    asked = {name for options in t.input_required for name in options}
    for f in t.fields:
        if f.required:
            assert f.name in asked or f.filled_on_input, f.name
        for other in f.input_alternatives:
            # city_name is not a column of ICCC or projects, but their files may name the city.
            assert other in t.columns or other == "city_name", (f.name, other)


def test_a_column_no_longer_filled_becomes_required(monkeypatch):
    """The schema decides: drop the loader's fill for `unit` and progress files need it."""
    from dataclasses import replace

    t = TABLES["progress"]
    fields = tuple(replace(f, filled_on_input="") if f.name == "unit" else f for f in t.fields)
    monkeypatch.setitem(TABLES, "progress", replace(t, fields=fields))
    assert input_missing("progress", set()) == ["as_of_date", "metric", "value", "unit"]


def test_detection_still_prefers_a_complete_table():
    assert detect_table(["City", "Stage", "Date"]) == "iccc"
    assert detect_table(["As on", "Metric", "Value"]) == "progress"
    assert detect_table(["As on", "Funds released (Rs cr)"]) == "progress"
