"""Reading input files: bytes in, a raw table of text cells out, or a clear error.

Files are recognised by their contents, never by their names: a Parquet file called
``data.csv`` is read as Parquet, an Excel workbook called ``data.csv`` is refused with a note on
how to save it as CSV. Every limit in :class:`~smartcities.config.Limits` is checked before the
data is read whole (file size, decompressed size, rows, columns, archive members). Nothing here
unpickles or evaluates anything: CSV goes through pandas' C parser (or :mod:`csv`) with every
cell kept as text, Parquet through :mod:`pyarrow.parquet` with its pandas metadata ignored.

Row numbers follow a spreadsheet's view of the file: the header is row 1 and the first data row
is row 2. The raw frame's index holds these numbers so they survive every later step.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import re
import stat
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from charset_normalizer import from_bytes

from smartcities.config import Limits
from smartcities.report import Report

PARQUET_MAGIC = b"PAR1"
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
EXCEL_MESSAGE = (
    "this is an Excel workbook, not CSV; save it as CSV UTF-8 from Excel "
    "(File > Save As > CSV UTF-8)"
)
EXCEL_FIX = "In Excel: File > Save As > 'CSV UTF-8 (Comma delimited)', then load the .csv file."
SAVE_AS_CSV_FIX = "Export the table as CSV (UTF-8) and load that file instead."

# Other binary formats we can name, so the message says what the file is.
_OTHER_MAGICS: tuple[tuple[bytes, str, str], ...] = (
    (
        b"%PDF",
        "this is a PDF document, not CSV",
        "Copy the table into a spreadsheet and save it as CSV UTF-8.",
    ),
    (b"\x89PNG", "this is a PNG image, not CSV", SAVE_AS_CSV_FIX),
    (b"\xff\xd8\xff", "this is a JPEG image, not CSV", SAVE_AS_CSV_FIX),
    (b"GIF8", "this is a GIF image, not CSV", SAVE_AS_CSV_FIX),
    (
        b"BZh",
        "this is bzip2-compressed; only gzip (.csv.gz) and zip are read",
        "Compress the CSV with gzip or zip instead.",
    ),
    (
        b"\xfd7zXZ\x00",
        "this is xz-compressed; only gzip (.csv.gz) and zip are read",
        "Compress the CSV with gzip or zip instead.",
    ),
    (
        b"7z\xbc\xaf\x27\x1c",
        "this is a 7-Zip archive; only gzip (.csv.gz) and zip are read",
        "Pack the files with zip instead.",
    ),
    (
        b"Rar!",
        "this is a RAR archive; only gzip (.csv.gz) and zip are read",
        "Pack the files with zip instead.",
    ),
    (
        b"\x28\xb5\x2f\xfd",
        "this is zstd-compressed; only gzip (.csv.gz) and zip are read",
        "Compress the CSV with gzip or zip instead.",
    ),
)

# Zero-width space/non-joiner/joiner, word joiner, BOM (inside the text) and soft hyphen.
INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_CONTROL = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_CHUNK = 1 << 16


@dataclass(frozen=True)
class Source:
    """One input file, already in memory (an upload, or a file read from the data folder)."""

    name: str  # file name shown in messages
    data: bytes


@dataclass
class RawTable:
    """A file read as a table: the header as written and the cells (text for CSV).

    ``frame``'s index is the spreadsheet row number of each data row (header = row 1).
    """

    name: str
    frame: pd.DataFrame
    format: str  # "csv" | "parquet"
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)


class ReadError(Exception):
    """A file cannot be used at all. ``fix`` says what the user can do about it."""

    def __init__(self, message: str, fix: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.fix = fix


# --------------------------------------------------------------------------------- sniffing


def sniff(data: bytes) -> str:
    """What a file is, from its first bytes: parquet, gzip, zip, excel, ole, binary or text."""
    head = data[:8]
    if head.startswith(PARQUET_MAGIC):
        return "parquet"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZIP_MAGICS):
        return "zip"
    if head.startswith(OLE_MAGIC):
        return "ole"
    for magic, _, _ in _OTHER_MAGICS:
        if head.startswith(magic):
            return "binary"
    return "text"


def _zip_office_kind(archive: zipfile.ZipFile) -> str | None:
    """'excel'/'ods'/'office' if a zip archive is really an office document."""
    names = set(archive.namelist())
    if "mimetype" in names:
        info = archive.getinfo("mimetype")
        if info.file_size < 200:
            mime = archive.read(info).decode("ascii", "replace")
            if "opendocument.spreadsheet" in mime:
                return "ods"
            if "opendocument" in mime:
                return "office"
    if "[Content_Types].xml" in names:
        return "excel" if any(n.startswith("xl/") for n in names) else "office"
    return None


# --------------------------------------------------------------------------------- archives


def read_capped(fh: IO[bytes], cap: int) -> bytes:
    """Read a decompressing stream in steps, stopping once past ``cap`` bytes: the size is
    what actually comes out, not what an archive's headers declare. At most ``cap + 1`` bytes
    are returned; more than ``cap`` means the member is too large."""
    out = bytearray()
    while len(out) <= cap and (chunk := fh.read(min(_CHUNK, cap + 1 - len(out)))):
        out += chunk
    return bytes(out)


def _gunzip(data: bytes, limits: Limits) -> bytes:
    """Decompress gzip data in bounded steps, refusing once the output passes the limits
    (the decompressed-size limit and the file-size limit, whichever is lower)."""
    limit = min(limits.max_decompressed_bytes, limits.max_file_bytes)
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            while chunk := fh.read(_CHUNK):
                out += chunk
                if len(out) <= limit:
                    continue
                if limit == limits.max_decompressed_bytes:
                    raise ReadError(
                        f"refused: decompresses to more than {_mb(limit)} (a possible "
                        "compression bomb)",
                        "Split the data into smaller files, or ask the administrator to raise "
                        "SMARTCITIES_MAX_DECOMPRESSED_MB.",
                    )
                raise ReadError(
                    f"refused: once decompressed, the file is larger than the limit of "
                    f"{_mb(limit)}",
                    "Split the data into smaller files, or ask the administrator to raise "
                    "SMARTCITIES_MAX_FILE_MB.",
                )
    except EOFError as exc:
        raise ReadError(
            "the gzip data is truncated (the file ends early)",
            "Copy or download the file again; it was cut off.",
        ) from exc
    except (OSError, zlib.error) as exc:
        raise ReadError(
            f"the gzip data is damaged ({exc})", "Compress the original file again."
        ) from exc
    return bytes(out)


# Files that travel with data but are not data tables: reference tables and documentation.
REFERENCE_FILES = frozenset({"aliases.csv", "states.csv", "names_hi.csv", "datapackage.json"})
DOC_PREFIXES = ("readme", "sources", "licence", "license", "changelog", "citation")
DOC_SUFFIXES = (".md", ".rst", ".json", ".html", ".htm", ".pdf", ".py", ".yml", ".yaml")


def is_companion_file(name: str) -> bool:
    """True for reference tables and documentation that sit beside data files."""
    base = PurePosixPath(name.replace("\\", "/")).name.lower()
    return base in REFERENCE_FILES or base.startswith(DOC_PREFIXES) or base.endswith(DOC_SUFFIXES)


def _unsafe_member(name: str) -> str | None:
    """Why a zip member name is refused, or None if it is a plain relative path."""
    if "\x00" in name:
        return "its name contains a NUL byte"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or re.match(r"^[A-Za-z]:", norm):
        return "it has an absolute path"
    if ".." in PurePosixPath(norm).parts:
        return "its path goes outside the archive ('..')"
    return None


def _is_symlink(info: zipfile.ZipInfo) -> bool:
    return stat.S_ISLNK(info.external_attr >> 16)


def _unzip(source: Source, limits: Limits, report: Report) -> list[Source]:
    """Members of a zip archive as sources, with every limit and path rule applied."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(source.data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(
            f"the zip archive is damaged ({exc})", "Create the zip archive again."
        ) from exc
    with archive:
        kind = _zip_office_kind(archive)
        if kind == "excel":
            raise ReadError(EXCEL_MESSAGE, EXCEL_FIX)
        if kind == "ods":
            raise ReadError(
                "this is an OpenDocument spreadsheet (.ods), not CSV; save it as CSV UTF-8",
                "In LibreOffice: File > Save As > Text CSV (.csv), character set UTF-8.",
            )
        if kind == "office":
            raise ReadError(
                "this is an office document, not CSV or a zip of data files", SAVE_AS_CSV_FIX
            )
        members = [
            i
            for i in archive.infolist()
            if not i.is_dir()
            and not i.filename.replace("\\", "/").startswith("__MACOSX/")
            and not PurePosixPath(i.filename.replace("\\", "/")).name.startswith(".")
            and not is_companion_file(i.filename)
        ]
        if not members:
            raise ReadError(
                "the archive holds no data files",
                "Put the CSV or Parquet files in the zip archive.",
            )
        if len(members) > limits.max_files:
            raise ReadError(
                f"refused: the archive holds {len(members)} files, more than the limit of "
                f"{limits.max_files}",
                "Put fewer files in one archive.",
            )
        declared = sum(i.file_size for i in members)
        if declared > limits.max_decompressed_bytes:
            raise ReadError(
                f"refused: the archive unpacks to {_mb(declared)}, more than the limit of "
                f"{_mb(limits.max_decompressed_bytes)} (a possible compression bomb)",
                "Split the data into smaller archives.",
            )
        budget = limits.max_decompressed_bytes
        out: list[Source] = []
        for info in members:
            member_name = f"{source.name}/{info.filename}"
            why = _unsafe_member(info.filename)
            if why is None and _is_symlink(info):
                why = "it is a symbolic link"
            if why is None and info.flag_bits & 0x1:
                why = "it is encrypted"
            if why is not None:
                report.error(
                    member_name,
                    f"archive member refused: {why}",
                    fix="Pack only plain data files, with relative names, in the archive.",
                    value=info.filename,
                )
                continue
            cap = min(budget, limits.max_file_bytes)
            try:
                with archive.open(info) as fh:
                    data = read_capped(fh, cap)
            except (
                zipfile.BadZipFile,
                OSError,
                ValueError,
                NotImplementedError,
                RuntimeError,
                EOFError,
                zlib.error,
            ) as exc:
                report.error(
                    member_name,
                    f"archive member cannot be read ({exc})",
                    fix="Create the zip archive again.",
                )
                continue
            if len(data) > cap:
                if cap == budget:
                    raise ReadError(
                        "refused: the archive unpacks to more than "
                        f"{_mb(limits.max_decompressed_bytes)} (a possible compression bomb)",
                        "Split the data into smaller archives.",
                    )
                report.error(
                    member_name,
                    f"file is larger than the limit of {_mb(limits.max_file_bytes)}; not read",
                    fix="Split the file into smaller ones.",
                )
                continue
            budget -= len(data)
            out.append(Source(member_name, data))
        return out


