"""Build the bundled public-record tables in ``data/`` from the team's reference files.

Run: ``python scripts/build_data.py [--reference ../shared/reference] [--out data]``.

The reference files (``../shared/reference``) hold facts read from public sources, each row with
its source URL. This script only renames metrics to the data contract's vocabulary, assigns
identifiers, splits the two meanings of "projects total" into two metrics and classifies events.
It invents no figure: every output value is a reference value. The built files are committed so
the app runs without ``../shared``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartcities.names import slugify  # noqa: E402
from smartcities.schema import METRICS, TABLES  # noqa: E402

# Reference metric -> contract metric. "projects_total" is handled separately (see below).
METRIC_MAP = {
    "projects_tendered": "projects_tendered_count",
    "projects_tendered_cr": "projects_tendered_inr_crore",
    "work_orders_issued": "work_orders_issued_count",
    "work_orders_issued_cr": "work_orders_issued_inr_crore",
    "projects_completed": "projects_completed_count",
    "projects_completed_cr": "projects_completed_inr_crore",
    "projects_ongoing": "projects_ongoing_count",
    "projects_ongoing_cr": "projects_ongoing_inr_crore",
    "projects_tender_stage": "projects_at_tender_stage_count",
    "projects_tender_stage_cr": "projects_at_tender_stage_inr_crore",
    "projects_work_order_stage": "projects_at_work_order_stage_count",
    "projects_work_order_stage_cr": "projects_at_work_order_stage_inr_crore",
    "projects_tender_or_work_order_stage_cr": "projects_at_tender_or_work_order_stage_inr_crore",
    "projects_completed_or_under_implementation": (
        "projects_completed_or_under_implementation_count"
    ),
    "projects_completed_or_under_implementation_cr": (
        "projects_completed_or_under_implementation_inr_crore"
    ),
    "proposed_investment_cr": "proposed_investment_inr_crore",
    "proposed_investment_abd_cr": "proposed_investment_area_based_inr_crore",
    "proposed_investment_pan_city_cr": "proposed_investment_pan_city_inr_crore",
    "central_funds_released_cr": "central_funds_released_inr_crore",
    "central_funds_released_in_fy_cr": "central_funds_released_in_fy_inr_crore",
    "funds_utilised_cr": "funds_utilised_inr_crore",
    "iccc_operational": "iccc_operational_count",
    "iccc_under_implementation": "iccc_under_implementation_count",
    "iccc_tendered": "iccc_tendered_count",
    "cities_selected": "cities_selected_count",
    "smart_cities_count": "smart_cities_count",
    "all_projects_completed": "all_projects_completed_flag",
    "funds_released_incl_state_share_cr": "funds_released_incl_state_share_inr_crore",
    "funds_utilised_incl_state_share_cr": "funds_utilised_incl_state_share_inr_crore",
    "city_rank": "city_rank",
}

# "projects_total" means the proposals counted at selection until 2019, and the projects
# actually taken up after re-scoping from 2020 on (SOURCES.md). They are not one series.
TAKEN_UP_FROM = pd.Timestamp("2020-01-01")

# The first 244 rows of city_progress.csv have an empty note; SOURCES.md gives these caveats,
# which must travel. A note in the reference itself always wins.
CITY_NOTES = {
    ("city", "Kakinada", "2020-11-03"): "Statement of the city SPV's CEO, not MoHUA MIS data",
    ("city", "Patna", "2021-08-11"): "Rajya Sabha reply of 11 Aug 2021; dated by the reply",
    ("city", "Bihar Sharif", "2021-08-11"): "Rajya Sabha reply of 11 Aug 2021; dated by reply",
    ("city", "Muzaffarpur", "2021-08-11"): "Rajya Sabha reply of 11 Aug 2021; dated by reply",
    ("city", "Bhagalpur", "2021-08-11"): "Rajya Sabha reply of 11 Aug 2021; dated by the reply",
    ("city", "Bhubaneswar", "2021-12-02"): "Lok Sabha reply of 2 Dec 2021",
    ("city", "Guwahati", "2023-12-11"): "Rajya Sabha reply of 11 Dec 2023",
}
STATE_NOTE_BY_DATE = {
    "2018-02-11": "Business Standard report date; the source gives no separate as-on date",
    "2023-07-01": "Source says 'as on July 2023' (month only; set to the 1st)",
    "2025-12-01": "As-on date of the national totals the state figures accompany",
}
FY_NOTE = "Released during the financial year; dated at the year's end (2022-23: reply date)"

# The national statement of 15 Nov 2024 that ICCCs are operational in all 100 cities.
ALL_ICCC_DATE = "2024-11-15"

EVENT_RULES = [
    ("iccc", ("ICCC",)),
    ("selection", ("Round", "selected", "nominated", "Shillong")),
    ("deadline", ("deadline", "extended", "extends")),
    ("finance", ("Financial closure",)),
    ("digital", ("DataSmart", "Data Maturity", "Digital Mission", "IUDX")),
    ("status", ("Status", "told", "RTI", "standing committee")),
]

CITY_RENAMES = {"Allahabad": "Prayagraj"}  # selection name -> today's name (aliases.csv)


def build_cities(ref: Path) -> pd.DataFrame:
    src = pd.read_csv(ref / "cities.csv", dtype="string")
    out = pd.DataFrame(
        {
            "city_name": src["city"].map(lambda c: CITY_RENAMES.get(c, c)),
            "state_ut": src["state_ut"],
            "selection_round": src["round"],
            "selection_date": src["selection_date"],
            "latitude": src["latitude"],
            "longitude": src["longitude"],
            "selection_name": src["city"].where(src["city"].isin(list(CITY_RENAMES)), pd.NA),
            "source_url": src["source_url"],
        }
    )
    out.insert(0, "city_id", out["city_name"].map(slugify))
    out["note"] = pd.NA
    out.loc[out["city_id"] == "prayagraj", "note"] = (
        "Selected as Allahabad; renamed Prayagraj by the UP cabinet on 16 Oct 2018"
    )
    out.loc[out["city_id"] == "new-town-kolkata", "note"] = (
        "West Bengal later opted out of the mission; still one of the official 100"
    )
    out.loc[out["city_id"] == "shillong", "note"] = (
        "Selected on 20 Jun 2018 as the 100th city; counted in Round 4"
    )
    out.loc[out["city_id"] == "port-blair", "note"] = "Renamed Sri Vijaya Puram in Sep 2024"
    out.loc[out["city_id"] == "naya-raipur", "note"] = (
        "Renamed Atal Nagar-Nava Raipur in 2018; coordinates from Wikipedia"
    )
    return out


def _projects_total(metric: str, date: pd.Timestamp) -> str:
    taken_up = date >= TAKEN_UP_FROM
    if metric == "projects_total":
        return "projects_taken_up_count" if taken_up else "proposed_projects_count"
    return "projects_taken_up_inr_crore" if taken_up else "proposed_investment_inr_crore"


def _metric(metric: str, date: str) -> str:
    if metric in ("projects_total", "projects_total_cr"):
        return _projects_total(metric, pd.Timestamp(date))
    return METRIC_MAP[metric]


def build_progress(ref: Path, cities: pd.DataFrame) -> pd.DataFrame:
    nat = pd.read_csv(ref / "national_progress.csv", dtype="string")
    nat_rows = pd.DataFrame(
        {
            "as_of_date": nat["as_of_date"],
            "level": "national",
            "area_id": "india",
            "area_name": "India",
            "state_ut": pd.NA,
            "metric": [_metric(m, d) for m, d in zip(nat["metric"], nat["as_of_date"])],
            "value": nat["value"],
            "source_url": nat["source_url"],
            "note": nat["note"],
            "date_basis": nat["date_basis"],
        }
    )
    sub = pd.read_csv(ref / "city_progress.csv", dtype="string")
    # iccc_operational at city level is a per-city ICCC stage fact: it goes to iccc.csv.
    sub = sub[~((sub["level"] == "city") & (sub["metric"] == "iccc_operational"))]
    name_to_id = dict(zip(cities["city_name"], cities["city_id"]))
    name_to_id.update({k: slugify(v) for k, v in CITY_RENAMES.items()})

    def area_id(level: str, name: str) -> str:
        return name_to_id[name] if level == "city" else slugify(name)

    def note(level: str, name: str, date: str, metric: str, given: object) -> object:
        if pd.notna(given) and str(given).strip():
            return given
        if metric == "central_funds_released_in_fy_cr":
            return FY_NOTE
        if metric == "smart_cities_count":
            return "Derived from the city list (final on 2018-06-20)"
        if level == "state":
            return STATE_NOTE_BY_DATE.get(date, pd.NA)
        return CITY_NOTES.get((level, name, date), pd.NA)

    sub_rows = pd.DataFrame(
        {
            "as_of_date": sub["as_of_date"],
            "level": sub["level"],
            "area_id": [area_id(lv, n) for lv, n in zip(sub["level"], sub["name"])],
            "area_name": sub["name"].map(lambda n: CITY_RENAMES.get(n, n)),
            "state_ut": sub["state_ut"],
            "metric": [_metric(m, d) for m, d in zip(sub["metric"], sub["as_of_date"])],
            "value": sub["value"],
            "source_url": sub["source_url"],
            "note": [
                note(lv, n, d, m, g)
                for lv, n, d, m, g in zip(
                    sub["level"], sub["name"], sub["as_of_date"], sub["metric"], sub["note"]
                )
            ],
            "date_basis": sub["date_basis"],
        }
    )
    out = pd.concat([nat_rows, sub_rows], ignore_index=True)
    out["unit"] = out["metric"].map(lambda m: METRICS[m].unit)  # the contract says each unit
    out = out[TABLES["progress"].columns]
    return out.sort_values(["as_of_date", "level", "area_id", "metric"], kind="stable")


def build_iccc(ref: Path, cities: pd.DataFrame) -> pd.DataFrame:
    sub = pd.read_csv(ref / "city_progress.csv", dtype="string")
    flags = sub[(sub["level"] == "city") & (sub["metric"] == "iccc_operational")]
    name_to_id = dict(zip(cities["city_name"], cities["city_id"]))
    reported = pd.DataFrame(
        {
            "city_id": flags["name"].map(name_to_id),
            "stage": "operational",
            "stage_date": flags["as_of_date"],
            "date_basis": "reported",
            "cost_inr_crore": pd.NA,
            "source_url": flags["source_url"],
            "note": "Named by the minister among cities with an operational ICCC",
        }
    )
    nat = pd.read_csv(ref / "national_progress.csv", dtype="string")
    all_100 = nat[(nat["metric"] == "iccc_operational") & (nat["as_of_date"] == ALL_ICCC_DATE)]
    if all_100.empty or float(all_100["value"].iloc[0]) != 100:
        raise SystemExit(f"expected 100 ICCCs operational on {ALL_ICCC_DATE} in the reference")
    rest = cities[~cities["city_id"].isin(reported["city_id"])]
    derived = pd.DataFrame(
        {
            "city_id": rest["city_id"],
            "stage": "operational",
            "stage_date": ALL_ICCC_DATE,
            "date_basis": "on_or_before",
            "cost_inr_crore": pd.NA,
            "source_url": all_100["source_url"].iloc[0],
            "note": "Operational by this date at the latest: MoHUA update says ICCCs are "
            "operational in all 100 Smart Cities as on 15 Nov 2024; the city's own date "
            "was not found",
        }
    )
    out = pd.concat([reported, derived], ignore_index=True)
    return out.sort_values(["stage_date", "city_id"], kind="stable")[TABLES["iccc"].columns]


def build_events(ref: Path) -> pd.DataFrame:
    src = pd.read_csv(ref / "milestones.csv", dtype="string")

    def category(text: str) -> str:
        for cat, words in EVENT_RULES:
            if any(w.lower() in text.lower() for w in words):
                return cat
        return "programme"

    return pd.DataFrame(
        {
            "event_date": src["date"],
            "event": src["event"],
            "category": src["event"].map(category),
            "source_url": src["source_url"],
        }
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    ref, out = args.reference, args.out
    out.mkdir(parents=True, exist_ok=True)
    cities = build_cities(ref)
    tables = {
        "cities": cities,
        "progress": build_progress(ref, cities),
        "iccc": build_iccc(ref, cities),
        "events": build_events(ref),
    }
    for name, frame in tables.items():
        frame.to_csv(out / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
        print(f"{name}: {len(frame)} rows -> {out / (name + '.csv')}")
    shutil.copyfile(ref / "SOURCES.md", out / "SOURCES.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
