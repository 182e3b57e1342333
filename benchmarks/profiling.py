"""Reading the per-run cProfile files the server writes (see ``shim/sitecustomize.py``).

The server profiles a script run only while ``<profile dir>/ENABLED`` exists, so run.py can
switch profiling on for one action (open a page, change a filter) on the server it has already
measured and warmed up, without loading the data again. The files written during the action
are merged and summarised: the script's total time, the project's own functions by cumulative
time (what to fix) and all functions by own time (what is actually hot: DuckDB, pandas, …).
"""

from __future__ import annotations

import pstats
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ENABLED = "ENABLED"
ENTRY = "exec_func_with_error_handling"


def enable(profile_dir: Path) -> None:
    profile_dir.mkdir(parents=True, exist_ok=True)
    (profile_dir / ENABLED).write_text("1")


def disable(profile_dir: Path) -> None:
    (profile_dir / ENABLED).unlink(missing_ok=True)


def written(profile_dir: Path) -> set[Path]:
    """The profile files the server has written so far."""
    return set(profile_dir.glob("run-*.pstats"))


def wait_written(profile_dir: Path, before: set[Path], timeout_s: float = 10) -> list[Path]:
    """Files written since ``before`` (a run's file lands just after the run finishes)."""
    deadline = time.monotonic() + timeout_s
    new: set[Path] = set()
    while time.monotonic() < deadline:
        new = written(profile_dir) - before
        if new:
            time.sleep(0.3)  # a rerun right after may still be writing
            return sorted(written(profile_dir) - before)
        time.sleep(0.1)
    return sorted(new)


def _name(filename: str, line: int, func: str) -> str:
    path = Path(filename)
    try:
        rel = path.resolve().relative_to(ROOT)
        if rel.parts and rel.parts[0] == ".venv":
            raise ValueError
        shown = str(rel)
    except (ValueError, OSError):
        parts = path.parts
        shown = (
            "/".join(parts[parts.index("site-packages") + 1 :])
            if "site-packages" in parts
            else filename
        )
    return f"{shown}:{line}({func})" if line else f"{shown}({func})"


def _is_project(filename: str) -> bool:
    if filename.startswith(("~", "<")):  # built-ins and frozen modules
        return False
    try:
        rel = Path(filename).resolve().relative_to(ROOT)
    except (ValueError, OSError):
        return False
    return bool(rel.parts) and rel.parts[0] not in (".venv", "benchmarks")


def summarise(files: list[Path], top: int = 8) -> dict[str, Any]:
    """Script seconds, top project functions (cumulative) and top functions (own time)."""
    if not files:
        return {"runs": 0, "script_s": 0.0, "top_project": [], "top_self": []}
    stats = pstats.Stats(*(str(f) for f in files))
    table: dict[tuple[str, int, str], tuple[int, int, float, float, Any]] = stats.stats  # type: ignore[attr-defined]
    script_s = sum(ct for (_, _, func), (_, _, _, ct, _) in table.items() if func == ENTRY)
    project = [
        (_name(f, line, func), ct, nc)
        for (f, line, func), (_, nc, _, ct, _) in table.items()
        if _is_project(f)
    ]
    project.sort(key=lambda x: -x[1])
    own = [(_name(f, line, func), tt, nc) for (f, line, func), (_, nc, tt, _, _) in table.items()]
    own.sort(key=lambda x: -x[1])
    return {
        "runs": len(files),
        "script_s": script_s,
        "top_project": [[n, round(s, 3), c] for n, s, c in project[:top]],
        "top_self": [[n, round(s, 3), c] for n, s, c in own[:top]],
    }


def merge(files: list[Path], out: Path) -> Path | None:
    """All of an action's runs in one ``.pstats`` file, kept for closer reading."""
    if not files:
        return None
    stats = pstats.Stats(*(str(f) for f in files))
    out.parent.mkdir(parents=True, exist_ok=True)
    stats.dump_stats(str(out))
    return out
