"""Build one store in a fresh process and print what it cost, as one JSON line.

Fresh, because peak memory (``VmHWM``) is per process. Run:
``.venv/bin/python benchmarks/build_worker.py benchmarks/out/S benchmarks/out/store-S.duckdb``
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    from smartcities.store.build import build_store

    source, out = Path(sys.argv[1]), Path(sys.argv[2])
    cpu0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.perf_counter()
    result = build_store(source, out)
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_SELF)
    print(
        json.dumps(
            {
                "wall_s": round(wall, 2),
                "cpu_s": round(
                    (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime), 2
                ),
                "peak_rss_mb": round(_status_mb("VmHWM"), 1),
                "rss_mb": round(_status_mb("VmRSS"), 1),
                "ok": result.store is not None,
                "bulk_tables": list(result.bulk_tables),
                "bulk_fallback": result.bulk_fallback,
                "rows": result.rows,
                "report": result.report.summary(),
                "store_mb": round(out.stat().st_size / 2**20, 1) if out.exists() else None,
            }
        )
    )


if __name__ == "__main__":
    main()
