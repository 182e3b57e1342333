"""Time the printable brief (PDF) at the 100-city scale; a measurement, not a timed test.

Run: ``.venv/bin/python benchmarks/brief.py [--runs 5]``

For the public record (100 cities) and the SYNTHETIC sample of 100 cities, and for India and one
city in English and Hindi, it times ``brief.build`` (the engine's queries and the content) and
``brief.to_pdf`` (WeasyPrint layout, font subsetting, PDF writing) separately, reports the first
(cold: fonts loaded, Pango warmed up) and the median of the warm runs, the process CPU time
(less sensitive to other load on a shared machine than wall time), the pages and the size,
and checks them against the issue's targets (< 5 s, < 2 MB). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pypdf  # noqa: E402 (the test extra)

from smartcities import brief  # noqa: E402
from smartcities.load import load_public  # noqa: E402
from smartcities.query import Engine, Scope  # noqa: E402
from smartcities.synthetic import synthetic_dataset  # noqa: E402

TARGET_S = 5.0
TARGET_BYTES = 2_000_000


def measure(ds, engine, scope: Scope, lang: str, runs: int) -> dict[str, float]:
    builds, prints, totals, cpus = [], [], [], []
    size = pages = 0
    for _ in range(runs):
        c0 = time.process_time()
        t0 = time.perf_counter()
        content = brief.build(brief.selection(ds, engine, scope), lang)
        t1 = time.perf_counter()
        pdf = brief.to_pdf(content)
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        prints.append(t2 - t1)
        totals.append(t2 - t0)
        cpus.append(time.process_time() - c0)
        size = len(pdf)
        pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    warm = totals[1:] or totals
    return {
        "cold_s": totals[0],
        "warm_median_s": statistics.median(warm),
        "warm_max_s": max(warm),
        "build_median_s": statistics.median(builds[1:] or builds),
        "pdf_median_s": statistics.median(prints[1:] or prints),
        "cpu_median_s": statistics.median(cpus[1:] or cpus),
        "bytes": size,
        "pages": pages,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    public = load_public()
    synthetic = synthetic_dataset(100)
    sets = [
        ("public record", public, Engine(public)),
        ("synthetic 100", synthetic, Engine(synthetic)),
    ]
    print(
        f"Brief (PDF) benchmark, {args.runs} runs each; {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}\n"
    )
    print(
        "| data | selection | lang | cold s | warm median s | warm max s | build s | "
        "print s | CPU s | pages | KB | < 5 s and < 2 MB |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, ds, engine in sets:
        for label, scope in (("India", Scope()), ("Srinagar", Scope(city_id="srinagar"))):
            if scope.city_id and scope.city_id not in set(ds.cities["city_id"]):
                scope = Scope(city_id=str(ds.cities["city_id"].iat[0]))
                label = str(ds.cities["city_name"].iat[0])
            for lang in ("en", "hi"):
                m = measure(ds, engine, scope, lang, args.runs)
                ok = m["warm_max_s"] < TARGET_S and m["bytes"] < TARGET_BYTES
                print(
                    f"| {name} | {label} | {lang} | {m['cold_s']:.2f} | "
                    f"{m['warm_median_s']:.2f} | {m['warm_max_s']:.2f} | "
                    f"{m['build_median_s']:.2f} | {m['pdf_median_s']:.2f} | "
                    f"{m['cpu_median_s']:.2f} | {m['pages']} | "
                    f"{m['bytes'] / 1024:.0f} | {'yes' if ok else 'NO'} |"
                )


if __name__ == "__main__":
    main()
