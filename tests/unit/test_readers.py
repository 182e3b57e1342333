"""Reading files by their contents: encodings, delimiters, archives, limits, binary formats."""

from __future__ import annotations

import codecs
import gzip
import io
import stat
import zipfile

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from smartcities.config import Limits
from smartcities.readers import (
    Source,
    decode,
    expand,
    read_source,
    sniff,
    sniff_delimiter,
)
from smartcities.report import Report

pytestmark = pytest.mark.unit

CSV = "city_id,city_name,state_ut\npune,Pune,Maharashtra\nindore,Indore,Madhya Pradesh\n"


def read(data: bytes, name: str = "f.csv", limits: Limits | None = None):
    report = Report()
    raw = read_source(Source(name, data), limits or Limits(), report)
    return raw, report


def messages(report: Report) -> str:
    return " | ".join(i.message for i in report.issues).lower()


def xlsx() -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["city_id", "city_name"])
    wb.active.append(["pune", "Pune"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def parquet(n: int = 2) -> bytes:
    table = pa.table({"city_id": ["pune"] * n, "latitude": [18.5] * n})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def zip_of(members: dict[str, bytes], symlink: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        if symlink:
            info = zipfile.ZipInfo(symlink)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, "/etc/passwd")
    return buf.getvalue()


# ------------------------------------------------------------------------------ sniffing


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"PAR1....", "parquet"),
        (gzip.compress(b"a,b\n1,2\n"), "gzip"),
        (b"PK\x03\x04rest", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest", "ole"),
        (b"%PDF-1.7", "binary"),
        (b"a,b\n1,2\n", "text"),
    ],
    # Stable ids: gzip output embeds a timestamp, and xdist workers must collect the same ids.
    ids=["parquet", "gzip", "zip", "ole", "pdf", "text"],
)
def test_sniff(data, kind):
    assert sniff(data) == kind


# ------------------------------------------------------------------------------ encodings


@pytest.mark.parametrize(
    ("data", "encoding", "warns"),
    [
        ("Bhubaneswar,ओडिशा\n".encode(), "utf-8", False),
        (codecs.BOM_UTF8 + b"Pune\n", "utf-8-sig", False),
        ("Pune,पुणे\n".encode("utf-16"), "utf-16", False),
        (codecs.BOM_UTF16_BE + "Pune\n".encode("utf-16-be"), "utf-16", False),
        ("Pune,café – 1\n".encode("cp1252"), "cp1252", True),
    ],
)
def test_decode(data, encoding, warns):
    report = Report()
    text, used = decode(data, "f.csv", report)
    assert used == encoding
    assert text.lstrip("\ufeff").startswith(("Bhubaneswar", "Pune"))
    assert bool(report.warnings) == warns


def test_decode_undecodable_bytes_warns():
    # 0x81 is undefined in cp1252 and invalid UTF-8: decoded somehow, never an exception.
    report = Report()
    text, _ = decode(b"city\nPu\x81ne \xff\xfe\x81\x8d\n", "f.csv", report)
    assert text.startswith("city")
    assert report.warnings


# ------------------------------------------------------------------------------ delimiters


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        ("a,b,c\n1,2,3\n", ","),
        ("a;b;c\n1;2;3\n", ";"),
        ("a\tb\tc\n1\t2\t3\n", "\t"),
        ("a|b|c\n1|2|3\n", "|"),
        ('a;b;c\n"1,64,223";2;3\n', ";"),
        ('a,b\n"x;y;z",2\n', ","),
        ("single\nvalue\n", ","),
    ],
)
def test_sniff_delimiter(text, delimiter):
    assert sniff_delimiter(text) == delimiter


# ------------------------------------------------------------------------------ CSV


def test_csv_cells_are_text_and_rows_are_spreadsheet_numbers():
    raw, report = read(b"id,value,when\n007,1e5,NA\n\n008,,2025-12-01\n")
    assert report.ok
    frame = raw.frame
    assert list(frame.columns) == ["id", "value", "when"]
    # Leading zeros, 'NA' and scientific text are kept as written; the blank line is dropped
    # but row numbering keeps counting it, as a spreadsheet would.
    assert frame.loc[2].tolist() == ["007", "1e5", "NA"]
    assert frame.index.tolist() == [2, 4]


