"""The Overview's arithmetic, as tables of cases: the sign of a change and "no change", the
direction of the ratios, and the share of the ₹48,000 crore central commitment.

Each rule was broken on purpose once and these tests failed: the sign of the change flipped
(4 failures), the card's direction flipped (4), the utilisation ratio inverted (2), the
commitment share made 100× too large (4), the "no change" case dropped (2).
"""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import overview
from smartcities.dataset import states
from smartcities.load import load_public
from smartcities.query import Engine, Scope
from smartcities.schema import CENTRAL_COMMITMENT_INR_CRORE, METRICS
from smartcities.urlstate import vocabulary

pytestmark = pytest.mark.unit

NOW, BEFORE = pd.Timestamp("2024-03-31"), pd.Timestamp("2023-03-31")
URL = "https://pib.gov.in/example"


def latest(*rows: tuple[str, float, float | None]) -> pd.DataFrame:
    """``Engine.latest``-shaped rows for one area: (metric, value, previous value)."""
    return pd.DataFrame(
        {
            "as_of_date": [NOW] * len(rows),
            "level": "national",
            "area_id": "india",
            "area_name": "India",
            "metric": [m for m, _, _ in rows],
            "value": [float(v) for _, v, _ in rows],
            "unit": [METRICS[m].unit for m, _, _ in rows],
            "source_url": URL,
            "note": ["a note"] * len(rows),
            "date_basis": "as_on",
            "prev_value": [None if p is None else float(p) for _, _, p in rows],
            "prev_as_of_date": [None if p is None else BEFORE for _, _, p in rows],
        }
    )


def card(cards: list[overview.Card], key: str) -> overview.Card:
    found = [c for c in cards if c.key == key]
    assert found, f"no card {key}"
    return found[0]


@pytest.mark.parametrize(
    "metric, value, prev, change, direction, raw",
    [
        ("projects_completed_count", 120, 100, "+20 since 31 Mar 2023", "up", 20.0),
        ("projects_completed_count", 80, 100, "-20 since 31 Mar 2023", "down", -20.0),
        ("projects_completed_count", 100, 100, "no change since 31 Mar 2023", "none", 0.0),
        ("projects_completed_count", 100, None, None, None, None),
        (
            "central_funds_released_inr_crore",
            1500,
            1000,
            "+₹500 crore since 31 Mar 2023",
            "up",
            500.0,
        ),
        (
            "central_funds_released_inr_crore",
            900,
            1000,
            "-₹100 crore since 31 Mar 2023",
            "down",
            -100.0,
        ),
        ("iccc_operational_count", 100, 100, "no change since 31 Mar 2023", "none", 0.0),
    ],
)
def test_change_since_the_previous_report(metric, value, prev, change, direction, raw):
    c = card(overview.cards(latest((metric, value, prev))), metric)
    assert (c.change, c.direction, c.change_raw) == (change, direction, raw)
    assert c.as_of_date == NOW and c.source_url == URL and c.note == "a note"
    assert c.date_basis == "as_on"


@pytest.mark.parametrize(
    "numerator, denominator, key, expected, raw",
    [
        # Utilisation: utilised as a share of released (never the inverse, 133%).
        ("funds_utilised_inr_crore", "central_funds_released_inr_crore", "utilisation_pct",
         "75%", 75.0),
        # Completion: completed as a share of taken up.
        ("projects_completed_count", "projects_taken_up_count", "completed_pct", "25%", 25.0),
    ],
)  # fmt: skip
def test_ratios_point_the_right_way(numerator, denominator, key, expected, raw):
    values = {"funds_utilised_inr_crore": 750, "central_funds_released_inr_crore": 1000}
    values |= {"projects_completed_count": 30, "projects_taken_up_count": 120}
    c = card(
        overview.cards(
            latest((numerator, values[numerator], None), (denominator, values[denominator], None))
        ),
        key,
    )
    assert (c.value, c.raw) == (expected, raw)
    assert c.change is None and c.direction is None  # a ratio has no change of its own


def test_a_ratio_needs_both_figures_and_a_non_zero_denominator():
    cards = overview.cards(latest(("funds_utilised_inr_crore", 10, None)))
    assert "utilisation_pct" not in {c.key for c in cards}
    cards = overview.cards(
        latest(
            ("funds_utilised_inr_crore", 10, None), ("central_funds_released_inr_crore", 0, None)
        )
    )
    assert "utilisation_pct" not in {c.key for c in cards}


@pytest.mark.parametrize(
    "released, share_text, share",
    [(24_000, "50%", 50.0), (48_000, "100%", 100.0), (4_800, "10%", 10.0), (480, "1%", 1.0)],
)
def test_share_of_the_central_commitment(released, share_text, share):
    assert CENTRAL_COMMITMENT_INR_CRORE == 48_000
    c = card(
        overview.cards(latest(("central_funds_released_inr_crore", released, None))),
        "commitment_pct",
    )
    assert (c.value, c.raw) == (share_text, share)
    # Dated and sourced like the release it is computed from, with no change of its own.
    assert c.as_of_date == NOW and c.source_url == URL and c.date_basis == "as_on"
    assert c.change is None and c.direction is None


def test_unreported_figures_make_no_card():
    cards = overview.cards(latest(("projects_completed_count", 5, None)))
    assert [c.key for c in cards] == ["projects_completed_count"]


# ---------------------------------------------------------------------------- the model


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(load_public())


def test_build_on_the_public_record(engine):
    vocab = vocabulary(engine.dataset.cities, states())
    view = overview.build(engine, Scope(), vocab, as_of=engine.dataset.latest_as_of())
    assert view.title == "Smart Cities Mission: All India"
    assert view.no_cards_message is None and len(view.cards) >= 6
    assert all(c.as_of_date is not None and c.source_url for c in view.cards)
    assert view.rounds is not None and view.states is not None
    assert "Round 1" in view.rounds.frame["area_name"].tolist()
    assert view.sources and all(isinstance(u, str) for u in view.sources)


def test_build_for_a_state_without_figures_says_so(engine):
    vocab = vocabulary(engine.dataset.cities, states())
    scope = Scope(state_ut="Lakshadweep")
    view = overview.build(engine, scope, vocab, as_of=None)
    assert view.cards == [] and "Lakshadweep" in (view.no_cards_message or "")
    assert view.title.endswith("Lakshadweep")
