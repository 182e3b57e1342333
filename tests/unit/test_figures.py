"""Chart specs: built as plain dicts without plotly's validation, so check them against it."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from smartcities import figures, iccc, metrics
from smartcities.load import load_public
from smartcities.query import Engine, Scope

T = pd.Timestamp


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_public())


def test_merge_recurses_like_update_layout() -> None:
    layout = {"margin": {"l": 70, "t": 70}, "title": {"text": "a"}}
    figures.merge(layout, {"margin": {"t": 95}, "height": 300})
    assert layout == {"margin": {"l": 70, "t": 95}, "title": {"text": "a"}, "height": 300}


def test_validation_is_on_in_the_tests_and_catches_a_bad_property() -> None:
    assert figures.validating()
    with pytest.raises(ValueError, match="nonsense"):
        figures.to_figure({"data": [{"type": "scatter", "nonsense": 1}], "layout": {}})


def test_validation_off_builds_the_same_figure(monkeypatch: pytest.MonkeyPatch) -> None:
    spec = figures.Spec("t")
    spec.trace("scatter", x=[T("2020-01-01")], y=[1.0], name="n", customdata=[["a", "b"]])
    spec.axis("yaxis", title="y", tickvals=[0, 1], ticktext=["0", "1"])
    checked = pio.to_json(spec.finish(source="s", as_of=None, synthetic=True), validate=False)
    monkeypatch.setenv(figures.VALIDATE_ENV, "0")
    spec = figures.Spec("t")
    spec.trace("scatter", x=[T("2020-01-01")], y=[1.0], name="n", customdata=[["a", "b"]])
    spec.axis("yaxis", title="y", tickvals=[0, 1], ticktext=["0", "1"])
    fast = spec.finish(source="s", as_of=None, synthetic=True)
    assert json.loads(pio.to_json(fast, validate=False)) == json.loads(checked)
    assert fast.layout.title.text == "[SYNTHETIC] t", "attribute access still works"


def _figures_of_the_public_record(engine: Engine) -> list[go.Figure]:
    """One of each builder, on the bundled data (every trace type and layout we use)."""
    scope = Scope()
    funnel = metrics.funnel_metrics("count")
    series = engine.series(scope, (*funnel, "central_funds_released_inr_crore"), level="national")
    latest = engine.latest(scope, levels=("national",))
    events = engine.dataset.table("events").rename(columns={})
    cities = engine.latest(scope, levels=("city",))
    rows = engine.progress(scope, levels=("national",))
    reports = iccc.stage_reports(rows)
    kw = {"source": "s", "as_of": T("2025-12-01")}
    return [
        figures.series_chart(
            series, funnel, title="t", events=events, target=48_000.0, target_label="x", **kw
        ),
        figures.funnel_chart(latest, unit="count", title="t", **kw),
        figures.bar_by_area(
            cities[cities["metric"] == "projects_completed_count"],
            metric="projects_completed_count",
            title="t",
            **kw,
        ),
        figures.rates_chart(metrics.conversion_rates(series, "count"), title="t", **kw),
        figures.stage_reports_chart(
            reports, iccc.ICCC_STAGE_METRICS, title="t", as_of=T("2025-12-01")
        ),
        figures.bar_counts(cities, "metric", title="t", **kw),
        figures.empty_figure("nothing", "t"),
    ]


def test_every_builder_passes_plotly_validation(engine: Engine) -> None:
    built = _figures_of_the_public_record(engine)
    for fig in built:
        # Re-validating from the serialised dict raises on any property plotly does not know.
        go.Figure(json.loads(pio.to_json(fig, validate=False)))
    series_fig = built[0]
    assert any(s.get("type") == "line" for s in series_fig.to_dict()["layout"]["shapes"])
    assert [t.name for t in series_fig.data][-1] == "Mission events"
    assert all(a.text for a in series_fig.layout.annotations)
