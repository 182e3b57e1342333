"""A headline card's text in the page's language, shared by the pages and the brief.

English is the page's own text; in another language the label, value, change and date are
written again from the figure and its row (Indian grouping, Hindi dates, catalog labels).
It sits below the page models (Overview, ICCC, City profile) and the brief, which all use it.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smartcities import fmt
from smartcities.i18n import DEFAULT_LANG, N_, translator
from smartcities.metrics import Kpi
from smartcities.schema import METRICS

# Card labels the Overview sets itself (metrics.national_headlines); the rest are schema labels.
N_("ICCCs operational (of 100)")
# "% of" would read as a printf placeholder to gettext's checks; its msgid spells it out.
_LABEL_MSGIDS = {"Projects complete (% of taken up)": N_("Projects complete (percent of taken up)")}
N_("Central funds utilised (%)")
N_("Share of ₹48,000 cr released")
N_("Projects completed (of taken up)")


@dataclass(frozen=True)
class Card:
    label: str
    value: str
    dated: str
    delta: str | None
    source_url: str | None
    flag: str | None = None


def localised_card(k: Kpi, row: pd.Series | None, lang: str) -> Card:
    """A page card as it reads in ``lang``: English is the page's own text."""
    if lang == DEFAULT_LANG:
        flag = None if k.flag is None else k.flag.split(". ")[0] + "."
        return Card(k.label, k.value, k.dated, k.delta, k.source_url, flag)
    _ = translator(lang)
    unit = METRICS[k.key].unit if k.key in METRICS else None
    value = k.value
    if unit and k.raw is not None and " of " not in k.value:
        value = fmt.value(k.raw, unit, lang)
    elif " of " in k.value:  # "156 of 161" (city: completed of taken up)
        value = k.value.replace(" of ", " / ")
    delta = None
    if row is not None and unit and pd.notna(row.get("prev_value")):
        diff = float(row["value"]) - float(row["prev_value"])
        since = fmt.as_on(row["prev_as_of_date"], lang)
        if diff == 0:
            delta = _("no change since {date}").format(date=since)
        else:
            change = ("+" if diff > 0 else "-") + fmt.value(abs(diff), unit, lang)
            delta = _("{change} since {date}").format(change=change, date=since)
    flag = _("A running total fell: see the data-quality notes.") if k.flag else None
    return Card(
        _(_LABEL_MSGIDS.get(k.label, k.label)),
        value,
        fmt.dated(k.as_of, k.date_basis, lang),
        delta,
        k.source_url,
        flag,
    )
