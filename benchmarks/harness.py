"""Pure helpers of the benchmark: summaries, ratios, targets and the RESULTS.md text.

Kept free of Streamlit, Playwright and subprocesses so ``tests/unit/test_bench_harness.py``
can check them in milliseconds. run.py collects raw samples into a plain dict (also saved as
JSON, so RESULTS.md can be re-rendered without re-measuring: ``run.py --render-only``) and
:func:`render_results` turns it into Markdown.

Every figure is reported as a median (with min and max, since a shared 2-core machine is
noisy) and as a ratio to the bare Streamlit page measured in the same block of the same run.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

GB_MB = 1024.0  # the memory target is 1 GB = 1,024 MiB; /proc reports KiB


@dataclass(frozen=True)
class Stats:
    """Median, minimum and maximum of the successful samples, and how many there were."""

    median: float
    min: float
    max: float
    n: int


def summarise(values: Iterable[float | None]) -> Stats | None:
    """Summary of the samples that succeeded (``None`` marks a failed or timed-out sample)."""
    ok = [float(v) for v in values if v is not None]
    if not ok:
        return None
    return Stats(statistics.median(ok), min(ok), max(ok), len(ok))


def ratio(value: float | None, base: float | None) -> float | None:
    """``value / base``, or None when either is missing or the base is not positive."""
    if value is None or base is None or base <= 0:
        return None
    return value / base


def fmt_s(ms: float | None) -> str:
    """Milliseconds as seconds for the tables: ``1234.5`` -> ``1.23 s``."""
    if ms is None:
        return "–"
    return f"{ms / 1000:,.2f} s"


def fmt_mb(mb: float | None) -> str:
    if mb is None:
        return "–"
    return f"{mb:,.0f} MB"


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "–"
    return f"{r:.2f}×"


def fmt_range(stats: Stats | None, unit: str = "s") -> str:
    if stats is None:
        return "–"
    if unit == "s":
        return f"{stats.min / 1000:,.2f}–{stats.max / 1000:,.2f} s"
    return f"{stats.min:,.0f}–{stats.max:,.0f} MB"


def md_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Collection[int] = ()
) -> str:
    """A Markdown table; the columns at the ``numeric`` indices are right-aligned."""
    aligns = ["---:" if i in numeric else "---" for i in range(len(headers))]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    for row in rows:
        cells = [str(c).replace("|", "\\|").replace("\n", " ") for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------------------------ targets


@dataclass(frozen=True)
class Target:
    """A target from the issue: ``kind`` is "filter", "open" (ratio limits) or "memory" (MB)."""

    kind: str
    scale: str
    limit: float

    @property
    def text(self) -> str:
        if self.kind == "memory":
            return f"server memory ≤ {self.limit / GB_MB:g} GB"
        what = "filter interaction" if self.kind == "filter" else "opening a page"
        return f"{what} ≤ {self.limit:g}× baseline"


TARGETS: tuple[Target, ...] = (
    Target("filter", "S", 1.5),
    Target("filter", "L", 2.0),
    Target("open", "S", 1.5),
    Target("memory", "L", GB_MB),
)

# Thresholds above which a measurement is profiled: the targets, plus page opens at L (no
# target there, but the fix list needs to know what makes them slow). M has no target and is
# not profiled: S and L bracket it.
PROFILE_THRESHOLDS: dict[tuple[str, str], float] = {
    ("open", "S"): 1.5,
    ("filter", "S"): 1.5,
    ("open", "L"): 2.0,
    ("filter", "L"): 2.0,
}


def verdict(value: float | None, limit: float) -> str:
    """ "met", "missed", or "not measured" when there is no value."""
    if value is None:
        return "not measured"
    return "met" if value <= limit else "missed"


@dataclass(frozen=True)
class Item:
    """One measured figure of a scale, ready for a table row and a target check."""

    kind: str  # "open" | "filter" | "memory"
    label: str
    key: str  # page path or filter label or memory field
    stats: Stats | None
    base: Stats | None
    failures: int = 0
    script: Stats | None = None  # the server's script run(s), seen from the browser

    @property
    def ratio(self) -> float | None:
        return ratio(
            self.stats.median if self.stats else None, self.base.median if self.base else None
        )


def scale_items(scale: Mapping[str, Any]) -> list[Item]:
    """The measured figures of one scale from the raw results dict (see run.py)."""
    base = scale.get("baseline", {})
    base_open = summarise(base.get("open", []))
    base_filter = summarise(base.get("filter", []))
    items: list[Item] = []
    titles = scale.get("open_titles", {})
    open_scripts = scale.get("open_script", {})
    for path, samples in scale.get("open", {}).items():
        items.append(
            Item(
                "open",
                f"Open {path} ({titles.get(path, path)})",
                path,
                summarise(samples),
                base_open,
                sum(1 for s in samples if s is None),
                summarise(open_scripts.get(path, [])),
            )
        )
    filter_scripts = scale.get("filter_script", {})
    for label, samples in scale.get("filters", {}).items():
        items.append(
            Item(
                "filter",
                f"Filter: {label}",
                label,
                summarise(samples),
                base_filter,
                sum(1 for s in samples if s is None),
                summarise(filter_scripts.get(label, [])),
            )
        )
    mem = scale.get("memory", {})
    base_mem = base.get("memory_mb")
    for key, label in (
        ("after_warmup_mb", "Server RSS after warm-up"),
        ("after_mb", "Server RSS after the interactions"),
        ("peak_mb", "Server peak RSS (VmHWM, includes loading)"),
    ):
        if mem.get(key) is not None:
            value = float(mem[key])
            b = Stats(base_mem, base_mem, base_mem, 1) if base_mem is not None else None
            items.append(Item("memory", label, key, Stats(value, value, value, 1), b))
    return items


def check_targets(results: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each target of a measured scale: the worst item, its value and the verdict.

    Ratio targets are checked on the median of every item of that kind (the worst decides);
    the memory target on the server's resident memory after warm-up and after the
    interactions (the larger); the loading peak is reported beside it.
    """
    out: list[dict[str, Any]] = []
    scales = results.get("scales", {})
    for target in TARGETS:
        scale = scales.get(target.scale)
        if scale is None:
            continue
        items = [i for i in scale_items(scale) if i.kind == target.kind]
        if target.kind == "memory":
            items = [i for i in items if i.key in ("after_warmup_mb", "after_mb")]
            values = [(i.stats.median if i.stats else None, i) for i in items]
        else:
            values = [(i.ratio, i) for i in items]
        measured = [(v, i) for v, i in values if v is not None]
        failed = [i for i in items if i.failures]
        if not measured:
            out.append({"target": target, "worst": None, "item": None, "verdict": "not measured"})
            continue
        worst, item = max(measured, key=lambda vi: vi[0])
        result = verdict(worst, target.limit)
        if failed and result == "met":
            result = "missed"  # a timed-out sample cannot count as fast enough
        out.append({"target": target, "worst": worst, "item": item, "verdict": result})
    return out


