"""The steps one table needs beyond header mapping and cell parsing: the cities table against
the reference list, city references in ICCC and projects rows, progress metrics, units and
areas, and the checks every projects file gets (see :mod:`smartcities.gmis`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from smartcities import gmis
from smartcities.names import match_key, slugify
from smartcities.normalise.columns import map_unique, resolve_cities, resolve_states, to_numbers
from smartcities.normalise.context import Rows
from smartcities.normalise.headers import canonical_metric, metric_suggestions
from smartcities.normalise.places import CityIndex, alias_warning, did_you_mean, state_ids
from smartcities.normalise.synonyms import value_synonyms
from smartcities.schema import LEVELS, METRICS, ROUNDS


def cities(frame: pd.DataFrame, rs: Rows) -> pd.DataFrame:
    """Cities table: canonical names via the reference and aliases; ids derived if absent."""
    ctx, bad, flagged, rows = rs.ctx, rs.bad, rs.flagged, rs.numbers
    ref = CityIndex.build(ctx.reference)
    if "state_ut" in frame:
        frame["state_ut"] = resolve_states(frame["state_ut"], rs, "state_ut")
    has_id = "city_id" in frame
    names = (
        frame["city_name"]
        if "city_name" in frame
        else pd.Series(pd.NA, index=frame.index, dtype="string")
    )
    ids = frame["city_id"] if has_id else pd.Series(pd.NA, index=frame.index, dtype="string")
    out_id, out_name = ids.copy(), names.copy()
    aliases: dict[str, str] = {}
    for pos in range(len(frame)):
        raw_id = None if pd.isna(ids.iat[pos]) else str(ids.iat[pos])
        raw_name = None if pd.isna(names.iat[pos]) else str(names.iat[pos])
        row = int(rows.iat[pos])
        by_id = ref.by_id(raw_id) if raw_id else None
        by_name = None
        if raw_name and not ref.empty:
            by_name, via_alias, suggestions = ref.by_name(raw_name)
            if by_name is not None:
                if via_alias:
                    aliases[raw_name] = ref.name_of[by_name]
            elif suggestions and by_id is None:
                ctx.row_issue(
                    "warning",
                    f"'{raw_name}' is not in the reference list of Smart Cities; kept as a "
                    "new city",
                    row=row,
                    column="city_name",
                    table="cities",
                    value=raw_name,
                    fix=did_you_mean(suggestions) + " If so, correct the name.",
                )
        if by_id and by_name and by_id != by_name:
            bad[pos] = True
            flagged.update({(pos, "city_id"), (pos, "city_name")})
            ctx.row_issue(
                "error",
                f"city_id '{raw_id}' is {ref.name_of[by_id]} in the reference list, but "
                f"city_name says '{raw_name}'",
                row=row,
                column="city_name",
                table="cities",
                value=raw_name,
                fix="Correct the city_id or the city_name.",
            )
            continue
        cid = by_id or by_name
        if cid is not None:
            out_name.iat[pos] = ref.name_of[cid]
            if raw_id is None or raw_id.lower() == cid.lower():
                out_id.iat[pos] = cid
            else:
                ctx.row_issue(
                    "warning",
                    f"city_id '{raw_id}' differs from the reference id '{cid}' of "
                    f"{ref.name_of[cid]}; merged with the public record, they count as two "
                    "cities",
                    row=row,
                    column="city_id",
                    table="cities",
                    value=raw_id,
                    fix=f"Use city_id '{cid}' unless the difference is intended.",
                )
        elif raw_id is None and raw_name is not None:
            out_id.iat[pos] = slugify(raw_name)
    alias_warning(ctx.report, ctx.file, "city", aliases, table="cities", column="city_name")
    frame["city_id"] = out_id.astype("string")
    frame["city_name"] = out_name.astype("string")
    return frame


def fill_from_reference(frame: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Uploaded cities: take missing state, round, date and coordinates from the reference."""
    ref = reference.set_index("city_id")
    known = frame["city_id"].isin(ref.index)
    if not known.any():
        return frame
    for col in (
        "city_name",
        "state_ut",
        "selection_round",
        "selection_date",
        "latitude",
        "longitude",
        "selection_name",
    ):
        if col not in ref:
            continue
        values = frame["city_id"].map(ref[col])
        if col not in frame:
            frame[col] = values.where(known)
            continue
        gap = frame[col].isna() & known
        if gap.any():
            frame.loc[gap, col] = values[gap]
    return frame


