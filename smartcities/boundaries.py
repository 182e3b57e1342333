"""State boundaries: the bundled map of India, and a user's own boundary file read safely.

The app ships India's outline and its 36 states/UTs in ``data/boundaries/`` (built by
``scripts/build_boundaries.py`` from DataMeet's 2019 Lok Sabha constituencies, CC0, checked
against DataMeet's India boundary, CC BY 4.0; see ``PROVENANCE.json`` there). They are read
once per process and handed to the map builders as plotly-ready arrays
(:func:`bundled_shapes`).

Whoever publishes a map may prefer their own boundaries (the Survey of India's, a district
file): a file from the environment variable ``SMARTCITIES_BOUNDARY_FILE`` or a session upload
is checked from its content and bounded in size and feature count before it is read whole.
The choropleth is drawn with cartesian traces, like the other maps in :mod:`smartcities.maps`,
so it needs no CDN.

Pure: bytes or paths in, GeoDataFrames and plotly Figures out; no streamlit import.
"""

from __future__ import annotations

import functools
import io
import json
import os
import warnings
import zipfile
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
from plotly.colors import sample_colorscale

from smartcities import figures, fmt
from smartcities.config import BUNDLED_DATA
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.map_measures import (
    NO_DATA,
    measure_label,
    measure_unit,
    state_metric,
)
from smartcities.maps import (
    CONTINUOUS_SCALE,
    DISCLAIMER,
    NO_DATA_TILE,
    IndiaShapes,
    _bin_label,
    _bins,
    finish_map,
    geo_layout,
    rings,
)
from smartcities.names import Harmoniser
from smartcities.provenance import BOUNDARY_CREDIT
from smartcities.readers import read_capped

BOUNDARY_ENV = "SMARTCITIES_BOUNDARY_FILE"

