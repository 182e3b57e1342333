"""Build the bundled map of India (``data/boundaries/``) from the DataMeet sources.

Inputs (``../shared/boundaries/``, copied unchanged from https://github.com/datameet/maps):
the 543 Lok Sabha constituencies of 2019 (CC0) and India's land boundary (CC BY 4.0). Output:
``states.geojson`` (today's 36 states/UTs, names as in ``data/states.csv``), ``india.geojson``
(the outline: the union of the states) and ``PROVENANCE.json`` (sources, hashes, licences,
parameters, checks). The same inputs and library versions give byte-identical files; the data
test ``tests/data/test_boundaries_build.py`` rebuilds and compares.

Steps, and why:

1. Repair each constituency (``make_valid``, structure method: a few are self-intersecting or
   have collapsed rings as published).
2. Name each one's state/UT today: 2019 names go through ``data/aliases.csv`` (Orissa →
   Odisha; Dadra & Nagar Haveli and Daman & Diu both → the UT merged on 26 Jan 2020), and the
   Ladakh constituency becomes the UT of Ladakh (separate from Jammu and Kashmir since
   31 Oct 2019).
3. Make a clean coverage. The constituencies were simplified one by one for the web, so
   neighbours do not share their edges: there are thousands of slivers and small gaps between
   them. All their edges are noded and polygonised into faces; each face goes to the state of
   the constituency covering it, and the small gaps (faces inside India covered by none) to the
   neighbour with which they share the longest edge. Dissolving the faces by state gives
   polygons whose shared edges are identical.
4. Drop islands smaller than ``MIN_ISLAND_KM2`` (never a state's largest part) and hand tiny
   stray pieces of one state lying against another to that neighbour.
5. Simplify the coverage as a whole (``shapely.coverage_simplify``), so neighbouring states
   still meet after simplification, and round coordinates to ``PRECISION`` degrees.

Run: ``python scripts/build_boundaries.py [--source DIR] [--out DIR]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path

import geopandas as gpd
import numpy as np
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from smartcities.dataset import harmoniser, states  # noqa: E402
from smartcities.provenance import BOUNDARY_CREDIT  # noqa: E402

BUILD_VERSION = "1"
SOURCE_DIR = ROOT.parent / "shared" / "boundaries"
OUT_DIR = ROOT / "data" / "boundaries"
CONSTITUENCIES = "india_pc_2019_simplified.geojson"
LAND_BORDER = "india-land-simplified.geojson"
SIMPLIFY_DEGREES = 0.02  # coverage_simplify tolerance: ~ the side of the triangles removed
PRECISION = 3  # decimals of a degree kept: about 110 m, far below what a national map shows
MIN_ISLAND_KM2 = 2.0  # islands smaller than this are dropped (a state's largest part never)
MAX_GAP_SQ_DEG = 0.005  # unclaimed faces up to ~60 km² inside India are gaps, larger are water
KM2_PER_SQ_DEG = 111.32**2  # at the equator; used only to compare small areas roughly

SOURCES = {
    CONSTITUENCIES: {
        "what": "Lok Sabha constituencies of 2019, simplified for the web",
        "repository": "https://github.com/datameet/maps",
        "path": "parliamentary-constituencies/india_pc_2019_simplified.geojson",
        "commit": "68346a8b5ea50cec4ada6705075f95ba863eb76d",
        "date": "2019-04-16",
        "licence": "CC0 1.0",
        "author": "Arun Ganesh (DataMeet India community)",
        "used_for": "the states/UTs: constituencies dissolved by state",
    },
    LAND_BORDER: {
        "what": "India's land boundary as one line",
        "repository": "https://github.com/datameet/maps",
        "path": "Country/india-land-simplified.geojson",
        "commit": "2b2b9dc7d29a4b81ad0eb349ab2e2492cb71cb5a",
        "date": "2018-10-24",
        "licence": "CC BY 4.0",
        "author": "DataMeet India community",
        "attribution": "India boundaries by DataMeet India community, CC BY 4.0",
        "used_for": "checking that the outline follows India's boundary as officially depicted",
    },
}
ATTRIBUTION = BOUNDARY_CREDIT


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def polygons(geom: shapely.Geometry) -> shapely.Geometry:
    """The polygonal part of a geometry (make_valid can return lines beside polygons)."""
    parts = shapely.get_parts(geom)
    keep = parts[np.isin(shapely.get_type_id(parts), [3, 6])]
    return shapely.union_all(keep) if len(keep) else shapely.Polygon()


def state_of_constituencies(frame: gpd.GeoDataFrame) -> list[str]:
    """Today's state/UT of every constituency, named as in data/states.csv."""
    names = harmoniser()
    out = []
    for st_name, pc_name in zip(frame["st_name"], frame["pc_name"], strict=True):
        if pc_name == "Ladakh" and "Jammu" in st_name:
            out.append("Ladakh")
            continue
        found = names.resolve("state", st_name).canonical
        if found is None:
            raise SystemExit(f"{CONSTITUENCIES}: state '{st_name}' is not in data/aliases.csv")
        out.append(found)
    return out


