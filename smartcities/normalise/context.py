"""What normalising one file carries along: where to report, which cities are known, and the
rows found bad so far.

Every row issue the normaliser raises goes through :meth:`Context.row_issue`, which keeps at
most :data:`~smartcities.report.MAX_ISSUES_PER_KIND` of each kind per column and counts the rest
in one "N more row(s) with the same problem" issue (:meth:`Context.flush`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from smartcities.names import Harmoniser
from smartcities.normalise.places import CityIndex
from smartcities.report import MAX_ISSUES_PER_KIND, Report


@dataclass
class Context:
    """What normalising one file needs: where to report, and which cities are known."""

    file: str
    report: Report
    cities: pd.DataFrame | None = None  # cities that references must match
    reference: pd.DataFrame | None = None  # reference cities (fills uploaded cities tables)
    _index: CityIndex | None = field(default=None, repr=False)
    _counts: dict[tuple[str, str, str], int] = field(default_factory=dict, repr=False)

    @property
    def harmoniser(self) -> Harmoniser:
        return self.city_index.harmoniser

    @property
    def city_index(self) -> CityIndex:
        if self._index is None:
            self._index = CityIndex.build(self.cities)
        return self._index

    def row_issue(
        self,
        severity: str,
        message: str,
        *,
        row: int | None,
        column: str,
        table: str,
        value: object = "",
        fix: str = "",
    ) -> None:
        """Report a row issue, at most MAX_ISSUES_PER_KIND of each kind per column."""
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            value = ""
        kind = (severity, column, _kind(message))
        n = self._counts.get(kind, 0)
        self._counts[kind] = n + 1
        if n < MAX_ISSUES_PER_KIND:
            self.report.add(
                severity,
                self.file,
                message,
                row=row,
                column=column,
                table=table,
                value=value,
                fix=fix,
            )

    def flush(self, table: str) -> None:
        """Add one issue per kind that went over the cap, saying how many were left out."""
        for (severity, column, kind), n in self._counts.items():
            if n > MAX_ISSUES_PER_KIND:
                self.report.add(
                    severity,
                    self.file,
                    f"{n - MAX_ISSUES_PER_KIND} more row(s) with the same problem: {kind}",
                    column=column,
                    table=table,
                )
        self._counts.clear()


def _kind(message: str) -> str:
    return re.sub(r"'[^']*'", "'…'", message)


@dataclass
class Rows:
    """One file's rows while they are normalised: what the per-table and per-column steps
    share. ``bad`` and ``flagged`` are filled in place."""

    ctx: Context
    table: str
    numbers: pd.Series  # each row's spreadsheet row number in its file (header = row 1)
    bad: np.ndarray  # bool per row: an error was reported for it
    flagged: set[tuple[int, str]] = field(default_factory=set)  # (position, column) in error

    def subset(self, mask: pd.Series) -> Rows:
        """The rows under ``mask``, with their own bad/flagged (see :meth:`merge`)."""
        n = int(mask.sum())
        return Rows(self.ctx, self.table, self.numbers[mask], np.zeros(n, bool), set())

    def merge(self, mask: pd.Series, sub: Rows) -> None:
        """Carry a subset's bad rows and flagged cells back to these rows' positions."""
        positions = np.flatnonzero(mask.to_numpy(dtype=bool, na_value=False))
        self.bad[positions[sub.bad]] = True
        self.flagged.update((int(positions[p]), c) for p, c in sub.flagged)
