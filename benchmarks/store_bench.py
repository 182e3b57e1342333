"""The compiled store at each scale: build cost, launch to a drawn Overview, served memory.

For each scale (the same generated data as run.py):

1. **Build**: ``build_store`` on the scale's folder in a fresh process (``build_worker.py``):
   wall and CPU time, peak resident memory (``VmHWM``), whether the large tables took the bulk
   path, the store's size.
2. **Launch**: ``streamlit run dashboard.py`` with ``SMARTCITIES_STORE`` set, from process
   start until the Overview is drawn in headless Chromium (the browser's "done" rule of
   ``browser.py``), in a new tab.
3. **Warm-up and memory**: every page opened once, then the server's resident memory (process
   tree) and its peak; then State/UT and round changes on the Overview, timed as run.py does.

Run: ``.venv/bin/python benchmarks/store_bench.py --scales S,M`` (also part of ``make bench``).
Writes ``benchmarks/out/store-<scale>.json``; run.py puts the table into RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))

from benchmarks import browser, server  # noqa: E402
from benchmarks.common import (  # noqa: E402
    BASELINE,
    BASELINE_OTHER_STATE,
    DASHBOARD,
    OUT,
    SCALES,
    Choice,
    baseline_pass,
    ensure_data,
    filter_choices,
    limits_for,
    load_average,
    log,
)

PAGES = ("/", "/iccc", "/progress", "/map", "/city", "/data", "/load", "/about")
TARGETS = {"build_s": 60.0, "build_peak_mb": 2048.0, "launch_s": 5.0, "rss_mb": 600.0}


def measure_build(folder: Path, store: Path, env: dict[str, str]) -> dict[str, Any]:
    if store.exists():
        store.unlink()
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, str(BENCH / "build_worker.py"), str(folder), str(store)],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:], "wall_s": time.perf_counter() - started}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# Launch is timed this many times per scale (and for the bare page), and the median reported:
# one start on a shared machine varied by a second between runs (4.4 s and 5.2 s at L).
LAUNCH_RUNS = 3


def launch_once(pw_browser: Any, script: Path, env: dict[str, str], log_path: Path) -> float:
    """Seconds from starting ``streamlit run`` until its first page is drawn in a new tab."""
    started = time.perf_counter()
    with server.running(script, env=env, log_path=log_path) as srv:
        context = browser.new_context(pw_browser)
        tab = browser.Tab(context)
        try:
            tab.open(srv.url + "/", 120_000)
            return time.perf_counter() - started
        finally:
            tab.close()
            context.close()


def measure_baseline(pw_browser: Any, choice: Choice) -> dict[str, Any]:
    """The bare Streamlit page in the same block: its launch (process start until drawn in a
    new tab), an open and two selectbox changes, to read the figures above against."""
    out: dict[str, Any] = {}
    started = time.perf_counter()
    with server.running(BASELINE, log_path=OUT / "server-store-baseline.log") as srv:
        context = browser.new_context(pw_browser)
        tab = browser.Tab(context)
        try:
            tab.open(srv.url + "/", 60_000)
            out["launch_s"] = time.perf_counter() - started
            b = baseline_pass(tab, srv.url, choice, BASELINE_OTHER_STATE)
            out["open_s"] = [t / 1000 for t in b["open"]]
            out["filter_s"] = [t / 1000 for t in b["filter"]]
        finally:
            tab.close()
            context.close()
    runs = [out["launch_s"]] + [
        launch_once(pw_browser, BASELINE, {}, OUT / "server-store-baseline.log")
        for _ in range(LAUNCH_RUNS - 1)
    ]
    out["launch_runs_s"] = runs
    out["launch_s"] = statistics.median(runs)
    return out


def measure_serving(pw_browser: Any, name: str, store: Path, folder: Path) -> dict[str, Any]:
    scale = SCALES[name]
    timeout_ms = scale.timeout_s * 1000
    out: dict[str, Any] = {"load_before": load_average()}
    try:
        out["baseline"] = measure_baseline(pw_browser, filter_choices(folder, 1)[0])
    except Exception as exc:  # noqa: BLE001 - the store's figures stand without it
        out["baseline"] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    started = time.perf_counter()
    with server.running(
        DASHBOARD, env={"SMARTCITIES_STORE": str(store)}, log_path=OUT / f"server-store-{name}.log"
    ) as srv:
        out["health_s"] = time.perf_counter() - started
        context = browser.new_context(pw_browser)
        tab = browser.Tab(context)
        try:
            first = tab.open(srv.url + "/", scale.first_open_timeout_s * 1000)
            out["launch_s"] = time.perf_counter() - started
            out["first_open_s"] = first.ms / 1000
            out["first_errors"] = first.errors
            opens = {}
            for path in PAGES:
                t = tab.open(srv.url + path, timeout_ms)
                opens[path] = {"s": t.ms / 1000, "errors": t.errors}
            out["warm_opens"] = opens
            out["rss_after_warmup_mb"] = server.tree_rss_mb(srv.pid)
            filters = []
            for choice in filter_choices(folder, 3):
                tab.open(srv.url + "/", timeout_ms)
                t1 = tab.choose("State/UT", choice.state, timeout_ms)
                t2 = tab.choose("Selection round", choice.round, timeout_ms)
                filters.append({"state_s": t1.ms / 1000, "round_s": t2.ms / 1000})
            out["filters"] = filters
            out["rss_after_filters_mb"] = server.tree_rss_mb(srv.pid)
            out["peak_rss_mb"] = server.peak_rss_mb(srv.pid)
        finally:
            tab.close()
            context.close()
    env = {"SMARTCITIES_STORE": str(store)}
    log_path = OUT / f"server-store-{name}.log"
    runs = [out["launch_s"]] + [
        launch_once(pw_browser, DASHBOARD, env, log_path) for _ in range(LAUNCH_RUNS - 1)
    ]
    out["launch_runs_s"] = runs
    out["launch_s"] = statistics.median(runs)
    out["load_after"] = load_average()
    return out


def measure(
    names: list[str], chromium: str, *, skip_build: bool = False, reuse: tuple[str, ...] = ()
) -> dict[str, Any]:
    """Measure each scale; those in ``reuse`` are read from an earlier run's
    ``out/store-<scale>.json`` instead (an L build costs minutes of a shared machine)."""
    from playwright.sync_api import sync_playwright

    results: dict[str, Any] = {}
    for name in names:
        saved = OUT / f"store-{name}.json"
        if name in reuse and saved.is_file():
            results[name] = json.loads(saved.read_text())
            results[name]["reused"] = time.strftime(
                "%Y-%m-%d %H:%M UTC", time.gmtime(saved.stat().st_mtime)
            )
    with sync_playwright() as pw:
        pw_browser = browser.launch(pw, chromium)
        try:
            for name in names:
                if name in results:
                    continue
                data = ensure_data(SCALES[name], False)
                folder = Path(data["folder"])
                env = limits_for(folder)
                store = OUT / f"store-{name}.duckdb"
                entry: dict[str, Any] = {"rows": data["rows"], "limits": env}
                if skip_build and store.exists():
                    entry["build"] = {"skipped": True}
                else:
                    log(f"{name}: building the store in a fresh process")
                    entry["build"] = {"load_before": load_average()}
                    entry["build"].update(measure_build(folder, store, env))
                    entry["build"]["load_after"] = load_average()
                    log(f"{name}: build {entry['build']}")
                log(f"{name}: launching on the store, warm-up, filters")
                entry["serve"] = measure_serving(pw_browser, name, store, folder)
                log(f"{name}: serve {json.dumps(entry['serve'])[:400]}")
                results[name] = entry
                (OUT / f"store-{name}.json").write_text(json.dumps(entry, indent=1))
        finally:
            pw_browser.close()
    return {n: results[n] for n in names if n in results}


def verdicts(results: dict[str, Any]) -> list[str]:
    """The issue's targets against what was measured, with the load it was measured under."""
    out = []
    b = (results.get("L") or {}).get("build") or {}
    if b.get("wall_s") is not None:
        load = f"load average {b.get('load_before')} → {b.get('load_after')}"
        out.append(
            f"- Build ≤ {TARGETS['build_s']:.0f} s at L: {b['wall_s']:.0f} s wall, "
            f"{b.get('cpu_s', 0):.0f} s CPU ({load}): "
            + ("**met**" if b["wall_s"] <= TARGETS["build_s"] else "**missed** (wall time)")
        )
        out.append(
            f"- Build ≤ 2 GB peak memory at L: {b.get('peak_rss_mb', 0):,.0f} MB: "
            + ("**met**" if b.get("peak_rss_mb", 1e9) <= TARGETS["build_peak_mb"] else "**missed**")
        )
    for name, e in results.items():
        s = e.get("serve") or {}
        if s.get("launch_s") is not None:
            base = (s.get("baseline") or {}).get("launch_s")
            also = f"; the bare page took {base:.1f} s in the same block" if base else ""
            out.append(
                f"- Launch → Overview ≤ {TARGETS['launch_s']:.0f} s at {name}: "
                f"{s['launch_s']:.1f} s (load average {s.get('load_before')}{also}): "
                + ("**met**" if s["launch_s"] <= TARGETS["launch_s"] else "**missed**")
            )
        if s.get("rss_after_warmup_mb") is not None:
            out.append(
                f"- Server memory ≤ {TARGETS['rss_mb']:.0f} MB after warm-up at {name}: "
                f"{s['rss_after_warmup_mb']:,.0f} MB: "
                + ("**met**" if s["rss_after_warmup_mb"] <= TARGETS["rss_mb"] else "**missed**")
            )
    return out


