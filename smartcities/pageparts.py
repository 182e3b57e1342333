"""The parts a page model hands its page to lay out: charts with their text summary, tables
with their units, notes, and a tab's section (heading, messages, charts, tables).

Page models (``overview``, ``progress_view``, ``about_view``...) build these from the engine;
the pages draw them with ``smartcities.ui.render`` and compute nothing themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import pandas as pd
import plotly.graph_objects as go

from smartcities.safe import Safe


@dataclass(frozen=True)
class Chart:
    """A figure and the text summary shown with it (for screen readers and print).
    ``key`` is the element's key on the page (stable across reruns)."""

    figure: go.Figure
    summary: str
    key: str = ""


@dataclass(frozen=True)
class TableView:
    """A table to show: rows, units of its value columns, and a caption."""

    frame: pd.DataFrame
    units: dict[str, str]
    caption: str = ""
    key: str = ""


@dataclass(frozen=True)
class Note:
    """A message drawn among a section's charts and tables: an ``info`` or ``warning`` box
    (with an optional Material icon, ":material/…:") or a ``caption``. ``text`` is escaped
    unless it is :class:`~smartcities.safe.Safe` (Markdown written in code)."""

    text: str | Safe
    kind: Literal["info", "warning", "caption"] = "info"
    icon: str | None = None


Part = Chart | TableView | Note


@dataclass(frozen=True)
class Section:
    """One tab's content, in the order it is drawn: its heading, a note shown first (``note``,
    text written in code, may be Markdown), then either ``message`` (why there is nothing to
    draw) or its charts and tables, then ``parts`` (charts, tables and notes in the order
    given, for a section that mixes them), then a closing caption."""

    heading: str
    note: Safe | None = None
    note_icon: str | None = None  # a Material icon name for the note (":material/…:")
    message: str | None = None
    charts: tuple[Chart, ...] = ()
    tables: tuple[TableView, ...] = ()
    parts: tuple[Part, ...] = ()
    caption: str = ""

    @property
    def empty(self) -> bool:
        """Nothing to draw but the message."""
        return self.message is not None
