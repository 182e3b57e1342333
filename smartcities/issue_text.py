"""The validation report's messages and fixes in the page's language.

The loader (:mod:`smartcities.load`, :mod:`smartcities.normalise`, :mod:`smartcities.readers`,
:mod:`smartcities.gmis`) writes every :class:`~smartcities.report.Issue` in English, once: the
same report is shown in either language, kept in the store and written to the report CSV, and
many checks and tests read its English text. So the issues stay language-neutral data and are
translated only when shown: :func:`translate` matches a message or fix against the English
templates below (marked with ``N_()``, so ``make i18n`` puts them in the catalog), takes the
values it quotes (file, column, value, counts) from the English text and puts them into the
template's translation. Text that matches no template is shown as it is (English), so a new
message in the loader is never lost, only untranslated until a template is added here;
``tests/unit/test_issue_text.py`` loads bad files and fails when a common one is left English.
Reading the English back (rather than storing a template id and parameters in each issue) keeps
the issue record, its store table and the loader's many call sites as they are, and translates
reports kept in stores built before this module existed.

Placeholders: ``{msgs…}`` is a list of messages joined with "; "; ``{msg…}`` is itself a
message (translated the same way, e.g. the check inside "column x: {msg}; the file was not
used"); ``{label…}`` is a metric or column label from the schema; ``{or_…}`` is a list joined
with " or "; any other name is a value shown as given (names from the file, numbers, column
names, which are the data dictionary's identifiers in both languages).
"""

from __future__ import annotations

import re
import string
from functools import cache, lru_cache

from smartcities.i18n import DEFAULT_LANG, N_, gettext, normalise

