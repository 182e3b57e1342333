"""The city map's derived colour: share of projects completed (latest reported), with the
date basis in the hover and the cities that do not report it grey and counted."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import map_measures, map_view, maps
from smartcities.dataset import states
from smartcities.load import load_public
from smartcities.query import Engine, Scope

pytestmark = pytest.mark.unit


def latest(rows: list[tuple[str, str, float, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "level": "city",
                "area_id": a,
                "metric": m,
                "value": v,
                "as_of_date": pd.Timestamp(d),
                "date_basis": b,
            }
            for a, m, v, d, b in rows
        ]
    )


CITIES = pd.DataFrame(
    {
        "city_id": ["a", "b", "c"],
        "selection_round": ["Round 1"] * 3,
        "selection_date": ["2016-01-28"] * 3,
    }
)


@pytest.mark.parametrize(
    ("rows", "share", "when", "basis"),
    [
        # Both at one date: the share, that date and basis.
        (
            [
                ("a", "projects_completed_count", 55, "2026-01-08", "on_or_before"),
                ("a", "projects_taken_up_count", 55, "2026-01-08", "on_or_before"),
            ],
            100.0,
            "2026-01-08",
            "on_or_before",
        ),
        # Different dates: dated by the later figure, with its basis.
        (
            [
                ("a", "projects_completed_count", 156, "2026-01-15", "as_on"),
                ("a", "projects_taken_up_count", 161, "2025-03-04", "reply"),
            ],
            100 * 156 / 161,
            "2026-01-15",
            "as_on",
        ),
        # Only one of the two: no share.
        ([("a", "projects_completed_count", 10, "2024-01-01", "as_on")], None, None, None),
        # Nothing taken up: no share (no division by zero).
        (
            [
                ("a", "projects_completed_count", 0, "2024-01-01", "as_on"),
                ("a", "projects_taken_up_count", 0, "2024-01-01", "as_on"),
            ],
            None,
            None,
            None,
        ),
    ],
)
def test_share_completed(rows, share, when, basis) -> None:
    out = map_measures.city_values(CITIES, latest=latest(rows)).set_index("city_id")
    got = out.get(map_measures.SHARE_DONE, pd.Series(dtype=float)).get("a")
    if share is None:
        assert got is None or pd.isna(got)
        return
    assert got == pytest.approx(share)
    assert out.at["a", map_measures.SHARE_DONE + map_measures.AS_OF] == pd.Timestamp(when)
    assert out.at["a", map_measures.SHARE_DONE + map_measures.BASIS] == basis
    assert pd.isna(out.at["b", map_measures.SHARE_DONE]), "a city without figures has no share"


def test_public_map_by_share_hovers_the_basis_and_counts_the_rest() -> None:
    data = load_public()
    engine = Engine(data)
    md = map_view.gather(engine, Scope(), data.latest_as_of(), states())
    assert map_measures.SHARE_DONE in md.colours["cities"]
    values = md.city_values
    n = int(values[map_measures.SHARE_DONE].notna().sum())
    assert n >= 20
    fig = maps.city_map(
        md.cities,
        values,
        colour_by=map_measures.SHARE_DONE,
        size_by=None,
        title="t",
        source="s",
        as_of=data.latest_as_of(),
    )
    names = [t.name for t in fig.data if t.name]
    assert f"No data reported ({100 - n})" in names
    hover = {c[0]: (c[4], c[5]) for t in fig.data if t.customdata is not None for c in t.customdata}
    assert hover["pune"] == ("100%", "(on or before 8 Jan 2026)")
    assert hover["srinagar"][1] == "(as on 15 Jan 2026)"