def city_refs(frame: pd.DataFrame, rs: Rows) -> pd.DataFrame:
    """ICCC and projects rows: the city each names, resolved against the known cities."""
    index = rs.ctx.city_index
    if index.empty:
        if "city_id" not in frame:
            frame["city_id"] = map_unique(frame["city_name"], slugify)
        return frame
    cid, _ = resolve_cities(frame, index, rs)
    frame["city_id"] = cid
    return frame


def progress(frame: pd.DataFrame, rs: Rows) -> pd.DataFrame:
    """Progress: metric names, area resolution by level, units from the metric, values."""
    ctx, bad, flagged, rows = rs.ctx, rs.bad, rs.flagged, rs.numbers
    n = len(frame)

    # Metric.
    metric = frame["metric"].astype("string")
    canon = map_unique(metric, lambda v: canonical_metric(v) or f"?{v}")
    for pos in np.flatnonzero(
        canon.fillna("").str.startswith("?").to_numpy() | canon.isna().to_numpy()
    ):
        raw = metric.iat[pos]
        bad[pos] = True
        flagged.update({(pos, "metric"), (pos, "unit"), (pos, "value")})
        if pd.isna(raw):
            ctx.row_issue(
                "error",
                "metric is empty",
                row=int(rows.iat[pos]),
                column="metric",
                table="progress",
                fix="Name the measure, e.g. projects_completed_count.",
            )
            continue
        sugg = metric_suggestions(str(raw))
        ctx.row_issue(
            "error",
            f"unknown metric '{raw}'",
            row=int(rows.iat[pos]),
            column="metric",
            table="progress",
            value=raw,
            fix=("Did you mean " + " or ".join(sugg) + "?")
            if sugg
            else "Use a metric from the data dictionary, e.g. projects_completed_count.",
        )
    canon = canon.where(~canon.fillna("").str.startswith("?"), metric)
    frame["metric"] = canon.astype("string")
    metric_unit = frame["metric"].map({m: METRICS[m].unit for m in METRICS}).astype("string")

    # Unit: from the metric; a given unit must agree.
    if "unit" in frame:
        given = frame["unit"].astype("string")
        clash = given.notna() & metric_unit.notna() & (given != metric_unit.astype("string"))
        for pos in np.flatnonzero(clash.to_numpy(dtype=bool, na_value=False)):
            bad[pos] = True
            flagged.add((pos, "unit"))
            ctx.row_issue(
                "error",
                f"unit '{given.iat[pos]}' does not fit metric {frame['metric'].iat[pos]}",
                row=int(rows.iat[pos]),
                column="unit",
                table="progress",
                value=given.iat[pos],
                fix=f"The unit of this metric is '{metric_unit.iat[pos]}' (or leave it empty).",
            )
        frame["unit"] = given.where(given.notna(), metric_unit.astype("string"))
    else:
        frame["unit"] = metric_unit.astype("string")

    # Value, in the metric's unit.
    frame["value"] = to_numbers(
        frame["value"],
        rs,
        "value",
        units=metric_unit.astype(object).where(metric_unit.notna(), None),
    )

    # Area.
    frame = _areas(frame, rs)
    assert len(frame) == n
    return frame


