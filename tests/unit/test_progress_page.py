"""The Mission progress page's model (smartcities.progress_view): which area a selection means,
each tab's charts, tables and messages, and the comparison's areas, from the bundled record
and from a small project list.

Rules broken on purpose once, each failing here: the commitment line drawn for a state too
(test_funds_commitment_line_only_nationally), a city's peers taken from all India instead of
its state (test_comparison_areas), the breakdown summed over the whole country instead of the
selection (test_breakdown_is_the_selections), the events not cut at the date in force
(test_trend_events_stop_at_the_date_in_force).
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from smartcities import progress_view as pv
from smartcities import projects_view
from smartcities.dataset import Dataset, states
from smartcities.query import Engine, Scope
from smartcities.schema import METRICS
from smartcities.urlstate import vocabulary

pytestmark = pytest.mark.unit


@pytest.fixture
def public(public_engine: Engine) -> Engine:
    return public_engine


def ctx_of(engine: Engine, scope: Scope, *, as_of=None, lang: str = "en") -> pv.Context:
    ds = engine.dataset
    return pv.context(
        engine,
        scope,
        vocabulary(ds.cities, states()),
        events=ds.table("events"),
        as_of=as_of,
        lang=lang,
    )


def text_of(fig) -> str:
    """Every text of a figure (titles, names, annotations), as written."""
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False, default=str)


def titles(section) -> list[str]:
    return [c.figure.layout.title.text for c in section.charts]


@pytest.mark.parametrize(
    ("scope", "level", "area_id", "area"),
    [
        (Scope(), "national", "india", "India"),
        (Scope(state_ut="Bihar"), "state", "bihar", "Bihar"),
        (Scope(round="Round 1"), "round", "round-1", "Round 1"),
        (Scope(city_id="pune"), "city", "pune", "Pune"),
        # A state and a round together: the state's figures (rounds are national).
        (Scope(state_ut="Bihar", round="Round 2"), "state", "bihar", "Bihar"),
    ],
)
def test_the_area_a_selection_means(public, scope, level, area_id, area) -> None:
    ctx = ctx_of(public, scope)
    assert (ctx.level, ctx.area_id, ctx.area) == (level, area_id, area)
    assert pv.heading(ctx).caption.startswith(f"Figures for **{area}** as on")


def test_header_in_hindi(public) -> None:
    ctx = ctx_of(public, Scope(), as_of=pd.Timestamp("2026-01-15"), lang="hi")
    header = pv.heading(ctx)
    assert ctx.area == "भारत"
    assert "Mission progress" not in header.title and "भारत" in header.caption


@pytest.mark.parametrize("unit", ["count", "inr_crore"])
def test_stages_are_the_latest_national_figures(public, unit) -> None:
    ctx = ctx_of(public, Scope())
    section = pv.stages(ctx, unit)
    assert section.message is None
    (chart,) = section.charts
    (table,) = section.tables
    latest = public.latest(Scope(), levels=("national",)).set_index("metric")["value"]
    stages = [latest[m] for m in pv.metrics.funnel_metrics(unit)]
    assert list(table.frame["value"]) == stages
    assert list(chart.figure.data[0].x) == stages
    # Each stage's share of the one before it, as a percentage (not the inverse, not 0-1).
    share = table.frame["share_of_previous"]
    assert pd.isna(share.iloc[0])
    assert share.iloc[1:].tolist() == pytest.approx(
        [100 * stages[1] / stages[0], 100 * stages[2] / stages[1]]
    )
    assert table.units == {"value": unit, "share_of_previous": "pct"}
    assert "as_of_date" not in table.frame and "metric" not in table.frame
    unit_word = "number" if unit == "count" else "₹ crore"
    assert chart.figure.layout.title.text == f"Projects by stage, India ({unit_word})"
    if unit == "count":
        assert 7767 in stages and "Projects completed: 7,767" in chart.summary


def test_an_area_without_figures_gets_one_message_per_tab(public) -> None:
    ctx = ctx_of(public, Scope(state_ut="Goa"))
    for section in (pv.stages(ctx, "count"), pv.trend(ctx, "count"), pv.funds(ctx)):
        assert section.empty and not section.charts and not section.tables
        assert "reported for Goa" in section.message
        assert "India as a whole" in section.message, "it says where figures exist"
    totals = pv.totals(ctx, "count")
    assert totals.empty and totals.note, "the caveat on the two meanings stays"
    comparison = pv.comparison(ctx)
    assert comparison.message and not comparison.available
    assert pv.compare(ctx, comparison, "").message == comparison.message


def test_trend_and_rates(public) -> None:
    section = pv.trend(ctx_of(public, Scope()), "count")
    assert titles(section) == [
        "Project stages over time, India",
        "Conversion rates over time, India",
    ]
    names = {t.name for t in section.charts[0].figure.data}
    assert {"Projects tendered", "Work orders issued", "Projects completed"} <= names
    assert [c.key for c in section.charts] == ["progress_stages", "progress_rates"]


def test_trend_events_stop_at_the_date_in_force(public) -> None:
    cut = pd.Timestamp("2019-01-01")
    section = pv.trend(ctx_of(public, Scope(), as_of=cut), "count")
    events = [t for t in section.charts[0].figure.data if t.name == "Mission events"]
    assert events, "the mission's events are marked"
    assert all(pd.Timestamp(x) <= cut for x in events[0].x)
    later = pv.trend(ctx_of(public, Scope()), "count").charts[0].figure.data
    assert len(next(t for t in later if t.name == "Mission events").x) > len(events[0].x)


def test_funds_commitment_line_only_nationally(public) -> None:
    national = pv.funds(ctx_of(public, Scope()))
    assert titles(national) == [
        "Central funds released and utilised, India",
        "Utilisation of central funds, India",
    ]
    assert "Central commitment ₹48,000 crore" in text_of(national.charts[0].figure)
    state = pv.funds(ctx_of(public, Scope(state_ut="Andhra Pradesh")))
    assert state.message is None
    assert "Central commitment" not in text_of(state.charts[0].figure)


def test_totals_are_two_series_never_one_line(public) -> None:
    section = pv.totals(ctx_of(public, Scope()), "count")
    assert section.note and section.note_icon
    lines = {t.name: t for t in section.charts[0].figure.data}
    proposed, taken = lines["Projects proposed at selection"], lines["Projects taken up"]
    assert max(proposed.x) < min(taken.x)
    money = pv.totals(ctx_of(public, Scope()), "inr_crore")
    assert "Value of projects taken up" in {t.name for t in money.charts[0].figure.data}


@pytest.mark.parametrize(
    ("scope", "level", "what", "areas"),
    [
        (Scope(), "state", "states and UTs", 35),
        (Scope(city_id="pune"), "city", "cities of Maharashtra", 8),
        (Scope(round="Round 1"), "city", "cities of Round 1", 20),
        (Scope(state_ut="Bihar"), "city", "cities of Bihar", 4),
    ],
)
def test_comparison_areas(public, scope, level, what, areas) -> None:
    ctx = ctx_of(public, scope)
    comparison = pv.comparison(ctx)
    assert (comparison.level, comparison.what) == (level, what)
    assert comparison.available <= set(pv.metrics.COMPARABLE_METRICS)
    if comparison.message:
        return
    metric = sorted(comparison.available)[0]
    section = pv.compare(ctx, comparison, metric)
    assert titles(section) == [f"{METRICS[metric].label}: {what}"]
    bars = section.charts[0].figure.data[0]
    assert section.caption.startswith(f"{len(bars.y)} of {areas} {what} report this measure.")


def test_metrics_the_areas_do_not_report_stay_listed_and_marked(public) -> None:
    comparison = pv.comparison(ctx_of(public, Scope(city_id="pune")))
    assert set(pv.COMPARE_CHOICES) == set(pv.metrics.COMPARABLE_METRICS)
    absent = next(m for m in pv.COMPARE_CHOICES if m not in comparison.available)
    present = next(iter(comparison.available))
    assert pv.compare_label(comparison, absent).endswith("(not reported here)")
    assert pv.compare_label(comparison, present) == METRICS[present].label


@pytest.fixture(scope="module")
def listed() -> Engine:
    """Two states' projects (the public record lists none)."""
    rng = np.random.default_rng(7)
    n = 200
    cities = pd.DataFrame(
        {
            "city_id": ["pune", "nagpur", "surat"],
            "city_name": ["Pune", "Nagpur", "Surat"],
            "state_ut": ["Maharashtra", "Maharashtra", "Gujarat"],
            "selection_round": ["Round 1", "Round 3", "Round 1"],
        }
    )
    day = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 2000, n), unit="D")
    projects = pd.DataFrame(
        {
            "project_id": [f"P{i}" for i in range(n)],
            "city_id": rng.choice(cities["city_id"], n),
            "project_name": "x",
            "state_ut": None,
            "stage": rng.choice(["tendered", "work_order_issued", "completed"], n),
            "sector": rng.choice(["Roads", "Water"], n),
            "component": rng.choice(["area_based", "pan_city"], n),
            "cost_inr_crore": rng.uniform(1, 100, n).round(2),
            "tendered_date": day,
            "work_order_date": day + pd.Timedelta(days=90),
            "completed_date": day + pd.Timedelta(days=500),
            "updated_on": day + pd.Timedelta(days=600),
        }
    )
    engine = Engine(Dataset({"cities": cities, "projects": projects}, "synthetic", "projects"))
    yield engine
    engine.close()


