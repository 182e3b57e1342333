"""Page models for the projects table: a city's project list, and the funnel broken down.

Pure functions of a projects frame (as :meth:`smartcities.query.Engine.projects` returns it);
the pages only lay out what these compute. A project counts at a funnel stage on a date by the
same rule as the derived progress figures (:mod:`smartcities.derive`): its own stage is that
stage or a later one, and it reached it by the date (the stage's own date, else the date its
record was updated, else the latest update in the table).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from smartcities import figures, fmt
from smartcities.i18n import DEFAULT_LANG, N_, gettext
from smartcities.iccc import STAGE_LABELS
from smartcities.schema import FUNNEL_RULE, PROJECT_STAGES

BREAKDOWNS = {
    "none": N_("No breakdown"),
    "sector": N_("Sector"),
    "component": N_("Area-based or pan-city"),
}
COMPONENT_LABELS = {
    "area_based": N_("Area-based development"),
    "pan_city": N_("Pan-city solution"),
}
COST_BASIS_LABELS = {"work_order": N_("work order"), "estimated": N_("estimated (DPR)")}
NOT_GIVEN = N_("not given")
AS_GIVEN = N_("as given")
# The funnel's stage names are its table's column headers (translated where shown).
_FUNNEL_NAMES = (N_("Tendered"), N_("Work order issued"), N_("Completed"))
# Funnel stage -> (stages that count, columns giving the date it was reached, first found).
FUNNEL = {header: (stages, dates) for _stem, header, stages, dates in FUNNEL_RULE}
LIST_COLUMNS = [
    "project_name",
    "stage",
    "sector",
    "component",
    "physical_progress_pct",
    "cost_inr_crore",
    "cost_basis",
    "work_order_date",
    "completed_date",
    "updated_on",
    "project_id",
]
LIST_UNITS = {"physical_progress_pct": "pct", "cost_inr_crore": "inr_crore"}


def _column(projects: pd.DataFrame, name: str) -> pd.Series:
    if name in projects:
        return projects[name]
    return pd.Series(pd.NA, index=projects.index, dtype="object")


def city_projects(projects: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """The city's projects, one row each, in stage order (latest stage first), then sector
    and name; codes replaced by labels (in ``lang``), missing text shown as 'not given'."""
    _ = gettext(lang)
    if projects.empty:
        return pd.DataFrame(columns=LIST_COLUMNS)
    out = pd.DataFrame({c: _column(projects, c) for c in LIST_COLUMNS})
    rank = {s: i for i, s in enumerate(reversed(PROJECT_STAGES[:-1]))}
    rank["dropped"] = len(rank)
    out["_rank"] = out["stage"].astype("string").map(rank).fillna(len(rank) + 1)
    out["_sector"] = out["sector"].astype("string").fillna("~")
    out = out.sort_values(["_rank", "_sector", "project_name"], kind="stable")
    out = out.drop(columns=["_rank", "_sector"]).reset_index(drop=True)
    out["stage"] = out["stage"].astype("string").map(lambda s: _(STAGE_LABELS.get(s, s)))
    out["component"] = (
        out["component"].astype("string").map(lambda c: _(COMPONENT_LABELS.get(c, NOT_GIVEN)))
    )
    out["sector"] = out["sector"].astype("string").fillna(_(NOT_GIVEN))
    out["cost_basis"] = (
        out["cost_basis"]
        .astype("string")
        .map(lambda b: _(COST_BASIS_LABELS.get(b, AS_GIVEN) if isinstance(b, str) else AS_GIVEN))
    )
    return out


def by_stage_and_sector(projects: pd.DataFrame, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """Number of projects and ₹ crore per stage and sector (stage ladder order)."""
    _ = gettext(lang)
    cols = ["stage", "sector", "projects", "cost_inr_crore"]
    if projects.empty:
        return pd.DataFrame(columns=cols)
    data = pd.DataFrame(
        {
            "stage": projects["stage"].astype("string"),
            "sector": _column(projects, "sector").astype("string").fillna(_(NOT_GIVEN)),
            "cost_inr_crore": projects["cost_inr_crore"],
        }
    )
    grouped = data.groupby(["stage", "sector"], as_index=False).agg(
        projects=("cost_inr_crore", "size"), cost_inr_crore=("cost_inr_crore", "sum")
    )
    order = {s: i for i, s in enumerate(PROJECT_STAGES)}
    grouped["_o"] = grouped["stage"].map(order).fillna(len(order))
    grouped = grouped.sort_values(["_o", "sector"]).drop(columns="_o")
    grouped["stage"] = grouped["stage"].map(lambda s: _(STAGE_LABELS.get(s, s)))
    return grouped[cols].reset_index(drop=True)


def reached(projects: pd.DataFrame, as_of: pd.Timestamp | None) -> pd.DataFrame:
    """One bool column per funnel stage: the project had reached it by ``as_of``."""
    stage = projects["stage"].astype("string")
    updated = pd.to_datetime(_column(projects, "updated_on"))
    latest = updated.max()
    out = pd.DataFrame(index=projects.index)
    for name, (stages, dates) in FUNNEL.items():
        when = pd.Series(pd.NaT, index=projects.index, dtype="datetime64[ns]")
        for col in dates:
            when = when.fillna(pd.to_datetime(_column(projects, col)))
        when = when.fillna(updated).fillna(latest)
        ok = stage.isin(stages).fillna(False).astype(bool)
        if as_of is not None:
            ok &= (when <= pd.Timestamp(as_of)).fillna(False).astype(bool)
        out[name] = ok
    return out


def funnel_breakdown(
    projects: pd.DataFrame,
    by: str,
    unit: str,
    as_of: pd.Timestamp | None,
    lang: str = DEFAULT_LANG,
) -> pd.DataFrame:
    """Projects (or ₹ crore) that reached each funnel stage, per sector or component.

    Columns: the group, then one per funnel stage (English names; the headers are translated
    where shown); groups with the most tendered first, group labels in ``lang``."""
    _ = gettext(lang)
    columns = ["group", *FUNNEL]
    if projects.empty or by not in ("sector", "component"):
        return pd.DataFrame(columns=columns)
    flags = reached(projects, as_of)
    group = _column(projects, by).astype("string")
    if by == "component":
        group = group.map(lambda c: _(COMPONENT_LABELS[c]) if c in COMPONENT_LABELS else pd.NA)
        group = group.astype("string")
    weights = (
        projects["cost_inr_crore"].astype("float64").fillna(0.0)
        if unit == "inr_crore"
        else pd.Series(1.0, index=projects.index)
    )
    values = flags.astype("float64").mul(weights, axis=0)
    values["group"] = group.fillna(_(NOT_GIVEN)).to_numpy()
    out = values.groupby("group", as_index=False)[list(FUNNEL)].sum()
    out = out.sort_values([*FUNNEL][:1], ascending=False, kind="stable")
    return out[columns].reset_index(drop=True)


def funnel_from_sums(sums: pd.DataFrame, by: str, lang: str = DEFAULT_LANG) -> pd.DataFrame:
    """:func:`funnel_breakdown`'s table from the per-value sums the engine computes in SQL
    (:meth:`smartcities.query.Engine.funnel_breakdown`): labels, "not given", the same order
    (group labels in ``lang``)."""
    _ = gettext(lang)
    columns = ["group", *FUNNEL]
    if sums.empty or by not in ("sector", "component"):
        return pd.DataFrame(columns=columns)
    group = sums["grp"].astype("string")
    if by == "component":
        group = group.map(lambda c: _(COMPONENT_LABELS[c]) if c in COMPONENT_LABELS else pd.NA)
        group = group.astype("string")
    values = sums[list(FUNNEL)].astype("float64").copy()
    values["group"] = group.fillna(_(NOT_GIVEN)).to_numpy()
    out = values.groupby("group", as_index=False)[list(FUNNEL)].sum()
    out = out.sort_values([*FUNNEL][:1], ascending=False, kind="stable")
    return out[columns].reset_index(drop=True)


def breakdown_chart(
    table: pd.DataFrame,
    *,
    unit: str,
    title: str,
    as_of: pd.Timestamp | None,
    synthetic: bool = False,
    lang: str = DEFAULT_LANG,
) -> go.Figure:
    """Grouped horizontal bars: each group's funnel stages side by side (text in ``lang``)."""
    _ = gettext(lang)
    if table.empty:
        return figures.empty_figure(_("No projects in this selection."), title)
    spec = figures.Spec(title, height=max(320, 60 * len(table) + 160))
    for i, stage in enumerate(FUNNEL):
        values = table[stage].tolist()
        spec.trace(
            "bar",
            name=_(stage),
            y=table["group"].astype(str).tolist(),
            x=values,
            orientation="h",
            marker={"color": figures.PALETTE[i % len(figures.PALETTE)]},
            customdata=[fmt.value(v, unit, lang) for v in values],
            hovertemplate="<b>%{y}</b><br>%{fullData.name}: %{customdata}<extra></extra>",
        )
    spec.update(barmode="group")
    spec.axis("yaxis", autorange="reversed")
    label = _("₹ crore") if unit == "inr_crore" else _("number of projects")
    spec.axis("xaxis", title=_("Projects reaching each stage ({unit})").format(unit=label))
    fig = spec.finish(source=_("the projects table"), as_of=as_of, synthetic=synthetic, lang=lang)
    values = [v for stage in FUNNEL for v in table[stage].tolist()]
    figures.indian_axis(fig, values, unit, axis="x", lang=lang)  # whole projects, Indian grouping
    return fig


