"""Hindi pages in a browser: ``/?lang=hi`` renders every page in Hindi (menu, sidebar,
title, headings, charts), the axe scan finds no serious or critical violation on any of them,
a link from a Hindi page keeps the language and switching the language keeps the filters.
Screenshots in test-artifacts/ (hindi_<page>.png)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot, serious_violations, wait_ready

pytestmark = pytest.mark.browser

DEVANAGARI = re.compile(r"[\u0900-\u097F]")
HINDI_PATHS = {
    "overview": "/?lang=hi",
    "city": "/city?city=pune&lang=hi",
    "iccc": "/iccc?lang=hi&section=cities",
    "progress": "/progress?lang=hi&section=trend",
    "progress_compare": "/progress?lang=hi&section=compare&state=maharashtra",
    "coverage": "/coverage?lang=hi",
    "coverage_checks": "/coverage?lang=hi&section=checks",
    "load": "/load?lang=hi",
    "about": "/about?lang=hi&section=measures",
    "map": "/map?lang=hi",
    "map_states": "/map?lang=hi&view=states",
    "data": "/data?lang=hi",
}
# The first heading of each page in Hindi.
HINDI_TITLES = {
    "progress": "मिशन की प्रगति",
    "progress_compare": "मिशन की प्रगति",
    "coverage": "डेटा की उपलब्धता",
    "coverage_checks": "डेटा की उपलब्धता",
    "load": "आपका डेटा",
    "about": "डैशबोर्ड और उसके स्रोतों का परिचय",
    "map": "मानचित्र",
    "map_states": "मानचित्र",
    "data": "डेटा और डाउनलोड",
}


def test_overview_in_hindi(server, page):
    page.goto(server + HINDI_PATHS["overview"])
    wait_ready(page)
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text().startswith("स्मार्ट सिटी मिशन")
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    for title in ("अवलोकन", "शहर का विवरण", "मिशन की प्रगति"):
        assert title in nav, nav
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "डेटा सेट" in sidebar and "राज्य/संघ राज्य क्षेत्र" in sidebar
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "ध्यान देने योग्य शहर" in main
    assert "अपवाद वाले शहर, कारण के अनुसार" in page.locator(".js-plotly-plot").first.inner_text()
    # The menu's links keep their English URL paths.
    hrefs = page.locator('[data-testid="stSidebarNav"] a').evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )
    assert any(h.rstrip("/").endswith("/city") for h in hrefs), hrefs
    # The browser tab's title follows the language.
    assert DEVANAGARI.search(page.title()), page.title()
    screenshot(page, "hindi_overview")


def test_city_profile_in_hindi(server, page):
    page.goto(server + HINDI_PATHS["city"])
    wait_ready(page)
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text() == "पुणे"
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "एकीकृत कमान एवं नियंत्रण केंद्र" in main
    screenshot(page, "hindi_city")


def test_iccc_in_hindi(server, page):
    page.goto(server + HINDI_PATHS["iccc"])
    wait_ready(page)
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text().startswith("आईसीसीसी की स्थापना")
    charts = page.locator(".js-plotly-plot")
    assert charts.count() >= 1 and "संचालित आईसीसीसी वाले शहर" in charts.first.inner_text()
    screenshot(page, "hindi_iccc")


def test_html_lang_follows_the_page_language(server, page):
    """Streamlit serves ``<html lang="en">`` on every page (1.67, no setting); the app sets it
    from the page's language (WCAG 3.1.1), and switching the language switches it."""
    page.goto(server + HINDI_PATHS["overview"])
    wait_ready(page)
    page.wait_for_function("document.documentElement.lang === 'hi'", timeout=10_000)
    page.goto(server + "/coverage")
    wait_ready(page)
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=10_000)
    page.locator('[data-testid="stSidebar"]').get_by_text("हिन्दी").click()
    page.wait_for_url(lambda url: "lang=hi" in url, timeout=30_000)
    wait_ready(page)
    page.wait_for_function("document.documentElement.lang === 'hi'", timeout=10_000)
    # The element that sets it takes no room and no focus.
    frame = page.locator('[data-testid="stSidebar"] iframe')
    assert frame.count() == 1 and frame.get_attribute("tabindex") == "-1"


@pytest.mark.parametrize("name", list(HINDI_PATHS))
def test_accessibility_in_hindi(server, page, name):
    page.goto(server + HINDI_PATHS[name])
    wait_ready(page)
    bad = serious_violations(page)
    assert bad == [], f"{name} (Hindi): {bad}"


