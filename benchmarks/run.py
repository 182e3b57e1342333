"""Benchmark the dashboard at mission and national-programme scale; write benchmarks/RESULTS.md.

Run: ``make bench`` or ``.venv/bin/python benchmarks/run.py [--scales S,M,L] [--runs 5] [--quick]``

For each scale (S = 100 cities, M = 500 cities, L = 4,500 towns with monthly progress 2016–2025
and about a million projects) it

1. generates SYNTHETIC data with the project's generator into ``benchmarks/out/<scale>``
   (reused while the generator and its arguments are unchanged);
2. times ``load_folder`` (+ the DuckDB engine) in a fresh process per run and reads its peak
   memory, with the loader limits raised through the environment as far as the data need;
3. serves the dashboard on that folder and, in headless Chromium, times opening every page and
   changing the sidebar filters (State/UT, then Selection round) on Overview and Progress, and
   reads the server's memory; the bare page ``baseline_app.py`` is timed the same way just
   before, so every figure is also a ratio to it;
4. checks the targets of the issue and, where one is missed, profiles the slow action on the
   server that is still running (cProfile per script run) and writes the evidence;
5. writes ``benchmarks/RESULTS.md`` (and the raw samples to ``benchmarks/out/results.json``).

Servers are always stopped (``try``/``finally``, process groups), every wait has a timeout, and
a failure in one scale is recorded and the run goes on with the next one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

_ROOT = str(Path(__file__).resolve().parents[1])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

from benchmarks import browser, harness, profiling, server  # noqa: E402
from benchmarks.common import (  # noqa: E402
    BASELINE,
    BENCH,
    DASHBOARD,
    FILTER_PAGES,
    OUT,
    ROOT,
    ROUND_LABEL,
    SCALES,
    STATE_LABEL,
    Choice,
    Pass,
    Scale,
    _sample,
    baseline_pass,
    ensure_data,
    filter_choices,
    filter_key,
    limits_for,
    load_average,
    log,
)

RESULTS_MD = BENCH / "RESULTS.md"
QUICK_MD = OUT / "RESULTS-quick.md"


# --------------------------------------------------------------------------- machine info


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def machine_info() -> dict[str, Any]:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in _read("/proc/cpuinfo").splitlines()
            if "model name" in ln
        ),
        platform.processor() or "?",
    )
    mem_kb = next(
        (
            int(ln.split()[1])
            for ln in _read("/proc/meminfo").splitlines()
            if ln.startswith("MemTotal")
        ),
        0,
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": mem_kb / 2**20,
        "os": f"{platform.system()} {platform.release()}",
    }


def versions(chromium: str) -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for name in ("streamlit", "pandas", "duckdb", "plotly", "pyarrow", "pandera", "playwright"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    out["chromium"] = chromium
    return out


def git_info() -> str:
    """Commit and whether the working tree has changes (the numbers belong to that code)."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True
        ).stdout.splitlines()
    except OSError:
        return "unknown"
    return f"commit {head or '?'}" + (
        f" plus {len(dirty)} uncommitted file(s)" if dirty else " (clean)"
    )


def measure_load(folder: Path, env: dict[str, str], runs: int, timeout_s: float) -> list[dict]:
    """``load_worker.py`` in a fresh process per run; a failed run is kept with its error."""
    samples = []
    for i in range(runs):
        try:
            proc = subprocess.run(
                [sys.executable, str(BENCH / "load_worker.py"), str(folder)],
                cwd=ROOT,
                env={**os.environ, **env},
                capture_output=True,
                text=True,
                timeout=timeout_s,
            )
        except subprocess.TimeoutExpired:
            samples.append({"ok": False, "error": f"timed out after {timeout_s:.0f} s"})
            log(f"  load run {i + 1}: timed out")
            continue
        lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
        if proc.returncode != 0 or not lines:
            samples.append({"ok": False, "error": proc.stderr[-1500:]})
            log(f"  load run {i + 1}: failed\n{proc.stderr[-1500:]}")
            continue
        sample = json.loads(lines[-1])
        samples.append(sample)
        log(
            f"  load run {i + 1}: load_folder {sample.get('load_s', 0):.1f} s, engine "
            f"{sample.get('engine_s', 0):.1f} s, peak {sample.get('peak_mb', 0):,.0f} MB, "
            f"{sample.get('report')}"
        )
    return samples


