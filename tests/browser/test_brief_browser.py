"""The "Brief (PDF)" download in a real browser: the click builds the PDF on the server, in the
language of the link, with the page's figures (screenshots and the PDFs in test-artifacts/)."""

from __future__ import annotations

import shutil

import pypdf
import pytest

from tests.browser.conftest import ARTIFACTS, screenshot, wait_ready

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("query", "name", "label", "expected"),
    [
        ("", "overview-en", "Brief (PDF)", ["7,767", "₹1,55,859 crore", "as on 15 Jan 2026"]),
        (
            "city?city=srinagar&lang=hi",
            "city-srinagar-hi",
            "संक्षिप्त विवरण (PDF)",
            ["156 / 161", "₹3,524 करोड़", "15 जनवरी 2026"],
        ),
    ],
)
def test_brief_download(server, page, query, name, label, expected) -> None:
    page.goto(f"{server}/{query}")
    wait_ready(page)
    button = page.get_by_role("button", name=label)
    button.scroll_into_view_if_needed()
    screenshot(page, f"brief-button-{name}")
    with page.expect_download(timeout=60_000) as info:
        button.click()
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / f"downloaded-{download.suggested_filename}"
    shutil.copy(download.path(), target)
    reader = pypdf.PdfReader(str(target))
    text = "\n".join(p.extract_text() for p in reader.pages)
    for figure in expected:
        assert figure in text, figure
    assert target.stat().st_size < 2_000_000
