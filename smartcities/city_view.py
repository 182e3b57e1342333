"""The City profile page's model: the picker, or one city's profile (no Streamlit).

``picker(engine, scope)`` lists the cities of a selection; ``profile(engine, scope, city_id)``
gathers what the page shows for a city: its facts, locator map, cards, timeline, peers, every
reported figure, its ICCC record, its projects, its state's figures and its round peers, each
with the message to show when the data set has none. ``pages/city.py`` lays it out. The
figures and tables come from the pure helpers of :mod:`smartcities.cityprofile`,
:mod:`smartcities.iccc` and :mod:`smartcities.projects_view`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from smartcities import boundaries, cityprofile, fmt, iccc, maps, projects_view
from smartcities.dataset import place_name
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.metrics import Kpi
from smartcities.pageparts import Chart, TableView
from smartcities.query import Engine, Scope
from smartcities.safe import Safe, join, md, trusted

BOUNDED_ICCC = N_(
    "The actual date is not published: a national statement says every ICCC was operational "
    "by this date."
)


@dataclass(frozen=True)
class Picker:
    """The page without a city: a choice of the selection's cities and their table."""

    title: str
    message: str | None  # no city matches the filters
    choices: dict[str, str]  # city_id → name as shown
    label: str
    placeholder: str
    table: pd.DataFrame


@dataclass(frozen=True)
class Progress:
    """The city's reported progress: cards, timeline, its place among peers, every figure."""

    heading: str
    message: str | None  # the data set has no city figures for it
    cards: list[Kpi]
    timeline: Chart | None
    peers_heading: Safe
    peers: pd.DataFrame
    peers_caption: str
    figures: TableView | None


@dataclass(frozen=True)
class Iccc:
    """The city's ICCC: its furthest stage with how sure the date is, every stage on record."""

    heading: str
    message: str | None
    status: Safe | None
    bounded_note: str | None  # the date is only an "on or before" bound
    history: TableView | None


@dataclass(frozen=True)
class Projects:
    """The city's projects (when the data set lists them): by stage and sector, then each."""

    heading: str
    captions: tuple[str, ...]
    tables: tuple[TableView, ...]


@dataclass(frozen=True)
class Profile:
    city_id: str
    name: str  # as shown, in the page's language
    state: str  # the data's name (for the filter links)
    shown_state: str
    facts: Safe
    note: str | None  # the data's note on the city (data text)
    as_on: Safe
    locator: Chart
    progress: Progress
    iccc: Iccc
    projects: Projects | None
    state_heading: str
    state_message: str | None
    state_figures: TableView | None
    peers_heading: str | None
    round_peers: pd.DataFrame  # city_id, city_name (as shown), same_state
    iccc_link: str
    progress_link: str


def picker(engine: Engine, scope: Scope, lang: str = DEFAULT_LANG) -> Picker:
    """The cities of the selection, to choose one."""
    _ = gettext(lang)
    cities = engine.cities(scope).sort_values("city_name")
    choices = {
        c: place_name("city", n, lang) for c, n in zip(cities["city_id"], cities["city_name"])
    }
    return Picker(
        _("City profile"),
        _("No city matches the filters. Clear the state or round filter in the sidebar.")
        if cities.empty
        else None,
        choices,
        _("Choose one of the {n} cities of this selection").format(n=fmt.count(len(cities))),
        _("Type a city name"),
        cityprofile.city_list(cities, lang),
    )


def _progress(
    engine: Engine,
    scope: Scope,
    city_id: str,
    name: str,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool,
    lang: str,
) -> Progress:
    _ = gettext(lang)
    heading = _("Progress reported for the city")
    rows = engine.progress(scope, levels=("city",))
    if rows.empty:
        message = _("No progress figures have been reported for {name} in this data set.")
        empty = pd.DataFrame()
        return Progress(heading, message.format(name=name), [], None, trusted(""), empty, "", None)
    latest = engine.latest(scope, levels=("city",))
    line = cityprofile.timeline_chart(rows, name, as_of=as_of, synthetic=synthetic, lang=lang)
    everyone = engine.latest(Scope(as_of=scope.as_of), levels=("city",))
    return Progress(
        heading,
        None,
        cityprofile.cards(latest, lang),
        None if line is None else Chart(*line, key="city_line"),
        md(_("**How {} compares** with the cities of its round and its state"), name),
        cityprofile.peers(city_id, engine.cities(Scope()), everyone, lang),
        _(cityprofile.PEERS_CAPTION),
        TableView(cityprofile.figures_table(rows, rows, lang), {}, key="city_progress"),
    )


def _iccc(rows: pd.DataFrame, name: str, as_of: pd.Timestamp | None, lang: str) -> Iccc:
    _ = gettext(lang)
    heading = _("Integrated Command and Control Centre")
    status = iccc.iccc_status(rows)
    if status.empty:
        message = _("No ICCC stage is on record for {name} by {date}.")
        return Iccc(
            heading, message.format(name=name, date=fmt.as_on(as_of, lang)), None, None, None
        )
    first = status.iloc[0]
    when = fmt.dated(first["stage_date"], first["date_basis"], lang)
    stage = iccc.label_stages(status.iloc[:1][["stage"]], lang)["stage"].iat[0]
    history = iccc.label_stages(
        rows[["stage", "stage_date", "date_basis", "source_url", "note"]], lang
    )
    return Iccc(
        heading,
        None,
        md("**{}** {}.", stage, when),
        _(BOUNDED_ICCC) if first["date_basis"] == "on_or_before" else None,
        TableView(history.fillna({"note": ""}), {}, key="city_iccc"),
    )


