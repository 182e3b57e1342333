"""The page list: one place that names every page, its URL path and title.

``dashboard.py`` builds the navigation from it, and a test checks it matches ``pages/``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str
    icon: str
    url_path: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", "Overview", ":material/dashboard:", "", default=True),
    PageSpec("pages/iccc.py", "ICCC rollout", ":material/videocam:", "iccc"),
    PageSpec("pages/progress.py", "Mission progress", ":material/trending_up:", "progress"),
    PageSpec("pages/map.py", "Map", ":material/map:", "map"),
    PageSpec("pages/city.py", "City profile", ":material/location_city:", "city"),
    PageSpec("pages/coverage.py", "Data coverage", ":material/fact_check:", "coverage"),
    PageSpec("pages/data.py", "Data & downloads", ":material/table:", "data"),
    PageSpec("pages/load.py", "Your data", ":material/upload_file:", "load"),
    PageSpec("pages/about.py", "About & sources", ":material/info:", "about"),
)
