"""Command line: ``python -m smartcities build SOURCE --out STORE`` (also ``smartcities``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from smartcities.store.build import KINDS, build_store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="smartcities", description="Smart Cities Mission dashboard: data tools."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser(
        "build",
        help="validate a data folder (or .zip) once and write a read-only store",
        description="Read, normalise, validate and cross-check SOURCE with the loader's rules, "
        "print the report, and write the store to STORE (atomically: a failed build leaves a "
        "previous STORE untouched). Serve it with: streamlit run dashboard.py -- --store STORE",
    )
    b.add_argument("source", type=Path, help="a data folder or a .zip of data files")
    b.add_argument("--out", type=Path, required=True, help="the store file to write (.duckdb)")
    b.add_argument("--kind", choices=sorted(KINDS), default="public", help="default: public")
    b.add_argument("--label", default=None, help="what every page calls this data set")
    b.add_argument(
        "--strict", action="store_true", help="write no store if the report has any error"
    )
    args = parser.parse_args(argv)

    def progress(fraction: float, text: str) -> None:
        print(f"[{fraction:4.0%}] {text}", file=sys.stderr, flush=True)

    result = build_store(
        args.source,
        args.out,
        kind=args.kind,
        label=args.label,
        on_progress=progress,
        strict=args.strict,
    )
    for issue in result.report.issues:
        where = ", ".join(
            x
            for x in (
                issue.file,
                issue.column and f"column {issue.column}",
                issue.row is not None and f"row {issue.row}" or "",
            )
            if x
        )
        fix = f" Fix: {issue.fix}" if issue.fix else ""
        print(f"{issue.severity.upper()}: {where + ': ' if where else ''}{issue.message}.{fix}")
    print(f"Report: {result.report.summary()}.")
    if result.store is None:
        why = (
            "--strict and the report has errors"
            if args.strict and not result.report.ok
            else (f"nothing usable in {args.source}")
        )
        print(f"No store written ({why}); {args.out} is unchanged.", file=sys.stderr)
        return 1
    how = (
        f"large tables in bulk: {', '.join(result.bulk_tables)}"
        if result.bulk_tables
        else "all tables through the loader"
        + (f" ({result.bulk_fallback})" if result.bulk_fallback else "")
    )
    print(
        f"Store written to {result.store} in {result.seconds:.1f} s ({how}): "
        f"{result.label} [{result.kind}]; rows "
        + ", ".join(f"{k} {v:,}" for k, v in result.rows.items() if v)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
