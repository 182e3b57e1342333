"""The data contract: every column of every table, defined once.

Each :class:`Field` carries the column's type, unit, description and allowed values. From these
definitions come the pandera validation schemas (:func:`pandera_schema`), dtype coercion, the
labels used in the UI and the data dictionary (``docs/data-dictionary.md`` and the
``datapackage.json`` in downloads). Nothing else in the code restates a column's meaning.

Progress figures are stored *long*: one row per (date, area, metric). The metric vocabulary is
defined here too (:data:`METRICS`), with each metric's unit and what it counts, because the
public record mixes cumulative counts ("projects completed so far") with snapshots ("projects at
tender stage today") and two different meanings of "projects total".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

ROUNDS: tuple[str, ...] = ("Round 1", "Fast Track", "Round 2", "Round 3", "Round 4")
LEVELS: tuple[str, ...] = ("national", "round", "state", "city")
ICCC_STAGES: tuple[str, ...] = ("tendered", "work_order_issued", "operational")
# The stage ladder of the mission's project MIS (GMIS), earliest first; "dropped" ends it anywhere.
PROJECT_STAGES: tuple[str, ...] = (
    "dpr_under_preparation",
    "dpr_approved",
    "tendered",
    "work_order_issued",
    "completed",
    "dropped",
)
# When a project counts at a funnel stage, one rule for the derived progress (derive.py), the
# funnel breakdown (query.py) and its pandas page model (projects_view.py): its own stage is
# one of these, and it reached the stage on the first of these dates that is given, else on
# the date its record was updated, else on the latest update in the table.
# (progress metric stem, funnel column header, stages that count, dates in order)
FUNNEL_RULE: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    (
        "projects_tendered",
        "Tendered",
        ("tendered", "work_order_issued", "completed"),
        ("tendered_date", "work_order_date", "completed_date"),
    ),
    (
        "work_orders_issued",
        "Work order issued",
        ("work_order_issued", "completed"),
        ("work_order_date", "completed_date"),
    ),
    ("projects_completed", "Completed", ("completed",), ("completed_date",)),
)
COST_BASES: tuple[str, ...] = ("work_order", "estimated")
COMPONENTS: tuple[str, ...] = ("area_based", "pan_city")
DATE_BASES: tuple[str, ...] = ("reported", "on_or_before")
# How sure a progress figure's date is (reference SOURCES.md, "date_basis"): ``as_on`` the source
# says the figures are as on that date; ``reply`` the date of the reply or report that published
# them, no as-on date given; ``on_or_before`` only an upper bound is known.
PROGRESS_DATE_BASES: tuple[str, ...] = ("as_on", "reply", "on_or_before")
EVENT_CATEGORIES: tuple[str, ...] = (
    "selection",
    "iccc",
    "deadline",
    "digital",
    "finance",
    "programme",
    "status",
)
UNITS: dict[str, str] = {
    "count": "number",
    "inr_crore": "₹ crore (1 crore = 10 million rupees)",
    "flag": "1 = yes",
    "pct": "per cent",
    "rank": "position in a ranking (1 = best)",
    "degrees": "decimal degrees (WGS 84)",
    "date": "calendar date (YYYY-MM-DD)",
}

if TYPE_CHECKING:
    import pandera.pandas as pa


@dataclass(frozen=True)
class Field:
    """One column of one table: the single definition everything else derives from."""

    name: str
    dtype: str  # "string" | "int" | "float" | "date" | "category"
    description: str
    label: str
    unit: str | None = None
    required: bool = True
    nullable: bool = False
    unique: bool = False
    allowed: tuple[str, ...] | None = None
    min_value: float | None = None
    max_value: float | None = None
    example: str = ""
    # On input (a file being loaded): what the loader fills this column from when a file lacks
    # it (so it is not required there), and which other columns can stand in for it.
    filled_on_input: str = ""
    input_alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table of the contract: its fields, its key and what it is for."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    optional_table: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def columns(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def required_columns(self) -> list[str]:
        return [f.name for f in self.fields if f.required]

    @property
    def input_required(self) -> list[tuple[str, ...]]:
        """Columns a file of this table must have, each with the columns that can stand in
        for it: the required ones the loader cannot fill in itself."""
        return [
            (f.name, *f.input_alternatives)
            for f in self.fields
            if f.required and not f.filled_on_input
        ]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


@dataclass(frozen=True)
class Metric:
    """A measure in the long progress table."""

    name: str
    label: str
    unit: str  # key of UNITS
    kind: str  # cumulative | snapshot | total | flag | rank
    description: str
    # Releases and utilisation that include the state's matching share: never added to,
    # compared with or charted as the central-only series (SOURCES.md, "state share").
    includes_state_share: bool = False


def _m(name: str, label: str, kind: str, description: str) -> Metric:
    unit = (
        "inr_crore"
        if name.endswith("_inr_crore")
        else "flag"
        if name.endswith("_flag")
        else "pct"
        if name.endswith("_pct")
        else "rank"
        if name.endswith("_rank")
        else "count"
    )
    return Metric(name, label, unit, kind, description, "incl_state_share" in name)


METRICS: dict[str, Metric] = {
    m.name: m
    for m in [
        _m(
            "projects_tendered_count",
            "Projects tendered",
            "cumulative",
            "Projects for which tenders have been issued, cumulative to the date.",
        ),
        _m(
            "projects_tendered_inr_crore",
            "Value of projects tendered",
            "cumulative",
            "Value of the projects tendered, cumulative, in ₹ crore.",
        ),
        _m(
            "work_orders_issued_count",
            "Work orders issued",
            "cumulative",
            "Projects with work orders issued (includes completed ones), cumulative. 2018–19 "
            "sources call these projects 'under implementation or completed' or 'grounded'.",
        ),
        _m(
            "work_orders_issued_inr_crore",
            "Value of work orders issued",
            "cumulative",
            "Value of the projects with work orders issued, cumulative, in ₹ crore.",
        ),
        _m(
            "projects_completed_count",
            "Projects completed",
            "cumulative",
            "Projects completed, cumulative to the date.",
        ),
        _m(
            "projects_completed_inr_crore",
            "Value of projects completed",
            "cumulative",
            "Value of the projects completed, cumulative, in ₹ crore.",
        ),
        _m(
            "projects_ongoing_count",
            "Projects ongoing",
            "snapshot",
            "Projects under implementation (work order issued, not yet complete) on the date.",
        ),
        _m(
            "projects_ongoing_inr_crore",
            "Value of projects ongoing",
            "snapshot",
            "Value of the projects under implementation on the date, in ₹ crore.",
        ),
        _m(
            "projects_at_tender_stage_count",
            "Projects at tender stage",
            "snapshot",
            "Projects tendered but without a work order on the date.",
        ),
        _m(
            "projects_at_tender_stage_inr_crore",
            "Value of projects at tender stage",
            "snapshot",
            "Value of the projects at tender stage on the date, in ₹ crore.",
        ),
        _m(
            "projects_at_work_order_stage_count",
            "Projects at work-order stage",
            "snapshot",
            "Projects with a work order but not complete on the date.",
        ),
        _m(
            "projects_at_work_order_stage_inr_crore",
            "Value at work-order stage",
            "snapshot",
            "Value of the projects at work-order stage on the date, in ₹ crore.",
        ),
        _m(
            "projects_at_tender_or_work_order_stage_inr_crore",
            "Value at tender or work-order stage",
            "snapshot",
            "Value of projects tendered or with work orders, not complete, in ₹ crore.",
        ),
        _m(
            "projects_completed_or_under_implementation_count",
            "Projects completed or under implementation",
            "cumulative",
            "Projects with work orders issued or completed (a source's combined figure).",
        ),
        _m(
            "projects_completed_or_under_implementation_inr_crore",
            "Value completed or under implementation",
            "cumulative",
            "Value of projects with work orders issued or completed, in ₹ crore.",
        ),
        _m(
            "proposed_projects_count",
            "Projects proposed at selection",
            "total",
            "Projects in the Smart City Proposals of the cities selected so far (2016–2019). "
            "Not the same series as projects taken up: the project list was re-scoped later.",
        ),
        _m(
            "proposed_investment_inr_crore",
            "Proposed investment at selection",
            "total",
            "Investment proposed in the Smart City Proposals of the cities selected so far, in "
            "₹ crore (ends at ₹2,05,018 crore for all 100 cities).",
        ),
        _m(
            "proposed_investment_area_based_inr_crore",
            "Proposed area-based investment",
            "total",
            "Area-based development part of the proposed investment, in ₹ crore.",
        ),
        _m(
            "proposed_investment_pan_city_inr_crore",
            "Proposed pan-city investment",
            "total",
            "Pan-city solutions part of the proposed investment, in ₹ crore.",
        ),
        _m(
            "projects_taken_up_count",
            "Projects taken up",
            "total",
            "Projects actually taken up by the cities after re-scoping (2020 onwards; about "
            "8,000). Not comparable with the proposals counted at selection.",
        ),
        _m(
            "projects_taken_up_inr_crore",
            "Value of projects taken up",
            "total",
            "Value of the projects taken up, in ₹ crore (about ₹1.6 lakh crore).",
        ),
        _m(
            "central_funds_released_inr_crore",
            "Central funds released",
            "cumulative",
            "Central government funds released (from 2025: central assistance claimed by cities), "
            "cumulative, in ₹ crore, against the ₹48,000 crore central commitment.",
        ),
        _m(
            "central_funds_released_in_fy_inr_crore",
            "Central funds released in the year",
            "snapshot",
            "Central funds released during one financial year, in ₹ crore; dated at "
            "the year's end (or the reply date for the current year).",
        ),
        _m(
            "funds_utilised_inr_crore",
            "Central funds utilised",
            "cumulative",
            "Central funds utilised by the cities, cumulative, in ₹ crore.",
        ),
        _m(
            "funds_released_incl_state_share_inr_crore",
            "Funds released incl. state share",
            "cumulative",
            "Central and state shares released together, cumulative, in ₹ crore. Not "
            "comparable with central funds released (central share only).",
        ),
        _m(
            "funds_utilised_incl_state_share_inr_crore",
            "Funds utilised incl. state share",
            "cumulative",
            "Utilisation out of releases that include the state share, cumulative, in ₹ crore. "
            "Not comparable with central funds utilised.",
        ),
        _m(
            "city_rank",
            "City rank",
            "rank",
            "The city's position in the Ministry's ranking of the 100 Smart Cities (1 = best). "
            "The ranking was updated often; most rank dates are upper bounds.",
        ),
        _m(
            "iccc_operational_count",
            "ICCCs operational",
            "cumulative",
            "Cities whose Integrated Command and Control Centre is operational.",
        ),
        _m(
            "iccc_under_implementation_count",
            "ICCCs under implementation",
            "snapshot",
            "Cities whose ICCC has a work order and is being built on the date.",
        ),
        _m(
            "iccc_tendered_count",
            "ICCCs at tender stage",
            "snapshot",
            "Cities whose ICCC is at tender stage on the date.",
        ),
        _m(
            "cities_selected_count",
            "Cities selected",
            "total",
            "Cities selected in the round (or so far).",
        ),
        _m(
            "smart_cities_count",
            "Smart Cities",
            "total",
            "Smart Cities in the state/UT (derived from the city list).",
        ),
        _m(
            "all_projects_completed_flag",
            "All projects completed",
            "flag",
            "1 if the source says the city has completed all its projects.",
        ),
        _m(
            "iccc_operational_flag",
            "ICCC operational",
            "flag",
            "1 if the source says the city's ICCC is operational on the date.",
        ),
    ]
}

# The central government's commitment to the mission (₹48,000 crore over the mission period).
CENTRAL_COMMITMENT_INR_CRORE = 48_000

# The largest figure a real record could hold, per unit; anything larger is a typing or unit
# error (a value in rupees given as crore, digits repeated) and is refused with a clear
# message rather than drawn. Generous on purpose: ten times any plausible national total.
# - count: 10 crore (1e8). India has about 8,000 towns; a programme of every town with a
#   thousand projects each is 80 lakh. (The synthetic scale test has about 10 lakh projects.)
# - inr_crore: ₹1 crore crore (1e7 crore = ₹10^14). The Union budget for 2025-26 is about
#   ₹50 lakh crore (5e6 crore); no urban mission's figure reaches twice the whole budget.
#   The whole Smart Cities Mission is about ₹1.6 lakh crore (1.6e5).
# - pct: 10,000% (utilisation above 100% can be reported; a hundredfold is an error).
# - flag: 1 (yes).
PLAUSIBLE_MAX: dict[str, float] = {
    "count": 1e8,
    "inr_crore": 1e7,
    "pct": 1e4,
    "flag": 1.0,
    "rank": 1e5,  # a position among towns: the national programmes reach about 4,500
}
# A single project or ICCC: ₹1 lakh crore, six times the cost of the whole mission's largest
# city plan and more than half the mission's total.
PLAUSIBLE_MAX_COST_INR_CRORE = 1e5


def _url(label: str = "Source", required: bool = True) -> Field:
    return Field(
        "source_url",
        "string",
        "Where the figure was published (web page, parliamentary answer, or the file it came "
        "from). Derived values say `derived:<table>`.",
        label,
        required=required,
        nullable=not required,
        filled_on_input="the file's name (file:<name>), with a warning",
    )


_NOTE = Field(
    "note",
    "string",
    "Caveats from the source: rounding, dating rules, wording.",
    "Note",
    required=False,
    nullable=True,
)

# A row's city in ICCC and projects: a file may name the city instead of giving its id.
_CITY_REF = Field(
    "city_id",
    "string",
    "City (see cities.city_id).",
    "City ID",
    example="pune",
    input_alternatives=("city_name",),
)

CITIES = Table(
    "cities",
    "Cities",
    "The Smart Cities (100 in the mission), with selection round, date and location.",
    (
        Field(
            "city_id",
            "string",
            "Stable identifier: lowercase slug of the city's name, used in URLs.",
            "City ID",
            unique=True,
            example="hubballi-dharwad",
            filled_on_input="the slug of city_name, or the reference list's id",
        ),
        Field(
            "city_name",
            "string",
            "City name as the mission uses it (current official name where the city was renamed).",
            "City",
            example="Prayagraj",
            input_alternatives=("city_id",),
        ),
        Field(
            "state_ut",
            "string",
            "State or Union Territory (current name).",
            "State/UT",
            example="Uttar Pradesh",
            filled_on_input="the reference list of Smart Cities",
        ),
        Field(
            "selection_round",
            "category",
            "Round of the Smart City Challenge in which the city was selected.",
            "Round",
            allowed=ROUNDS,
            nullable=True,
            example="Round 3",
            filled_on_input="the reference list of Smart Cities",
        ),
        Field(
            "selection_date",
            "date",
            "Date the round's results were announced.",
            "Selected on",
            unit="date",
            nullable=True,
            example="2017-06-23",
            filled_on_input="the reference list of Smart Cities",
        ),
        Field(
            "latitude",
            "float",
            "Latitude of the city centre.",
            "Latitude",
            unit="degrees",
            min_value=6.0,
            max_value=37.5,
            example="25.4358",
            filled_on_input="the reference list of Smart Cities",
        ),
        Field(
            "longitude",
            "float",
            "Longitude of the city centre.",
            "Longitude",
            unit="degrees",
            min_value=68.0,
            max_value=97.5,
            example="81.8464",
            filled_on_input="the reference list of Smart Cities",
        ),
        Field(
            "selection_name",
            "string",
            "Name under which the city was selected, where it differs from today's.",
            "Name at selection",
            required=False,
            nullable=True,
            example="Allahabad",
        ),
        _url(),
        _NOTE,
    ),
    key=("city_id",),
)

PROGRESS = Table(
    "progress",
    "Mission progress",
    "Progress figures in long form: one row per 'as on' date, area and metric, each with its "
    "source. Areas are the nation, a selection round, a state/UT or a city.",
    (
        Field(
            "as_of_date",
            "date",
            "Date the figure refers to ('as on'). Month-only dates "
            "are set to the 1st and say so in the note.",
            "As on",
            unit="date",
            example="2025-12-01",
        ),
        Field(
            "date_basis",
            "category",
            "How sure the date is. `as_on`: the source says the figure is as on this date. "
            "`reply`: the date of the parliamentary reply or report that published it (no "
            "as-on date stated). `on_or_before`: only an upper bound is known. Optional on "
            "input; a figure without it is `as_on`.",
            "Date basis",
            allowed=PROGRESS_DATE_BASES,
            required=False,
            example="as_on",
        ),
        Field(
            "level",
            "category",
            "Geographic or programme level of the figure.",
            "Level",
            allowed=LEVELS,
            example="state",
            filled_on_input="the area the row names (city, state/UT, round; national if none)",
        ),
        Field(
            "area_id",
            "string",
            "Identifier of the area: `india`, a round slug "
            "(`round-1`), a state slug (`tamil-nadu`) or a city_id.",
            "Area ID",
            example="tamil-nadu",
            filled_on_input="the city, state/UT or round the row names (india if national)",
        ),
        Field(
            "area_name",
            "string",
            "Name of the area.",
            "Area",
            example="Tamil Nadu",
            filled_on_input="the city, state/UT or round the row names (India if national)",
        ),
        Field(
            "state_ut",
            "string",
            "State/UT of a state- or city-level figure.",
            "State/UT",
            required=False,
            nullable=True,
            example="Tamil Nadu",
        ),
        Field(
            "metric",
            "category",
            "What is measured; see the metric list.",
            "Metric",
            allowed=tuple(METRICS),
            example="projects_completed_count",
        ),
        Field(
            "value",
            "float",
            "The figure, in the metric's unit. At most 10 crore (1e8) for counts and "
            "₹1 crore crore (1e7) for amounts: anything larger is a unit or typing error "
            "(see `PLAUSIBLE_MAX` in schema.py for why).",
            "Value",
            min_value=0.0,
            max_value=PLAUSIBLE_MAX["count"],
            example="7741",
        ),
        Field(
            "unit",
            "category",
            "Unit of the value: `count`, `inr_crore` (₹ crore), `flag` or `rank`.",
            "Unit",
            allowed=("count", "inr_crore", "flag", "pct", "rank"),
            example="count",
            filled_on_input="the metric's unit",
        ),
        _url(),
        _NOTE,
    ),
    key=("as_of_date", "level", "area_id", "metric", "source_url"),
)

ICCC = Table(
    "iccc",
    "ICCC stages by city",
    "For each city, the stages its Integrated Command and Control Centre reached, with dates.",
    (
        _CITY_REF,
        Field(
            "stage",
            "category",
            "Stage reached: tendered, work order issued (under implementation) or operational.",
            "Stage",
            allowed=ICCC_STAGES,
            example="operational",
        ),
        Field(
            "stage_date",
            "date",
            "Date the stage is reported.",
            "Date",
            unit="date",
            example="2018-06-18",
        ),
        Field(
            "date_basis",
            "category",
            "`reported`: the source reports the stage on this "
            "date. `on_or_before`: the stage was reached by this date at the latest (e.g. "
            "from a national 'all 100 cities' statement).",
            "Date basis",
            allowed=DATE_BASES,
            example="reported",
            filled_on_input="`reported` (a plain stage and date)",
        ),
        Field(
            "cost_inr_crore",
            "float",
            "Cost of the ICCC, where known (at most ₹1 lakh crore: larger is a unit error).",
            "Cost",
            unit="inr_crore",
            required=False,
            nullable=True,
            min_value=0.0,
            max_value=PLAUSIBLE_MAX_COST_INR_CRORE,
            example="120",
        ),
        _url(),
        _NOTE,
    ),
    key=("city_id", "stage", "stage_date"),
)


def _project_amount(name: str, description: str, label: str, example: str) -> Field:
    return Field(
        name,
        "float",
        description,
        label,
        unit="inr_crore",
        required=False,
        nullable=True,
        min_value=0.0,
        example=example,
    )


def _project_date(name: str, description: str, label: str, example: str) -> Field:
    return Field(
        name,
        "date",
        description + " Dates before the mission's launch (25 June 2015) or after today are "
        "errors: the cell is left blank.",
        label,
        unit="date",
        required=False,
        nullable=True,
        example=example,
    )


PROJECTS = Table(
    "projects",
    "Projects",
    "Optional project list, as a city's or the ministry's MIS exports it (the Geospatial MIS "
    "export is read as published). When given, city, state and national progress is derived "
    "from it.",
    (
        Field(
            "project_id",
            "string",
            "Project identifier, unique in the file (GMIS: `Project ID`, e.g. ODI-BHU-001).",
            "Project ID",
            unique=True,
            example="PUN-0001",
        ),
        _CITY_REF,
        Field("project_name", "string", "Project name.", "Project", example="Smart roads"),
        Field(
            "state_ut",
            "string",
            "State/UT as the file names it (current name); the city's own state is in cities.",
            "State/UT",
            required=False,
            nullable=True,
            example="Odisha",
        ),
        Field(
            "sector",
            "string",
            "Sector (e.g. mobility, water, ICCC).",
            "Sector",
            required=False,
            nullable=True,
            example="Urban mobility",
        ),
        Field(
            "category",
            "string",
            "The MIS category of the project, as written in the file (e.g. 'Other ABD "
            "interventions').",
            "Category",
            required=False,
            nullable=True,
            example="Other ABD interventions",
        ),
        Field(
            "component",
            "category",
            "Area-based development or pan-city solution (from the category where the file "
            "gives one; see data/vocab/project_categories.csv).",
            "Component",
            allowed=COMPONENTS,
            required=False,
            nullable=True,
            example="area_based",
        ),
        Field(
            "iccc_flag",
            "int",
            "1 if this is the city's Integrated Command and Control Centre project (GMIS "
            "`Internal Category` = ICCC).",
            "ICCC project",
            unit="flag",
            required=False,
            nullable=True,
            min_value=0.0,
            max_value=1.0,
            example="1",
        ),
        Field(
            "cost_inr_crore",
            "float",
            "Project cost: the work-order cost where there is one, else the estimated (DPR) "
            "cost; `cost_basis` says which (at most ₹1 lakh crore: larger is a unit error).",
            "Cost",
            unit="inr_crore",
            min_value=0.0,
            max_value=PLAUSIBLE_MAX_COST_INR_CRORE,
            example="45.5",
            input_alternatives=("work_order_cost_inr_crore", "estimated_cost_inr_crore"),
        ),
        Field(
            "cost_basis",
            "category",
            "Which cost `cost_inr_crore` is: `work_order` (cost as per work order) or "
            "`estimated` (DPR / estimated project cost). Empty when the file gave one cost.",
            "Cost basis",
            allowed=COST_BASES,
            required=False,
            nullable=True,
            example="work_order",
        ),
        _project_amount(
            "estimated_cost_inr_crore",
            "DPR cost / estimated project cost.",
            "Estimated cost",
            "52",
        ),
        _project_amount(
            "work_order_cost_inr_crore", "Cost as per the work order.", "Work-order cost", "45.5"
        ),
        _project_amount(
            "scm_share_inr_crore",
            "Part of the cost funded by the Smart Cities Mission (GMIS `SCM`).",
            "SCM share",
            "30",
        ),
        _project_amount(
            "convergence_inr_crore",
            "Part funded through convergence with other missions and schemes.",
            "Convergence",
            "10",
        ),
        _project_amount("ppp_inr_crore", "Part funded by public-private partnership.", "PPP", "5"),
        _project_amount(
            "own_resources_inr_crore", "Part funded from the city's own resources.", "Own", "0.5"
        ),
        _project_amount(
            "financial_progress_inr_crore",
            "Amount spent on the project so far (GMIS `Financial Progress`).",
            "Financial progress",
            "20.1",
        ),
        Field(
            "physical_progress_pct",
            "float",
            "Physical progress of the work, in per cent.",
            "Physical progress",
            unit="pct",
            required=False,
            nullable=True,
            min_value=0.0,
            max_value=100.0,
            example="65",
        ),
        Field(
            "utilisation_pct",
            "float",
            "Financial progress as a share of the cost, in per cent, as the file gives it.",
            "Utilisation",
            unit="pct",
            required=False,
            nullable=True,
            min_value=0.0,
            example="44.2",
        ),
        Field(
            "stage",
            "category",
            "Latest stage reached, on the MIS ladder: DPR under preparation, DPR approved, "
            "tendered, work order issued, completed (or dropped).",
            "Stage",
            allowed=PROJECT_STAGES,
            example="completed",
        ),
        _project_date(
            "dpr_approved_date", "Date the DPR was approved.", "DPR approved on", "2016-11-02"
        ),
        _project_date("tendered_date", "Date tendered.", "Tendered on", "2017-03-01"),
        _project_date(
            "work_order_date", "Date the work order was issued.", "Work order on", "2017-09-15"
        ),
        _project_date("start_date", "Actual date the work started.", "Started on", "2017-10-01"),
        _project_date("completed_date", "Date completed.", "Completed on", "2020-02-28"),
        _project_date(
            "updated_on",
            "Date the project's record was last updated (GMIS `Updated On`): the date its "
            "stage and progress are as on.",
            "Updated on",
            "2019-06-30",
        ),
        _url(required=False),
    ),
    key=("project_id",),
    optional_table=True,
)

EVENTS = Table(
    "events",
    "Mission events",
    "Dated milestones of the mission: launch, selection rounds, ICCC landmarks, deadline "
    "extensions, digital programmes, financial closure.",
    (
        Field(
            "event_date",
            "date",
            "Date of the event (month-only dates use the 1st).",
            "Date",
            unit="date",
            example="2021-02-23",
        ),
        Field(
            "event",
            "string",
            "What happened.",
            "Event",
            example="National Urban Digital Mission launched",
        ),
        Field(
            "category",
            "category",
            "Kind of event.",
            "Category",
            allowed=EVENT_CATEGORIES,
            example="digital",
        ),
        _url(),
    ),
    key=("event_date", "event"),
)

TABLES: dict[str, Table] = {t.name: t for t in (CITIES, PROGRESS, ICCC, PROJECTS, EVENTS)}

_PANDERA_DTYPES = {
    "string": "string",
    "category": "string",
    "int": "Int64",
    "float": "float64",
    "date": "datetime64[ns]",
}


def pandas_dtype(f: Field) -> str:
    """The pandas dtype a column is coerced to after normalisation."""
    return _PANDERA_DTYPES[f.dtype]


def pandera_schema(table: Table) -> pa.DataFrameSchema:
    """Build the pandera schema for a table from its field definitions."""
    # Imported here: pandera takes ~0.5 s to import, and serving from a store never validates.
    import pandera.pandas as pa

    columns: dict[str, pa.Column] = {}
    for f in table.fields:
        checks: list[pa.Check] = []
        if f.allowed is not None:
            checks.append(pa.Check.isin(list(f.allowed), error=f"must be one of {f.allowed}"))
        if f.min_value is not None:
            checks.append(pa.Check.ge(f.min_value, error=f"must be at least {f.min_value:g}"))
        if f.max_value is not None:
            checks.append(pa.Check.le(f.max_value, error=f"must be at most {f.max_value:g}"))
        if f.dtype in ("string", "category") and not f.nullable:
            checks.append(pa.Check.str_length(min_value=1, error="must not be empty"))
        columns[f.name] = pa.Column(
            pandas_dtype(f),
            checks=checks,
            nullable=f.nullable,
            unique=f.unique,
            required=f.required,
            coerce=False,
        )
    return pa.DataFrameSchema(columns, strict=False, name=table.name)


def empty_frame(table: Table) -> pd.DataFrame:
    """An empty table with the contract's columns and dtypes."""
    return pd.DataFrame({f.name: pd.Series(dtype=pandas_dtype(f)) for f in table.fields})


def label(column: str, table: str | None = None) -> str:
    """UI label for a column name, with its unit where it has one."""
    tables = [TABLES[table]] if table else list(TABLES.values())
    for t in tables:
        for f in t.fields:
            if f.name == column:
                if f.unit in ("inr_crore",):
                    return f"{f.label} (₹ crore)"
                return f.label
    if column in METRICS:
        m = METRICS[column]
        return f"{m.label} (₹ crore)" if m.unit == "inr_crore" else m.label
    return column.replace("_", " ").capitalize()


def metric_unit_label(metric: str) -> str:
    """Axis/legend unit text for a metric."""
    unit = METRICS[metric].unit
    return {
        "inr_crore": "₹ crore",
        "count": "number",
        "flag": "yes/no",
        "pct": "%",
        "rank": "rank (1 = best)",
    }[unit]
