"""Every Smart City and state/UT has exactly one reviewed Hindi name."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from smartcities.config import BUNDLED_DATA
from smartcities.dataset import aliases, names_hi, place_name, states

pytestmark = pytest.mark.unit

DEVANAGARI = re.compile(r"^[\u0900-\u097F ()\-]+$")


def test_every_city_and_state_has_exactly_one_hindi_name() -> None:
    table = names_hi()
    cities = pd.read_csv(BUNDLED_DATA / "cities.csv")
    for kind, ids, names in (
        ("city", cities["city_id"], cities["city_name"]),
        ("state", states()["state_id"], states()["state_ut"]),
    ):
        rows = table[table["kind"] == kind]
        assert rows["id"].is_unique, f"duplicate {kind} ids"
        assert set(rows["id"]) == set(ids), f"{kind}: names_hi.csv ids differ from the data"
        by_id = dict(zip(rows["id"], rows["name_en"], strict=True))
        assert all(by_id[i] == n for i, n in zip(ids, names, strict=True)), kind
    assert len(table) == 136
    assert table["name_hi"].map(bool).all()
    assert table["name_hi"].map(lambda s: bool(DEVANAGARI.match(s))).all()
    assert table["source"].map(bool).all()


def test_hindi_names_agree_with_the_alias_table() -> None:
    """aliases.csv already lists some Hindi names; they must be the same spellings."""
    lookup = {(k, e): h for k, e, h in names_hi()[["kind", "name_en", "name_hi"]].itertuples(False)}
    hindi = aliases()[aliases()["alias"].str.contains(r"[\u0900-\u097F]", regex=True)]
    historic = {"इलाहाबाद"}  # Allahabad, the former name of Prayagraj: an alias, not the name
    for row in hindi.itertuples(index=False):
        if row.alias in historic:
            continue
        assert lookup[(row.kind, row.canonical)] == row.alias, row.canonical


def test_place_name() -> None:
    assert place_name("city", "Srinagar", "hi") == "श्रीनगर"
    assert place_name("state", "Jammu and Kashmir", "hi") == "जम्मू और कश्मीर"
    assert place_name(None, "Tamil Nadu", "hi") == "तमिलनाडु"
    assert place_name("city", "Srinagar", "en") == "Srinagar"
    # A town without a Hindi entry (an upload) keeps its name.
    assert place_name("city", "Newtown X", "hi") == "Newtown X"
