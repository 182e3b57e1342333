"""What the benchmark scripts share: paths, the scales and their data, the progress log, and
one browser pass over the pages (with the bare-page baseline it is compared to).

Why a module of its own: ``run.py`` (the full benchmark) calls ``store_bench.py`` and
``load_test.py``, and those two use the same data sets, filters, timing rules and log as
``run.py``. While these lived in ``run.py`` the three scripts imported each other in a circle;
here they sit below all three, and each script imports them from here.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import browser

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "benchmarks"
OUT = BENCH / "out"
DASHBOARD = ROOT / "dashboard.py"
BASELINE = BENCH / "baseline_app.py"
GENERATOR = ROOT / "scripts" / "make_synthetic.py"
# The generated data depend on these; a change regenerates the cached folders.
GENERATOR_INPUTS = (
    GENERATOR,
    ROOT / "smartcities" / "synthetic.py",
    ROOT / "data" / "progress.csv",
)
FILTER_PAGES = ("/", "/progress")
STATE_LABEL = "State/UT"
ROUND_LABEL = "Selection round"
BASELINE_OTHER_STATE = "Gujarat"

_T0 = time.monotonic()


def log(message: str) -> None:
    """Progress on stdout with the elapsed time: a full run takes a while."""
    elapsed = time.monotonic() - _T0
    print(f"[{int(elapsed // 60):02d}:{int(elapsed % 60):02d}] {message}", flush=True)


# ------------------------------------------------------------------------------- scales


@dataclass(frozen=True)
class Scale:
    """A data-set size and how long its server may take to answer."""

    name: str
    cities: int
    monthly: bool
    projects_per_city: int | None
    description: str
    first_open_timeout_s: float  # includes loading the data in the server
    timeout_s: float  # any later page open or filter change

    def generator_args(self, out: Path) -> list[str]:
        args = ["--cities", str(self.cities)]
        if self.monthly:
            args.append("--monthly")
        if self.projects_per_city is not None:
            args += ["--projects-per-city", str(self.projects_per_city)]
        return [*args, "--out", str(out), "--format", "parquet"]


SCALES: dict[str, Scale] = {
    "S": Scale("S", 100, False, None, "100 cities (the mission)", 600, 120),
    "M": Scale("M", 500, False, None, "500 cities", 600, 180),
    "L": Scale(
        "L",
        4500,
        True,
        222,
        "4,500 towns, monthly progress 2016–2025, ~1 million projects",
        2400,
        900,
    ),
}


# --------------------------------------------------------------------------- machine load


def load_average() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return -1.0


# ------------------------------------------------------------------------------- data


def _fingerprint(scale: Scale) -> str:
    digest = hashlib.sha256(json.dumps(scale.generator_args(Path("."))).encode())
    for path in GENERATOR_INPUTS:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def ensure_data(scale: Scale, regenerate: bool) -> dict[str, Any]:
    """Generate the scale's folder unless an identical one is already there."""
    folder = OUT / scale.name
    stamp = folder / ".bench-stamp.json"
    fingerprint = _fingerprint(scale)
    if not regenerate and stamp.is_file():
        info = json.loads(stamp.read_text())
        if info.get("fingerprint") == fingerprint:
            log(f"{scale.name}: reusing the data in {folder.relative_to(ROOT)}")
            return {**info, "folder": str(folder), "generated_s": None}
    if folder.exists():
        shutil.rmtree(folder)
    cmd = [sys.executable, str(GENERATOR), *scale.generator_args(folder)]
    log(f"{scale.name}: generating SYNTHETIC data ({scale.description})")
    started = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, check=True, timeout=1800, stdout=subprocess.DEVNULL)
    seconds = time.perf_counter() - started
    import pyarrow.parquet as pq

    rows = {p.stem: pq.ParquetFile(p).metadata.num_rows for p in sorted(folder.glob("*.parquet"))}
    shown = ["python", "scripts/make_synthetic.py", *scale.generator_args(folder.relative_to(ROOT))]
    info = {"fingerprint": fingerprint, "rows": rows, "command": shlex.join(shown)}
    stamp.write_text(json.dumps(info))
    log(f"{scale.name}: generated in {seconds:.0f} s: {rows}")
    return {**info, "folder": str(folder), "generated_s": seconds}


def limits_for(folder: Path) -> dict[str, str]:
    """Loader limits (env vars) this folder needs, only where above the defaults, +10 %."""
    import pyarrow.parquet as pq

    from smartcities.config import Limits

    default = Limits()
    rows = size = unpacked = 0
    for path in folder.glob("*.parquet"):
        meta = pq.ParquetFile(path).metadata
        rows = max(rows, meta.num_rows)
        size = max(size, path.stat().st_size)
        unpacked = max(
            unpacked, sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
        )
    env: dict[str, str] = {}
    if rows > default.max_rows:
        env["SMARTCITIES_MAX_ROWS"] = str(int(rows * 1.1))
    if size > default.max_file_bytes:
        env["SMARTCITIES_MAX_FILE_MB"] = str(int(size * 1.1 / 2**20) + 1)
    if unpacked > default.max_decompressed_bytes:
        env["SMARTCITIES_MAX_DECOMPRESSED_MB"] = str(int(unpacked * 1.1 / 2**20) + 1)
    return env


