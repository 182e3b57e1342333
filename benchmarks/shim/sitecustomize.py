"""Benchmark-only start-up hook for the Streamlit server (never imported by the app itself).

``benchmarks/run.py`` puts this folder first on ``PYTHONPATH`` of the dashboard server it
starts, so Python imports this module at interpreter start-up. It does two things, each only
when its environment variable is set:

``SMARTCITIES_BENCH_SHIM=1``
    For commits of the app that read only the bundled ``data/`` (before the data folder became
    configurable): ``load_public`` is replaced by a loader of the configured folder
    (``smartcities.config.data_dir``) with ``Limits.from_env()``. The app now honours
    ``SMARTCITIES_DATA_DIR`` itself (``smartcities.ui.data``), so run.py leaves this off
    unless its check finds the variable ignored, and says so in RESULTS.md.

``SMARTCITIES_BENCH_PROFILE_DIR=<dir>``
    While the file ``<dir>/ENABLED`` exists, every script run (page open or rerun) is profiled
    with cProfile and written to ``<dir>/run-<n>.pstats``, to find where a missed target's time
    goes. Otherwise the only cost is one ``os.path.exists`` per run.

``SMARTCITIES_BENCH_LOG=<file>``
    The shim's loader appends one JSON line per load (folder, seconds, rows per table and the
    validation summary) to this file, which also proves that the benchmark data, not the
    bundled record, were served.
"""

from __future__ import annotations

import os


def _install_data_dir_shim() -> None:
    import json
    import time

    import smartcities.load as load_module
    from smartcities.config import Limits, data_dir
    from smartcities.dataset import SYNTHETIC, Dataset

    def load_configured() -> Dataset:
        folder = data_dir([])
        started = time.perf_counter()
        result = load_module.load_folder(
            folder,
            limits=Limits.from_env(),
            kind=SYNTHETIC,
            label=f"SYNTHETIC benchmark data ({folder.name})",
        )
        seconds = time.perf_counter() - started
        log = os.environ.get("SMARTCITIES_BENCH_LOG")
        if log:
            rows = {n: len(t) for n, t in (result.dataset.tables if result.dataset else {}).items()}
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(
                    json.dumps(
                        {
                            "folder": str(folder),
                            "seconds": seconds,
                            "rows": rows,
                            "summary": result.report.summary(),
                        }
                    )
                    + "\n"
                )
        if result.dataset is None:
            raise RuntimeError(f"benchmark data in {folder} unusable: {result.report.summary()}")
        return result.dataset

    load_module.load_public = load_configured


def _install_profiler(out_dir: str) -> None:
    import cProfile
    import itertools
    import threading
    from pathlib import Path

    from streamlit.runtime.scriptrunner import script_runner

    original = script_runner.exec_func_with_error_handling
    counter = itertools.count(1)
    lock = threading.Lock()
    Path(out_dir).mkdir(parents=True, exist_ok=True)

    flag = os.path.join(out_dir, "ENABLED")

    def profiled(func, ctx):  # type: ignore[no-untyped-def]
        if not os.path.exists(flag):
            return original(func, ctx)
        profile = cProfile.Profile()
        profile.enable()
        try:
            return original(func, ctx)
        finally:
            profile.disable()
            with lock:
                n = next(counter)
            profile.dump_stats(str(Path(out_dir) / f"run-{n:04d}.pstats"))

    script_runner.exec_func_with_error_handling = profiled


if os.environ.get("SMARTCITIES_BENCH_SHIM") == "1":
    _install_data_dir_shim()
if os.environ.get("SMARTCITIES_BENCH_PROFILE_DIR"):
    _install_profiler(os.environ["SMARTCITIES_BENCH_PROFILE_DIR"])
