"""The Data page's model: what it offers, its options in the URL, and the view it shows."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import pandas as pd
import pytest

from smartcities import data_view, query
from smartcities.load import load_public
from smartcities.query import Engine, Scope
from smartcities.schema import METRICS
from smartcities.urlstate import decode_options, encode_options

pytestmark = pytest.mark.unit


class Counts:
    """An engine that answers only what the offers need."""

    def __init__(self, projects: int, metrics: set[str]) -> None:
        self.projects, self.metrics = projects, metrics

    def row_count(self, table: str) -> int:
        return self.projects if table == "projects" else 1

    def distinct(self, table: str, column: str) -> set[str]:
        return self.metrics


@pytest.fixture(scope="module")
def engine() -> Engine:
    eng = Engine(load_public())
    yield eng
    eng.close()


def test_projects_are_offered_only_when_there_are_any() -> None:
    assert "projects" not in data_view.tables(Counts(0, set()))
    assert data_view.tables(Counts(3, set())) == query.TABLE_ORDER


def test_metrics_come_in_the_schemas_order() -> None:
    names = list(METRICS)
    present = {names[5], names[0], "not_a_metric"}
    assert data_view.metric_choices(Counts(0, present)) == [names[0], names[5]]


def test_url_options_keep_todays_links() -> None:
    metric_a, metric_b = list(METRICS)[:2]
    spec = data_view.url_options(("progress", "cities", "iccc"), [metric_a, metric_b])
    values, warnings = decode_options({}, spec)
    assert values == {"table": "progress", "metric": ()} and warnings == []
    link = {"table": "iccc", "metric": f"{metric_b},bogus"}
    values, warnings = decode_options(link, spec)
    assert values == {"table": "iccc", "metric": (metric_b,)}
    assert warnings == ["Unknown metric 'bogus' in the link; it was left out."]
    _, warnings = decode_options({"table": "zzz"}, spec)
    assert warnings == ["Unknown table 'zzz' in the link; showing 'progress'."]
    assert encode_options({"table": "progress", "metric": ()}, spec) == {}
    assert encode_options({"table": "cities", "metric": (metric_a,)}, spec) == {
        "table": "cities",
        "metric": metric_a,
    }


def build(engine: Engine, table: str, scope: Scope, metrics=(), synthetic=False):
    return data_view.build(
        engine,
        table,
        scope,
        metrics,
        place="Bihar",
        chosen_as_of=None,
        latest=date(2026, 1, 15),
        as_of=date(2026, 1, 15),
        dataset_label="Test record",
        kind="synthetic" if synthetic else "public",
        synthetic=synthetic,
        base_citation="Cite me.",
        accessed=date(2026, 2, 1),
    )


def test_the_page_counts_and_previews_the_view_it_downloads(engine, monkeypatch) -> None:
    monkeypatch.setattr(query, "DISPLAY_ROWS", 7)
    page = build(engine, "progress", Scope(state_ut="Bihar"))
    rows = page.view.rows()
    assert page.n_rows == len(rows) > 7
    assert len(page.head) == 7
    assert page.head["source_url"].tolist() == rows["source_url"].head(7).tolist()
    assert int(page.sources["n_rows"].sum()) == int(rows["source_url"].notna().sum())
    assert page.filters_text == "Bihar; all dates up to the latest report (15 Jan 2026)"
    assert page.citation.startswith("Cite me. Data set: Test record")
    assert page.meta == {
        "dataset_label": "Test record",
        "kind": "public",
        "citation": page.citation,
    }


def test_metrics_narrow_the_view_and_name_the_files(engine) -> None:
    metric = "projects_completed_count"
    page = build(engine, "progress", Scope(), (metric,), synthetic=True)
    assert set(page.view.rows()["metric"]) == {metric}
    assert page.filters_text.endswith("; metrics: " + METRICS[metric].label)
    assert page.citation.startswith("SYNTHETIC DATA")
    stem, zip_stem = page.stems({"state": "bihar"}, pd.Timestamp("2026-01-15"), True)
    named = metric.replace("_", "-")  # "_" separates the parts of a name
    assert stem == f"smartcities_SYNTHETIC_progress_bihar_{named}_2026-01-15"
    assert zip_stem == f"smartcities_SYNTHETIC_package_bihar_{named}_2026-01-15"


def test_the_package_holds_every_table_under_the_same_filters(engine) -> None:
    page = build(engine, "cities", Scope(state_ut="Bihar"))
    archive = zipfile.ZipFile(io.BytesIO(page.package(("cities", "iccc"))))
    names = set(archive.namelist())
    assert {"cities.csv", "iccc.csv", "README.md", "datapackage.json"} <= names
    cities = pd.read_csv(archive.open("cities.csv"))
    assert set(cities["state_ut"]) == {"Bihar"} and len(cities) == page.n_rows
