"""Settings for every test tier."""

from __future__ import annotations

import os

# Charts are built without plotly's per-property validation when serving (it was most of a
# page's rerun time); the tests validate every figure they build, the served app's included
# (the browser tier's server inherits this environment), so a misspelt property still fails.
os.environ.setdefault("SMARTCITIES_VALIDATE_FIGURES", "1")

# Stores built from data folders (smartcities.store.cache) go to a folder of this test run,
# never to the user's cache.
if not os.environ.get("SMARTCITIES_CACHE_DIR"):
    import atexit
    import shutil
    import tempfile

    os.environ["SMARTCITIES_CACHE_DIR"] = tempfile.mkdtemp(prefix="smartcities-test-stores-")
    atexit.register(shutil.rmtree, os.environ["SMARTCITIES_CACHE_DIR"], ignore_errors=True)
