"""Timing a Streamlit page in headless Chromium: "opened" and "filter change done".

What counts as done, and why:

* ``stApp``'s ``data-test-script-state`` is ``notRunning`` (Streamlit's own end-to-end tests
  wait on this attribute) and the connection is ``CONNECTED``; the status widget ("Running…")
  is gone;
* no ``stSkeleton`` (a lazily loaded element such as the plotly chart is still fetching its
  code) and no stale element (left over from the previous run, not yet replaced);
* every plotly chart on the page has drawn its SVG (``.main-svg``);
* a script run has actually happened since the start mark (so the idle state *before* the rerun
  is not mistaken for the end of it): a ``running`` state was seen, or the server sent
  messages and then fell quiet;
* all of that held for ``SETTLE_MS`` without interruption (an ``st.rerun()`` or a query-parameter
  rerun flips the state back to running; then the clock keeps going).

Times are taken *in the page* with ``performance.now()`` (milliseconds since navigation start)
by a script installed before any page code runs, so Playwright's own round trips are not
counted. A page open is measured from navigation start; a filter change from the
``pointerdown`` on the chosen option.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
VIEWPORT = {"width": 1400, "height": 1000}
SETTLE_MS = 300

INIT_SCRIPT = """
(() => {
  const b = window.__bench = {
    states: [], lastInput: null, msgs: [], ready: null, lastMutation: 0,
  };
  const record = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    const s = app ? app.getAttribute('data-test-script-state') : null;
    const last = b.states.length ? b.states[b.states.length - 1][0] : undefined;
    if (s !== last) b.states.push([s, performance.now()]);
  };
  const start = () => {
    record();
    new MutationObserver(() => { b.lastMutation = performance.now(); record(); }).observe(
      document.documentElement,
      {subtree: true, childList: true, attributes: true,
       attributeFilter: ['data-test-script-state']});
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
  document.addEventListener('pointerdown', () => { b.lastInput = performance.now(); }, true);
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { b.msgs.push(performance.now()); });
    }
  };
  window.__benchReady = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app) return false;
    if (app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    if (app.getAttribute('data-test-connection-state') !== 'CONNECTED') return false;
    if (document.querySelector('[data-testid="stStatusWidget"]')) return false;
    if (document.querySelector('[data-testid="stSkeleton"]')) return false;
    if (document.querySelector('[data-stale="true"]')) return false;
    for (const el of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
      if (!el.querySelector('.main-svg')) return false;
    }
    for (const el of document.querySelectorAll('.js-plotly-plot')) {
      if (!el.querySelector('.main-svg')) return false;
    }
    return true;
  };
})();
"""

# Returns false until done; then {done, since, script_start, script_end} (ms, page clock).
WAIT_DONE = """
([since, settle, token]) => {
  const b = window.__bench;
  if (since === null) since = b.lastInput;
  if (since === null || since === undefined) return false;
  const now = performance.now();
  if (!window.__benchReady()) { b.ready = null; return false; }
  const runs = b.states.filter(([s, t]) => t >= since && s === 'running');
  const msgs = b.msgs.filter((t) => t >= since);
  const quiet = msgs.length >= 2 && now - msgs[msgs.length - 1] >= settle;
  if (!runs.length && !quiet) return false;
  if (!b.ready || b.ready.token !== token) b.ready = {token: token, at: now};
  if (now - b.ready.at < settle) return false;
  const ends = b.states.filter(([s, t]) => t >= since && s === 'notRunning');
  return {
    done: b.ready.at, since: since,
    script_start: runs.length ? runs[0][1] : null,
    script_end: ends.length ? ends[ends.length - 1][1] : null,
    runs: runs.length,
  };
}
"""


@dataclass(frozen=True)
class Timing:
    """One measurement: ``ms`` from the start mark until done; the script-run part of it."""

    ms: float
    script_ms: float | None
    runs: int
    errors: int


def _timing(result: dict[str, Any], errors: int) -> Timing:
    start, end = result.get("script_start"), result.get("script_end")
    script = (end - start) if start is not None and end is not None and end >= start else None
    return Timing(
        ms=float(result["done"] - result["since"]),
        script_ms=script,
        runs=int(result.get("runs") or 0),
        errors=errors,
    )


def _errors(page: Any) -> int:
    """Exceptions shown on the page (a failing page is fast but wrong, so it is counted)."""
    return int(page.locator('[data-testid="stException"]').count())


_tokens = iter(range(1, 1 << 62))


def wait_done(page: Any, since: float | None, timeout_ms: float) -> Timing:
    """Wait until the run that started at ``since`` (page clock) is done and drawn."""
    handle = page.wait_for_function(
        WAIT_DONE,
        arg=[since, SETTLE_MS, next(_tokens)],
        polling="raf",
        timeout=timeout_ms,
    )
    result = handle.json_value()
    return _timing(result, _errors(page))


def launch(playwright: Any, executable: str) -> Any:
    """Headless Debian Chromium (no browser download is possible on this machine)."""
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def new_context(browser: Any) -> Any:
    """A browser context with the timing script installed in every page it opens."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(INIT_SCRIPT)
    return context


