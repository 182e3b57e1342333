"""The ICCC page's model: what its cards and every tab draw on, from the bundled record, and
what each tab holds (smartcities.iccc.heading, national, stages, cities), for all India and
for a state."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import pytest

from smartcities import iccc
from smartcities.dataset import states
from smartcities.load import load_public
from smartcities.pageparts import Chart, Note, Section, TableView
from smartcities.query import Engine, Scope
from smartcities.safe import Safe
from smartcities.urlstate import vocabulary
from smartcities.views import Selection

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def engine() -> Engine:
    engine = Engine(load_public())
    yield engine
    engine.close()


def test_all_india_model(engine: Engine) -> None:
    model = iccc.build(engine, Scope())
    assert not model.filtered
    assert len(model.cities) == 100 and len(model.status) == 100
    assert set(model.national_rows["metric"]) <= set(iccc.ICCC_STAGE_METRICS)
    assert set(model.operational["metric"]) == {"iccc_operational_count"}
    assert model.operational["value"].max() == 100
    # The national figures of the first source and the others' for the same dates, nothing lost.
    assert len(model.primary) + len(model.others) == len(model.national_rows)
    assert (model.bounded["date_basis"] == "on_or_before").all()
    assert len(model.bounded) == 91  # the cities known only from "all 100 operational"


def test_a_filter_narrows_the_cities_not_the_national_series(engine: Engine) -> None:
    everything = iccc.build(engine, Scope())
    bihar = iccc.build(engine, Scope(state_ut="Bihar"))
    assert bihar.filtered
    assert len(bihar.cities) == 4 and set(bihar.status["state_ut"]) == {"Bihar"}
    assert bihar.national_rows.equals(everything.national_rows)
    assert bihar.national_latest.equals(everything.national_latest)


AS_OF = pd.Timestamp("2026-01-15")  # the bundled record's latest report
BIHAR = Scope(state_ut="Bihar")


@pytest.fixture(scope="module")
def events(engine: Engine) -> pd.DataFrame:
    return engine.dataset.table("events")


def kinds(section: Section) -> list[str]:
    """A section's parts in order: chart and table keys, notes by their kind."""
    return [p.key if isinstance(p, (Chart, TableView)) else p.kind for p in section.parts]


def part(section: Section, key: str) -> Chart | TableView:
    [found] = [p for p in section.parts if isinstance(p, (Chart, TableView)) and p.key == key]
    return found


def notes(section: Section, kind: str) -> list[Note]:
    return [p for p in section.parts if isinstance(p, Note) and p.kind == kind]


def title_of(chart: Chart) -> str:
    return chart.figure.layout.title.text


def trace_names(chart: Chart) -> list[str]:
    return [t.name for t in chart.figure.data]


def test_heading_names_the_selection_and_the_date(engine: Engine) -> None:
    vocab = vocabulary(engine.dataset.cities, states())
    top = iccc.heading(iccc.build(engine, Scope()), Selection(Scope(), vocab), as_of=AS_OF)
    assert top.title == "ICCC rollout: All India"
    assert isinstance(top.caption, Safe) and "Figures as on **15 Jan 2026**." in top.caption
    assert [k.label for k in top.cards][:2] == ["ICCCs operational (India)", "Known operational"]
    assert [k.value for k in top.cards] == ["100", "100 of 100", "9", "91"]
    bihar = iccc.heading(iccc.build(engine, BIHAR), Selection(BIHAR, vocab), as_of=AS_OF)
    assert bihar.title == "ICCC rollout: Bihar"
    assert [k.value for k in bihar.cards] == ["100", "4 of 4", "0", "4"]
    hindi = iccc.heading(
        iccc.build(engine, Scope()), Selection(Scope(), vocab), as_of=AS_OF, lang="hi"
    )
    assert hindi.title == "आईसीसीसी की स्थापना: संपूर्ण भारत"


def test_national_tab_all_india(engine: Engine, events: pd.DataFrame) -> None:
    section = iccc.national(iccc.build(engine, Scope()), events, as_of=AS_OF)
    assert section.heading == "National count against the target of 100"
    assert kinds(section) == ["iccc_national"], "no caption when nothing is filtered"
    chart = part(section, "iccc_national")
    assert title_of(chart) == "ICCCs operational, all India (number of cities)"
    assert any(shape.y0 == 100 for shape in chart.figure.layout.shapes), "target line at 100"
    names = trace_names(chart)
    assert "Mission events" in names
    assert "ICCCs operational: another source" in names, "the 2019 disagreement is shown"
    assert "100" in chart.summary


def test_national_tab_stays_national_under_a_filter(engine: Engine, events) -> None:
    everything = iccc.national(iccc.build(engine, Scope()), events, as_of=AS_OF)
    section = iccc.national(iccc.build(engine, BIHAR), events, as_of=AS_OF)
    assert kinds(section) == ["caption", "iccc_national"]
    assert "always national" in notes(section, "caption")[0].text
    chart = part(section, "iccc_national")
    assert title_of(chart) == "ICCCs operational, all India (number of cities)"
    assert (
        chart.figure.to_plotly_json() == part(everything, "iccc_national").figure.to_plotly_json()
    )