def items_to_profile(results: Mapping[str, Any], scale_name: str) -> list[Item]:
    """Items of a scale above their profiling threshold (or that failed).

    Items under a target of the issue come first, then the others; each group worst first.
    """
    scale = results.get("scales", {}).get(scale_name, {})
    targeted = {(t.kind, t.scale) for t in TARGETS}
    picked = []
    for item in scale_items(scale):
        limit = PROFILE_THRESHOLDS.get((item.kind, scale_name))
        if limit is None:
            continue
        if item.failures or (item.ratio is not None and item.ratio > limit):
            picked.append(item)
    return sorted(
        picked,
        key=lambda i: ((i.kind, scale_name) not in targeted, -(i.ratio or float("inf"))),
    )


# ------------------------------------------------------------------------------ rendering


def _target_cell(item: Item, scale: str) -> str:
    for t in TARGETS:
        if t.scale != scale or t.kind != item.kind:
            continue
        if t.kind == "memory":
            if item.key == "peak_mb":
                return "(reported)"
            value = item.stats.median if item.stats else None
            return f"≤ {t.limit / GB_MB:g} GB: **{verdict(value, t.limit)}**"
        v = verdict(item.ratio, t.limit)
        if item.failures and v == "met":
            v = "missed"
        return f"≤ {t.limit:g}×: **{v}**"
    return ""