def _projects(projects: pd.DataFrame, name: str, lang: str) -> Projects | None:
    """The projects block (``name`` as shown); None when the data set lists none for the city."""
    if projects.empty:
        return None
    _ = gettext(lang)
    updated = pd.to_datetime(projects.get("updated_on", pd.Series(dtype="object"))).max()
    when = (
        " " + _("Records last updated on {date}.").format(date=fmt.as_on(updated, lang))
        if pd.notna(updated)
        else ""
    )
    captions = [
        _("Projects of {city} in the projects table, by their latest stage.").format(city=name)
        + when
        + " "
        + _(
            "Cost is the work-order cost where there is one, else the estimated cost (see "
            "'Cost basis')."
        )
    ]
    listed = projects_view.iccc_projects(projects, lang)
    if listed:
        # Project names are the file's text: escaped when shown, never Markdown.
        captions.append(
            _("ICCC project in the list: {projects}.").format(projects="; ".join(listed))
        )
    units = {"projects": "count", "cost_inr_crore": "inr_crore"}
    return Projects(
        _("Projects ({n})").format(n=fmt.count(len(projects))),
        tuple(captions),
        (
            TableView(
                projects_view.by_stage_and_sector(projects, lang), units, key="city_projects"
            ),
            TableView(
                projects_view.city_projects(projects, lang),
                projects_view.LIST_UNITS,
                key="city_project_list",
            ),
        ),
    )


def profile(
    engine: Engine,
    scope: Scope,
    city_id: str,
    *,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> Profile:
    """Everything the City profile shows for ``city_id`` (a city of the data set), in ``lang``;
    ``scope`` is the selection (its date in force applies to every figure)."""
    _ = gettext(lang)
    city = engine.cities(Scope(city_id=city_id)).iloc[0]
    name, state = str(city["city_name"]), str(city["state_ut"])
    rnd = None if pd.isna(city["selection_round"]) else str(city["selection_round"])
    shown_name, shown_state = place_name("city", name, lang), place_name("state", state, lang)

    facts = [md("**{}**", shown_state), md("**{}**", _(rnd) if rnd else _("round not known"))]
    if pd.notna(city.get("selection_date")):
        facts.append(_("selected on {date}").format(date=fmt.as_on(city["selection_date"], lang)))
    if pd.notna(city.get("selection_name")) and city["selection_name"] != name:
        facts.append(_("selected as {name}").format(name=city["selection_name"]))
    locator = maps.locator_figure(city, boundaries.bundled_shapes(), synthetic=synthetic, lang=lang)

    state_latest = engine.latest(Scope(state_ut=state, as_of=scope.as_of), levels=("state",))
    peers = engine.cities(Scope(round=rnd)).sort_values("city_name") if rnd else None
    if peers is not None:
        peers = peers[peers["city_id"] != city_id]
        # Buttons move to the peer; a peer in another state clears the state filter.
        peers = pd.DataFrame(
            {
                "city_id": peers["city_id"],
                "city_name": [place_name("city", n, lang) for n in peers["city_name"]],
                "same_state": (peers["state_ut"] == state).to_numpy(dtype=bool),
            }
        )
    no_state = _("No state-level figures have been reported for {state} in this data set.")
    return Profile(
        city_id=city_id,
        name=shown_name,
        state=state,
        shown_state=shown_state,
        facts=join(" · ", facts),
        note=str(city["note"]) if pd.notna(city.get("note")) else None,
        as_on=md(_("Figures as on **{}**."), fmt.as_on(as_of, lang)),
        locator=Chart(locator, maps.locator_text(city), key="locator"),
        progress=_progress(
            engine, scope, city_id, shown_name, as_of=as_of, synthetic=synthetic, lang=lang
        ),
        iccc=_iccc(engine.iccc(Scope(city_id=city_id, as_of=scope.as_of)), shown_name, as_of, lang),
        projects=_projects(engine.projects(Scope(city_id=city_id)), shown_name, lang),
        state_heading=_("{state}: latest state figures").format(state=shown_state),
        state_message=no_state.format(state=shown_state) if state_latest.empty else None,
        state_figures=None
        if state_latest.empty
        else TableView(
            cityprofile.figures_table(state_latest, state_latest, lang), {}, key="city_state"
        ),
        peers_heading=_("Other cities of {round} ({n})").format(
            round=_(rnd), n=fmt.count(len(peers))
        )
        if peers is not None
        else None,
        round_peers=peers
        if peers is not None
        else pd.DataFrame(columns=["city_id", "city_name", "same_state"]),
        iccc_link=_("ICCC rollout in {state}").format(state=shown_state),
        progress_link=_("Mission progress: {name}").format(name=shown_name),
    )
