"""The store benchmark's and load test's pure parts (percentiles, RESULTS.md text)."""

import pytest

from benchmarks import load_test, run, store_bench

pytestmark = pytest.mark.unit


def test_percentile():
    assert load_test.percentile([], 0.5) is None
    assert load_test.percentile([3.0, 1.0, 2.0], 0.5) == 2.0
    assert load_test.percentile([float(i) for i in range(1, 101)], 0.95) == 95.0


def test_load_test_table_shows_errors_and_memory_per_process():
    rows = [
        {
            "mode": "proxy",
            "sessions": 10,
            "duration_s": 60.0,
            "filters": 40,
            "filter_p50_s": 1.0,
            "filter_p95_s": 2.5,
            "opens": 12,
            "open_p50_s": 3.0,
            "open_p95_s": 6.0,
            "errors": 0,
            "processes": {
                "a": {"rss_mb": 300.0, "peak_mb": 320.0, "websocket_sessions": 6},
                "b": {"rss_mb": 280.0, "peak_mb": 290.0, "websocket_sessions": 4},
            },
            "load_before": 5.0,
            "load_after": 9.0,
            "measured_at": "2026-12-04 13:00 UTC",
        },
        {"mode": "proxy", "sessions": 25, "skipped": "nginx is not installed"},
    ]
    text = load_test.render(rows)
    assert (
        "| proxy | 10 | 0.5 s apart, 0.5–1.5 s reading | 60 s (60 s) | 40 | 1.00 s / 2.50 s "
        "| – / – | 3.00 s / 6.00 s | **0** |" in text
    )
    assert "300 MB (320), 6 sessions; 280 MB (290), 4 sessions" in text
    assert "skipped: nginx is not installed" in text


def test_store_table_and_reused_scale():
    results = {
        "L": {
            "reused": "2026-12-04 12:53 UTC",
            "build": {
                "wall_s": 186.1,
                "cpu_s": 60.6,
                "peak_rss_mb": 1897.4,
                "bulk_tables": ["progress", "projects"],
                "store_mb": 100.3,
                "load_before": 6.5,
            },
            "serve": {
                "launch_s": 13.1,
                "rss_after_warmup_mb": 374.0,
                "rss_after_filters_mb": 379.0,
                "peak_rss_mb": 386.0,
                "filters": [{"state_s": 1.0, "round_s": 1.2}],
                "baseline": {"launch_s": 4.0, "filter_s": [0.5, 0.4]},
                "load_after": 11.6,
                "warm_opens": {"/": {"s": 3.6, "errors": 0}},
            },
        }
    }
    text = store_bench.render(results)
    assert "| L | 186.1 s (60.6 s) | 1,897 MB | bulk: progress, projects | 100.3 MB |" in text
    assert "13.1 s (4.0 s)" in text and "1.00 s · 1.20 s (0.50 s)" in text
    assert "measured in an earlier run (2026-12-04 12:53 UTC)" in text


def test_store_sections_are_replaced_not_repeated(monkeypatch):
    monkeypatch.setattr(run, "git_info", lambda: "abc1234")
    monkeypatch.setattr(run, "load_average", lambda: 1.0)
    before = "# Benchmark results\n\n## Scale S\n\nold\n\n## Compiled store (x)\n\nstale\n"
    results = {"store": {}, "load_test": []}
    once = run.replace_store_sections(before, results)
    twice = run.replace_store_sections(once, results)
    assert "stale" not in once and "## Scale S" in once and "old" in once
    assert twice.count("## Store run") == 1
