"""Maps that work with no internet: the cities as points, the states as a tile grid or polygons.

Plotly's geographic traces (``Scattergeo``, ``Choropleth``) fetch their coastlines and country
shapes from a CDN when the chart is viewed, and street tiles come from a tile server, so an
office without internet (or behind a strict proxy) would see an empty map. The default maps here
are therefore plain cartesian charts in longitude/latitude: the browser needs only the
plotly.js that Streamlit itself serves. Street tiles (``go.Scattermap``, MapLibre) are an
opt-in online mode.

The default map draws India's outline and its 36 states/UTs from the boundaries bundled in
``data/boundaries/`` (read once per process by :func:`smartcities.boundaries.bundled_shapes`
and handed in as :class:`IndiaShapes`) as filled lon/lat shapes, neutral or shaded by a state
measure, with the cities on top; the small UTs get a clickable ring. A user's own boundary file
replaces them (reading one and the choropleth drawn from it live in
:mod:`smartcities.boundaries`). Every map carries the note that its boundaries are indicative,
naming their source. The equal-area tile grid remains, in which small UTs with Smart Cities
(Chandigarh, Puducherry, Lakshadweep ...) are as visible as the large states. The City
profile's locator (:func:`locator_figure`) is drawn from the same shapes.

The city map and the locator are assembled as plain dicts (:class:`figures.Spec`), like the
charts, because plotly's per-property validation was most of the map page's run time.

What a map can show (the measures, their labels and units) is :mod:`smartcities.map_measures`;
the map page's queries and URL options are :mod:`smartcities.map_view`. Everything here is
pure (DataFrames in, plotly Figures out) and has no streamlit import.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.colors import sample_colorscale

from smartcities import figures, fmt
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.map_measures import (
    AS_OF,
    BASIS,
    CITY_CATEGORICAL,
    NO_DATA,
    NOT_KNOWN,
    STAGE_LABELS,
    city_values,
    hover_value,
    hover_values,
    measure_label,
    measure_unit,
    state_label,
    state_metric,
)
from smartcities.names import slugify
from smartcities.schema import ICCC_STAGES, ROUNDS

DISCLAIMER = N_(
    "Boundaries are indicative and do not purport to be the official boundaries of India."
)
LOCATION_NOTE = N_("City locations are indicative (city centres).")
TILE_NOTE = N_(
    "Each state/UT is one equal square placed roughly where it lies; this is not a boundary map."
)
NO_DATA_COLOUR = "#999999"
NO_DATA_TILE = "#E4E7EB"
CONTINUOUS_SCALE = "Cividis"  # perceptually uniform and readable with colour-vision deficiency
WEBGL_THRESHOLD = 1000
INDIA_LON = (67.5, 98.0)
INDIA_LAT = (6.0, 37.6)
ASPECT = 1 / math.cos(math.radians(22))  # at 22°N a degree of longitude is cos 22° as long
NOTE_WIDTH_CHARS = 120  # notes under a map wrap here (plotly does not wrap annotations)

# ---------------------------------------------------------------- city map


def _as_on_text(
    dates: pd.Series,
    prefix: str = "as on ",
    bases: pd.Series | None = None,
    lang: str = DEFAULT_LANG,
) -> list[str]:
    """'(as on 1 Dec 2025)' per value, or with ``bases`` the date's basis ('(on or before 8 Jan
    2026)'); each distinct date (and basis) formatted once (towns share dates). ``prefix``
    "selected " words a selection date."""
    _ = gettext(lang)
    dates = pd.to_datetime(pd.Series(dates)).reset_index(drop=True)
    if bases is None or prefix != "as on ":
        if lang == DEFAULT_LANG:
            text = {d: f"({prefix}{fmt.as_on(d)})" for d in dates.dropna().unique()}
        else:
            word = _("selected {date}") if prefix == "selected " else _("as on {date}")
            text = {d: f"({word.format(date=fmt.as_on(d, lang))})" for d in dates.dropna().unique()}
        return [text[d] if pd.notna(d) else "" for d in dates]
    keys = list(zip(dates, pd.Series(bases).reset_index(drop=True).astype(object), strict=True))
    words = {k: f"({fmt.dated(k[0], k[1], lang)})" for k in set(keys) if pd.notna(k[0])}
    return [words[k] if pd.notna(k[0]) else "" for k in keys]


def _marker_sizes(values: pd.Series | None, n: int) -> np.ndarray:
    """Diameters in pixels, area proportional to the value; constant without values."""
    small, large = (4.0, 18.0) if n > WEBGL_THRESHOLD else (7.0, 30.0)
    constant = np.full(n, small + 3)
    if values is None:
        return constant
    v = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
    top = np.nanmax(np.abs(v)) if np.isfinite(v).any() else 0.0
    if not top:
        return constant
    size = small + (large - small) * np.sqrt(np.clip(v, 0, None) / top)
    return np.where(np.isfinite(size), size, small)


def _categories(data: pd.DataFrame, column: str) -> tuple[pd.Series, list[tuple[str, str, str]]]:
    """Category of every city (NOT_KNOWN when missing) and (key, legend text, colour) in order."""
    if column == "iccc_stage":
        order = [(s, STAGE_LABELS[s], figures.STAGE_COLOURS[s]) for s in ICCC_STAGES]
    elif column == "selection_round":
        extra = sorted(set(data[column].dropna()) - set(ROUNDS))
        order = [
            (r, r, figures.PALETTE[i % len(figures.PALETTE)])
            for i, r in enumerate([*ROUNDS, *extra])
        ]
    else:  # a yes/no flag
        order = [("yes", "Yes", figures.PALETTE[2]), ("no", "No", figures.PALETTE[3])]
        flags = pd.to_numeric(data[column], errors="coerce")
        cats = pd.Series(np.where(flags >= 1, "yes", "no"), index=data.index).where(
            flags.notna(), NOT_KNOWN
        )
        return cats, [*order, (NOT_KNOWN, NO_DATA.capitalize(), NO_DATA_COLOUR)]
    cats = data[column].astype("object").where(data[column].notna(), NOT_KNOWN)
    missing = NOT_KNOWN.capitalize() if column == "iccc_stage" else NO_DATA.capitalize()
    return cats, [*order, (NOT_KNOWN, missing, NO_DATA_COLOUR)]


def _column(measure: str) -> str:
    return CITY_CATEGORICAL.get(measure, measure)


def _city_frame(cities: pd.DataFrame, values: pd.DataFrame | None) -> pd.DataFrame:
    base = cities[
        [
            "city_id",
            "city_name",
            "state_ut",
            "selection_round",
            "selection_date",
            "latitude",
            "longitude",
        ]
    ].reset_index(drop=True)
    vals = values if values is not None else city_values(cities)
    vals = vals.drop(
        columns=[c for c in ("selection_round", "selection_round" + AS_OF) if c in vals]
    )
    data = base.merge(vals, on="city_id", how="left")
    data["selection_round" + AS_OF] = pd.to_datetime(data["selection_date"])
    return data


def city_map(
    cities: pd.DataFrame,
    values: pd.DataFrame | None,
    *,
    colour_by: str,
    size_by: str | None,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
    basemap: str = "none",
    tile_style: str = "carto-positron",
    outline: gpd.GeoDataFrame | None = None,
    india: IndiaShapes | None = None,
    shade: pd.DataFrame | None = None,
    shade_by: str | None = None,
    focus_state: str | None = None,
) -> go.Figure:
    """Every city a point at its coordinates, coloured (and optionally sized) by a measure.

    ``values`` is :func:`city_values` output (``None``: round and coordinates only).
    ``basemap="none"`` draws a cartesian lon/lat chart needing no network; ``"tiles"`` draws
    on street tiles fetched from ``tile_style``'s server. ``customdata[0]`` of every point is
    its ``city_id``, so a selection can open the city's page.

    ``india`` (:func:`smartcities.boundaries.bundled_shapes`) draws the states/UTs under the
    points, shaded by ``shade_by`` (a state measure of ``shade``, the :func:`state_measures`
    table) or neutral, with a marker on each small UT; ``focus_state`` zooms to one state. A
    user's ``outline`` (a boundary file) is drawn instead of ``india`` when given.
    """
    _ = gettext(lang)
    if cities.empty:
        return figures.empty_figure(_("No cities in this selection."), title)
    data = _city_frame(cities, values)
    if lang != DEFAULT_LANG:  # place and round names as the page shows them
        data = data.assign(
            city_name=[place_name("city", str(n), lang) for n in data["city_name"]],
            state_ut=[place_name("state", str(n), lang) for n in data["state_ut"]],
        )
    colour_col, size_col = _column(colour_by), (_column(size_by) if size_by else None)
    for col in (colour_col, size_col):
        if col and col not in data:
            data[col] = np.nan
            data[col + AS_OF] = pd.NaT
    n = len(data)
    sizes = _marker_sizes(data[size_col] if size_col else None, n)
    colour_label = measure_label(colour_col, lang)
    categorical = colour_col in CITY_CATEGORICAL.values() or measure_unit(colour_col) == "flag"
    if categorical and colour_col == "iccc_stage":
        colour_text = [
            _(STAGE_LABELS.get(v, NO_DATA)) if isinstance(v, str) else _(NO_DATA)
            for v in data[colour_col]
        ]
    elif categorical and colour_col == "selection_round":
        colour_text = [_(v) if isinstance(v, str) else _(NO_DATA) for v in data[colour_col]]
    else:
        unit = measure_unit(colour_col)
        colour_text = hover_values(data[colour_col], unit)
    prefix = "selected " if colour_col == "selection_round" else "as on "
    size_text = (
        [
            f"{v} {d}"
            for v, d in zip(
                hover_values(data[size_col], measure_unit(size_col)),
                _as_on_text(data[size_col + AS_OF], lang=lang),
                strict=True,
            )
        ]
        if size_col
        else [""] * n
    )
    esc = figures.plot_text  # names from data are shown through plotly's HTML-like hover
    custom = np.column_stack(
        [
            data["city_id"].astype(str),
            [esc(v) for v in data["city_name"].astype(str)],
            [esc(v) for v in data["state_ut"].astype(str)],
            [
                esc(_(r)) if isinstance(r, str) else _("round not known")
                for r in data["selection_round"]
            ],
            [esc(v) for v in colour_text],
            _as_on_text(data[colour_col + AS_OF], prefix, data.get(colour_col + BASIS), lang),
            size_text,
        ]
    ).reshape(n, 7)
    template = (
        "<b>%{customdata[1]}</b><br>%{customdata[2]} · %{customdata[3]}<br>"
        f"{colour_label}: %{{customdata[4]}} %{{customdata[5]}}"
        + (f"<br>{measure_label(size_col, lang)}: %{{customdata[6]}}" if size_col else "")
        + "<extra></extra>"
    )
    tiles = basemap == "tiles"
    kind = "scattermap" if tiles else ("scattergl" if n > WEBGL_THRESHOLD else "scatter")
    lon, lat = data["longitude"].to_numpy(float), data["latitude"].to_numpy(float)
    background = outline is None and india is not None
    spec = figures.Spec(title, height=860 if background and not tiles else 720)

    def points(mask: np.ndarray, name: str, marker: dict, group: str) -> None:
        xy = {"lon": lon[mask], "lat": lat[mask]} if tiles else {"x": lon[mask], "y": lat[mask]}
        if not tiles:
            marker = {**marker, "line": {"width": 0.6, "color": "white"}}
        spec.trace(
            kind,
            **xy,
            mode="markers",
            name=name,
            legendgroup=group,
            marker={"size": sizes[mask], **marker},
            customdata=custom[mask],
            hovertemplate=template,
        )

    if outline is not None and not outline.empty:
        spec.data.append(_outline_trace(outline, tiles))
    elif background:
        _add_india(spec, india, shade, shade_by, tiles, focus_state, lang)
    if categorical:
        cats, order = _categories(data, colour_col)
        for key, text, colour in order:
            mask = (cats == key).to_numpy()
            if mask.any():
                points(
                    mask,
                    f"{_(text)} ({fmt.count(mask.sum())})",  # escaped by figure()
                    {"color": colour, "opacity": 0.9},
                    key,
                )
    else:
        v = pd.to_numeric(data[colour_col], errors="coerce").to_numpy(float)
        has = np.isfinite(v)
        if has.any():
            lo, hi = float(v[has].min()), float(v[has].max())
            colorbar = _colorbar(lo, hi, measure_unit(colour_col), colour_label, lang)
            points(
                has,
                colour_label,
                {
                    "color": v[has],
                    "colorscale": CONTINUOUS_SCALE,
                    "cmin": lo,
                    "cmax": hi if hi > lo else lo + 1,
                    "showscale": True,
                    "colorbar": colorbar,
                },
                "values",
            )
        if (~has).any():
            points(
                ~has,
                _("No data reported ({n})").format(n=fmt.count((~has).sum())),
                {"color": NO_DATA_COLOUR, "opacity": 0.8},
                NOT_KNOWN,
            )
    if background and not tiles:
        xr, yr = india.extent(focus_state, lon, lat)
        _cartesian_layout(spec, xr, yr, grid=False)
    else:
        _spec_layout(spec, lon, lat, tiles, tile_style)
    notes = [_(LOCATION_NOTE)]
    if background:
        notes.append(bundled_note(india.note, lang))
    elif outline is not None:
        notes.append(_(DISCLAIMER))
    if size_col:
        notes.insert(
            0, _("Marker area shows {measure}.").format(measure=measure_label(size_col, lang))
        )
    if not categorical:
        spec.update(margin={"r": 120})  # room for the colour bar at the right edge
    return _finish_spec(
        spec, source=source, as_of=as_of, synthetic=synthetic, notes=notes, lang=lang
    )


def _colorbar(lo: float, hi: float, unit: str, title: str, lang: str = DEFAULT_LANG) -> dict:
    """A vertical colour bar at the map's right edge, with Indian tick labels (above the map it
    ran into the legend's entries)."""
    ticks = [t for t in fmt.nice_ticks(lo, hi) if lo <= t <= hi]
    if unit == "count":
        ticks = [t for t in ticks if float(t).is_integer()]
    ticks = ticks if len(ticks) >= 2 else sorted({lo, hi})
    return {
        "title": {
            "text": figures.Markup(
                "<br>".join(figures.plot_text(t) for t in textwrap.wrap(title, 16))
            ),
            "side": "top",
        },
        "orientation": "v",
        "x": 1.0,
        "xanchor": "left",
        "y": 0.5,
        "yanchor": "middle",
        "len": 0.6,
        "thickness": 12,
        "tickvals": ticks,
        "ticktext": fmt.tick_labels(ticks, unit, lang),
    }


