"""A small project export in the Smart Cities Mission's GMIS layout, written by the tests.

Every column of the layout in the export's order (from ``data/vocab/gmis_columns.csv``), plus
two columns the layout does not have; DD/MM/YYYY dates, blank cells, multi-line quoted cells,
every stage word, a renamed city (Allahabad) and state (Orissa), a tender date typed as 2031,
a DPR date before the mission's launch, a percentage over 100, an unknown Milestone and an
unknown city. The figures are made up for the tests; the hand counts below are what the loader
must find.
"""

from __future__ import annotations

import csv
import io

from smartcities.gmis import export_columns

NAME = "GMIS_project_export.csv"
EXTRA_COLUMNS = ("Geo Tag", "Ward No.")

# Export column -> value, per project (others blank). Row numbers in the file: 2, 3, ...
ROWS: list[dict[str, str]] = [
    {  # row 2
        "Project ID": "ODI-BHU-001",
        "State Name": "Odisha",
        "City Name": "Bhubaneswar",
        "Project Name": "Smart roads, phase 1",
        "Category": "Development of Core Infrastructure (restricted to ABD)",
        "Sector": "Urban Mobility",
        "DPR Approved": "12/05/2016",
        "RFP / Tender Issued": "01/08/2016",
        "Work Order Issued": "15/01/2017",
        "DPR Cost / Estimated Project Cost": "120.5",
        "Cost as per Work Order": "110.25",
        "SCM": "100",
        "Convergence with other missions": "10.25",
        "Actual Date of Project Start": "01/02/2017",
        "Physical Progress": "100",
        "Mention the project Milestones Achieved": "Phase 1 done\nPhase 2 done",
        "Financial Progress": "105",
        "Utilization (%)": "95.2",
        "Actual Date of Project Completion": "30/06/2019",
        "Milestone": "Work Completed",
        "Internal Category": "Smart Road",
        "Updated On": "30/06/2019",
        "Geo Tag": "20.29,85.82",
    },
    {  # row 3
        "Project ID": "ODI-BHU-002",
        "State Name": "Orissa",
        "City Name": "Bhubaneswar",
        "Project Name": "Integrated Command and Control Centre",
        "Category": "Pan City Solutions - ICT",
        "Sector": "ICT",
        "DPR Approved": "01/03/2016",
        "RFP / Tender Issued": "10/06/2016",
        "Work Order Issued": "20/11/2016",
        "DPR Cost / Estimated Project Cost": "90",
        "Cost as per Work Order": "85",
        "SCM": "85",
        "Actual Date of Project Start": "01/12/2016",
        "Physical Progress": "80%",
        "Mention the project Milestones Achieved": 'Building done\n"Software" in progress,\nnext',
        "Financial Progress": "60",
        "Utilization (%)": "70.6",
        "Milestone": "Work Order Issued",
        "Internal Category": "ICCC",
        "Updated On": "15/07/2019",
    },
    {  # row 4
        "Project ID": "ODI-BHU-003",
        "State Name": "Odisha",
        "City Name": "Bhubaneswar",
        "Project Name": "Solar rooftops",
        "Category": "Other ABD interventions",
        "Sector": "Energy",
        "DPR Approved": "02/02/2018",
        "RFP / Tender Issued": "05/05/2018",
        "DPR Cost / Estimated Project Cost": "40",
        "SCM": "40",
        "Physical Progress": "0",
        "Financial Progress": "NA",
        "Milestone": "Tender Issued",
        "Internal Category": "Solar",
        "Updated On": "01/07/2019",
    },
    {  # row 5
        "Project ID": "ODI-BHU-004",
        "State Name": "Odisha",
        "City Name": "Bhubaneswar",
        "Project Name": "Heritage walk",
        "Category": "Other ABD interventions",
        "Sector": "Heritage",
        "DPR Cost / Estimated Project Cost": "15",
        "Physical Progress": "150",
        "Milestone": "DPR Under Preparation",
        "Updated On": "10/06/2019",
    },
    {  # row 6: a renamed city; completed without a completion date
        "Project ID": "UP-ALD-001",
        "State Name": "Uttar Pradesh",
        "City Name": "Allahabad",
        "Project Name": "Water supply",
        "Category": "Pan City Solutions - Non ICT",
        "Sector": "Water",
        "DPR Approved": "01/01/2017",
        "RFP / Tender Issued": "01/04/2017",
        "Work Order Issued": "01/09/2017",
        "DPR Cost / Estimated Project Cost": "200",
        "Cost as per Work Order": "190",
        "SCM": "150",
        "Convergence with other missions": "40",
        "Physical Progress": "100",
        "Milestone": "Work Completed",
        "Updated On": "20/06/2019",
    },
    {  # row 7: the tender date typed as 2031
        "Project ID": "UP-ALD-002",
        "State Name": "Uttar Pradesh",
        "City Name": "Allahabad",
        "Project Name": "Riverfront",
        "Category": "Development of Core Infrastructure (restricted to ABD)",
        "Sector": "Riverfront",
        "DPR Approved": "05/05/2018",
        "RFP / Tender Issued": "18/05/2031",
        "DPR Cost / Estimated Project Cost": "75",
        "PPP": "25",
        "Own resources": "5",
        "Milestone": "Tender Issued",
        "Updated On": "25/06/2019",
    },
    {  # row 8: a DPR date before the launch; a category that says neither ABD nor pan-city
        "Project ID": "UP-ALD-003",
        "State Name": "Uttar Pradesh",
        "City Name": "Allahabad",
        "Project Name": "Smart classrooms",
        "Category": "Smart Solutions",
        "Sector": "Education",
        "DPR Approved": "12/03/2014",
        "DPR Cost / Estimated Project Cost": "12",
        "Milestone": "DPR Approved",
        "Updated On": "01/06/2019",
    },
    {  # row 9
        "Project ID": "MAH-PUN-001",
        "State Name": "Maharashtra",
        "City Name": "Pune",
        "Project Name": "Cycle sharing",
        "Category": "Pan City Solutions - ICT",
        "Sector": "Urban Mobility",
        "DPR Cost / Estimated Project Cost": "30",
        "Milestone": "Dropped",
        "Updated On": "01/05/2019",
    },
    {  # row 10: a Milestone the export's ladder does not have
        "Project ID": "MAH-PUN-002",
        "State Name": "Maharashtra",
        "City Name": "Pune",
        "Project Name": "Bus depot",
        "Category": "Other ABD interventions",
        "DPR Cost / Estimated Project Cost": "22",
        "Milestone": "On Hold",
        "Updated On": "01/05/2019",
    },
    {  # row 11: no Milestone; the work-order date gives the stage
        "Project ID": "MAH-PUN-003",
        "State Name": "Maharashtra",
        "City Name": "Pune",
        "Project Name": "E-toilets",
        "Category": "Other ABD interventions",
        "Sector": "Sanitation",
        "RFP / Tender Issued": "01/11/2017",
        "Work Order Issued": "01/03/2018",
        "DPR Cost / Estimated Project Cost": "5",
        "Cost as per Work Order": "4.5",
    },
    {  # row 12: a city that is not a Smart City
        "Project ID": "GOA-ATL-001",
        "State Name": "Goa",
        "City Name": "Atlantis",
        "Project Name": "Sea wall",
        "DPR Cost / Estimated Project Cost": "9",
        "Milestone": "Work Completed",
        "Updated On": "01/06/2019",
    },
]

