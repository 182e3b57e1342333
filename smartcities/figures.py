"""Chart builders: pure functions from DataFrames to plotly Figures, with one look.

Every figure has a title, units in its axis titles, the "as on" date and a source note, uses the
Okabe-Ito colour-blind-safe palette, and shows numbers in Indian format. Plotly's d3 formats
cannot group digits 3-then-2, so tick text is pre-formatted (:func:`fmt.tick_labels`) and hover
text is passed through ``customdata``. Each builder has a companion text summary for screen
readers (:func:`describe_series` and friends).

Figures are assembled as plain dicts (:class:`Spec`) and wrapped once in a ``go.Figure``
without plotly's per-property validation: building through ``update_layout``/``add_trace``
validated and deep-copied every property on every call, 15-25 ms a chart and most of a page's
rerun time (benchmarks/RESULTS.md). The test suite turns validation back on
(``SMARTCITIES_VALIDATE_FIGURES=1``) so a misspelt property still fails a test.
"""

from __future__ import annotations

import html
import os
import re
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from smartcities import checks, fmt
from smartcities.i18n import DEFAULT_LANG, LANGS, N_, gettext
from smartcities.provenance import source_domain
from smartcities.safe import plain
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
SYNTHETIC_MARK = N_("SYNTHETIC DATA: not real figures")
NOTE_COLOUR = "#52606d"
VALIDATE_ENV = "SMARTCITIES_VALIDATE_FIGURES"
_GRID = "#e4e7eb"
# A small template of our own. Plotly's named templates ("plotly_white") are large and are
# deep-copied and re-validated for every figure.
_AXIS_LOOK = {"gridcolor": _GRID, "linecolor": _GRID, "zerolinecolor": _GRID, "ticks": ""}
_TEMPLATE: dict[str, Any] = {
    "layout": {
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "xaxis": _AXIS_LOOK,
        "yaxis": _AXIS_LOOK,
        "hovermode": "closest",
    }
}
NOTE_OFFSET_PX = 62