def render(results: dict[str, Any]) -> str:
    """The Markdown section for RESULTS.md."""
    if not results:
        return ""
    lines = [
        "## Compiled store (validate once, serve many)",
        "",
        "Build = `build_store` in a fresh process (`benchmarks/build_worker.py`). Launch = from "
        "`streamlit run` with `SMARTCITIES_STORE` until the Overview is drawn in a new tab, the "
        f"median of {LAUNCH_RUNS} starts (the bare page's likewise). "
        "Memory = the server's resident memory after every page was opened once (warm-up) and "
        "after the filter changes; peak = `VmHWM`. Filters: State/UT then round on the "
        "Overview, 3 pairs, median. Targets (issue 15): build ≤ 60 s and ≤ 2 GB at L; launch ≤ "
        "5 s; memory ≤ 600 MB after warm-up.",
        "",
        "Bare page = `baseline_app.py` measured just before in the same block (launch to "
        "drawn; median selectbox change), for reading the figures against the machine's load.",
        "",
        "| Scale | Build (CPU) | Build peak RSS | Path | Store | Launch → Overview (bare page) | "
        "RSS after warm-up / filters (peak) | Filter State/UT · round (bare page) | Load avg |",
        "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, e in results.items():
        b, s = e.get("build", {}), e.get("serve", {})
        path = (
            "bulk: " + ", ".join(b.get("bulk_tables") or [])
            if b.get("bulk_tables")
            else "loader" + (f" ({b['bulk_fallback']})" if b.get("bulk_fallback") else "")
        )
        f = s.get("filters") or []

        def med(key: str, f: list[dict[str, float]] = f) -> str:
            vals = sorted(x[key] for x in f)
            return f"{vals[len(vals) // 2]:.2f} s" if vals else "–"

        build = (
            "skipped (store reused)"
            if b.get("skipped")
            else f"{b.get('wall_s', 0):.1f} s ({b.get('cpu_s', 0):.1f} s)"
        )
        base = s.get("baseline") or {}
        bf = sorted(base.get("filter_s") or [])
        base_launch = f" ({base['launch_s']:.1f} s)" if base.get("launch_s") else ""
        base_filter = f" ({bf[len(bf) // 2]:.2f} s)" if bf else ""
        lines.append(
            f"| {name} | {build} | {b.get('peak_rss_mb', 0):,.0f} MB | {path} | "
            f"{b.get('store_mb') or 0:,.1f} MB | {s.get('launch_s', 0):.1f} s{base_launch} | "
            f"{s.get('rss_after_warmup_mb', 0):,.0f} / {s.get('rss_after_filters_mb', 0):,.0f} MB "
            f"({s.get('peak_rss_mb', 0):,.0f} MB) | {med('state_s')} · {med('round_s')}"
            f"{base_filter} | "
            f"{b.get('load_before', '–')} → {s.get('load_after', '–')} |"
        )
    lines += ["", *verdicts(results), ""]
    for name, e in results.items():
        if e.get("reused"):
            lines.append(f"- {name}: measured in an earlier run ({e['reused']}), not repeated.")
    for name, e in results.items():
        s = e.get("serve", {})
        opens = s.get("warm_opens") or {}
        if opens:
            lines.append(
                f"- {name}: page opens after launch (first visit of each, in one tab): "
                + ", ".join(f"`{p}` {v['s']:.2f} s" for p, v in opens.items())
                + f"; errors on pages: {sum(v['errors'] for v in opens.values())}."
            )
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scales", default="S,M")
    p.add_argument("--chromium", default="/usr/bin/chromium")
    p.add_argument("--skip-build", action="store_true", help="reuse out/store-<scale>.duckdb")
    p.add_argument("--reuse", default="", help="scales to read from out/store-<scale>.json")
    a = p.parse_args(argv)
    # Stopped from outside: unwind, so the servers, nginx and the browser are stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    names = [s.strip().upper() for s in a.scales.split(",") if s.strip()]
    reuse = tuple(x.strip().upper() for x in a.reuse.split(",") if x.strip())
    results = measure(names, a.chromium, skip_build=a.skip_build, reuse=reuse)
    print(render(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
