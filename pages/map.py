"""Map: India's states/UTs with the Smart Cities on top; or a tile grid, or the user's file.

Offline by default (the bundled boundaries, no tiles, no CDN); street tiles are opt-in. The
page's own options live in the URL (``?view=states&colour=cities&shade=iccc``, the spec in
:mod:`smartcities.map_view`); the logic is in :mod:`smartcities.map_view` (queries),
:mod:`smartcities.map_measures`, :mod:`smartcities.maps` and :mod:`smartcities.boundaries`.
"""

from __future__ import annotations

import streamlit as st

from smartcities import boundaries, fmt, map_measures, map_view, maps
from smartcities.dataset import states
from smartcities.safe import md, trusted
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.ui.map import MAX_UPLOAD_MB, UPLOADED, configured_boundaries, read_boundaries
from smartcities.views import scope_title

KEYS = {k: f"map_{k}" for k in map_view.OPTION_KEYS}

frame = frame_ui.current()
common = {"source": frame.dataset.label, "as_of": frame.as_of, "synthetic": frame.synthetic}
data = map_view.gather(frame.engine, frame.scope, frame.as_of, states())

# --- options: from the URL when it changed, else the widgets; written back (non-defaults only)
spec = map_view.url_options(data)
options.seed("map", spec, frame.lang)

render.title(f"Map: {scope_title(frame)}")
c_view, c_colour, c_size, c_shade, c_base = st.columns([1.3, 1.3, 1.1, 1.2, 1.1])
view = c_view.radio("View", list(map_view.VIEWS), key=KEYS["view"], format_func=map_view.VIEWS.get)
choices = data.colours[view]
if st.session_state.get(KEYS["colour"]) not in choices:
    st.session_state[KEYS["colour"]] = choices[0]
colour = c_colour.selectbox(
    "Colour by", choices, key=KEYS["colour"], format_func=map_measures.labeller(view)
)
label = map_measures.labeller(view)(colour)
size, basemap, shade = "none", "none", "none"
if view == "cities":
    for key, allowed in (("size", data.sizes), ("shade", data.colours["states"])):
        if st.session_state.get(KEYS[key]) not in ("none", *allowed):
            st.session_state[KEYS[key]] = "none"
    sizes, shades = ["none", *data.sizes], ["none", *data.colours["states"]]
    size = c_size.selectbox("Size by", sizes, key=KEYS["size"], format_func=map_measures.size_label)
    shade = c_shade.selectbox(
        "Shade states by", shades, key=KEYS["shade"], format_func=map_measures.shade_label
    )
    basemap = c_base.radio(
        "Background",
        list(map_view.BASEMAPS),
        key=KEYS["basemap"],
        format_func=map_view.BASEMAPS.get,
    )
chosen = {"view": view, "colour": colour, "size": size, "basemap": basemap, "shade": shade}
wanted = options.write("map", spec, chosen)
render.caption(
    md("Figures as on **{}**. Data set: {}.", fmt.as_on(frame.as_of), frame.dataset.label)
)

# --- render
config = {"displaylogo": False}
size_by = None if size == "none" else size
cities, cv, sv = data.cities, data.city_values, data.state_values
if view == "cities":
    outline, _, problem = configured_boundaries()
    common.update(basemap=basemap, outline=outline, india=boundaries.bundled_shapes())
    common.update(shade=sv, shade_by=None if shade == "none" else shade)
    common["focus_state"] = frame.scope.state_ut
    if problem:
        render.warning(problem)
    if cities.empty:
        render.info("No Smart City matches the filters in the sidebar. Clear a filter to see more.")
    else:
        title = f"Smart Cities: {label}"
        fig = maps.city_map(cities, cv, colour_by=colour, size_by=size_by, title=title, **common)
        summary = maps.describe_city_map(cities, cv, colour)
        select = {"on_select": "rerun", "selection_mode": "points", "alt": summary[:500]}
        event = st.plotly_chart(fig, key="citymap", config=config, **select)
        picked = maps.picked(event.selection.points)
        if picked and picked[0] == "city":
            st.switch_page("pages/city.py", query_params=frame.params(city=picked[1]))
        if picked:  # a small UT's marker: show that UT only
            st.switch_page(
                "pages/map.py", query_params={**frame.params(state=picked[1], city=None), **wanted}
            )
        render.caption(summary + " Click a city to open its profile, a ring to show that UT only.")
        st.dataframe(maps.city_table(cities, cv, colour, size_by), hide_index=True)
elif view == "states":
    common["highlight"] = frame.scope.state_ut
    fig = maps.tile_grid(sv, states(), measure=colour, title=f"{label} by state/UT", **common)
    summary = maps.describe_states(sv, states(), colour)
    st.plotly_chart(fig, key="statemap", config=config, alt=summary[:500])
    render.caption(summary)
    st.dataframe(maps.state_table(sv, states(), colour), hide_index=True)
else:
    upload = st.file_uploader(
        "State boundary file: GeoJSON, GeoPackage or a zipped Shapefile",
        type=list(boundaries.BOUNDARY_TYPES),
        max_upload_size=MAX_UPLOAD_MB,
        key="map_upload",
        help=render.help_text(
            f"Used only in your session. See docs/maps.md, or set {boundaries.BOUNDARY_ENV}."
        ),
    )
    gdf, unmatched, problem = configured_boundaries()
    if upload is not None:
        try:
            gdf, unmatched = read_boundaries(upload.getvalue())
            problem, st.session_state[UPLOADED] = None, gdf
        except boundaries.BoundaryError as exc:
            gdf, problem = None, f"{upload.name}: {exc}"
    if problem:
        render.error(problem, icon=":material/error:")
    if gdf is None:
        render.info(
            trusted(  # a code constant: inside a code span escapes would show
                f"No boundary file yet. Upload one above (or set `{boundaries.BOUNDARY_ENV}`); "
                "the States (tile grid) view needs none. See docs/maps.md."
            )
        )
    else:
        if unmatched:
            render.warning(boundaries.unmatched_message(unmatched))
        fig = boundaries.choropleth(gdf, sv, measure=colour, title=f"{label} by state/UT", **common)
        st.plotly_chart(fig, key="choropleth", config=config)
        render.caption(maps.describe_states(sv, states(), colour))
bundled = view == "cities" and common.get("outline") is None  # the note names what is drawn
note = boundaries.BUNDLED_NOTE if bundled else maps.DISCLAIMER
render.caption(f"{note} {maps.LOCATION_NOTE} No internet is needed unless street tiles are chosen.")