def merge(into: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    """Merge ``update`` into ``into`` in place, recursing into nested dicts (as plotly's
    ``update_layout`` does): ``{"margin": {"t": 95}}`` changes the top margin only."""
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            merge(into[key], value)
        else:
            into[key] = value
    return into


def validating() -> bool:
    """Whether figures are validated by plotly (on in the test suite, off when serving)."""
    return os.environ.get(VALIDATE_ENV) == "1"


# What plot_text changes: HTML's specials, controls and bidi overrides, line breaks.
_PLOT_SPECIAL = re.compile(
    "[<>&\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)


class Markup(str):
    """Plotly text holding our own tags (``<br>``, ``<b>``) around values already escaped with
    :func:`plot_text`; every other string placed in a figure is escaped when it is built."""

    __slots__ = ()


def plot_text(value: object) -> str:
    """Text from data for a plotly title, tick, legend, hover or annotation.

    Plotly renders a subset of HTML in all of them (``<a href>`` links, ``<span style>``,
    ``<br>``): escaped, a city name holding a tag shows the tag. Controls and bidi overrides
    go too (:func:`smartcities.safe.plain`)."""
    if isinstance(value, Markup):
        return value
    text = str(value)
    if not _PLOT_SPECIAL.search(text):  # most names: nothing to do (maps escape thousands)
        return text
    return html.escape(plain(text), quote=False)


# Trace and layout properties plotly shows as text; strings in them are escaped by
# _escape_texts unless they are Markup. Templates (hovertemplate) are code, not data.
_TRACE_TEXT = ("name", "text", "hovertext", "customdata", "x", "y", "labels", "legendgrouptitle")


def _escape_value(value: Any) -> Any:
    if isinstance(value, str):
        return plot_text(value)
    if isinstance(value, list | tuple):
        return [_escape_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _escape_value(v) if k == "text" else v for k, v in value.items()}
    return value


def _escape_texts(spec: dict[str, Any]) -> dict[str, Any]:
    """Every text a figure dict shows, escaped for plotly (one pass, when the figure is built)."""
    for trace in spec.get("data", []):
        for key in _TRACE_TEXT:
            if key in trace:
                trace[key] = _escape_value(trace[key])
    layout = spec.get("layout", {})
    for key, part in layout.items():
        if not isinstance(part, dict):
            continue
        if key == "title":
            layout[key] = _escape_value(part)
        elif key.startswith(("xaxis", "yaxis")) or key == "legend":
            if isinstance(part.get("title"), dict):
                part["title"] = _escape_value(part["title"])
            if "ticktext" in part:
                part["ticktext"] = _escape_value(part["ticktext"])
    for note in layout.get("annotations", []):
        if "text" in note:
            note["text"] = _escape_value(note["text"])
    return spec


def to_figure(spec: dict[str, Any]) -> go.Figure:
    """Wrap a ``{"data": [...], "layout": {...}}`` dict in a Figure, validating only in tests."""
    return go.Figure(spec, _validate=validating())


class Spec:
    """A figure under construction, as the plain dicts plotly.js reads."""

    def __init__(self, title: str, height: int = 420) -> None:
        self.data: list[dict[str, Any]] = []
        self.layout: dict[str, Any] = {
            "title": {"text": title, "x": 0.0, "xanchor": "left", "font": {"size": 17}},
            "font": {"family": FONT, "size": 13, "color": "#1f2933"},
            "template": _TEMPLATE,
            "height": height,
            "margin": {"l": 70, "r": 30, "t": 70, "b": 90},
            "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0.0},
            "hoverlabel": {"font": {"family": FONT}},
            "colorway": list(PALETTE),
        }

    def trace(self, kind: str, **props: Any) -> None:
        self.data.append({"type": kind, **props})

    def update(self, **layout: Any) -> None:
        merge(self.layout, layout)

    def axis(self, name: str, title: str | None = None, **props: Any) -> None:
        """Set properties of ``xaxis`` or ``yaxis``; ``title`` is the axis title text."""
        if title is not None:
            props["title"] = {"text": title}
        merge(self.layout.setdefault(name, {}), props)

    def annotate(self, **props: Any) -> None:
        self.layout.setdefault("annotations", []).append(props)

    def shapes(self, shapes: Iterable[dict[str, Any]]) -> None:
        self.layout.setdefault("shapes", []).extend(shapes)

    def hline(self, y: float, text: str, *, left: bool) -> None:
        """A dashed reference line across the plot with a label above it (a target)."""
        self.shapes(
            [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "yref": "y",
                    "y0": y,
                    "y1": y,
                    "line": {"dash": "dash", "color": NOTE_COLOUR},
                }
            ]
        )
        self.annotate(
            text=text,
            xref="paper",
            x=0 if left else 1,
            xanchor="left" if left else "right",
            yref="y",
            y=y,
            yanchor="bottom",
            showarrow=False,
        )

    def figure(self) -> go.Figure:
        return to_figure(_escape_texts({"data": self.data, "layout": self.layout}))

    def finish(
        self,
        *,
        source: str,
        as_of: pd.Timestamp | None,
        synthetic: bool = False,
        lang: str = DEFAULT_LANG,
    ) -> go.Figure:
        """Add the source/date note under the plot (and the synthetic watermark), then build."""
        _ = gettext(lang)
        note = _("Source: {source}. Figures as on {date}.").format(
            source=source, date=fmt.as_on(as_of, lang)
        )
        if synthetic:
            note = f"{synthetic_mark(lang)}. " + note
            self.annotate(**_WATERMARK)
            self.layout["title"]["text"] = synthetic_title(self.layout["title"]["text"], lang)
        # Pinned in pixels below the plot: a paper fraction drifts into the axis title on
        # short charts and out of the figure on tall ones.
        self.annotate(text=note, **_NOTE_PLACE)
        self.layout["margin"]["b"] = max(self.layout["margin"].get("b", 0), NOTE_OFFSET_PX + 30)
        return self.figure()


def synthetic_mark(lang: str = DEFAULT_LANG) -> str:
    """The note's first words on a synthetic data set's chart, in ``lang``."""
    return gettext(lang)(SYNTHETIC_MARK)


def synthetic_title(title: str, lang: str = DEFAULT_LANG) -> str:
    """A synthetic data set's chart title: '[SYNTHETIC] …' (in Hindi the English word stays
    beside the Hindi one, as docs/glossary-hi.md fixes)."""
    _ = gettext(lang)
    return _("[SYNTHETIC] {title}").format(title=title)


# The watermark stays the English word in every language (docs/glossary-hi.md): one label a
# reader of either language recognises, and short enough for the plot's middle.
_WATERMARK = {
    "text": "SYNTHETIC",
    "xref": "paper",
    "yref": "paper",
    "x": 0.5,
    "y": 0.5,
    "showarrow": False,
    "font": {"size": 56, "color": "rgba(213,94,0,0.16)"},
}
_NOTE_PLACE = {
    "xref": "paper",
    "yref": "paper",
    "x": 0,
    "y": 0,
    "yshift": -NOTE_OFFSET_PX,
    "xanchor": "left",
    "yanchor": "top",
    "showarrow": False,
    "font": {"size": 11, "color": NOTE_COLOUR},
    "align": "left",
}


def _base(title: str, height: int = 420) -> go.Figure:
    """An empty figure with the common look, for builders that still add to a Figure.

    The title is escaped here; what the builder adds must be escaped with :func:`plot_text`."""
    return Spec(title, height).figure()


def finish(
    fig: go.Figure,
    *,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Add the source/date note under the plot, and the synthetic watermark where it applies."""
    # A Figure (maps, boundaries) escapes its data text where it is built; the note and title
    # are escaped here.
    _ = gettext(lang)
    note = plot_text(
        _("Source: {source}. Figures as on {date}.").format(
            source=source, date=fmt.as_on(as_of, lang)
        )
    )
    if synthetic:
        note = f"{synthetic_mark(lang)}. " + note
        fig.add_annotation(**_WATERMARK)
        fig.update_layout(title_text=synthetic_title(fig.layout.title.text or "", lang))
    fig.add_annotation(text=note, **_NOTE_PLACE)
    return anchor_note(fig)


def _ticks(values: Iterable[float], unit: str, lang: str = DEFAULT_LANG) -> dict[str, Any]:
    """Pre-formatted Indian tick labels for a value axis (empty when there are no values); the
    unit word ("cr") in ``lang``."""
    vals = [float(v) for v in values if pd.notna(v)]
    if not vals:
        return {}
    ticks = fmt.nice_ticks(min(vals), max(vals))
    return {
        "tickvals": ticks,
        "ticktext": fmt.tick_labels(ticks, unit, lang),
        "rangemode": "tozero",
    }


def indian_axis(
    fig: go.Figure, values: Sequence[float], unit: str, axis: str = "y", lang: str = DEFAULT_LANG
) -> None:
    """Pre-formatted Indian tick labels on a value axis of a Figure (the projects breakdown)."""
    update = _ticks(values, unit, lang)
    if update:
        (fig.update_yaxes if axis == "y" else fig.update_xaxes)(**update)


def empty_figure(message: str, title: str = "") -> go.Figure:
    """A figure that says why there is nothing to draw (never a blank chart)."""
    spec = Spec(title, height=260)
    spec.annotate(
        text=message,
        x=0.5,
        y=0.5,
        xref="paper",
        yref="paper",
        showarrow=False,
        font={"size": 15, "color": NOTE_COLOUR},
    )
    spec.axis("xaxis", visible=False)
    spec.axis("yaxis", visible=False)
    return spec.figure()


def _dates(values: Iterable[object]) -> list[str]:
    return [fmt.as_on(d) for d in values]


def _dated(rows: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[str]:
    """Each row's date with its basis ('as on …', 'on or before …'), for hover text."""
    bases = rows["date_basis"] if "date_basis" in rows else [None] * len(rows)
    return [fmt.dated(d, b, lang) for d, b in zip(rows["as_of_date"], bases, strict=True)]


FALL_COLOUR = "#D55E00"


def _falls(
    spec: Spec, data: pd.DataFrame, metrics: Sequence[str], lang: str = DEFAULT_LANG
) -> pd.DataFrame:
    """Mark where a running total fell between two reports (see :mod:`smartcities.checks`)."""
    _ = gettext(lang)
    keyed = data.assign(level=data.get("level", "area"), area_id=data.get("area_id", "area"))
    found = checks.falls(keyed[keyed["metric"].isin(metrics)])
    if found.empty:
        return found
    spec.trace(
        "scatter",
        x=found["as_of_date"].tolist(),
        y=found["value"].tolist(),
        mode="markers",
        name=_("Fell since the previous report"),
        marker={"symbol": "x", "size": 13, "color": FALL_COLOUR, "line": {"width": 1}},
        customdata=[
            [
                checks.fall_text(r, lang),
                checks.explain_fall(r["prev_source_url"], r["source_url"], lang),
            ]
            for _i, r in found.iterrows()
        ],
        hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
    )
    return found


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
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Lines over time for metrics of one unit (columns: as_of_date, metric, value, source_url);
    legend, axes, hover text and note in ``lang`` (the title is the caller's)."""
    _ = gettext(lang)
    data = series[series["metric"].isin(metrics)]
    if data.empty:
        return empty_figure(_("No figures reported for this selection."), title)
    unit = METRICS[metrics[0]].unit
    spec = Spec(title)
    for i, metric in enumerate(metrics):
        rows = data[data["metric"] == metric].sort_values("as_of_date")
        if rows.empty:
            continue
        values = rows["value"].tolist()
        spec.trace(
            "scatter",
            x=rows["as_of_date"].tolist(),
            y=values,
            name=_(METRICS[metric].label),
            mode="lines+markers",
            line={"color": PALETTE[i % len(PALETTE)], "width": 2.5},
            marker={"size": 7},
            customdata=list(
                zip(
                    [fmt.value(v, unit, lang) for v in values],
                    _dated(rows, lang),
                    rows["source_url"].astype(str).tolist(),
                    strict=True,
                )
            ),
            hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} "
            "%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        )
    _falls(spec, data, metrics, lang)
    values = data["value"].tolist() + ([target] if target is not None else [])
    spec.axis(
        "yaxis", title=unit_label(metric_unit_label(metrics[0]), lang), **_ticks(values, unit, lang)
    )
    spec.axis("xaxis", title=_("As on date"))
    if target is not None:
        spec.hline(target, target_label, left=True)
    if events is not None and not events.empty:
        _events(spec, events, lang)
    return spec.finish(source=source, as_of=as_of, synthetic=synthetic, lang=lang)


# Unit words of axis titles (schema.metric_unit_label), for the catalog.
_UNIT_WORDS = (N_("₹ crore"), N_("number"), N_("yes/no"), N_("rank (1 = best)"))


def unit_label(text: str, lang: str = DEFAULT_LANG) -> str:
    """An axis unit ("₹ crore", "number") in ``lang``."""
    return gettext(lang)(text)


def _events(spec: Spec, events: pd.DataFrame, lang: str = DEFAULT_LANG) -> None:
    """Mark mission events on the time axis: dotted lines with hover text (the events' own
    text is the data's)."""
    _ = gettext(lang)
    dates = events["event_date"].tolist()
    spec.shapes(
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
        for d in dates
    )
    spec.trace(
        "scatter",
        x=dates,
        y=[0] * len(dates),
        mode="markers",
        marker={"symbol": "triangle-up", "size": 10, "color": NOTE_COLOUR},
        name=_("Mission events"),
        customdata=list(
            zip(
                [fmt.as_on(d, lang) for d in dates],
                events["event"].astype(str).tolist(),
                strict=True,
            )
        ),
        hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
    )


def funnel_chart(
    latest: pd.DataFrame,
    *,
    unit: str,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Tendered -> work orders -> completed, in count or ₹ crore, with conversion rates (stage
    names, values, axis and note in ``lang``)."""
    _ = gettext(lang)
    suffix = "_inr_crore" if unit == "inr_crore" else "_count"
    stages = [
        ("projects_tendered" + suffix, _("Tendered")),
        ("work_orders_issued" + suffix, _("Work orders issued")),
        ("projects_completed" + suffix, _("Completed")),
    ]
    by_metric = latest.set_index("metric")["value"] if not latest.empty else pd.Series()
    names, values, text = [], [], []
    previous = None
    for metric, name in stages:
        v = by_metric.get(metric)
        if v is None or pd.isna(v):
            continue
        rate = (
            ""
            if previous in (None, 0)
            else " (" + _("{pct} of previous").format(pct=fmt.pct(100 * v / previous)) + ")"
        )
        names.append(name)
        values.append(float(v))
        text.append(fmt.value(v, unit, lang) + rate)
        previous = v
    if not values:
        return empty_figure(_("No stage figures reported for this selection."), title)
    spec = Spec(title, height=340)
    spec.trace(
        "bar",
        y=names,
        x=values,
        orientation="h",
        marker={"color": ["#56B4E9", "#E69F00", "#009E73"][: len(values)]},
        text=text,
        textposition="auto",
        customdata=text,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    spec.axis("yaxis", autorange="reversed")
    spec.axis(
        "xaxis",
        title=unit_label(metric_unit_label(stages[0][0]), lang),
        **_ticks(values, unit, lang),
    )
    return spec.finish(source=source, as_of=as_of, synthetic=synthetic, lang=lang)


def bar_by_area(
    frame: pd.DataFrame,
    *,
    metric: str,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    max_bars: int = 40,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Horizontal bars of one metric per area (columns: area_name, value, as_of_date); the
    area names are the caller's, the rest in ``lang``."""
    _ = gettext(lang)
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False).head(max_bars)
    if data.empty:
        return empty_figure(_("No figures reported for this selection."), title)
    unit = METRICS[metric].unit
    values = data["value"].tolist()
    spec = Spec(title, height=max(300, 26 * len(data) + 140))
    spec.trace(
        "bar",
        y=data["area_name"].astype(str).tolist(),
        x=values,
        orientation="h",
        marker={"color": PALETTE[0]},
        customdata=list(
            zip([fmt.value(v, unit, lang) for v in values], _dated(data, lang), strict=True)
        ),
        hovertemplate="<b>%{y}</b><br>%{customdata[0]} %{customdata[1]}<extra></extra>",
    )
    spec.axis("yaxis", autorange="reversed")
    spec.axis(
        "xaxis",
        title=f"{_(METRICS[metric].label)} ({unit_label(metric_unit_label(metric), lang)})",
        **_ticks(values, unit, lang),
    )
    return spec.finish(source=source, as_of=as_of, synthetic=synthetic, lang=lang)


def describe_series(series: pd.DataFrame, metrics: Sequence[str], lang: str = DEFAULT_LANG) -> str:
    """One-paragraph text summary of a time-series chart, for screen readers."""
    _ = gettext(lang)
    parts = []
    for metric in metrics:
        rows = series[series["metric"] == metric].sort_values("as_of_date")
        if rows.empty:
            continue
        unit = METRICS[metric].unit
        first, last = rows.iloc[0], rows.iloc[-1]
        label = _(METRICS[metric].label)
        parts.append(
            _("{label}: {first} {first_date}, {last} {last_date} ({n} reported dates).").format(
                label=label,
                first=fmt.value(first["value"], unit, lang),
                first_date=fmt.dated(first["as_of_date"], first.get("date_basis"), lang),
                last=fmt.value(last["value"], unit, lang),
                last_date=fmt.dated(last["as_of_date"], last.get("date_basis"), lang),
                n=len(rows),
            )
        )
        keyed = rows.assign(level="area", area_id=rows.get("area_id", "area"))
        for _row, fall in checks.falls(keyed).iterrows():
            text = checks.fall_text(fall, lang)
            parts.append(_("{label} fell: {text}").format(label=label, text=text))
    return " ".join(parts) or _("No figures reported for this selection.")


def describe_bars(frame: pd.DataFrame, metric: str, lang: str = DEFAULT_LANG) -> str:
    """Text summary of a bar chart: highest and lowest areas."""
    _ = gettext(lang)
    data = frame.dropna(subset=["value"]).sort_values("value", ascending=False)
    if data.empty:
        return _("No figures reported for this selection.")
    unit = METRICS[metric].unit
    top, low = data.iloc[0], data.iloc[-1]
    text = _("{label} for {n} areas. Highest: {top} ({top_value}); lowest: {low} ({low_value}).")
    return text.format(
        label=_(METRICS[metric].label),
        n=len(data),
        top=top["area_name"],
        top_value=fmt.value(top["value"], unit, lang),
        low=low["area_name"],
        low_value=fmt.value(low["value"], unit, lang),
    )


def bar_counts(
    frame: pd.DataFrame,
    column: str,
    *,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Bars counting rows per category (e.g. cities per exception reason); the rows' text is
    the caller's, in ``lang``."""
    _ = gettext(lang)
    counts = frame[column].value_counts()
    if counts.empty:
        return empty_figure(_("Nothing to count for this selection."), title)
    values = counts.to_numpy().tolist()
    spec = Spec(title, height=max(240, 60 * len(counts) + 130))
    spec.trace(
        "bar",
        y=[str(k) for k in counts.index],
        x=values,
        orientation="h",
        marker={"color": PALETTE[3]},
        text=[fmt.count(v) for v in values],
        textposition="auto",
        hovertemplate="%{y}: %{text} " + _("cities") + "<extra></extra>",
    )
    spec.axis("yaxis", autorange="reversed")
    spec.axis("xaxis", title=_("Cities (number)"), **_ticks(values, "count"))
    return spec.finish(source=source, as_of=as_of, synthetic=synthetic, lang=lang)


def describe_counts(frame: pd.DataFrame, column: str, lang: str = DEFAULT_LANG) -> str:
    """Text summary of :func:`bar_counts`."""
    _ = gettext(lang)
    counts = frame[column].value_counts()
    line = _("{what}: {n} cities")
    return "; ".join(line.format(what=k, n=fmt.count(v)) for k, v in counts.items()) or _(
        "Nothing."
    )


# ---------------------------------------------------------------- ICCC and progress pages


def source_note(urls: Iterable[object], limit: int = 3, lang: str = DEFAULT_LANG) -> str:
    """The source line of a chart: the distinct web domains behind it, most used first."""
    _ = gettext(lang)
    domains = pd.Series([source_domain(u) for u in urls if isinstance(u, str) and u])
    if domains.empty:
        return _("no source given")
    top = domains.value_counts().index.tolist()
    text = ", ".join(top[:limit])
    if len(top) > limit:
        text += " " + _("and {n} more").format(n=len(top) - limit)
    return text


def add_alternatives(
    fig: go.Figure,
    alternatives: pd.DataFrame,
    metrics: Sequence[str],
    lang: str = DEFAULT_LANG,
) -> None:
    """Hollow markers for figures that another source reported for the same date (drawn beside
    the line, which follows the first source), so a disagreement is visible, not hidden."""
    _ = gettext(lang)
    traces = []
    for i, metric in enumerate(metrics):
        rows = alternatives[alternatives["metric"] == metric] if len(alternatives) else alternatives
        if rows.empty:
            continue
        unit = METRICS[metric].unit
        values = rows["value"].tolist()
        traces.append(
            {
                "type": "scatter",
                "x": rows["as_of_date"].tolist(),
                "y": values,
                "mode": "markers",
                "name": plot_text(
                    _("{label}: another source").format(label=_(METRICS[metric].label))
                ),
                "marker": {
                    "symbol": "diamond-open",
                    "size": 12,
                    "line": {"width": 2},
                    "color": PALETTE[i % len(PALETTE)],
                },
                "customdata": list(
                    zip(
                        [fmt.value(v, unit, lang) for v in values],
                        [fmt.dated(d, "as_on", lang) for d in rows["as_of_date"]],
                        [plot_text(u) for u in rows["source_url"].astype(str)],
                        strict=True,
                    )
                ),
                "hovertemplate": "<b>%{fullData.name}</b><br>%{customdata[0]} "
                "%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
            }
        )
    if traces:
        fig.add_traces(traces)


def stage_reports_chart(
    reports: pd.DataFrame,
    metrics: Sequence[str],
    *,
    title: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Stacked bars, one per report (date and source), of the stages it gives, so two sources
    for one date stand side by side (columns: as_of_date, source_url, one per metric)."""
    _ = gettext(lang)
    if reports.empty:
        return empty_figure(_("No report in this data set gives a breakdown by stage."), title)
    labels = [
        Markup(f"{fmt.as_on(r.as_of_date, lang)}<br>{plot_text(source_domain(r.source_url))}")
        for r in reports.itertuples(index=False)
    ]
    colours = ("#009E73", "#E69F00", "#56B4E9", "#CC79A7")
    spec = Spec(title, height=440)
    for i, metric in enumerate(metrics):
        values = reports[metric].tolist()
        spec.trace(
            "bar",
            x=labels,
            y=[None if pd.isna(v) else v for v in values],
            name=_(METRICS[metric].label),
            marker={"color": colours[i % len(colours)]},
            text=[fmt.count(v) if pd.notna(v) else "" for v in values],
            textposition="inside",
            customdata=[fmt.count(v) if pd.notna(v) else _("not given") for v in values],
            hovertemplate="<b>%{fullData.name}</b>: %{customdata}<br>%{x}<extra></extra>",
        )
    totals = reports[list(metrics)].sum(axis=1, min_count=1)
    spec.update(barmode="stack")
    spec.axis("yaxis", title=_("Cities (number)"), **_ticks(totals.tolist(), "count"))
    spec.axis("xaxis", title=_("Report (as on date, source)"), type="category")
    return spec.finish(
        source=source_note(reports["source_url"].tolist(), lang=lang),
        as_of=as_of,
        synthetic=synthetic,
        lang=lang,
    )


def describe_stage_reports(
    reports: pd.DataFrame, metrics: Sequence[str], lang: str = DEFAULT_LANG
) -> str:
    """Text summary of :func:`stage_reports_chart`, naming the source of each report."""
    _ = gettext(lang)
    if reports.empty:
        return _("No report in this data set gives a breakdown by stage.")
    parts = []
    for r in reports.itertuples(index=False):
        stages = ", ".join(
            f"{_(METRICS[m].label)} {fmt.count(getattr(r, m))}"
            for m in metrics
            if pd.notna(getattr(r, m))
        )
        parts.append(
            f"{fmt.as_on(r.as_of_date, lang)} ({source_domain(r.source_url)}): {stages}."
            if lang == DEFAULT_LANG
            else f"{fmt.as_on(r.as_of_date, lang)} ({source_domain(r.source_url)}): {stages}।"
        )
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
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Cities known operational by date from the per-city record (steps: dated reports only,
    and with 'on or before' statements), optionally against the national count."""
    _ = gettext(lang)
    if cumulative.empty and (national is None or national.empty):
        return empty_figure(
            _("No city of this selection has an operational ICCC on record."), title
        )
    spec = Spec(title)
    end = pd.Timestamp(as_of) if as_of is not None else None
    values: list[float] = []
    lines = (
        ("reported", _("Per city, reported dates"), PALETTE[0], "solid"),
        ("with_bounds", _("Per city, incl. 'on or before'"), PALETTE[1], "dash"),
    )
    for column, name, colour, dash in lines:
        if cumulative.empty:
            break
        x = list(cumulative["as_of_date"])
        y = cumulative[column].tolist()
        if end is not None and x[-1] < end:
            x, y = [*x, end], [*y, y[-1]]
        values += y
        spec.trace(
            "scatter",
            x=x,
            y=y,
            name=name,
            mode="lines",
            line={"shape": "hv", "color": colour, "width": 2.5, "dash": dash},
            customdata=[
                _("{n} cities by {date}").format(n=fmt.count(v), date=fmt.as_on(d, lang))
                for v, d in zip(y, x, strict=True)
            ],
            hovertemplate="<b>%{fullData.name}</b><br>%{customdata}<extra></extra>",
        )
    if national is not None and not national.empty:
        rows = national.sort_values("as_of_date")
        counts = rows["value"].tolist()
        values += counts
        spec.trace(
            "scatter",
            x=rows["as_of_date"].tolist(),
            y=counts,
            name=_("National count"),
            mode="markers+lines",
            line={"color": PALETTE[2], "width": 1.5, "dash": "dot"},
            marker={"size": 8, "color": PALETTE[2]},
            customdata=list(
                zip(
                    [fmt.count(v) for v in counts],
                    [fmt.dated(d, "as_on", lang) for d in rows["as_of_date"]],
                    rows["source_url"].astype(str).tolist(),
                    strict=True,
                )
            ),
            hovertemplate="<b>%{fullData.name}</b><br>%{customdata[0]} "
            "%{customdata[1]}<br>%{customdata[2]}<extra></extra>",
        )
    if target is not None:
        values.append(target)
        spec.hline(target, _("{n} cities").format(n=f"{target:g}"), left=False)
    spec.update(margin={"t": 95})  # room for a legend that wraps on narrow screens
    spec.axis(
        "yaxis", title=_("Cities with an operational ICCC (number)"), **_ticks(values, "count")
    )
    spec.axis("xaxis", title=_("Date"))
    return spec.finish(source=source, as_of=as_of, synthetic=synthetic, lang=lang)


def describe_iccc_timeline(
    cumulative: pd.DataFrame, national: pd.DataFrame | None, lang: str = DEFAULT_LANG
) -> str:
    """Text summary of :func:`iccc_timeline_chart`."""
    if lang != DEFAULT_LANG:
        return _describe_iccc_timeline_in(cumulative, national, lang)
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


def _describe_iccc_timeline_in(
    cumulative: pd.DataFrame, national: pd.DataFrame | None, lang: str
) -> str:
    """:func:`describe_iccc_timeline` in another language (whole sentences from the catalog)."""
    _ = gettext(lang)
    parts = []
    if not cumulative.empty:
        last = cumulative.iloc[-1]
        dated = cumulative[cumulative["reported"] > 0]
        first = (
            _("the first dated report is {date} ({n} cities)").format(
                date=fmt.as_on(dated.iloc[0]["as_of_date"], lang),
                n=fmt.count(dated.iloc[0]["reported"]),
            )
            if len(dated)
            else _("no city has a reported date")
        )
        parts.append(
            _(
                "Per-city record: {reported} cities with a reported date and {bounded} "
                "including 'on or before' statements by {date}; {first}."
            ).format(
                reported=fmt.count(last["reported"]),
                bounded=fmt.count(last["with_bounds"]),
                date=fmt.as_on(last["as_of_date"], lang),
                first=first,
            )
        )
    else:
        parts.append(_("No city of this selection has an operational ICCC on record."))
    if national is not None and not national.empty:
        parts.append(describe_series(national, ["iccc_operational_count"], lang))
    return " ".join(parts)


def rates_chart(
    rates: pd.DataFrame,
    *,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Percentages over time, one line per ratio (columns of :func:`metrics.ratio_series`; its
    labels are the caller's, the axes, hover and note in ``lang``)."""
    _ = gettext(lang)
    if rates.empty:
        return empty_figure(_("No date has both figures of a ratio for this selection."), title)
    spec = Spec(title, height=380)
    hover = _("{value} as on {date}<br>({numerator} of {denominator})").format(
        value="%{customdata[0]}",
        date="%{customdata[1]}",
        numerator="%{customdata[2]}",
        denominator="%{customdata[3]}",
    )
    for i, (_key, rows) in enumerate(rates.groupby("key", sort=False)):
        rows = rows.sort_values("as_of_date")
        values = rows["value"].tolist()
        spec.trace(
            "scatter",
            x=rows["as_of_date"].tolist(),
            y=values,
            name=str(rows["label"].iloc[0]),
            mode="lines+markers",
            line={"color": PALETTE[(i + 2) % len(PALETTE)], "width": 2.5},
            marker={"size": 7},
            customdata=list(
                zip(
                    [fmt.pct(v, 1) for v in values],
                    [fmt.as_on(d, lang) for d in rows["as_of_date"]],
                    [fmt.group(v) for v in rows["numerator"]],
                    [fmt.group(v) for v in rows["denominator"]],
                    strict=True,
                )
            ),
            hovertemplate="<b>%{fullData.name}</b><br>" + hover + "<extra></extra>",
        )
    top = max(100.0, float(rates["value"].max()))
    ticks = fmt.nice_ticks(0, top)
    spec.axis(
        "yaxis",
        title=_("per cent"),
        tickvals=ticks,
        ticktext=[fmt.pct(t) for t in ticks],
        range=[0, top * 1.05],
    )
    spec.axis("xaxis", title=_("As on date"))
    return spec.finish(source=source, as_of=as_of, synthetic=synthetic, lang=lang)


# How the source/date note under a chart begins, in every language (it is pinned below).
NOTE_HEADS = (
    *{synthetic_mark(lang) for lang in LANGS},
    *{gettext(lang)("Source: {source}. Figures as on {date}.").split("{")[0] for lang in LANGS},
)


def anchor_note(fig: go.Figure, offset_px: int = NOTE_OFFSET_PX) -> go.Figure:
    """Pin the source/date note of a Figure a fixed distance below the plot, in pixels.

    A note at a fraction of the plot height overlaps the axis title on short charts and falls
    outside the margin on tall ones (bar charts of many areas).
    """
    for note in fig.layout.annotations:
        text = note.text or ""
        if note.yref == "paper" and text.startswith(NOTE_HEADS):
            note.update(y=0, yshift=-offset_px, yanchor="top")
    bottom = fig.layout.margin.b or 0
    if bottom < offset_px + 30:
        fig.update_layout(margin={"b": offset_px + 30})
    return fig
