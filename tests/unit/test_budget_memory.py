"""Concurrent uploads at the limits: memory stays bounded and other users stay served.

Slow (``make test-slow``): six "sessions" upload a synthetic set of about 3.7 lakh rows
(cities, progress, projects) at once through :func:`smartcities.budget.guarded_load`, the
path the "Your data" page uses, while a seventh keeps building the Overview of the public
record. Measured: the process's peak resident memory above the baseline, against one load on
its own; the most loads running at once; the rows held; the other user's slowest Overview.
The numbers are printed (``-s``) for benchmarks/RESULTS.md.

Measured on the shared two-core development machine (4 Dec 2026), 3.7 lakh rows per upload:
one load alone +357 MB; six at once with no budget +2,011 MB (all six held); with the budget
at two loads +700 MB (two loaded, four told "busy"), at one load (the default) +404 MB. The
other user's Overview during the two-load run: median 2.4 s, slowest 17.7 s (the machine was
also running other engineers' tests), hence one load at a time by default.
"""

from __future__ import annotations

import gc
import threading
import time

import pytest

from smartcities import budget, memory, overview
from smartcities.config import Limits
from smartcities.dataset import states
from smartcities.export import to_csv_bytes
from smartcities.load import Source, load_public
from smartcities.query import Engine, Scope
from smartcities.synthetic import generate
from smartcities.urlstate import vocabulary

pytestmark = [pytest.mark.unit, pytest.mark.slow]

SESSIONS = 6


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        return int(f.read().split("VmRSS:")[1].split()[0]) / 1024


class Peak:
    """Samples resident memory every 20 ms while running."""

    def __init__(self) -> None:
        self.peak = rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.02)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@pytest.fixture(scope="module")
def upload() -> list[Source]:
    tables = generate(1500, seed=0)
    return [Source(f"{name}.csv", to_csv_bytes(t)) for name, t in tables.items() if len(t)]


def test_concurrent_uploads_stay_within_the_budget(upload: list[Source]) -> None:
    limits = Limits.from_env()
    engine = Engine(load_public())
    vocab = vocabulary(engine.dataset.cities, states())
    overview.build(engine, Scope(), vocab, as_of=None)  # warm

    memory.release()
    base = rss_mb()
    single = budget.Budget(max_rows=10**8, max_loads=1)
    with Peak() as one:
        result = budget.guarded_load("solo", upload, limits, registry=single)
    assert not isinstance(result, str) and result.dataset is not None
    rows = budget.rows_of(dict(result.dataset.tables))
    one_load_mb = one.peak - base
    del result
    single.release("solo")
    gc.collect()
    memory.release()

    # Room for three uploads held at once; two loads at a time.
    registry = budget.Budget(max_rows=3 * rows + 10, max_loads=2)
    outcomes: list[str] = [""] * SESSIONS
    kept: list[object] = []
    start = threading.Barrier(SESSIONS + 1)

    def session(i: int) -> None:
        start.wait()
        got = budget.guarded_load(f"s{i}", upload, limits, registry=registry)
        if isinstance(got, str):
            outcomes[i] = "busy" if got == budget.BUSY else "full"
        else:
            outcomes[i] = "loaded"
            kept.append(got)  # held, like a session's pending upload

    latencies: list[float] = []
    base = rss_mb()
    with Peak() as many:
        threads = [threading.Thread(target=session, args=(i,)) for i in range(SESSIONS)]
        for t in threads:
            t.start()
        start.wait()
        while any(t.is_alive() for t in threads):
            began = time.perf_counter()
            overview.build(engine, Scope(), vocab, as_of=None)  # another user's Overview
            latencies.append(time.perf_counter() - began)
        for t in threads:
            t.join()
    many_mb = many.peak - base
    print(
        f"\nrows per upload {rows:,}; one load peak +{one_load_mb:.0f} MB; "
        f"{SESSIONS} concurrent: peak +{many_mb:.0f} MB, outcomes {outcomes}, "
        f"most loads at once {registry.peak_loads}, rows held {registry.total():,} of "
        f"{registry.max_rows:,}; other user's Overview: median "
        f"{sorted(latencies)[len(latencies) // 2]:.2f} s, slowest {max(latencies):.2f} s "
        f"over {len(latencies)} builds"
    )
    assert registry.peak_loads <= 2
    assert registry.total() <= registry.max_rows
    assert outcomes.count("loaded") <= 3 and "loaded" in outcomes
    assert set(outcomes) <= {"loaded", "busy", "full"}
    # Two loads at a time plus three held results: well under six parallel peaks.
    assert many_mb < 3.5 * max(one_load_mb, 50)
    # The other user is served throughout (a shared machine makes single builds noisy, so the
    # median is what is bounded; the slowest is printed).
    assert sorted(latencies)[len(latencies) // 2] < 3.0
    for i in range(SESSIONS):
        registry.release(f"s{i}")
    assert registry.total() == 0