def describe_breakdown(table: pd.DataFrame, unit: str, by: str, lang: str = DEFAULT_LANG) -> str:
    """Text summary of the breakdown (for screen readers and everyone)."""
    _ = gettext(lang)
    if table.empty:
        return _("No projects in this selection.")
    parts = [
        f"{g}: " + ", ".join(f"{_(s).lower()} {fmt.value(row[s], unit, lang)}" for s in FUNNEL)
        for g, row in zip(table["group"], table.to_dict("records"), strict=True)
    ]
    by_text = _("By {what}:").format(what=_(BREAKDOWNS.get(by, by)).lower())
    return by_text + " " + "; ".join(parts) + ("." if lang == DEFAULT_LANG else "।")


def iccc_projects(projects: pd.DataFrame, lang: str = DEFAULT_LANG) -> list[str]:
    """'<project name>: <stage label>' for each project marked as the city's ICCC."""
    _ = gettext(lang)
    if projects.empty or "iccc_flag" not in projects:
        return []
    marked = projects[projects["iccc_flag"].fillna(0).astype("int64") == 1]
    return [
        f"{name}: {_(STAGE_LABELS.get(str(stage), str(stage))).lower()}"
        for name, stage in zip(marked["project_name"], marked["stage"], strict=True)
    ]
