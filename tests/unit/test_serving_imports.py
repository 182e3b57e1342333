"""A process serving a store never imports the validation code (pandera, the normaliser, the
loader): it cost every launch about half a second before the first page."""

import subprocess
import sys

import pytest

from smartcities.config import ROOT

pytestmark = pytest.mark.unit

SERVING = (
    "smartcities.ui.frame",
    "smartcities.ui.render",
    "smartcities.ui.brief",
    "smartcities.overview",
    "smartcities.store.open",
)
LOADER = ("pandera", "smartcities.load", "smartcities.normalise")


def test_the_serving_modules_do_not_import_the_loader():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in SERVING)
        + f"print(','.join(m for m in {LOADER!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "", f"imported while serving: {out.stdout.strip()}"