@pytest.mark.parametrize(
    ("data", "columns", "rows", "warns"),
    [
        (b"\n\ncity_id,city_name\npune,Pune\n", ["city_id", "city_name"], [4], False),
        (
            b"Smart Cities Mission: progress as on 01.12.2025,,\n,,\nCity,Status,Date\n"
            b"Pune,live,2025-12-01\nIndore,live,2025-12-01\n",
            ["City", "Status", "Date"],
            [4, 5],
            True,
        ),
        (b"Title only\na;b;c\n1;2;3\n", ["a", "b", "c"], [3], True),
    ],
)
def test_header_below_blank_or_title_rows(data, columns, rows, warns):
    raw, report = read(data)
    assert list(raw.frame.columns) == columns
    assert raw.frame.index.tolist() == rows
    assert any("header is on row" in i.message for i in report.warnings) == warns


def test_quoted_multiline_cell_counts_as_one_row():
    raw, _ = read(b'a,b\n"line 1\nline 2",x\nnext,y\n')
    assert raw.frame["a"].tolist() == ["line 1\nline 2", "next"]
    assert raw.frame.index.tolist() == [2, 3]


def test_empty_file():
    raw, report = read(b"")
    assert raw is None
    assert "file is empty" in messages(report)


def test_whitespace_only_file_is_empty():
    _, report = read(b"  \n\r\n ")
    assert "file is empty" in messages(report)


def test_header_only():
    raw, report = read(b"city_id,city_name\n")
    assert raw is None
    assert "has a header but no data rows" in messages(report)


def test_nul_bytes_stripped_with_warning():
    raw, report = read(b"a,b\nPu\x00ne,1\n")
    assert raw.frame.loc[2, "a"] == "Pune"
    assert "nul" in messages(report)
    assert report.ok


def test_invisible_characters_removed():
    data = "a,b\nPu\u200bne,1\ufeff\nso\u00adft,x\u2060y\n".encode()
    raw, report = read(data)
    assert raw.frame["a"].tolist() == ["Pune", "soft"]
    assert raw.frame["b"].tolist() == ["1", "xy"]
    assert "invisible" in messages(report)


def test_utf16_tab_separated():
    raw, report = read(CSV.replace(",", "\t").encode("utf-16"), "unicode.txt")
    assert raw.encoding == "utf-16"
    assert raw.delimiter == "\t"
    assert raw.frame["city_name"].tolist() == ["Pune", "Indore"]
    assert "tab" in messages(report)


def test_bom_utf8_header_is_clean():
    raw, _ = read(codecs.BOM_UTF8 + CSV.encode())
    assert list(raw.frame.columns)[0] == "city_id"


def test_ragged_row_is_an_error_with_its_row_number():
    # An unquoted Indian-grouped number splits into extra cells.
    raw, report = read(b"area,value\nOdisha,5\nKerala,1,64,223\nBihar,7\n")
    assert raw.frame["area"].tolist() == ["Odisha", "Bihar"]
    assert raw.frame.index.tolist() == [2, 4]
    (issue,) = report.errors
    assert issue.row == 3
    assert "quote" in issue.fix.lower()


def test_short_rows_are_padded():
    raw, report = read(b"a,b,c\n1,2\n3,4,5\n")
    assert report.ok
    assert raw.frame.fillna("").loc[2].tolist() == ["1", "2", ""]


@pytest.mark.parametrize(
    ("data", "limits", "fragment"),
    [
        (CSV.encode() * 10, Limits(max_file_bytes=100), "larger than the limit"),
        (CSV.encode(), Limits(max_rows=1), "more than 1 rows"),
        (b"a,b,c,d\n1,2,3,4\n", Limits(max_columns=3), "columns, more than the limit"),
        (parquet(5), Limits(max_rows=4), "rows, more than the limit"),
    ],
)
def test_limits(data, limits, fragment):
    raw, report = read(data, limits=limits)
    assert raw is None
    assert fragment in messages(report)


# ------------------------------------------------------------------------------ formats


def test_excel_workbook_named_csv():
    raw, report = read(xlsx(), "progress.csv")
    assert raw is None
    (issue,) = report.errors
    assert issue.message == (
        "this is an Excel workbook, not CSV; save it as CSV UTF-8 from Excel "
        "(File > Save As > CSV UTF-8)"
    )


def test_old_excel_ole_file():
    _, report = read(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.csv")
    assert "excel workbook" in messages(report)


def test_ods_spreadsheet():
    data = zip_of({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "x": b"1"})
    report = Report()
    assert expand(Source("sheet.csv", data), Limits(), report) == []
    assert "opendocument" in messages(report)


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"%PDF-1.7 binary", "pdf"),
        (b"\x89PNG\r\n\x1a\n", "png"),
        (b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page"),
        (bytes(range(1, 32)) * 50, "binary"),
    ],
)
def test_other_non_csv_files(data, fragment):
    raw, report = read(data, "data.csv")
    assert raw is None
    assert fragment in messages(report)


