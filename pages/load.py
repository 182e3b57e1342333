"""Your data: bring your own files, see them checked against the data dictionary, use them.

Files stay in this browser session (never on disk, never seen by another user). A failed or
partial upload changes nothing until the user presses "Use this data"; the data in use is
named at the top and bottom of the page whatever happens. The loader's own messages (what is
wrong in a file, how to fix it) are English; the page around them follows the language.
"""

from __future__ import annotations

from smartcities.config import Limits
from smartcities.i18n import gettext
from smartcities.ui import frame as frame_ui
from smartcities.ui import render, upload

frame = frame_ui.current()
lang = frame.lang
_ = gettext(lang)
limits = Limits.from_env()
in_use = frame_ui.dataset_label(frame.dataset, lang)

# --- render: what is in use, templates, the files, their check, the choice
render.title(_("Your data"))
render.caption(
    _(
        "Load your own CSV or Parquet files (or a zip, or a folder of them). Each file is "
        "recognised by its columns, checked against the data dictionary, and reported on row by "
        "row. Your files stay in this browser session only: nothing is saved on the server and "
        "no other user sees them."
    )
)
upload.status_section(frame.dataset, lang, in_use)
upload.templates_section(lang)

files = upload.uploaded_files(limits, lang)
if not files:
    render.info(
        _(
            "Choose files above to check them. Start from a template if you are unsure of the "
            "columns."
        ),
        icon=":material/upload_file:",
    )
else:
    outcome = upload.check(files, limits, lang)
    if isinstance(outcome, str):
        render.error(upload.message_text(outcome, lang), icon=":material/block:")
        render.warning(_("Your previous data is still in use: {label}.").format(label=in_use))
    else:
        render.subheader(_("Your files"))
        upload.file_sections(outcome, lang)
        upload.report_section(outcome, lang)
        upload.adopt_section(outcome, frame.dataset, lang)
