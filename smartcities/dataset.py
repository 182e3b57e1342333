"""A loaded, validated data set: the tables of the contract plus where they came from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from smartcities.config import BUNDLED_DATA
from smartcities.names import Harmoniser, read_aliases
from smartcities.schema import TABLES, empty_frame

PUBLIC = "public"
SYNTHETIC = "synthetic"
UPLOADED = "uploaded"


@dataclass(frozen=True)
class Dataset:
    """Validated tables (typed per the schema) and their provenance.

    ``kind`` is one of ``public`` (the bundled public record), ``synthetic`` (generated, never
    real) or ``uploaded`` (a user's files, possibly merged over the public record). ``label``
    is what every page shows so nobody mistakes one for another.
    """

    tables: Mapping[str, pd.DataFrame]
    kind: str
    label: str
    files: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def table(self, name: str) -> pd.DataFrame:
        frame = self.tables.get(name)
        return empty_frame(TABLES[name]) if frame is None else frame

    @property
    def cities(self) -> pd.DataFrame:
        return self.table("cities")

    @property
    def progress(self) -> pd.DataFrame:
        return self.table("progress")

    @property
    def is_synthetic(self) -> bool:
        return self.kind == SYNTHETIC

    def latest_as_of(self) -> pd.Timestamp | None:
        dates = self.progress["as_of_date"].dropna()
        return None if dates.empty else pd.Timestamp(dates.max())


@cache
def states() -> pd.DataFrame:
    """The 36 states/UTs with ISO codes and tile-grid positions (bundled reference)."""
    return pd.read_csv(BUNDLED_DATA / "states.csv", dtype={"tile_row": int, "tile_col": int})


@cache
def aliases() -> pd.DataFrame:
    return read_aliases(BUNDLED_DATA / "aliases.csv")


@cache
def names_hi() -> pd.DataFrame:
    """Hindi names of the 100 cities and 36 states/UTs (``data/names_hi.csv``: kind, id,
    name_en, name_hi, source), reviewed against Hindi Wikipedia titles and PIB Hindi usage."""
    return pd.read_csv(BUNDLED_DATA / "names_hi.csv", dtype=str, keep_default_na=False)


@cache
def _hindi_lookup() -> dict[tuple[str, str], str]:
    table = names_hi()
    return dict(zip(zip(table["kind"], table["name_en"]), table["name_hi"], strict=True))


def place_name(kind: str | None, name: str, lang: str = "en") -> str:
    """A city's (kind "city") or state's ("state") name in a language; ``kind=None`` tries a
    city, then a state. A name without a Hindi entry (an uploaded town) stays as given."""
    if lang != "hi":
        return name
    lookup = _hindi_lookup()
    for k in (kind,) if kind else ("city", "state"):
        if (k, name) in lookup:
            return lookup[(k, name)]
    return name


def harmoniser(cities: pd.DataFrame | None = None) -> Harmoniser:
    """Name resolver for the given cities (default: none) and all states/UTs."""
    city_names = [] if cities is None else cities["city_name"].dropna().tolist()
    return Harmoniser({"city": city_names, "state": states()["state_ut"].tolist()}, aliases())