CHECK_CODE = """
import json
from smartcities.ui import data
ds = data.public_dataset()
print(json.dumps({n: len(t) for n, t in ds.tables.items()}))
"""


def app_honours_data_dir(
    folder: Path, rows: dict[str, int], env: dict[str, str]
) -> tuple[bool, str]:
    """Whether the dashboard's own data layer serves ``SMARTCITIES_DATA_DIR`` (run, not read)."""
    full_env = {**os.environ, **env, "SMARTCITIES_DATA_DIR": str(folder), "PYTHONPATH": str(ROOT)}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHECK_CODE],
            cwd=ROOT,
            env=full_env,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        return False, "the check timed out"
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return False, f"the check failed ({last[:300]})"
    served = json.loads(lines[-1])
    if served.get("progress") == rows.get("progress"):
        return True, "smartcities.ui.data.public_dataset() served the benchmark folder"
    return False, (
        f"with SMARTCITIES_DATA_DIR={folder.relative_to(ROOT)}, "
        f"smartcities.ui.data.public_dataset() served {served.get('progress', 0):,} progress rows "
        f"(the folder has {rows.get('progress', 0):,})"
    )


def check_served(
    scale_name: str, log_file: Path, rows: dict[str, int], shim: bool, page_text: str
) -> str | None:
    """A note if the server may not have served the benchmark data (else None)."""
    if shim:
        try:
            lines = [json.loads(ln) for ln in log_file.read_text().splitlines() if ln.strip()]
        except (OSError, ValueError):
            lines = []
        if not lines:
            return f"{scale_name}: the server never loaded the benchmark folder (shim log empty)"
        served = lines[-1].get("rows", {})
        if served.get("progress") != rows.get("progress"):
            return f"{scale_name}: the server served {served} rather than {rows}"
        return None
    cities = rows.get("cities", 0)
    if f"{cities} Smart Cities" in page_text or f"{cities:,} Smart Cities" in page_text:
        return None
    return (
        f"{scale_name}: could not confirm from the Overview text that {cities:,} cities were served"
    )


