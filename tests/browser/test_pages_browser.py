"""What only a browser shows: every path renders, deep links, URL sync, offline maps,
downloads that match the view, accessibility, screenshots (saved to test-artifacts/)."""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest

from tests.browser.conftest import screenshot, serious_violations, wait_ready

pytestmark = pytest.mark.browser

PATHS = {
    "overview": "/",
    "iccc": "/iccc",
    "progress": "/progress",
    "map": "/map",
    "city": "/city?city=pune",
    "coverage": "/coverage",
    "coverage_checks": "/coverage?section=checks",
    "data": "/data",
    "load": "/load",
    "about": "/about",
}


def block_outside(pg) -> list[str]:
    """Abort every request that would leave this machine; return the list of attempts."""
    attempts: list[str] = []

    def handle(route):
        host = urlsplit(route.request.url).hostname or ""
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            attempts.append(route.request.url)
            route.abort()

    pg.route("**/*", handle)
    return attempts


def sidebar_choices(pg) -> str:
    """The values shown in the sidebar's select boxes."""
    boxes = pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').all()
    texts = [b.inner_text() for b in boxes]
    values = pg.locator('[data-testid="stSidebar"] input').evaluate_all(
        "els => els.map(e => e.value || e.getAttribute('aria-label') || '')"
    )
    return " | ".join(texts + values)


def query(pg) -> dict[str, list[str]]:
    return parse_qs(urlsplit(pg.url).query)


@pytest.mark.parametrize("name", list(PATHS))
def test_path_renders_offline_without_exception(server, page, name):
    attempts = block_outside(page)
    page.goto(server + PATHS[name])
    wait_ready(page)
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "Traceback" not in page.inner_text("body")
    main_text = page.inner_text('[data-testid="stMain"]')
    assert len(main_text) > 200, f"{name} looks empty"
    # Every chart drawn has actually rendered (an SVG inside the plotly container).
    for chart in page.locator(".js-plotly-plot").all():
        assert chart.locator(".main-svg").count() > 0
    screenshot(page, f"page_{name}")
    outside = [u for u in attempts if not u.startswith("data:")]
    assert outside == [], f"{name} tried to reach the internet: {outside[:3]}"


def test_deep_link_restores_filtered_view(server, page):
    page.goto(server + "/?state=bihar&as_of=2023-07-01")
    wait_ready(page)
    title = page.locator('[data-testid="stMain"] h1').first.inner_text()
    assert "Bihar" in title
    assert "Bihar" in sidebar_choices(page) and "1 Jul 2023" in sidebar_choices(page)
    assert query(page) == {"state": ["bihar"], "as_of": ["2023-07-01"]}
    screenshot(page, "deep_link_bihar")


def test_bad_parameter_warns_and_falls_back(server, page):
    page.goto(server + "/progress?state=atlantis&as_of=notadate")
    wait_ready(page)
    alerts = page.inner_text('[data-testid="stMain"]')
    assert "Unknown state/UT" in alerts and "is not a date" in alerts
    assert page.locator('[data-testid="stException"]').count() == 0
    assert "state" not in query(page) and "as_of" not in query(page)


def _choose(page, label: str, option: str) -> None:
    """Pick an option in a sidebar select box, as a user would."""
    box = page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label)
    box.click()
    box.type(option)  # the option list is virtualised: filter it first
    page.get_by_role("option", name=option, exact=True).first.click()
    page.wait_for_timeout(300)
    wait_ready(page)


def test_filter_change_updates_url_and_survives_navigation(server, page):
    page.goto(server + "/")
    wait_ready(page)
    _choose(page, "State/UT", "Gujarat")
    assert query(page).get("state") == ["gujarat"]
    assert "Gujarat" in page.locator('[data-testid="stMain"] h1').first.inner_text()
    # Streamlit clears query parameters on menu navigation; the frame writes them back.
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Map").click()
    page.wait_for_url(re.compile(r".*/map.*"))
    wait_ready(page)
    page.wait_for_function("() => window.location.search.includes('state=gujarat')")
    assert query(page).get("state") == ["gujarat"]