def test_parquet_named_csv_is_read_as_parquet():
    raw, report = read(parquet(), "actually.csv")
    assert report.ok
    assert raw.format == "parquet"
    assert raw.frame["latitude"].tolist() == [18.5, 18.5]
    assert raw.frame.index.tolist() == [2, 3]


def test_csv_named_parquet_is_read_as_csv_with_warning():
    raw, report = read(CSV.encode(), "cities.parquet")
    assert raw.format == "csv"
    assert "named .parquet" in messages(report)


def test_truncated_parquet():
    data = parquet()
    raw, report = read(data[: len(data) // 2], "cut.parquet")
    assert raw is None
    assert "truncated" in messages(report)


# ------------------------------------------------------------------------------ archives


def test_gzip_csv():
    report = Report()
    (src,) = expand(Source("cities.csv.gz", gzip.compress(CSV.encode())), Limits(), report)
    assert src.data == CSV.encode()
    assert src.name == "cities.csv.gz"


def test_gzip_bomb_refused():
    bomb = gzip.compress(b"a,b\n" + b"0,0\n" * 2_000_000, 9)  # ~8 MB from a few KB
    assert len(bomb) < 100_000
    report = Report()
    out = expand(Source("bomb.csv.gz", bomb), Limits(max_decompressed_bytes=1 << 20), report)
    assert out == []
    assert "compression bomb" in messages(report)


def test_gzip_larger_than_file_limit_once_decompressed():
    data = gzip.compress(CSV.encode() * 100)
    report = Report()
    limits = Limits(max_file_bytes=len(data) + 10)
    assert expand(Source("x.csv.gz", data), limits, report) == []
    assert "once decompressed" in messages(report)


def test_truncated_gzip():
    data = gzip.compress(CSV.encode() * 50)
    report = Report()
    assert expand(Source("x.csv.gz", data[:-20]), Limits(), report) == []
    assert "truncated" in messages(report) or "damaged" in messages(report)


def test_zip_members_become_sources():
    data = zip_of({"cities.csv": CSV.encode(), "sub/more.parquet": parquet(), ".hidden": b""})
    report = Report()
    out = expand(Source("bundle.zip", data), Limits(), report)
    assert [s.name for s in out] == ["bundle.zip/cities.csv", "bundle.zip/sub/more.parquet"]
    assert report.ok


@pytest.mark.parametrize(
    ("member", "fragment"),
    [
        ("../evil.csv", "outside the archive"),
        ("a/../../evil.csv", "outside the archive"),
        ("/etc/evil.csv", "absolute path"),
        ("C:/evil.csv", "absolute path"),
    ],
)
def test_zip_unsafe_paths_refused(member, fragment):
    data = zip_of({member: CSV.encode(), "ok.csv": CSV.encode()})
    report = Report()
    out = expand(Source("bad.zip", data), Limits(), report)
    assert [s.name for s in out] == ["bad.zip/ok.csv"]
    assert fragment in messages(report)


def test_zip_symlink_refused():
    report = Report()
    out = expand(
        Source("l.zip", zip_of({"ok.csv": CSV.encode()}, symlink="link.csv")), Limits(), report
    )
    assert [s.name for s in out] == ["l.zip/ok.csv"]
    assert "symbolic link" in messages(report)


def test_zip_documentation_skipped_and_empty_archive_reported():
    report = Report()
    data = zip_of({"README.md": b"# hi", "states.csv": b"a\n1\n", "x.csv": CSV.encode()})
    assert [s.name for s in expand(Source("z.zip", data), Limits(), report)] == ["z.zip/x.csv"]
    assert report.ok
    assert expand(Source("docs.zip", zip_of({"README.md": b"# hi"})), Limits(), report) == []
    assert "no data files" in messages(report)


def test_zip_too_many_members():
    data = zip_of({f"f{i}.csv": CSV.encode() for i in range(5)})
    report = Report()
    assert expand(Source("many.zip", data), Limits(max_files=4), report) == []
    assert "more than the limit of 4" in messages(report)


def test_zip_bomb_refused():
    data = zip_of({"big.csv": b"a,b\n" + b"0,0\n" * 1_000_000})
    report = Report()
    out = expand(Source("bomb.zip", data), Limits(max_decompressed_bytes=1 << 20), report)
    assert out == []
    assert "compression bomb" in messages(report)


def test_nested_zip_refused():
    inner = zip_of({"a.csv": CSV.encode()})
    report = Report()
    assert expand(Source("outer.zip", zip_of({"inner.zip": inner})), Limits(), report) == []
    assert "nested" in messages(report)


def test_oversized_upload_refused_before_reading():
    report = Report()
    out = expand(Source("big.csv", b"x" * 2000), Limits(max_file_bytes=1000), report)
    assert out == []
    assert "larger than the limit" in messages(report)
