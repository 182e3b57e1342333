"""Your data: bring your own files, see them checked against the data dictionary, use them.

Files stay in this browser session (never on disk, never seen by another user). A failed or
partial upload changes nothing until the user presses "Use this data"; the data in use is
named at the top and bottom of the page whatever happens.
"""

from __future__ import annotations

from smartcities.config import Limits
from smartcities.ui import frame as frame_ui
from smartcities.ui import render, upload

frame = frame_ui.current()
limits = Limits.from_env()

# --- render: what is in use, templates, the files, their check, the choice
render.title("Your data")
render.caption(
    "Load your own CSV or Parquet files (or a zip, or a folder of them). Each file is "
    "recognised by its columns, checked against the data dictionary, and reported on row by "
    "row. Your files stay in this browser session only: nothing is saved on the server and "
    "no other user sees them."
)
upload.status_section(frame.dataset)
upload.templates_section()

files = upload.uploaded_files(limits)
if not files:
    render.info(
        "Choose files above to check them. Start from a template if you are unsure of the columns.",
        icon=":material/upload_file:",
    )
else:
    outcome = upload.check(files, limits)
    if isinstance(outcome, str):
        render.error(outcome, icon=":material/block:")
        render.warning(f"Your previous data is still in use: {frame.dataset.label}.")
    else:
        render.subheader("Your files")
        upload.file_sections(outcome)
        upload.report_section(outcome)
        upload.adopt_section(outcome, frame.dataset)
