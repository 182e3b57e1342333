"""The Data coverage page: counts equal the data, filters apply, checks listed, and it works on
the public record, the synthetic sample and an upload."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from smartcities.config import BUNDLED_DATA
from smartcities.ui import data
from tests import fixtures_bad as fb
from tests.app.test_load_page import adopt, put, router

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
COMPLETION = {
    "projects_completed_count",
    "projects_completed_inr_crore",
    "all_projects_completed_flag",
}


def routed(**params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page("pages/coverage.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def grid(at: AppTest) -> pd.DataFrame:
    for d in at.dataframe:
        value = d.value
        if isinstance(value, pd.DataFrame) and {"City", "ICCC stage"} <= set(value.columns):
            return value
    raise AssertionError("no coverage grid")


def summary(at: AppTest) -> pd.DataFrame:
    for d in at.dataframe:
        if "Cities with a figure" in d.value.columns:
            return d.value.set_index("Measure")
    raise AssertionError("no summary table")


def bundled_city_rows() -> pd.DataFrame:
    p = pd.read_csv(BUNDLED_DATA / "progress.csv", parse_dates=["as_of_date"])
    return p[p["level"] == "city"]


def test_counts_equal_the_public_record() -> None:
    at = routed()
    assert not at.exception, at.exception
    assert at.title[0].value == "Data coverage: All India"
    rows = bundled_city_rows()
    done = rows[rows["metric"].isin(COMPLETION)]["area_id"].nunique()
    assert done == 40
    assert at.markdown[0].value.startswith(f"{done} of 100 cities have a completion figure")
    table = summary(at)
    for metric, label in [
        ("projects_completed_count", "Projects completed"),
        ("projects_taken_up_count", "Projects taken up"),
        ("city_rank", "City rank"),
    ]:
        n = rows[rows["metric"] == metric]["area_id"].nunique()
        assert table.loc[label, "Cities with a figure"] == f"{n} of 100", label
    assert table.loc["ICCC stage", "Cities with a figure"] == "100 of 100"
    g = grid(at)
    assert len(g) == 100
    srinagar = g.set_index("City").loc["Srinagar"]
    assert srinagar["Projects completed"] == "2026-01-15"
    pune = g.set_index("City").loc["Pune"]
    assert pune["Projects completed"] == "2026-01-08 (by)"
    assert pune["Projects taken up"] == "2026-01-08 (by)"
    # A city with no figure at all has blanks, not zeros.
    assert (g.set_index("City").loc["Port Blair", "Projects completed"]) == ""


def test_filters_apply() -> None:
    at = routed(state="bihar")
    assert not at.exception
    g = grid(at)
    assert set(g["State/UT"]) == {"Bihar"} and len(g) == 4
    rows = bundled_city_rows()
    n = rows[rows["metric"].isin(COMPLETION) & (rows["state_ut"] == "Bihar")]["area_id"].nunique()
    assert at.markdown[0].value.startswith(f"{n} of 4 cities have a completion figure")
    at = routed(round="round-4")
    assert len(grid(at)) == 10
    # An earlier "as on" date: figures after it are not counted.
    at = routed(as_of="2020-01-01")
    assert not at.exception
    assert grid(at)["Projects completed"].str.startswith("2026").sum() == 0


def test_states_tab_and_checks_tab() -> None:
    at = routed(section="states")
    assert not at.exception
    states = next(d.value for d in at.dataframe if "Smart Cities" in d.value.columns)
    assert states["Smart Cities"].sum() == 100
    at = routed(section="checks")
    assert not at.exception
    falls = next(d.value for d in at.dataframe if "Why it may have fallen" in d.value.columns)
    released = falls[falls["Measure"] == "Central funds released"]
    assert list(released["Later"]) == [
        "₹47,459 crore (as on 31 Mar 2025)",
        "₹47,458 crore (as on 1 Dec 2025)",
    ]
    tendered = falls[falls["Measure"] == "Projects tendered"]
    assert list(tendered["Earlier"]) == ["7,905 (as on 10 Apr 2022)"]
    conflicts = next(d.value for d in at.dataframe if "Other figures" in d.value.columns)
    assert set(conflicts["Measure"]) == {"ICCCs operational", "ICCCs under implementation"}
    sums = next(d.value for d in at.dataframe if "Sum of the parts" in d.value.columns)
    assert {"adds up", "partial"} <= set(sums["Status"])
    defs = next(d.value for d in at.dataframe if "Label" in d.value.columns)
    assert defs["Label"].str.contains("state share").any()


def test_on_the_synthetic_sample() -> None:
    at = routed(dataset="synthetic")
    assert not at.exception, at.exception
    g = grid(at)
    assert len(g) == 100
    assert (g["Projects completed"] != "").all(), "synthetic cities all report"


def test_on_an_upload() -> None:
    at = put(router(), ("pune_progress.csv", fb.good_pune_wide_csv()))
    adopt(at)
    cov = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key in (data.UPLOAD_KEY, data.UPLOAD_ENGINE_KEY):
        cov.session_state[key] = at.session_state[key]
    cov.query_params["dataset"] = "uploaded"
    cov.switch_page("pages/coverage.py")
    cov.run()
    assert not cov.exception, cov.exception
    g = grid(cov).set_index("City")
    assert g.loc["Pune", "Projects completed"] == "2024-03-31"
    assert summary(cov).loc["Projects completed", "Cities with a figure"].startswith("1 of ")
