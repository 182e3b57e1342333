"""The mission's own project export (GMIS layout) through the "Your data" page, then the pages.

The upload goes through the page's own uploader (as in ``test_load_page``); the pages opened
afterwards get the session's adopted data carried into a fresh router run (AppTest resets the
sidebar on ``switch_page``; the browser test clicks through instead).
"""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from smartcities.ui import data
from tests import fixtures_gmis as fg
from tests.app.test_load_page import ROOT, TIMEOUT, adopt, frame_with, in_use, put, report, router
from tests.app.test_load_page import texts as page_texts

pytestmark = pytest.mark.app


def carried(at: AppTest, page: str, **params: str) -> AppTest:
    """``page`` in a new run of the router, with ``at``'s adopted upload and ``params``."""
    other = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    for key in (data.UPLOAD_KEY, data.UPLOAD_ENGINE_KEY):
        other.session_state[key] = at.session_state[key]
    other.switch_page(f"pages/{page}.py")
    other.query_params["dataset"] = "uploaded"
    for key, value in params.items():
        other.query_params[key] = value
    other.run()
    assert not other.exception, other.exception
    return other


def test_export_alone_is_recognised_reported_adopted_and_shown() -> None:
    at = put(router(), (fg.NAME, fg.export_csv()))
    page = page_texts(at)
    assert "Recognised by its columns as the **projects** table." in page
    used = f"{fg.ROWS_USED} of {fg.ROWS_READ} row(s) used, {fg.ROWS_READ - fg.ROWS_USED} not used"
    assert used in page
    frame = report(at)
    rows = frame[frame["row"] != ""]
    assert dict(zip(rows["row"], rows["column"], strict=False))["10"] == "Milestone"
    assert "18/05/2031" in set(frame["value"])
    warned = " ".join(w.value for w in at.warning)
    assert f"Rows with errors are left out (2 of {fg.ROWS_READ})" in warned
    assert "'left blank' are empty; their rows are used" in warned
    adopt(at, "alone")
    assert at.session_state["flt_dataset"] == "uploaded"
    assert fg.NAME in in_use(at)

    city = carried(at, "city", city="bhubaneswar")
    assert city.title[0].value == "Bhubaneswar"
    assert "Projects (4)" in [s.value for s in city.subheader]
    listed = frame_with(city, "project_name", "stage", "physical_progress_pct", "cost_basis")
    assert "Integrated Command and Control Centre" in listed["project_name"].tolist()
    assert listed["stage"].iloc[0] == "Completed"
    captions = " ".join(c.value for c in city.caption)
    assert "ICCC project in the list: Integrated Command and Control Centre" in captions
    by_stage = frame_with(city, "stage", "sector", "projects", "cost_inr_crore")
    assert len(by_stage) == 4

    progress = carried(at, "progress", by="component")
    specs = [json.loads(c.proto.spec) for c in progress.get("plotly_chart")]
    titles = [s["layout"]["title"]["text"] for s in specs]
    assert any("by area-based or pan-city" in t for t in titles), titles
    breakdown = frame_with(progress, "group", "Tendered", "Work order issued", "Completed")
    assert set(breakdown["group"]) == {"Area-based development", "Pan-city solution", "not given"}


def test_export_with_cities_merged_over_the_public_record() -> None:
    at = put(router(), (fg.NAME, fg.export_csv()), ("cities.csv", fg.cities_csv()))
    assert "Files not used" not in page_texts(at)
    adopt(at, "merge")
    summary = frame_with(at, "table", "added", "replaced", "unchanged").set_index("table")
    assert summary.loc["projects", "added"] == fg.ROWS_USED
    assert "over Public record" in in_use(at)
    city = carried(at, "city", city="prayagraj")
    assert "Projects (3)" in [s.value for s in city.subheader]
    listed = frame_with(city, "project_name", "stage", "cost_inr_crore")
    assert set(listed["project_name"]) == {"Water supply", "Riverfront", "Smart classrooms"}


@pytest.mark.parametrize("page", ["overview", "map", "iccc", "data"])
def test_other_pages_draw_the_adopted_export(page: str) -> None:
    at = adopt(put(router(), (fg.NAME, fg.export_csv())), "alone")
    params = {"table": "projects"} if page == "data" else {}
    shown = carried(at, page, **params)
    assert shown.title, f"{page} drew no title"
    if page == "data":
        projects = frame_with(shown, "project_id", "stage", "cost_basis", "updated_on")
        assert len(projects) == fg.ROWS_USED
