"""Dense tables coloured by a computed band (the coverage grid), with row selection.

Cells hold plain text (dates, names from data) in dataframe cells, never Markdown; the
colour comes from a parallel frame of numbers, so the text is the information and the colour
only repeats it (WCAG: colour is not the only carrier).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st


def banded_table(
    grid: pd.DataFrame,
    bands: pd.DataFrame,
    *,
    coloured: Sequence[str],
    css: Callable[[float], str],
    key: str,
    hidden: Sequence[str] = ("area_id",),
    selectable: bool = False,
    help_texts: dict[str, str] | None = None,
    height: int | None = None,
) -> int | None:
    """Show ``grid`` with the ``coloured`` columns' cells styled by ``css(bands[col][row])``.

    With ``selectable`` a row can be picked; returns the picked row's position (or None).
    """
    shown = grid.drop(columns=[c for c in hidden if c in grid.columns])
    styler = shown.style.apply(
        lambda col: [css(v) for v in bands[col.name]] if col.name in coloured else [""] * len(col),
        axis=0,
    )
    config = {
        c: st.column_config.TextColumn(c, help=(help_texts or {}).get(c))
        for c in shown.columns
        if not pd.api.types.is_numeric_dtype(shown[c])
    }
    if not selectable:
        st.dataframe(
            styler, hide_index=True, key=key, column_config=config, height=height or "auto"
        )
        return None
    event = st.dataframe(
        styler,
        hide_index=True,
        key=key,
        column_config=config,
        on_select="rerun",
        selection_mode="single-row",
        height=height or "auto",
    )
    rows = event.selection.rows if event is not None else []
    return int(rows[0]) if rows else None


def legend(labels: Sequence[str], colours: Sequence[str], *, key: str) -> None:
    """A one-row legend of the bands, drawn with the same styling as the table."""
    row = pd.DataFrame([list(labels)], columns=list(labels))
    styler = row.style.apply(
        lambda col: [f"background-color: {colours[list(labels).index(col.name)]}; color: #1f2933"],
        axis=0,
    )
    st.dataframe(styler, hide_index=True, key=key)
