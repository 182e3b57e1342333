"""A loaded, validated data set: the tables of the contract plus where they came from."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache

import pandas as pd

from smartcities import fmt
from smartcities.config import BUNDLED_DATA
from smartcities.i18n import DEFAULT_LANG, N_, gettext
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


_PUBLIC_AS_ON = re.compile(r"Public record as on (\d{1,2} [A-Z][a-z]{2} \d{4})")
_SYNTHETIC_SAMPLE = re.compile(r"SYNTHETIC sample: ([\d,]+) cities \(generated, not real figures\)")


def dataset_label(dataset: Dataset, lang: str) -> str:
    """The data set's name in ``lang``: the default names (smartcities.load, .synthetic) are
    worded in the catalog; a name set by a deployment or taken from file names stays as it is."""
    label = dataset.label
    if lang == DEFAULT_LANG:
        return label
    _ = gettext(lang)
    found = _PUBLIC_AS_ON.fullmatch(label)
    if found:
        when = fmt.as_on(pd.Timestamp(found.group(1)), lang)
        return _("Public record as on {date}").format(date=when)
    found = _SYNTHETIC_SAMPLE.fullmatch(label)
    if found:
        return _("SYNTHETIC sample: {n} cities (generated, not real figures)").format(
            n=found.group(1)
        )
    if label in ("Public record", "Synthetic data (generated, not real)", "Uploaded data"):
        return _(label)
    if label.startswith("Uploaded: "):
        return _("Uploaded: {names}").format(names=label.removeprefix("Uploaded: "))
    return label


# The default data-set names smartcities.load gives (worded by dataset_label).
N_("Synthetic data (generated, not real)")
N_("Uploaded data")