def clean_coverage(geoms: np.ndarray, owners: list[str]) -> dict[str, shapely.Geometry]:
    """Faces of all constituency edges, each given to one state; gaps filled (step 3)."""
    lines = shapely.union_all(shapely.boundary(geoms))
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    points = shapely.point_on_surface(faces)
    tree = shapely.STRtree(geoms)
    face_i, geom_i = tree.query(points, predicate="within")
    owner: list[str | None] = [None] * len(faces)
    for f, g in sorted(zip(face_i.tolist(), geom_i.tolist(), strict=True)):
        if owner[f] is None:  # overlaps: the first constituency in file order wins
            owner[f] = owners[g]
    areas = shapely.area(faces)
    face_tree = shapely.STRtree(faces)
    pending = [i for i, o in enumerate(owner) if o is None and areas[i] <= MAX_GAP_SQ_DEG]
    while pending:  # gaps next to gaps are filled once a neighbour has an owner
        filled = []
        for i in pending:
            shared: dict[str, float] = defaultdict(float)
            for j in face_tree.query(faces[i], predicate="touches"):
                if owner[j] is not None:
                    shared[owner[j]] += shapely.length(
                        shapely.intersection(faces[i].boundary, faces[j].boundary)
                    )
            if shared:
                filled.append((i, max(sorted(shared), key=shared.__getitem__)))
        if not filled:
            break
        for i, name in filled:
            owner[i] = name
        pending = [i for i in pending if owner[i] is None]
    by_state: dict[str, list] = defaultdict(list)
    for face, name in zip(faces, owner, strict=True):
        if name is not None:
            by_state[name].append(face)
    return {name: shapely.union_all(parts) for name, parts in sorted(by_state.items())}


def tidy_parts(shapes: dict[str, shapely.Geometry]) -> dict[str, shapely.Geometry]:
    """Drop tiny islands; give tiny stray pieces lying against another state to it (step 4)."""
    min_area = MIN_ISLAND_KM2 / KM2_PER_SQ_DEG
    names = sorted(shapes)
    moved: dict[str, list] = defaultdict(list)
    kept: dict[str, list] = {}
    for name in names:
        parts = sorted(shapely.get_parts(shapes[name]), key=shapely.area, reverse=True)
        kept[name] = [parts[0]]
        for part in parts[1:]:
            if shapely.area(part) >= min_area:
                kept[name].append(part)
                continue
            touching = {
                other: shapely.length(shapely.intersection(part.boundary, shapes[other].boundary))
                for other in names
                if other != name and shapely.intersects(part, shapes[other])
            }
            touching = {k: v for k, v in touching.items() if v > 0}
            if touching:
                moved[max(sorted(touching), key=touching.__getitem__)].append(part)
    return {name: shapely.union_all(kept[name] + moved[name]) for name in names}


def rounded(coords: object) -> object:
    if isinstance(coords, (list, tuple)) and coords and isinstance(coords[0], (int, float)):
        return [round(float(c), PRECISION) for c in coords]
    return [rounded(c) for c in coords]  # type: ignore[union-attr]


def feature_collection(features: list[dict]) -> bytes:
    return (
        json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
        + "\n"
    ).encode()


def geometry_json(geom: shapely.Geometry) -> dict:
    mapping = json.loads(shapely.to_geojson(geom))
    return {"type": mapping["type"], "coordinates": rounded(mapping["coordinates"])}