def test_progress_tab_in_url_and_back(server, page):
    page.goto(server + "/progress?as_of=2025-12-01")
    wait_ready(page)
    page.get_by_role("tab", name="Central funds").click()
    page.wait_for_function("() => window.location.search.includes('section=funds')")
    wait_ready(page)
    assert query(page) == {"as_of": ["2025-12-01"], "section": ["funds"]}
    main = page.locator('[data-testid="stMain"]')
    assert "Central funds released and utilised" in main.inner_text()
    # Only the open tab is drawn: its two charts, rendered.
    charts = page.locator(".js-plotly-plot")
    assert charts.count() == 2
    assert all(c.locator(".main-svg").count() > 0 for c in charts.all())
    screenshot(page, "progress_funds_tab")
    # The shared link opens the same tab in a new session.
    page.goto(server + "/progress?as_of=2025-12-01&section=funds")
    wait_ready(page)
    selected = page.get_by_role("tab", selected=True)
    assert selected.inner_text().strip() == "Central funds"
    page.get_by_role("tab", name="Project stages").click()
    page.wait_for_function("() => !window.location.search.includes('section=')")
    wait_ready(page)
    assert query(page) == {"as_of": ["2025-12-01"]}


def test_synthetic_label_on_every_page(server, page):
    for name, path in PATHS.items():
        sep = "&" if "?" in path else "?"
        page.goto(server + path + sep + "dataset=synthetic")
        wait_ready(page)
        assert "SYNTHETIC" in page.inner_text("body"), f"{name} lacks the synthetic label"
    screenshot(page, "synthetic_about")


def _download(page, label: str):
    with page.expect_download() as info:
        page.get_by_role("button", name=label).first.click()
    return info.value


def test_downloads_match_the_view(server, page, tmp_path):
    page.goto(server + "/data?table=iccc&state=gujarat")
    wait_ready(page)
    text = page.inner_text('[data-testid="stMain"]')
    shown = int(re.search(r"([\d,]+) rows", text).group(1).replace(",", ""))
    assert shown == 6  # Gujarat has six Smart Cities, each with one ICCC row

    csv_dl = _download(page, "CSV")
    assert "gujarat" in csv_dl.suggested_filename
    frame = pd.read_csv(csv_dl.path())
    assert len(frame) == shown
    assert set(frame["city_id"]) == {
        "ahmedabad",
        "surat",
        "vadodara",
        "rajkot",
        "gandhinagar",
        "dahod",
    }

    parquet = pd.read_parquet(_download(page, "Parquet").path())
    assert len(parquet) == shown and list(parquet.columns[:2]) == ["city_id", "stage"]

    excel = pd.read_excel(_download(page, "Excel").path(), sheet_name=None)
    first = next(iter(excel.values()))
    assert len(first) == shown

    import zipfile

    with zipfile.ZipFile(_download(page, "Data package (zip)").path()) as z:
        names = z.namelist()
        assert "datapackage.json" in names and "README.md" in names
        iccc = pd.read_csv(io.BytesIO(z.read(next(n for n in names if "iccc" in n))))
        assert len(iccc) == shown


def test_map_click_opens_city_profile(server, page):
    block_outside(page)
    page.goto(server + "/map")
    wait_ready(page)
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for()
    # Click the first drawn point (WebGL or SVG): ask plotly where it is.
    box = page.evaluate(
        """() => {
            const gd = document.querySelector('.js-plotly-plot');
            const tr = gd._fullData.find(
                t => t.customdata && t.customdata.length && t.customdata[0][0] !== "__state__");
            const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
            const r = gd.getBoundingClientRect();
            return {x: r.left + xa._offset + xa.l2p(tr.x[0]),
                    y: r.top + ya._offset + ya.l2p(tr.y[0]),
                    id: tr.customdata[0][0] || tr.customdata[0]};
        }"""
    )
    page.mouse.click(box["x"], box["y"])
    page.wait_for_url(re.compile(r".*/city\?.*city=.*"), timeout=30_000)
    wait_ready(page)
    assert query(page).get("city") == [box["id"]]
    screenshot(page, "map_click_city")


@pytest.mark.parametrize(
    "name", ["overview", "iccc", "progress", "map", "city", "coverage", "coverage_checks", "data"]
)
def test_accessibility_no_serious_violations(server, page, name):
    page.goto(server + PATHS[name])
    wait_ready(page)
    bad = serious_violations(page)
    assert bad == [], f"{name}: {bad}"


def test_sources_expander_builds_its_table_when_opened_and_stays_open(server, page):
    page.goto(server + "/data?table=iccc")
    wait_ready(page)
    main = page.locator('[data-testid="stMain"]')
    grids = main.locator('[data-testid="stDataFrame"]')
    before = grids.count()
    main.get_by_text("Sources of these rows").click()
    page.wait_for_function(
        f'() => document.querySelectorAll(\'[data-testid="stMain"] [data-testid="stDataFrame"]\')'
        f".length > {before}"
    )
    wait_ready(page)
    assert grids.count() == before + 1, "the sources table is built once opened"
    # Another view: the expander (keyed) stays open and lists that view's sources.
    main.get_by_text("Mission progress", exact=True).click()
    page.wait_for_function("() => window.location.search.includes('table=') === false")
    wait_ready(page)
    details = main.locator("details").filter(has_text="Sources of these rows")
    assert details.get_attribute("open") is not None
    screenshot(page, "data_sources_open")


