"""Data checks: the bundled public record re-validated, and reproducible from the reference."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from smartcities.config import BUNDLED_DATA, ROOT
from smartcities.load import load_folder, load_public
from smartcities.query import Engine, Scope
from smartcities.schema import ROUNDS

pytestmark = pytest.mark.data

REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.fixture(scope="module")
def public():
    return load_public()


def test_bundled_folder_loads_without_errors_or_warnings():
    result = load_folder(BUNDLED_DATA)
    assert result.report.errors == []
    assert result.report.warnings == []
    assert result.dataset is not None and result.dataset.kind == "public"


def test_exactly_100_cities_in_five_rounds(public):
    cities = public.cities
    assert len(cities) == 100 and cities["city_id"].is_unique
    counts = cities["selection_round"].value_counts().to_dict()
    assert counts == {"Round 1": 20, "Fast Track": 13, "Round 2": 27, "Round 3": 30, "Round 4": 10}
    assert set(cities["selection_round"]) <= set(ROUNDS)
    assert cities["latitude"].between(6, 37.5).all() and cities["longitude"].between(68, 97.5).all()


def test_latest_national_figures_equal_the_reference(public):
    latest = Engine(public).latest(Scope(), levels=("national",)).set_index("metric")
    assert latest.loc["projects_completed_count", "value"] == 7767
    assert latest.loc["projects_completed_inr_crore", "value"] == 155859
    assert latest.loc["projects_ongoing_count", "value"] == 297
    assert pd.Timestamp(latest.loc["projects_completed_count", "as_of_date"]) == pd.Timestamp(
        "2026-01-15"
    )
    assert latest.loc["projects_completed_count", "date_basis"] == "as_on"
    assert latest.loc["iccc_operational_count", "value"] == 100
    assert latest.loc["projects_taken_up_count", "value"] == 8064
    assert latest.loc["central_funds_released_inr_crore", "value"] == 47458


def test_every_fact_has_a_source(public):
    for name in ("cities", "progress", "iccc", "events"):
        urls = public.table(name)["source_url"]
        assert urls.notna().all() and urls.str.match(r"^(https?://|derived:)").all(), name


def test_two_meanings_of_projects_total_are_separate_series(public):
    p = public.progress
    proposed = p[p["metric"].isin(["proposed_projects_count", "proposed_investment_inr_crore"])]
    taken = p[p["metric"].isin(["projects_taken_up_count", "projects_taken_up_inr_crore"])]
    assert proposed["as_of_date"].max() < pd.Timestamp("2020-01-01")
    assert taken["as_of_date"].min() >= pd.Timestamp("2020-01-01")
    assert taken["note"].notna().any()


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference not beside the project")
def test_build_script_reproduces_bundled_data(tmp_path: Path):
    subprocess.run(
        [
            sys.executable,
            "scripts/build_data.py",
            "--reference",
            str(REFERENCE),
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for name in ("cities", "progress", "iccc", "events"):
        built = (tmp_path / f"{name}.csv").read_bytes()
        assert built == (BUNDLED_DATA / f"{name}.csv").read_bytes(), f"data/{name}.csv is stale"


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference not beside the project")
def test_every_progress_figure_keeps_its_reference_date_basis(public):
    """The date basis travels: each reference row's basis is the bundled row's basis."""
    nat = pd.read_csv(REFERENCE / "national_progress.csv", dtype="string")
    sub = pd.read_csv(REFERENCE / "city_progress.csv", dtype="string")
    sub = sub[~((sub["level"] == "city") & (sub["metric"] == "iccc_operational"))]
    expected = pd.concat([nat["date_basis"], sub["date_basis"]]).value_counts().to_dict()
    got = public.progress["date_basis"].value_counts().to_dict()
    assert got == expected
    assert set(got) == {"as_on", "reply", "on_or_before"}


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference not beside the project")
def test_state_share_figures_are_their_own_series(public):
    """Releases that include the state share keep their own metrics, never the central ones."""
    ref = pd.concat(
        [
            pd.read_csv(REFERENCE / "national_progress.csv", dtype="string"),
            pd.read_csv(REFERENCE / "city_progress.csv", dtype="string"),
        ]
    )
    n_ref = int(ref["metric"].str.contains("incl_state_share").sum())
    p = public.progress
    incl = p[p["metric"].str.contains("incl_state_share")]
    assert n_ref > 0 and len(incl) == n_ref
    assert (incl["unit"] == "inr_crore").all()