def _extent(lon: np.ndarray, lat: np.ndarray, min_span: float = 4.0) -> tuple[list, list]:
    """Lon/lat ranges around the points with a margin (all India when there are many)."""
    ok = np.isfinite(lon) & np.isfinite(lat)
    if not ok.any():
        return list(INDIA_LON), list(INDIA_LAT)
    x0, x1, y0, y1 = lon[ok].min(), lon[ok].max(), lat[ok].min(), lat[ok].max()
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    half_x = max(x1 - x0, min_span) / 2 * 1.15
    half_y = max(y1 - y0, min_span) / 2 * 1.15
    return [cx - half_x, cx + half_x], [cy - half_y, cy + half_y]


def geo_layout(
    fig: go.Figure, lon: np.ndarray, lat: np.ndarray, tiles: bool, tile_style: str
) -> None:
    fig.update_layout(_geo_layout(lon, lat, tiles, tile_style))


def _spec_layout(
    spec: figures.Spec, lon: np.ndarray, lat: np.ndarray, tiles: bool, tile_style: str
) -> None:
    spec.update(**_geo_layout(lon, lat, tiles, tile_style))


def _geo_layout(lon: np.ndarray, lat: np.ndarray, tiles: bool, tile_style: str) -> dict:
    """Layout of a map around the points: street tiles, or lon/lat axes on a faint graticule."""
    xr, yr = _extent(lon, lat)
    if tiles:
        span = max(xr[1] - xr[0], (yr[1] - yr[0]) * ASPECT)
        zoom = float(np.clip(math.log2(900 * 360 / (512 * span)) - 0.3, 1.5, 11))
        return {
            **_MAP_MARGINS,
            "map": {
                "style": tile_style,
                "zoom": zoom,
                "center": {"lon": float(sum(xr) / 2), "lat": float(sum(yr) / 2)},
            },
        }
    return _cartesian(xr, yr, grid=True)


