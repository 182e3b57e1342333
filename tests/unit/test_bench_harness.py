"""The benchmark's pure helpers (medians, ratios, targets, RESULTS.md text); no benchmark runs."""

import pytest

from benchmarks import harness

pytestmark = pytest.mark.unit


def test_summarise_ignores_failed_samples():
    stats = harness.summarise([300.0, None, 100.0, 200.0])
    assert stats == harness.Stats(median=200.0, min=100.0, max=300.0, n=3)
    assert harness.summarise([None, None]) is None
    assert harness.summarise([]) is None


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert harness.summarise([1.0, 2.0, 3.0, 10.0]).median == 2.5


@pytest.mark.parametrize(
    ("value", "base", "expected"),
    [(300.0, 200.0, 1.5), (None, 200.0, None), (300.0, None, None), (300.0, 0.0, None)],
)
def test_ratio(value, base, expected):
    assert harness.ratio(value, base) == expected


def test_verdict_limit_is_inclusive():
    assert harness.verdict(1.5, 1.5) == "met"
    assert harness.verdict(1.51, 1.5) == "missed"
    assert harness.verdict(None, 1.5) == "not measured"


def test_formatting():
    assert harness.fmt_s(1234.5) == "1.23 s"
    assert harness.fmt_s(None) == "–"
    assert harness.fmt_mb(1536.4) == "1,536 MB"
    assert harness.fmt_ratio(2.0) == "2.00×"
    assert harness.fmt_range(harness.Stats(2.0, 1000.0, 3000.0, 3)) == "1.00–3.00 s"


def test_md_table_aligns_numeric_columns_and_escapes_pipes():
    text = harness.md_table(["a", "b"], [["x|y", 1]], numeric=(1,))
    assert text.splitlines() == ["| a | b |", "| --- | ---: |", "| x\\|y | 1 |"]


def _results(filter_ms: list, memory_mb: float) -> dict:
    scale = {
        "baseline": {"open": [1000.0, 1000.0], "filter": [200.0, 200.0], "memory_mb": 80.0},
        "open_titles": {"/": "Overview"},
        "open": {"/": [1200.0, 1400.0]},
        "filters": {"Overview · State/UT → Goa": filter_ms},
        "memory": {"after_warmup_mb": memory_mb, "after_mb": memory_mb, "peak_mb": 3000.0},
    }
    return {"meta": {"versions": {"python": "3.11"}}, "scales": {"S": scale, "L": scale}}


def test_check_targets_takes_the_worst_item_of_each_kind():
    checks = {
        (c["target"].kind, c["target"].scale): c
        for c in harness.check_targets(_results([250.0, 250.0], 900.0))
    }
    assert checks[("open", "S")]["verdict"] == "met"  # 1300 / 1000 = 1.3×
    assert checks[("open", "S")]["worst"] == pytest.approx(1.3)
    assert checks[("filter", "S")]["verdict"] == "met"  # 1.25×
    assert checks[("filter", "L")]["verdict"] == "met"
    assert checks[("memory", "L")]["verdict"] == "met"  # 900 MB; the loading peak is not judged


def test_a_slow_or_failed_sample_misses_the_target():
    slow = {
        (c["target"].kind, c["target"].scale): c
        for c in harness.check_targets(_results([500.0, 500.0], 2048.0))
    }
    assert slow[("filter", "S")]["verdict"] == "missed"  # 2.5×
    assert slow[("filter", "L")]["verdict"] == "missed"
    assert slow[("memory", "L")]["verdict"] == "missed"
    failed = {
        (c["target"].kind, c["target"].scale): c
        for c in harness.check_targets(_results([250.0, None], 900.0))
    }
    assert failed[("filter", "S")]["verdict"] == "missed"


def test_items_to_profile_are_those_above_the_threshold_worst_first():
    picked = harness.items_to_profile(_results([500.0, 500.0], 900.0), "S")
    assert [i.kind for i in picked] == ["filter"]
    assert picked[0].ratio == pytest.approx(2.5)


def test_render_results_has_every_section():
    text = harness.render_results(_results([500.0, 500.0], 2048.0))
    for heading in (
        "# Benchmark results",
        "## Targets",
        "## Loading and validation",
        "## Scale S",
        "## Findings",
    ):
        assert heading in text
    assert "≤ 1.5×: **missed**" in text
    assert "2.50×" in text


def test_browser_profile_is_summarised_by_bundle_without_its_hash():
    from benchmarks import browser

    def node(i, url, fn=""):
        return {"id": i, "callFrame": {"url": url, "functionName": fn}}

    profile = {
        "nodes": [
            node(1, "", "(idle)"),
            node(2, "", "(program)"),
            node(3, "http://h/static/js/PlotlyChart.D9Z0_fxz.js", "draw"),
            node(4, "http://h/static/js/react-dom.Dzbslgj4.js", "commit"),
        ],
        "samples": [1, 3, 3, 2, 4, 3],
        "timeDeltas": [1000, 2000, 2000, 500, 1000, 1000],  # microseconds
    }
    out = browser.summarise_js(profile)
    assert out["total_ms"] == 7.5 and out["busy_ms"] == 6.5 and out["native_ms"] == 0.5
    assert out["by_script"] == [["PlotlyChart", 5.0], ["react-dom", 1.0], ["(program)", 0.5]]


def test_findings_show_the_browser_profile():
    profile = {
        "scale": "S",
        "action": "Open /x",
        "reason": "2.00× the baseline",
        "runs": 1,
        "script_s": 0.2,
        "browser": {
            "total_ms": 1500.0,
            "busy_ms": 1200.0,
            "native_ms": 400.0,
            "by_script": [["PlotlyChart", 300.0]],
        },
    }
    text = "\n".join(harness._profile_lines(profile))
    assert "busy 1.20 s of 1.50 s" in text and "`PlotlyChart` 0.30 s" in text
