"""The data dictionary is generated from the schema and must match it (and docs/) exactly."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import dictionary
from smartcities.schema import METRICS, PLAUSIBLE_MAX_COST_INR_CRORE, TABLES, UNITS

pytestmark = pytest.mark.unit

REGENERATE = "python -m smartcities.dictionary --write"


def test_docs_file_is_the_generated_dictionary() -> None:
    on_disk = dictionary.DOC_PATH.read_text(encoding="utf-8")
    assert on_disk == dictionary.markdown(), (
        f"docs/data-dictionary.md is out of date with smartcities/schema.py; run `{REGENERATE}`"
    )


@pytest.mark.parametrize("table", list(TABLES.values()), ids=list(TABLES))
def test_every_field_has_a_row_in_its_section(table) -> None:
    section = dictionary.table_markdown(table)
    assert section.startswith(f"## {table.name}\n")
    for f in table.fields:
        assert f"| `{f.name}` |" in section, f.name
        assert dictionary._cell(f.description) in section
    whole = dictionary.markdown()
    assert section in whole


def test_every_metric_and_unit_is_listed() -> None:
    text = dictionary.markdown()
    for m in METRICS.values():
        assert f"| `{m.name}` | {m.label} | `{m.unit}` | {m.kind} |" in text
    assert set(dictionary.metrics_frame()["metric"]) == set(METRICS)
    for code in UNITS:
        assert f"| `{code}` |" in text
    kinds = {m.kind for m in METRICS.values()}
    assert kinds <= set(dictionary.METRIC_KINDS), "explain every metric kind"


def test_table_frame_has_one_row_per_field() -> None:
    for name, table in TABLES.items():
        frame = dictionary.table_frame(name)
        assert frame["column"].tolist() == table.columns
        assert set(frame["required column"]) <= {"yes", "no"}
    iccc = dictionary.table_frame("iccc").set_index("column")
    assert iccc.loc["stage", "allowed values"] == "tendered, work_order_issued, operational"
    assert iccc.loc["cost_inr_crore", "unit"].startswith("₹ crore")


def test_markdown_cells_escape_pipes() -> None:
    assert dictionary._cell("a | b\nc") == "a \\| b c"


def test_describe_columns_covers_joined_and_unknown_columns() -> None:
    helps = dictionary.describe_columns("iccc", ["stage", "city_name", "mystery"])
    assert helps["stage"] == TABLES["iccc"].field("stage").description
    assert "From the cities table" in helps["city_name"]
    assert "not in the data contract" in helps["mystery"]
    assert "₹ crore" in dictionary.describe_columns("iccc", ["cost_inr_crore"])["cost_inr_crore"]


def test_column_kind() -> None:
    frame = pd.DataFrame(
        {"d": pd.to_datetime(["2020-01-01"]), "n": [1.5], "i": [2], "t": ["x"], "b": [True]}
    )
    kinds = {c: dictionary.column_kind(frame[c]) for c in frame}
    assert kinds == {"d": "date", "n": "number", "i": "number", "t": "text", "b": "text"}


def _frame(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64") for c in columns})


def test_datapackage_fields_follow_the_exported_columns() -> None:
    iccc_cols = [*TABLES["iccc"].columns, "city_name", "state_ut", "selection_round"]
    tables = {"cities": _frame(TABLES["cities"].columns), "iccc": _frame(iccc_cols)}
    package = dictionary.datapackage(
        tables, kind="public", dataset_label="Public record", sources=[]
    )
    assert package["profile"] == "tabular-data-package"
    by_name = {r["name"]: r for r in package["resources"]}
    assert [f["name"] for f in by_name["iccc"]["schema"]["fields"]] == iccc_cols
    assert by_name["iccc"]["path"] == "iccc.csv"
    assert by_name["iccc"]["schema"]["primaryKey"] == ["city_id", "stage", "stage_date"]
    assert by_name["iccc"]["schema"]["foreignKeys"][0]["reference"] == {
        "resource": "cities",
        "fields": "city_id",
    }
    fields = {f["name"]: f for f in by_name["iccc"]["schema"]["fields"]}
    assert fields["stage"]["constraints"]["enum"] == [
        "tendered",
        "work_order_issued",
        "operational",
    ]
    assert fields["stage_date"]["type"] == "date"
    assert fields["cost_inr_crore"]["type"] == "number"
    assert fields["cost_inr_crore"]["constraints"] == {
        "required": False,
        "minimum": 0.0,
        "maximum": PLAUSIBLE_MAX_COST_INR_CRORE,
    }
    assert fields["city_name"]["description"].endswith("(From the cities table.)")
    for res in package["resources"]:
        assert res["format"] == "csv" and res["encoding"] == "utf-8"
        for f in res["schema"]["fields"]:
            assert f["type"] in {"string", "number", "integer", "date", "boolean"}
            assert f["description"]
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    assert package["created"].endswith("Z")


def test_datapackage_says_what_kind_of_data_it_is() -> None:
    tables = {"events": _frame(TABLES["events"].columns)}
    synthetic = dictionary.datapackage(tables, kind="synthetic", dataset_label="Sample")
    assert "SYNTHETIC" in synthetic["title"] and "SYNTHETIC" in synthetic["description"]
    public = dictionary.datapackage(tables, kind="public", dataset_label="Public record")
    assert "SYNTHETIC" not in public["description"] and "public record" in public["description"]
    uploaded = dictionary.datapackage(tables, kind="uploaded", dataset_label="Mine")
    assert "licenses" not in uploaded and "uploaded" in uploaded["description"]


def test_unknown_columns_get_an_inferred_type() -> None:
    frame = pd.DataFrame({"project_id": ["a"], "extra_count": [3], "extra_day": [pd.NaT]})
    frame["extra_day"] = pd.to_datetime(frame["extra_day"])
    fields = dictionary.package_fields("projects", frame)
    assert [f["type"] for f in fields] == ["string", "integer", "date"]


def test_source_list_keeps_web_links_and_labels_the_rest() -> None:
    sources = dictionary.source_list(
        ["https://pib.gov.in/x?id=1", "derived:cities", None, "https://pib.gov.in/x?id=1", ""]
    )
    assert sources == [
        {"title": "pib.gov.in/x", "path": "https://pib.gov.in/x?id=1"},
        {"title": "derived:cities"},
    ]


def test_command_line_prints_the_dictionary(capsys) -> None:
    assert dictionary.main([]) == 0
    assert capsys.readouterr().out == dictionary.markdown()
