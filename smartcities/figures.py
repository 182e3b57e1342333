"""Chart builders: pure functions from DataFrames to plotly Figures, with one look.

Every figure has a title, units in its axis titles, the "as on" date and a source note, uses the
Okabe-Ito colour-blind-safe palette, and shows numbers in Indian format. Plotly's d3 formats
cannot group digits 3-then-2, so tick text is pre-formatted (:func:`fmt.tick_labels`) and hover
text is passed through ``customdata``. Each builder has a companion text summary for screen
readers (:func:`describe_series` and friends).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd
import plotly.graph_objects as go

from smartcities import fmt
from smartcities.provenance import source_domain
from smartcities.schema import METRICS, metric_unit_label

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#56B4E9",
    "#CC79A7",
    "#F0E442",
    "#000000",
)
STAGE_COLOURS = {
    "tendered": "#56B4E9",
    "work_order_issued": "#E69F00",
    "operational": "#009E73",
    "completed": "#009E73",
    "dropped": "#999999",
}
FONT = "Noto Sans, Segoe UI, Helvetica, Arial, sans-serif"
SYNTHETIC_MARK = "SYNTHETIC DATA: not real figures"
_GRID = "#e4e7eb"
# A small template built once. Plotly's named templates ("plotly_white") are large and are
# deep-copied and re-validated for every figure: about 30-100 ms each, which dominated a
# page's rerun time (benchmarks/RESULTS.md).
_TEMPLATE = go.layout.Template(
    layout={
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": {"gridcolor": _GRID, "linecolor": _GRID, "zerolinecolor": _GRID, "ticks": ""},
        "yaxis": {"gridcolor": _GRID, "linecolor": _GRID, "zerolinecolor": _GRID, "ticks": ""},
        "hovermode": "closest",
    }
)


def _base(title: str, height: int = 420) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17}},
        font={"family": FONT, "size": 13, "color": "#1f2933"},
        template=_TEMPLATE,
        height=height,
        margin={"l": 70, "r": 30, "t": 70, "b": 90},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0, "title": None},
        hoverlabel={"font": {"family": FONT}},
        colorway=list(PALETTE),
    )
    return fig


def finish(
    fig: go.Figure, *, source: str, as_of: pd.Timestamp | None, synthetic: bool = False
) -> go.Figure:
    """Add the source/date note under the plot, and the synthetic watermark where it applies."""
    note = f"Source: {source}. Figures as on {fmt.as_on(as_of)}."
    if synthetic:
        note = f"{SYNTHETIC_MARK}. " + note
        fig.add_annotation(
            text="SYNTHETIC",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 56, "color": "rgba(213,94,0,0.16)"},
        )
        fig.update_layout(title_text=f"[SYNTHETIC] {fig.layout.title.text}")
    fig.add_annotation(
        text=note,
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        font={"size": 11, "color": "#52606d"},
        align="left",
    )
    # Pinned in pixels below the plot: a paper fraction drifts into the axis title on short
    # charts and out of the figure on tall ones.
    return anchor_note(fig)


def indian_axis(fig: go.Figure, values: Sequence[float], unit: str, axis: str = "y") -> None:
    """Pre-formatted Indian tick labels on a value axis."""
    vals = [float(v) for v in values if pd.notna(v)]
    if not vals:
        return
    ticks = fmt.nice_ticks(min(vals), max(vals))
    update = {"tickvals": ticks, "ticktext": fmt.tick_labels(ticks, unit), "rangemode": "tozero"}
    if axis == "y":
        fig.update_yaxes(**update)
    else:
        fig.update_xaxes(**update)


def empty_figure(message: str, title: str = "") -> go.Figure:
    """A figure that says why there is nothing to draw (never a blank chart)."""
    fig = _base(title, height=260)
    fig.add_annotation(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": "#52606d"},
    )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return fig


def series_chart(
    series: pd.DataFrame,
    metrics: Sequence[str],
    *,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    events: pd.DataFrame | None = None,
    target: float | None = None,
    target_label: str = "",
    synthetic: bool = False,
) -> go.Figure:
    """Lines over time for metrics of one unit (columns: as_of_date, metric, value, source_url)."""
    data = series[series["metric"].isin(metrics)]
    if data.empty:
        return empty_figure("No figures reported for this selection.", title)
    unit = METRICS[metrics[0]].unit
    fig = _base(title)
    for i, metric in enumerate(metrics):
        rows = data[data["metric"] == metric].sort_values("as_of_date")
        if rows.empty:
            continue
        text = [fmt.value(v, unit) for v in rows["value"]]
        dates = [fmt.as_on(d) for d in rows["as_of_date"]]
        fig.add_trace(
            go.Scatter(
                x=rows["as_of_date"],
                y=rows["value"],
                name=METRICS[metric].label,
                mode="lines+markers",
                line={"color": PALETTE[i % len(PALETTE)], "width": 2.5},
                marker={"size": 7},
                customdata=list(zip(text, dates, rows["source_url"].astype(str), strict=True)),
                hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} as on "
                "%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )
    values = data["value"].tolist() + ([target] if target is not None else [])
    indian_axis(fig, values, unit)
    fig.update_yaxes(title_text=metric_unit_label(metrics[0]))
    fig.update_xaxes(title_text="As on date")
    if target is not None:
        fig.add_hline(
            y=target,
            line_dash="dash",
            line_color="#52606d",
            annotation_text=target_label,
            annotation_position="top left",
        )
    if events is not None and not events.empty:
        add_events(fig, events)
    return finish(fig, source=source, as_of=as_of, synthetic=synthetic)


def add_events(fig: go.Figure, events: pd.DataFrame) -> None:
    """Mark mission events on the time axis: dotted lines with hover text."""
    # All lines in one layout update: add_vline re-validates every shape on each call, which
    # is quadratic (29 events cost ~0.4 s a chart).
    lines = [
        {
            "type": "line",
            "xref": "x",
            "yref": "paper",
            "x0": d,
            "x1": d,
            "y0": 0,
            "y1": 1,
            "line": {"width": 1, "dash": "dot", "color": "#9aa5b1"},
            "layer": "below",
        }
        for d in events["event_date"]
    ]
    fig.update_layout(shapes=list(fig.layout.shapes) + lines)
    fig.add_trace(
        go.Scatter(
            x=events["event_date"],
            y=[0] * len(events),
            mode="markers",
            marker={"symbol": "triangle-up", "size": 10, "color": "#52606d"},
            name="Mission events",
            customdata=list(
                zip([fmt.as_on(d) for d in events["event_date"]], events["event"], strict=True)
            ),
            hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
        )
    )


def funnel_chart(
    latest: pd.DataFrame,
    *,
    unit: str,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
) -> go.Figure:
    """Tendered -> work orders -> completed, in count or ₹ crore, with conversion rates."""
    suffix = "_inr_crore" if unit == "inr_crore" else "_count"
    stages = [
        ("projects_tendered" + suffix, "Tendered"),
        ("work_orders_issued" + suffix, "Work orders issued"),
        ("projects_completed" + suffix, "Completed"),
    ]
    by_metric = latest.set_index("metric")["value"] if not latest.empty else pd.Series()
    names, values, text = [], [], []
    previous = None
    for metric, name in stages:
        v = by_metric.get(metric)
        if v is None or pd.isna(v):
            continue
        rate = "" if previous in (None, 0) else f" ({fmt.pct(100 * v / previous)} of previous)"
        names.append(name)
        values.append(float(v))
        text.append(fmt.value(v, unit) + rate)
        previous = v
    if not values:
        return empty_figure("No stage figures reported for this selection.", title)
    fig = _base(title, height=340)
    fig.add_trace(
        go.Bar(
            y=names,
            x=values,
            orientation="h",
            marker={"color": ["#56B4E9", "#E69F00", "#009E73"][: len(values)]},
            text=text,
            textposition="auto",
            customdata=text,
            hovertemplate="%{y}: %{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", title_text=None)
    indian_axis(fig, values, unit, axis="x")
    fig.update_xaxes(title_text=metric_unit_label(stages[0][0]))
    return finish(fig, source=source, as_of=as_of, synthetic=synthetic)


def bar_by_area(
    frame: pd.DataFrame,
    *,
    metric: str,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    max_bars: int = 40,
) -> go.Figure:
    """Horizontal bars of one metric per area (columns: area_name, value, as_of_date)."""
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False).head(max_bars)
    if data.empty:
        return empty_figure("No figures reported for this selection.", title)
    unit = METRICS[metric].unit
    fig = _base(title, height=max(300, 26 * len(data) + 140))
    fig.add_trace(
        go.Bar(
            y=data["area_name"],
            x=data["value"],
            orientation="h",
            marker={"color": PALETTE[0]},
            customdata=list(
                zip(
                    [fmt.value(v, unit) for v in data["value"]],
                    [fmt.as_on(d) for d in data["as_of_date"]],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{y}</b><br>%{customdata[0]} as on %{customdata[1]}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    indian_axis(fig, data["value"].tolist(), unit, axis="x")
    fig.update_xaxes(title_text=f"{METRICS[metric].label} ({metric_unit_label(metric)})")
    return finish(fig, source=source, as_of=as_of, synthetic=synthetic)


def describe_series(series: pd.DataFrame, metrics: Sequence[str]) -> str:
    """One-paragraph text summary of a time-series chart, for screen readers."""
    parts = []
    for metric in metrics:
        rows = series[series["metric"] == metric].sort_values("as_of_date")
        if rows.empty:
            continue
        unit = METRICS[metric].unit
        first, last = rows.iloc[0], rows.iloc[-1]
        parts.append(
            f"{METRICS[metric].label}: {fmt.value(first['value'], unit)} on "
            f"{fmt.as_on(first['as_of_date'])}, {fmt.value(last['value'], unit)} on "
            f"{fmt.as_on(last['as_of_date'])} ({len(rows)} reported dates)."
        )
    return " ".join(parts) or "No figures reported for this selection."


def describe_bars(frame: pd.DataFrame, metric: str) -> str:
    """Text summary of a bar chart: highest and lowest areas."""
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    if data.empty:
        return "No figures reported for this selection."
    unit = METRICS[metric].unit
    top, low = data.iloc[0], data.iloc[-1]
    return (
        f"{METRICS[metric].label} for {len(data)} areas. Highest: {top['area_name']} "
        f"({fmt.value(top['value'], unit)}); lowest: {low['area_name']} "
        f"({fmt.value(low['value'], unit)})."
    )


def bar_counts(
    frame: pd.DataFrame,
    column: str,
    *,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
) -> go.Figure:
    """Bars counting rows per category (e.g. cities per exception reason)."""
    counts = frame[column].value_counts()
    if counts.empty:
        return empty_figure("Nothing to count for this selection.", title)
    fig = _base(title, height=max(240, 60 * len(counts) + 130))
    fig.add_trace(
        go.Bar(
            y=counts.index.tolist(),
            x=counts.values.tolist(),
            orientation="h",
            marker={"color": PALETTE[3]},
            text=[fmt.count(v) for v in counts.values],
            textposition="auto",
            hovertemplate="%{y}: %{text} cities<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    indian_axis(fig, counts.values.tolist(), "count", axis="x")
    fig.update_xaxes(title_text="Cities (number)")
    return finish(fig, source=source, as_of=as_of, synthetic=synthetic)


def describe_counts(frame: pd.DataFrame, column: str) -> str:
    """Text summary of :func:`bar_counts`."""
    counts = frame[column].value_counts()
    return "; ".join(f"{k}: {fmt.count(v)} cities" for k, v in counts.items()) or "Nothing."


# ---------------------------------------------------------------- ICCC and progress pages


def source_note(urls: Iterable[object], limit: int = 3) -> str:
    """The source line of a chart: the distinct web domains behind it, most used first."""
    domains = pd.Series([source_domain(u) for u in urls if isinstance(u, str) and u])
    if domains.empty:
        return "no source given"
    top = domains.value_counts().index.tolist()
    text = ", ".join(top[:limit])
    if len(top) > limit:
        text += f" and {len(top) - limit} more"
    return text


def add_alternatives(fig: go.Figure, alternatives: pd.DataFrame, metrics: Sequence[str]) -> None:
    """Hollow markers for figures that another source reported for the same date (drawn beside
    the line, which follows the first source), so a disagreement is visible, not hidden."""
    for i, metric in enumerate(metrics):
        rows = alternatives[alternatives["metric"] == metric] if len(alternatives) else alternatives
        if rows.empty:
            continue
        unit = METRICS[metric].unit
        fig.add_trace(
            go.Scatter(
                x=rows["as_of_date"],
                y=rows["value"],
                mode="markers",
                name=f"{METRICS[metric].label}: another source",
                marker={
                    "symbol": "diamond-open",
                    "size": 12,
                    "line": {"width": 2},
                    "color": PALETTE[i % len(PALETTE)],
                },
                customdata=list(
                    zip(
                        [fmt.value(v, unit) for v in rows["value"]],
                        [fmt.as_on(d) for d in rows["as_of_date"]],
                        rows["source_url"].astype(str),
                        strict=True,
                    )
                ),
                hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} as on "
                "%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )


def stage_reports_chart(
    reports: pd.DataFrame,
    metrics: Sequence[str],
    *,
    title: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
) -> go.Figure:
    """Stacked bars, one per report (date and source), of the stages it gives, so two sources
    for one date stand side by side (columns: as_of_date, source_url, one per metric)."""
    if reports.empty:
        return empty_figure("No report in this data set gives a breakdown by stage.", title)
    labels = [
        f"{fmt.as_on(r.as_of_date)}<br>{source_domain(r.source_url)}"
        for r in reports.itertuples(index=False)
    ]
    colours = ("#009E73", "#E69F00", "#56B4E9", "#CC79A7")
    fig = _base(title, height=440)
    for i, metric in enumerate(metrics):
        values = reports[metric]
        fig.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=METRICS[metric].label,
                marker={"color": colours[i % len(colours)]},
                text=[fmt.count(v) if pd.notna(v) else "" for v in values],
                textposition="inside",
                customdata=[fmt.count(v) if pd.notna(v) else "not given" for v in values],
                hovertemplate="<b>%{fullData.name}</b>: %{customdata}<br>%{x}<extra></extra>",
            )
        )
    totals = reports[list(metrics)].sum(axis=1, min_count=1)
    indian_axis(fig, totals.tolist(), "count")
    fig.update_layout(barmode="stack")
    fig.update_yaxes(title_text="Cities (number)")
    fig.update_xaxes(title_text="Report (as on date, source)", type="category")
    return finish(
        fig, source=source_note(reports["source_url"].tolist()), as_of=as_of, synthetic=synthetic
    )


def describe_stage_reports(reports: pd.DataFrame, metrics: Sequence[str]) -> str:
    """Text summary of :func:`stage_reports_chart`, naming the source of each report."""
    if reports.empty:
        return "No report in this data set gives a breakdown by stage."
    parts = []
    for r in reports.itertuples(index=False):
        stages = ", ".join(
            f"{METRICS[m].label} {fmt.count(getattr(r, m))}"
            for m in metrics
            if pd.notna(getattr(r, m))
        )
        parts.append(f"{fmt.as_on(r.as_of_date)} ({source_domain(r.source_url)}): {stages}.")
    return " ".join(parts)


def iccc_timeline_chart(
    cumulative: pd.DataFrame,
    national: pd.DataFrame | None,
    *,
    title: str,
    as_of: pd.Timestamp | None,
    source: str,
    target: float | None = None,
    synthetic: bool = False,
) -> go.Figure:
    """Cities known operational by date from the per-city record (steps: dated reports only,
    and with 'on or before' statements), optionally against the national count."""
    if cumulative.empty and (national is None or national.empty):
        return empty_figure("No city of this selection has an operational ICCC on record.", title)
    fig = _base(title)
    end = pd.Timestamp(as_of) if as_of is not None else None
    values: list[float] = []
    lines = (
        ("reported", "Per city, reported dates", PALETTE[0], "solid"),
        ("with_bounds", "Per city, incl. 'on or before'", PALETTE[1], "dash"),
    )
    for column, name, colour, dash in lines:
        if cumulative.empty:
            break
        x = list(cumulative["as_of_date"])
        y = list(cumulative[column])
        if end is not None and x[-1] < end:
            x, y = [*x, end], [*y, y[-1]]
        values += y
        fig.add_trace(
            go.Scatter(
                x=x,
                y=y,
                name=name,
                mode="lines",
                line={"shape": "hv", "color": colour, "width": 2.5, "dash": dash},
                customdata=[[fmt.count(v), fmt.as_on(d)] for v, d in zip(y, x, strict=True)],
                hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} cities by "
                "%{customdata[1]}<extra></extra>",
            )
        )
    if national is not None and not national.empty:
        rows = national.sort_values("as_of_date")
        values += rows["value"].tolist()
        fig.add_trace(
            go.Scatter(
                x=rows["as_of_date"],
                y=rows["value"],
                name="National count",
                mode="markers+lines",
                line={"color": PALETTE[2], "width": 1.5, "dash": "dot"},
                marker={"size": 8, "color": PALETTE[2]},
                customdata=list(
                    zip(
                        [fmt.count(v) for v in rows["value"]],
                        [fmt.as_on(d) for d in rows["as_of_date"]],
                        rows["source_url"].astype(str),
                        strict=True,
                    )
                ),
                hovertemplate="<b>National count</b><br>%{customdata[0]} as on "
                "%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            )
        )
    if target is not None:
        values.append(target)
        fig.add_hline(
            y=target, line_dash="dash", line_color="#52606d", annotation_text=f"{target:g} cities"
        )
    indian_axis(fig, values, "count")
    fig.update_layout(margin={"t": 95})  # room for a legend that wraps on narrow screens
    fig.update_yaxes(title_text="Cities with an operational ICCC (number)")
    fig.update_xaxes(title_text="Date")
    return finish(fig, source=source, as_of=as_of, synthetic=synthetic)


def describe_iccc_timeline(cumulative: pd.DataFrame, national: pd.DataFrame | None) -> str:
    """Text summary of :func:`iccc_timeline_chart`."""
    parts = []
    if not cumulative.empty:
        last = cumulative.iloc[-1]
        dated = cumulative[cumulative["reported"] > 0]
        first = (
            f"the first dated report is {fmt.as_on(dated.iloc[0]['as_of_date'])} "
            f"({fmt.count(dated.iloc[0]['reported'])} "
            f"{'city' if dated.iloc[0]['reported'] == 1 else 'cities'})"
            if len(dated)
            else "no city has a reported date"
        )
        parts.append(
            f"Per-city record: {fmt.count(last['reported'])} cities with a reported date and "
            f"{fmt.count(last['with_bounds'])} including 'on or before' statements by "
            f"{fmt.as_on(last['as_of_date'])}; {first}."
        )
    else:
        parts.append("No city of this selection has an operational ICCC on record.")
    if national is not None and not national.empty:
        parts.append(describe_series(national, ["iccc_operational_count"]))
    return " ".join(parts)


def rates_chart(
    rates: pd.DataFrame,
    *,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
) -> go.Figure:
    """Percentages over time, one line per ratio (columns of :func:`metrics.ratio_series`)."""
    if rates.empty:
        return empty_figure("No date has both figures of a ratio for this selection.", title)
    fig = _base(title, height=380)
    for i, (_, rows) in enumerate(rates.groupby("key", sort=False)):
        rows = rows.sort_values("as_of_date")
        fig.add_trace(
            go.Scatter(
                x=rows["as_of_date"],
                y=rows["value"],
                name=rows["label"].iloc[0],
                mode="lines+markers",
                line={"color": PALETTE[(i + 2) % len(PALETTE)], "width": 2.5},
                marker={"size": 7},
                customdata=list(
                    zip(
                        [fmt.pct(v, 1) for v in rows["value"]],
                        [fmt.as_on(d) for d in rows["as_of_date"]],
                        [fmt.group(v) for v in rows["numerator"]],
                        [fmt.group(v) for v in rows["denominator"]],
                        strict=True,
                    )
                ),
                hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} as on "
                "%{customdata[1]}<br>(%{customdata[2]} of %{customdata[3]})<extra></extra>",
            )
        )
    top = max(100.0, float(rates["value"].max()))
    ticks = fmt.nice_ticks(0, top)
    fig.update_yaxes(
        title_text="per cent",
        tickvals=ticks,
        ticktext=[fmt.pct(t) for t in ticks],
        range=[0, top * 1.05],
    )
    fig.update_xaxes(title_text="As on date")
    return finish(fig, source=source, as_of=as_of, synthetic=synthetic)


def anchor_note(fig: go.Figure, offset_px: int = 62) -> go.Figure:
    """Pin the source/date note a fixed distance below the plot, in pixels.

    :func:`finish` places it at a fraction of the plot height, which overlaps the axis title on
    short charts and falls outside the margin on tall ones (bar charts of many areas).
    """
    for note in fig.layout.annotations:
        text = note.text or ""
        if note.yref == "paper" and (text.startswith("Source:") or text.startswith(SYNTHETIC_MARK)):
            note.update(y=0, yshift=-offset_px, yanchor="top")
    bottom = fig.layout.margin.b or 0
    if bottom < offset_px + 30:
        fig.update_layout(margin={"b": offset_px + 30})
    return fig