def expand(source: Source, limits: Limits, report: Report, depth: int = 0) -> list[Source]:
    """Unpack gzip and zip sources into the data files they hold (errors go to ``report``)."""
    try:
        if len(source.data) > limits.max_file_bytes and depth == 0:
            raise ReadError(
                f"file is {_mb(len(source.data))}, larger than the limit of "
                f"{_mb(limits.max_file_bytes)}; not read",
                "Split the file into smaller ones, or ask the administrator to raise "
                "SMARTCITIES_MAX_FILE_MB.",
            )
        kind = sniff(source.data)
        if kind not in ("gzip", "zip"):
            return [source]
        if depth >= 2:
            raise ReadError(
                "nested archives are not read", "Put the data files directly in one zip archive."
            )
        if kind == "gzip":
            data = _gunzip(source.data, limits)
            name = source.name
            inner = Source(name, data)
            if sniff(data) == "zip":
                raise ReadError(
                    "nested archives are not read",
                    "Put the data files directly in one zip archive.",
                )
            return expand(inner, limits, report, depth + 1)
        out: list[Source] = []
        for member in _unzip(source, limits, report):
            if sniff(member.data) in ("gzip", "zip"):
                report.error(
                    member.name,
                    "nested archives are not read",
                    fix="Put the data files directly in one zip archive.",
                )
                continue
            out.append(member)
        return out
    except ReadError as exc:
        report.error(source.name, exc.message, fix=exc.fix)
        return []