# ------------------------------------------------------------------------------- browser


def _sample(
    fn: Callable[[], browser.Timing], what: str, failures: list[str]
) -> browser.Timing | None:
    """Run one measurement; a timeout or a missing widget is recorded and the run goes on."""
    try:
        timing = fn()
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        failures.append(f"{what}: {first[:300]}")
        log(f"  FAILED {what}: {first[:300]}")
        return None
    if timing.errors:
        failures.append(f"{what}: the page shows {timing.errors} exception(s)")
    return timing


def _ms(t: browser.Timing | None) -> float | None:
    return None if t is None else t.ms


def _script_ms(t: browser.Timing | None) -> float | None:
    return None if t is None else t.script_ms


@dataclass(frozen=True)
class Choice:
    """What one pass chooses in the sidebar: a state/UT, then a selection round."""

    state: str
    round: str


def filter_key(title: str, label: str) -> str:
    """Row label of a filter change: the page and the box (the option varies per run)."""
    if label == STATE_LABEL:
        return f"{title} · {STATE_LABEL}"
    return f"{title} · {label} (after a {STATE_LABEL})"


class Pass:
    """One pass over the pages of a server, in one warm tab, with its timings.

    Each page is opened (timed from navigation start); on the filter pages the sidebar filters
    are then changed in that same session (state/UT, then round; each timed from the click).
    Re-using the opened page for the filters avoids an untimed open per filter sequence, which
    at L costs as much as the filters themselves.
    """

    def __init__(self, tab: browser.Tab, base_url: str, timeout_ms: float) -> None:
        self.tab, self.base_url, self.timeout_ms = tab, base_url, timeout_ms
        self.opens: dict[str, list[float | None]] = {}
        self.open_scripts: dict[str, list[float | None]] = {}
        self.filters: dict[str, list[float | None]] = {}
        self.filter_scripts: dict[str, list[float | None]] = {}

    def open(self, path: str, failures: list[str], what: str) -> browser.Timing | None:
        t = _sample(lambda: self.tab.open(self.base_url + path, self.timeout_ms), what, failures)
        self.opens.setdefault(path, []).append(_ms(t))
        self.open_scripts.setdefault(path, []).append(_script_ms(t))
        return t

    def choose(
        self,
        key: str,
        label: str,
        option: str,
        failures: list[str],
        before_click: Callable[[], None] | None = None,
    ) -> bool:
        t = _sample(
            lambda: self.tab.choose(label, option, self.timeout_ms, before_click),
            f"{key} → {option}",
            failures,
        )
        self.filters.setdefault(key, []).append(_ms(t))
        self.filter_scripts.setdefault(key, []).append(_script_ms(t))
        return t is not None

    def run(
        self,
        paths: list[str],
        titles: dict[str, str],
        choice: Choice,
        failures: list[str],
        tag: str,
        on_open: Callable[[], None] | None = None,
    ) -> None:
        for path in paths:
            if on_open:
                on_open()
            opened = self.open(path, failures, f"open {path} ({tag})")
            if path not in FILTER_PAGES:
                continue
            title = titles[path]
            ok = opened is not None and self.choose(
                filter_key(title, STATE_LABEL), STATE_LABEL, choice.state, failures
            )
            key = filter_key(title, ROUND_LABEL)
            if ok:
                self.choose(key, ROUND_LABEL, choice.round, failures)
            else:
                self.filters.setdefault(key, []).append(None)
                self.filter_scripts.setdefault(key, []).append(None)


def baseline_pass(tab: browser.Tab, url: str, choice: Choice, other: str) -> dict[str, Any]:
    """The bare page: one open, then two selectbox changes (``choice.state``, then ``other``)."""
    failures: list[str] = []
    p = Pass(tab, url, 60_000)
    out: dict[str, Any] = {"open": [], "filter": [], "failures": failures}
    if p.open("/", failures, "baseline open") is not None:
        for option in (choice.state, other):
            p.choose("baseline", STATE_LABEL, option, failures)
    out["open"] = p.opens.get("/", [])
    out["filter"] = p.filters.get("baseline", [])
    return out


def filter_choices(folder: Path, n: int) -> list[Choice]:
    """``n`` different (state/UT, round) pairs: the states with most cities first.

    A different pair per pass (warm-up, each run, profiling) so that no run is a repeat of the
    one before it: a cache the app may add would then be measured cold, as for a user who picks
    something new, not flattered by the previous run.
    """
    import pandas as pd

    cities = pd.read_parquet(folder / "cities.parquet", columns=["state_ut", "selection_round"])
    states = [str(s) for s in cities["state_ut"].value_counts().index]
    rounds = [str(r) for r in cities["selection_round"].dropna().value_counts().index] or [""]
    return [Choice(states[i % len(states)], rounds[i % len(rounds)]) for i in range(n)]
