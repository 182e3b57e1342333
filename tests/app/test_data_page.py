"""The Data page (/data): renders, reads ?table= and ?metric=, shows the filtered rows."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.app.conftest import citation

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 90


@pytest.fixture(autouse=True)
def _fresh_data_cache() -> None:
    st.cache_data.clear()


def routed(**params: str) -> AppTest:
    """The data page run through the router, with query parameters."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/data.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def rows_shown(at: AppTest):
    """The rows table: the first dataframe of the page (the dictionary and sources follow)."""
    return at.main.dataframe[0].value


def test_renders_through_the_router_with_downloads() -> None:
    at = routed()
    assert not at.exception
    assert at.title[0].value == "Data & downloads"
    assert at.radio(key="data_table").value == "progress"
    assert len(rows_shown(at)) > 100
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["CSV", "Excel", "Parquet", "Data package (zip)"]
    assert any(s.value == "How to cite" for s in at.subheader)
    assert "figures as on" in citation(at)
    dictionaries = [d.value for d in at.main.dataframe if "description" in d.value.columns]
    assert dictionaries[0]["column"].tolist()[0] == "as_of_date"
    assert len(dictionaries) == 1, "the metrics list waits until its expander is opened"
    assert "table" not in at.query_params, "the default is not written to the URL"
    at.session_state["data_metrics_box"] = True
    at.run()
    dictionaries = [d.value for d in at.main.dataframe if "description" in d.value.columns]
    assert "projects_completed_count" in dictionaries[1]["metric"].tolist()


