"""The City profile page's model (smartcities.city_view): the picker, and a city's profile
(facts, cards, peers, ICCC record with how sure its date is, projects, state figures, round
peers), with a message wherever the data set has nothing, from the bundled record."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities import city_view
from smartcities.dataset import Dataset
from smartcities.query import Engine, Scope

pytestmark = pytest.mark.unit
AS_OF = pd.Timestamp("2026-01-15")


@pytest.fixture
def public(public_engine: Engine) -> Engine:
    return public_engine


def profile(engine: Engine, city_id: str, lang: str = "en") -> city_view.Profile:
    return city_view.profile(engine, Scope(city_id=city_id), city_id, as_of=AS_OF, lang=lang)


def test_picker_lists_the_selections_cities(public) -> None:
    shown = city_view.picker(public, Scope(state_ut="Bihar"))
    assert shown.message is None
    assert list(shown.choices) == ["bhagalpur", "bihar-sharif", "muzaffarpur", "patna"]
    assert shown.label == "Choose one of the 4 cities of this selection"
    assert list(shown.table["city_name"]) == list(shown.choices.values())
    empty = city_view.picker(public, Scope(state_ut="Goa", round="Round 1"))
    assert empty.message.startswith("No city matches the filters") and not empty.choices


def test_pune(public) -> None:
    shown = profile(public, "pune")
    assert shown.name == "Pune" and shown.state == "Maharashtra"
    assert shown.facts == "**Maharashtra** · **Round 1** · selected on 28 Jan 2016"
    assert shown.as_on == "Figures as on **15 Jan 2026**."
    assert shown.progress.message is None and shown.progress.cards
    assert shown.progress.figures.key == "city_progress" and len(shown.progress.figures.frame)
    assert "**How Pune compares**" in shown.progress.peers_heading
    assert shown.iccc.status == "**Operational** as on 18 Jun 2018."
    assert shown.iccc.bounded_note is None, "Pune's go-live date is reported"
    assert shown.projects is None, "the public record lists no projects"
    assert shown.state_message is None and shown.state_figures.key == "city_state"
    assert shown.locator.key == "locator" and "Pune marked" in shown.locator.summary


def test_round_peers_move_the_filters(public) -> None:
    shown = profile(public, "pune")
    peers = shown.round_peers.set_index("city_id")
    assert shown.peers_heading == f"Other cities of Round 1 ({len(peers)})"
    assert "pune" not in peers.index and len(peers) == 19
    # A peer of the same state keeps the state filter; another state's clears it.
    assert peers.at["solapur", "same_state"] and not peers.at["ahmedabad", "same_state"]
    assert peers["same_state"].sum() == 1


def test_a_city_known_only_by_the_all_operational_statement(public) -> None:
    shown = profile(public, "agartala")
    assert shown.iccc.status.startswith("**Operational** on or before")
    assert shown.iccc.bounded_note and "not published" in shown.iccc.bounded_note


def test_a_city_without_figures_says_so(public) -> None:
    shown = profile(public, "aligarh")
    assert shown.progress.message == (
        "No progress figures have been reported for Aligarh in this data set."
    )
    assert not shown.progress.cards and shown.progress.figures is None
    goa = profile(public, "panaji")
    assert goa.peers_heading.startswith("Other cities of Fast Track")


def test_in_hindi(public) -> None:
    shown = profile(public, "pune", lang="hi")
    assert shown.name == "पुणे" and "Maharashtra" not in shown.facts
    assert "Progress" not in shown.progress.heading and "Pune" not in shown.iccc_link


def test_data_text_stays_text() -> None:
    """A city's selection name and note come from the file: escaped in the facts line, and the
    note handed over as plain text (not Safe), which the render helpers escape."""
    cities = pd.DataFrame(
        {
            "city_id": ["x"],
            "city_name": ["X"],
            "state_ut": ["Bihar"],
            "selection_round": ["Round 1"],
            "selection_date": [pd.Timestamp("2016-01-28")],
            "selection_name": ["[Verify](https://phish.example)"],
            "note": ["![t](https://tracker.example/p.png)"],
        }
    )
    engine = Engine(Dataset({"cities": cities}, "uploaded", "Uploaded: x.csv"))
    try:
        shown = profile(engine, "x")
    finally:
        engine.close()
    assert "](https://phish.example)" not in shown.facts
    assert "Verify" in shown.facts
    assert type(shown.note) is str and shown.note.startswith("![t]")
    assert shown.state_figures is None
    assert shown.state_message == (
        "No state-level figures have been reported for Bihar in this data set."
    )


def test_projects_block() -> None:
    cities = pd.DataFrame(
        {"city_id": ["pune"], "city_name": ["Pune"], "state_ut": ["Maharashtra"]}
        | {"selection_round": ["Round 1"]}
    )
    projects = pd.DataFrame(
        {
            "project_id": ["P1", "P2", "P3"],
            "city_id": "pune",
            "project_name": ["Integrated Command and Control Centre", "Road", "Water"],
            "state_ut": None,
            "stage": ["completed", "tendered", "completed"],
            "sector": ["ICT", "Roads", "Water"],
            "cost_inr_crore": [100.0, 20.5, 30.0],
            "updated_on": pd.to_datetime(["2024-01-01", "2024-03-01", "2023-12-01"]),
        }
    )
    engine = Engine(Dataset({"cities": cities, "projects": projects}, "uploaded", "x"))
    try:
        shown = profile(engine, "pune").projects
    finally:
        engine.close()
    assert shown.heading == "Projects (3)"
    assert "Records last updated on 1 Mar 2024." in shown.captions[0]
    assert [t.key for t in shown.tables] == ["city_projects", "city_project_list"]
    assert len(shown.tables[1].frame) == 3
