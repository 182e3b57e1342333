"""The one city resolver (normalise.places.CityIndex) and the one alias warning, as every
table uses them."""

from __future__ import annotations

import pandas as pd
import pytest

from smartcities.load import load_public
from smartcities.normalise import Context, normalise
from smartcities.normalise.places import CityIndex, alias_warning, did_you_mean
from smartcities.report import Report

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def public():
    return load_public()


@pytest.fixture(scope="module")
def index(public):
    return CityIndex.build(public.cities)


def test_by_id_ignores_case_and_by_name_goes_through_the_alias_table(index):
    assert index.by_id("PUNE") == "pune"
    assert index.by_id("poona") is None
    assert index.by_name("Pune") == ("pune", False, ())
    assert index.by_name("Bangalore") == ("bengaluru", True, ())
    cid, via_alias, suggestions = index.by_name("Bengaluruu")
    assert (cid, via_alias) == (None, False)
    assert "Bengaluru" in suggestions


@pytest.mark.parametrize(
    ("city_id", "city_name", "expected"),
    [
        ("pune", None, ("pune", False, ())),
        ("PUNE", "Pune", ("pune", False, ())),
        (None, "Allahabad", ("prayagraj", True, ())),
        ("Bangalore", None, ("bengaluru", True, ())),  # an id column holding a name
        ("xx-unknown", "Pune", ("pune", False, ())),  # a wrong id, a known name
    ],
)
def test_resolve_a_rows_id_and_name(index, city_id, city_name, expected):
    assert index.resolve(city_id, city_name) == expected


def test_resolve_refuses_an_id_and_a_name_that_disagree(index):
    with pytest.raises(ValueError, match="city_id 'pune' is Pune, but city_name says 'Indore'"):
        index.resolve("pune", "Indore")


def test_resolve_an_unknown_city_suggests_the_nearest(index):
    cid, via_alias, suggestions = index.resolve("punee", "Punee")
    assert (cid, via_alias) == (None, False)
    assert suggestions and suggestions[0] in ("Pune", "pune")
    assert len(suggestions) == len(set(suggestions))


def test_an_empty_index_knows_no_city():
    empty = CityIndex.build(None)
    assert empty.empty
    assert empty.resolve("pune", "Pune") == (None, False, ())


def test_did_you_mean():
    assert did_you_mean(["A", "B", "C", "D"]) == "Did you mean A or B or C?"
    assert "data/aliases.csv" in did_you_mean([])


def test_one_alias_warning_wording_listing_ten():
    report = Report()
    alias_warning(report, "f.csv", "city", {}, table="iccc", column="city_name")
    assert report.issues == []
    aliases = {f"A{n}": f"C{n}" for n in range(12)}
    alias_warning(report, "f.csv", "city", aliases, table="iccc", column="city_name")
    alias_warning(report, "f.csv", "state/UT", {"Orissa": "Odisha"}, table="x", column="state_ut")
    city, state = report.warnings
    assert city.message == "city names matched through the alias table: " + ", ".join(
        f"A{n} → C{n}" for n in range(10)
    )
    assert (city.table, city.column) == ("iccc", "city_name")
    assert state.message == "state/UT names matched through the alias table: Orissa → Odisha"


def _raw(header: list[str], *rows: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([list(r) for r in rows], columns=header, dtype="str")
    frame.index = range(2, 2 + len(rows))
    return frame


def test_every_table_says_alias_matches_the_same_way(public):
    """The cities table (against the reference) and a city reference (against the cities)
    resolve Bangalore alike and warn in the same words."""
    messages = []
    for table, frame, kw in (
        (
            "cities",
            _raw(["city_name", "source_url"], ["Bangalore", "http://x"]),
            {"reference": public.cities},
        ),
        (
            "iccc",
            _raw(
                ["city", "stage", "date", "source"],
                ["Bangalore", "operational", "2025-12-01", "http://x"],
            ),
            {"cities": public.cities},
        ),
        (
            "progress",
            _raw(
                ["date", "city", "metric", "value", "source"],
                ["2025-12-01", "Bangalore", "projects_completed_count", "5", "http://x"],
            ),
            {"cities": public.cities},
        ),
    ):
        report = Report()
        out = normalise(frame, "f.csv", table, Context("f.csv", report, **kw))
        id_column = "area_id" if table == "progress" else "city_id"
        assert out.frame[id_column].tolist() == ["bengaluru"], table
        messages += [w.message for w in report.warnings if "alias" in w.message]
    assert messages == ["city names matched through the alias table: Bangalore → Bengaluru"] * 3