_MAP_MARGINS = {"margin": {"l": 45, "r": 10, "t": 110, "b": 90}, "hovermode": "closest"}


def _cartesian(xr: Sequence[float], yr: Sequence[float], *, grid: bool) -> dict:
    """Lon/lat axes locked to the map's aspect; a faint 5-degree graticule stands in for the
    base map a tile server would give, or no axes at all when the states are drawn."""
    look = (
        {
            "showgrid": True,
            "gridcolor": "#E1E7ED",
            "dtick": 5,
            "zeroline": False,
            "showline": False,
            "ticks": "",
            "tickfont": {"size": 10, "color": "#9AA5B1"},
        }
        if grid
        else {"visible": False, "showgrid": False, "zeroline": False}
    )
    # constrain="domain": the plot area shrinks to the map's shape instead of the map stretching.
    return {
        **_MAP_MARGINS,
        "xaxis": {"range": list(xr), "ticksuffix": "°E", "constrain": "domain", **look},
        "yaxis": {
            "range": list(yr),
            "ticksuffix": "°N",
            "scaleanchor": "x",
            "scaleratio": ASPECT,
            "constrain": "domain",
            **look,
        },
        "plot_bgcolor": "#F3F6F9" if grid else "white",
    }


def _cartesian_layout(
    spec: figures.Spec, xr: Sequence[float], yr: Sequence[float], *, grid: bool
) -> None:
    spec.update(**_cartesian(xr, yr, grid=grid))