# Longest templates are tried first (see _compiled), so the order here is only for reading.
TEMPLATES: tuple[str, ...] = (
    # ---------------------------------------------------------------- files refused or unreadable
    N_("data folder not found"),
    N_("Check --data-dir or SMARTCITIES_DATA_DIR."),
    N_("spreadsheet files are not read; save it as CSV UTF-8"),
    N_("In Excel: File > Save As > CSV UTF-8."),
    N_("refused: this is a symbolic link"),
    N_("Copy the file itself into the data folder."),
    N_("cannot be read ({reason})"),
    N_("refused: the path leads outside the data folder"),
    N_("file is {size} MB, larger than the limit of {limit} MB; not read"),
    N_("file is {size}, larger than the limit of {limit}; not read"),
    N_("file is {size} MB, larger than the limit of {limit} MB per file; not read"),
    N_("file is larger than the limit of {limit}; not read"),
    N_("Split the file, or raise SMARTCITIES_MAX_FILE_MB."),
    N_("Split the file into smaller ones."),
    N_(
        "Split the file into smaller ones, or ask the administrator to raise "
        "SMARTCITIES_MAX_FILE_MB."
    ),
    N_(
        "Split the file into smaller ones, or ask the administrator to raise the "
        "SMARTCITIES_MAX_FILE_MB environment variable."
    ),
    N_("not read: more than {n} data files in the folder"),
    N_("Raise SMARTCITIES_MAX_FILES or combine files."),
    N_("file grew past the size limit while being read; not read"),
    N_("more than {n} files; the rest were not read"),
    N_("Load fewer files at once, or raise SMARTCITIES_MAX_FILES."),
    N_("file is empty"),
    N_("Choose the file that holds the data."),
    N_("has a header but no data rows"),
    N_("Add the data rows below the header."),
    N_("Add data rows to the file."),
    N_(
        "this is an Excel workbook, not CSV; save it as CSV UTF-8 from Excel (File > Save As > "
        "CSV UTF-8)"
    ),
    N_(
        "this is an Excel workbook (.xls), not CSV; save it as CSV UTF-8 from Excel "
        "(File > Save As > CSV UTF-8)"
    ),
    N_("In Excel: File > Save As > 'CSV UTF-8 (Comma delimited)', then load the .csv file."),
    N_("Export the table as CSV (UTF-8) and load that file instead."),
    N_("this is a PDF document, not CSV"),
    N_("Copy the table into a spreadsheet and save it as CSV UTF-8."),
    N_("this is a PNG image, not CSV"),
    N_("this is a JPEG image, not CSV"),
    N_("this is a GIF image, not CSV"),
    N_("this is bzip2-compressed; only gzip (.csv.gz) and zip are read"),
    N_("this is xz-compressed; only gzip (.csv.gz) and zip are read"),
    N_("this is zstd-compressed; only gzip (.csv.gz) and zip are read"),
    N_("Compress the CSV with gzip or zip instead."),
    N_("this is a 7-Zip archive; only gzip (.csv.gz) and zip are read"),
    N_("this is a RAR archive; only gzip (.csv.gz) and zip are read"),
    N_("Pack the files with zip instead."),
    N_("this is an OpenDocument spreadsheet (.ods), not CSV; save it as CSV UTF-8"),
    N_("In LibreOffice: File > Save As > Text CSV (.csv), character set UTF-8."),
    N_("this is an office document, not CSV or a zip of data files"),
    N_("this is a web page or XML spreadsheet (what some portals export as 'Excel'), not CSV"),
    N_("Open it in Excel and save it as CSV UTF-8 (File > Save As > CSV UTF-8)."),
    N_("this is a binary file, not CSV text"),
    N_("refused: decompresses to more than {limit} (a possible compression bomb)"),
    N_(
        "Split the data into smaller files, or ask the administrator to raise "
        "SMARTCITIES_MAX_DECOMPRESSED_MB."
    ),
    N_("refused: once decompressed, the file is larger than the limit of {limit}"),
    N_(
        "Split the data into smaller files, or ask the administrator to raise "
        "SMARTCITIES_MAX_FILE_MB."
    ),
    N_("the gzip data is truncated (the file ends early)"),
    N_("Copy or download the file again; it was cut off."),
    N_("the gzip data is damaged ({reason})"),
    N_("Compress the original file again."),
    N_("the zip archive is damaged ({reason})"),
    N_("Create the zip archive again."),
    N_("the archive holds no data files"),
    N_("Put the CSV or Parquet files in the zip archive."),
    N_("refused: the archive holds {n} files, more than the limit of {limit}"),
    N_("Put fewer files in one archive."),
    N_(
        "refused: the archive unpacks to {size}, more than the limit of {limit} (a possible "
        "compression bomb)"
    ),
    N_("refused: the archive unpacks to more than {limit} (a possible compression bomb)"),
    N_("Split the data into smaller archives."),
    N_("archive member refused: {msg}"),
    N_("its name contains a NUL byte"),
    N_("it has an absolute path"),
    N_("its path goes outside the archive ('..')"),
    N_("it is a symbolic link"),
    N_("it is encrypted"),
    N_("Pack only plain data files, with relative names, in the archive."),
    N_("archive member cannot be read ({reason})"),
    N_("nested archives are not read"),
    N_("Put the data files directly in one zip archive."),
    N_("the file is not UTF-8; it was read as Windows-1252 (Excel's 'CSV' on Windows)"),
    N_("Check accented names; to be sure, save as 'CSV UTF-8' in Excel."),
    N_("the file is not UTF-8; it was read as {encoding}"),
    N_("Check the names and text; to be sure, save as 'CSV UTF-8'."),
    N_("some characters could not be decoded (read as {encoding}); they show as '\ufffd'"),
    N_("Save the file as 'CSV UTF-8' and load it again."),
    N_("removed {n} NUL byte(s) from the file"),
    N_("The file may be damaged or saved by an unusual program; check it."),
    N_("removed {n} invisible character(s) (zero-width space, byte-order mark or soft hyphen)"),
    N_("the header is on row {row}; the row(s) above it (a title?) were skipped"),
    N_("refused: {n} columns, more than the limit of {limit}"),
    N_("Keep only the columns of the data dictionary."),
    N_("columns are separated by semicolons, not commas; read that way"),
    N_("columns are separated by tabs, not commas; read that way"),
    N_("columns are separated by pipes, not commas; read that way"),
    N_("refused: more than {n} rows"),
    N_("refused: {n} rows, more than the limit of {limit}"),
    N_("Split the file, or ask the administrator to raise SMARTCITIES_MAX_ROWS."),
    N_("refused: the data unpacks to {size}, more than the limit of {limit}"),
    N_("row has {n} cells but the header has {width}; row not used"),
    N_('Quote cells that contain the separator, e.g. "1,64,223", or remove the extra cells.'),
    N_("the CSV cannot be parsed ({reason})"),
    N_('Check quotes: every opening " needs a closing one.'),
    N_("the file is named .parquet but holds CSV text; read as CSV"),
    N_("the Parquet file is truncated or damaged (its footer is missing)"),
    N_("Copy or export the file again; it was cut off."),
    N_("the Parquet file is damaged ({reason})"),
    N_("Export the file again."),
    # ---------------------------------------------------------------- which table, which columns
    N_("the columns ({columns}) do not match any table of the data dictionary"),
    N_(
        "Expected e.g. cities (city_id, city_name, state_ut, ...), progress (as_of_date, level, "
        "area_id, metric, value, ...), iccc (city_id, stage, stage_date, ...) or events "
        "(event_date, event, category). Download a template from the upload page."
    ),
    N_("no row of the file can be used (see above)"),
    N_("missing required column(s) for the {table} table: {columns}; the file was not used"),
    N_("Expected columns: {columns}."),
    N_("Rename: {msgs_hints}. Expected columns: {columns}."),
    N_("your column '{column}' may be {name}"),
    N_("{n} column(s) not in the data dictionary, ignored: {columns}"),
    N_("Rename them to the dictionary's names if they hold contract data."),
    N_("unknown metric column '{column}': its values were not loaded"),
    N_("no source_url column: every row is attributed to this file"),
    N_("Add a source_url column saying where each figure was published."),
    N_("no {table} table was found; pages that use it will be empty"),
    N_("column {column}: {msg}; the file was not used"),
    # ---------------------------------------------------------------- rows: what is used
    N_(
        "{unused} of {read} row(s) were not used (see the rows listed); the other {used} were "
        "loaded"
    ),
    N_("Correct the rows listed and load the file again."),
    N_(
        "'{file}' also holds the {table} table: the rows of both are used, and where both give a "
        "row for the same key, the one from '{file}' is kept (files are read in name order)"
    ),
    N_("Keep one file per table in the folder, or remove the rows one of them repeats."),
    N_("exact duplicate of row {row}; dropped"),
    N_("exact duplicate of row {row} of {file}; dropped"),
    N_("Remove the repeated row."),
    N_(
        "duplicate key ({key}): row {row} has the same key with other values; this row was not used"
    ),
    N_(
        "duplicate key ({key}): row {row} of {file} has the same key with other values; this row "
        "was not used"
    ),
    N_("Keep one row per {columns}; correct or remove the other."),
    N_("{n} more duplicate row(s)"),
    N_("{n} more row(s) with the same problem: {msg}"),
    # ---------------------------------------------------------------- cells: numbers and dates
    N_("'{value}' is not a number"),
    N_("'{value}' has unclear digit grouping"),
    N_("'{value}' is a percentage, but this column is not in per cent"),
    N_("'{value}': cannot convert '{word}' into this column's unit"),
    N_(
        "Write a number such as 1,64,223 or 155386.5; amounts may say '₹1.5 lakh crore' or '250 "
        "cr'."
    ),
    N_("Write a plain number, such as 1,64,223 or 25.43."),
    N_("'{value}' is not a real date (day-month-year)"),
    N_("'{value}' looks like an Excel day number outside 2000-2099"),
    N_("'{value}' is not a date this loader reads"),
    N_("Write dates as YYYY-MM-DD (e.g. 2025-12-01) or DD/MM/YYYY (day first)."),
    N_("{n} date(s) gave only a month; set to the 1st of the month"),
    N_("{n} date(s) gave only a month; set to the 1st of the month (the note says so)"),
    N_("value {value} is negative"),
    N_("Counts and amounts cannot be negative; check the sign."),
    N_("{column} {value} must be at least {limit}"),
    N_("{column} must be at least {limit}"),
    N_("{column} must be at most {limit}"),
    N_("{column} must not be empty"),
    N_("{column} not_nullable"),
    N_("{column} must be one of {values}"),
    N_("Check {column}: it must be at least {limit}."),
    N_("{column} {value} is larger than any real record could hold (at most {limit})"),
    N_("Check the unit (amounts are in ₹ crore, not rupees) and the digits of {column}."),
    N_("value {value} is larger than any real {unit} figure could be (at most {limit})"),
    N_("Check the unit (amounts are in ₹ crore, not rupees) and the digits."),
    N_("{n} more row(s) with a {unit} value above {limit}"),
    N_("{label} ({column}) is empty"),
    N_("Fill in {column}, e.g. {example}."),
    N_("Fill in {column}."),
    N_("Fill in this cell."),
    N_("{column} '{value}' is not allowed"),
    N_("Use one of: {values}."),
    N_("must not be empty"),
    N_("metric is empty"),
    N_("Name the measure, e.g. projects_completed_count."),
    N_("unknown metric '{value}'"),
    N_("Use a metric from the data dictionary, e.g. projects_completed_count."),
    N_("unit '{unit}' does not fit metric {metric}"),
    N_("The unit of this metric is '{unit}' (or leave it empty)."),
    N_("unknown selection round '{value}'"),
    N_("date_basis '{value}' is not allowed"),
    # ---------------------------------------------------------------- cities and states
    N_("no city given"),
    N_("Fill in the city's name or city_id."),
    N_("unknown city '{value}'"),
    N_("unknown state/UT '{value}'"),
    N_("Use the state/UT's current name, e.g. Odisha, Tamil Nadu, Delhi."),
    N_(
        "Use a city from the cities table (the 100 Smart Cities unless your upload adds its "
        "own), or add the spelling to data/aliases.csv."
    ),
    N_("Did you mean {or_names}?"),
    N_("Did you mean {or_names}? If so, correct the name."),
    N_("city_id '{city_id}' is {name}, but city_name says '{city_name}'"),
    N_("Check city_id and city_name."),
    N_("city_id '{city_id}' is {name} in the reference list, but city_name says '{city_name}'"),
    N_("Correct the city_id or the city_name."),
    N_(
        "city_id '{city_id}' differs from the reference id '{reference}' of {name}; merged with "
        "the public record, they count as two cities"
    ),
    N_("Use city_id '{reference}' unless the difference is intended."),
    N_("'{value}' is not in the reference list of Smart Cities; kept as a new city"),
    N_("city names matched through the alias table: {pairs}"),
    N_("state/UT names matched through the alias table: {pairs}"),
    N_("city '{value}' is not in the cities table; row not used"),
    N_("{n} more row(s) name a city not in the cities table"),
    N_("state '{value}' is not the state of {city} ({state}); the city's state is used"),
    N_("Check the state or the city of this project."),
    N_("unknown state/UT name(s), left blank: {values}"),
    # ---------------------------------------------------------------- figures that disagree
    N_("{label_later} ({later}) exceed {label_earlier} ({earlier}) for {area} on {date}"),
    N_(
        "A later stage cannot exceed an earlier one (completed ≤ work orders issued ≤ tendered); "
        "check both figures and their dates."
    ),
    N_("Funds utilised cannot exceed funds released; check both figures."),
    N_("{n} more figure(s) where a later stage exceeds an earlier one"),
    N_("project {project}: {later} is before {earlier}"),
    N_("Check the dates: a project is tendered, then gets a work order, then is completed."),
    N_("{n} more project(s) with dates out of order"),
    N_("{area}: reported {metric} {reported} on {date} but the projects table gives {derived}"),
    N_("Check the project list or the reported figure; both are kept as given."),
    N_(
        "progress was derived from the projects table where none is reported ({levels}: {n} "
        "city(ies) with no reported figures)"
    ),
    N_("Nothing to fix: derived rows say source 'derived:projects'."),
    # ---------------------------------------------------------------- text kept as text
    N_(
        "{n} cell(s) starts with '=', '+', '-' or '@' like a spreadsheet formula: kept and shown "
        "as plain text"
    ),
    N_("{n} cell(s) contains HTML/script tags: kept and shown as plain text"),
    N_("Nothing to do unless this is a mistake; downloads neutralise it."),
    N_(
        "{column} holds link, image, HTML or formula markup; it is kept and shown as plain text, "
        "never as a link or picture"
    ),
    N_("Remove the markup if it is not part of the name or note."),
    N_("{n} more row(s) with markup in {column}"),
    # ---------------------------------------------------------------- projects (GMIS export)
    N_(
        "read as the Smart Cities Mission's project export (GMIS layout): {n} of its columns are "
        "used"
    ),
    N_(
        "Nothing to fix. The column names, stage words and categories are mapped through "
        "data/vocab/*.csv."
    ),
    N_("{n} export column(s) not kept (not in the data dictionary): {columns}"),
    N_("Nothing to fix: these columns are not used by the dashboard."),
    N_("{n} column(s) not in the export's layout, ignored: {columns}"),
    N_("If one holds project data, give it the export's column name."),
    N_("{n} row(s) have no {column}; their stage was taken from the latest stage date they give"),
    N_("Fill in {column} to state the stage."),
    N_("{column} '{value}' is not a stage of the export; row not used"),
    N_("Use one of: {values} (or add the term to data/vocab/project_stages.csv)."),
    N_("{column} is empty and the row gives no stage date; row not used"),
    N_("Fill in {column}, e.g. Work Order Issued."),
    N_("the file has no {column} column and the row gives no stage date; row not used"),
    N_("Add the export's {column} column (the stage), or the stage dates."),
    N_("{n} more row(s) with no usable {column}; not used"),
    N_(
        "{n} {column} value(s) say neither area-based (ABD) nor pan-city; those projects have no "
        "component: {values}"
    ),
    N_("Add the category to data/vocab/project_categories.csv with its component."),
    N_("{column} {value} is before the mission was launched (25 June 2015)"),
    N_("Check the year; a date before the launch cannot be a stage of a Smart City project."),
    N_("{column} {value} is after today ({today})"),
    N_("Check the year (a typo such as 2031 for 2021?); a stage cannot be reached in the future."),
    N_("{n} more {column} date(s) that are before the mission was launched"),
    N_("{n} more {column} date(s) that are after today"),
    N_("{msg}; left blank, the rest of the row is used"),
    N_("{msg}; row not used"),
    N_("no cost: {columns} are empty"),
    N_("cost is empty"),
    N_("Give the project's cost in ₹ crore (the estimated cost will do)."),
    # ---------------------------------------------------------------- the upload page's limits
    N_(
        "The server is busy checking other users' files. Nothing was read; try again in a "
        "minute. Your data in use has not changed."
    ),
    N_(
        "The server holds as much uploaded data as it can for all its users right now. "
        "Nothing was read; try again later, or load fewer rows. Your data in use has not "
        "changed."
    ),
    N_(
        "You chose {n} files; at most {limit} can be checked at once. Nothing was read. Load "
        "fewer files (or one zip of them), or ask the administrator to raise the "
        "SMARTCITIES_MAX_FILES environment variable."
    ),
    N_(
        "These files hold more rows than the server can take now (at most {n} more). "
        "Nothing was kept; load fewer rows, or try again later. Your data in use has not "
        "changed."
    ),
)