def measure_dashboard(
    pw_browser: Any,
    scale: Scale,
    data: dict[str, Any],
    env: dict[str, str],
    shim: bool,
    runs: int,
    baseline_srv: server.Server,
    results: dict[str, Any],
    profile: bool,
) -> None:
    """Everything measured in the browser for one scale; fills ``results['scales'][name]``."""
    from smartcities.ui.pages import PAGES

    entry = results["scales"][scale.name]
    failures: list[str] = entry.setdefault("failures", [])
    choices: list[Choice] = data["choices"]  # [warm-up, run 1..runs, profiling]
    block_start, load_start = time.monotonic(), load_average()

    profile_dir = OUT / "profiles" / scale.name
    shutil.rmtree(profile_dir, ignore_errors=True)
    shim_log = OUT / f"shim-{scale.name}.jsonl"
    shim_log.unlink(missing_ok=True)
    server_env = {
        **env,
        "SMARTCITIES_DATA_DIR": data["folder"],
        "SMARTCITIES_BENCH_SHIM": "1" if shim else "0",
        "SMARTCITIES_BENCH_LOG": str(shim_log),
        "SMARTCITIES_BENCH_PROFILE_DIR": str(profile_dir),
    }
    paths = ["/" + p.url_path for p in PAGES]
    titles = {"/" + p.url_path: p.title for p in PAGES}
    entry["open_titles"] = titles
    timeout_ms = scale.timeout_s * 1000
    log(f"{scale.name}: starting the dashboard on {Path(data['folder']).relative_to(ROOT)}")
    with server.running(
        DASHBOARD, env=server_env, log_path=OUT / f"server-{scale.name}.log", shim=True
    ) as srv:
        context = browser.new_context(pw_browser)
        tab = browser.Tab(context)
        base_context = browser.new_context(pw_browser)
        base_tab = browser.Tab(base_context)
        base_url = baseline_srv.url
        baseline: dict[str, list[float | None]] = {"open": [], "filter": []}
        try:
            # The bare page's tab is warmed like the dashboard's (V8 caches code after a few
            # loads of the same scripts).
            for i in range(3):
                baseline_pass(base_tab, base_url, choices[0], choices[-1 - i].state)
            # Warm-up: the first open loads the data (cache_resource), then a full pass.
            log(f"{scale.name}: warm-up (the first open loads the data in the server)")
            started = time.perf_counter()
            first = _sample(
                lambda: tab.open(srv.url + "/", scale.first_open_timeout_s * 1000),
                "first open /",
                failures,
            )
            entry["first_open_s"] = time.perf_counter() - started
            if first is None:
                raise RuntimeError("the dashboard did not open; see the failures and server log")
            note = check_served(
                scale.name, shim_log, data["rows"], shim, tab.text('[data-testid="stMain"]')
            )
            if note:
                entry.setdefault("notes", []).append(note)
                log(f"  WARNING {note}")
            log(f"  first open took {entry['first_open_s']:.0f} s; warm-up pass")
            Pass(tab, srv.url, timeout_ms).run(paths, titles, choices[0], [], "warm-up")
            entry["memory"] = {"after_warmup_mb": server.tree_rss_mb(srv.pid)}

            measured = Pass(tab, srv.url, timeout_ms)
            for r in range(runs):
                log(f"{scale.name}: run {r + 1}/{runs}")
                choice = choices[1 + r]
                got = baseline_pass(base_tab, base_url, choice, choices[-1].state)
                baseline["open"] += got["open"]
                baseline["filter"] += got["filter"]
                failures.extend(f"baseline: {f}" for f in got["failures"])
                measured.run(paths, titles, choice, failures, f"run {r + 1}")
                entry["open"], entry["open_script"] = measured.opens, measured.open_scripts
                entry["filters"] = measured.filters
                entry["filter_script"] = measured.filter_scripts
            entry["baseline"] = {
                **baseline,
                "memory_mb": server.tree_rss_mb(baseline_srv.pid),
                "peak_mb": server.peak_rss_mb(baseline_srv.pid),
            }
            entry["memory"]["after_mb"] = server.tree_rss_mb(srv.pid)
            entry["memory"]["peak_mb"] = server.peak_rss_mb(srv.pid)
            log(
                f"{scale.name}: server RSS {entry['memory']['after_warmup_mb']:,.0f} MB after "
                f"warm-up, {entry['memory']['after_mb']:,.0f} MB after, peak "
                f"{entry['memory']['peak_mb']:,.0f} MB"
            )
            if profile:
                profile_scale(tab, srv, scale, titles, choices[-1], profile_dir, results)
        finally:
            tab.close()
            context.close()
            base_tab.close()
            base_context.close()
    entry["block"] = {
        "load_start": load_start,
        "load_end": load_average(),
        "seconds": time.monotonic() - block_start,
    }


def _profiled(profile_dir: Path, action: Callable[[], object]) -> list[Path]:
    """Run ``action`` with the server's profiler on; the profile files it produced."""
    before = profiling.written(profile_dir)
    profiling.enable(profile_dir)
    try:
        action()
    finally:
        profiling.disable(profile_dir)
    return profiling.wait_written(profile_dir, before)


def _open_profiled(p: Pass, path: str, js: browser.JsProfiler, out: dict[str, Any]) -> None:
    js.start()
    try:
        p.open(path, [], "profile")
    finally:
        out.update(js.stop())  # stopped when done, before waiting for the server's profile


def _choose_profiled(
    p: Pass, key: str, label: str, option: str, js: browser.JsProfiler, out: dict[str, Any]
) -> None:
    try:
        p.choose(key, label, option, [], js.start)
    finally:
        out.update(js.stop())