def render_scale(name: str, scale: Mapping[str, Any]) -> str:
    """The table of one scale: every figure, its baseline, the ratio and the target."""
    rows = []
    for item in scale_items(scale):
        is_mem = item.kind == "memory"
        if is_mem:
            value = fmt_mb(item.stats.median if item.stats else None)
            spread = script = "–"
            base = fmt_mb(item.base.median if item.base else None)
        else:
            value = fmt_s(item.stats.median if item.stats else None)
            spread = fmt_range(item.stats)
            script = fmt_s(item.script.median if item.script else None)
            base = fmt_s(item.base.median if item.base else None)
        n = item.stats.n if item.stats else 0
        runs = f"{n}" + (f" ({item.failures} failed)" if item.failures else "")
        rows.append(
            [
                item.label,
                value,
                spread,
                script,
                runs,
                base,
                fmt_ratio(item.ratio),
                _target_cell(item, name),
            ]
        )
    headers = [
        "Measure",
        "Median",
        "Min–max",
        "Script run",
        "Runs",
        "Baseline",
        "Ratio",
        "Target",
    ]
    return md_table(headers, rows, numeric=range(1, 7))


def render_load(results: Mapping[str, Any]) -> str:
    """Loading and validation per scale, in a fresh process each run."""
    rows = []
    for name, scale in results.get("scales", {}).items():
        loads = [r for r in scale.get("load", []) if r.get("ok")]
        if not loads:
            rows.append([name, "–", "–", "–", "–", "–", "–", "–", "–"])
            continue
        wall = summarise(r["load_s"] * 1000 for r in loads)
        cpu = summarise(r["load_cpu_s"] * 1000 for r in loads)
        engine = summarise(r["engine_s"] * 1000 for r in loads)
        peak = summarise(r["peak_mb"] for r in loads)
        rss = summarise(r["rss_after_engine_mb"] for r in loads)
        rows_ = loads[0].get("rows", {})
        pandas_total = sum(loads[0].get("pandas_mb", {}).values())
        rows.append(
            [
                name,
                f"{rows_.get('progress', 0):,} / {rows_.get('projects', 0):,}",
                f"{fmt_s(wall.median if wall else None)} ({fmt_range(wall)})",
                fmt_s(cpu.median if cpu else None),
                fmt_s(engine.median if engine else None),
                fmt_mb(peak.median if peak else None),
                fmt_mb(rss.median if rss else None),
                fmt_mb(pandas_total),
                str(len(loads)),
            ]
        )
    headers = [
        "Scale",
        "Progress / project rows",
        "load_folder wall (min–max)",
        "CPU",
        "Engine build",
        "Peak RSS",
        "RSS after engine",
        "Tables in pandas",
        "Runs",
    ]
    return md_table(headers, rows, numeric=range(1, 9))


def render_targets(results: Mapping[str, Any]) -> str:
    rows = []
    for check in check_targets(results):
        t: Target = check["target"]
        item: Item | None = check["item"]
        if check["worst"] is None:
            worst = "–"
        elif t.kind == "memory":
            worst = fmt_mb(check["worst"])
        else:
            worst = fmt_ratio(check["worst"])
        where = item.label if item is not None else ""
        rows.append([t.text, t.scale, worst, where, f"**{check['verdict']}**"])
    headers = ["Target", "Scale", "Worst measured", "Where", "Verdict"]
    return md_table(headers, rows, numeric=(2,))


def render_meta(meta: Mapping[str, Any]) -> str:
    machine = meta.get("machine", {})
    versions = meta.get("versions", {})
    lines = [
        f"- Date: {meta.get('date', '?')}; total run time {meta.get('duration_s', 0) / 60:.1f} min"
        f"; command `{meta.get('command', '')}`",
        f"- Machine: {machine.get('nproc', '?')} CPUs ({machine.get('cpu', '?')}), "
        f"{machine.get('ram_gb', 0):.1f} GB RAM, {machine.get('os', '?')}",
        f"- Load average (1 min) at start / end: {meta.get('load_start', '?')} / "
        f"{meta.get('load_end', '?')} (other jobs share this machine; see each block's load)",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions.items()),
        f"- Code: {meta.get('git', '?')} at the start"
        + (
            f"; {meta['git_end']} at the end (the code changed during the run)"
            if meta.get("git_end") and meta.get("git_end") != meta.get("git")
            else ""
        ),
    ]
    return "\n".join(lines)