def test_renders_standalone() -> None:
    at = AppTest.from_file(str(ROOT / "pages" / "data.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(rows_shown(at)) > 0


def test_table_from_the_url() -> None:
    at = routed(table="iccc")
    assert not at.exception and not at.warning
    assert at.radio(key="data_table").value == "iccc"
    rows = rows_shown(at)
    assert len(rows) == 100
    assert {"city_id", "stage", "stage_date", "source_url", "city_name"} <= set(rows.columns)
    assert at.query_params["table"] == "iccc"


def test_unknown_table_warns_and_shows_the_default() -> None:
    at = routed(table="zzz")
    assert not at.exception
    assert any("Unknown table 'zzz'" in w.value for w in at.warning)
    assert at.radio(key="data_table").value == "progress"
    assert "table" not in at.query_params


def test_markdown_in_a_bad_value_is_not_echoed() -> None:
    at = routed(table="[click](https://evil.example)")
    text = " ".join(w.value for w in at.warning)
    assert "Unknown table" in text
    assert "](" not in text and "https://" not in text


def test_state_filter_reduces_the_rows_and_keeps_the_downloads() -> None:
    everything = len(rows_shown(routed()))
    at = routed(state="bihar")
    assert not at.exception
    rows = rows_shown(at)
    assert 0 < len(rows) < everything
    local = rows[rows["level"].isin(["state", "city"])]
    assert set(local["state_ut"]) == {"Bihar"}
    assert {"source_url", "note"} <= set(rows.columns), "provenance travels with the rows"
    assert len(at.get("download_button")) == 4
    assert "Bihar" in at.caption[0].value


def test_metric_filter_from_the_url_is_validated() -> None:
    at = routed(metric="projects_completed_count,bogus_metric")
    assert not at.exception
    assert any("Unknown metric 'bogus_metric'" in w.value for w in at.warning)
    assert at.multiselect(key="data_metric").value == ["projects_completed_count"]
    assert set(rows_shown(at)["metric"]) == {"projects_completed_count"}
    assert at.query_params["metric"] == "projects_completed_count"


def test_choosing_a_table_writes_the_url() -> None:
    at = routed()
    at.radio(key="data_table").set_value("events").run()
    assert not at.exception
    assert at.query_params["table"] == "events"
    assert len(rows_shown(at)) > 0
    at.radio(key="data_table").set_value("progress").run()
    assert "table" not in at.query_params


def test_synthetic_data_is_labelled_and_offers_projects() -> None:
    at = routed(dataset="synthetic", table="projects")
    assert not at.exception
    assert at.radio(key="data_table").value == "projects"
    assert "Projects" in at.radio(key="data_table").options
    assert any("SYNTHETIC" in s.value for s in at.subheader)
    assert "SYNTHETIC" in at.caption[0].value
    assert citation(at).startswith("SYNTHETIC DATA")


def test_huge_views_show_a_capped_table_but_download_everything(monkeypatch) -> None:
    from smartcities import query

    monkeypatch.setattr(query, "DISPLAY_ROWS", 25)
    at = routed(table="progress")
    assert not at.exception
    assert len(rows_shown(at)) == 25
    total = f"{len(_full_view('progress')):,}"
    assert any(f"Showing the first 25 of {total} rows" in i.value for i in at.info)
    assert f"{total} rows" in at.caption[0].value


def _full_view(table: str):
    """The whole view (no filters) that the page's downloads hold, read directly."""
    from smartcities import query
    from smartcities.load import load_public
    from smartcities.query import Engine, Scope

    engine = Engine(load_public())
    try:
        return query.View(engine, table, Scope()).rows()
    finally:
        engine.close()


@pytest.mark.parametrize("table", ["progress", "iccc"])
def test_a_small_display_cap_shows_the_first_rows_of_the_view(monkeypatch, table) -> None:
    from smartcities import query

    monkeypatch.setattr(query, "DISPLAY_ROWS", 9)
    full = _full_view(table)
    at = routed(table=table)
    assert not at.exception
    shown = rows_shown(at)
    assert len(shown) == 9
    assert shown["source_url"].tolist() == full["source_url"].head(9).tolist()
    first_col = full.columns[0]
    assert shown[first_col].astype(str).tolist() == full[first_col].head(9).astype(str).tolist()
    assert any(f"Showing the first 9 of {len(full):,} rows" in i.value for i in at.info)
    assert "Sources of these rows" in [e.proto.label for e in at.expander]
    n_sources = full["source_url"].nunique()
    assert any(f"{n_sources} distinct sources behind these rows" in c.value for c in at.caption)


def test_sources_are_listed_only_when_opened() -> None:
    def listed(at: AppTest) -> list:
        return [d.value for d in at.main.dataframe if list(d.value.columns) == ["Source"]]

    at = routed(table="iccc")
    assert not listed(at), "a closed expander's table is not built"
    at.session_state["data_sources_box"] = True
    at.run()
    assert not at.exception
    found = listed(at)
    assert found and set(found[0]["Source"]) == set(_full_view("iccc")["source_url"].dropna())


def test_no_info_when_every_row_is_shown(monkeypatch) -> None:
    from smartcities import query

    monkeypatch.setattr(query, "DISPLAY_ROWS", 100)
    at = routed(table="iccc")
    assert not at.exception
    assert len(rows_shown(at)) == 100
    assert not any("Showing the first" in i.value for i in at.info)


def test_a_rerun_never_reads_the_whole_view(monkeypatch) -> None:
    """The page counts and samples the view in SQL; only a download reads all of it."""
    from smartcities import query

    def whole(*args, **kwargs):
        raise AssertionError("the whole view was read on a rerun")

    monkeypatch.setattr(query, "view_rows", whole)
    at = routed(state="bihar")
    assert not at.exception
    assert len(rows_shown(at)) > 0
    assert len(at.get("download_button")) == 4
    at.radio(key="data_table").set_value("cities").run()
    assert not at.exception


def test_a_repeated_parameter_is_warned_not_silently_taken() -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/data.py")
    at.query_params["table"] = ["cities", "events"]
    at.query_params["state"] = ["goa", "bihar"]
    at.run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning]
    assert any("'table' 2 times" in w and "'events'" in w for w in warned), warned
    assert any("'state' 2 times" in w for w in warned), warned


def test_a_repeated_page_option_is_warned_in_the_pages_language() -> None:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/data.py")
    at.query_params["lang"] = "hi"
    at.query_params["table"] = ["cities", "events"]
    at.run()
    assert not at.exception, at.exception
    warned = [w.value for w in at.warning]
    assert any("लिंक में 'table' 2 बार" in w and "'events'" in w for w in warned), warned
    assert at.radio(key="data_table").value == "events"
