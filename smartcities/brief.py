"""The printable brief: one A4 document for the current selection, in English or Hindi.

:func:`build` is pure: it asks the query engine for the selection's figures and returns a
:class:`Brief` (title, selection, "as on" date, headline cards with their own dates, changes and
sources, the round/state table or the city's facts, two charts drawn as SVG, the cities needing
attention, data-quality notes from :mod:`smartcities.checks`, sources, citation, and the
synthetic / "your data" label). :func:`to_html` lays it out (every text HTML-escaped: names and
labels come from data and uploads) and :func:`to_pdf` prints it with WeasyPrint, which shapes
Devanagari through HarfBuzz/Pango, with the bundled Noto fonts so the output does not depend on
the machine's fonts (see docs/architecture.md for why not Chromium).

English figures are the page's own (``metrics.national_headlines``/``cityprofile.cards``), so
the brief quotes exactly what the Overview and City profile show; Hindi re-words them with the
same numbers (Indian grouping, Western digits, करोड़/लाख) through the message catalog.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

import pandas as pd

from smartcities import checks, cityprofile, fmt, metrics
from smartcities.cardtext import Card, localised_card
from smartcities.dataset import SYNTHETIC, UPLOADED, Dataset, place_name
from smartcities.i18n import DEFAULT_LANG, N_, normalise, translator
from smartcities.provenance import CITATION, source_domain
from smartcities.query import Engine, Scope
from smartcities.schema import METRICS, ROUNDS
from smartcities.urlstate import Vocabulary
from smartcities.views import area_of

FONTS_DIR = Path(__file__).parent / "assets" / "fonts"
MAX_SOURCES = 40
MAX_NAMES_PER_REASON = 12
KEEP_ROWS = 40

# The lagging rules (metrics.LAG_RULES), for the attention list.
N_("ICCC not known to be operational by the date")
N_("Projects still ongoing at the latest report")
N_("No project completed at the latest report")
N_("Central funds utilisation below 75%")

ROUND_COLUMNS = (
    "cities_selected_count",
    "proposed_investment_inr_crore",
    "projects_taken_up_count",
    "projects_completed_count",
    "projects_completed_inr_crore",
)
STATE_COLUMNS = (
    "smart_cities_count",
    "central_funds_released_inr_crore",
    "funds_utilised_inr_crore",
    "projects_taken_up_count",
    "projects_completed_count",
    "projects_ongoing_count",
)
SERIES_METRICS = ("projects_taken_up_count", "projects_completed_count")


class View(Protocol):
    """What the brief needs of a page's frame (``smartcities.ui.frame.Frame`` has it)."""

    dataset: Dataset
    engine: Engine
    scope: Scope
    vocab: Vocabulary

    @property
    def as_of(self) -> pd.Timestamp | None: ...


@dataclass(frozen=True)
class Selection:
    """A :class:`View` without the UI (scripts, benchmarks, tests)."""

    dataset: Dataset
    engine: Engine
    scope: Scope
    vocab: Vocabulary
    latest: pd.Timestamp | None = None

    @property
    def as_of(self) -> pd.Timestamp | None:
        return pd.Timestamp(self.scope.as_of) if self.scope.as_of else self.latest


def selection(dataset: Dataset, engine: Engine, scope: Scope | None = None) -> Selection:
    """The view of a data set for a scope, dated like the pages (latest national report)."""
    from smartcities.dataset import states
    from smartcities.urlstate import vocabulary

    dates = engine.report_dates() or engine.report_dates(level=None)
    return Selection(
        dataset,
        engine,
        scope or Scope(),
        vocabulary(dataset.cities, states()),
        dates[-1] if dates else None,
    )


@dataclass(frozen=True)
class Table:
    title: str
    columns: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    note: str = ""