def rings(geoms: Sequence[shapely.Geometry], interiors: bool) -> tuple[np.ndarray, np.ndarray]:
    """All polygon rings as one x/y pair of arrays, separated by NaN (gaps in a plotly line)."""
    kept = [g for g in geoms if g is not None and not g.is_empty]
    if not kept:
        return np.empty(0), np.empty(0)
    parts = shapely.get_parts(np.asarray(kept, dtype=object))
    polygons = parts[shapely.get_type_id(parts) == 3]
    rings = list(shapely.get_exterior_ring(polygons))
    if interiors:
        for polygon in polygons:
            rings.extend(polygon.interiors)
    chunks = []
    for ring in rings:
        chunks.extend([shapely.get_coordinates(ring), np.full((1, 2), np.nan)])
    xy = np.vstack(chunks) if chunks else np.empty((0, 2))
    return xy[:, 0], xy[:, 1]


def _outline_trace(outline: gpd.GeoDataFrame, tiles: bool) -> dict:
    """A user's boundary file drawn as lines (on tiles) or white shapes (offline)."""
    x, y = rings(outline.geometry.tolist(), interiors=True)
    line = {"color": "#9AA5B1", "width": 0.8}
    common = {"mode": "lines", "line": line, "hoverinfo": "skip", "showlegend": False}
    if tiles:
        return {"type": "scattermap", "lon": x, "lat": y, "name": "Boundaries", **common}
    return {
        "type": "scatter",
        "x": x,
        "y": y,
        "fill": "toself",
        "fillcolor": "#FFFFFF",
        "name": "Boundaries",
        **common,
    }


# Where the notes under a map sit: below the source line, left-aligned, small and grey.
NOTES_PLACE: dict[str, object] = {
    "xref": "paper",
    "yref": "paper",
    "x": 0,
    "y": 0,
    "yshift": -42,
    "xanchor": "left",
    "yanchor": "top",
    "showarrow": False,
    "align": "left",
    "font": {"size": 11, "color": "#52606d"},
}


