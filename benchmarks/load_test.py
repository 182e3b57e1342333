"""Load test: N concurrent headless browser sessions opening pages and changing filters.

Against one app process (direct), and against two processes behind nginx (deploy/'s
configuration, cookie affinity so that sessions from this one address spread over both; with
ip_hash every loopback session would land on one process). All on loopback; every session is
a Chromium browser context (one Chromium, N contexts) that, until the time is up, opens the
Overview and then repeatedly picks a State/UT and a selection round (timed from the click until
the rerun is drawn, the same "done" rule as run.py), and now and then opens Mission progress.

Reported per run: filter-change latency p50/p95, page opens p50/p95, errors (timeouts, an
exception shown on the page, a dropped connection), and each server process's resident memory
(process tree) after the run, with its peak.

Run: ``.venv/bin/python benchmarks/load_test.py --sessions 10 --duration 120 --mode both``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))

from benchmarks import browser, server  # noqa: E402
from benchmarks.common import OUT, load_average, log  # noqa: E402

HOST = "dashboard.test"
STATES = ["Maharashtra", "Tamil Nadu", "Uttar Pradesh", "Karnataka", "Gujarat", "Madhya Pradesh"]
ROUNDS = ["Round 1", "Round 2", "Round 3", "Fast Track", "Round 4"]


# A session's pause between actions (seconds, uniform) and the gap between arrivals. The
# defaults are a stress rate (every session acts about once a second); a user reading a chart
# takes several seconds, so runs at N = 25 on this 2-core machine use a reading pace.
THINK_S = (0.5, 1.5)


@dataclass(frozen=True)
class Pace:
    arrival_s: float = 0.5
    think_s: tuple[float, float] = THINK_S


PACES = {"stress": Pace(), "reading": Pace(2.0, (3.0, 8.0))}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    k = min(len(s) - 1, max(0, round(q * (len(s) - 1))))
    return s[k]


async def _done(page: Any, since: float | None, timeout_ms: float) -> dict[str, Any]:
    handle = await page.wait_for_function(
        browser.WAIT_DONE,
        arg=[since, browser.SETTLE_MS, random.randrange(1 << 40)],
        polling="raf",
        timeout=timeout_ms,
    )
    return await handle.json_value()


async def _errors(page: Any) -> int:
    return await page.locator('[data-testid="stException"]').count()


async def _choose(page: Any, label: str, option: str, timeout_ms: float) -> float:
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').filter(
        has=page.get_by_role("combobox", name=label, exact=True)
    )
    combo = box.get_by_role("combobox")
    await combo.click()
    await combo.fill(option)
    target = page.get_by_role("option", name=option, exact=True)
    await target.first.wait_for(state="visible", timeout=timeout_ms)
    await page.evaluate("window.__bench.lastInput = null")
    await target.first.click()
    r = await _done(page, None, timeout_ms)
    return (r["done"] - r["since"]) / 1000, _script_s(r)


def _script_s(r: dict[str, Any]) -> float | None:
    """The script run's part (running → notRunning seen in the page): the server's time, less
    inflated than click → drawn by the browser drawing N pages on the same cores."""
    start, end = r.get("script_start"), r.get("script_end")
    return (end - start) / 1000 if start is not None and end is not None and end >= start else None


async def session(
    pw_browser: Any,
    base: str,
    deadline: float,
    out: dict[str, list],
    seed: int,
    timeout_ms: float = 120_000,
    think_s: tuple[float, float] = THINK_S,
) -> None:
    rnd = random.Random(seed)
    context = await pw_browser.new_context(viewport=browser.VIEWPORT)
    await context.add_init_script(browser.INIT_SCRIPT)
    page = await context.new_page()

    chosen: dict[str, str] = {}

    async def open_(path: str) -> None:
        await page.goto(base + path, wait_until="commit", timeout=timeout_ms)
        r = await _done(page, 0.0, timeout_ms)
        out["opens"].append((r["done"] - r["since"]) / 1000)

    try:
        await open_("/")
        while time.monotonic() < deadline:
            try:
                if rnd.random() < 0.15:
                    await open_(rnd.choice(["/progress", "/"]))
                for label, options in (("State/UT", STATES), ("Selection round", ROUNDS)):
                    # Another value than the one shown: choosing the same one runs nothing.
                    option = rnd.choice([o for o in options if o != chosen.get(label)])
                    chosen[label] = option
                    took, script = await _choose(page, label, option, timeout_ms)
                    out["filters"].append(took)
                    if script is not None:
                        out["scripts"].append(script)
                if await _errors(page):
                    out["errors"].append("exception shown on the page")
                    await open_("/")
                await asyncio.sleep(rnd.uniform(*think_s))  # a user reads the page
            except Exception as exc:  # noqa: BLE001 - counted, the session goes on
                out["errors"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
                if time.monotonic() < deadline:
                    await open_("/")
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"{type(exc).__name__}: {str(exc)[:200]}")
    finally:
        await context.close()


async def drive(
    chromium: str,
    base: str,
    n: int,
    duration_s: float,
    host_rule: bool,
    timeout_s: float,
    pace: Pace | None = None,
) -> dict:
    from playwright.async_api import async_playwright

    pace = pace or Pace()
    out: dict[str, list] = {"filters": [], "scripts": [], "opens": [], "errors": []}
    args = list(browser.CHROMIUM_ARGS)
    if host_rule:
        args.append(f"--host-resolver-rules=MAP {HOST} 127.0.0.1")
    async with async_playwright() as pw:
        b = await pw.chromium.launch(executable_path=chromium, headless=True, args=args)
        try:
            deadline = time.monotonic() + duration_s
            tasks = []
            for i in range(n):
                tasks.append(
                    asyncio.create_task(
                        session(b, base, deadline, out, i, timeout_s * 1000, pace.think_s)
                    )
                )
                await asyncio.sleep(pace.arrival_s)  # users arrive over time, not in one instant
            await asyncio.gather(*tasks)
        finally:
            await b.close()
    return out


def summary(out: dict[str, list], procs: dict[str, Any], wall: float) -> dict[str, Any]:
    f, o, sc = out["filters"], out["opens"], out.get("scripts", [])
    return {
        "filters": len(f),
        "filter_p50_s": percentile(f, 0.5),
        "filter_p95_s": percentile(f, 0.95),
        "script_p50_s": percentile(sc, 0.5),
        "script_p95_s": percentile(sc, 0.95),
        "opens": len(o),
        "open_p50_s": percentile(o, 0.5),
        "open_p95_s": percentile(o, 0.95),
        "errors": len(out["errors"]),
        "error_samples": out["errors"][:5],
        "processes": procs,
        "wall_s": wall,
    }


def run_one(
    mode: str,
    n: int,
    duration_s: float,
    store: Path,
    chromium: str,
    timeout_s: float = 120.0,
    pace: Pace | None = None,
) -> dict[str, Any]:
    from localproxy import Proxy, nginx_binary

    env = {"SMARTCITIES_STORE": str(store)}
    load0 = load_average()
    started = time.monotonic()
    if mode == "single":
        with server.running(
            ROOT / "dashboard.py", env=env, log_path=OUT / f"server-load-{mode}-{n}.log"
        ) as srv:
            out = asyncio.run(drive(chromium, srv.url, n, duration_s, False, timeout_s, pace))
            procs = {
                srv.url: {
                    "rss_mb": server.tree_rss_mb(srv.pid),
                    "peak_mb": server.peak_rss_mb(srv.pid),
                }
            }
    else:
        binary = nginx_binary()
        if binary is None:
            return {"skipped": "nginx is not installed (make test installs nginx-light)"}
        logs = [OUT / f"server-load-{mode}-{n}-{i}.log" for i in (1, 2)]
        with (
            server.running(ROOT / "dashboard.py", env=env, log_path=logs[0]) as a,
            server.running(ROOT / "dashboard.py", env=env, log_path=logs[1]) as b,
        ):
            ports = [int(a.url.rsplit(":", 1)[1]), int(b.url.rsplit(":", 1)[1])]
            folder = Path(tempfile.mkdtemp(prefix="smartcities-nginx-"))
            proxy = Proxy(binary, folder, ports, HOST, affinity="cookie")
            proxy.start()
            try:
                base = f"http://{HOST}:{proxy.port}"
                out = asyncio.run(drive(chromium, base, n, duration_s, True, timeout_s, pace))
            finally:
                proxy.stop()
            sessions = proxy.upstreams("/_stcore/stream")
            procs = {
                s.url: {
                    "rss_mb": server.tree_rss_mb(s.pid),
                    "peak_mb": server.peak_rss_mb(s.pid),
                    "websocket_sessions": sum(1 for p in sessions if s.url.endswith(f":{p}")),
                }
                for s in (a, b)
            }
    result = summary(out, procs, time.monotonic() - started)
    result.update({"mode": mode, "sessions": n, "duration_s": duration_s, "timeout_s": timeout_s})
    pace = pace or Pace()
    result.update({"arrival_s": pace.arrival_s, "think_s": list(pace.think_s)})
    result["load_before"], result["load_after"] = load0, load_average()
    result["measured_at"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return result


def render(results: list[dict[str, Any]]) -> str:
    if not results:
        return ""

    def s(v: float | None) -> str:
        return "–" if v is None else f"{v:.2f} s"

    lines = [
        "## Load test (concurrent browser sessions)",
        "",
        "`benchmarks/load_test.py`: N Chromium contexts (one browser) arriving a few seconds "
        "apart (Pace), each opening the Overview, then until the time is up picking a State/UT "
        "and a round (timed click → drawn), opening Mission progress now and then, reading the "
        "page for a while between actions (Pace: 0.5–1.5 s is a stress rate, not a user's). "
        "`single` = one app process; `proxy` = two processes on one store behind "
        "deploy/'s nginx (cookie affinity). Everything (browser, nginx, apps) shares this "
        "machine's 2 cores with the other jobs: latencies are those of an overloaded machine, "
        "not of the server alone.",
        "",
        "Filter = click → drawn; script = the server's script run within it (running → "
        "notRunning, seen in the page). An error is an action that did not finish within the "
        "timeout (a page open or a filter change), an exception on the page, or a dropped "
        "connection.",
        "",
        "| Mode | Sessions | Pace | Duration (timeout) | Filter changes | Filter p50 / p95 | "
        "Script p50 / p95 | Page opens p50 / p95 | Errors | Memory per process (peak) | "
        "Load avg | Measured |",
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |",
    ]
    for r in results:
        if r.get("skipped"):
            lines.append(
                f"| {r.get('mode')} | {r.get('sessions')} | – | – | – | – | – | – | – | "
                f"skipped: {r['skipped']} | – | – |"
            )
            continue
        mem = "; ".join(
            f"{v['rss_mb']:,.0f} MB ({v['peak_mb']:,.0f})"
            + (f", {v['websocket_sessions']} sessions" if "websocket_sessions" in v else "")
            for v in r["processes"].values()
        )
        think = r.get("think_s") or list(THINK_S)
        pace = f"{r.get('arrival_s', 0.5):g} s apart, {think[0]:g}–{think[1]:g} s reading"
        lines.append(
            f"| {r['mode']} | {r['sessions']} | {pace} | {r['duration_s']:.0f} s "
            f"({r.get('timeout_s', 60):.0f} s) | {r['filters']} | "
            f"{s(r['filter_p50_s'])} / {s(r['filter_p95_s'])} | "
            f"{s(r.get('script_p50_s'))} / {s(r.get('script_p95_s'))} | {s(r['open_p50_s'])} / "
            f"{s(r['open_p95_s'])} | **{r['errors']}** | {mem} | "
            f"{r['load_before']} → {r['load_after']} | {r.get('measured_at', '–')} |"
        )
    notes = dict.fromkeys(
        f"rows measured {r.get('measured_at', '?')}: {r['note']}" for r in results if r.get("note")
    )
    if notes:
        lines += ["", *(f"- {n}." for n in notes)]
    errs = [e for r in results for e in r.get("error_samples", [])]
    if errs:
        lines += ["", "Errors seen (first ones): " + "; ".join(f"`{e}`" for e in errs[:6])]
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sessions", default="10,25", help="comma-separated N")
    p.add_argument("--duration", type=float, default=120.0, help="seconds per run")
    p.add_argument("--mode", choices=("single", "proxy", "both"), default="both")
    p.add_argument("--store", type=Path, default=None, help="default: build the bundled data")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per action")
    p.add_argument("--arrival", type=float, default=Pace.arrival_s, help="seconds between arrivals")
    p.add_argument(
        "--think", default=",".join(f"{t:g}" for t in THINK_S), help="reading time MIN,MAX (s)"
    )
    a = p.parse_args(argv)
    lo, hi = (float(x) for x in a.think.split(","))
    pace = Pace(a.arrival, (lo, hi))
    # Stopped from outside: unwind, so the servers, nginx and the browser are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(parents=True, exist_ok=True)
    store = a.store
    if store is None:
        from smartcities.config import BUNDLED_DATA
        from smartcities.store.build import build_store

        store = OUT / "store-bundled.duckdb"
        build_store(BUNDLED_DATA, store)
    modes = ["single", "proxy"] if a.mode == "both" else [a.mode]
    results = []
    for n in [int(x) for x in a.sessions.split(",") if x.strip()]:
        for mode in modes:
            log(f"load test: {mode}, {n} sessions, {a.duration:.0f} s")
            r = run_one(mode, n, a.duration, store, a.chromium, a.timeout, pace)
            log(json.dumps({k: v for k, v in r.items() if k != "error_samples"})[:600])
            results.append(r)
            (OUT / "load-test.json").write_text(json.dumps(results, indent=1))
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