_FIELDS = string.Formatter()
_CRORE = " (₹ crore)"


# Longer texts are shown as they are: matching is then not worth its time (a message quotes a
# file's value, which may be long or hostile).
MAX_CHARS = 2000
Compiled = tuple[tuple[str, re.Pattern[str], tuple[str, ...], tuple[str, ...]], ...]


@cache
def _compiled() -> Compiled:
    """(template, pattern, placeholder names, literal parts) for every template, most literal
    text first, so a specific template wins over a general one that also matches (``{msg}; row
    not used``)."""
    out = []
    for template in TEMPLATES:
        pattern, names, parts = "", [], []
        for text, name, _spec, _conv in _FIELDS.parse(template):
            pattern += re.escape(text)
            parts.append(text)
            if name is None:
                continue
            if name in names:
                pattern += f"(?P={name})"  # the same value again ('{file}' … '{file}')
            else:
                names.append(name)
                # A label may hold brackets ("… (₹ crore)"): it takes all it can.
                pattern += f"(?P<{name}>.*)" if name.startswith("label") else f"(?P<{name}>.*?)"
        literal = sum(map(len, parts))
        compiled = re.compile(pattern, re.DOTALL)
        out.append((literal, template, compiled, tuple(names), tuple(p for p in parts if p)))
    out.sort(key=lambda t: -t[0])
    return tuple((template, pattern, names, parts) for _, template, pattern, names, parts in out)


