"""The Map page's Streamlit side: its option widgets, and its boundary file (configured, or
this session's upload), read once and cached. Reading and checking a file is
:mod:`smartcities.boundaries`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import streamlit as st

from smartcities import boundaries, map_measures, map_view
from smartcities.dataset import harmoniser
from smartcities.i18n import gettext
from smartcities.ui import render

UPLOADED = "map_boundaries"  # this session's uploaded boundaries, once read
MAX_UPLOAD_MB = 20


@st.cache_data(max_entries=4, show_spinner="Reading the boundary file…")
def read_boundaries(source: bytes | str, stamp: float = 0) -> tuple[gpd.GeoDataFrame, list[str]]:
    data = source if isinstance(source, bytes) else Path(source)
    return boundaries.read_boundaries(data, None, harmoniser())


def configured_boundaries() -> tuple[gpd.GeoDataFrame | None, list[str], str | None]:
    """The env-configured boundary file, else this session's upload: (states, unmatched, error)."""
    path = boundaries.configured_boundary_file()
    if path is None:
        return st.session_state.get(UPLOADED), [], None
    try:
        stamp = path.stat().st_mtime if path.is_file() else 0
        return (*read_boundaries(str(path), stamp), None)
    except boundaries.BoundaryError as exc:
        return None, [], f"{boundaries.BOUNDARY_ENV}: {exc}"


def controls(data: Any, keys: dict[str, str], lang: str) -> tuple[str, str, str, str, str]:
    """The map's options as widgets (their state comes from the URL through options.seed):
    (view, colour, size, shade, basemap); labels and choices in ``lang``."""
    _ = gettext(lang)
    c_view, c_colour, c_size, c_shade, c_base = st.columns([1.3, 1.3, 1.1, 1.2, 1.1])
    view = c_view.radio(
        render.label_text(_("View")),
        list(map_view.VIEWS),
        key=keys["view"],
        format_func=lambda v: _(map_view.VIEWS[v]),
    )
    choices = data.colours[view]
    if st.session_state.get(keys["colour"]) not in choices:
        st.session_state[keys["colour"]] = choices[0]
    labeller = map_measures.labeller(view, lang)
    colour = c_colour.selectbox(
        render.label_text(_("Colour by")), choices, key=keys["colour"], format_func=labeller
    )
    size, basemap, shade = "none", "none", "none"
    if view == "cities":
        for key, allowed in (("size", data.sizes), ("shade", data.colours["states"])):
            if st.session_state.get(keys[key]) not in ("none", *allowed):
                st.session_state[keys[key]] = "none"
        sizes, shades = ["none", *data.sizes], ["none", *data.colours["states"]]
        size = c_size.selectbox(
            render.label_text(_("Size by")),
            sizes,
            key=keys["size"],
            format_func=lambda m: map_measures.size_label(m, lang),
        )
        shade = c_shade.selectbox(
            render.label_text(_("Shade states by")),
            shades,
            key=keys["shade"],
            format_func=lambda m: map_measures.shade_label(m, lang),
        )
        basemap = c_base.radio(
            render.label_text(_("Background")),
            list(map_view.BASEMAPS),
            key=keys["basemap"],
            format_func=lambda b: _(map_view.BASEMAPS[b]),
        )
    return view, colour, size, shade, basemap
