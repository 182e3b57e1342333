"""deploy/: two app processes serving one store behind Debian's nginx, as configured there.

Starts two ``streamlit run`` processes on the same store, renders ``deploy/render.py``'s nginx
configuration for them, and runs nginx (``make test`` installs Debian's ``nginx-light``). Checks
the security headers, the host check, that the metrics stay private, that the Overview is drawn
through the proxy by each process in turn, and a rolling update: one process restarted on a
new store while a session on the other keeps its connection.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from smartcities.config import BUNDLED_DATA, ROOT
from smartcities.store.build import build_store
from tests.browser.conftest import _free_port, screenshot, streamlit_command, wait_ready

pytestmark = [pytest.mark.browser, pytest.mark.deploy]

sys.path.insert(0, str(ROOT / "deploy"))
from localproxy import Proxy, nginx_binary  # noqa: E402  (deploy/localproxy.py)

# The name nginx serves; any other Host header (127.0.0.1, evil.example) gets no response.
HOST = "localhost"


def start_app(port: int, store: Path) -> subprocess.Popen:
    proc = subprocess.Popen(
        streamlit_command("dashboard.py", port, "--store", str(store)),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return proc
        except OSError:
            time.sleep(0.3)
    stop(proc)
    raise RuntimeError("app process did not start: " + proc.stderr.read().decode()[-2000:])


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("stores")
    first = build_store(BUNDLED_DATA, folder / "first.duckdb", label="Store one").store
    second = build_store(BUNDLED_DATA, folder / "second.duckdb", label="Store two").store
    assert first is not None and second is not None
    return first, second


@pytest.fixture(scope="module")
def stack(stores, tmp_path_factory):
    binary = nginx_binary()
    if binary is None:
        pytest.skip(
            "nginx is not installed and could not be: `make test` installs Debian's "
            "nginx-light (apt); this machine has no nginx binary"
        )
    ports = [_free_port(), _free_port()]
    while ports[0] == ports[1]:
        ports[1] = _free_port()
    apps: dict[int, subprocess.Popen] = {}
    proxy = Proxy(binary, tmp_path_factory.mktemp("nginx"), ports, HOST)
    try:
        for p in ports:
            apps[p] = start_app(p, stores[0])
        proxy.start()
        yield proxy, apps
    finally:
        proxy.stop()
        for proc in apps.values():
            stop(proc)


def open_overview(browser, proxy: Proxy):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    page.goto(f"http://{HOST}:{proxy.port}/")
    wait_ready(page)
    return context, page, console, sockets


def test_security_headers_on_every_response(stack):
    proxy, _ = stack
    for path in ("/", "/_stcore/health", "/static/does-not-exist.js"):
        _, headers, _ = proxy.get(path)
        csp = headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        script_src = re.search(r"script-src ([^;]*)", csp).group(1)
        # Own scripts and the index page's one inline line by hash: no eval, no other origin.
        assert re.fullmatch(r"'self'( 'sha256-[A-Za-z0-9+/=]+')*", script_src), script_src
        assert "http" not in csp  # no third-party origin at all
        assert headers.get("x-frame-options") == "DENY"
        assert headers.get("x-content-type-options") == "nosniff"
        assert headers.get("referrer-policy") == "same-origin"
        assert "server" not in headers or "nginx/" not in headers["server"]  # no version


def test_unknown_host_gets_no_response(stack):
    proxy, _ = stack
    status, _, _ = proxy.get("/_stcore/health")
    assert status == 200
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        proxy.get("/", host="evil.example")
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        proxy.get("/", host="127.0.0.1")


def test_metrics_stay_off_the_public_side(stack):
    proxy, apps = stack
    status, _, _ = proxy.get("/_stcore/metrics")
    assert status == 404
    # The process itself still serves them, on its loopback port only.
    port = next(iter(apps))
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=5) as r:
        assert r.status == 200
    status, _, body = proxy.get("/healthz")
    assert status == 200 and body.strip() == b"ok"


def test_overview_through_the_proxy_without_csp_violations(stack, browser):
    proxy, _ = stack
    context, page, console, _ = open_overview(browser, proxy)
    try:
        main = page.inner_text('[data-testid="stMain"]')
        assert "7,767" in main  # the headline: drawn, so the websocket went through
        assert page.locator('[data-testid="stException"]').count() == 0
        violations = [m for m in console if "Content Security Policy" in m]
        assert not violations, violations[:3]
        assert page.locator('[data-testid="stPlotlyChart"] .main-svg').count() >= 1
        screenshot(page, "deploy-overview-through-nginx")
    finally:
        context.close()
    assert proxy.upstreams(), "the proxy's log names the process that served the session"


PAGES = ("/iccc", "/progress", "/map", "/city?city=pune", "/data", "/load", "/about")


def test_every_page_draws_under_the_csp(stack, browser):
    """What Streamlit and the pages load (plotly, maps, the data grid, fonts, icons) fits the
    policy: no violation logged, nothing fetched from another origin."""
    proxy, _ = stack
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    foreign: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(f"http://{HOST}:") else foreign.append(r.url),
    )
    try:
        for path in PAGES:
            page.goto(f"http://{HOST}:{proxy.port}{path}")
            wait_ready(page)
            assert page.locator('[data-testid="stException"]').count() == 0, path
        violations = [m for m in console if "Content Security Policy" in m]
        assert not violations, violations[:3]
        assert not [u for u in foreign if not u.startswith(("data:", "blob:"))], foreign[:3]
    finally:
        context.close()


def test_rolling_update_keeps_the_other_process_sessions(stack, stores, browser):
    proxy, apps = stack
    ports = list(apps)
    # A session through the proxy: ip_hash puts this client on one process (first).
    ctx1, page1, _, _ = open_overview(browser, proxy)
    first = proxy.upstreams()[-1]
    other = next(p for p in ports if p != first)
    # Take "first" out: new sessions go to the other process, which draws the Overview too.
    proxy.reload(down=(first,))
    ctx2, page2, _, sockets2 = open_overview(browser, proxy)
    assert proxy.upstreams()[-1] == other
    assert "7,767" in page2.inner_text('[data-testid="stMain"]')
    # Restart "first" on the new store while page2's session lives on "other".
    stop(apps[first])
    apps[first] = start_app(first, stores[1])
    proxy.reload()
    # page2 keeps its session: a filter change answers on the same websocket.
    box = page2.locator('[data-testid="stSidebar"]').get_by_role("combobox", name="State/UT")
    box.click()
    box.type("Gujarat")
    page2.get_by_role("option", name="Gujarat", exact=True).first.click()
    page2.wait_for_timeout(300)
    wait_ready(page2)
    assert "Gujarat" in page2.locator('[data-testid="stMain"] h1').first.inner_text()
    assert len(sockets2) == 1, f"page2 reconnected: {sockets2}"
    # The restarted process serves the new store (its label in the sidebar).
    proxy.reload(down=(other,))
    ctx3, page3, _, _ = open_overview(browser, proxy)
    assert proxy.upstreams()[-1] == first
    assert "Store two" in page3.inner_text('[data-testid="stSidebar"]')
    for ctx in (ctx1, ctx2, ctx3):
        ctx.close()
    proxy.reload()
