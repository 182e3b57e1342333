"""Browser tier: a real Streamlit server on a free local port, driven by Playwright in
Debian's headless Chromium (no browser is downloaded; ``make test`` installs ``chromium``)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(script: str, port: int, *app_args: str) -> list[str]:
    """``streamlit run`` on 127.0.0.1:port, headless, no telemetry or file watcher;
    ``app_args`` go to the app after ``--`` (e.g. ``--store PATH``)."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        script,
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]
    return [*cmd, "--", *app_args] if app_args else cmd


def serious_violations(pg) -> list[tuple[str, str, int]]:
    """axe-core's serious and critical violations on the page: (rule, impact, nodes)."""
    from axe_playwright_python.sync_playwright import Axe

    return [
        (v["id"], v["impact"], len(v["nodes"]))
        for v in Axe().run(pg).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def start_server(
    script: str = "dashboard.py", env: dict[str, str] | None = None
) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run`` on a free port; return the process and its base URL."""
    port = _free_port()
    cmd = streamlit_command(script, port)
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("Streamlit server did not start: " + proc.stderr.read().decode()[-2000:])


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    proc, url = start_server()
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    if path is None:
        pytest.fail("Debian's chromium is not installed: run `make test`, which installs it.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pg = context.new_page()
    yield pg
    context.close()


# Done: the script run has finished, no element is still loading its code (a skeleton), and
# every plotly chart has drawn its SVG (the chart's code loads lazily, after the run ends).
READY = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
  if (document.querySelector('[data-testid="stSkeleton"]')) return false;
  for (const el of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
    if (!el.querySelector('.main-svg')) return false;
  }
  return true;
}"""


def wait_ready(pg, timeout_ms: int = 45_000) -> None:
    """Wait until the app has rendered, its script run has finished and its charts are drawn."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    pg.wait_for_selector('[data-testid="stMain"] h1', timeout=timeout_ms)
    pg.wait_for_timeout(200)  # a rerun started by the URL sync flips the state back first
    pg.wait_for_function(READY, timeout=timeout_ms)
    pg.wait_for_timeout(400)


def screenshot(pg, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
