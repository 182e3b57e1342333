"""The hostile data set in a real browser: no link, image, request or dialog comes from it.

Two ways in: a configured data folder (``SMARTCITIES_DATA_DIR``; every visitor sees it, so
every page and tab is opened by URL), and an upload adopted through "Your data" (merged over
the public record, then the pages reached through the navigation, which keeps the session).
On every view: no ``<a>`` whose href comes from the data (only the app's own pages and
anchors; source links live in canvas-drawn link columns), no ``<img>`` from the data, no
request to any host but the local server, no dialog. Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests import hostile
from tests.browser.conftest import screenshot, start_server, wait_ready

pytestmark = pytest.mark.browser

VIEWS = [
    "/",
    "/progress?section=stages&city=hostile-a",
    "/progress?section=trend&city=hostile-b",
    "/progress?section=compare",
    "/iccc?section=national",
    "/iccc?section=cities",
    "/map",
    "/map?view=states",
    "/city",
    *[f"/city?city={c[0]}" for c in hostile.CITIES],
    "/data?table=cities",
    "/data?table=events",
    "/about?section=sources",
    *[f"/coverage?section={s}" for s in ("cities", "states", "checks")],
    "/load",
]
LOCAL = ("127.0.0.1", "localhost")


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    for name, content in hostile.files():
        (folder / name.replace("/", "_")).write_bytes(content)  # a file name holds no "/"
    proc, url = start_server(env={"SMARTCITIES_DATA_DIR": str(folder)})
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


class Watch:
    """Requests leaving the machine and dialogs, for one page (browser tab)."""

    def __init__(self, page) -> None:  # noqa: ANN001 (Playwright page)
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", self._request)
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def _request(self, request) -> None:  # noqa: ANN001
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname not in LOCAL:
            self.outside.append(request.url)


def bad_links_and_images(page, base: str) -> list[str]:  # noqa: ANN001
    """Anchors whose href is not the app's own, and images not served by the app."""
    found = page.evaluate(
        """() => ({
            links: [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href')),
            images: [...document.querySelectorAll('img[src]')].map(i => i.getAttribute('src')),
        })"""
    )
    bad = []
    for href in found["links"]:
        absolute = href if "://" in href or href.startswith("javascript:") else base + "/" + href
        parts = urlsplit(absolute)
        own = parts.scheme in ("http", "https") and parts.hostname in LOCAL
        if not own or any(h in href for h in hostile.TRACKER_HOSTS):
            bad.append(f"<a href={href!r}>")
    for src in found["images"]:
        parts = urlsplit(src if "://" in src else base + "/" + src)
        if parts.scheme not in ("http", "https", "data", "blob") or (
            parts.scheme in ("http", "https") and parts.hostname not in LOCAL
        ):
            bad.append(f"<img src={src!r}>")
    return bad


def check(page, base: str, watch: Watch, view: str) -> None:  # noqa: ANN001
    assert bad_links_and_images(page, base) == [], view
    assert watch.outside == [], view
    assert watch.dialogs == [], view
    # The LaTeX rule would black out the page; the hostile names show as text instead.
    assert page.locator(".katex").count() == 0, view


def test_every_page_of_a_hostile_data_folder(hostile_server, page) -> None:  # noqa: ANN001
    watch = Watch(page)
    for view in VIEWS:
        page.goto(hostile_server + view)
        wait_ready(page)
        check(page, hostile_server, watch, view)
        if view == "/city?city=hostile-a":
            title = page.inner_text('[data-testid="stMain"] h1')
            # Shown literally, brackets and all (an invisible word joiner breaks the address).
            assert hostile.LINK in title.replace("\u2060", "")
            screenshot(page, "hostile_city_profile")
        if view.startswith("/progress?section=stages"):
            screenshot(page, "hostile_progress")


def test_a_hostile_upload_merged_then_the_pages(server, page) -> None:  # noqa: ANN001
    watch = Watch(page)
    page.goto(server + "/load")
    wait_ready(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[
            {"name": name, "mimeType": "text/csv", "buffer": content}
            for name, content in hostile.files()
        ]
    )
    page.get_by_role("button", name="Use this data").wait_for(timeout=60_000)
    wait_ready(page)
    page.get_by_text("Merge over the public record").click()
    wait_ready(page)
    page.get_by_role("button", name="Use this data").click()
    page.wait_for_timeout(500)
    wait_ready(page)
    check(page, server, watch, "/load")
    screenshot(page, "hostile_upload_report")
    pages = ("Overview", "Mission progress", "ICCC rollout", "Map", "City profile", "Data coverage")
    for name in pages:
        page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()
        page.wait_for_timeout(500)
        wait_ready(page)
        assert "dataset=uploaded" in page.url, name
        check(page, server, watch, name)
    screenshot(page, "hostile_upload_city_list")


def test_the_link_check_can_fail(server, page) -> None:  # noqa: ANN001
    """A link to a tracker on the page is found (the checks above are not vacuous)."""
    page.goto(server + "/about")
    wait_ready(page)
    page.evaluate(
        """() => { const a = document.createElement('a');
                   a.href = 'https://phish.example/x'; document.body.appendChild(a); }"""
    )
    assert bad_links_and_images(page, server) == ["<a href='https://phish.example/x'>"]