@pytest.mark.parametrize("name", list(HINDI_TITLES))
def test_page_in_hindi(server, page, name):
    """Each page in Hindi: its heading, its charts' text (title, axes, legend) and no English
    sentence of our own in the main area; a screenshot to look at."""
    page.goto(server + HINDI_PATHS[name])
    wait_ready(page)
    page.wait_for_timeout(800)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator("h1").first.inner_text().startswith(HINDI_TITLES[name])
    for chart in page.locator(".js-plotly-plot").all():
        # SVG text: read with textContent (innerText is for HTML elements).
        title = chart.locator(".gtitle").first.text_content() or ""
        assert DEVANAGARI.search(title), title
        for text in chart.locator(".g-xtitle, .g-ytitle, .legendtext").all_text_contents():
            assert DEVANAGARI.search(text), text
    main = page.locator('[data-testid="stMain"]').inner_text()
    for english in ("No figures", "Download these", "Choose files", "Measure projects by"):
        assert english not in main, english
    screenshot(page, f"hindi_{name}")


def test_a_link_from_a_hindi_page_keeps_hindi_and_the_filters(server, page):
    page.goto(server + "/progress?lang=hi&state=karnataka")
    wait_ready(page)
    page.get_by_role("link", name="शहर का विवरण").last.click()
    page.wait_for_url(lambda url: "/city" in url, timeout=30_000)
    wait_ready(page)
    assert "lang=hi" in page.url and "state=karnataka" in page.url, page.url
    assert page.locator("h1").first.inner_text() == "शहर का विवरण"


def test_switching_the_language_keeps_the_filters_in_the_browser(server, page):
    page.goto(server + "/coverage?state=karnataka&section=states")
    wait_ready(page)
    assert page.locator("h1").first.inner_text().startswith("Data coverage")
    page.locator('[data-testid="stSidebar"]').get_by_text("हिन्दी").click()
    page.wait_for_url(lambda url: "lang=hi" in url, timeout=30_000)
    wait_ready(page)
    assert "state=karnataka" in page.url and "section=states" in page.url, page.url
    assert page.locator("h1").first.inner_text() == "डेटा की उपलब्धता: कर्नाटक"


def _dropdowns(sidebar) -> list[str]:
    """What the sidebar's dropdowns show (the text in each combobox)."""
    boxes = sidebar.locator('[data-testid="stSelectbox"] input[role="combobox"]')
    return [box.input_value() for box in boxes.all()]


def test_switching_the_language_relabels_the_sidebar_filters(server, page):
    """The browser keeps a dropdown's choice by its label: after English → Hindi the filters
    must show their Hindi labels (not "All states/UTs") and the data-set radio its choice."""
    page.goto(server + "/coverage")
    wait_ready(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    assert _dropdowns(sidebar) == ["All states/UTs", "All rounds", "All cities", "Latest report"]
    sidebar.get_by_text("हिन्दी").click()
    page.wait_for_url(lambda url: "lang=hi" in url, timeout=30_000)
    wait_ready(page)
    page.wait_for_timeout(500)
    assert _dropdowns(sidebar) == [
        "सभी राज्य/संघ राज्य क्षेत्र",
        "सभी दौर",
        "सभी शहर",
        "नवीनतम रिपोर्ट",
    ]
    dataset = sidebar.locator('[role="radiogroup"]').first
    assert dataset.locator('input[type="radio"]:checked').count() == 1
    assert dataset.locator("label").first.inner_text().strip() == "सार्वजनिक अभिलेख"
    screenshot(page, "hindi_sidebar_after_switch")


def test_a_bad_upload_is_reported_in_hindi(server, page):
    """'Your data' in Hindi with a file that names an unknown city: the validation report's
    message and fix are Hindi on screen; the downloaded report CSV stays English (files are
    not translated). Screenshot: hindi_load_bad_upload.png."""
    import pandas as pd

    from tests import fixtures_bad as fx

    bad = fx.unknown_city()
    page.goto(server + HINDI_PATHS["load"])
    wait_ready(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[{"name": bad.name, "mimeType": "text/csv", "buffer": bad.data}]
    )
    page.get_by_role("button", name="रिपोर्ट डाउनलोड करें (CSV)").wait_for(timeout=30_000)
    wait_ready(page)
    page.wait_for_timeout(800)
    main = page.locator('[data-testid="stMain"]').inner_text()
    assert "सत्यापन रिपोर्ट" in main and "त्रुटि" in main, main
    # The grid draws on a canvas; its cells are also in an accessible table for screen readers.
    grids = page.locator('[data-testid="stDataFrame"]')
    cells = " ".join(grids.nth(i).text_content() or "" for i in range(grids.count()))
    assert "अज्ञात शहर 'Visakapatnam'" in cells, cells[:2000]
    assert "क्या आपका आशय Visakhapatnam से है?" in cells
    assert "unknown city" not in cells
    screenshot(page, "hindi_load_bad_upload")
    with page.expect_download() as info:
        page.get_by_role("button", name="रिपोर्ट डाउनलोड करें (CSV)").click()
    report = pd.read_csv(info.value.path())
    assert "unknown city 'Visakapatnam'" in set(report["message"])
