"""The ICCC, Mission progress, City profile and About pages, through the router and on their own:
they render without exceptions, show the key figures, follow the filters, restore their view
from the URL, warn on bad links, and work on the synthetic sample (watermarked)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from smartcities.schema import METRICS
from tests.app.conftest import citation

PROGRESS_TABS = {
    "stages": "Project stages",
    "trend": "Stages over time",
    "funds": "Central funds",
    "totals": "Proposed vs taken up",
    "compare": "Compare areas",
}

pytestmark = pytest.mark.app

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60
PAGES = ("iccc", "progress", "city", "about", "coverage")


def routed(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT)
    at.switch_page(f"pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def standalone(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "pages" / f"{page}.py"), default_timeout=TIMEOUT)
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def figure(at: AppTest, title_part: str) -> dict:
    found = [f for f in figures(at) if title_part in f["layout"]["title"]["text"]]
    assert found, f"no chart titled like {title_part!r}"
    return found[0]


def table_with(at: AppTest, *columns: str):
    found = [d.value for d in at.dataframe if set(columns) <= set(d.value.columns)]
    assert found, f"no table with columns {columns}"
    return found[0]


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("caption", "markdown", "info", "warning") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def count_calls(monkeypatch, module, names, called: list[str]) -> None:
    """Record each call of ``module.<name>`` in ``called`` (the function still runs)."""
    for name in names:
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            called.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


# ---------------------------------------------------------------- every page


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_on_its_own(name: str) -> None:
    at = standalone(name, city="pune") if name == "city" else standalone(name)
    assert not at.exception
    assert at.title


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_synthetic_data_watermarked(name: str) -> None:
    params = {"dataset": "synthetic"} | ({"city": "pune"} if name == "city" else {})
    at = routed(name, **params)
    assert not at.exception
    assert any("SYNTHETIC" in w.value for w in at.warning)
    drawn = [f for f in figures(at) if f["data"]]  # an empty chart says why, and has no data
    assert drawn or name in ("city", "about", "coverage")
    for fig in drawn:
        assert fig["layout"]["title"]["text"].startswith("[SYNTHETIC]")


# ---------------------------------------------------------------- ICCC rollout


def test_iccc_lists_every_city_with_date_basis() -> None:
    at = routed("iccc")
    assert not at.exception and not at.warning
    assert [t.label for t in at.tabs] == ["National count", "Stages as reported", "City by city"]
    national = figure(at, "ICCCs operational, all India")
    assert any(s.get("y0") == 100 for s in national["layout"]["shapes"]), "target line at 100"
    names = [t.get("name", "") for t in national["data"]]
    assert "ICCCs operational: another source" in names, "the 2019 disagreement is shown"
    assert at.metric[0].value == "100"
    assert len(figures(at)) == 1, "only the open tab runs"
    at = routed("iccc", section="stages")
    assert not at.exception
    stages = figure(at, "ICCCs by stage")
    assert sum("tele.net.in" in x for x in stages["data"][0]["x"]) == 1
    assert any("Sources disagree" in w.value for w in at.warning)
    at = routed("iccc", section="cities")
    table = table_with(at, "city_name", "date_basis")
    assert len(table) == 100
    assert (table["date_basis"] == "on or before").sum() == 91
    assert any("For 91 of these 100 cities" in i.value for i in at.info)
    assert figure(at, "Cities with an operational ICCC")


@pytest.mark.parametrize(
    ("section", "runs"),
    [
        ("national", {"national", "series_chart"}),
        ("stages", {"stages", "stage_reports", "source_conflicts"}),
        ("cities", {"cities", "iccc_cumulative", "iccc_timeline_chart"}),
    ],
)
def test_iccc_builds_only_the_open_tabs_part(monkeypatch, section: str, runs: set[str]) -> None:
    """The page lays out smartcities.iccc's sections: the cards' model (iccc.build) and the
    heading are built once on every tab; the open tab's function (iccc.national, stages or
    cities) runs, and only its work (queries aside, the charts and tables it computes)."""
    from smartcities import figures as figures_mod
    from smartcities import iccc, provenance

    called: list[str] = []
    tabs_work = {
        figures_mod: ("series_chart", "stage_reports_chart", "iccc_timeline_chart"),
        iccc: (
            "build",
            "heading",
            "national",
            "stages",
            "cities",
            "stage_reports",
            "iccc_cumulative",
        ),
        provenance: ("source_conflicts",),
    }
    for module, names in tabs_work.items():
        count_calls(monkeypatch, module, names, called)
    at = routed("iccc", section=section)
    assert not at.exception
    assert called.count("build") == 1 and called.count("heading") == 1, called
    every_tab = {"national", "stages", "cities", "series_chart", "stage_reports"}
    every_tab |= {"source_conflicts", "iccc_cumulative", "iccc_timeline_chart"}
    assert set(called) & every_tab == runs, called
    assert figures(at), "the open tab drew its chart"


def test_iccc_state_filter_narrows_cities_not_the_national_count() -> None:
    at = routed("iccc", state="bihar")
    assert not at.exception
    assert at.title[0].value == "ICCC rollout: Bihar"
    assert figure(at, "all India")["data"][0]["customdata"][-1][0] == "100"
    assert "always national" in texts(at)
    at = routed("iccc", state="bihar", section="cities")
    assert len(table_with(at, "city_name", "date_basis")) == 4


# ---------------------------------------------------------------- Mission progress


def tab_labels(at: AppTest) -> list[str]:
    return [t.label for t in at.tabs]


def test_progress_funnel_uses_latest_national_figures() -> None:
    at = routed("progress")
    assert not at.exception
    assert tab_labels(at) == list(PROGRESS_TABS.values())
    funnel = figure(at, "Projects by stage")
    assert 7767 in funnel["data"][0]["x"]
    assert "Projects completed: 7,767 (as on 15 Jan 2026" in texts(at)
    assert at.segmented_control(key="progress_unit").value == "count"
    assert not {"unit", "compare", "section"} & set(at.query_params)
    # Only the open tab runs: its one chart, none of the other tabs'.
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert titles == ["Projects by stage, India (number)"], titles


@pytest.mark.parametrize(
    ("section", "runs"),
    [
        ("stages", {"stages", "has_breakdown"}),
        ("trend", {"trend"}),
        ("funds", {"funds"}),
        ("totals", {"totals"}),
        ("compare", {"comparison", "compare"}),
    ],
)
def test_progress_builds_only_the_open_tabs_model(monkeypatch, section: str, runs: set[str]):
    """The page lays out smartcities.progress_view's sections and builds only the open tab's;
    the shared context is built once per run."""
    from smartcities import progress_view

    called: list[str] = []
    every_tab = {"stages", "has_breakdown", "trend", "funds", "totals", "comparison", "compare"}
    count_calls(monkeypatch, progress_view, every_tab | {"context"}, called)
    at = routed("progress", section=section)
    assert not at.exception
    assert called.count("context") == 1, called
    assert set(called) & every_tab == runs, called
    assert figures(at), "the open tab drew its charts"


def test_progress_other_tabs_from_the_url() -> None:
    at = routed("progress", section="trend", unit="inr")
    assert not at.exception and not at.warning
    assert at.segmented_control(key="progress_unit").value == "inr"
    stages = figure(at, "Project stages over time")
    assert "Value of projects completed" in {t["name"] for t in stages["data"]}
    assert figure(at, "Conversion rates over time")
    assert len(figures(at)) == 2
    at = routed("progress", section="totals")
    assert not at.exception and not at.warning
    totals = figure(at, "proposed vs taken up")
    lines = {t["name"]: t for t in totals["data"]}
    assert {"Projects proposed at selection", "Projects taken up"} <= set(lines)
    assert max(lines["Projects proposed at selection"]["x"]) < min(lines["Projects taken up"]["x"])
    assert len(figures(at)) == 1
    at = routed("progress", section="funds")
    assert not at.exception
    assert figure(at, "Central funds released and utilised")
    assert figure(at, "Utilisation of central funds")
    assert not at.segmented_control, "the unit applies to projects, not to funds"
    at = routed("progress", section="compare")
    assert figure(at, "states and UTs")


def test_progress_switching_tabs_writes_the_url() -> None:
    at = routed("progress")
    at.session_state["progress_section_tab"] = PROGRESS_TABS["funds"]
    at.run()
    assert not at.exception
    assert at.query_params["section"] == "funds"
    assert figure(at, "Central funds released and utilised")
    assert not any("Projects by stage" in f["layout"]["title"]["text"] for f in figures(at))
    at.session_state["progress_section_tab"] = PROGRESS_TABS["stages"]
    at.run()
    assert "section" not in at.query_params, "the default tab keeps a clean URL"
    assert figure(at, "Projects by stage")


def test_progress_url_restores_unit_and_comparison() -> None:
    at = routed("progress", unit="inr")
    assert not at.exception and not at.warning
    assert at.segmented_control(key="progress_unit").value == "inr"
    assert 155859 in figure(at, "Projects by stage")["data"][0]["x"]
    assert "₹1,55,859 crore" in texts(at)
    at = routed("progress", section="compare", compare="funds_utilised_inr_crore")
    assert not at.exception and not at.warning
    assert at.selectbox(key="progress_compare").value == "funds_utilised_inr_crore"
    assert figure(at, "Central funds utilised: states and UTs")


def test_progress_bad_options_warn_and_fall_back() -> None:
    at = routed("progress", unit="lakhs", section="zzz")
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "Unknown unit 'lakhs'" in warnings and "Unknown section 'zzz'" in warnings
    assert at.segmented_control(key="progress_unit").value == "count"
    assert figure(at, "Projects by stage"), "the default tab"
    assert not {"unit", "section"} & set(at.query_params)
    at = routed("progress", section="compare", compare="zzz")
    assert "Unknown compare 'zzz'" in " ".join(w.value for w in at.warning)
    assert "compare" not in at.query_params


def test_progress_options_are_written_to_the_url() -> None:
    at = routed("progress")
    at.segmented_control(key="progress_unit").set_value("inr").run()
    assert not at.exception
    assert at.query_params["unit"] == "inr"
    at.segmented_control(key="progress_unit").set_value("count").run()
    assert "unit" not in at.query_params


def test_progress_comparison_follows_the_filters() -> None:
    at = routed("progress", state="goa")
    assert not at.exception
    assert at.title[0].value == "Mission progress: Goa"
    assert any("No project-stage figures" in i.value for i in at.info), "one message, no charts"
    at = routed("progress", state="goa", section="compare")
    assert any("No figures to compare across cities of Goa" in i.value for i in at.info)
    at = routed("progress", round="round-1", compare="projects_completed_count", section="compare")
    assert not at.exception
    assert "cities of Round 1" in at.selectbox(key="progress_compare").label
    bars = figure(at, "Projects completed: cities of Round 1")
    assert {"Bhubaneswar", "Guwahati", "Kakinada"} <= set(bars["data"][0]["y"])
    reporting = len(bars["data"][0]["y"])
    note = next(c.value for c in at.caption if "report this measure" in c.value).replace("\\", "")
    assert note.startswith(f"{reporting} of 20 cities of Round 1 report this measure.")
    assert f"Not reported ({20 - reporting})" in note
    assert any("as on" in h[1] or "on or before" in h[1] for h in bars["data"][0]["customdata"])


# ---------------------------------------------------------------- City profile


def test_city_profile_of_pune() -> None:
    at = routed("city", city="pune")
    assert not at.exception
    assert at.title[0].value == "Pune"
    assert "Round 1" in texts(at) and "Maharashtra" in texts(at)
    assert any(m.label == "All projects completed" and m.value == "yes" for m in at.metric)
    assert "Operational** as on 18 Jun 2018" in texts(at)
    cards = {m.label: m.value for m in at.metric}
    assert cards["Projects completed (of taken up)"] == "55 of 55"
    assert cards["Projects taken up"] == "55"
    assert "On or before 8 Jan 2026" in [c.value for c in at.caption]
    peers = [b for b in at.button if b.key.startswith("city_peer_")]
    assert len(peers) == 19, "the other Round 1 cities"
    links = {link.proto.label: link.proto.query_string for link in at.get("page_link")}
    assert links["ICCC rollout in Maharashtra"] == "state=maharashtra"


def test_city_profile_of_srinagar_many_figures() -> None:
    at = routed("city", city="srinagar")
    assert not at.exception
    cards = {m.label: m for m in at.metric}
    assert cards["Projects taken up"].value == "161"
    assert cards["Projects completed (of taken up)"].value == "156 of 161"
    assert (
        "97% of the projects taken up are completed"
        in cards["Projects completed (of taken up)"].help
    )
    assert "As on 15 Jan 2026" in [c.value for c in at.caption]
    # Utilisation out of releases that include the state share is its own card, labelled.
    assert "Includes the state share" in cards["Funds utilised incl. state share"].help
    # A timeline: four or more reported dates of completed projects.
    line = figure(at, "Srinagar: projects over time")
    done = next(t for t in line["data"] if t["name"] == "Projects completed")
    assert done["y"][-1] == 156 and len(done["x"]) >= 4
    peers = table_with(at, "measure", "round_peers", "state_peers")
    assert "Share of projects completed" in set(peers["measure"])
    shown = table_with(at, "metric", "value", "date", "checks")
    assert "reported 11 Dec 2025 (as-on date not stated)" in set(shown["date"])


def test_city_profile_without_figures() -> None:
    at = routed("city", city="aligarh")
    assert not at.exception
    assert any("No progress figures have been reported for Aligarh" in i.value for i in at.info)
    assert not [m for m in at.metric]
    links = {link.proto.label for link in at.get("page_link")}
    assert "Which cities have figures: Data coverage" in links


def test_peer_button_moves_to_a_city_in_another_state() -> None:
    at = routed("city", city="pune", state="maharashtra")
    at.button(key="city_peer_kochi").click().run()
    assert not at.exception
    assert at.title[0].value == "Kochi"
    assert at.query_params["city"] == "kochi" and "state" not in at.query_params
    at.button(key="city_clear").click().run()
    assert at.title[0].value == "City profile"
    assert "city" not in at.query_params


def test_city_renamed_and_without_city_figures() -> None:
    at = routed("city", city="prayagraj")
    assert not at.exception
    assert "selected as Allahabad" in texts(at)
    assert any(
        i.value == "No progress figures have been reported for Prayagraj in this data set."
        for i in at.info
    )


def test_unknown_city_warns_and_shows_the_picker() -> None:
    at = routed("city", city="zzz")
    assert not at.exception
    assert any("zzz" in w.value for w in at.warning)
    assert at.selectbox(key="city_pick").value is None


def test_picker_sets_the_city_filter() -> None:
    at = routed("city")
    assert len(table_with(at, "city_name", "selection_round")) == 100
    at.selectbox(key="city_pick").select("kochi").run()
    assert not at.exception
    assert at.title[0].value == "Kochi"
    assert at.query_params["city"] == "kochi"


def test_state_filter_narrows_the_picker() -> None:
    at = routed("city", state="bihar")
    assert not at.exception
    assert len(table_with(at, "city_name", "selection_round")) == 4


# ---------------------------------------------------------------- About


def test_about_generates_definitions_and_lists_sources() -> None:
    at = routed("about")
    assert not at.exception
    assert [t.label for t in at.tabs] == [
        "Sources",
        "Methodology",
        "Measures",
        "Caveats",
        "Licence and citation",
    ]
    domains = table_with(at, "domain", "pages", "rows")
    assert len(domains) > 10
    assert not at.table, "only the open tab runs"
    at = routed("about", section="measures")
    definitions = at.table[0].value
    assert list(definitions["Metric"]) == list(METRICS)
    assert list(definitions["What it counts"]) == [m.description for m in METRICS.values()]
    at = routed("about", section="cite")
    assert "figures as on 2026-01-15" in citation(at), "the citation carries the data vintage"
    at = routed("about", section="caveats")
    assert "Two meanings" in texts(at)
    assert "build_data.py" in texts(routed("about", section="method"))


@pytest.mark.parametrize(
    ("section", "runs"),
    [
        ("sources", {"sources"}),
        ("method", {"method"}),
        ("measures", {"measures"}),
        ("caveats", {"caveats"}),
        ("cite", {"citation"}),
    ],
)
def test_about_builds_only_the_open_tabs_model(monkeypatch, section: str, runs: set[str]):
    from smartcities import about_view

    called: list[str] = []
    every_tab = {"sources", "method", "measures", "caveats", "citation"}
    count_calls(monkeypatch, about_view, every_tab, called)
    at = routed("about", section=section)
    assert not at.exception
    assert set(called) == runs, called
