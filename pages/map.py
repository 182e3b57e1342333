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
from smartcities.i18n import gettext
from smartcities.safe import md, trusted
from smartcities.ui import frame as frame_ui
from smartcities.ui import map as map_ui
from smartcities.ui import options, render
from smartcities.ui.map import MAX_UPLOAD_MB, UPLOADED, configured_boundaries, read_boundaries
from smartcities.views import scope_title

KEYS = {k: f"map_{k}" for k in map_view.OPTION_KEYS}

frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
data_label = frame_ui.dataset_label(frame.dataset, lang)
common = {"source": data_label, "as_of": frame.as_of, "synthetic": frame.synthetic, "lang": lang}
data = map_view.gather(frame.engine, frame.scope, frame.as_of, states())

# --- options: from the URL when it changed, else the widgets; written back (non-defaults only)
spec = map_view.url_options(data)
options.seed("map", spec, frame.lang)

render.title(_("Map: {selection}").format(selection=scope_title(frame, lang)))
view, colour, size, shade, basemap = map_ui.controls(data, KEYS, lang)
label = map_measures.labeller(view, lang)(colour)
chosen = {"view": view, "colour": colour, "size": size, "basemap": basemap, "shade": shade}
wanted = options.write("map", spec, chosen)
render.caption(
    md(_("Figures as on **{}**. Data set: {}."), fmt.as_on(frame.as_of, lang), data_label)
)

# --- render
config = {"displaylogo": False}
size_by = None if size == "none" else size
cities, cv, sv = data.cities, data.city_values, data.state_values
if view == "cities":
    outline, _unmatched, problem = configured_boundaries()
    common.update(basemap=basemap, outline=outline, india=boundaries.bundled_shapes())
    common.update(shade=sv, shade_by=None if shade == "none" else shade)
    common["focus_state"] = frame.scope.state_ut
    if problem:
        render.warning(problem)
    if cities.empty:
        render.info(
            _("No Smart City matches the filters in the sidebar. Clear a filter to see more.")
        )
    else:
        title = _("Smart Cities: {measure}").format(measure=label)
        fig = maps.city_map(cities, cv, colour_by=colour, size_by=size_by, title=title, **common)
        summary = maps.describe_city_map(cities, cv, colour, lang)
        select = {"on_select": "rerun", "selection_mode": "points", "alt": summary[:500]}
        event = st.plotly_chart(fig, key="citymap", config=config, **select)
        picked = maps.picked(event.selection.points)
        if picked and picked[0] == "city":
            st.switch_page("pages/city.py", query_params=frame.params(city=picked[1]))
        if picked:  # a small UT's marker: show that UT only
            st.switch_page(
                "pages/map.py", query_params={**frame.params(state=picked[1], city=None), **wanted}
            )
        click = _("Click a city to open its profile, a ring to show that UT only.")
        render.caption(summary + " " + click)
        st.dataframe(maps.city_table(cities, cv, colour, size_by, lang), hide_index=True)
elif view == "states":
    common["highlight"] = frame.scope.state_ut
    title = _("{measure} by state/UT").format(measure=label)
    fig = maps.tile_grid(sv, states(), measure=colour, title=title, **common)
    summary = maps.describe_states(sv, states(), colour, lang)
    st.plotly_chart(fig, key="statemap", config=config, alt=summary[:500])
    render.caption(summary)
    st.dataframe(maps.state_table(sv, states(), colour, lang), hide_index=True)
else:
    upload = st.file_uploader(
        render.label_text(_("State boundary file: GeoJSON, GeoPackage or a zipped Shapefile")),
        type=list(boundaries.BOUNDARY_TYPES),
        max_upload_size=MAX_UPLOAD_MB,
        key="map_upload",
        help=render.help_text(
            _("Used only in your session. See docs/maps.md, or set {env}.").format(
                env=boundaries.BOUNDARY_ENV
            )
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
                _(
                    "No boundary file yet. Upload one above (or set `{env}`); the States (tile "
                    "grid) view needs none. See docs/maps.md."
                ).format(env=boundaries.BOUNDARY_ENV)
            )
        )
    else:
        if unmatched:
            render.warning(boundaries.unmatched_message(unmatched, lang=lang))
        title = _("{measure} by state/UT").format(measure=label)
        fig = boundaries.choropleth(gdf, sv, measure=colour, title=title, **common)
        st.plotly_chart(fig, key="choropleth", config=config)
        render.caption(maps.describe_states(sv, states(), colour, lang))
bundled = view == "cities" and common.get("outline") is None  # the note names what is drawn
note = maps.bundled_note(boundaries.BUNDLED_NOTE, lang) if bundled else _(maps.DISCLAIMER)
offline = _("No internet is needed unless street tiles are chosen.")
render.caption(f"{note} {_(maps.LOCATION_NOTE)} {offline}")
