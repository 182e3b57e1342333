"""The Map page's Streamlit side: its boundary file (configured, or this session's upload), read
once and cached. Reading and checking a file is :mod:`smartcities.boundaries`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import streamlit as st

from smartcities import boundaries
from smartcities.dataset import harmoniser

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
