"""Pure measures and charts behind the ICCC, progress, city and about pages, on inline data."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import figures, iccc, metrics, provenance
from smartcities.query import Scope
from smartcities.schema import METRICS

pytestmark = pytest.mark.unit

T = pd.Timestamp
A, B = "https://a.example/x", "https://www.b.example/y"


def long(rows: list[tuple]) -> pd.DataFrame:
    """Progress rows: (date, metric, value, source)."""
    return pd.DataFrame(
        [
            {
                "as_of_date": T(d),
                "level": "national",
                "area_id": "india",
                "area_name": "India",
                "metric": m,
                "value": float(v),
                "unit": METRICS[m].unit,
                "source_url": s,
                "note": None,
            }
            for d, m, v, s in rows
        ]
    )


def iccc_rows(rows: list[tuple]) -> pd.DataFrame:
    """ICCC rows: (city, stage, date, basis)."""
    return pd.DataFrame(
        [
            {
                "city_id": c,
                "city_name": c.title(),
                "state_ut": "S",
                "selection_round": "Round 1",
                "stage": st,
                "stage_date": T(d),
                "date_basis": b,
                "source_url": A,
                "note": None,
            }
            for c, st, d, b in rows
        ]
    )


OPS = "iccc_operational_count"
UI = "iccc_under_implementation_count"
TEN = "iccc_tendered_count"


def test_split_sources_keeps_the_first_source_per_date_and_the_rest_apart() -> None:
    rows = long(
        [("2019-03-01", OPS, 13, A), ("2019-03-01", OPS, 15, B), ("2020-01-01", OPS, 20, A)]
    )
    primary, others = provenance.split_sources(rows)
    assert list(primary["value"]) == [13, 20]
    assert list(others["value"]) == [15]
    empty = rows.head(0)
    assert provenance.split_sources(empty)[0].empty


def test_source_conflicts_lists_only_disagreeing_dates() -> None:
    rows = long(
        [
            ("2019-03-01", OPS, 13, A),
            ("2019-03-01", OPS, 15, B),
            ("2019-03-01", TEN, 18, A),
            ("2019-03-01", TEN, 18, B),  # same value from two sources: no conflict
        ]
    )
    out = provenance.source_conflicts(rows)
    assert list(out["value"]) == [13, 15]
    assert provenance.source_conflicts(rows.head(0)).empty


def test_stage_reports_one_bar_per_report_with_a_breakdown() -> None:
    rows = long(
        [
            ("2018-06-18", OPS, 9, A),  # operational only: not a breakdown
            ("2019-03-01", OPS, 13, A),
            ("2019-03-01", UI, 33, A),
            ("2019-03-01", OPS, 15, B),
            ("2019-03-01", UI, 31, B),
            ("2019-03-01", TEN, 18, B),
        ]
    )
    out = iccc.stage_reports(rows)
    assert list(out["source_url"]) == [A, B]
    assert out[TEN].isna().tolist() == [True, False]
    assert iccc.stage_reports(rows.head(0)).empty


def test_iccc_status_keeps_the_furthest_stage_per_city() -> None:
    rows = iccc_rows(
        [
            ("pune", "tendered", "2017-01-01", "reported"),
            ("pune", "operational", "2018-06-18", "reported"),
            ("pune", "operational", "2024-11-15", "on_or_before"),
            ("agra", "work_order_issued", "2019-01-01", "reported"),
        ]
    )
    out = iccc.iccc_status(rows).set_index("city_id")
    assert out.loc["pune", "stage"] == "operational"
    assert out.loc["pune", "stage_date"] == T("2018-06-18")
    assert out.loc["pune", "date_basis"] == "reported"
    assert out.loc["agra", "stage"] == "work_order_issued"
    assert iccc.iccc_status(rows.head(0)).empty


def test_iccc_cumulative_separates_reported_dates_from_upper_bounds() -> None:
    rows = iccc_rows(
        [
            ("a", "operational", "2018-06-18", "reported"),
            ("b", "operational", "2018-06-18", "reported"),
            ("c", "operational", "2024-11-15", "on_or_before"),
            ("d", "tendered", "2017-01-01", "reported"),
        ]
    )
    out = iccc.iccc_cumulative(rows)
    assert list(out["reported"]) == [2, 2]
    assert list(out["with_bounds"]) == [2, 3]
    assert iccc.iccc_cumulative(rows.head(0)).empty


def test_iccc_kpis_count_known_dated_and_bounded_cities() -> None:
    status = iccc.iccc_status(
        iccc_rows(
            [
                ("a", "operational", "2018-06-18", "reported"),
                ("b", "operational", "2024-11-15", "on_or_before"),
                ("c", "tendered", "2017-01-01", "reported"),
            ]
        )
    )
    national = long([("2025-03-17", OPS, 100, A)])
    national_kpi, known, dated, bounded = iccc.iccc_kpis(national, status, 5)
    assert national_kpi.value == "100"
    assert known.value == "2 of 5"
    assert (dated.raw, bounded.raw) == (1, 1)


def test_mission_events_filters_category_and_date() -> None:
    events = pd.DataFrame(
        {
            "event_date": [T("2018-06-18"), T("2021-12-02"), T("2026-02-07")],
            "event": ["ICCC", "Deadline", "Later"],
            "category": ["iccc", "deadline", "iccc"],
        }
    )
    out = metrics.mission_events(events, ("iccc",), T("2025-12-01"))
    assert list(out["event"]) == ["ICCC"]
    assert len(metrics.mission_events(events, ("iccc", "deadline"), None)) == 3
    assert metrics.mission_events(events.head(0), ("iccc",), None).empty


def test_funnel_stages_carry_their_own_dates_and_rates() -> None:
    latest = long(
        [
            ("2022-07-08", "projects_tendered_count", 7822, A),
            ("2024-11-15", "work_orders_issued_count", 8066, A),
            ("2025-12-01", "projects_completed_count", 7741, B),
        ]
    )
    stages = metrics.funnel_stages(latest, "count")
    assert list(stages["value"]) == [7822, 8066, 7741]
    assert pd.isna(stages["pct_of_previous"][0])
    assert stages["pct_of_previous"][2] == pytest.approx(100 * 7741 / 8066)
    text = metrics.describe_funnel(stages)
    assert "Projects completed: 7,741 (as on 1 Dec 2025, 96% of previous)" in text
    assert "different dates" in text
    assert metrics.funnel_stages(latest, "inr_crore").empty
    assert metrics.describe_funnel(stages.head(0)).startswith("No stage figures")


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        (
            "count",
            ("projects_tendered_count", "work_orders_issued_count", "projects_completed_count"),
        ),
        (
            "inr_crore",
            (
                "projects_tendered_inr_crore",
                "work_orders_issued_inr_crore",
                "projects_completed_inr_crore",
            ),
        ),
    ],
)
def test_funnel_metrics_by_unit(unit: str, expected: tuple[str, ...]) -> None:
    assert metrics.funnel_metrics(unit) == expected
    assert all(m in METRICS for m in metrics.projects_total_meanings(unit))


def test_conversion_rates_only_where_both_figures_exist() -> None:
    series = long(
        [
            ("2018-11-30", "projects_tendered_count", 2342, A),
            ("2018-11-30", "work_orders_issued_count", 1675, A),
            ("2019-07-12", "work_orders_issued_count", 2800, A),
            ("2019-07-12", "projects_completed_count", 900, A),
            ("2020-01-01", "projects_completed_count", 1000, A),  # no work orders that day
        ]
    )
    rates = metrics.conversion_rates(series, "count")
    assert list(rates["key"]) == ["work_orders_per_tendered", "completed_per_work_order"]
    assert rates["value"].tolist() == pytest.approx([100 * 1675 / 2342, 100 * 900 / 2800])
    assert metrics.conversion_rates(series.head(0), "count").empty
    assert "32%" in metrics.describe_rates(rates)
    assert metrics.describe_rates(rates.head(0)).startswith("No date has both")


def test_utilisation_skips_zero_releases() -> None:
    series = long(
        [
            ("2021-06-30", "central_funds_released_inr_crore", 23925, A),
            ("2021-06-30", "funds_utilised_inr_crore", 20410.14, A),
            ("2016-03-31", "central_funds_released_inr_crore", 0, A),
            ("2016-03-31", "funds_utilised_inr_crore", 0, A),
        ]
    )
    out = metrics.utilisation_over_time(series)
    assert len(out) == 1
    assert out["value"][0] == pytest.approx(85.31, abs=0.01)


@pytest.mark.parametrize(
    ("scope", "city_state", "level", "expected_scope", "what"),
    [
        (Scope(), None, "state", Scope(), "states and UTs"),
        (Scope(state_ut="Bihar"), None, "city", Scope(state_ut="Bihar"), "cities of Bihar"),
        (Scope(round="Round 2"), None, "city", Scope(round="Round 2"), "cities of Round 2"),
        (
            Scope(state_ut="Bihar", round="Round 2"),
            None,
            "city",
            Scope(state_ut="Bihar", round="Round 2"),
            "cities of Bihar in Round 2",
        ),
        (
            Scope(city_id="pune"),
            "Maharashtra",
            "city",
            Scope(state_ut="Maharashtra"),
            "cities of Maharashtra",
        ),
    ],
)
def test_comparison_scope_follows_the_filters(
    scope: Scope, city_state: str | None, level: str, expected_scope: Scope, what: str
) -> None:
    assert metrics.comparison_scope(scope, city_state) == (level, expected_scope, what)


def test_comparison_scope_keeps_the_date() -> None:
    when = pd.Timestamp("2020-01-01").date()
    assert metrics.comparison_scope(Scope(as_of=when))[1].as_of == when


def test_projects_by_stage_in_stage_order() -> None:
    projects = pd.DataFrame(
        {
            "project_id": ["1", "2", "3", "4"],
            "stage": ["completed", "tendered", "completed", "work_order_issued"],
            "cost_inr_crore": [10.0, 5.0, 2.5, 1.0],
        }
    )
    out = iccc.projects_by_stage(projects)
    assert list(out["stage"]) == [
        "Tendered",
        "Work order issued (under implementation)",
        "Completed",
    ]
    assert list(out["projects"]) == [1, 1, 2]
    assert out["cost_inr_crore"].iloc[-1] == 12.5
    assert iccc.projects_by_stage(projects.head(0)).empty


def test_metric_definitions_come_from_the_schema() -> None:
    out = metrics.metric_definitions()
    assert list(out["metric"]) == list(METRICS)
    assert set(out["kind"]) <= {"cumulative", "snapshot", "total", "flag", "rank"}
    assert out["description"].str.len().min() > 10


@pytest.mark.parametrize(
    ("url", "domain"),
    [
        ("https://www.business-standard.com/x", "business-standard.com"),
        ("http://34.80.245.248/content_html/x", "34.80.245.248"),
        ("HTTPS://WWW.Example.COM:443/a", "example.com"),
        ("derived:cities.csv", "derived"),
        ("synthetic:smartcities.synthetic seed=1", "synthetic"),
        ("", "unknown"),
        (None, "unknown"),
    ],
)
def test_source_domain(url: object, domain: str) -> None:
    assert provenance.source_domain(url) == domain


def test_sources_by_domain_counts_pages_and_rows() -> None:
    tables = {
        "progress": pd.DataFrame({"source_url": [A, A, B, "derived:cities.csv"]}),
        "iccc": pd.DataFrame({"source_url": [A]}),
        "projects": pd.DataFrame({"project_id": ["1"]}),  # no source column
    }
    domains, pages = provenance.sources_by_domain(tables)
    assert domains.set_index("domain")["rows"].to_dict() == {
        "a.example": 3,
        "b.example": 1,
        "derived": 1,
    }
    assert pages.set_index("source_url").loc[A, "tables"] == "iccc, progress"
    assert provenance.sources_by_domain({})[0].empty


def test_mixed_dates_note() -> None:
    one = pd.DataFrame({"as_of_date": [T("2020-01-01")] * 2})
    two = pd.DataFrame({"as_of_date": [T("2020-01-01"), T("2021-01-01")]})
    assert provenance.mixed_dates_note(one) == ""
    assert "2 different dates" in provenance.mixed_dates_note(two)


def test_projects_total_caveat_names_both_series() -> None:
    assert "proposed at selection" in metrics.PROJECTS_TOTAL_CAVEAT
    assert "actually taken up" in metrics.PROJECTS_TOTAL_CAVEAT


# ---------------------------------------------------------------- charts


def note_of(fig) -> str:
    return next(a.text for a in fig.layout.annotations if "Source:" in (a.text or ""))


def test_source_note_lists_the_most_used_domains() -> None:
    urls = [A, A, B, "https://c.example", "https://d.example", "https://e.example"]
    assert figures.source_note(urls) == "a.example, b.example, c.example and 2 more"
    assert figures.source_note([]) == "no source given"


def test_alternatives_are_drawn_as_separate_markers() -> None:
    rows = long(
        [("2019-03-01", OPS, 13, A), ("2019-03-01", OPS, 15, B), ("2020-04-06", OPS, 45, A)]
    )
    primary, others = provenance.split_sources(rows)
    fig = figures.series_chart(primary, [OPS], title="t", source="s", as_of=None)
    figures.add_alternatives(fig, others, [OPS])
    alt = fig.data[-1]
    assert alt.mode == "markers" and list(alt.y) == [15]
    assert alt.customdata[0][2] == B


def test_stage_reports_chart_stacks_one_bar_per_report() -> None:
    rows = long([("2019-03-01", OPS, 13, A), ("2019-03-01", UI, 33, A), ("2019-03-01", TEN, 18, A)])
    reports = iccc.stage_reports(rows)
    fig = figures.stage_reports_chart(
        reports, iccc.ICCC_STAGE_METRICS, title="t", as_of=T("2025-12-01"), synthetic=True
    )
    assert fig.layout.barmode == "stack" and len(fig.data) == 3
    assert fig.data[0].x[0] == "1 Mar 2019<br>a.example"
    assert fig.layout.title.text.startswith("[SYNTHETIC]")
    assert "a.example" in note_of(fig)
    text = figures.describe_stage_reports(reports, iccc.ICCC_STAGE_METRICS)
    assert "1 Mar 2019 (a.example): ICCCs operational 13" in text
    empty = figures.stage_reports_chart(
        reports.head(0), iccc.ICCC_STAGE_METRICS, title="t", as_of=None
    )
    assert not empty.data and "breakdown" in empty.layout.annotations[0].text


def test_iccc_timeline_chart_steps_and_national_line() -> None:
    cumulative = iccc.iccc_cumulative(
        iccc_rows(
            [
                ("a", "operational", "2018-06-18", "reported"),
                ("b", "operational", "2024-11-15", "on_or_before"),
            ]
        )
    )
    national = long([("2018-06-18", OPS, 9, A), ("2024-11-15", OPS, 100, A)])
    fig = figures.iccc_timeline_chart(
        cumulative, national, title="t", as_of=T("2025-12-01"), source="s", target=100
    )
    assert [t.name for t in fig.data] == [
        "Per city, reported dates",
        "Per city, incl. 'on or before'",
        "National count",
    ]
    assert fig.data[0].line.shape == "hv"
    assert fig.data[0].x[-1] == T("2025-12-01"), "the step is carried to the as-on date"
    text = figures.describe_iccc_timeline(cumulative, national)
    assert "1 cities with a reported date and 2 including" in text
    empty = figures.iccc_timeline_chart(cumulative.head(0), None, title="t", as_of=None, source="s")
    assert not empty.data


def test_rates_chart_in_per_cent() -> None:
    series = long(
        [
            ("2021-06-30", "central_funds_released_inr_crore", 100, A),
            ("2021-06-30", "funds_utilised_inr_crore", 85, A),
        ]
    )
    rates = metrics.utilisation_over_time(series)
    fig = figures.rates_chart(rates, title="t", source="s", as_of=None)
    assert fig.layout.yaxis.ticktext[-1].endswith("%")
    assert fig.data[0].customdata[0][0] == "85.0%"
    assert not figures.rates_chart(rates.head(0), title="t", source="s", as_of=None).data


@pytest.mark.parametrize("height", [300, 420, 900])
def test_anchor_note_pins_the_note_below_the_plot(height: int) -> None:
    fig = figures.series_chart(
        long([("2020-01-01", OPS, 1, A)]), [OPS], title="t", source="s", as_of=None, synthetic=True
    )
    fig.update_layout(height=height)
    figures.anchor_note(fig)
    note = next(a for a in fig.layout.annotations if (a.text or "").startswith("SYNTHETIC DATA"))
    assert (note.y, note.yshift, note.yanchor) == (0, -62, "top")
    assert fig.layout.margin.b >= 92


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["national", "state", "city"], "India as a whole, states/UTs and cities"),
        (["city", "city"], "It has figures for cities:"),
        ([], "this data set has no figures"),
    ],
)
def test_no_figures_message_names_the_levels_present(levels: list[str], expected: str) -> None:
    text = metrics.no_figures_message("project-stage", "Round 2", levels)
    assert text.startswith("No project-stage figures have been reported for Round 2")
    assert expected in text