# --------------------------------------------------------------------------------- decoding


def decode(data: bytes, name: str, report: Report) -> tuple[str, str]:
    """Bytes to text, trying BOMs, UTF-8, then Windows-1252 / charset detection."""
    for bom, encoding in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                text = data.decode(encoding, errors="replace")
                _warn_replaced(report, name, encoding)
                return text, encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
        report.warning(
            name,
            "the file is not UTF-8; it was read as Windows-1252 (Excel's 'CSV' on Windows)",
            fix="Check accented names; to be sure, save as 'CSV UTF-8' in Excel.",
        )
        return text, "cp1252"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 1 << 20]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        text = data.decode(encoding)
        report.warning(
            name,
            f"the file is not UTF-8; it was read as {encoding}",
            fix="Check the names and text; to be sure, save as 'CSV UTF-8'.",
        )
    except (UnicodeDecodeError, LookupError):
        encoding = "cp1252"
        text = data.decode(encoding, errors="replace")
        _warn_replaced(report, name, encoding)
    return text, encoding


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def _warn_replaced(report: Report, name: str, encoding: str) -> None:
    report.warning(
        name,
        f"some characters could not be decoded (read as {encoding}); they show as '\ufffd'",
        fix="Save the file as 'CSV UTF-8' and load it again.",
    )


