"""Settings for every test tier."""

from __future__ import annotations

import os

# Charts are built without plotly's per-property validation when serving (it was most of a
# page's rerun time); the tests validate every figure they build, the served app's included
# (the browser tier's server inherits this environment), so a misspelt property still fails.
os.environ.setdefault("SMARTCITIES_VALIDATE_FIGURES", "1")