def test_coverage_row_opens_the_city_profile(server, page):
    """Selecting a city's row in the coverage grid opens that city's profile, filters kept."""
    page.goto(server + "/coverage?state=jammu-and-kashmir")
    wait_ready(page)
    grid = page.locator(".st-key-coverage_cities [data-testid='stDataFrame']").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    # The selection checkbox of the first data row (rows are ~35 px, under a ~35 px header).
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    page.wait_for_url("**/city?**", timeout=30_000)
    wait_ready(page)
    q = query(page)
    assert q["city"] == ["jammu"] and q["state"] == ["jammu-and-kashmir"]
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "Jammu"
    screenshot(page, "coverage_to_city")


# ---------------------------------------------------------------- the map of India (issue 13)

PLOT_STATE = """() => {
    const gd = document.querySelector('.js-plotly-plot');
    const r = gd.getBoundingClientRect();
    const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
    const fills = gd._fullData.filter(t => t.fill === 'toself');
    const rings = gd._fullData.find(
        t => t.customdata && t.customdata.length && t.customdata[0][0] === '__state__');
    const at = i => ({x: r.left + xa._offset + xa.l2p(rings.x[i]),
                      y: r.top + ya._offset + ya.l2p(rings.y[i]), slug: rings.customdata[i][3],
                      name: rings.customdata[i][1]});
    return {fills: fills.length, rings: rings.customdata.map((c, i) => at(i)),
            width: xa._length, height: ya._length,
            cities: gd._fullData.filter(t => t.customdata && t.customdata.length
                && t.customdata[0][0] !== '__state__').reduce((n, t) => n + t.x.length, 0)};
}"""


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("map_india", "/map"),
        ("map_india_shaded", "/map?shade=cities&colour=round"),
        ("map_india_state", "/map?state=punjab&shade=iccc"),
        ("map_tile_grid", "/map?view=states"),
    ],
)
def test_map_of_india_offline(server, page, name, path):
    page.set_viewport_size({"width": 1400, "height": 1500})  # the whole map in the screenshot
    attempts = block_outside(page)
    page.goto(server + path)
    wait_ready(page)
    screenshot(page, name)
    assert page.locator('[data-testid="stException"]').count() == 0
    if name != "map_tile_grid":
        plot = page.evaluate(PLOT_STATE)
        assert plot["fills"] == 36, "every state/UT drawn as a shape"
        assert {r["name"] for r in plot["rings"]} >= {"Chandigarh", "Delhi", "Lakshadweep"}
        assert plot["cities"] == (100 if name != "map_india_state" else 3)
        # The six small UTs' rings sit inside the plot, where they can be seen and clicked.
        for ring in plot["rings"]:
            assert ring["x"] > 0 and ring["y"] > 0
        assert plot["height"] > 500, "India is drawn at a readable size"
    assert "DataMeet" in page.inner_text('[data-testid="stMain"]')
    outside = [u for u in attempts if not u.startswith("data:")]
    assert outside == [], f"{path} tried to reach the internet: {outside[:3]}"


def test_map_small_ut_ring_shows_that_ut(server, page):
    page.set_viewport_size({"width": 1400, "height": 1500})  # Lakshadweep's ring on screen
    block_outside(page)
    page.goto(server + "/map")
    wait_ready(page)
    ring = next(r for r in page.evaluate(PLOT_STATE)["rings"] if r["name"] == "Lakshadweep")
    page.mouse.click(ring["x"] + 8, ring["y"])  # on the ring: its centre is the city's point
    page.wait_for_url(re.compile(r".*/map\?.*state=lakshadweep.*"), timeout=30_000)
    wait_ready(page)
    assert query(page).get("state") == ["lakshadweep"]
    screenshot(page, "map_small_ut_clicked")


def test_city_profile_locator_map_offline(server, page):
    attempts = block_outside(page)
    page.goto(server + "/city?city=port-blair")
    wait_ready(page)
    locator = page.locator('[data-testid="stPlotlyChart"]').first
    locator.wait_for()
    drawn = page.evaluate(
        """() => {
            const gd = document.querySelector('.js-plotly-plot');
            return gd._fullData.map(t => t.name);
        }"""
    )
    assert "Andaman and Nicobar Islands" in drawn and "Port Blair" in drawn
    locator.screenshot(path=str(screenshot(page, "city_locator").with_name("city_locator_map.png")))
    outside = [u for u in attempts if not u.startswith("data:")]
    assert outside == [], f"the city page tried to reach the internet: {outside[:3]}"
