"""Streamlit glue for the "Your data" page: choose files, check them, show the report, adopt.

The loader (:mod:`smartcities.load`) does the reading and validation; this module only turns
uploaded files into :class:`~smartcities.load.Source` objects (bytes in memory, never written
to disk), applies the count and size limits *before* anything is parsed, remembers the last
result in this session (so a rerun does not read the files again) and renders it. Adopting and
dropping an upload happen in button callbacks, because those run before the sidebar is drawn:
the sidebar's "Data set" radio can then switch to the upload in the same click.

Nothing from a file is ever rendered as Markdown or HTML: previews and the report go into
dataframe cells, and file names and labels through ``smartcities.ui.render`` (escaped), so
``<script>``, ``[link](…)`` or ``=HYPERLINK(...)`` stay inert text. Loads go through the
server-wide budget (:mod:`smartcities.budget`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

import pandas as pd
import streamlit as st

from smartcities import budget, fmt, gmis, issue_text, templates
from smartcities.config import Limits
from smartcities.dataset import UPLOADED, Dataset
from smartcities.export import to_csv_bytes
from smartcities.i18n import DEFAULT_LANG, N_, gettext, translator
from smartcities.load import LoadResult, Source, merge_over
from smartcities.report import ERROR, Report
from smartcities.safe import join, md
from smartcities.schema import TABLES
from smartcities.ui import data, render
from smartcities.ui.frame import W

RESULT_KEY = "ld_result"  # (signature, LoadResult) of the files last checked in this session
ADOPTED_KEY = "ld_adopted"  # what the last "Use this data" did, shown after the rerun
MODE_KEY = "ld_mode"
MODES = {
    "alone": N_("Use my data alone"),
    "merge": N_("Merge over the public record (my rows replace matching rows)"),
}
PREVIEW_ROWS = 10
_UNRECOGNISED = {"unknown": N_("not recognised as a table"), "not read": N_("not read")}
# The tables' titles (schema.TABLES), shown on the page in its language.
_TABLE_TITLES = (
    N_("Cities"),
    N_("Mission progress"),
    N_("ICCC stages by city"),
    N_("Projects"),
    N_("Mission events"),
)
# The report's headers and severities (the loader's messages: smartcities.issue_text).
_REPORT_WORDS = (
    N_("Severity"),
    N_("File"),
    N_("Row"),
    N_("Column"),
    N_("Message"),
    N_("Fix"),
    N_("Value"),
    N_("Table"),
    N_("error"),
    N_("warning"),
    # The merge summary's headers (smartcities.load.merge_over).
    N_("table"),
    N_("added"),
    N_("replaced"),
    N_("unchanged"),
)


def check_limits(
    files: Sequence[tuple[str, int]], limits: Limits
) -> tuple[list[int], Report, str | None]:
    """Which of ``files`` (name, size) may be read. Pure: the page calls it before reading.

    Returns the indices allowed, a report of refused files and, when there are more files than
    ``limits.max_files``, a message refusing the whole upload (nothing is read then).
    """
    report = Report()
    if len(files) > limits.max_files:
        return (
            [],
            report,
            f"You chose {len(files)} files; at most {limits.max_files} can be checked at once. "
            "Nothing was read. Load fewer files (or one zip of them), or ask the administrator "
            "to raise the SMARTCITIES_MAX_FILES environment variable.",
        )
    allowed = []
    for i, (name, size) in enumerate(files):
        if size > limits.max_file_bytes:
            report.error(
                name,
                f"file is {size / 2**20:.1f} MB, larger than the limit of "
                f"{limits.max_file_bytes / 2**20:.0f} MB per file; not read",
                fix="Split the file into smaller ones, or ask the administrator to raise the "
                "SMARTCITIES_MAX_FILE_MB environment variable.",
                value=f"{size} bytes",
            )
        else:
            allowed.append(i)
    return allowed, report, None


def signature(files: Sequence[tuple[str, bytes]]) -> str:
    """A digest of names and contents: the same files are checked only once per session."""
    h = hashlib.sha256()
    for name, content in files:
        h.update(name.encode("utf-8", "replace") + b"\0")
        h.update(hashlib.sha256(content).digest())
    return h.hexdigest()


def combine(refused: Report, result: LoadResult) -> LoadResult:
    """The loader's result with the files refused by the page's own limit checks in front."""
    report = Report(issues=[*refused.issues, *result.report.issues])
    found = {i.file: "not read" for i in refused.issues} | dict(result.tables_found)
    return LoadResult(result.dataset, report, found, dict(result.previews), dict(result.row_counts))


class Upload(Protocol):
    """What the page needs of an uploaded file (Streamlit's ``UploadedFile`` fits)."""

    name: str
    size: int

    def getvalue(self) -> bytes: ...


def check(files: Sequence[Upload], limits: Limits, lang: str = DEFAULT_LANG) -> LoadResult | str:
    """Check uploaded files and load what passes; a string when the whole upload is refused.

    Count and sizes are checked from the upload's metadata before any bytes are touched. The
    result of the last call is kept in this session, keyed by the files' digest, so reruns
    (choosing a mode, pressing a button) do not read the files again.
    """
    _ = gettext(lang)
    allowed, refused, too_many = check_limits([(f.name, f.size) for f in files], limits)
    if too_many:
        return too_many
    chosen = [(files[i].name, files[i].getvalue()) for i in allowed]
    sig = signature([*chosen, *((i.file, b"") for i in refused.issues)])
    kept = st.session_state.get(RESULT_KEY)
    if kept is not None and kept[0] == sig:
        return kept[1]
    owner = data.session_owner()
    if chosen:
        # Within the server-wide budget: a few loads at a time, rows held by all sessions.
        with st.spinner(_("Checking your files…")):
            loaded = budget.guarded_load(owner, [Source(n, b) for n, b in chosen], limits)
        if isinstance(loaded, str):
            return loaded
    else:
        loaded = LoadResult(None, Report())
        budget.UPLOADS.hold(owner, "pending", 0)
    result = combine(refused, loaded)
    st.session_state[RESULT_KEY] = (sig, result)
    return result


def message_text(text: str, lang: str = DEFAULT_LANG) -> str:
    """A refusal of the whole upload (too many files, the server busy or full) in ``lang``."""
    return issue_text.translate(text, lang)


def report_frame(report: Report) -> pd.DataFrame:
    """The report as a table, errors first (the order within each severity is kept)."""
    frame = report.to_frame()
    order = frame["severity"].map({ERROR: 0}).fillna(1)
    return frame.iloc[order.argsort(kind="stable")].reset_index(drop=True)


def report_csv(report: Report) -> bytes:
    """The report as CSV, formula-looking cells neutralised by the same rule as every export
    (the values quoted in it come from users' files)."""
    return to_csv_bytes(report_frame(report))


def as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Every cell as plain text (dates ISO, blanks empty), so previews show what was read."""
    out = pd.DataFrame(index=frame.index)
    for col in frame.columns:
        s = frame[col]
        if pd.api.types.is_datetime64_any_dtype(s):
            out[str(col)] = s.dt.strftime("%Y-%m-%d").fillna("")
        else:
            out[str(col)] = s.astype("string").fillna("")
    return out


def excluded_files(result: LoadResult) -> list[str]:
    """Files that contributed nothing: unreadable, unrecognised, refused as a whole, or every
    row left out."""
    out = [name for name, table in result.tables_found.items() if table in ("unknown", "not read")]
    out += [
        n for n, (read, used) in result.row_counts.items() if read and not used and n not in out
    ]
    for issue in result.report.errors:
        whole = issue.row is None and "file was not used" in issue.message
        unread = issue.file not in result.tables_found
        if (whole or unread) and issue.file and issue.file not in out:
            out.append(issue.file)
    return out


def rows_dropped(report: Report) -> bool:
    return any(i.row is not None for i in report.errors)


def counts(report: Report, file: str | None = None, lang: str = DEFAULT_LANG) -> str:
    """'2 errors, 1 warning' for the whole report or one file."""
    plural = translator(lang)
    issues = [i for i in report.issues if file is None or i.file == file]
    n_err = sum(i.severity == ERROR for i in issues)
    n_warn = len(issues) - n_err
    errors = plural.ngettext("{n} error", "{n} errors", n_err).format(n=n_err)
    warnings = plural.ngettext("{n} warning", "{n} warnings", n_warn).format(n=n_warn)
    return f"{errors}, {warnings}"


def row_counts_text(result: LoadResult, file: str | None = None, lang: str = DEFAULT_LANG) -> str:
    """'9 of 11 rows used, 2 not used' for the whole load or one file ('' if none read)."""
    chosen = [c for n, c in result.row_counts.items() if file is None or n == file]
    read = sum(r for r, _ in chosen)
    if not read:
        return ""
    used = sum(u for _, u in chosen)
    _ = gettext(lang)
    return _("{used} of {read} row(s) used, {unused} not used").format(
        used=f"{used:,}", read=f"{read:,}", unused=f"{read - used:,}"
    )


# ---------------------------------------------------------------------------- rendering


@st.cache_data(max_entries=1, show_spinner=False)
def _templates_zip() -> bytes:
    return templates.templates_zip()


def templates_section(lang: str = DEFAULT_LANG) -> None:
    """Empty CSV templates (headers from the schema) and a zip of all with the dictionary."""
    _ = gettext(lang)
    with render.expander(_("Templates: empty CSV files with the expected columns")):
        render.caption(
            _(
                "Each template is the header row of one table. Files are recognised by their "
                "columns, so you may rename them. Dates YYYY-MM-DD (or DD/MM/YYYY), amounts in "
                "₹ crore; 1,23,456 digit grouping is fine."
            )
        )
        row = st.container(horizontal=True)
        for name, table in TABLES.items():
            row.download_button(
                render.label_text(templates.template_name(name)),
                templates.template_csv(name),
                file_name=templates.template_name(name),
                mime="text/csv",
                key=f"ld_tpl_{name}",
                help=render.help_text(f"{_(table.title)}: {table.description}"),
                on_click="ignore",
                icon=":material/download:",
            )
        row.download_button(
            render.label_text(_("All templates + data dictionary (zip)")),
            _templates_zip(),
            file_name=templates.ZIP_NAME,
            mime="application/zip",
            key="ld_tpl_zip",
            on_click="ignore",
            icon=":material/folder_zip:",
        )


def uploaded_files(limits: Limits, lang: str = DEFAULT_LANG) -> list[Upload]:
    """The files chosen in either uploader (held in memory by Streamlit, never on disk)."""
    _ = gettext(lang)
    server_mb = int(st.get_option("server.maxUploadSize") or 200)
    limit_mb = max(limits.max_file_bytes // 2**20, 1)
    help_text = _(
        "Up to {n} files, {mb} MB each (set SMARTCITIES_MAX_FILES and "
        "SMARTCITIES_MAX_FILE_MB to change). Files are checked by their contents, whatever "
        "their names say, and kept only in this browser session."
    ).format(n=limits.max_files, mb=limit_mb)
    kinds = ["csv", "gz", "parquet", "zip", "txt", "tsv"]
    files_tab, folder_tab = render.tabs([_("Files"), _("A folder")])
    # The server's own cap blocks bigger uploads in the browser; never let it undercut ours.
    cap = max(limit_mb, server_mb)
    with files_tab:
        chosen = st.file_uploader(
            render.label_text(_("CSV, CSV.GZ, Parquet or a zip of them")),
            type=kinds,
            accept_multiple_files=True,
            key="ld_files",
            help=render.help_text(help_text),
            max_upload_size=cap,
        )
    with folder_tab:
        folder = st.file_uploader(
            render.label_text(_("A folder of data files")),
            type=kinds,
            accept_multiple_files="directory",
            key="ld_folder",
            help=render.help_text(help_text),
            max_upload_size=cap,
        )
    return [*(chosen or []), *(folder or [])]


def file_sections(result: LoadResult, lang: str = DEFAULT_LANG) -> None:
    """Per file: the table it was recognised as, a preview, and its own report rows."""
    _ = gettext(lang)
    frame = report_frame(result.report)
    names = list(dict.fromkeys([*result.tables_found, *frame["file"].tolist()]))
    for name in names:
        if not name:
            continue
        table = result.tables_found.get(name, "not read")
        title = TABLES[table].title if table in TABLES else _UNRECOGNISED.get(table, table)
        has_issues = (frame["file"] == name).any()
        with render.expander(
            f"{name}: {_(title)} ({counts(result.report, name, lang)})", expanded=has_issues
        ):
            if table in TABLES:
                rows = row_counts_text(result, name, lang)
                render.caption(
                    md(_("Recognised by its columns as the **{}** table."), table)
                    + (f" {rows}." if rows else "")
                )
            else:
                render.caption(_("Not recognised as any table; see the report below."))
            preview = result.previews.get(name)
            if preview is not None and not preview.empty:
                st.dataframe(
                    as_text(preview.head(PREVIEW_ROWS)), hide_index=True, key=f"ld_prev_{name}"
                )
            mine = frame[frame["file"] == name]
            if not mine.empty:
                _report_table(mine.drop(columns="file"), key=f"ld_rep_{name}", lang=lang)


_SHOWN_ORDER = ("severity", "file", "row", "column", "message", "fix", "value", "table")
# Pixels: what is wrong and how to fix it fit on a laptop screen; the rest scrolls.
_WIDTHS = {"severity": 70, "file": 140, "row": 50, "column": 110, "message": 330, "fix": 300}


def _report_table(frame: pd.DataFrame, *, key: str, lang: str = DEFAULT_LANG) -> None:
    """Report rows on screen: what is wrong and the fix before the (often long) value.

    Rows are shown as text so a whole-file issue has a blank row rather than "None". Headers,
    severities, messages and fixes in ``lang`` (the report itself and its CSV stay English).
    """
    _ = gettext(lang)
    columns = [c for c in _SHOWN_ORDER if c in frame.columns]
    shown = frame[columns].copy()
    shown["row"] = [("" if pd.isna(v) else str(int(v))) for v in shown["row"]]
    if "severity" in shown:
        shown["severity"] = [_(str(v)) for v in shown["severity"]]
    for column in ("message", "fix"):
        if column in shown:
            shown[column] = [issue_text.translate(str(v), lang) for v in shown[column]]
    config = {
        c: st.column_config.TextColumn(_(c.capitalize()), width=_WIDTHS.get(c, "medium"))
        for c in columns
    }
    st.dataframe(shown, hide_index=True, key=key, column_config=config)


def report_section(result: LoadResult, lang: str = DEFAULT_LANG) -> None:
    """The whole validation report, a one-line summary and its CSV download."""
    _ = gettext(lang)
    render.subheader(_("Validation report"))
    frame = report_frame(result.report)
    summary = counts(result.report, lang=lang)
    rows = row_counts_text(result, lang=lang)
    if frame.empty:
        passed = _("{summary}: every file passed the checks").format(summary=summary) + (
            f" ({rows})" if rows else ""
        )
        render.success(
            passed + ("." if lang == DEFAULT_LANG else "।"), icon=":material/check_circle:"
        )
        return
    summary += f" · {rows}" if rows else ""
    (render.error if result.report.errors else render.warning)(summary, icon=":material/rule:")
    _report_table(frame, key="ld_report", lang=lang)
    st.download_button(
        render.label_text(_("Download the report (CSV)")),
        report_csv(result.report),
        file_name="validation-report.csv",
        mime="text/csv",
        key="ld_report_csv",
        on_click="ignore",
        icon=":material/download:",
    )


def _adopt() -> None:
    """Button callback: make the checked data this session's data set (sidebar included)."""
    kept = st.session_state.get(RESULT_KEY)
    if kept is None or kept[1].dataset is None:
        return
    new: Dataset = kept[1].dataset
    rows = budget.rows_of(dict(new.tables))  # what the upload adds to the server's memory
    summary = None
    if st.session_state.get(MODE_KEY) == "merge":
        new, summary = merge_over(data.public_dataset(), new)
    if not data.adopt(new, rows):
        st.session_state[ADOPTED_KEY] = (None, None, None)
        return
    st.session_state[W["dataset"]] = "uploaded"
    st.session_state[ADOPTED_KEY] = (new.label, summary, kept[0])


def _stop() -> None:
    """Button callback: drop the upload and go back to the public record."""
    data.forget_upload()
    st.session_state.pop(ADOPTED_KEY, None)
    st.session_state[W["dataset"]] = "public"


def adopt_section(result: LoadResult, in_use: Dataset, lang: str = DEFAULT_LANG) -> None:
    """Choose how to use the checked data; say exactly what is in use whatever happens."""
    _ = gettext(lang)
    render.subheader(_("Use this data"))
    if result.dataset is None:
        render.error(
            _(
                "None of these files can be used, so nothing changed. Your previous data is "
                "still in use: {label}."
            ).format(label=in_use.label),
            icon=":material/block:",
        )
        return
    excluded = excluded_files(result)
    if excluded:
        render.warning(_("Files not used (see the report):"), icon=":material/block:")
        st.dataframe(pd.DataFrame({_("File not used"): excluded}), hide_index=True, key="ld_excl")
    left_out = result.rows_dropped()
    if left_out or rows_dropped(result.report):
        shown = (
            _(
                "Rows with errors are left out ({n} of {total}); every other row will be used."
            ).format(n=fmt.count(left_out), total=fmt.count(left_out + result.rows_used()))
            if left_out
            else _("Every row will be used.")
        )
        blank = any(i.message.endswith(gmis.LEFT_BLANK) for i in result.report.errors)
        note = (
            " " + _("Cells reported as 'left blank' are empty; their rows are used.")
            if blank
            else ""
        )
        render.warning(shown + note, icon=":material/rule:")
    adopted = st.session_state.get(ADOPTED_KEY)
    kept = st.session_state.get(RESULT_KEY)
    if adopted is not None and adopted[0] is None:
        render.error(message_text(budget.full_message(0), lang), icon=":material/block:")
    if (
        adopted is not None
        and kept is not None
        and adopted[2] == kept[0]
        and in_use.kind == UPLOADED
        and in_use.label == adopted[0]
    ):
        render.caption(
            _(
                "These files are in use now ({label}). Press the button again after changing "
                "how to use them."
            ).format(label=in_use.label)
        )
    else:
        render.caption(
            _(
                "Until you press the button, the data in use stays as it is: {label}. Files "
                "checked: {files}."
            ).format(label=in_use.label, files=", ".join(result.dataset.files))
        )
    st.radio(
        render.label_text(_("How to use it")),
        list(MODES),
        format_func=lambda m: _(MODES[m]),
        key=MODE_KEY,
    )
    render.button(_("Use this data"), type="primary", key="ld_adopt", on_click=_adopt)


def status_section(in_use: Dataset, lang: str = DEFAULT_LANG, shown_label: str = "") -> None:
    """Which data set every page shows now, its files, and the way back (``shown_label``: the
    data set's name as the frame shows it in ``lang``)."""
    _ = gettext(lang)
    label = shown_label or in_use.label
    adopted = st.session_state.get(ADOPTED_KEY)
    mine = data.uploaded()
    if adopted is not None and in_use.kind == UPLOADED and adopted[0] == in_use.label:
        render.success(
            _(
                "Now using your data: {label}. The sidebar's Data set shows 'Your uploaded "
                "data', and every page uses it in this browser session only."
            ).format(label=label),
            icon=":material/check_circle:",
        )
        if adopted[1] is not None:
            render.caption(_("Rows added to and replaced in the public record, by table:"))
            summary = adopted[1].rename(columns=lambda c: _(c))  # headers of load.merge_over
            st.dataframe(summary, hide_index=True, key="ld_merge_summary")
    render.text(md(_("**Data set in use:** {}"), label))
    if in_use.files:
        render.caption(md(_("Files: {}"), join(", ", in_use.files)))
    if mine is not None:
        render.button(
            _("Stop using my data"), key="ld_stop", on_click=_stop, icon=":material/undo:"
        )