@dataclass(frozen=True)
class Chart:
    """A chart for print. WeasyPrint draws SVG text glyph by glyph, without shaping, so SVG
    here holds only lines, shapes and Western digits; every word (legend, bar names) is HTML,
    which Pango shapes (Devanagari conjuncts and vowel signs)."""

    title: str
    svg: str
    summary: str
    legend: tuple[tuple[str, str], ...] = ()  # (label, colour)
    bars: tuple[tuple[str, str, float, bool], ...] = ()  # (name, value, share of max, marked)


@dataclass(frozen=True)
class Brief:
    lang: str
    title: str
    selection: str
    as_on: str
    dataset_label: str
    # The label on every page: "SYNTHETIC DATA ..." or "Your data ...", else "" (public record).
    page_label: str
    cards: list[Card]
    facts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    attention: list[tuple[str, int, str]] = field(default_factory=list)
    attention_note: str = ""
    notes: list[str] = field(default_factory=list)
    sources: list[tuple[str, str]] = field(default_factory=list)
    citation: str = ""
    headings: dict[str, str] = field(default_factory=dict)
    generated: str = ""


# --- building --------------------------------------------------------------------------------


def _row(latest: pd.DataFrame, metric: str) -> pd.Series | None:
    rows = latest[latest["metric"] == metric]
    return None if rows.empty else rows.iloc[0]


def _table(
    title: str, wide: pd.DataFrame, columns: Sequence[str], name_of, lang: str, note: str = ""
) -> Table | None:
    _ = translator(lang)
    cols = [c for c in columns if c in wide.columns]
    if wide.empty or not cols:
        return None
    header = [_("Area"), *[_(METRICS[c].label) for c in cols], _("Latest date")]
    rows = []
    for r in wide.itertuples(index=False):
        d = r._asdict()
        rows.append(
            [
                name_of(str(d["area_name"])),
                *[fmt.value(d[c], METRICS[c].unit, lang) for c in cols],
                fmt.as_on(d["as_of_date"], lang),
            ]
        )
    return Table(_(title), header, rows, [False, *[True] * len(cols), False], _(note))


def _round_key(name: object) -> int:
    return ROUNDS.index(name) if name in ROUNDS else len(ROUNDS)


def _label(dataset: Dataset, lang: str) -> str:
    _ = translator(lang)
    if dataset.kind == SYNTHETIC:
        return _("SYNTHETIC DATA: generated for demonstration, not real figures.")
    if dataset.kind == UPLOADED:
        return _("Your data: figures from uploaded files ({label}).").format(label=dataset.label)
    return ""


