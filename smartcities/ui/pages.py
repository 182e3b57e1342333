"""The page list: one place that names every page, its URL path and title.

``dashboard.py`` builds the navigation from it, and a test checks it matches ``pages/``.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartcities.i18n import N_


@dataclass(frozen=True)
class PageSpec:
    path: str
    title: str  # English; the router translates it (the URL path never changes)
    icon: str
    url_path: str
    default: bool = False


PAGES: tuple[PageSpec, ...] = (
    PageSpec("pages/overview.py", N_("Overview"), ":material/dashboard:", "", default=True),
    PageSpec("pages/iccc.py", N_("ICCC rollout"), ":material/videocam:", "iccc"),
    PageSpec("pages/progress.py", N_("Mission progress"), ":material/trending_up:", "progress"),
    PageSpec("pages/map.py", N_("Map"), ":material/map:", "map"),
    PageSpec("pages/city.py", N_("City profile"), ":material/location_city:", "city"),
    PageSpec("pages/coverage.py", N_("Data coverage"), ":material/fact_check:", "coverage"),
    PageSpec("pages/data.py", N_("Data & downloads"), ":material/table:", "data"),
    PageSpec("pages/load.py", N_("Your data"), ":material/upload_file:", "load"),
    PageSpec("pages/about.py", N_("About & sources"), ":material/info:", "about"),
)
