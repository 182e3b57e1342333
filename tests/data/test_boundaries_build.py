"""Data check: the bundled map of India is what scripts/build_boundaries.py makes from the
DataMeet sources (skipped, with the reason, where ../shared/boundaries is not beside the
project)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from smartcities.config import BUNDLED_DATA, ROOT

pytestmark = pytest.mark.data

SOURCES = ROOT.parent / "shared" / "boundaries"
BUILT = ("states.geojson", "india.geojson", "PROVENANCE.json")


@pytest.mark.skipif(not SOURCES.exists(), reason="../shared/boundaries not beside the project")
def test_build_script_reproduces_bundled_boundaries(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "scripts/build_boundaries.py",
            "--source",
            str(SOURCES),
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    bundled = BUNDLED_DATA / "boundaries"
    recorded = json.loads((bundled / "PROVENANCE.json").read_text())["build"]["geos"]
    if recorded == shapely.geos_version_string:
        for name in BUILT:
            built = (tmp_path / name).read_bytes()
            assert built == (bundled / name).read_bytes(), (
                f"data/boundaries/{name} is stale: run python scripts/build_boundaries.py"
            )
    else:  # another GEOS rounds differently: the same states, the same shapes within 1%
        new = gpd.read_file(tmp_path / "states.geojson").set_index("state_ut").geometry
        old = gpd.read_file(bundled / "states.geojson").set_index("state_ut").geometry
        assert list(new.index) == list(old.index)
        for name in old.index:
            moved = shapely.area(shapely.symmetric_difference(new[name], old[name]))
            assert moved < 0.01 * shapely.area(old[name]) + 1e-4, name
    checks = json.loads(result.stdout)["checks"]
    assert checks["states"] == 36
    assert checks["outline_northmost_latitude"] > 37.0


@pytest.mark.skipif(not SOURCES.exists(), reason="../shared/boundaries not beside the project")
def test_sources_are_the_ones_recorded() -> None:
    import hashlib

    prov = json.loads((BUNDLED_DATA / "boundaries" / "PROVENANCE.json").read_text())
    for source in prov["sources"]:
        data = (SOURCES / source["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == source["sha256"], source["file"]
