"""The shared frame every page sits in: data set, filters (synced with the URL), vintage, footer.

``dashboard.py`` draws the frame before running the page; a page opened on its own (as the
app tests do) draws it itself through :func:`current`. The URL is the shareable state: the
sidebar widgets are initialised from the query parameters, and every change is written back
(only non-default values). Streamlit clears query parameters when the user switches pages
through the navigation menu; an empty URL then keeps the session's filters rather than
resetting them, and writes them back so the new page's URL is shareable too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from smartcities import fmt
from smartcities.dataset import SYNTHETIC, UPLOADED, Dataset, dataset_label, place_name, states
from smartcities.i18n import DEFAULT_LANG, LANG_NAMES, LANGS, N_, gettext, normalise
from smartcities.provenance import BOUNDARY_CREDIT, CITATION
from smartcities.query import Engine, Scope
from smartcities.safe import md
from smartcities.schema import ROUNDS
from smartcities.ui import data, options, render
from smartcities.urlstate import (
    KEYS,
    FilterState,
    Vocabulary,
    decode,
    encode,
    repeated,
    to_scope,
    vocabulary,
)

FRAME_KEY = "_frame"
LAST_URL_KEY = "_frame_last_url"
FILTERS_KEY = "_frame_filters"
W = {k: f"flt_{k}" for k in KEYS}  # widget keys
DRAWN_LANG_KEY = "_flt_drawn_lang"  # the language the filters were last drawn in
DATASET_LABELS = {
    "public": N_("Public record"),
    "synthetic": N_("Synthetic sample (not real)"),
    "uploaded": N_("Your uploaded data"),
}


@dataclass(frozen=True)
class Frame:
    """What a page needs: the data, the engine, the filters and the effective date."""

    dataset: Dataset
    engine: Engine
    filters: FilterState
    scope: Scope
    vocab: Vocabulary
    latest: pd.Timestamp | None

    @property
    def as_of(self) -> pd.Timestamp | None:
        """The "as on" date in force: the chosen one, else the latest report."""
        return pd.Timestamp(self.filters.as_of) if self.filters.as_of else self.latest

    def params(self, **extra: str | None) -> dict[str, str]:
        """Query parameters for links to other pages, carrying this view's filters."""
        out = encode(self.filters)
        for key, value in extra.items():
            if value is None:
                out.pop(key, None)
            else:
                out[key] = value
        return out

    @property
    def synthetic(self) -> bool:
        return self.dataset.kind == SYNTHETIC

    @property
    def lang(self) -> str:
        """The interface language (``lang`` in the URL; i18n.LANGS)."""
        return self.filters.lang


def _url_now() -> dict[str, str]:
    return {k: st.query_params[k] for k in KEYS if k in st.query_params}


def current_lang() -> str:
    """The interface language of this run, known before the sidebar is drawn (the router
    needs it for the menu): a new link's ``lang``, else the session's choice."""
    url = _url_now()
    if url and url != st.session_state.get(LAST_URL_KEY):
        return normalise(url.get("lang", DEFAULT_LANG))
    kept: FilterState | None = st.session_state.get(FILTERS_KEY)
    chosen = st.session_state.get(W["lang"], kept.lang if kept is not None else None)
    if not url and kept is None and chosen is None:
        return DEFAULT_LANG
    return normalise(chosen)


def _sanitise(key: str, options: list[str]) -> None:
    if st.session_state.get(key) not in options:
        st.session_state[key] = ""


def _relabel(lang: str) -> None:
    """In the run where the language changed, set the choice widgets' values again so
    Streamlit sends them to the browser with their new labels. The browser keeps a
    selectbox's, radio's or segmented control's choice by its label and every label changes
    with the language: without this it keeps showing the old one ("All states/UTs" on a Hindi
    page) and a radio shows no selection. Runs before any widget of this run is drawn: the
    sidebar's filters and the page's own options (``data_table``, ``map_colour``, …) alike.
    Only text choices are set (a button's or uploader's state cannot be); tabs keep their own
    state (:func:`smartcities.ui.options.tabs`)."""
    if st.session_state.get(DRAWN_LANG_KEY, lang) != lang:
        for key in list(st.session_state.keys()):
            value = st.session_state[key]
            many = isinstance(value, list) and value and all(isinstance(v, str) for v in value)
            own = not key.startswith("_") and not key.endswith("_tab")
            if (isinstance(value, str) or many) and own:
                st.session_state[key] = value
    st.session_state[DRAWN_LANG_KEY] = lang


def _push(state: FilterState) -> None:
    st.session_state[W["state"]] = state.state or ""
    st.session_state[W["round"]] = state.round or ""
    st.session_state[W["city"]] = state.city or ""
    st.session_state[W["as_of"]] = state.as_of.isoformat() if state.as_of else ""
    st.session_state[W["lang"]] = state.lang