# --------------------------------------------------------------------------------- CSV


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon, tab or pipe: csv.Sniffer on a sample, else counts in the header."""
    lines = text.splitlines()
    sample = "\n".join(lines[:50])
    header = lines[0] if lines else ""
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS))
        if dialect.delimiter in _DELIMITERS and _count_outside_quotes(header, dialect.delimiter):
            return dialect.delimiter
    except csv.Error:
        pass
    counts = {
        d: max(_count_outside_quotes(line, d) for line in [header, *lines[:10]])
        for d in _DELIMITERS
    }
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def read_csv_text(text: str, name: str, limits: Limits, report: Report) -> tuple[pd.DataFrame, str]:
    """Parse CSV text into a frame of strings indexed by spreadsheet row number."""
    if "\x00" in text:
        n = text.count("\x00")
        text = text.replace("\x00", "")
        report.warning(
            name,
            f"removed {n} NUL byte(s) from the file",
            fix="The file may be damaged or saved by an unusual program; check it.",
        )
    text, n_invisible = INVISIBLE.subn("", text)
    if n_invisible:
        report.warning(
            name,
            f"removed {n_invisible} invisible character(s) (zero-width space, byte-order mark "
            "or soft hyphen)",
        )
    stripped = text.strip()
    if not stripped:
        raise ReadError("file is empty", "Choose the file that holds the data.")
    low = stripped[:512].lower()
    if low.startswith(("<!doctype html", "<html", "<table")) or (
        low.startswith("<?xml") and "office:spreadsheet" in stripped[:4096].lower()
    ):
        raise ReadError(
            "this is a web page or XML spreadsheet (what some portals export as 'Excel'), not CSV",
            "Open it in Excel and save it as CSV UTF-8 (File > Save As > CSV UTF-8).",
        )
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise ReadError("this is a binary file, not CSV text", SAVE_AS_CSV_FIX)

    delimiter = sniff_delimiter(text)
    skip = _lines_above_header(text, delimiter)
    if skip:
        lines = text.splitlines(keepends=True)
        if any(line.strip().strip(delimiter).strip() for line in lines[:skip]):
            report.warning(
                name,
                f"the header is on row {skip + 1}; the row(s) above it (a title?) were skipped",
            )
        text = "".join(lines[skip:])
    header_line = next(iter(text.splitlines()), "")
    header = next(csv.reader([header_line], delimiter=delimiter), [])
    if len(header) > limits.max_columns:
        raise ReadError(
            f"refused: {len(header)} columns, more than the limit of {limits.max_columns}",
            "Keep only the columns of the data dictionary.",
        )
    if delimiter != ",":
        report.warning(
            name,
            f"columns are separated by {_DELIMITER_NAMES[delimiter]}s, not commas; read that way",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                sep=delimiter,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                index_col=False,
                nrows=limits.max_rows + 1,
                engine="c",
            )
        frame.index = pd.RangeIndex(2 + skip, 2 + skip + len(frame))
    except pd.errors.EmptyDataError as exc:
        raise ReadError("file is empty", "Choose the file that holds the data.") from exc
    except (pd.errors.ParserError, pd.errors.ParserWarning, ValueError):
        frame = _read_csv_slow(text, delimiter, name, limits, report, first_row=2 + skip)
    if len(frame) > limits.max_rows:
        raise ReadError(
            f"refused: more than {limits.max_rows:,} rows",
            "Split the file, or ask the administrator to raise SMARTCITIES_MAX_ROWS.",
        )
    frame.columns = [str(c) for c in frame.columns]
    cells = frame.astype("string").fillna("")
    blank = (cells.apply(lambda s: s.str.strip()) == "").all(axis=1)
    frame = frame.loc[~blank]
    if frame.empty:
        raise ReadError("has a header but no data rows", "Add the data rows below the header.")
    return frame, delimiter


def _lines_above_header(text: str, delimiter: str, sample: int = 20) -> int:
    """Lines before the header row: blank lines and title rows (fewer filled cells than the
    table is wide). 0 for an ordinary file."""
    reader = csv.reader(io.StringIO(text[: 1 << 16], newline=""), delimiter=delimiter)
    records: list[tuple[int, list[str]]] = []
    start = 0
    try:
        for record in reader:
            records.append((start, record))
            start = reader.line_num
            if len(records) >= sample:
                break
    except csv.Error:
        return 0
    widths = [len(r) for _, r in records if sum(1 for c in r if c.strip()) >= 2]
    if not widths:
        return next((line for line, r in records if any(c.strip() for c in r)), 0)
    width = max(set(widths), key=widths.count)
    need = 1 if width == 1 else max(2, -(-width // 2))
    for line, record in records:
        if len(record) >= width and sum(1 for c in record if c.strip()) >= need:
            return line
    return 0


def _read_csv_slow(
    text: str, delimiter: str, name: str, limits: Limits, report: Report, first_row: int = 2
) -> pd.DataFrame:
    """Row-by-row parse for files with ragged rows: rows with too many cells are errors."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration as exc:
        raise ReadError("file is empty") from exc
    width = len(header)
    rows: list[list[str]] = []
    index: list[int] = []
    try:
        for number, record in enumerate(reader, start=first_row):
            if len(rows) > limits.max_rows:
                break
            if len(record) > width:
                if any(cell.strip() for cell in record[width:]):
                    report.error(
                        name,
                        f"row has {len(record)} cells but the header has {width}; row not used",
                        row=number,
                        value=delimiter.join(record),
                        fix='Quote cells that contain the separator, e.g. "1,64,223", or '
                        "remove the extra cells.",
                    )
                    continue
                record = record[:width]
            rows.append(record + [""] * (width - len(record)))
            index.append(number)
    except csv.Error as exc:
        raise ReadError(
            f"the CSV cannot be parsed ({exc})",
            'Check quotes: every opening " needs a closing one.',
        ) from exc
    return pd.DataFrame(rows, columns=_dedupe_header(header), index=index, dtype="str")