def _finish_spec(
    spec: figures.Spec,
    *,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool,
    notes: Sequence[str],
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """:func:`finish_map` for a figure still being built as dicts (no plotly validation)."""
    _ = gettext(lang)
    fig_notes = list(notes)
    note = _("Source: {source}. Figures as on {date}.").format(
        source=source, date=fmt.as_on(as_of, lang)
    )
    if synthetic:
        note = f"{figures.synthetic_mark(lang)}. " + note
        spec.annotate(**figures._WATERMARK)
        spec.layout["title"]["text"] = figures.synthetic_title(spec.layout["title"]["text"], lang)
    spec.annotate(text=note, **{**figures._NOTE_PLACE, "yshift": -24})
    spec.layout["margin"]["b"] = max(spec.layout["margin"].get("b", 0), 90)
    if fig_notes:
        lines = textwrap.wrap(" ".join(fig_notes), NOTE_WIDTH_CHARS)
        spec.layout["margin"]["b"] = max(spec.layout["margin"]["b"], 50 + 14 * len(lines))
        spec.annotate(
            # Our own line breaks around escaped note text (notes may name data sources).
            text=figures.Markup("<br>".join(figures.plot_text(line) for line in lines)),
            **NOTES_PLACE,
        )
    return spec.figure()


def finish_map(
    fig: go.Figure,
    *,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool,
    notes: Sequence[str],
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """figures.finish, with the notes pinned in pixels below the plot (maps are tall)."""
    figures.finish(fig, source=source, as_of=as_of, synthetic=synthetic, lang=lang)
    for ann in fig.layout.annotations:
        if ann.yref == "paper" and (ann.text or "").startswith(figures.NOTE_HEADS):
            ann.update(y=0, yshift=-24)
    if notes:
        fig.add_annotation(
            text=" ".join(notes),
            **NOTES_PLACE,
        )
    return fig


def bundled_note(note: str, lang: str = DEFAULT_LANG) -> str:
    """The bundled map's note (disclaimer and credit) in ``lang``; the credit (names and
    licences) stays as written."""
    from smartcities.provenance import BOUNDARY_CREDIT

    if lang == DEFAULT_LANG or BOUNDARY_CREDIT not in note:
        return note
    _ = gettext(lang)
    return _("{disclaimer} State boundaries: {credit}.").format(
        disclaimer=_(DISCLAIMER), credit=BOUNDARY_CREDIT
    )


def describe_city_map(
    cities: pd.DataFrame, values: pd.DataFrame | None, colour_by: str, lang: str = DEFAULT_LANG
) -> str:
    """Text summary of a city map for screen readers: how many cities, how many per colour."""
    _ = gettext(lang)
    if cities.empty:
        return _("No cities in this selection.")
    data = _city_frame(cities, values)
    col = _column(colour_by)
    if col not in data:
        return _("{n} cities shown; no {measure} reported for any of them.").format(
            n=len(data), measure=measure_label(col, lang)
        )
    label_ = measure_label(col, lang)
    if col in CITY_CATEGORICAL.values() or measure_unit(col) == "flag":
        cats, order = _categories(data, col)
        parts = [
            f"{_(text)}: {int((cats == key).sum())}"
            for key, text, _c in order
            if (cats == key).any()
        ]
        head = _("{n} cities shown, coloured by {measure}.").format(n=len(data), measure=label_)
        return head + " " + "; ".join(parts) + ("." if lang == DEFAULT_LANG else "।")
    v = pd.to_numeric(data[col], errors="coerce")
    unit = measure_unit(col)
    text = _("{n} cities shown, coloured by {measure}: {k} with a value").format(
        n=len(data), measure=label_, k=int(v.notna().sum())
    )
    if v.notna().any():
        top = data.loc[v.idxmax()]
        text += " " + _("(range {low} to {high}; highest {city})").format(
            low=fmt.value(v.min(), unit, lang),
            high=fmt.value(v.max(), unit, lang),
            city=place_name("city", str(top["city_name"]), lang),
        )
    return text + _(", {n} with no data reported.").format(n=int(v.isna().sum()))


def city_table(
    cities: pd.DataFrame,
    values: pd.DataFrame | None,
    colour_by: str,
    size_by: str | None,
    lang: str = DEFAULT_LANG,
) -> pd.DataFrame:
    """The cities on the map as a small table of display text (Indian formats, dates; headers,
    names and words in ``lang``)."""
    _ = gettext(lang)
    data = _city_frame(cities, values)
    out = pd.DataFrame(
        {
            _("City"): [place_name("city", str(n), lang) for n in data["city_name"]],
            _("State/UT"): [place_name("state", str(n), lang) for n in data["state_ut"]],
            _("Round"): [_(r) if isinstance(r, str) else "–" for r in data["selection_round"]],
        }
    )
    for measure in dict.fromkeys([_column(colour_by), *([_column(size_by)] if size_by else [])]):
        if measure == "selection_round":
            continue
        label_ = measure_label(measure, lang)
        col = data[measure] if measure in data else pd.Series(np.nan, index=data.index)
        if measure == "iccc_stage":
            out[label_] = [
                _(STAGE_LABELS.get(v, NO_DATA)) if isinstance(v, str) else _(NO_DATA) for v in col
            ]
        else:
            out[label_] = hover_values(col, measure_unit(measure))
        dates = data.get(measure + AS_OF, pd.Series(pd.NaT, index=data.index))
        bases = data.get(measure + BASIS, pd.Series(None, index=data.index, dtype=object))
        out[_("{measure}: date").format(measure=label_)] = [
            fmt.dated(d, b, lang) if pd.notna(d) else "–" for d, b in zip(dates, bases, strict=True)
        ]
    return out


# ---------------------------------------------------------------- India's states under the points

# The UTs too small to see or click at the national scale: each gets a marker.
SMALL_UTS = (
    "Chandigarh",
    "Delhi",
    "Dadra and Nagar Haveli and Daman and Diu",
    "Puducherry",
    "Lakshadweep",
    "Andaman and Nicobar Islands",
)
UT_CODES = {  # short labels beside the rings (ISO 3166-2 codes without "IN-")
    "Chandigarh": "CH",
    "Delhi": "DL",
    "Dadra and Nagar Haveli and Daman and Diu": "DH",
    "Puducherry": "PY",
    "Lakshadweep": "LD",
    "Andaman and Nicobar Islands": "AN",
}
STATE_PICK = "__state__"  # customdata[0] of a state marker (a city's is its city_id)
NEUTRAL_FILL = "#EFEBE3"
LOCATOR_FILL = "#E4E7EB"
STATIC = {"staticPlot": True, "displaylogo": False}  # plotly config of the locator: a picture
LOCATOR_NOTE = N_("Boundaries indicative.")
LOCATOR_CREDIT = "DataMeet, CC BY 4.0 / CC0."  # names and licences stay as written
LOCATOR_STATE = "#9FB3C8"
OUTLINE_COLOUR = "#7B8794"
SHADE_SCALE = [[0.0, "#F2F5F8"], [1.0, "#7D97B4"]]  # light, so the city points stay readable


@dataclass(frozen=True)
class IndiaShapes:
    """The bundled states/UTs as plotly-ready lon/lat arrays (NaN between rings), built once
    per process by :func:`smartcities.boundaries.bundled_shapes`."""

    names: tuple[str, ...]
    x: tuple[np.ndarray, ...]
    y: tuple[np.ndarray, ...]
    anchors: tuple[tuple[float, float], ...]  # a point inside each shape, for markers
    bounds: tuple[tuple[float, float, float, float], ...]  # minx, miny, maxx, maxy
    order: tuple[int, ...]  # largest first, so enclaves are drawn over their surroundings
    outline_x: np.ndarray
    outline_y: np.ndarray
    note: str  # the "indicative" note naming the source

    def index(self, name: str | None) -> int | None:
        return self.names.index(name) if name in self.names else None

    def extent(
        self, focus: str | None, lon: np.ndarray, lat: np.ndarray
    ) -> tuple[list[float], list[float]]:
        """All of India, or one state/UT and its cities with a margin."""
        i = self.index(focus)
        if i is None:
            b = np.array(self.bounds)
            x0, y0, x1, y1 = b[:, 0].min(), b[:, 1].min(), b[:, 2].max(), b[:, 3].max()
            pad = 0.3
            return [x0 - pad, x1 + pad], [y0 - pad, y1 + pad]
        x0, y0, x1, y1 = self.bounds[i]
        ok = np.isfinite(lon) & np.isfinite(lat)
        if ok.any():
            x0, x1 = min(x0, lon[ok].min()), max(x1, lon[ok].max())
            y0, y1 = min(y0, lat[ok].min()), max(y1, lat[ok].max())
        half_x, half_y = max(x1 - x0, 1.0) / 2 * 1.15, max(y1 - y0, 1.0) / 2 * 1.15
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        return [cx - half_x, cx + half_x], [cy - half_y, cy + half_y]


def _shading(
    shade: pd.DataFrame | None, shade_by: str | None
) -> tuple[dict[str, tuple[float, object]], list[float], list[str], str, str]:
    """Per state (value, as-on date), class edges and colours, unit and label of a measure."""
    if not shade_by or shade is None or shade.empty:
        return {}, [], [], "", ""
    measure = state_metric(shade_by)
    unit, label_ = measure_unit(measure), measure_label(measure)
    rows = shade[shade["measure"] == measure].dropna(subset=["value"])
    values = {
        str(r.state_ut): (float(r.value), r.as_of_date)
        for r in rows.drop_duplicates("state_ut").itertuples(index=False)
    }
    have = np.array([v for v, _ in values.values()], dtype=float)
    edges = _bins(have, 5, unit) if len(have) else []
    n = max(len(edges) - 1, 1)
    colours = sample_colorscale(SHADE_SCALE, [(i + 0.5) / n for i in range(len(edges) - 1)])
    return values, edges, colours, unit, label_


def _add_india(
    spec: figures.Spec,
    india: IndiaShapes,
    shade: pd.DataFrame | None,
    shade_by: str | None,
    tiles: bool,
    focus: str | None,
    lang: str = DEFAULT_LANG,
) -> None:
    """The states/UTs as filled shapes under the city points (offline), or as lines on tiles;
    legend, names and hover text in ``lang``."""
    _ = gettext(lang)
    if tiles:
        spec.trace(
            "scattermap",
            lon=np.concatenate(india.x),
            lat=np.concatenate(india.y),
            mode="lines",
            line={"color": OUTLINE_COLOUR, "width": 0.8},
            hoverinfo="skip",
            showlegend=False,
            name="States/UTs",
        )
        return
    values, edges, colours, unit, label_ = _shading(shade, shade_by)
    for k in range(len(edges) - 1):
        spec.trace(
            "scatter",
            x=[None],
            y=[None],
            mode="markers",
            marker={"symbol": "square", "size": 14, "color": colours[k]},
            name=_bin_label(edges[k], edges[k + 1], unit, k == len(edges) - 2, lang),
            legend="legend2",
            hoverinfo="skip",
        )
    if edges:  # the shading's key: in the sea off Gujarat, or beside a state zoomed into
        zoomed = india.index(focus) is not None
        spec.update(
            legend2={
                "title": {"text": _("States/UTs: {measure}").format(measure=_(label_))},
                "x": 1.01 if zoomed else 0.01,
                "y": 0.02,
                "xanchor": "left",
                "yanchor": "bottom",
                "bgcolor": "rgba(255,255,255,0.85)",
                "font": {"size": 11},
            }
        )
    texts = {}
    for i in india.order:
        name = india.names[i]
        fill = NEUTRAL_FILL
        shown = place_name("state", name, lang)
        text = shown
        if shade_by:
            value, when = values.get(name, (None, None))
            fill = NO_DATA_TILE
            if value is not None and edges:
                k = int(np.clip(np.searchsorted(edges, value, side="right") - 1, 0, len(edges) - 2))
                fill = colours[k]
            when_text = _("as on {date}").format(date=fmt.as_on(when, lang))
            text = f"{shown}: {hover_value(value, unit)}" + (
                f" ({when_text})" if value is not None and pd.notna(when) else ""
            )
        texts[name] = text
        spec.trace(
            "scatter",
            x=india.x[i],
            y=india.y[i],
            mode="lines",
            fill="toself",
            fillcolor=fill,
            line={"color": "#FFFFFF", "width": 0.8, "simplify": False},
            name=text,
            showlegend=False,
            hoveron="fills",
            hoverinfo="name",
            hoverlabel={"namelength": -1},  # the whole "State: value (as on date)"
        )
    spec.trace(
        "scatter",
        x=india.outline_x,
        y=india.outline_y,
        mode="lines",
        line={"color": OUTLINE_COLOUR, "width": 1, "simplify": False},
        hoverinfo="skip",
        showlegend=False,
        name="India",
    )
    f = india.index(focus)
    if f is not None:
        spec.trace(
            "scatter",
            x=india.x[f],
            y=india.y[f],
            mode="lines",
            line={"color": "#1f2933", "width": 2, "simplify": False},
            hoverinfo="skip",
            showlegend=False,
            name=india.names[f],
        )
    small = [india.index(n) for n in SMALL_UTS if india.index(n) is not None]
    spec.trace(
        "scatter",
        x=[india.anchors[i][0] for i in small],
        y=[india.anchors[i][1] for i in small],
        mode="markers+text",
        text=[UT_CODES.get(india.names[i], "") for i in small],
        textposition="middle right",
        textfont={"size": 10, "color": "#3E4C59"},
        marker={
            "symbol": "circle-open",
            "size": 20,
            "color": "#3E4C59",
            "line": {"width": 1.5},
        },
        customdata=[
            [
                STATE_PICK,
                place_name("state", india.names[i], lang),
                texts[india.names[i]],
                slugify(india.names[i]),
            ]
            for i in small
        ],
        hovertemplate="<b>%{customdata[1]}</b> ("
        + _("UT")
        + ")<br>%{customdata[2]}<br>"
        + _("Click to show only this UT")
        + "<extra></extra>",
        name=_("Small UTs (click one)"),
        legendgroup="uts",
    )


def picked(points: Sequence[Mapping[str, object]]) -> tuple[str, str] | None:
    """What a click on a city map chose: ("city", city_id), ("state", state slug) or None."""
    for point in points:
        data = point.get("customdata")
        if not data:
            continue
        if data[0] == STATE_PICK:  # type: ignore[index]
            return "state", str(data[3])  # type: ignore[index]
        return "city", str(data[0])  # type: ignore[index]
    return None


def locator_text(city: Mapping[str, object]) -> str:
    """What the locator map shows, for screen readers."""
    return f"Map of India with {city.get('state_ut')} shaded and {city.get('city_name')} marked."


def locator_figure(
    city: Mapping[str, object],
    india: IndiaShapes,
    *,
    height: int = 240,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """A small map of India with the city's state/UT shaded and the city marked (the City
    profile's locator). Drawn from the bundled shapes, so it needs no network. A synthetic
    data set's city is titled as such (its place may be made up)."""
    _ = gettext(lang)
    title = _("[SYNTHETIC] location") if synthetic else ""
    spec = figures.Spec(title, height=height)
    i = india.index(str(city.get("state_ut")))
    others = [j for j in india.order if j != i]
    spec.trace(
        "scatter",
        x=np.concatenate([india.x[j] for j in others]),
        y=np.concatenate([india.y[j] for j in others]),
        mode="lines",
        fill="toself",
        fillcolor=LOCATOR_FILL,
        line={"color": "#FFFFFF", "width": 0.5},
        hoverinfo="skip",
        showlegend=False,
        name="States/UTs",
    )
    spec.trace(
        "scatter",
        x=india.outline_x,
        y=india.outline_y,
        mode="lines",
        line={"color": OUTLINE_COLOUR, "width": 0.6},
        hoverinfo="skip",
        showlegend=False,
        name="India",
    )
    if i is not None:
        spec.trace(
            "scatter",
            x=india.x[i],
            y=india.y[i],
            mode="lines",
            fill="toself",
            fillcolor=LOCATOR_STATE,
            line={"color": "#3E4C59", "width": 0.8},
            hoverinfo="name",
            hoveron="fills",
            showlegend=False,
            name=india.names[i],
        )
    lon, lat = float(city.get("longitude", np.nan)), float(city.get("latitude", np.nan))
    if np.isfinite(lon) and np.isfinite(lat):
        spec.trace(
            "scatter",
            x=[lon],
            y=[lat],
            mode="markers",
            marker={
                "size": 11,
                "color": figures.PALETTE[3],
                "line": {"width": 1.5, "color": "#FFFFFF"},
            },
            # The name goes in as text (escaped with every other text when the figure is
            # built), never into the template, where plotly would also run its %{...}.
            text=[str(city.get("city_name", ""))],
            hovertemplate="%{text}<extra></extra>",
            showlegend=False,
            name=str(city.get("city_name", "")),
        )
    xr, yr = india.extent(None, np.array([lon]), np.array([lat]))
    spec.update(**_cartesian(xr, yr, grid=False))
    top = 30 if synthetic else 0
    spec.update(margin={"l": 0, "r": 0, "t": top, "b": 22}, showlegend=False, dragmode=False)
    spec.annotate(
        text=f"{_(LOCATOR_NOTE)} {LOCATOR_CREDIT}",
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-4,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 9, "color": figures.NOTE_COLOUR},
    )
    return spec.figure()


def _bins(values: np.ndarray, n_bins: int, unit: str) -> list[float]:
    """Round class edges covering the values (for a legend of value ranges); whole numbers
    for counts."""
    lo, hi = float(values.min()), float(values.max())
    if hi <= lo:
        return [lo, lo]
    ticks = fmt.nice_ticks(lo, hi, n_bins)
    edges = [t for t in ticks if t <= lo][-1:] + [t for t in ticks if lo < t < hi]
    edges = [*edges, max(ticks[-1], hi)]
    if unit == "count":
        edges = sorted({float(math.ceil(e)) for e in edges})
    return edges


def _bin_label(lo: float, hi: float, unit: str, last: bool, lang: str = DEFAULT_LANG) -> str:
    _ = gettext(lang)
    lo_t, hi_t = fmt.tick_labels([lo, hi], unit, lang)
    if hi <= lo:
        return lo_t
    if unit == "count" and float(lo).is_integer() and float(hi).is_integer():
        top = hi if last else hi - 1
        return lo_t if top <= lo else f"{lo_t}–{fmt.tick_labels([top], unit, lang)[0]}"
    text = _("{low} to {high}") if last else _("{low} to under {high}")
    return text.format(low=lo_t, high=hi_t)


# ---------------------------------------------------------------- state views


def _short(value: float, unit: str) -> str:
    """Tile-sized number: '11', '1.5 lakh', '₹9,425 cr', '₹1.6 lakh cr'."""
    if unit == "inr_crore":
        if abs(value) >= fmt.LAKH:
            return f"₹{value / fmt.LAKH:.1f} lakh cr"
        return f"₹{fmt.group(value)} cr"
    if unit == "pct":
        return fmt.pct(value)
    return fmt.compact(value)


def _text_colour(fill: str) -> str:
    """Dark or white text, whichever reads on the tile."""
    rgb = (
        [int(c) for c in fill[fill.index("(") + 1 : fill.index(")")].split(",")[:3]]
        if fill.startswith("rgb")
        else [int(fill[i : i + 2], 16) for i in (1, 3, 5)]
    )
    lum = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    return "#1f2933" if lum > 140 else "#FFFFFF"


def _state_table(states: pd.DataFrame, state_values: pd.DataFrame, measure: str) -> pd.DataFrame:
    measure = state_metric(measure)
    rows = state_values
    if "measure" in rows:
        rows = rows[rows["measure"] == measure]
    rows = rows.drop_duplicates("state_ut").set_index("state_ut")
    out = states.copy()
    out["value"] = out["state_ut"].map(rows["value"]).astype(float)
    out["as_of_date"] = out["state_ut"].map(rows.get("as_of_date", pd.Series(dtype=object)))
    return out


def _state_hover(table: pd.DataFrame, measure: str, lang: str = DEFAULT_LANG) -> list[str]:
    _ = gettext(lang)
    unit, label_ = measure_unit(measure), state_label(measure, lang)
    as_on = _("as on {date}")
    return [
        f"<b>{figures.plot_text(place_name('state', str(name), lang))}</b><br>{label_}: "
        + hover_value(v, unit)
        + ("<br>" + as_on.format(date=fmt.as_on(d, lang)) if pd.notna(v) and pd.notna(d) else "")
        for name, v, d in zip(table["state_ut"], table["value"], table["as_of_date"], strict=True)
    ]


def tile_grid(
    state_values: pd.DataFrame,
    states: pd.DataFrame,
    *,
    measure: str,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    highlight: str | None = None,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """All 36 states/UTs as equal squares at ``tile_row``/``tile_col``, coloured by a measure.

    ``state_values`` is :func:`state_measures` output (or ``state_ut, value, as_of_date`` for
    one measure). States without a value are light grey and listed as "no data reported".
    ``highlight`` (a state name) gets a dark outline, e.g. the state chosen in the filters.
    """
    _ = gettext(lang)
    table = _state_table(states, state_values, measure)
    unit, label_ = measure_unit(state_metric(measure)), state_label(measure, lang)
    rows, cols = int(table["tile_row"].max()) + 1, int(table["tile_col"].max()) + 1
    z = np.full((rows, cols), np.nan)
    z_missing = np.full((rows, cols), np.nan)
    hover = np.full((rows, cols), "", dtype=object)
    has = table["value"].notna()
    lo = float(table.loc[has, "value"].min()) if has.any() else 0.0
    hi = float(table.loc[has, "value"].max()) if has.any() else 1.0
    hi = hi if hi > lo else lo + 1
    fig = figures._base(title, height=600)
    texts = _state_hover(table, measure, lang)
    labels: list[dict] = []  # set at once: plotly's add_annotation is quadratic
    for row, text in zip(table.itertuples(index=False), texts, strict=True):
        r, c = int(row.tile_row), int(row.tile_col)
        hover[r, c] = text
        code = figures.plot_text(str(row.iso_code).removeprefix("IN-"))
        if pd.notna(row.value):
            z[r, c] = row.value
            fill = sample_colorscale(CONTINUOUS_SCALE, [(row.value - lo) / (hi - lo)])[0]
            shown = f"<b>{code}</b><br>{_short(row.value, unit)}"
        else:
            z_missing[r, c] = 0
            fill, shown = NO_DATA_TILE, f"<b>{code}</b><br>–"
        labels.append(
            {
                "x": c,
                "y": r,
                "text": shown,
                "showarrow": False,
                "font": {"size": 11, "color": _text_colour(fill)},
            }
        )
        if highlight and row.state_ut == highlight:
            fig.add_shape(
                type="rect",
                x0=c - 0.5,
                x1=c + 0.5,
                y0=r - 0.5,
                y1=r + 0.5,
                line={"color": "#1f2933", "width": 3},
            )
    fig.update_layout(annotations=labels)
    gaps = {"xgap": 3, "ygap": 3, "text": hover, "hovertemplate": "%{text}<extra></extra>"}
    fig.add_trace(
        go.Heatmap(
            z=z_missing,
            colorscale=[[0, NO_DATA_TILE], [1, NO_DATA_TILE]],
            showscale=False,
            name=_(NO_DATA),
            **gaps,
        )
    )
    colorbar = _colorbar(lo, hi, unit, label_, lang)
    fig.add_trace(
        go.Heatmap(
            z=z,
            colorscale=CONTINUOUS_SCALE,
            zmin=lo,
            zmax=hi,
            name=label_,
            colorbar=colorbar,
            **gaps,
        )
    )
    n_missing = int((~has).sum())
    if n_missing:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                name=_("No data reported ({n})").format(n=n_missing),
                marker={
                    "symbol": "square",
                    "size": 14,
                    "color": NO_DATA_TILE,
                    "line": {"color": "#9AA5B1", "width": 1},
                },
                showlegend=True,
                hoverinfo="skip",
            )
        )
    fig.update_xaxes(range=[-0.5, cols - 0.5], visible=False, showgrid=False, zeroline=False)
    fig.update_yaxes(
        range=[rows - 0.5, -0.5],
        visible=False,
        showgrid=False,
        zeroline=False,
        scaleanchor="x",
        scaleratio=1,
    )
    fig.update_layout(plot_bgcolor="white", margin={"l": 10, "r": 10, "t": 110, "b": 90})
    return finish_map(
        fig, source=source, as_of=as_of, synthetic=synthetic, notes=[_(TILE_NOTE)], lang=lang
    )


def describe_states(
    state_values: pd.DataFrame, states: pd.DataFrame, measure: str, lang: str = DEFAULT_LANG
) -> str:
    """Text summary of a state map: highest and lowest states, and how many have no data."""
    _ = gettext(lang)
    table = _state_table(states, state_values, measure)
    unit, label_ = measure_unit(state_metric(measure)), state_label(measure, lang)
    data = table.dropna(subset=["value"]).sort_values("value", ascending=False)
    missing = len(table) - len(data)
    if data.empty:
        return _("No state/UT has a value for {measure}.").format(measure=label_)
    top, low = data.iloc[0], data.iloc[-1]
    return _(
        "{measure} for {n} of {total} states/UTs. Highest: {top} ({top_value}); lowest: {low} "
        "({low_value}); {missing} with no data reported."
    ).format(
        measure=label_,
        n=len(data),
        total=len(table),
        top=place_name("state", str(top["state_ut"]), lang),
        top_value=fmt.value(top["value"], unit, lang),
        low=place_name("state", str(low["state_ut"]), lang),
        low_value=fmt.value(low["value"], unit, lang),
        missing=missing,
    )


def state_table(
    state_values: pd.DataFrame, states: pd.DataFrame, measure: str, lang: str = DEFAULT_LANG
) -> pd.DataFrame:
    """The states on a state map as display text."""
    _ = gettext(lang)
    table = _state_table(states, state_values, measure)
    unit, label_ = measure_unit(state_metric(measure)), state_label(measure, lang)
    return pd.DataFrame(
        {
            _("State/UT"): [place_name("state", str(n), lang) for n in table["state_ut"]],
            label_: [hover_value(v, unit) for v in table["value"]],
            _("As on"): [
                fmt.as_on(d, lang) if pd.notna(v) and pd.notna(d) else "–"
                for v, d in zip(table["value"], table["as_of_date"], strict=True)
            ],
        }
    )
