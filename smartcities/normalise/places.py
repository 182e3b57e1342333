"""The one city resolver: a row's city_id and/or name to a known city, through the reviewed
alias table (``data/aliases.csv``), with one wording for "matched through an alias".

Every table resolves its cities here: the cities table against the reference list, and the
city references of progress, ICCC and projects rows against the cities being loaded.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from smartcities import dataset as ds
from smartcities.names import Harmoniser
from smartcities.report import Report

# Columns derived from a resolved city or state: empty when the name was not resolved.
CITY_COLUMNS = ("city_id", "city_name", "area_id", "area_name", "state_ut")
STATE_COLUMNS = ("state_ut", "area_id", "area_name")


@dataclass
class CityIndex:
    """Known cities, for resolving ids and names."""

    ids: dict[str, str]  # lower-case id -> id
    name_of: dict[str, str]  # id -> name
    state_of: dict[str, str]  # id -> state
    id_of: dict[str, str]  # canonical name -> id
    harmoniser: Harmoniser

    @classmethod
    def build(cls, cities: pd.DataFrame | None) -> CityIndex:
        if cities is None or cities.empty:
            return cls({}, {}, {}, {}, ds.harmoniser(None))
        ids = cities["city_id"].astype(str).tolist()
        names = cities["city_name"].astype(str).tolist()
        states = (
            cities["state_ut"].astype(str).tolist() if "state_ut" in cities else [""] * len(ids)
        )
        return cls(
            {i.lower(): i for i in ids},
            dict(zip(ids, names, strict=True)),
            dict(zip(ids, states, strict=True)),
            dict(zip(names, ids, strict=True)),
            ds.harmoniser(cities),
        )

    @property
    def empty(self) -> bool:
        return not self.ids

    def by_id(self, city_id: str) -> str | None:
        """The known id a city_id means (ids match ignoring case), or None."""
        return self.ids.get(city_id.lower())

    def by_name(self, city_name: str) -> tuple[str | None, bool, tuple[str, ...]]:
        """(city_id, via_alias, suggestions) for a name, through the alias table."""
        res = self.harmoniser.resolve("city", city_name)
        if res.canonical:
            return self.id_of[res.canonical], res.via_alias, ()
        return None, False, tuple(res.suggestions)

    def resolve(
        self, city_id: str | None, city_name: str | None
    ) -> tuple[str | None, bool, tuple[str, ...]]:
        """(city_id, via_alias, suggestions) for a row's id and/or name."""
        suggestions: list[str] = []
        if city_id:
            known = self.by_id(city_id)
            if known is not None:
                if city_name:
                    named, _, _ = self.by_name(city_name)
                    if named is not None and named != known:
                        raise ValueError(
                            f"city_id '{city_id}' is {self.name_of[known]}, but city_name "
                            f"says '{city_name}'"
                        )
                return known, False, ()
            cid, via_alias, sugg = self.by_name(city_id)
            if cid is not None:
                return cid, via_alias, ()
            suggestions += list(sugg)
            suggestions += difflib.get_close_matches(city_id.lower(), list(self.ids), 3, 0.75)
        if city_name:
            cid, via_alias, sugg = self.by_name(city_name)
            if cid is not None:
                return cid, via_alias, ()
            suggestions = list(sugg) + suggestions
        return None, False, tuple(dict.fromkeys(suggestions))


def did_you_mean(suggestions: Iterable[str]) -> str:
    items = list(suggestions)
    if not items:
        return (
            "Use a city from the cities table (the 100 Smart Cities unless your upload "
            "adds its own), or add the spelling to data/aliases.csv."
        )
    return "Did you mean " + " or ".join(items[:3]) + "?"


def alias_warning(
    report: Report, file: str, kind: str, aliases: dict[str, str], *, table: str, column: str
) -> None:
    """One warning listing the names matched through the alias table (the first ten).

    ``kind`` says whose names they are: "city" or "state/UT".
    """
    if not aliases:
        return
    pairs = ", ".join(f"{a} → {c}" for a, c in list(aliases.items())[:10])
    report.warning(
        file,
        f"{kind} names matched through the alias table: {pairs}",
        table=table,
        column=column,
    )


def state_ids() -> dict[str, str]:
    states = ds.states()
    return dict(zip(states["state_ut"], states["state_id"], strict=True))