def profile_scale(
    tab: browser.Tab,
    srv: server.Server,
    scale: Scale,
    titles: dict[str, str],
    choice: Choice,
    profile_dir: Path,
    results: dict[str, Any],
    limit: int = 6,
) -> None:
    """Profile the slow actions of this scale on the warm server (targets first, worst first).

    A filter change is profiled with a state/round pair no run has used, so that any cache
    the app may have is as cold as it was in the measured runs.
    """
    picked = harness.items_to_profile(results, scale.name)[:limit]
    timeout_ms = scale.timeout_s * 1000 * 2  # cProfile slows Python code down
    for item in picked:
        reason = f"{harness.fmt_ratio(item.ratio)} the baseline"
        log(f"{scale.name}: profiling {item.label} ({reason})")
        files: list[Path] = []
        p = Pass(tab, srv.url, timeout_ms)
        # The browser's side of the same action (Chromium's CPU profiler; cProfile only sees
        # the server). A second, unprofiled-server pass would differ in timing, so both
        # profilers watch the same action.
        js = browser.JsProfiler(tab.page)
        browser_profile: dict[str, Any] = {}
        if item.kind == "open":
            files = _profiled(
                profile_dir, partial(_open_profiled, p, item.key, js, browser_profile)
            )
        elif item.kind == "filter":
            path = next(p for p in FILTER_PAGES if item.key.startswith(titles[p] + " · "))
            if p.open(path, [], "profile") is None:
                continue
            state_key = filter_key(titles[path], STATE_LABEL)
            if item.key == state_key:
                change = partial(
                    _choose_profiled, p, state_key, STATE_LABEL, choice.state, js, browser_profile
                )
                files = _profiled(profile_dir, change)
            else:
                p.choose(state_key, STATE_LABEL, choice.state, [])
                change = partial(
                    _choose_profiled, p, item.key, ROUND_LABEL, choice.round, js, browser_profile
                )
                files = _profiled(profile_dir, change)
        else:
            continue
        summary = profiling.summarise(files)
        safe = "".join(ch if ch.isalnum() else "_" for ch in item.label)[:60].strip("_")
        merged = profiling.merge(files, OUT / "profiles" / f"{scale.name}-{safe}.pstats")
        results.setdefault("profiles", []).append(
            {
                "scale": scale.name,
                "action": item.label,
                "reason": reason,
                **summary,
                "browser": browser_profile,
                "file": str(merged.relative_to(ROOT)) if merged else None,
            }
        )


# ------------------------------------------------------------------------------- main