def _profile_lines(profile: Mapping[str, Any]) -> list[str]:
    lines = [
        f"- **{profile['scale']} · {profile['action']}** ({profile.get('reason', '')}): "
        f"{profile.get('runs', 0)} script run(s), {profile.get('script_s', 0):.2f} s of script "
        "time under cProfile (profiling slows Python code; read the shares, not the seconds)."
    ]
    top = profile.get("top_project", [])
    if top:
        lines.append(
            "  - Project code by cumulative time: "
            + "; ".join(f"`{n}` {s:.2f} s ({c}×)" for n, s, c in top)
        )
    own = profile.get("top_self", [])
    if own:
        lines.append(
            "  - Hottest functions by own time: "
            + "; ".join(f"`{n}` {s:.2f} s ({c}×)" for n, s, c in own)
        )
    js = profile.get("browser") or {}
    if js.get("by_script"):
        lines.append(
            f"  - Browser main thread (Chromium's CPU profiler, from the navigation or click "
            f"until done): busy {js['busy_ms'] / 1000:.2f} s of {js['total_ms'] / 1000:.2f} s, "
            "of which native work outside JavaScript (`(program)`: style, layout, paint, and "
            f"the frames the timing's polling draws) {js['native_ms'] / 1000:.2f} s; "
            "by script: " + "; ".join(f"`{n}` {ms / 1000:.2f} s" for n, ms in js["by_script"])
        )
    if profile.get("file"):
        lines.append(f"  - Raw profile: `{profile['file']}` (open with `python -m pstats`).")
    return lines


def _memory_lines(name: str, scale: Mapping[str, Any]) -> list[str]:
    loads = [r for r in scale.get("load", []) if r.get("ok")]
    if not loads:
        return []
    r = loads[0]
    pandas_mb: dict[str, float] = r.get("pandas_mb", {})
    category_mb: dict[str, float] = r.get("category_mb", {})
    cols: dict[str, list[str]] = r.get("category_columns", {})
    parts = [
        f"{t} {pandas_mb[t]:,.0f} MB → {category_mb.get(t, 0):,.0f} MB"
        for t in sorted(pandas_mb, key=lambda t: -pandas_mb[t])
        if pandas_mb[t] >= 1
    ]
    mem = scale.get("memory", {})
    lines = [
        f"- **{name} · memory**: in a fresh process, RSS {r.get('rss_before_mb', 0):,.0f} MB "
        f"after imports, {r.get('rss_after_load_mb', 0):,.0f} MB after `load_folder` (peak "
        f"{r.get('peak_after_load_mb', 0):,.0f} MB while validating), "
        f"{r.get('rss_after_engine_mb', 0):,.0f} MB after building the DuckDB engine "
        f"(DuckDB reports {r.get('duckdb_mb') or 0:,.0f} MB of its own: a second copy of "
        "every table). The server: "
        f"{fmt_mb(mem.get('after_warmup_mb'))} after warm-up, {fmt_mb(mem.get('after_mb'))} "
        f"after the interactions, peak {fmt_mb(mem.get('peak_mb'))}.",
    ]
    if parts:
        lines.append(
            "  - Tables in pandas, as loaded → with repetitive text columns as `category` "
            "(measured): " + "; ".join(parts) + "."
        )
        listed = {t: c for t, c in cols.items() if c and pandas_mb.get(t, 0) >= 1}
        lines.append(
            "  - Columns converted: "
            + "; ".join(f"{t}: {', '.join(c)}" for t, c in listed.items())
            + "."
        )
    return lines


def render_experiments(scale: str, exp: Mapping[str, Any]) -> str:
    """The measured alternatives of ``benchmarks/experiments.py`` for one scale."""
    rows = []
    for e in exp.get("experiments", []):
        now, alt = e.get("now_s"), e.get("alt_s")
        saving = f"{(now - alt) * 1000:,.0f} ms" if now is not None and alt is not None else "–"
        rows.append(
            [
                e["what"],
                fmt_s(now * 1000 if now is not None else None),
                fmt_s(alt * 1000 if alt is not None else None),
                saving,
                e.get("alternative", "") + (f" ({e['note']})" if e.get("note") else ""),
            ]
        )
    head = (
        f"Measured alternatives at {scale} (`benchmarks/experiments.py --scale {scale}`, "
        f"{exp.get('date', '?')}; medians of 3 calls where cheap, query results uncached):"
    )
    mem = []
    if exp.get("tables_mb") is not None:
        mem.append(
            f"Memory at {scale}: the validated tables take {exp['tables_mb']:,.0f} MB in pandas "
            f"({exp.get('compact_tables_mb', 0):,.0f} MB with every repetitive text column as "
            f"`category`); the process holds {exp.get('rss_after_load_mb', 0):,.0f} MB after "
            "`load_folder` ("
            + (
                f"{exp['rss_after_malloc_trim_mb']:,.0f} MB after `gc.collect()` and "
                "`malloc_trim(0)`, "
                if exp.get("rss_after_malloc_trim_mb") is not None
                else ""
            )
            + f"{exp.get('rss_after_trim_mb') or 0:,.0f} MB after `gc.collect()`, "
            "`malloc_trim(0)` and Arrow's `default_memory_pool().release_unused()`; Arrow's "
            f"{exp.get('arrow_pool', '?')} pool holds {exp.get('arrow_allocated_mb', 0):,.0f} "
            f"MB), {exp.get('rss_after_engine_mb', 0):,.0f} MB with the DuckDB engine, whose "
            f"copy of the tables is {exp.get('duckdb_mb', 0):,.0f} MB "
            f"({exp.get('compact_duckdb_mb', 0):,.0f} MB when built from category columns, "
            "which DuckDB stores as ENUMs)"
        )
    headers = ["Hot spot (now)", "Now", "Alternative", "Saving", "Alternative measured"]
    text = head + "\n\n" + md_table(headers, rows, numeric=(1, 2, 3))
    if mem:
        text += "\n\n" + "; ".join(mem) + "."
    return text