# What is accepted, and the bounds on reading one.
BOUNDARY_TYPES = ("geojson", "json", "gpkg", "zip")
MAX_BOUNDARY_BYTES = 50 * 2**20
MAX_UNZIPPED_BYTES = 300 * 2**20
MAX_FEATURES = 20_000
SIMPLIFY_DEGREES = 0.01  # about 1 km: invisible on a national map, and keeps the figure light
NAME_COLUMN_HINTS = (
    "st_nm",
    "state_ut",
    "state",
    "state_name",
    "stname",
    "name_1",
    "st_name",
    "statename",
    "name",
)
_SHAPEFILE_PARTS = {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qix", ".sbn", ".sbx", ".xml"}


BUNDLED_DIR = BUNDLED_DATA / "boundaries"
BUNDLED_NOTE = f"{DISCLAIMER} State boundaries: {BOUNDARY_CREDIT}."


@functools.cache
def bundled_states() -> gpd.GeoDataFrame:
    """The 36 states/UTs shipped with the app (``state_ut``, ``state_id``, ``iso_code``,
    ``geometry``), in the order of ``data/states.csv``. Cached: do not modify it."""
    collection = json.loads((BUNDLED_DIR / "states.geojson").read_text(encoding="utf-8"))
    return gpd.GeoDataFrame.from_features(collection["features"], crs=4326)


@functools.cache
def bundled_outline() -> shapely.Geometry:
    """India's outline shipped with the app (the union of the states/UTs)."""
    collection = json.loads((BUNDLED_DIR / "india.geojson").read_text(encoding="utf-8"))
    return shapely.from_geojson(json.dumps(collection["features"][0]["geometry"]))


@functools.cache
def bundled_provenance() -> dict:
    """Sources, hashes, licences and build parameters of the bundled boundaries."""
    return json.loads((BUNDLED_DIR / "PROVENANCE.json").read_text(encoding="utf-8"))


@functools.cache
def bundled_shapes() -> IndiaShapes:
    """The bundled states/UTs as the plotly-ready arrays the maps draw (once per process)."""
    frame = bundled_states()
    geoms = frame.geometry.to_numpy()
    # float32: plotly sends numpy arrays to the browser base64-encoded, and 32 bits (about a
    # metre at these longitudes) halve the map's payload against float64.
    xy = [tuple(a.astype(np.float32) for a in rings([g], interiors=False)) for g in geoms]
    anchors = shapely.get_coordinates(shapely.point_on_surface(geoms))
    # A multi-part UT's marker goes on its largest part (Puducherry, not Yanam or Mahe).
    for i, geom in enumerate(geoms):
        parts = shapely.get_parts(geom)
        if len(parts) > 1:
            big = parts[int(np.argmax(shapely.area(parts)))]
            anchors[i] = shapely.get_coordinates(shapely.point_on_surface(big))[0]
    out_x, out_y = (a.astype(np.float32) for a in rings([bundled_outline()], interiors=False))
    for arr in [*(a for pair in xy for a in pair), out_x, out_y, anchors]:
        arr.setflags(write=False)
    return IndiaShapes(
        names=tuple(frame["state_ut"].astype(str)),
        x=tuple(x for x, _ in xy),
        y=tuple(y for _, y in xy),
        anchors=tuple((float(a), float(b)) for a, b in anchors),
        bounds=tuple(tuple(float(v) for v in b) for b in shapely.bounds(geoms)),
        order=tuple(int(i) for i in np.argsort(-shapely.area(geoms), kind="stable")),
        outline_x=out_x,
        outline_y=out_y,
        note=BUNDLED_NOTE,
    )


class BoundaryError(ValueError):
    """A boundary file could not be used; the message says why, in plain words."""


def configured_boundary_file(environ: Mapping[str, str] | None = None) -> Path | None:
    """The boundary file named by ``SMARTCITIES_BOUNDARY_FILE``, if set."""
    raw = (environ if environ is not None else os.environ).get(BOUNDARY_ENV, "").strip()
    return Path(raw).expanduser() if raw else None


def _sniff(data: bytes) -> str:
    """Which format the bytes are (checked from content, not from a file name)."""
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return "geojson"
    if head.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    raise BoundaryError(
        "This is not a GeoJSON, GeoPackage or zipped Shapefile (checked from its contents)."
    )


def _check_zip(data: bytes) -> bytes:
    """Check a zipped Shapefile and return it re-packed from the bytes actually read.

    The sizes in a zip's headers are claims: a crafted archive within the upload limit can
    declare little and expand without bound. Each member is read with the loader's capped
    reader (``readers.read_capped``) against one budget, and GDAL is given a new zip of
    exactly those bytes, never the original."""
    too_big = BoundaryError(f"The zip unpacks to more than {MAX_UNZIPPED_BYTES // 2**20} MB.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = [i for i in z.infolist() if not i.is_dir()]
            if sum(i.file_size for i in infos) > MAX_UNZIPPED_BYTES:
                raise too_big
            _check_parts(infos)
            left, parts = MAX_UNZIPPED_BYTES, []
            for info in infos:
                with z.open(info) as fh:
                    content = read_capped(fh, left)
                if len(content) > left:
                    raise too_big
                left -= len(content)
                parts.append((Path(info.filename).name, content))
    except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError) as exc:
        raise BoundaryError("The zip file is damaged and cannot be opened.") from exc
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, content in parts:
            z.writestr(name, content)
    return out.getvalue()


def _check_parts(infos: list[zipfile.ZipInfo]) -> None:
    suffixes = {Path(i.filename).suffix.lower() for i in infos}
    if ".shp" not in suffixes:
        raise BoundaryError("The zip holds no Shapefile (.shp with its .shx, .dbf and .prj).")
    if not suffixes <= _SHAPEFILE_PARTS:
        raise BoundaryError(
            "The zip should hold only the parts of one Shapefile (.shp, .shx, .dbf, .prj, "
            f".cpg); it also has: {', '.join(sorted(suffixes - _SHAPEFILE_PARTS))}."
        )


def _load_bytes(source: str | Path | bytes, max_bytes: int) -> bytes:
    if isinstance(source, bytes | bytearray):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise BoundaryError(f"Boundary file not found: {path}")
        if path.stat().st_size > max_bytes:
            raise BoundaryError(f"The boundary file is larger than {max_bytes // 2**20} MB.")
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise BoundaryError(f"The boundary file is larger than {max_bytes // 2**20} MB.")
    if not data:
        raise BoundaryError("The boundary file is empty.")
    return data


def _name_column(frame: pd.DataFrame, given: str | None, harmoniser: Harmoniser) -> str:
    """The column holding state names: the one given, else the best-matching text column."""
    columns = [c for c in frame.columns if c != "geometry"]
    if given:
        found = {c.casefold(): c for c in columns}.get(given.casefold())
        if found is None:
            raise BoundaryError(
                f"The file has no column '{given}'. Its columns: {', '.join(columns) or 'none'}."
            )
        return found
    best, best_score = None, (0, 0)
    for col in columns:
        values = frame[col].dropna().astype(str).unique()[:500]
        if not len(values) or pd.api.types.is_numeric_dtype(frame[col]):
            continue
        matched = sum(harmoniser.resolve("state", v).canonical is not None for v in values)
        hint = col.casefold() in NAME_COLUMN_HINTS
        score = (matched, int(hint))
        if matched and score > best_score:
            best, best_score = col, score
    if best is None:
        raise BoundaryError(
            "No column of the file holds state/UT names that can be recognised. Name the "
            f"column to use; the file's columns are: {', '.join(columns) or 'none'}."
        )
    return best


def read_boundaries(
    source: str | Path | bytes,
    name_column: str | None,
    harmoniser: Harmoniser,
    *,
    max_bytes: int = MAX_BOUNDARY_BYTES,
    tolerance: float = SIMPLIFY_DEGREES,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read a state boundary file and match its names to the states/UTs.

    Accepts GeoJSON, GeoPackage or a zipped Shapefile (as a path or bytes; the format is
    checked from the content). Features are reprojected to WGS 84, merged per state/UT (so a
    district file with a state column also works) and simplified to ``tolerance`` degrees with
    topology preserved. Returns the states (columns ``state_ut``, ``geometry``; names that did
    not match are kept with ``state_ut`` empty so they are still drawn) and the unmatched names.
    Any problem raises :class:`BoundaryError` with a message for the user.
    """
    data = _load_bytes(source, max_bytes)
    if _sniff(data) == "zip":
        data = _check_zip(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = gpd.read_file(io.BytesIO(data), max_features=MAX_FEATURES + 1)
    except Exception as exc:  # GDAL reports damage in many ways; the user needs one message
        raise BoundaryError(f"The boundary file could not be read: {exc}".strip()) from exc
    if len(frame) > MAX_FEATURES:
        raise BoundaryError(
            f"The file has more than {MAX_FEATURES:,} features; use a state "
            "or district boundary file."
        )
    frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
    kinds = set(frame.geom_type.unique())
    if frame.empty or not kinds & {"Polygon", "MultiPolygon"}:
        raise BoundaryError("The file has no polygons (state boundaries are polygons).")
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if not (minx >= -180 and maxx <= 180 and miny >= -90 and maxy <= 90):
            raise BoundaryError(
                "The file does not say its coordinate system, and its "
                "coordinates are not longitude/latitude."
            )
        frame = frame.set_crs(4326)
    else:
        frame = frame.to_crs(4326)
    column = _name_column(frame, name_column, harmoniser)
    raw = frame[column].astype("string").fillna("").str.strip()
    canonical = [harmoniser.resolve("state", r).canonical if r else None for r in raw]
    unmatched = sorted({r for r, c in zip(raw, canonical, strict=True) if c is None and r})
    frame = gpd.GeoDataFrame(
        {
            "state_ut": [
                c if c is not None else f"?{r}" for r, c in zip(raw, canonical, strict=True)
            ],
            "geometry": shapely.make_valid(frame.geometry.to_numpy()),
        },
        crs=4326,
    )
    frame = frame[frame.geom_type.isin(["Polygon", "MultiPolygon", "GeometryCollection"])]
    merged = frame.dissolve(by="state_ut", as_index=False)
    merged["geometry"] = merged.geometry.simplify(tolerance, preserve_topology=True)
    merged["state_ut"] = merged["state_ut"].where(~merged["state_ut"].str.startswith("?"), None)
    merged = merged[~merged.geometry.is_empty].reset_index(drop=True)
    return merged[["state_ut", "geometry"]], unmatched


def unmatched_message(unmatched: Sequence[str], limit: int = 20, lang: str = DEFAULT_LANG) -> str:
    """Warning text listing the names of a boundary file that matched no state/UT."""
    _ = gettext(lang)
    shown = ", ".join(unmatched[:limit]) + ("…" if len(unmatched) > limit else "")
    return _("Names in the boundary file not matched to a state/UT (drawn grey): {names}.").format(
        names=shown
    )


NOT_MATCHED = N_("not matched")


def choropleth(
    gdf: gpd.GeoDataFrame,
    state_values: pd.DataFrame,
    *,
    measure: str,
    title: str,
    source: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    n_bins: int = 5,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """States filled by value class, drawn offline from a boundary file (:func:`read_boundaries`).

    Polygons are cartesian ``Scatter`` traces with ``fill="toself"`` (plotly's ``Choropleth``
    would fetch its base map from a CDN). Large states are drawn first so enclaves stay
    visible; the legend lists the value classes and "no data reported". Legend, hover text and
    notes in ``lang``; the state names are the file's as matched (English).
    """
    _ = gettext(lang)
    if gdf.empty:
        return figures.empty_figure(_("The boundary file has no states to draw."), title)
    measure = state_metric(measure)
    unit, label_ = measure_unit(measure), measure_label(measure, lang)

    def shown(value: object) -> str:
        return _(NO_DATA) if value is None or pd.isna(value) else fmt.value(value, unit, lang)

    rows = (
        state_values[state_values["measure"] == measure]
        if "measure" in state_values
        else state_values
    )
    rows = rows.drop_duplicates("state_ut").set_index("state_ut")
    shapes = gdf.assign(
        value=gdf["state_ut"].map(rows["value"]).astype(float),
        as_of_date=gdf["state_ut"].map(rows.get("as_of_date")),
    )
    area = shapely.area(shapes.geometry.to_numpy())  # in square degrees: only to order them
    shapes = shapes.assign(_area=area).sort_values("_area", ascending=False)
    have = shapes["value"].dropna().to_numpy(float)
    edges = _bins(have, n_bins, unit) if len(have) else []
    colours = sample_colorscale(
        CONTINUOUS_SCALE, [(i + 0.5) / max(len(edges) - 1, 1) for i in range(len(edges) - 1)]
    )
    fig = figures._base(title, height=720)
    for i in range(len(edges) - 1):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"symbol": "square", "size": 14, "color": colours[i]},
                name=_bin_label(edges[i], edges[i + 1], unit, i == len(edges) - 2, lang),
                legendgroup=f"bin{i}",
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=_(NO_DATA).capitalize(),
            marker={
                "symbol": "square",
                "size": 14,
                "color": NO_DATA_TILE,
                "line": {"color": "#9AA5B1", "width": 1},
            },
            hoverinfo="skip",
        )
    )
    polygons = []  # added at once: plotly re-validates all traces on each add_trace
    for row in shapes.itertuples(index=False):
        if pd.notna(row.value):
            k = int(np.clip(np.searchsorted(edges, row.value, side="right") - 1, 0, len(edges) - 2))
            fill, group = colours[k], f"bin{k}"
        else:
            fill, group = NO_DATA_TILE, "none"
        matched = isinstance(row.state_ut, str) and row.state_ut
        name = figures.plot_text(row.state_ut if matched else _(NOT_MATCHED))
        text = f"{name}: {shown(row.value)}" + (
            " (" + _("as on {date}").format(date=fmt.as_on(row.as_of_date, lang)) + ")"
            if pd.notna(row.value) and pd.notna(row.as_of_date)
            else ""
        )
        x, y = rings([row.geometry], interiors=False)
        polygons.append(
            go.Scatter(
                x=x,
                y=y,
                mode="lines",
                fill="toself",
                fillcolor=fill,
                line={"color": "white", "width": 0.7},
                name=text,
                legendgroup=group,
                showlegend=False,
                hoveron="fills",
                hoverinfo="name",
            )
        )
    fig.add_traces(polygons)
    points = shapes.geometry.representative_point()
    fig.add_trace(
        go.Scatter(
            x=points.x,
            y=points.y,
            mode="markers",
            showlegend=False,
            name=label_,
            marker={"size": 8, "color": "rgba(0,0,0,0)"},
            customdata=np.column_stack(
                [
                    [figures.plot_text(v) for v in shapes["state_ut"].fillna(_(NOT_MATCHED))],
                    [shown(v) for v in shapes["value"]],
                ]
            ),
            hovertemplate="<b>%{customdata[0]}</b><br>"
            + f"{label_}: %{{customdata[1]}}<extra></extra>",
        )
    )
    minx, miny, maxx, maxy = gdf.total_bounds
    geo_layout(fig, np.array([minx, maxx]), np.array([miny, maxy]), False, "")
    fig.update_layout(plot_bgcolor="white", legend={"title": {"text": label_}})
    return finish_map(
        fig, source=source, as_of=as_of, synthetic=synthetic, notes=[_(DISCLAIMER)], lang=lang
    )
