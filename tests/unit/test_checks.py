"""Checks where sources disagree: tables of cases for each check."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import checks

pytestmark = pytest.mark.unit

A = "https://a.example/report"
B = "https://b.example/reply"


def row(
    day: str,
    metric: str,
    value: float,
    *,
    level: str = "national",
    area: str = "india",
    state: str | None = None,
    source: str = A,
    basis: str = "as_on",
    note: str | None = None,
) -> dict[str, object]:
    return {
        "as_of_date": pd.Timestamp(day),
        "date_basis": basis,
        "level": level,
        "area_id": area,
        "area_name": area.title(),
        "state_ut": state,
        "metric": metric,
        "value": float(value),
        "unit": "inr_crore" if metric.endswith("_inr_crore") else "count",
        "source_url": source,
        "note": note,
    }


def frame(*rows: dict[str, object]) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


REL = "central_funds_released_inr_crore"
TEND = "projects_tendered_count"


# ---------------------------------------------------------------- falls


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # The national releases of 2025: 47,538 -> 47,459 -> 47,458 (two falls).
        (
            [row("2025-03-04", REL, 47538), row("2025-03-31", REL, 47459, source=B)]
            + [row("2025-12-01", REL, 47458)],
            [("2025-03-31", 47538, 47459), ("2025-12-01", 47459, 47458)],
        ),
        # Tendered 7,905 -> 7,822 (2022).
        (
            [row("2022-04-10", TEND, 7905), row("2022-07-08", TEND, 7822)],
            [("2022-07-08", 7905, 7822)],
        ),
        # Rising and flat series do not fall.
        (
            [row("2022-01-01", TEND, 10), row("2022-02-01", TEND, 10), row("2022-03-01", TEND, 11)],
            [],
        ),
        # A snapshot (projects ongoing) may fall: not a check.
        (
            [
                row("2024-01-01", "projects_ongoing_count", 300),
                row("2025-01-01", "projects_ongoing_count", 9),
            ],
            [],
        ),
        # Two sources on one date: the first listed is the series' value (no false fall).
        (
            [row("2022-01-01", TEND, 10), row("2022-02-01", TEND, 12), row("2022-02-01", TEND, 8)],
            [],
        ),
        # Series are per area: a city's smaller figure is not a fall of the nation's.
        (
            [row("2022-01-01", TEND, 100), row("2022-02-01", TEND, 5, level="city", area="pune")],
            [],
        ),
    ],
)
def test_falls(rows, expected) -> None:
    out = checks.falls(frame(*rows))
    got = [(str(r.as_of_date.date()), r.prev_value, r.value) for r in out.itertuples()]
    assert got == expected


def test_fall_explanation_names_both_sources_or_a_correction() -> None:
    out = checks.falls(
        frame(row("2025-03-04", REL, 47538), row("2025-03-31", REL, 47459, source=B))
    )
    text = out["explanation"].iat[0]
    assert "a.example" in text and "b.example" in text and "should not fall" in text
    same = checks.falls(frame(row("2025-03-04", REL, 2), row("2025-03-31", REL, 1)))
    assert "same source" in same["explanation"].iat[0]
    assert checks.fall_text(out.iloc[0]) == (
        "Fell from ₹47,538 crore (as on 4 Mar 2025) to ₹47,459 crore (as on 31 Mar 2025)."
    )


@pytest.mark.parametrize(
    ("metric", "value", "prev", "flagged"),
    [
        (REL, 47458, 47459, True),
        (REL, 47459, 47459, False),
        (REL, 47500, 47459, False),
        ("projects_ongoing_count", 5, 14, False),  # a snapshot
        (REL, 10, None, False),  # nothing before
    ],
)
def test_latest_fall_on_a_headline(metric, value, prev, flagged) -> None:
    latest = {
        "metric": metric,
        "value": value,
        "as_of_date": pd.Timestamp("2025-12-01"),
        "date_basis": "as_on",
        "prev_value": prev,
        "prev_as_of_date": pd.Timestamp("2025-03-31"),
        "prev_date_basis": "as_on",
        "source_url": A,
        "prev_source_url": B,
    }
    text = checks.latest_fall(latest)
    assert (text is not None) == flagged
    if flagged:
        assert text.startswith("Fell from")


# ---------------------------------------------------------------- same-date conflicts


def test_same_date_conflicts_show_both_and_say_which_is_used() -> None:
    m = "iccc_operational_count"
    out = checks.same_date_conflicts(
        frame(
            row("2019-03-01", m, 13, source=A),
            row("2019-03-01", m, 15, source=B),
            row("2019-03-01", "iccc_tendered_count", 18, source=A),
            row("2019-03-01", "iccc_tendered_count", 18, source=B),  # agree: no conflict
        )
    )
    assert len(out) == 1
    got = out.iloc[0]
    assert (got["metric"], got["used_value"], got["used_source_url"]) == (m, 13, A)
    assert got["other_values"] == "15" and got["other_source_urls"] == B
    assert "first listed" in got["why"]


# ---------------------------------------------------------------- levels that add up

CITIES = pd.DataFrame(
    {
        "city_id": ["a", "b", "c"],
        "state_ut": ["S", "S", "T"],
    }
)
DONE = "projects_completed_count"


def city(day: str, area: str, value: float, state: str = "S", **kw) -> dict[str, object]:
    return row(day, DONE, value, level="city", area=area, state=state, **kw)


def state(day: str, value: float, area: str = "s", name: str = "S", **kw) -> dict[str, object]:
    return row(day, DONE, value, level="state", area=area, state=name, **kw)


@pytest.mark.parametrize(
    ("rows", "status", "parts"),
    [
        (
            [state("2024-01-01", 30), city("2024-01-01", "a", 10), city("2024-01-01", "b", 20)],
            "adds up",
            2,
        ),
        (
            [state("2024-01-01", 30), city("2024-01-01", "a", 10), city("2024-01-01", "b", 15)],
            "differs",
            2,
        ),
        ([state("2024-01-01", 30), city("2024-01-01", "a", 10)], "partial", 1),
        ([state("2024-01-01", 30), city("2024-01-01", "a", 40)], "parts exceed the whole", 1),
        # The nearest date within the window is used; outside it, no comparison.
        (
            [state("2024-01-01", 30), city("2024-01-20", "a", 10), city("2023-12-25", "b", 20)],
            "adds up",
            2,
        ),
        ([state("2024-01-01", 30), city("2024-03-01", "a", 10)], None, 0),
        # Two rows of one city equally near: the earlier one is used (20, not 25).
        (
            [
                state("2024-01-01", 30),
                city("2023-12-25", "a", 20),
                city("2024-01-08", "a", 25),
                city("2024-01-01", "b", 10),
            ],
            "adds up",
            2,
        ),
        # Rounding within the tolerance still adds up.
        (
            [
                state("2024-01-01", 3589),
                city("2024-01-01", "a", 1000),
                city("2024-01-01", "b", 2588.46),
            ],
            "adds up",
            2,
        ),
    ],
)
def test_cities_against_their_state(rows, status, parts) -> None:
    out = checks.level_sums(frame(*rows), CITIES)
    out = out[out["comparison"] == "cities vs their state"]
    if status is None:
        assert out.empty
        return
    assert list(out["status"]) == [status]
    assert out["parts_reporting"].iat[0] == parts and out["parts_total"].iat[0] == 2
    assert out["difference"].iat[0] == pytest.approx(out["value"].iat[0] - out["parts_sum"].iat[0])


def test_states_against_the_nation_and_definitions_left_out() -> None:
    rows = frame(
        row("2024-01-01", DONE, 50),
        state("2024-01-01", 30),
        state("2024-01-01", 20, area="t", name="T"),
        # A state government's count is never summed with the Ministry's.
        city("2024-01-01", "a", 999, note="State government count, reported by the Assembly"),
    )
    out = checks.level_sums(rows, CITIES)
    nat = out[out["comparison"] == "states vs the nation"].iloc[0]
    assert (nat["status"], nat["parts_reporting"], nat["parts_total"]) == ("adds up", 2, 2)
    st = out[(out["comparison"] == "cities vs their state") & (out["area_id"] == "s")]
    assert st.empty, "the only city figure is by another definition: nothing to compare"


def test_flags_ranks_and_state_share_are_not_summed() -> None:
    rows = frame(
        row("2024-01-01", "city_rank", 5, level="state", area="s", state="S"),
        row("2024-01-01", "city_rank", 3, level="city", area="a", state="S"),
        row(
            "2024-01-01",
            "funds_released_incl_state_share_inr_crore",
            100,
            level="state",
            area="s",
            state="S",
        ),
        row(
            "2024-01-01",
            "funds_released_incl_state_share_inr_crore",
            10,
            level="city",
            area="a",
            state="S",
        ),
    )
    assert checks.level_sums(rows, CITIES).empty


# ---------------------------------------------------------------- definitions


@pytest.mark.parametrize(
    ("metric", "note", "label"),
    [
        ("funds_released_incl_state_share_inr_crore", None, checks.STATE_SHARE_LABEL),
        (
            DONE,
            "Himachal Pradesh Assembly written reply; state government figures",
            checks.OTHER_COUNT_LABEL,
        ),
        (DONE, "RTI reply of Faridabad Smart City Ltd", checks.OTHER_COUNT_LABEL),
        (DONE, 'District officials at a review meeting; "55 works"', checks.OTHER_COUNT_LABEL),
        (REL, "Released to state governments/UTs so far", ""),  # the Ministry's own words
        (DONE, "Lok Sabha reply, as on 15 Jan 2026", ""),
        (DONE, None, ""),
    ],
)
def test_definition_labels(metric, note, label) -> None:
    got = checks.definition_labels(frame(row("2024-01-01", metric, 1, note=note)))
    assert got.iat[0] == label


def test_row_flags_say_what_the_checks_found() -> None:
    progress = frame(
        row("2025-03-04", REL, 47538),
        row("2025-03-31", REL, 47459, source=B),
        row("2019-03-01", "iccc_operational_count", 13),
        row("2019-03-01", "iccc_operational_count", 15, source=B),
        row("2023-07-07", "funds_released_incl_state_share_inr_crore", 73454),
    )
    flags = checks.row_flags(progress, progress)
    assert list(flags) == [
        "",
        "fell since the previous report",
        "another source gives a different figure for this date",
        "another source gives a different figure for this date",
        "includes the state share",
    ]
