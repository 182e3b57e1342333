"""Map: India's states/UTs with the Smart Cities on top; or a tile grid, or the user's file.

Offline by default (the bundled boundaries, no tiles, no CDN); street tiles are opt-in. The
page's own options live in the URL (``?view=states&colour=cities&shade=iccc``); the logic is in
:mod:`smartcities.maps` and :mod:`smartcities.boundaries`.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import streamlit as st

from smartcities import boundaries, fmt, maps
from smartcities.dataset import harmoniser, states
from smartcities.i18n import gettext
from smartcities.safe import md, trusted
from smartcities.ui import frame as frame_ui
from smartcities.ui import options, render
from smartcities.views import scope_title

KEYS = {k: f"map_{k}" for k in maps.OPTION_KEYS}
LAST_URL = "_map_last_url"
UPLOADED = "map_boundaries"
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


frame = frame_ui.current()
lang, _ = frame.lang, gettext(frame.lang)
data_label = frame_ui.dataset_label(frame.dataset, lang)
common = {"source": data_label, "as_of": frame.as_of, "synthetic": frame.synthetic, "lang": lang}
data = maps.gather(frame.engine, frame.scope, frame.as_of, states())

# --- options: from the URL when it changed, else the widgets; written back (non-defaults only)
url = options.new_link(maps.OPTION_KEYS, LAST_URL)
if url is not None:
    decoded, problems = maps.decode_options(url, colours=data.colours, sizes=data.sizes)
    for problem in problems:
        render.warning(problem, icon=":material/link_off:")
    st.session_state.update({KEYS[k]: getattr(decoded, k) for k in maps.OPTION_KEYS})

render.title(_("Map: {selection}").format(selection=scope_title(frame, lang)))
c_view, c_colour, c_size, c_shade, c_base = st.columns([1.3, 1.3, 1.1, 1.2, 1.1])
view = c_view.radio(
    render.label_text(_("View")),
    list(maps.VIEWS),
    key=KEYS["view"],
    format_func=lambda v: _(maps.VIEWS[v]),
)
choices = data.colours[view]
if st.session_state.get(KEYS["colour"]) not in choices:
    st.session_state[KEYS["colour"]] = choices[0]
colour = c_colour.selectbox(
    render.label_text(_("Colour by")),
    choices,
    key=KEYS["colour"],
    format_func=maps.labeller(view, lang),
)
label = maps.labeller(view, lang)(colour)
size, basemap, shade = "none", "none", "none"
if view == "cities":
    for key, allowed in (("size", data.sizes), ("shade", data.colours["states"])):
        if st.session_state.get(KEYS[key]) not in ("none", *allowed):
            st.session_state[KEYS[key]] = "none"
    sizes, shades = ["none", *data.sizes], ["none", *data.colours["states"]]
    size = c_size.selectbox(
        render.label_text(_("Size by")),
        sizes,
        key=KEYS["size"],
        format_func=lambda m: maps.size_label(m, lang),
    )
    shade = c_shade.selectbox(
        render.label_text(_("Shade states by")),
        shades,
        key=KEYS["shade"],
        format_func=lambda m: maps.shade_label(m, lang),
    )
    basemap = c_base.radio(
        render.label_text(_("Background")),
        list(maps.BASEMAPS),
        key=KEYS["basemap"],
        format_func=lambda b: _(maps.BASEMAPS[b]),
    )
wanted = maps.encode_options(maps.MapOptions(view, colour, size, basemap, shade))
options.write_params(maps.OPTION_KEYS, wanted, LAST_URL)
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
            render.warning(boundaries.unmatched_message(unmatched))
        title = _("{measure} by state/UT").format(measure=label)
        drawn = {k: v for k, v in common.items() if k != "lang"}  # the file's map: English text
        fig = boundaries.choropleth(gdf, sv, measure=colour, title=title, **drawn)
        st.plotly_chart(fig, key="choropleth", config=config)
        render.caption(maps.describe_states(sv, states(), colour, lang))
bundled = view == "cities" and common.get("outline") is None  # the note names what is drawn
note = maps.bundled_note(boundaries.BUNDLED_NOTE, lang) if bundled else _(maps.DISCLAIMER)
offline = _("No internet is needed unless street tiles are chosen.")
render.caption(f"{note} {_(maps.LOCATION_NOTE)} {offline}")