def test_breakdown_only_where_projects_are_listed(public, listed) -> None:
    assert not pv.has_breakdown(ctx_of(public, Scope()))
    assert pv.has_breakdown(ctx_of(listed, Scope(state_ut="Gujarat")))


@pytest.mark.parametrize("unit", ["count", "inr_crore"])
def test_breakdown_is_the_selections(listed, unit) -> None:
    scope = Scope(state_ut="Maharashtra")
    section = pv.breakdown(ctx_of(listed, scope), "sector", unit)
    (table,) = section.tables
    projects = listed.projects(scope)
    expected = projects_view.funnel_breakdown(projects, "sector", unit, None)
    assert table.frame.equals(
        projects_view.funnel_from_sums(
            listed.funnel_breakdown(scope, "sector", unit, None), "sector"
        )
    )
    pd.testing.assert_frame_equal(table.frame, expected, check_dtype=False)
    everything = pv.breakdown(ctx_of(listed, Scope()), "sector", unit).tables[0].frame
    assert not everything.equals(table.frame), "the selection narrows it"
    assert titles(section) == ["Projects reaching each stage by sector, Maharashtra"]
    assert set(table.units) == set(projects_view.FUNNEL)


def test_charts_carry_the_synthetic_watermark(listed) -> None:
    ctx = pv.context(
        listed,
        Scope(),
        vocabulary(listed.dataset.cities, states()),
        events=listed.dataset.table("events"),
        as_of=None,
        synthetic=True,
    )
    chart = pv.breakdown(ctx, "component", "count").charts[0]
    assert "SYNTHETIC" in text_of(chart.figure)


def test_rupee_axes_speak_the_page_language(public) -> None:
    """Tick labels of a ₹ crore axis: "cr" in English, "करोड़" in Hindi (they stayed "cr")."""
    for lang, word in (("en", " cr"), ("hi", " करोड़")):
        ctx = ctx_of(public, Scope(), lang=lang)
        funds = pv.funds(ctx).charts[0].figure
        comparison = pv.comparison(ctx)
        bars = pv.compare(ctx, comparison, "central_funds_released_inr_crore").charts[0].figure
        for ticks in (funds.layout.yaxis.ticktext, bars.layout.xaxis.ticktext):
            assert ticks and all(t.endswith(word) for t in ticks), (lang, ticks)