def run_experiments(scale: str) -> None:
    """``experiments.py`` for one scale, in its own process (it loads the data again)."""
    log(f"{scale}: timing candidate fixes (experiments.py)")
    try:
        proc = subprocess.run(
            [sys.executable, str(BENCH / "experiments.py"), "--scale", scale],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
    except subprocess.TimeoutExpired:
        log(f"{scale}: experiments timed out")
        return
    if proc.returncode != 0:
        log(f"{scale}: experiments failed:\n{proc.stderr[-1500:]}")


def attach_experiments(results: dict[str, Any]) -> None:
    """Include the ``experiments.py`` results of this run (``--experiments``), if any.

    Files from an earlier run are left out: they may describe code that has changed since.
    """
    found: dict[str, Any] = {}
    since = results.get("meta", {}).get("experiments_since")
    if since is None:
        results["experiments"] = found
        return
    for name in results.get("scales", {}):
        path = OUT / f"experiments-{name}.json"
        if path.is_file() and path.stat().st_mtime >= since:
            try:
                found[name] = json.loads(path.read_text())
            except ValueError:
                continue
    results["experiments"] = found


STORE_HEADINGS = ("## Compiled store", "## Load test")


def replace_store_sections(text: str, results: dict[str, Any]) -> str:
    """``text`` without its store and load-test sections, then the new ones (with the run's
    date, commit and machine load, since the sections above may be from another run)."""
    from benchmarks import load_test, store_bench

    kept, skipping = [], False
    for line in text.splitlines():
        if line.startswith("## "):
            skipping = line.startswith(STORE_HEADINGS) or line.startswith("## Store run")
        if not skipping:
            kept.append(line)
    head = results.setdefault(
        "store_run_head",
        "## Store run\n\n"
        f"The sections below were measured on {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC at "
        f"{git_info()} with `{' '.join(['benchmarks/run.py', *sys.argv[1:]])}`; load "
        f"average (1 min) {load_average()} at the end (2 cores shared with other jobs). The "
        "sections above are from the run they name.\n",
    )
    body = "\n".join(
        x
        for x in (
            store_bench.render(results.get("store") or {}),
            load_test.render(results.get("load_test") or []),
        )
        if x
    )
    return "\n".join(kept).rstrip("\n") + "\n\n" + head + "\n" + body


def render_all(results: dict[str, Any]) -> str:
    """RESULTS.md: the scale benchmark, then the store and the load test (issue 15)."""
    from benchmarks import load_test, store_bench

    text = harness.render_results(results).rstrip("\n") + "\n"
    for section in (
        store_bench.render(results.get("store") or {}),
        load_test.render(results.get("load_test") or []),
    ):
        if section:
            text += "\n" + section
    return text


def run_store_benchmarks(results: dict[str, Any], args: argparse.Namespace) -> None:
    """The compiled store at each scale, and the load test at S (issue 15)."""
    from benchmarks import load_test, store_bench

    reuse = tuple(x.strip().upper() for x in args.store_reuse.split(",") if x.strip())
    results["store"] = store_bench.measure(args.scales, args.chromium, reuse=reuse)
    results["store_meta"] = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    saved = OUT / "results-store.json"
    if args.load_duration <= 0 and saved.is_file():
        # No new load test: keep the last one's figures (RESULTS.md says when they were taken).
        results["load_test"] = json.loads(saved.read_text()).get("load_test") or []
        when = dt.datetime.fromtimestamp(saved.stat().st_mtime, dt.UTC)
        for r in results["load_test"]:
            r.setdefault("measured_at", f"{when:%Y-%m-%d %H:%M} UTC")
    if args.load_duration > 0:
        from smartcities.config import BUNDLED_DATA
        from smartcities.store.build import build_store

        store = OUT / "store-bundled.duckdb"
        build_store(BUNDLED_DATA, store)
        runs = []
        paces = [load_test.PACES[p.strip()] for p in args.load_pace.split(",") if p.strip()]
        for pace in paces:
            for n in [int(x) for x in args.load_sessions.split(",") if x.strip()]:
                for mode in ("single", "proxy"):
                    log(f"load test: {mode}, {n} sessions, {args.load_duration:.0f} s, {pace}")
                    runs.append(
                        load_test.run_one(
                            mode, n, args.load_duration, store, args.chromium, pace=pace
                        )
                    )
        results["load_test"] = runs


def write_results(results: dict[str, Any], md_path: Path) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    attach_experiments(results)
    json_path = OUT / ("results-quick.json" if md_path == QUICK_MD else "results.json")
    json_path.write_text(json.dumps(results, indent=1, default=str))
    md_path.write_text(render_all(results), encoding="utf-8")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="S,M,L", help="comma-separated, of S, M, L")
    parser.add_argument(
        "--runs", type=int, default=3, help="measured runs after the warm-up (default 3)"
    )
    parser.add_argument(
        "--runs-l", type=int, default=None, help="runs at L if not --runs (each costs ~3 min)"
    )
    parser.add_argument(
        "--quick", action="store_true", help="smoke check: S only, 2 runs, no profiling"
    )
    parser.add_argument("--regenerate", action="store_true", help="regenerate the data sets")
    parser.add_argument("--no-profile", action="store_true", help="do not profile missed targets")
    parser.add_argument(
        "--experiments",
        action="store_true",
        help="also time candidate fixes (experiments.py) at S and L (+~5 min)",
    )
    parser.add_argument(
        "--chromium", default=shutil.which("chromium") or "/usr/bin/chromium", help="browser binary"
    )
    parser.add_argument("--results", type=Path, default=None, help="Markdown output path")
    parser.add_argument(
        "--store-only",
        action="store_true",
        help="only the store benchmark and the load test (issue 15), added to the last results",
    )
    parser.add_argument("--no-store", action="store_true", help="skip the store benchmark")
    parser.add_argument(
        "--store-render-only",
        action="store_true",
        help="re-write RESULTS.md's store and load-test sections from out/results-store.json",
    )
    parser.add_argument(
        "--store-reuse",
        default="",
        help="scales whose store figures are read from an earlier run (e.g. L), not measured",
    )
    parser.add_argument(
        "--load-sessions", default="10,25", help="load test: concurrent sessions (N,N)"
    )
    parser.add_argument(
        "--load-duration", type=float, default=120.0, help="load test: seconds per run (0: skip)"
    )
    parser.add_argument(
        "--load-pace",
        default="stress,reading",
        help="load test: paces to run at each N (stress: arrivals 0.5 s apart, 0.5-1.5 s between "
        "actions; reading: 2 s apart, 3-8 s reading a page)",
    )
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="re-write the Markdown from benchmarks/out/results.json without measuring",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.scales, args.runs, args.no_profile = "S", 2, True
        args.load_sessions, args.load_duration = "3", min(args.load_duration, 30.0)
    args.scales = [s.strip().upper() for s in args.scales.split(",") if s.strip()]
    unknown = [s for s in args.scales if s not in SCALES]
    if unknown:
        parser.error(f"unknown scale(s) {unknown}; choose from {list(SCALES)}")
    if args.runs_l is None:
        args.runs_l = args.runs
    if args.runs < 1 or args.runs_l < 1:
        parser.error("--runs and --runs-l must be at least 1")
    if args.results is None:
        args.results = QUICK_MD if args.quick else RESULTS_MD
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.render_only:
        results = json.loads((OUT / "results.json").read_text())
        attach_experiments(results)
        args.results.write_text(render_all(results), encoding="utf-8")
        log(f"wrote {args.results}")
        return 0
    if not Path(args.chromium).exists():
        print(f"chromium not found at {args.chromium}: run `make chromium`", file=sys.stderr)
        return 2
    if args.store_render_only:
        saved = json.loads((OUT / "results-store.json").read_text())
        text = args.results.read_text(encoding="utf-8") if args.results.is_file() else ""
        args.results.write_text(replace_store_sections(text, saved), encoding="utf-8")
        log(f"wrote {args.results}")
        return 0
    if args.store_only:
        previous = OUT / "results.json"
        if previous.is_file():
            results = json.loads(previous.read_text())
            run_store_benchmarks(results, args)
            write_results(results, args.results)
        else:
            # No saved scale results on this machine: keep RESULTS.md's scale sections as they
            # are (they say when and on which commit they were measured) and replace only the
            # store and load-test sections.
            results = {"meta": {}, "scales": {}}
            run_store_benchmarks(results, args)
            OUT.mkdir(parents=True, exist_ok=True)
            args.results.write_text(
                replace_store_sections(
                    args.results.read_text(encoding="utf-8") if args.results.is_file() else "",
                    results,
                ),
                encoding="utf-8",
            )
            (OUT / "results-store.json").write_text(json.dumps(results, indent=1, default=str))
        log(f"wrote {args.results}")
        return 0
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    OUT.mkdir(parents=True, exist_ok=True)
    cmd = "benchmarks/run.py " + " ".join(argv if argv is not None else sys.argv[1:])
    results: dict[str, Any] = {
        "meta": {
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine_info(),
            "git": git_info(),
            "load_start": load_average(),
            "command": cmd.strip(),
            "notes": [],
        },
        "scales": {},
    }
    notes: list[str] = results["meta"]["notes"]
    exit_code = 0
    try:
        # 1. data, and whether the app serves SMARTCITIES_DATA_DIR by itself
        datas: dict[str, dict[str, Any]] = {}
        for name in args.scales:
            datas[name] = ensure_data(SCALES[name], args.regenerate)
            folder = Path(datas[name]["folder"])
            runs = args.runs_l if name == "L" else args.runs
            datas[name]["choices"] = filter_choices(folder, runs + 2)
        smallest = args.scales[0] if "S" not in args.scales else "S"
        probe = datas[smallest]
        log(f"checking whether the dashboard serves SMARTCITIES_DATA_DIR (scale {smallest})")
        native, why = app_honours_data_dir(
            Path(probe["folder"]), probe["rows"], limits_for(Path(probe["folder"]))
        )
        shim = not native
        if shim:
            notes.append(
                "**The dashboard does not serve `SMARTCITIES_DATA_DIR`**: "
                f"{why}. `smartcities/ui/data.py::public_dataset()` calls `load_public()`, which "
                "always reads the bundled `data/` with default `Limits()`. To measure the app at "
                "scale anyway, the benchmark's server start-up hook (`benchmarks/shim/"
                "sitecustomize.py`) replaces `load_public` with `load_folder(data_dir(), "
                "limits=Limits.from_env(), kind=SYNTHETIC)`; no app file is changed."
            )
        else:
            notes.append(f"The dashboard serves `SMARTCITIES_DATA_DIR` by itself ({why}).")
        log(("using the start-up shim: " if shim else "native: ") + why)

        with sync_playwright() as pw:
            pw_browser = browser.launch(pw, args.chromium)
            results["meta"]["versions"] = versions(pw_browser.version)
            try:
                with server.running(BASELINE, log_path=OUT / "server-baseline.log") as base_srv:
                    for name in args.scales:
                        scale = SCALES[name]
                        runs = args.runs_l if name == "L" else args.runs
                        data = datas[name]
                        folder = Path(data["folder"])
                        env = limits_for(folder)
                        entry = results["scales"].setdefault(name, {})
                        entry["spec"] = {
                            "description": scale.description,
                            "command": data["command"],
                        }
                        entry["rows"] = data["rows"]
                        entry["limits"] = env
                        entry["notes"] = [
                            "Filters chosen (warm-up; runs; profiling): "
                            + "; ".join(f"{c.state} + {c.round}" for c in data["choices"])
                            + "."
                        ]
                        load_runs = 1 if (name == "L" or args.quick) else args.runs
                        log(f"{name}: load_folder in a fresh process × {load_runs}")
                        entry["load"] = measure_load(folder, env, load_runs, 3600)
                        try:
                            measure_dashboard(
                                pw_browser,
                                scale,
                                data,
                                env,
                                shim,
                                runs,
                                base_srv,
                                results,
                                not args.no_profile,
                            )
                        except Exception as exc:
                            exit_code = 1
                            msg = f"{name}: the scale was aborted: {type(exc).__name__}: {exc}"
                            entry.setdefault("failures", []).append(msg[:1000])
                            log(msg[:1000])
                            tail = (OUT / f"server-{name}.log").read_text(errors="replace")
                            log("server log tail:\n" + tail[-2000:])
                        results["meta"]["duration_s"] = time.monotonic() - started
                        write_results(results, args.results)
            finally:
                pw_browser.close()
        if not args.no_store:
            run_store_benchmarks(results, args)
            write_results(results, args.results)
        if args.experiments:
            results["meta"]["experiments_since"] = time.time()
            for name in (n for n in args.scales if n in ("S", "L")):
                run_experiments(name)
    except KeyboardInterrupt:
        log("interrupted: writing what was measured so far")
        exit_code = 130
    finally:
        results["meta"]["load_end"] = load_average()
        results["meta"]["git_end"] = git_info()
        results["meta"]["duration_s"] = time.monotonic() - started
        write_results(results, args.results)
        shown = (
            args.results.relative_to(ROOT) if args.results.is_relative_to(ROOT) else args.results
        )
        log(f"wrote {shown}")
    for check in harness.check_targets(results):
        log(f"target {check['target'].text} at {check['target'].scale}: {check['verdict']}")
    return exit_code


if __name__ == "__main__":
    raise SystemExit(main())
