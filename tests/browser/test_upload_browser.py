"""Bring your own data, in a real browser: upload, report, adopt, labels, and nothing lost
when a later upload fails. Hostile cell text must show as text, never run."""

from __future__ import annotations

import pandas as pd
import pytest

from tests import fixtures_bad as fx
from tests.browser.conftest import screenshot, wait_ready

pytestmark = pytest.mark.browser

GOOD = "pune_progress.csv"


def upload(page, name: str, data: bytes, mime: str = "text/csv") -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[{"name": name, "mimeType": mime, "buffer": data}]
    )
    # The upload reruns the page: wait until this file's own section ("name: ...") is drawn
    # (matching the bare name would also match "pune_progress.csv" for "progress.csv").
    page.wait_for_function(
        """(name) => [...document.querySelectorAll('[data-testid="stMain"] *')].some(
            e => e.children.length === 0 && e.textContent.trim().startsWith(name + ":")
                 && !e.closest('[data-testid="stFileUploader"]'))""",
        arg=name,
        timeout=30_000,
    )
    wait_ready(page)


def report_rows(page) -> pd.DataFrame:
    """The validation report, as the user downloads it."""
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the report (CSV)").click()
    return pd.read_csv(info.value.path())


def main_text(page) -> str:
    return page.inner_text('[data-testid="stMain"]')


def test_upload_adopt_then_bad_upload_keeps_data(server, page):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server + "/load")
    wait_ready(page)

    upload(page, GOOD, fx.good_pune_wide_csv())
    text = main_text(page)
    assert "progress" in text and "0 errors" in text
    page.get_by_role("button", name="Use this data").click()
    page.wait_for_timeout(500)
    wait_ready(page)
    sidebar = page.inner_text('[data-testid="stSidebar"]')
    assert "Your data" in sidebar and GOOD in sidebar
    screenshot(page, "upload_adopted")

    # A failing upload: a clear error, and the adopted data is still the one in use.
    bad = fx.excel_as_csv()
    upload(page, bad.name, bad.data)
    text = main_text(page)
    assert "not recognised" in text and "1 error" in text
    # The downloadable report names the file, the problem and the fix.
    report = report_rows(page)
    row = report[report["file"] == bad.name].iloc[0]
    assert row["severity"] == "error" and "Excel" in row["message"] and row["fix"]
    assert GOOD in page.inner_text('[data-testid="stSidebar"]')
    screenshot(page, "upload_bad_file_report")

    # Hostile cell text is shown as text and nothing runs.
    hostile = fx.formula_and_html()
    upload(page, hostile.name, hostile.data)
    report = report_rows(page)
    warned = report[(report["file"] == hostile.name) & (report["severity"] == "warning")]
    assert warned["message"].str.contains("formula", case=False).any()
    assert dialogs == []
    assert page.locator("script", has_text="alert(1)").count() == 0

    # Other pages show the adopted upload, labelled, with its file name.
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Overview").click()
    page.wait_for_timeout(500)
    wait_ready(page)
    body = page.inner_text("body")
    assert "your uploaded data" in body.lower() and GOOD in body
    assert "dataset=uploaded" in page.url
    screenshot(page, "upload_overview_uses_upload")


def test_upload_is_private_to_the_session(server, browser):
    first = browser.new_context()
    p1 = first.new_page()
    p1.goto(server + "/load")
    wait_ready(p1)
    upload(p1, GOOD, fx.good_pune_wide_csv())
    p1.get_by_role("button", name="Use this data").click()
    p1.wait_for_timeout(500)
    wait_ready(p1)
    assert GOOD in p1.inner_text('[data-testid="stSidebar"]')

    second = browser.new_context()
    p2 = second.new_page()
    p2.goto(server + "/?dataset=uploaded")
    wait_ready(p2)
    body = p2.inner_text("body")
    assert GOOD not in body
    assert "this session has none" in body
    first.close()
    second.close()


def test_mission_project_export_upload_then_city_projects(server, page):
    """The mission's own project export (GMIS layout), as a user brings it: recognised,
    reported in its own column names, adopted, and the city's projects on its profile."""
    from tests import fixtures_gmis as fg

    page.goto(server + "/load")
    wait_ready(page)
    upload(page, fg.NAME, fg.export_csv())
    text = main_text(page)
    assert f"{fg.ROWS_USED} of {fg.ROWS_READ} row(s) used" in text
    report = report_rows(page)
    mine = report[report["file"] == fg.NAME]
    assert "Milestone" in set(mine["column"]) and "RFP / Tender Issued" in set(mine["column"])
    screenshot(page, "upload_gmis_report")
    page.get_by_role("button", name="Use this data").click()
    page.wait_for_timeout(500)
    wait_ready(page)
    assert fg.NAME in page.inner_text('[data-testid="stSidebar"]')

    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="City profile").click()
    page.wait_for_timeout(500)
    wait_ready(page)
    box = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"] input').first
    box.click()
    box.fill("Bhubaneswar")
    page.keyboard.press("Enter")
    page.wait_for_timeout(500)
    wait_ready(page)
    body = main_text(page)
    assert "Projects (4)" in body and "city=bhubaneswar" in page.url
    assert "Integrated Command and Control Centre" in body
    page.get_by_text("Projects (4)").scroll_into_view_if_needed()
    screenshot(page, "city_gmis_projects")

    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Mission progress").click()
    page.wait_for_timeout(500)
    wait_ready(page)
    buttons = page.locator('[data-testid="stMain"] button')
    buttons.filter(has_text="Area-based or pan-city").click()
    page.wait_for_timeout(500)
    wait_ready(page)
    assert "by=component" in page.url
    assert "Pan-city solution" in main_text(page)
    screenshot(page, "progress_gmis_breakdown")