def _dedupe_header(header: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for col in header:
        if col in seen:
            seen[col] += 1
            out.append(f"{col}.{seen[col]}")
        else:
            seen[col] = 0
            out.append(col)
    return out


# --------------------------------------------------------------------------------- Parquet


def read_parquet_bytes(data: bytes, name: str, limits: Limits) -> pd.DataFrame:
    """Read Parquet with pyarrow, limits checked from the footer before any data is read."""
    if len(data) < 12 or not data.endswith(PARQUET_MAGIC):
        raise ReadError(
            "the Parquet file is truncated or damaged (its footer is missing)",
            "Copy or export the file again; it was cut off.",
        )
    try:
        pfile = pq.ParquetFile(io.BytesIO(data))
        meta = pfile.metadata
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ReadError(f"the Parquet file is damaged ({exc})", "Export the file again.") from exc
    if meta.num_columns > limits.max_columns:
        raise ReadError(
            f"refused: {meta.num_columns} columns, more than the limit of {limits.max_columns}",
            "Keep only the columns of the data dictionary.",
        )
    if meta.num_rows > limits.max_rows:
        raise ReadError(
            f"refused: {meta.num_rows:,} rows, more than the limit of {limits.max_rows:,}",
            "Split the file, or ask the administrator to raise SMARTCITIES_MAX_ROWS.",
        )
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > limits.max_decompressed_bytes:
        raise ReadError(
            f"refused: the data unpacks to {_mb(size)}, more than the limit of "
            f"{_mb(limits.max_decompressed_bytes)}",
            "Split the file into smaller ones.",
        )
    if meta.num_rows == 0:
        raise ReadError("has a header but no data rows", "Add data rows to the file.")
    try:
        table = pfile.read()
        frame = table.to_pandas(ignore_metadata=True, types_mapper=_types_mapper)
    except (pa.ArrowException, OSError, ValueError) as exc:
        raise ReadError(f"the Parquet file is damaged ({exc})", "Export the file again.") from exc
    frame.columns = [str(c) for c in frame.columns]
    # A pandas index saved into the file: not data.
    frame = frame.drop(
        columns=[c for c in frame.columns if re.fullmatch(r"__index_level_\d+__", c)]
    )
    for col in frame.columns:
        s = frame[col]
        if s.dtype == object:
            # Nested or binary values: keep their text form only.
            frame[col] = s.map(lambda v: None if v is None else str(v)).astype("string")
    frame.index = pd.RangeIndex(2, 2 + len(frame))
    return frame


def _types_mapper(arrow_type: pa.DataType) -> object:
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return pd.StringDtype()
    return None


# --------------------------------------------------------------------------------- entry


def read_source(source: Source, limits: Limits, report: Report) -> RawTable | None:
    """Read one (already unpacked) source into a raw table; problems go to ``report``."""
    try:
        return _read_source(source, limits, report)
    except ReadError as exc:
        report.error(source.name, exc.message, fix=exc.fix)
        return None


def _read_source(source: Source, limits: Limits, report: Report) -> RawTable:
    data = source.data
    if len(data) > limits.max_file_bytes:
        raise ReadError(
            f"file is {_mb(len(data))}, larger than the limit of {_mb(limits.max_file_bytes)}; "
            "not read",
            "Split the file into smaller ones, or ask the administrator to raise "
            "SMARTCITIES_MAX_FILE_MB.",
        )
    if not data.strip():
        raise ReadError("file is empty", "Choose the file that holds the data.")
    kind = sniff(data)
    lower = source.name.lower()
    if kind == "parquet":
        frame = read_parquet_bytes(data, source.name, limits)
        return RawTable(source.name, frame, "parquet")
    if kind == "ole":
        raise ReadError(EXCEL_MESSAGE.replace("workbook", "workbook (.xls)"), EXCEL_FIX)
    if kind == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            office = _zip_office_kind(archive)
        if office == "excel":
            raise ReadError(EXCEL_MESSAGE, EXCEL_FIX)
        raise ReadError(
            "this is a zip archive inside an archive; it was not read",
            "Put the data files directly in one zip archive.",
        )
    if kind == "gzip":
        raise ReadError("nested archives are not read")
    if kind == "binary":
        for magic, message, fix in _OTHER_MAGICS:
            if data.startswith(magic):
                raise ReadError(message, fix)
    text, encoding = decode(data, source.name, report)
    if lower.endswith((".parquet", ".pq")):
        report.warning(source.name, "the file is named .parquet but holds CSV text; read as CSV")
    if lower.endswith((".xlsx", ".xls", ".ods")):
        report.warning(
            source.name, "the file is named like a spreadsheet but holds CSV text; read as CSV"
        )
    frame, delimiter = read_csv_text(text, source.name, limits, report)
    return RawTable(source.name, frame, "csv", encoding=encoding, delimiter=delimiter)


def _mb(n: int) -> str:
    if n >= 1 << 20:
        return f"{n / (1 << 20):.1f} MB"
    if n >= 1 << 10:
        return f"{n / (1 << 10):.0f} KB"
    return f"{n} bytes"