def _match(text: str) -> tuple[str, dict[str, str]] | None:
    """The template ``text`` was written from, and the values it put in, or None."""
    if len(text) > MAX_CHARS:
        return None
    for template, pattern, _names, parts in _compiled():
        # Cheap test first: every literal part of the template is somewhere in the text.
        if not all(part in text for part in parts):
            continue
        found = pattern.fullmatch(text)
        if found is not None:
            return template, found.groupdict()
    return None


def _param(name: str, value: str, lang: str) -> str:
    _ = gettext(lang)
    if name.startswith("msgs"):
        return "; ".join(translate(part, lang) for part in value.split("; "))
    if name.startswith("msg"):
        return translate(value, lang)
    if name.startswith("label"):
        # Metric labels from the schema (schema.label: "… (₹ crore)" for amounts); the loader
        # writes the second one in lower case.
        base, crore = value.removesuffix(_CRORE), value.endswith(_CRORE)
        for candidate in (base, base[:1].upper() + base[1:]):
            if _(candidate) != candidate:
                return _(candidate) + (f" ({_('₹ crore')})" if crore else "")
        return value
    if name.startswith("or_"):
        return value.replace(" or ", " " + _("or") + " ")
    return value


@lru_cache(maxsize=4096)  # texts quote users' values: bounded
def _translate(text: str, lang: str) -> str:
    _ = gettext(lang)
    matched = _match(text)
    if matched is None:
        return text
    template, values = matched
    translated = _(template)
    if translated == template:
        return text  # not in the catalog yet: the English as it is
    return translated.format(**{n: _param(n, v, lang) for n, v in values.items()})


def translate(text: str, lang: object = DEFAULT_LANG) -> str:
    """A loader's message or fix in ``lang``; English (and anything no template matches) is
    returned unchanged."""
    lang = normalise(lang)
    if lang == DEFAULT_LANG or not text:
        return text
    return _translate(text, lang)


def translated(text: str, lang: object = DEFAULT_LANG) -> bool:
    """Whether :func:`translate` translates ``text`` whole, the messages inside it included
    (English always is)."""
    lang = normalise(lang)
    if lang == DEFAULT_LANG or not text:
        return True
    matched = _match(text)
    if matched is None or gettext(lang)(matched[0]) == matched[0]:
        return False
    inner = [
        part
        for name, value in matched[1].items()
        if name.startswith("msg")
        for part in (value.split("; ") if name.startswith("msgs") else [value])
    ]
    return all(translated(part, lang) for part in inner)
