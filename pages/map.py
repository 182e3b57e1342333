"""Map: India's states/UTs with the Smart Cities on top; or a tile grid, or the user's file.

Offline by default (the bundled boundaries, no tiles, no CDN); street tiles are opt-in. The
page's own options live in the URL (``?view=states&colour=cities&shade=iccc``, the spec in
:mod:`smartcities.map_view`); the logic is in :mod:`smartcities.map_view` (queries),
:mod:`smartcities.map_measures`, :mod:`smartcities.maps` and :mod:`smartcities.boundaries`.
"""

from __future__ import annotations

import streamlit as st

from smartcities import boundaries, map_view
from smartcities.dataset import states
from smartcities.i18n import gettext
from smartcities.ui import frame as frame_ui
from smartcities.ui import map as map_ui
from smartcities.ui import options, render
from smartcities.ui.map import MAX_UPLOAD_MB, UPLOADED, configured_boundaries, read_boundaries

KEYS = {k: f"map_{k}" for k in map_view.OPTION_KEYS}

frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
data_label = frame_ui.dataset_label(frame.dataset, lang)
common = {"source": data_label, "as_of": frame.as_of, "synthetic": frame.synthetic, "lang": lang}
data = map_view.gather(frame.engine, frame.scope, frame.as_of, states())

# --- options: from the URL when it changed, else the widgets; written back (non-defaults only)
spec = map_view.url_options(data)
options.seed("map", spec, frame.lang)

title, caption = map_view.heading(frame, data_label, frame.as_of, lang)
render.title(title)
view, colour, size, shade, basemap = map_ui.controls(data, KEYS, lang)
chosen = {"view": view, "colour": colour, "size": size, "basemap": basemap, "shade": shade}
wanted = options.write("map", spec, chosen)
render.caption(caption)

# --- render: only the chosen view's model is built
config = {"displaylogo": False}
outline = None
if view == "cities":
    outline, _unmatched, problem = configured_boundaries()
    if problem:
        render.warning(problem)
    shown = map_view.cities_view(
        data,
        colour=colour,
        size=size,
        shade=shade,
        basemap=basemap,
        outline=outline,
        focus_state=frame.scope.state_ut,
        common=common,
    )
    if shown.message:
        render.info(shown.message)
    else:
        chart = shown.chart
        select = {"on_select": "rerun", "selection_mode": "points", "alt": chart.summary[:500]}
        event = st.plotly_chart(chart.figure, key=chart.key, config=config, **select)
        picked = map_view.picked(event.selection.points)
        if picked and picked[0] == "city":
            st.switch_page("pages/city.py", query_params=frame.params(city=picked[1]))
        if picked:  # a small UT's marker: show that UT only
            st.switch_page(
                "pages/map.py", query_params={**frame.params(state=picked[1], city=None), **wanted}
            )
        click = _("Click a city to open its profile, a ring to show that UT only.")
        render.caption(chart.summary + " " + click)
        st.dataframe(shown.table, hide_index=True)
elif view == "states":
    shown = map_view.states_view(
        data, states(), colour=colour, highlight=frame.scope.state_ut, common=common
    )
    st.plotly_chart(
        shown.chart.figure, key=shown.chart.key, config=config, alt=shown.chart.summary[:500]
    )
    render.caption(shown.chart.summary)
    st.dataframe(shown.table, hide_index=True)
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
    if gdf is not None and unmatched:
        render.warning(boundaries.unmatched_message(unmatched, lang=lang))
    shown = map_view.boundaries_view(data, states(), gdf, colour=colour, common=common)
    if shown.message:
        render.info(shown.message)
    else:
        st.plotly_chart(shown.chart.figure, key=shown.chart.key, config=config)
        render.caption(shown.chart.summary)
render.caption(map_view.footnote(view, outline, lang))
