"""The upload templates: header rows straight from the schema, and a zip the loader accepts."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from smartcities import templates
from smartcities.load import Source, detect_table, load_sources
from smartcities.schema import TABLES

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("table", list(TABLES))
def test_template_is_the_schema_header_only(table: str) -> None:
    data = templates.template_csv(table)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows == [TABLES[table].columns]
    assert not data.startswith(b"\xef\xbb\xbf")  # no BOM: the header is plain ASCII


@pytest.mark.parametrize("table", list(TABLES))
def test_loader_recognises_each_template(table: str) -> None:
    """A filled-in template must land in the table it was made for."""
    assert detect_table(TABLES[table].columns) == table


def test_empty_template_is_reported_not_loaded() -> None:
    result = load_sources([Source("progress.csv", templates.template_csv("progress"))])
    assert result.dataset is None
    assert any("no data rows" in i.message for i in result.report.errors)


def test_zip_holds_every_template_readme_and_dictionary(tmp_path: Path) -> None:
    dictionary = tmp_path / "dd.md"
    dictionary.write_text("# Data dictionary\n", encoding="utf-8")
    with zipfile.ZipFile(io.BytesIO(templates.templates_zip(dictionary))) as zf:
        names = zf.namelist()
        assert zf.read("data-dictionary.md") == b"# Data dictionary\n"
        readme = zf.read("README.md").decode("utf-8")
        for table in TABLES:
            assert zf.read(templates.template_name(table)) == templates.template_csv(table)
            assert f"`{templates.template_name(table)}`" in readme
    assert names[: len(TABLES)] == [templates.template_name(t) for t in TABLES]


def test_zip_without_dictionary_file_falls_back_to_generated(tmp_path: Path) -> None:
    """No committed dictionary: the zip still carries one, generated from the schema."""
    with zipfile.ZipFile(io.BytesIO(templates.templates_zip(tmp_path / "missing.md"))) as zf:
        text = zf.read("data-dictionary.md").decode("utf-8")
    for table in TABLES:
        assert table in text


def test_zip_is_reproducible() -> None:
    assert templates.templates_zip() == templates.templates_zip()


def test_templates_zip_uploads_cleanly_as_a_whole() -> None:
    """Uploading the untouched zip says every file has no data rows, and breaks nothing."""
    result = load_sources([Source(templates.ZIP_NAME, templates.templates_zip())])
    assert result.dataset is None
    assert {i.file for i in result.report.errors} >= {
        f"{templates.ZIP_NAME}/{templates.template_name(t)}" for t in TABLES
    }