def _areas(frame: pd.DataFrame, rs: Rows) -> pd.DataFrame:
    """Level, area_id, area_name and state_ut for each progress row."""
    ctx, bad, flagged, rows = rs.ctx, rs.bad, rs.flagged, rs.numbers
    na = pd.Series(pd.NA, index=frame.index, dtype="string")
    level = frame["level"] if "level" in frame else na.copy()
    area_id = frame["area_id"] if "area_id" in frame else na.copy()
    area_name = frame["area_name"] if "area_name" in frame else na.copy()
    city_id = frame["city_id"] if "city_id" in frame else na.copy()
    city_name = frame["city_name"] if "city_name" in frame else na.copy()
    state = frame["state_ut"] if "state_ut" in frame else na.copy()

    # Fill in a missing level from what the row names.
    has_city = city_id.notna() | city_name.notna()
    inferred = pd.Series(
        np.where(
            has_city,
            "city",
            np.where(
                area_id.notna() | area_name.notna(),
                "",
                np.where(state.notna(), "state", "national"),
            ),
        ),
        index=frame.index,
        dtype="string",
    )
    level = level.where(level.notna(), inferred)
    index = ctx.city_index
    harm = ctx.harmoniser
    rounds = {match_key(r): r for r in ROUNDS} | {match_key(slugify(r)): r for r in ROUNDS}
    # Area given without a level: work out which kind of area it names.
    for pos in np.flatnonzero((level == "").to_numpy(dtype=bool, na_value=False)):
        raw = area_name.iat[pos] if pd.notna(area_name.iat[pos]) else area_id.iat[pos]
        key = match_key(str(raw))
        if key in ("india", "allindia", "national", "total", "indiatotal"):
            level.iat[pos] = "national"
        elif key in rounds:
            level.iat[pos] = "round"
        elif harm.resolve("state", str(raw)).canonical:
            level.iat[pos] = "state"
        else:
            level.iat[pos] = "city"

    out_id = area_id.astype("string").copy()
    out_name = area_name.astype("string").copy()
    out_state = state.astype("string").copy()

    # Cities.
    is_city = (level == "city").to_numpy(dtype=bool, na_value=False)
    if is_city.any():
        tmp = pd.DataFrame(
            {
                "area_id": city_id.where(city_id.notna(), area_id),
                "area_name": city_name.where(city_name.notna(), area_name),
            }
        )
        if index.empty:
            ids = tmp["area_id"].where(
                tmp["area_id"].notna(),
                map_unique(tmp["area_name"], slugify),
            )
            out_id[is_city] = ids[is_city]
            names = tmp["area_name"].where(tmp["area_name"].notna(), tmp["area_id"])
            out_name[is_city] = names[is_city]
        else:
            cid, cname = resolve_cities(
                tmp,
                index,
                rs,
                mask=pd.Series(is_city, index=frame.index),
                id_col="area_id",
                name_col="area_name",
            )
            out_id[is_city] = cid[is_city]
            out_name[is_city] = cname[is_city]
            states = cid.map(index.state_of)
            fill = pd.Series(is_city, index=frame.index) & out_state.isna()
            out_state[fill] = states[fill].astype("string")

    # States: resolve the name, derive the id.
    is_state = (level == "state").to_numpy(dtype=bool, na_value=False)
    if is_state.any():
        ids_of_states = state_ids()
        raw = area_name.where(area_name.notna(), state).where(lambda s: s.notna(), area_id)
        names = resolve_states(raw.where(pd.Series(is_state, index=frame.index)), rs, "area_name")
        out_name[is_state] = names[is_state]
        out_id[is_state] = names.map(ids_of_states).astype("string")[is_state]
        out_state[is_state] = names[is_state]

    # The state of city rows, where given, is canonicalised too.
    if is_city.any() and "state_ut" in frame:
        given = state.where(pd.Series(is_city, index=frame.index))
        if given.notna().any():
            resolved = resolve_states(given, rs, "state_ut")
            mask = pd.Series(is_city, index=frame.index) & given.notna()
            out_state[mask] = resolved[mask]

    # Rounds.
    is_round = (level == "round").to_numpy(dtype=bool, na_value=False)
    for pos in np.flatnonzero(is_round):
        raw = area_name.iat[pos] if pd.notna(area_name.iat[pos]) else area_id.iat[pos]
        found = rounds.get(match_key(str(raw))) or value_synonyms("selection_round").get(
            match_key(str(raw))
        )
        if found is None:
            bad[pos] = True
            flagged.update({(pos, "area_name"), (pos, "area_id")})
            ctx.row_issue(
                "error",
                f"unknown selection round '{raw}'",
                row=int(rows.iat[pos]),
                column="area_name",
                table="progress",
                value=raw,
                fix="Use one of: " + ", ".join(ROUNDS) + ".",
            )
            continue
        out_id.iat[pos] = slugify(found)
        out_name.iat[pos] = found

    # National.
    is_nat = (level == "national").to_numpy(dtype=bool, na_value=False)
    out_id[is_nat] = out_id[is_nat].fillna("india")
    out_name[is_nat] = out_name[is_nat].fillna("India")

    # An unknown level is reported by validation; the area cannot be checked without it.
    unknown = ~level.isin(list(LEVELS)).to_numpy(dtype=bool)
    for pos in np.flatnonzero(unknown):
        flagged.update({(int(pos), "area_id"), (int(pos), "area_name")})

    frame["level"] = level.astype("string")
    frame["area_id"] = out_id.astype("string")
    frame["area_name"] = out_name.astype("string")
    frame["state_ut"] = out_state.astype("string")
    return frame.drop(columns=[c for c in ("city_id", "city_name") if c in frame])