def draw() -> Frame:
    """Draw the sidebar (data set, filters, vintage) and return the frame for the page."""
    lang = current_lang()
    _ = gettext(lang)
    _relabel(lang)
    url = _url_now()
    external = url != st.session_state.get(LAST_URL_KEY)
    kept: FilterState | None = st.session_state.get(FILTERS_KEY)
    warnings: list[str] = []
    empty_vocab = Vocabulary({}, {}, {}, {}, {})
    if external:
        source = encode(kept) if (not url and kept is not None) else url
        first, _ignored = decode({"dataset": source.get("dataset")}, empty_vocab)
        st.session_state[W["dataset"]] = first.dataset
    if st.session_state.get(W["dataset"]) == UPLOADED and data.uploaded() is None:
        warnings.append(
            _(
                "This link asks for uploaded data, but this session has none; showing the "
                "public record. Upload files on the 'Your data' page."
            )
        )
        st.session_state[W["dataset"]] = "public"

    sb = st.sidebar
    kinds = ["public", "synthetic"] + (["uploaded"] if data.uploaded() is not None else [])
    _sanitise(W["dataset"], kinds)
    if st.session_state[W["dataset"]] == "":
        st.session_state[W["dataset"]] = "public"
    kind = sb.radio(
        render.label_text(_("Data set")),
        kinds,
        key=W["dataset"],
        format_func=lambda k: _(DATASET_LABELS[k]),
        help=render.help_text(
            _(
                "The public record is compiled from official statements, each with its source. "
                "The synthetic sample is generated for demonstrations and is not real."
            )
        ),
    )
    dataset, engine, fallback = data.resolve(kind)
    for problem in (fallback, data.configuration_problem()):
        if problem:
            warnings.append(problem)
    vocab = engine.memo("vocabulary", lambda: vocabulary(dataset.cities, states()))

    if external:
        source = encode(kept) if (not url and kept is not None) else url
        decoded, bad = decode(source, vocab, lang=lang)
        warnings.extend(bad)
        warnings.extend(repeated({k: st.query_params.get_all(k) for k in KEYS}, KEYS, lang=lang))
        _push(decoded)

    state_opts = [""] + sorted(
        {s for s in vocab.city_state.values()}, key=lambda s: vocab.states.get(s, s)
    )
    _sanitise(W["state"], state_opts)
    all_states = _("All states/UTs")
    sb.selectbox(
        render.label_text(_("State/UT")),
        state_opts,
        key=W["state"],
        # Option labels may change with the language: Streamlit keeps a choice by its value.
        format_func=lambda s: (
            place_name("state", vocab.states.get(s, all_states), lang) if s else all_states
        ),
    )
    round_opts = [""] + sorted(vocab.rounds, key=lambda r: _round_order(vocab.rounds[r]))
    _sanitise(W["round"], round_opts)
    sb.selectbox(
        render.label_text(_("Selection round")),
        round_opts,
        key=W["round"],
        format_func=lambda r: _(vocab.rounds[r]) if r else _("All rounds"),
    )
    chosen_state, chosen_round = st.session_state[W["state"]], st.session_state[W["round"]]
    city_opts = [""] + sorted(
        (
            c
            for c in vocab.cities
            if (not chosen_state or vocab.city_state[c] == chosen_state)
            and (not chosen_round or vocab.city_round[c] == chosen_round)
        ),
        key=lambda c: vocab.cities[c],
    )
    _sanitise(W["city"], city_opts)
    sb.selectbox(
        render.label_text(_("City")),
        city_opts,
        key=W["city"],
        format_func=lambda c: place_name("city", vocab.cities[c], lang) if c else _("All cities"),
    )
    # National report dates where there are any (the public record); otherwise any level's
    # (an upload may hold only city figures).
    report_dates = engine.report_dates() or engine.report_dates(level=None)
    latest = report_dates[-1] if report_dates else None
    date_opts = [""] + [d.date().isoformat() for d in reversed(report_dates)]
    wanted = st.session_state.get(W["as_of"], "")
    if wanted and wanted not in date_opts:
        # A date from the URL that is not a report date stays selectable; anything else (the
        # browser can send back a stale option label when the data set changes) is dropped.
        if _is_iso_date(wanted):
            date_opts.insert(1, wanted)
        else:
            st.session_state[W["as_of"]] = ""
    sb.selectbox(
        render.label_text(_("Figures as on")),
        date_opts,
        key=W["as_of"],
        # Labels must not depend on the data set: the browser keeps a choice by its label.
        format_func=lambda d: _("Latest report") if not d else fmt.as_on(pd.Timestamp(d), lang),
        help=render.help_text(
            _("Each figure shown is the latest one reported on or before this date.")
        ),
    )

    if st.session_state.get(W["lang"]) not in LANGS:
        st.session_state[W["lang"]] = DEFAULT_LANG
    sb.radio(
        "Language / भाषा",
        LANGS,
        key=W["lang"],
        format_func=LANG_NAMES.__getitem__,
        horizontal=True,
        help="English or Hindi. / अंग्रेज़ी या हिन्दी।",
    )

    as_of_raw = st.session_state[W["as_of"]]
    filters = FilterState(
        state=chosen_state or None,
        round=chosen_round or None,
        city=st.session_state[W["city"]] or None,
        as_of=date.fromisoformat(as_of_raw) if as_of_raw else None,
        dataset=kind,
        lang=st.session_state[W["lang"]],
    )
    _write_url(filters)
    st.session_state[FILTERS_KEY] = filters

    _label(sb, dataset, latest, lang)
    frame = Frame(dataset, engine, filters, to_scope(filters, vocab), vocab, latest)
    _banner(frame, warnings, lang)
    return frame


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _round_order(name: str) -> int:
    return ROUNDS.index(name) if name in ROUNDS else len(ROUNDS)