def build(source: Path, out: Path) -> dict:
    frame = gpd.read_file(source / CONSTITUENCIES)
    invalid = int((~frame.is_valid).sum())
    geoms = shapely.make_valid(frame.geometry.to_numpy(), method="structure", keep_collapsed=False)
    geoms = np.array([polygons(g) for g in geoms], dtype=object)
    owners = state_of_constituencies(frame)
    wanted = states()["state_ut"].tolist()
    missing = sorted(set(wanted) - set(owners))
    extra = sorted(set(owners) - set(wanted))
    if missing or extra:
        raise SystemExit(f"states not matched: missing {missing}, unexpected {extra}")

    shapes = tidy_parts(clean_coverage(geoms, owners))
    names = [n for n in wanted if n in shapes]
    simplified = shapely.coverage_simplify(
        np.array([shapes[n] for n in names], dtype=object), SIMPLIFY_DEGREES
    )
    grid = 10.0**-PRECISION
    simplified = shapely.set_precision(simplified, grid)
    outline = shapely.set_precision(shapely.coverage_union_all(simplified), grid)

    table = states().set_index("state_ut")
    features = [
        {
            "type": "Feature",
            "properties": {
                "state_ut": name,
                "state_id": str(table.loc[name, "state_id"]),
                "iso_code": str(table.loc[name, "iso_code"]),
            },
            "geometry": geometry_json(geom),
        }
        for name, geom in zip(names, simplified, strict=True)
    ]
    out.mkdir(parents=True, exist_ok=True)
    (out / "states.geojson").write_bytes(feature_collection(features))
    india = {
        "type": "Feature",
        "properties": {"name": "India"},
        "geometry": geometry_json(outline),
    }
    (out / "india.geojson").write_bytes(feature_collection([india]))

    # Check: India's land boundary (DataMeet, drawn as GoI depicts it) against our outline.
    border = gpd.read_file(source / LAND_BORDER).geometry.iloc[0]
    samples = shapely.points(shapely.get_coordinates(shapely.segmentize(border, 0.05)))
    gap = shapely.distance(samples, shapely.boundary(outline))
    north = float(shapely.bounds(outline)[3])
    provenance = {
        "what": "India's outline and its 36 states/UTs, simplified for the dashboard's maps",
        "attribution": ATTRIBUTION,
        "licence": "CC BY 4.0 (as a derivative of the DataMeet boundary data)",
        "build": {
            "script": "scripts/build_boundaries.py",
            "version": BUILD_VERSION,
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
            "simplify_tolerance_degrees": SIMPLIFY_DEGREES,
            "coordinate_decimals": PRECISION,
            "min_island_km2": MIN_ISLAND_KM2,
            "max_gap_sq_degrees": MAX_GAP_SQ_DEG,
        },
        "sources": [
            {"file": name, "sha256": sha256(source / name), **meta}
            for name, meta in SOURCES.items()
        ],
        "changes_from_source": [
            f"{invalid} invalid constituency geometries repaired (make_valid, structure method)",
            "2019 state names mapped to today's through data/aliases.csv (Orissa -> Odisha ...)",
            "Ladakh constituency made the UT of Ladakh (separate from Jammu and Kashmir since "
            "31 Oct 2019)",
            "Dadra & Nagar Haveli and Daman & Diu merged (one UT since 26 Jan 2020)",
            "slivers and gaps between constituencies resolved into a clean coverage",
            f"islands under {MIN_ISLAND_KM2} km2 dropped; coverage simplified and rounded",
        ],
        "caveats": [
            "The Ladakh constituency of 2019 also covers the areas of Jammu and Kashmir under "
            "Pakistan's occupation (Muzaffarabad, Mirpur), which the Government of India's map "
            "of 2 Nov 2019 places in the UT of Jammu and Kashmir; here they fall in Ladakh. "
            "India's external boundary is not affected.",
            "Boundaries are indicative, simplified for a national map; not for survey or "
            "legal use.",
        ],
        "checks": {
            "states": len(features),
            "outline_northmost_latitude": round(north, 3),
            "land_border_to_outline_max_km": round(float(gap.max()) * 111.32, 1),
            "land_border_to_outline_median_km": round(float(np.median(gap)) * 111.32, 1),
        },
        "outputs": {name: sha256(out / name) for name in ("states.geojson", "india.geojson")},
    }
    (out / "PROVENANCE.json").write_text(json.dumps(provenance, indent=2) + "\n")
    return provenance


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=OUT_DIR)
    args = parser.parse_args(argv)
    for name, meta in SOURCES.items():
        path = args.source / name
        if not path.is_file():
            raise SystemExit(f"missing source file {path} (see {meta['repository']})")
    provenance = build(args.source, args.out)
    sizes = {n: (args.out / n).stat().st_size for n in provenance["outputs"]}
    print(json.dumps({"checks": provenance["checks"], "bytes": sizes}, indent=2))


if __name__ == "__main__":
    main()
