"""Reading register files: CSV (encoding detected) or XLSX (streamed), one row at a time."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class FileProblem(Exception):
    """The file as a whole cannot be imported (unreadable, missing columns).

    Holds the message untranslated (a lazy text and its named values), so ``text()`` can say
    it in whichever language is active: the outcome of an import is stored in each language."""

    def __init__(self, template: str | Promise, **params: Any) -> None:
        self.template = template
        self.params = params
        super().__init__(template)

    def text(self) -> str:
        return str(self.template) % self.params if self.params else str(self.template)

    def __str__(self) -> str:
        return self.text()


def detect_encoding(path: Path, sample_size: int = 1 << 20) -> str:
    """ "utf-8-sig" (BOM), "utf-8", or "gbk" - from the first megabyte."""
    with path.open("rb") as handle:
        sample = handle.read(sample_size)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=len(sample) < sample_size)
    except UnicodeDecodeError:
        return "gbk"
    return "utf-8"


def _codec(encoding: str) -> str:
    return "gb18030" if encoding == "gbk" else encoding


def encoding_label(encoding: str) -> str:
    return {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gbk": "GBK", "xlsx": "XLSX"}.get(
        encoding, encoding
    )


def _count_csv_rows(path: Path) -> int:
    count = 0
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            count += chunk.count(b"\n")
    return max(count - 1, 0)  # less the header (a last line without newline is rare)


def _csv_rows(path: Path, encoding: str) -> tuple[list[str], Iterator[list[str]], IO[str]]:
    handle = path.open(encoding=_codec(encoding), newline="", errors="strict")
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise FileProblem(_("The file is empty.")) from None
    return header, reader, handle


def _xlsx_rows(path: Path) -> tuple[list[str], Iterator[tuple[Any, ...]], Any, int]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken file
        raise FileProblem(_("Not a readable XLSX file: %(error)s"), error=str(exc)) from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h) if h is not None else "" for h in next(rows)]
    except StopIteration:
        workbook.close()
        raise FileProblem(_("The file is empty.")) from None
    total = max((sheet.max_row or 1) - 1, 0)
    return header, rows, workbook, total


@dataclass
class Source:
    header: list[str]
    rows: Iterator[Any]
    encoding: str
    total: int
    closer: Any

    def close(self) -> None:
        self.closer.close()


def open_source(path: Path) -> Source:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        header, rows, workbook, total = _xlsx_rows(path)
        return Source(header, rows, "xlsx", total, workbook)
    if suffix in {".csv", ".txt"}:
        encoding = detect_encoding(path)
        try:
            header, csv_rows, handle = _csv_rows(path, encoding)
        except UnicodeDecodeError:
            raise FileProblem(
                _("The file is neither UTF-8 nor GBK text; save it as CSV (UTF-8).")
            ) from None
        return Source(header, csv_rows, encoding, _count_csv_rows(path), handle)
    raise FileProblem(
        _("Unsupported file type %(suffix)s: send a .csv or .xlsx file."), suffix=suffix
    )