# What the loader must find (hand counts).
ROWS_READ = len(ROWS)
NOT_USED = {10: "Milestone", 12: "City Name"}  # row -> the export's column reported
ROWS_USED = ROWS_READ - len(NOT_USED)
STAGE_COUNTS = {
    "completed": 2,
    "work_order_issued": 2,
    "tendered": 2,
    "dpr_approved": 1,
    "dpr_under_preparation": 1,
    "dropped": 1,
}
COSTS = {  # project -> (cost_inr_crore, cost_basis)
    "ODI-BHU-001": (110.25, "work_order"),
    "ODI-BHU-002": (85.0, "work_order"),
    "ODI-BHU-003": (40.0, "estimated"),
    "UP-ALD-002": (75.0, "estimated"),
    "MAH-PUN-003": (4.5, "work_order"),
}
LATEST_UPDATE = "2019-07-15"
# Derived city progress as on the latest update: (count, ₹ crore) per stage metric.
CITY_PROGRESS = {
    "bhubaneswar": {"tendered": (3, 235.25), "work_orders": (2, 195.25), "completed": (1, 110.25)},
    "prayagraj": {"tendered": (2, 265.0), "work_orders": (1, 190.0), "completed": (1, 190.0)},
    "pune": {"tendered": (1, 4.5), "work_orders": (1, 4.5), "completed": (0, 0.0)},
}


def header() -> list[str]:
    return [c for c, _ in export_columns()] + list(EXTRA_COLUMNS)


def export_csv() -> bytes:
    """The export as a CSV file (UTF-8, every cell quoted as the MIS writes them)."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    columns = header()
    writer.writerow(columns)
    for number, row in enumerate(ROWS, start=1):
        writer.writerow([str(number) if c == "S No." else row.get(c, "") for c in columns])
    return buf.getvalue().encode("utf-8")


def cities_csv() -> bytes:
    """A cities table for the three cities, uploaded beside the export."""
    return (
        b"city_id,city_name,state_ut,source_url\n"
        b"bhubaneswar,Bhubaneswar,Odisha,https://example.org/cities\n"
        b"prayagraj,Prayagraj,Uttar Pradesh,https://example.org/cities\n"
        b"pune,Pune,Maharashtra,https://example.org/cities\n"
    )