@pytest.mark.parametrize("scope", [Scope(), BIHAR])
def test_stages_tab_shows_reports_and_where_sources_disagree(engine: Engine, scope) -> None:
    section = iccc.stages(iccc.build(engine, scope), as_of=AS_OF)
    assert section.heading == "Stages as reported"
    assert kinds(section) == ["iccc_stages", "warning", "iccc_conflicts"]
    chart = part(section, "iccc_stages")
    assert title_of(chart) == "ICCCs by stage in each report that gives a breakdown (national)"
    assert trace_names(chart) == [
        "ICCCs operational",
        "ICCCs under implementation",
        "ICCCs at tender stage",
    ]
    [warning] = notes(section, "warning")
    assert warning.icon == ":material/compare_arrows:"
    assert warning.text.startswith("Sources disagree on 1 date(s); both figures are shown")
    conflicts = part(section, "iccc_conflicts")
    assert conflicts.units == {"value": "count"}
    assert conflicts.frame["as_of_date"].nunique() == 1
    assert conflicts.frame["source_url"].nunique() >= 2, "one row per source"
    labels = {"ICCCs operational", "ICCCs under implementation", "ICCCs at tender stage"}
    assert set(conflicts.frame["metric"]) <= labels, "metrics by their label, not their code"


def test_stages_tab_without_a_breakdown_says_so(engine: Engine) -> None:
    model = iccc.build(engine, Scope())
    operational = model.national_rows[model.national_rows["metric"] == "iccc_operational_count"]
    section = iccc.stages(replace(model, national_rows=operational), as_of=AS_OF)
    assert kinds(section)[0] == "info"
    assert notes(section, "info")[0].text.startswith("No national report in this data set")
    assert not [p for p in section.parts if isinstance(p, Chart)]
    agreeing = operational.drop_duplicates("as_of_date")
    quiet = iccc.stages(replace(model, national_rows=agreeing), as_of=AS_OF)
    assert kinds(quiet) == ["info"], "no warning and no table when sources agree"


def test_cities_tab_all_india(engine: Engine) -> None:
    table, timeline = iccc.cities(iccc.build(engine, Scope()), as_of=AS_OF)
    assert table.heading == "City by city"
    assert kinds(table) == ["info", "iccc_cities"], "every city has a stage: no such note"
    [bounded] = notes(table, "info")
    assert bounded.icon == ":material/event_upcoming:"
    assert bounded.text.startswith("For 91 of these 100 cities the public record only says")
    assert "by 15 Nov 2024 at the latest" in bounded.text
    cities = part(table, "iccc_cities").frame
    assert len(cities) == 100 and "city_id" not in cities.columns
    assert (cities["date_basis"] == "on or before").sum() == 91
    assert (cities["stage"] == "Operational").all() and not cities["note"].isna().any()

    assert timeline.heading == "Cities known operational over time"
    assert kinds(timeline) == ["iccc_timeline", "caption"]
    chart = part(timeline, "iccc_timeline")
    assert title_of(chart) == "Cities with an operational ICCC: per-city record vs national"
    assert "National count" in trace_names(chart)
    assert any(shape.y0 == 100 for shape in chart.figure.layout.shapes)
    assert notes(timeline, "caption")[0].text.startswith("The gap between the two")


def test_cities_tab_for_a_state_leaves_the_national_line_out(engine: Engine) -> None:
    table, timeline = iccc.cities(iccc.build(engine, BIHAR), as_of=AS_OF)
    assert kinds(table) == ["info", "iccc_cities"]
    assert notes(table, "info")[0].text.startswith("For 4 of these 4 cities")
    cities = part(table, "iccc_cities").frame
    assert len(cities) == 4 and set(cities["state_ut"]) == {"Bihar"}
    assert kinds(timeline) == ["iccc_timeline", "caption", "caption"]
    chart = part(timeline, "iccc_timeline")
    assert title_of(chart) == "Cities with an operational ICCC: per-city record"
    assert "National count" not in trace_names(chart)
    assert not chart.figure.layout.shapes, "no target line"
    left_out = notes(timeline, "caption")[-1]
    assert left_out.text == "The national count is left out while a filter is set."


def test_cities_tab_counts_cities_without_a_stage(engine: Engine) -> None:
    model = iccc.build(engine, Scope())
    reported = model.status[model.status["date_basis"] == "reported"]
    table, timeline = iccc.cities(replace(model, status=reported), as_of=AS_OF)
    assert kinds(table) == ["iccc_cities", "info"], "no 'on or before' note without such dates"
    [note] = notes(table, "info")
    assert note.icon is None
    assert note.text == (
        "91 of the 100 cities of this selection have no ICCC stage on record by 15 Jan 2026."
    )
    assert len(part(table, "iccc_cities").frame) == 9
    assert kinds(timeline) == ["iccc_timeline"], "no gap caption without 'on or before' dates"


def test_tabs_in_hindi(engine: Engine, events: pd.DataFrame) -> None:
    model = iccc.build(engine, BIHAR)
    table, timeline = iccc.cities(model, as_of=AS_OF, lang="hi")
    assert table.heading == "शहरवार"
    for section in (
        iccc.national(model, events, as_of=AS_OF, lang="hi"),
        iccc.stages(model, as_of=AS_OF, lang="hi"),
        table,
        timeline,
    ):
        texts = [section.heading, *(str(n.text) for n in section.parts if isinstance(n, Note))]
        texts += [title_of(c) for c in section.parts if isinstance(c, Chart)]
        assert all(re.search("[\u0900-\u097f]", t) for t in texts), texts