def projects(frame: pd.DataFrame, rs: Rows, start: int) -> pd.DataFrame:
    """Projects (any layout): cost and its basis, dates the mission rules out, state names,
    and rows kept when only optional detail is wrong (see :mod:`smartcities.gmis`).
    ``start``: the report's first issue about this file."""
    ctx, bad, flagged, rows = rs.ctx, rs.bad, rs.flagged, rs.numbers
    frame = gmis.fill_cost(frame)
    for pos in np.flatnonzero(frame["cost_inr_crore"].isna().to_numpy()):
        if (int(pos), "cost_inr_crore") in flagged:
            continue
        bad[pos] = True
        flagged.add((int(pos), "cost_inr_crore"))
        given = [c for c in ("work_order_cost_inr_crore", "estimated_cost_inr_crore") if c in frame]
        ctx.row_issue(
            "error",
            ("no cost: " + " and ".join(given) + " are empty" if given else "cost is empty")
            + "; row not used",
            row=int(rows.iat[pos]),
            column=given[-1] if given else "cost_inr_crore",
            table="projects",
            fix="Give the project's cost in ₹ crore (the estimated cost will do).",
        )
    frame = gmis.date_window_errors(frame, ctx.file, ctx.report)
    gmis.canonical_states(frame, ctx.harmoniser, ctx.file, ctx.report)
    if "state_ut" in frame and not ctx.city_index.empty:
        city_state = frame["city_id"].map(ctx.city_index.state_of).astype("string")
        clash = (frame["state_ut"].notna() & city_state.notna()) & (frame["state_ut"] != city_state)
        for pos in np.flatnonzero(clash.to_numpy(dtype=bool, na_value=False)):
            ctx.row_issue(
                "warning",
                f"state '{frame['state_ut'].iat[pos]}' is not the state of "
                f"{frame['city_id'].iat[pos]} ({city_state.iat[pos]}); the city's state is used",
                row=int(rows.iat[pos]),
                column="state_ut",
                table="projects",
                value=frame["state_ut"].iat[pos],
                fix="Check the state or the city of this project.",
            )
    gmis.keep_rows_with_optional_errors(bad, flagged, rows, ctx.report, ctx.file, start)
    return frame
