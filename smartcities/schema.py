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
PROJECT_STAGES: tuple[str, ...] = ("tendered", "work_order_issued", "completed", "dropped")
COMPONENTS: tuple[str, ...] = ("area_based", "pan_city")
DATE_BASES: tuple[str, ...] = ("reported", "on_or_before")
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
    kind: str  # cumulative | snapshot | total | flag
    description: str


def _m(name: str, label: str, kind: str, description: str) -> Metric:
    unit = (
        "inr_crore"
        if name.endswith("_inr_crore")
        else "flag"
        if name.endswith("_flag")
        else "pct"
        if name.endswith("_pct")
        else "count"
    )
    return Metric(name, label, unit, kind, description)


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


def _url(label: str = "Source", required: bool = True) -> Field:
    return Field(
        "source_url",
        "string",
        "Where the figure was published (web page, parliamentary answer, or the file it came "
        "from). Derived values say `derived:<table>`.",
        label,
        required=required,
        nullable=not required,
    )


_NOTE = Field(
    "note",
    "string",
    "Caveats from the source: rounding, dating rules, wording.",
    "Note",
    required=False,
    nullable=True,
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
        ),
        Field(
            "city_name",
            "string",
            "City name as the mission uses it (current official name where the city was renamed).",
            "City",
            example="Prayagraj",
        ),
        Field(
            "state_ut",
            "string",
            "State or Union Territory (current name).",
            "State/UT",
            example="Uttar Pradesh",
        ),
        Field(
            "selection_round",
            "category",
            "Round of the Smart City Challenge in which the city was selected.",
            "Round",
            allowed=ROUNDS,
            nullable=True,
            example="Round 3",
        ),
        Field(
            "selection_date",
            "date",
            "Date the round's results were announced.",
            "Selected on",
            unit="date",
            nullable=True,
            example="2017-06-23",
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
            "level",
            "category",
            "Geographic or programme level of the figure.",
            "Level",
            allowed=LEVELS,
            example="state",
        ),
        Field(
            "area_id",
            "string",
            "Identifier of the area: `india`, a round slug "
            "(`round-1`), a state slug (`tamil-nadu`) or a city_id.",
            "Area ID",
            example="tamil-nadu",
        ),
        Field("area_name", "string", "Name of the area.", "Area", example="Tamil Nadu"),
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
            "The figure, in the metric's unit.",
            "Value",
            min_value=0.0,
            example="7741",
        ),
        Field(
            "unit",
            "category",
            "Unit of the value: `count`, `inr_crore` (₹ crore) or `flag`.",
            "Unit",
            allowed=("count", "inr_crore", "flag", "pct"),
            example="count",
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
        Field("city_id", "string", "City (see cities.city_id).", "City ID", example="pune"),
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
        ),
        Field(
            "cost_inr_crore",
            "float",
            "Cost of the ICCC, where known.",
            "Cost",
            unit="inr_crore",
            required=False,
            nullable=True,
            min_value=0.0,
            example="120",
        ),
        _url(),
        _NOTE,
    ),
    key=("city_id", "stage", "stage_date"),
)

PROJECTS = Table(
    "projects",
    "Projects",
    "Optional project list, as a city's or the ministry's MIS exports it. When given, city "
    "progress is derived from it.",
    (
        Field(
            "project_id",
            "string",
            "Project identifier, unique in the file.",
            "Project ID",
            unique=True,
            example="PUN-0001",
        ),
        Field("city_id", "string", "City (see cities.city_id).", "City ID", example="pune"),
        Field("project_name", "string", "Project name.", "Project", example="Smart roads"),
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
            "component",
            "category",
            "Area-based development or pan-city solution.",
            "Component",
            allowed=COMPONENTS,
            required=False,
            nullable=True,
            example="area_based",
        ),
        Field(
            "cost_inr_crore",
            "float",
            "Project cost.",
            "Cost",
            unit="inr_crore",
            min_value=0.0,
            example="45.5",
        ),
        Field(
            "stage",
            "category",
            "Latest stage reached.",
            "Stage",
            allowed=PROJECT_STAGES,
            example="completed",
        ),
        Field(
            "tendered_date",
            "date",
            "Date tendered.",
            "Tendered on",
            unit="date",
            required=False,
            nullable=True,
            example="2017-03-01",
        ),
        Field(
            "work_order_date",
            "date",
            "Date the work order was issued.",
            "Work order on",
            unit="date",
            required=False,
            nullable=True,
            example="2017-09-15",
        ),
        Field(
            "completed_date",
            "date",
            "Date completed.",
            "Completed on",
            unit="date",
            required=False,
            nullable=True,
            example="2020-02-28",
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
    return {"inr_crore": "₹ crore", "count": "number", "flag": "yes/no", "pct": "%"}[unit]