def _write_url(filters: FilterState) -> None:
    options.write_params(KEYS, encode(filters), LAST_URL_KEY)


def _label(
    sb: st.delta_generator.DeltaGenerator, dataset: Dataset, latest: object, lang: str
) -> None:
    """Always say which data set is shown, and its vintage."""
    _ = gettext(lang)
    name = dataset_label(dataset, lang)
    if dataset.kind == SYNTHETIC:
        text = md(_("**SYNTHETIC DATA**: {}. Generated, not real figures."), name)
        render.warning(text, where=sb)
    elif dataset.kind == UPLOADED:
        text = md(_("**Your data**: {}"), name)
        render.info(text, icon=":material/upload_file:", where=sb)
    else:
        render.caption(md(_("Data set: **{}**"), name), where=sb)
    render.caption(md(_("Latest figures as on **{}**."), fmt.as_on(latest, lang)), where=sb)


def _banner(frame: Frame, warnings: list[str], lang: str) -> None:
    _ = gettext(lang)
    for text in warnings:
        render.warning(text, icon=":material/link_off:")
    if frame.synthetic:
        render.warning(
            md(
                _(
                    "**SYNTHETIC DATA.** Every figure on this page is generated for "
                    "demonstration. It is calibrated to national totals but is not a real "
                    "city's record."
                )
            ),
            icon=":material/science:",
        )
    elif frame.dataset.kind == UPLOADED:
        render.info(
            md(_("Showing **your uploaded data**: {}."), dataset_label(frame.dataset, lang)),
            icon=":material/upload_file:",
        )


def current() -> Frame:
    """The frame for this run: drawn by the router, or drawn now for a standalone page."""
    frame = st.session_state.pop(FRAME_KEY, None)
    if frame is None and PagesManager.uses_pages_directory:
        # A deep link (say /data) as the very first request after the server starts: Streamlit
        # has not yet run dashboard.py's st.navigation, so it ran this page the old "pages/
        # folder" way, without the router. Switch that mode off and run again through the
        # router, which serves the same URL path.
        PagesManager.uses_pages_directory = False
        st.rerun()
    return frame if frame is not None else draw()


def hand_over(frame: Frame) -> None:
    """Called by the router so the page it runs next uses the frame already drawn."""
    st.session_state[FRAME_KEY] = frame


def footer(frame: Frame) -> None:
    """Sources, licence and citation under every page, worded for the data set shown."""
    st.divider()
    _ = gettext(frame.lang)
    label = dataset_label(frame.dataset, frame.lang)
    if frame.dataset.kind == SYNTHETIC:
        text = md(
            _(
                "**{}**. SYNTHETIC: generated by `smartcities.synthetic` for demonstration, "
                "calibrated to the public record's national totals; no figure is a real "
                "city's. "
            ),
            label,
        )
    elif frame.dataset.kind == UPLOADED:
        text = md(
            _(
                "**{}**. Figures from your uploaded files, seen only in this session; their "
                "sources are as given in the files. "
            ),
            label,
        )
    else:
        n_sources = len(frame.engine.distinct("progress", "source_url"))
        text = md(
            _(
                "**{}**. {} distinct sources behind the progress figures; each figure's "
                "source is in its hover text, the Data page and the downloads. Data: facts "
                "from public Government of India statements; city coordinates from GeoNames "
                "(CC BY 4.0). Cite as: {} "
            ),
            label,
            fmt.count(n_sources),
            _(CITATION),
        )
    render.caption(
        text
        + md(
            _("Code: MIT licence. Maps: {}. Boundaries and locations are indicative."),
            BOUNDARY_CREDIT,
        )
    )