def _sources(urls: Sequence[object]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for u in urls:
        if isinstance(u, str) and u and u not in seen:
            seen[u] = source_domain(u) or u
    return [(d, u) for u, d in seen.items()][:MAX_SOURCES]


def build(view: View, lang: str = DEFAULT_LANG, today: date | None = None) -> Brief:
    """The brief's content for a page's selection, in ``lang`` ("en" or "hi")."""
    lang = normalise(lang)
    _ = translator(lang)
    engine, scope, as_of = view.engine, view.scope, view.as_of
    level, area_id, area_name = area_of(view)

    def city_name(name: str) -> str:
        return place_name("city", name, lang)

    def state_name(name: str) -> str:
        return place_name("state", name, lang)

    def any_name(name: str) -> str:
        return _(name) if name in ROUNDS else place_name(None, name, lang)

    parts = []
    if scope.city_id:
        parts.append(city_name(view.vocab.cities.get(scope.city_id, scope.city_id)))
    if scope.state_ut:
        parts.append(state_name(scope.state_ut))
    if scope.round:
        parts.append(_(scope.round))
    selection = ", ".join(parts) if parts else _("All India")
    headings = {
        "cards": _("Headline figures"),
        "charts": _("Charts"),
        "attention": _("Cities needing attention"),
        "notes": _("Caveats and data-quality notes"),
        "sources": _("Sources"),
        "citation": _("Cite as"),
        "facts": _("About the city"),
        "no_data": _("No headline figures have been reported for this selection in this data set."),
        "no_attention": _("No city-level exception in the reported data for this selection."),
        "page": _("Page"),
        "of": _("of"),
        "source_col": _("Source"),
        "reason_col": _("Reason"),
        "cities_col": _("Cities"),
    }
    cities = engine.cities(scope)
    iccc = engine.iccc(scope)
    city_latest = engine.latest(scope, levels=("city",))
    sources: list[object] = []
    tables: list[Table] = []
    facts: list[str] = []
    charts: list[Chart] = []

    latest = engine.latest(scope, levels=(level,))
    latest = latest[latest["area_id"] == area_id]
    if level == "city":
        kpis = cityprofile.cards(latest)
        city = cities[cities["city_id"] == area_id]
        if not city.empty:
            c = city.iloc[0]
            facts.append(_("State/UT: {state}").format(state=state_name(str(c["state_ut"]))))
            rnd = c["selection_round"]
            facts.append(
                _("Selection round: {round}").format(
                    round=_(str(rnd)) if pd.notna(rnd) else _("not known")
                )
            )
            if pd.notna(c["selection_date"]):
                facts.append(
                    _("Selected on {date}").format(date=fmt.as_on(c["selection_date"], lang))
                )
        stage = iccc[iccc["city_id"] == area_id] if len(iccc) else iccc
        if len(stage) and (stage["stage"] == "operational").any():
            s = stage[stage["stage"] == "operational"].iloc[0]
            facts.append(
                _("ICCC operational {date}").format(
                    date=fmt.dated(s["stage_date"], s["date_basis"], lang)
                )
            )
            sources.append(s["source_url"])
        else:
            facts.append(_("No ICCC stage on record as operational by this date."))
    else:
        kpis = [k for k in metrics.national_headlines(latest) if k.raw is not None]
    cards = [localised_card(k, _row(latest, k.key), lang) for k in kpis if k.raw is not None]
    sources += [k.source_url for k in kpis if k.raw is not None]

    if level != "city":
        rounds = metrics.wide_latest(engine.latest(scope, levels=("round",)), list(ROUND_COLUMNS))
        if not rounds.empty:
            rounds = rounds.sort_values("area_name", key=lambda s: s.map(_round_key))
        t = _table(
            N_("Progress by selection round"),
            rounds,
            ROUND_COLUMNS,
            any_name,
            lang,
            N_("Rounds report different things at different dates; blanks mean not reported."),
        )
        if t:
            tables.append(t)
        states_latest = engine.latest(scope, levels=("state",))
        st_wide = metrics.wide_latest(states_latest, list(STATE_COLUMNS))
        if not st_wide.empty:
            st_wide = st_wide.sort_values("area_name")
        t = _table(N_("States and UTs"), st_wide, STATE_COLUMNS, state_name, lang)
        if t:
            tables.append(t)
        sources += states_latest["source_url"].tolist()
        series = engine.series(
            Scope(as_of=scope.as_of),
            SERIES_METRICS,
            level=level,
            area_id=area_id,
        )
        charts.append(_series_chart(series, _("Projects taken up and completed over time"), lang))
        if not st_wide.empty and "projects_completed_count" in st_wide:
            charts.append(
                _bar_chart(
                    st_wide,
                    "projects_completed_count",
                    state_name,
                    _("Projects completed, by state/UT (largest 12)"),
                    lang,
                )
            )
    else:
        rows = engine.progress(scope, levels=("city",))
        line = cityprofile.timeline(rows) if len(rows) else rows
        if len(line):
            charts.append(_series_chart(line, _("Projects over time"), lang))
        everyone = engine.latest(Scope(as_of=scope.as_of), levels=("city",))
        peers = everyone[everyone["metric"] == "projects_completed_count"]
        all_cities = engine.cities(Scope())
        state = cities["state_ut"].iat[0] if len(cities) else None
        same_state = all_cities.loc[all_cities["state_ut"] == state, "city_id"]
        peers = peers[peers["area_id"].isin(same_state)]
        if len(peers):
            wide = peers.rename(columns={"value": "projects_completed_count"})
            charts.append(
                _bar_chart(
                    wide,
                    "projects_completed_count",
                    city_name,
                    _("Projects completed in the cities of {state}").format(
                        state=state_name(str(state))
                    ),
                    lang,
                    highlight=area_name,
                )
            )

    lagging = metrics.lagging_cities(cities, iccc, city_latest, as_of)
    attention = []
    for reason, group in lagging.groupby("reason", sort=True):
        names = sorted({city_name(str(n)) for n in group["city_name"]})
        shown = ", ".join(names[:MAX_NAMES_PER_REASON])
        if len(names) > MAX_NAMES_PER_REASON:
            shown += " " + _("and {n} more").format(n=fmt.count(len(names) - MAX_NAMES_PER_REASON))
        attention.append((_(str(reason)), len(names), shown))

    notes = _notes(engine, scope, level, area_id, latest, lang)
    name = area_name if level != "city" else city_name(area_name)
    title = _("Smart Cities Mission: {selection}").format(selection=selection)
    return Brief(
        lang=lang,
        title=title,
        selection=name if level != "national" else _("All India"),
        as_on=_("Figures as on {date} (each figure shows its own reporting date).").format(
            date=fmt.as_on(as_of, lang)
        ),
        dataset_label=view.dataset.label,
        page_label=_label(view.dataset, lang),
        cards=cards,
        facts=facts,
        tables=tables,
        charts=charts,
        attention=attention,
        attention_note=_(
            "Only exceptions the data shows: a city with no report is not called lagging."
        ),
        notes=notes,
        sources=_sources(sources),
        citation=_(CITATION),
        headings=headings,
        generated=_(
            "Brief made on {date} by the open-source Smart Cities Mission dashboard."
        ).format(date=fmt.as_on(today or date.today(), lang)),
    )


def _notes(
    engine: Engine, scope: Scope, level: str, area_id: str, latest: pd.DataFrame, lang: str
) -> list[str]:
    """Caveats that always apply, then what the checks find in this selection's figures."""
    _ = translator(lang)
    out = [
        _(
            "Each figure is the latest reported on or before the date shown; figures of one "
            "brief can be of different dates and from different sources."
        ),
        _(
            "Date wording: 'as on' is the date the source states; 'reported … (as-on date not "
            "stated)' is the date of the reply or report; 'on or before' is only an upper bound."
        ),
    ]
    if latest["date_basis"].isin(["reply", "on_or_before"]).any() if len(latest) else False:
        out.append(_("Some headline figures are dated by a reply or an upper bound, not 'as on'."))
    progress = engine.progress(Scope(as_of=scope.as_of), levels=(level,))
    progress = progress[progress["area_id"] == area_id]
    fell = checks.falls(progress)
    for r in fell.head(5).itertuples(index=False):
        unit = METRICS[r.metric].unit if r.metric in METRICS else "count"
        out.append(
            _("{measure} fell from {before} ({before_date}) to {after} ({after_date}).").format(
                measure=_(METRICS[r.metric].label) if r.metric in METRICS else r.metric,
                before=fmt.value(r.prev_value, unit, lang),
                before_date=fmt.dated(r.prev_as_of_date, r.prev_date_basis, lang),
                after=fmt.value(r.value, unit, lang),
                after_date=fmt.dated(r.as_of_date, r.date_basis, lang),
            )
            + " "
            + _(
                "A running total should not fall: the sources may count or round differently, "
                "or the later one corrects the earlier."
            )
        )
    conflicts = checks.same_date_conflicts(progress)
    if len(conflicts):
        out.append(
            _(
                "{n} figure(s) of this selection are reported with different values on the same "
                "date; the first listed source is used, as on the pages (see Data coverage)."
            ).format(n=fmt.count(len(conflicts)))
        )
    labels = checks.definition_labels(progress)
    if len(labels) and labels.astype(bool).any():
        out.append(
            _(
                "Some figures include the state share or are counted by a state government: "
                "they are not comparable with the Ministry's central-only figures."
            )
        )
    return out


# --- charts (inline SVG, drawn here: no browser or image library needed to print) -------------

_W, _H = 500, 200
_INK, _MUTED, _ACCENT, _SECOND, _GRID = "#1f2933", "#52606d", "#1d4e89", "#d97706", "#d9e2ec"


def _esc(text: object) -> str:
    return html.escape(str(text), quote=True)


def _svg(body: str, title: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" '
        f'height="{_H}" role="img" aria-label="{_esc(title)}">{body}</svg>'
    )


def _series_chart(series: pd.DataFrame, title: str, lang: str) -> Chart:
    """A line per metric over time, dated points, Indian-format value axis."""
    _ = translator(lang)
    data = series.dropna(subset=["value"]).sort_values("as_of_date")
    if data.empty:
        return Chart(title, "", _("No series reported for this selection."))
    left, right, top, bottom = 62, 16, 14, 24
    x0, x1 = pd.Timestamp(data["as_of_date"].min()), pd.Timestamp(data["as_of_date"].max())
    span = max((x1 - x0).days, 1)
    ticks = fmt.nice_ticks(0, float(data["value"].max()), 4)
    top_v = max(ticks[-1], 1.0)

    def px(d: object) -> float:
        return left + (pd.Timestamp(d) - x0).days / span * (_W - left - right)

    def py(v: float) -> float:
        return _H - bottom - v / top_v * (_H - top - bottom)

    body = []
    for t, label in zip(ticks, fmt.tick_labels(ticks, "count", lang)):
        y = py(t)
        body.append(
            f'<line x1="{left}" x2="{_W - right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{_GRID}" stroke-width="0.8"/>'
        )
        body.append(
            f'<text x="{left - 6}" y="{y + 3:.1f}" text-anchor="end" font-size="9" '
            f'fill="{_MUTED}">{_esc(label)}</text>'
        )
    for year in range(x0.year, x1.year + 1):
        d = pd.Timestamp(year=year, month=1, day=1)
        if x0 <= d <= x1 or x0.year == x1.year:
            x = px(max(d, x0))
            body.append(
                f'<text x="{x:.1f}" y="{_H - bottom + 14}" text-anchor="middle" '
                f'font-size="9" fill="{_MUTED}">{year}</text>'
            )
    legend = []
    summary = []
    for i, (metric, rows) in enumerate(data.groupby("metric", sort=False)):
        colour = (_ACCENT, _SECOND, "#2f855a")[i % 3]
        pts = " ".join(
            f"{px(d):.1f},{py(v):.1f}" for d, v in zip(rows["as_of_date"], rows["value"])
        )
        body.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for d, v in zip(rows["as_of_date"], rows["value"]):
            body.append(f'<circle cx="{px(d):.1f}" cy="{py(v):.1f}" r="2.6" fill="{colour}"/>')
        label = _(METRICS[metric].label) if metric in METRICS else str(metric)
        legend.append((label, colour))
        last = rows.iloc[-1]
        summary.append(
            f"{label}: {fmt.value(last['value'], 'count', lang)} "
            f"({fmt.dated(last['as_of_date'], last.get('date_basis'), lang)})"
        )
    return Chart(title, _svg("".join(body), title), "; ".join(summary) + ".", tuple(legend))


def _bar_chart(
    wide: pd.DataFrame,
    metric: str,
    name_of,
    title: str,
    lang: str,
    top: int = 12,
    highlight: str | None = None,
) -> Chart:
    """Horizontal bars of one metric by area, largest first (the top ``top``)."""
    data = wide.dropna(subset=[metric]).sort_values(metric, ascending=False).head(top)
    if data.empty:
        return Chart(title, "", "")
    unit = METRICS[metric].unit
    vmax = float(data[metric].max()) or 1.0
    bars = []
    for r in data.itertuples(index=False):
        d = r._asdict()
        bars.append(
            (
                name_of(str(d["area_name"])),
                fmt.value(d[metric], unit, lang),
                max(float(d[metric]) / vmax, 0.0),
                bool(highlight and d["area_name"] == highlight),
            )
        )
    summary = "; ".join(f"{n} {v}" for n, v, _s, _m in bars) + "."
    return Chart(title, "", summary, bars=tuple(bars))


# --- layout and printing ---------------------------------------------------------------------

_CSS = """
@font-face { font-family: "Brief Sans"; src: url("NotoSans-Regular.ttf"); font-weight: 400; }
@font-face { font-family: "Brief Sans"; src: url("NotoSans-Bold.ttf"); font-weight: 700; }
@font-face { font-family: "Brief Deva"; src: url("NotoSansDevanagari-Regular.ttf");
  font-weight: 400; }
@font-face { font-family: "Brief Deva"; src: url("NotoSansDevanagari-Bold.ttf");
  font-weight: 700; }
@page { size: A4; margin: 20mm 14mm 16mm 14mm;
  @bottom-right { content: "@PAGE@ " counter(page) " @OF@ " counter(pages);
    font: 8pt "Brief Sans", "Brief Deva"; color: #52606d; }
  @bottom-left { content: "@SHORT@"; font: 8pt "Brief Sans", "Brief Deva"; color: #52606d; }
}
html { font-family: "Brief Sans", "Brief Deva"; font-size: 9.5pt; color: #1f2933; }
html[lang="hi"] { font-family: "Brief Deva", "Brief Sans"; }
h1 { font-size: 17pt; margin: 0 0 2mm 0; color: #1d4e89; }
h2 { font-size: 12pt; margin: 5mm 0 2mm 0; color: #1d4e89; border-bottom: 0.6pt solid #9fb3c8;
  break-after: avoid; }
p { margin: 1mm 0; }
.meta { color: #52606d; }
.label { position: fixed; top: -13mm; left: 0; right: 0; padding: 1.5mm 3mm;
  background: #fff4e5; border: 0.8pt solid #d97706; color: #8a4b00; font-weight: 700;
  font-size: 9pt; }
table.cards { table-layout: fixed; border-collapse: separate; border-spacing: 2mm; margin: 0 -2mm;
  width: calc(100% + 4mm); }
td.card { border: 0.6pt solid #bcccdc; border-radius: 1.5mm; padding: 2mm 2.5mm;
  break-inside: avoid; vertical-align: top; }
.card .k { font-size: 8.5pt; color: #52606d; }
.card .v { font-size: 14pt; font-weight: 700; margin: 0.5mm 0; }
.card .d, .card .s { font-size: 7.5pt; color: #52606d; }
.sources { word-break: break-all; }
.card .c { font-size: 8pt; }
.card .f { font-size: 7.5pt; color: #b42318; }
table { border-collapse: collapse; width: 100%; font-size: 8pt; margin-bottom: 1mm;
  table-layout: fixed; }
th:first-child, td:first-child { width: 24%; }
th, td { border-bottom: 0.4pt solid #d9e2ec; padding: 0.8mm 1.2mm; text-align: left;
  vertical-align: top; }
th { background: #f0f4f8; font-weight: 700; }
td.n, th.n { text-align: right; }
td.n { white-space: nowrap; }
tr { break-inside: avoid; }
.chart, section.keep { break-inside: avoid; margin-bottom: 3mm; }
.chart h3 { font-size: 10pt; margin: 1mm 0; }
.chart svg { width: 100%; height: auto; font-family: "Brief Sans", "Brief Deva"; }
html[lang="hi"] .chart svg { font-family: "Brief Deva", "Brief Sans"; }
.summary { font-size: 7.5pt; color: #52606d; }
.legend { font-size: 8.5pt; }
.legend .key { display: inline-block; width: 3mm; height: 3mm; margin: 0 1.2mm 0 4mm; }
table.bars td { border: none; padding: 0.4mm 1mm; font-size: 8.5pt; }
table.bars td.name { width: 30%; text-align: right; }
table.bars td.n { width: 16%; text-align: left; }
.bar { height: 3.2mm; background: #1d4e89; }
.bar.marked { background: #d97706; }
table.attention td:first-child, table.attention th:first-child { width: 34%; }
table.attention td.n, table.attention th.n { width: 6%; }
.notes li, .sources li { margin-bottom: 1mm; }
.sources { font-size: 7.5pt; }
.small { font-size: 8pt; color: #52606d; }
"""


def _css_string(text: str) -> str:
    """Text as the inside of a CSS string (page-margin content)."""
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


def to_html(brief: Brief) -> str:
    """The brief as a self-contained HTML document (fonts referenced relative to FONTS_DIR)."""
    e, h = _esc, brief.headings
    numbers = {u: i for i, (_d, u) in enumerate(brief.sources, start=1)}
    short = brief.page_label or brief.title
    css = (
        _CSS.replace("@PAGE@", _css_string(h["page"]))
        .replace("@OF@", _css_string(h["of"]))
        .replace("@SHORT@", _css_string(short[:110]))
    )
    out = [
        f'<!DOCTYPE html><html lang="{e(brief.lang)}"><head><meta charset="utf-8">',
        f"<title>{e(brief.title)}</title>",
        '<meta name="author" content="Smart Cities Mission dashboard (open source)">',
        f"<style>{css}</style></head><body>",
    ]
    if brief.page_label:
        out.append(f'<div class="label">{e(brief.page_label)}</div>')
    out.append(f"<h1>{e(brief.title)}</h1>")
    out.append(f'<p class="meta">{e(brief.as_on)}</p>')
    out.append(f'<p class="meta">{e(brief.dataset_label)}</p>')
    if brief.facts:
        out.append(f"<h2>{e(h['facts'])}</h2><ul>")
        out += [f"<li>{e(f)}</li>" for f in brief.facts]
        out.append("</ul>")
    out.append(f"<h2>{e(h['cards'])}</h2>")
    if not brief.cards:
        out.append(f"<p>{e(h['no_data'])}</p>")
    out.append('<table class="cards"><tbody><tr>')
    for i, c in enumerate(brief.cards):
        if i and i % 3 == 0:
            out.append("</tr><tr>")
        out.append('<td class="card">')
        out.append(f'<div class="k">{e(c.label)}</div><div class="v">{e(c.value)}</div>')
        if c.delta:
            out.append(f'<div class="c">{e(c.delta)}</div>')
        out.append(f'<div class="d">{e(c.dated)}</div>')
        if c.source_url:
            ref = numbers.get(c.source_url)
            where = source_domain(c.source_url) or c.source_url
            mark = f" [{ref}]" if ref else ""
            out.append(f'<div class="s">{e(h["source_col"])}: {e(where)}{mark}</div>')
        if c.flag:
            out.append(f'<div class="f">{e(c.flag)}</div>')
        out.append("</td>")
    out += ["<td></td>"] * (-len(brief.cards) % 3)
    out.append("</tr></tbody></table>")
    for t in brief.tables:
        # A table that fits on a page starts on a new one rather than leave a row behind.
        keep = ' class="keep"' if len(t.rows) <= KEEP_ROWS else ""
        out.append(f"<section{keep}><h2>{e(t.title)}</h2><table><thead><tr>")
        out += [
            f'<th class="{"n" if n else ""}">{e(c)}</th>'
            for c, n in zip(t.columns, t.numeric, strict=True)
        ]
        out.append("</tr></thead><tbody>")
        for row in t.rows:
            out.append("<tr>")
            out += [
                f'<td class="{"n" if n else ""}">{e(v)}</td>'
                for v, n in zip(row, t.numeric, strict=True)
            ]
            out.append("</tr>")
        out.append("</tbody></table>")
        if t.note:
            out.append(f'<p class="small">{e(t.note)}</p>')
        out.append("</section>")
    charts = [c for c in brief.charts if c.svg or c.bars]
    if charts:
        out.append(f"<h2>{e(h['charts'])}</h2>")
        for c in charts:
            out.append(f'<div class="chart"><h3>{e(c.title)}</h3>{c.svg}')
            if c.legend:
                out.append('<p class="legend">')
                out += [
                    f'<span class="key" style="background:{colour}"></span>{e(label)} '
                    for label, colour in c.legend
                ]
                out.append("</p>")
            if c.bars:
                out.append('<table class="bars"><tbody>')
                for name, value, share, marked in c.bars:
                    cls = "bar marked" if marked else "bar"
                    out.append(
                        f'<tr><td class="name">{e(name)}</td><td><div class="{cls}" '
                        f'style="width:{100 * share:.1f}%"></div></td>'
                        f'<td class="n">{e(value)}</td></tr>'
                    )
                out.append("</tbody></table>")
            out.append(f'<p class="summary">{e(c.summary)}</p></div>')
    out.append(f"<h2>{e(h['attention'])}</h2>")
    if brief.attention:
        out.append(f'<table class="attention"><thead><tr><th>{e(h["reason_col"])}</th>')
        out.append(f'<th class="n">#</th><th>{e(h["cities_col"])}</th></tr></thead><tbody>')
        for reason, n, names in brief.attention:
            out.append(
                f'<tr><td>{e(reason)}</td><td class="n">{e(fmt.count(n))}</td>'
                f"<td>{e(names)}</td></tr>"
            )
        out.append("</tbody></table>")
    else:
        out.append(f"<p>{e(h['no_attention'])}</p>")
    out.append(f'<p class="small">{e(brief.attention_note)}</p>')
    out.append(f'<h2>{e(h["notes"])}</h2><ul class="notes">')
    out += [f"<li>{e(n)}</li>" for n in brief.notes]
    out.append("</ul>")
    out.append(f'<h2>{e(h["sources"])}</h2><ol class="sources">')
    out += [f"<li>{e(u)}</li>" for _d, u in brief.sources]
    out.append("</ol>")
    out.append(f"<h2>{e(h['citation'])}</h2><p>{e(brief.citation)}</p>")
    out.append(f'<p class="small">{e(brief.generated)}</p>')
    out.append("</body></html>")
    return "".join(out)


def to_pdf(brief: Brief) -> bytes:
    """The brief printed to PDF (A4, title and language set, text real and searchable)."""
    from weasyprint import HTML  # imported late: only the brief needs it

    doc = HTML(string=to_html(brief), base_url=str(FONTS_DIR) + "/").render()
    return doc.write_pdf(pdf_identifier=b"smartcities-brief", uncompressed_pdf=False)


def failure_pdf(reason: str) -> bytes:
    """A one-page PDF saying the brief could not be made and why (the download still gets a
    readable file); plain text if even that cannot be printed."""
    text = (
        "The brief could not be made. Please report this with the page's link. "
        f"Reason: {reason[:500]}"
    )
    try:
        from weasyprint import HTML

        return HTML(string=f"<p>{_esc(text)}</p>").write_pdf()
    except Exception:  # noqa: BLE001 - the last resort must not fail
        return text.encode("utf-8")


def file_name(slug: str, lang: str) -> str:
    """'brief-india-en.pdf', 'brief-srinagar-hi.pdf' (only letters, digits and hyphens)."""
    safe = "".join(ch for ch in slug.lower() if ch.isalnum() or ch == "-")[:60] or "selection"
    return f"brief-{safe}-{normalise(lang)}.pdf"