class Tab:
    """One browser tab reused for every measurement of a server.

    Each :meth:`open` is a full navigation (a new document and a new Streamlit session), like
    following a shared link, but in a warm tab: the browser's HTTP and code caches are filled
    by the warm-up, as for a returning user. A fresh tab per open would add several seconds of
    parsing Streamlit's and plotly's JavaScript to every figure, baseline included, and hide the
    app's own costs. After a failure the tab is replaced, so one timeout does not spoil the
    next measurement.
    """

    def __init__(self, context: Any) -> None:
        self.context = context
        self.page = context.new_page()

    def open(self, url: str, timeout_ms: float) -> Timing:
        """Navigate to ``url``; time from navigation start until the page is done."""
        try:
            self.page.goto(url, wait_until="commit", timeout=timeout_ms)
            return wait_done(self.page, 0.0, timeout_ms)
        except Exception:
            self.reset()
            raise

    def choose(
        self,
        label: str,
        option: str,
        timeout_ms: float,
        before_click: Callable[[], None] | None = None,
    ) -> Timing:
        try:
            return choose(self.page, label, option, timeout_ms, before_click)
        except Exception:
            self.reset()
            raise

    def text(self, selector: str) -> str:
        return str(self.page.inner_text(selector))

    def reset(self) -> None:
        with contextlib.suppress(Exception):  # already gone with the browser
            self.page.close()
        self.page = self.context.new_page()

    def close(self) -> None:
        with contextlib.suppress(Exception):  # already gone with the browser
            self.page.close()


def sidebar_selectbox(page: Any, label: str) -> Any:
    return page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=page.get_by_role("combobox", name=label, exact=True)
    )


def options_of(page: Any, label: str) -> list[str]:
    """The first options of a sidebar selectbox (its list is virtualised: not all are drawn)."""
    box = sidebar_selectbox(page, label)
    box.get_by_role("combobox").click()
    page.wait_for_selector("[role='option']")
    texts = page.locator("[role='option']").all_inner_texts()
    page.keyboard.press("Escape")
    return [t.strip() for t in texts]


def choose(
    page: Any,
    label: str,
    option: str,
    timeout_ms: float,
    before_click: Callable[[], None] | None = None,
) -> Timing:
    """Choose ``option`` in the sidebar selectbox ``label``; time from the click to done.

    The option is typed into the combobox first (long lists are virtualised), then clicked;
    the clock starts at that click's ``pointerdown``. ``before_click`` runs just before it (the
    profiling pass starts the browser's profiler there, so typing is not profiled).
    """
    box = sidebar_selectbox(page, label)
    combo = box.get_by_role("combobox")
    combo.click()
    combo.fill(option)
    target = page.locator("[role='option']").filter(has_text=re.compile(f"^{re.escape(option)}$"))
    target.first.wait_for(state="visible", timeout=timeout_ms)
    page.evaluate("window.__bench.lastInput = null")
    if before_click is not None:
        before_click()
    target.first.click()
    return wait_done(page, None, timeout_ms)


# ----------------------------------------------------------------- the browser's own profile

# Chromium's pseudo-nodes: "(program)" is native work outside JavaScript (style, layout, paint,
# parsing), "(idle)" is waiting (for the server, or the settle period at the end).
IDLE, PROGRAM, GC = "(idle)", "(program)", "(garbage collector)"


class JsProfiler:
    """Chromium's sampling CPU profiler (DevTools protocol) on one page, for one action.

    It answers what only the browser knows: how long the main thread was busy during a page
    open or a filter change, and in which of the app's JavaScript bundles (plotly, the data
    grid, React and the styling library, Markdown) or in native rendering work.
    """

    def __init__(self, page: Any, interval_us: int = 250) -> None:
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Profiler.enable")
        self.cdp.send("Profiler.setSamplingInterval", {"interval": interval_us})

    def start(self) -> None:
        self.cdp.send("Profiler.start")

    def stop(self) -> dict[str, Any]:
        """The summary; an empty one if the profile was lost (a bonus never fails a run)."""
        try:
            return summarise_js(self.cdp.send("Profiler.stop")["profile"])
        except Exception:  # the page was replaced after a failure, or never started
            return {}
        finally:
            with contextlib.suppress(Exception):
                self.cdp.detach()


def _script_name(url: str, function: str) -> str:
    """A bundle's name without its content hash (``PlotlyChart.D9Z0_fxz.js`` → PlotlyChart)."""
    if not url:
        return function or "?"
    return url.rsplit("/", 1)[-1].split("?")[0].split(".")[0] or "?"


def summarise_js(profile: dict[str, Any], top: int = 10) -> dict[str, Any]:
    """Sampled milliseconds by script; ``busy_ms`` is everything but idle."""
    nodes = {n["id"]: n["callFrame"] for n in profile.get("nodes", [])}
    by: dict[str, float] = {}
    for node_id, delta_us in zip(profile.get("samples", []), profile.get("timeDeltas", [])):
        frame = nodes.get(node_id, {})
        name = _script_name(frame.get("url", ""), frame.get("functionName", ""))
        by[name] = by.get(name, 0.0) + delta_us / 1000
    total = sum(by.values())
    busy = total - by.get(IDLE, 0.0)
    ranked = sorted(((k, v) for k, v in by.items() if k != IDLE), key=lambda kv: -kv[1])
    return {
        "total_ms": round(total, 1),
        "busy_ms": round(busy, 1),
        "native_ms": round(by.get(PROGRAM, 0.0), 1),
        "by_script": [[k, round(v, 1)] for k, v in ranked[:top]],
    }