def render_findings(results: Mapping[str, Any]) -> str:
    lines: list[str] = []
    for profile in results.get("profiles", []):
        lines.extend(_profile_lines(profile))
    for name, scale in results.get("scales", {}).items():
        lines.extend(_memory_lines(name, scale))
    text = "\n".join(lines) if lines else "Every target was met; nothing was profiled."
    for scale, exp in results.get("experiments", {}).items():
        text += "\n\n" + render_experiments(scale, exp)
    return text


def render_results(results: Mapping[str, Any]) -> str:
    """The whole of RESULTS.md."""
    meta = results.get("meta", {})
    out = [
        "# Benchmark results",
        "",
        "Written by `benchmarks/run.py` (do not edit by hand; see `benchmarks/README.md` for "
        "what is measured and how). Times are medians of the runs after one warm-up, with the "
        "spread (min–max); every figure is also given as a ratio to the bare Streamlit page "
        "(`benchmarks/baseline_app.py`: one selectbox, one plotly chart) measured in the same "
        "block of the same run, with the same browser and the same rule for 'done'. "
        "'Script run' is the part of a page open or filter change during which Streamlit ran "
        "the script (from 'running' to 'notRunning', seen in the browser): the server's Python "
        "time; the rest is the websocket, React rendering and plotly drawing.",
        "",
        "## Run",
        "",
        render_meta(meta),
    ]
    for note in meta.get("notes", []):
        out.append(f"- {note}")
    out += ["", "## Targets", "", render_targets(results), ""]
    out += ["## Loading and validation", "", render_load(results), ""]
    out.append(
        "`load_folder` = read, normalise, validate and cross-check every table (a fresh "
        "process per run; loader limits raised through the environment where the data need "
        "it, see each scale). Engine build = copying the tables into DuckDB. Peak RSS = "
        "`VmHWM` of that process."
    )
    out.append("")
    for name, scale in results.get("scales", {}).items():
        spec = scale.get("spec", {})
        rows = scale.get("rows", {})
        out += [f"## Scale {name}: {spec.get('description', '')}", ""]
        facts = [
            f"Data: {', '.join(f'{t} {n:,}' for t, n in rows.items())} rows "
            f"(`{spec.get('command', '')}`)."
        ]
        if scale.get("limits"):
            facts.append(
                "Loader limits raised: "
                + ", ".join(f"`{k}={v}`" for k, v in scale["limits"].items())
                + "."
            )
        block = scale.get("block", {})
        if block:
            facts.append(
                f"Load average (1 min) during this block: {block.get('load_start', '?')} → "
                f"{block.get('load_end', '?')}; block took {block.get('seconds', 0) / 60:.1f} min."
            )
        if scale.get("first_open_s") is not None:
            facts.append(
                f"First open after the server started (loads the data): "
                f"{scale['first_open_s']:,.1f} s."
            )
        facts.extend(scale.get("notes", []))
        out += [" ".join(facts), "", render_scale(name, scale), ""]
        if scale.get("failures"):
            out += ["Failures:", ""] + [f"- {f}" for f in scale["failures"]] + [""]
    out += ["## Findings", "", render_findings(results), ""]
    return "\n".join(out)
