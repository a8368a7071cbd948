"""Import of register files (CSV or XLSX) as agencies send them.

- CSV in UTF-8, UTF-8 with a byte-order mark, or GBK (detected: BOM, else UTF-8 if the bytes
  decode as UTF-8, else GBK - read with the GB18030 codec, its superset); XLSX read with
  openpyxl's read-only (streaming) mode. The file is read row by row, never held whole.
- Column headers in Chinese or English (``COLUMNS``); units in brackets (half- or full-width)
  are ignored, so "营业收入(万元)" and "operating_revenue" are the same column. Unknown columns
  are reported and ignored.
- Each row is checked cell by cell; a bad row is listed (row number, column, value, message) in
  the report and not imported. Good rows are upserted by credit code (the year's figures by
  credit code and year) in batches of ``BATCH_SIZE``, one transaction each.
- ``strict``: the file is checked completely first and nothing is written if any row is bad.
- Progress goes to the ``ImportRun`` row after each batch (the back office polls it) and to an
  optional callback (the CLI's progress bar). One audit row per run.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onestop.core.audit import audit_record
from onestop.core.languages import each_language, in_language
from onestop.core.models import User
from onestop.enterprises.bulk import Batch, BatchWriter
from onestop.enterprises.clean import CellError, RegisterCleaner
from onestop.enterprises.models import Enterprise, ImportRun, ImportStatus
from onestop.enterprises.reading import FileProblem, Source, encoding_label, open_source

BATCH_SIZE = 10_000
ERRORS_KEPT = 500  # row errors stored on the ImportRun (the CSV report has all of them)

# Column -> accepted header names (compared after ``_header_key``).
COLUMNS: dict[str, tuple[str, ...]] = {
    "credit_code": ("credit_code", "统一社会信用代码", "信用代码", "unified social credit code"),
    "name_zh": ("name_zh", "企业名称", "名称", "中文名称", "name", "name (chinese)"),
    "name_en": ("name_en", "英文名称", "企业英文名称", "english name"),
    "registered_on": ("registered_on", "成立日期", "注册日期", "登记日期", "registration date"),
    "district": ("district", "所属区", "区", "所在区", "行政区划", "行政区划代码", "区县"),
    "industry_code": (
        "industry_code",
        "行业代码",
        "国民经济行业代码",
        "行业分类代码",
        "industry",
        "industry class",
    ),
    "ownership": ("ownership", "投资类型", "资本类型", "企业类型"),
    "registered_capital": ("registered_capital", "注册资本", "registered capital"),
    "tags": ("tags", "标签", "企业标签"),
    "contact_name": ("contact_name", "联系人", "contact"),
    "contact_phone": ("contact_phone", "联系电话", "电话", "phone"),
    "contact_email": ("contact_email", "电子邮箱", "邮箱", "email", "e-mail"),
    "year": ("year", "年度", "年份", "统计年度"),
    "employees": ("employees", "从业人员", "从业人数", "从业人员数", "职工人数"),
    "operating_revenue": ("operating_revenue", "营业收入", "revenue", "operating revenue"),
    "total_assets": ("total_assets", "资产总额", "资产总计", "total assets"),
}
REQUIRED = ("credit_code", "name_zh")
FIGURES = ("employees", "operating_revenue", "total_assets")
_BRACKETS = re.compile("[(\uff08\\[\u3010].*?[)\uff09\\]\u3011]")  # half/full-width round, square


def _header_key(header: str) -> str:
    text = _BRACKETS.sub("", str(header or "")).strip().lower()
    return re.sub(r"[\s_]+", " ", text)


_ALIASES = {_header_key(alias): column for column, names in COLUMNS.items() for alias in names}


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str  # in the language of the import (the CSV report and the CLI)
    code: str
    # Runs the failing check again, so the stored error can be said in each language.
    recheck: Callable[[], Any] | None = field(default=None, repr=False, compare=False)

    def as_dict(self) -> dict[str, Any]:
        stored = {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "code": self.code,
        }
        if self.recheck is not None:
            stored["messages"] = each_language(self._message_now)
        return stored

    def _message_now(self) -> str:
        assert self.recheck is not None
        try:
            self.recheck()
        except CellError as exc:
            return exc.message
        return self.message  # cannot happen: the same check on the same value


@dataclass
class ImportResult:
    encoding: str
    rows_total: int = 0
    rows_ok: int = 0
    rows_failed: int = 0
    errors_total: int = 0
    ignored_columns: list[str] = field(default_factory=list)
    status: str = ImportStatus.DONE
    report_path: str = ""
    message: str = ""
    message_texts: dict[str, str] = field(default_factory=dict)  # the message in each language
    errors: list[dict[str, Any]] = field(default_factory=list)  # the first ERRORS_KEPT
    run_id: int | None = None


# --- Checking rows ---------------------------------------------------------------------------


@dataclass
class Layout:
    """Which file column holds which register column."""

    positions: dict[str, int]
    headers: dict[str, str]  # register column -> header as written in the file
    ignored: list[str]

    @classmethod
    def from_header(cls, header: list[str], *, default_year: int | None) -> Layout:
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
        ignored: list[str] = []
        for index, name in enumerate(header):
            column = _ALIASES.get(_header_key(name))
            if column is None or column in positions:
                if str(name).strip():
                    ignored.append(str(name))
                continue
            positions[column] = index
            headers[column] = str(name).strip()
        missing = [c for c in REQUIRED if c not in positions]
        if missing:
            raise FileProblem(
                gettext_lazy(
                    "Columns missing: %(missing)s. The first row must name the columns, "
                    "e.g. %(example)s."
                ),
                missing=", ".join(f"{COLUMNS[c][1]} / {c}" for c in missing),
                example="统一社会信用代码, 企业名称, 行业代码, 所属区, 年度, 从业人员, "
                "营业收入, 资产总额",
            )
        has_figures = any(c in positions for c in FIGURES)
        if has_figures and "year" not in positions and default_year is None:
            raise FileProblem(
                gettext_lazy(
                    "The file has figures but no year column (年度 / year): add one, or give "
                    "the year of all rows (--year)."
                )
            )
        return cls(positions, headers, ignored)

    @property
    def record_columns(self) -> list[str]:
        return [c for c in self.positions if c not in {"credit_code", "year", *FIGURES}]

    @property
    def has_figures(self) -> bool:
        return any(c in self.positions for c in FIGURES)


_CLEANERS: dict[str, str] = {
    "credit_code": "clean_credit_code",
    "name_zh": "clean_name_zh",
    "name_en": "clean_name_en",
    "registered_on": "clean_registered_on",
    "district": "clean_district",
    "industry_code": "clean_industry_code",
    "ownership": "clean_ownership",
    "registered_capital": "clean_money",
    "tags": "clean_tags_db",
    "contact_name": "clean_contact_name",
    "contact_phone": "clean_contact_phone",
    "contact_email": "clean_contact_email",
    "employees": "clean_employees",
    "operating_revenue": "clean_money",
    "total_assets": "clean_money",
}
_ABSENT = 1 << 30  # position of a column the file does not have: the cell reads as empty


class RowChecker:
    """Checks one data row at a time against a ``Layout`` (the importer's hot loop)."""

    def __init__(self, layout: Layout, cleaner: RegisterCleaner, default_year: int | None):
        self.layout = layout
        self.has_figures = layout.has_figures
        self.plan: list[tuple[str, str, int, Callable[[Any], Any]]] = [
            (column, layout.headers[column], position, getattr(cleaner, _CLEANERS[column]))
            for column, position in layout.positions.items()
            if column in _CLEANERS
        ]
        if self.has_figures:
            plain_year = cleaner.clean_year
            clean_year: Callable[[Any], int] = plain_year
            if default_year is not None:

                def year_or_default(raw: Any) -> int:
                    return plain_year(default_year if raw is None or raw == "" else raw)

                clean_year = year_or_default
            self.plan.append(
                (
                    "year",
                    layout.headers.get("year", "year"),
                    layout.positions.get("year", _ABSENT),
                    clean_year,
                )
            )

    def check(
        self, number: int, cells: Any
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, list[RowError]]:
        """(record, figures or None, errors) for one data row; ``number`` as in the file."""
        values: dict[str, Any] = {}
        errors: list[RowError] = []
        width = len(cells)
        for column, header, position, clean in self.plan:
            raw = cells[position] if position < width else None
            try:
                values[column] = clean(raw)
            except CellError as exc:
                value = "" if raw is None else str(raw)
                errors.append(
                    RowError(number, header, value, exc.message, exc.code, partial(clean, raw))
                )
        if errors:
            return None, None, errors
        if "industry_code" in values:
            code, division, section = values["industry_code"]
            values["industry_code"] = code
            values["industry_division"] = division
            values["industry_section"] = section
        figures = None
        if self.has_figures:
            pop = values.pop
            figures = {
                "year": pop("year"),
                "employees": pop("employees", None),
                "operating_revenue": pop("operating_revenue", None),
                "total_assets": pop("total_assets", None),
            }
        return values, figures, errors


# --- Running ---------------------------------------------------------------------------------


class _Report:
    """The CSV report of row errors (row, column, value, message, code), written as we go."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle: IO[str] | None = None
        self.writer: Any = None

    def write(self, errors: list[RowError]) -> None:
        if self.path is None or not errors:
            return
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("w", encoding="utf-8-sig", newline="")
            self.writer = csv.writer(self.handle)
            self.writer.writerow(["row", "column", "value", "message", "code"])
        for error in errors:
            self.writer.writerow([error.row, error.column, error.value, error.message, error.code])

    def close(self) -> None:
        if self.handle is not None:
            self.handle.close()


def default_report_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}.errors.csv")


def _save_progress(run: ImportRun | None, **values: Any) -> None:
    if run is None:
        return
    for name, value in values.items():
        setattr(run, name, value)
    run.save(update_fields=list(values))


def import_register_file(
    path: Path,
    *,
    actor: User | None = None,
    strict: bool = False,
    default_year: int | None = None,
    report_path: Path | None = None,
    run: ImportRun | None = None,
    progress: Callable[[int], None] | None = None,
    batch_size: int = BATCH_SIZE,
) -> ImportResult:
    """Import ``path`` into the register. ``run`` (optional) receives progress and the outcome;
    ``report_path`` the row errors as CSV (default: next to the file, ``<name>.errors.csv``)."""
    report_path = report_path or default_report_path(path)
    if report_path.exists():
        report_path.unlink()
    if run is None:
        run = ImportRun.objects.create(
            file_name=path.name, started_by=actor, strict=strict, default_year=default_year
        )
    try:
        source = open_source(path)
    except FileProblem as exc:
        failed = ImportResult(encoding="", status=ImportStatus.FAILED)
        _say(failed, exc.text)
        return _finish(run, actor, failed)
    result = ImportResult(encoding=source.encoding)
    report = _Report(report_path)
    kept: list[dict[str, Any]] = []
    try:
        layout = Layout.from_header(source.header, default_year=default_year)
        result.ignored_columns = layout.ignored
        checker = RowChecker(layout, RegisterCleaner.load(), default_year)
        _save_progress(
            run,
            status=ImportStatus.RUNNING,
            encoding=encoding_label(source.encoding),
            rows_total=source.total,
        )
        passes = (False, True) if strict else (True,)
        for write in passes:
            if write and strict:
                if result.rows_failed:
                    result.status = ImportStatus.REJECTED
                    result.rows_ok = 0
                    break
                source.close()
                source = open_source(path)
                result.rows_total = result.rows_ok = 0
                checked = each_language(lambda: _("Checked, no errors: writing."))
                _save_progress(
                    run, rows_done=0, message=in_language(checked), message_texts=checked
                )
            _pass(
                source,
                checker,
                layout,
                result,
                report,
                kept,
                run,
                batch_size,
                write=write,
                progress=progress if not (strict and write) else None,
            )
    except FileProblem as exc:
        result.status = ImportStatus.FAILED
        _say(result, exc.text)
    except UnicodeDecodeError as exc:
        result.status = ImportStatus.FAILED
        some_imported = not strict and result.rows_ok > 0
        _say(result, partial(_not_one_encoding, source.encoding, exc.start, some_imported))
    finally:
        report.close()
        source.close()
    if result.errors_total:
        result.report_path = str(report_path)
    run.errors = result.errors = kept
    return _finish(run, actor, result)


def _pass(
    source: Source,
    checker: RowChecker,
    layout: Layout,
    result: ImportResult,
    report: _Report,
    kept: list[dict[str, Any]],
    run: ImportRun | None,
    batch_size: int,
    *,
    write: bool,
    progress: Callable[[int], None] | None,
) -> None:
    # An import into an empty register need not look up stored years for codes it has not
    # written itself (the usual first load of a million rows).
    empty = write and not Enterprise.objects.exists()
    writer = BatchWriter(layout.record_columns, track_fresh=empty) if write else None
    batch = Batch()
    pending = 0
    number = 1  # the header is row 1
    try:
        for cells in source.rows:
            number += 1
            if not any(c not in (None, "") for c in cells):
                continue  # blank line
            result.rows_total += 1
            record, figures, errors = checker.check(number, cells)
            if errors:
                result.rows_failed += 1
                result.errors_total += len(errors)
                if len(kept) < ERRORS_KEPT:
                    kept.extend(e.as_dict() for e in errors[: ERRORS_KEPT - len(kept)])
                report.write(errors)
            else:
                result.rows_ok += 1
                if writer is not None and record is not None:
                    batch.add(record, figures)
            pending += 1
            if pending >= batch_size:
                if writer is not None:
                    writer.put(batch)
                batch = Batch()
                _save_progress(
                    run,
                    rows_done=result.rows_total,
                    rows_ok=result.rows_ok if write else 0,
                    rows_failed=result.rows_failed,
                )
                if progress is not None:
                    progress(pending)
                pending = 0
        if writer is not None:
            writer.put(batch)
    finally:
        if writer is not None:
            writer.close()
    if progress is not None and pending:
        progress(pending)


def _say(result: ImportResult, render: Callable[[], str]) -> None:
    """The outcome message: in the active language, and kept in each language for the page."""
    result.message = render()
    result.message_texts = each_language(render)


def _not_one_encoding(encoding: str, position: int, some_imported: bool) -> str:
    message = _(
        "The file is not consistently %(encoding)s text (byte %(position)s); save the "
        "whole file in one encoding and import again."
    ) % {"encoding": encoding_label(encoding), "position": position}
    if some_imported:
        message += " " + _("Rows before that point were imported.")
    return message


def _finish(run: ImportRun, actor: User | None, result: ImportResult) -> ImportResult:
    with transaction.atomic():
        run.status = result.status
        run.encoding = encoding_label(result.encoding) if result.encoding else ""
        run.rows_total = result.rows_total
        run.rows_done = result.rows_total
        run.rows_ok = result.rows_ok
        run.rows_failed = result.rows_failed
        run.report_path = result.report_path
        run.message = result.message
        run.message_texts = result.message_texts
        run.finished_at = timezone.now()
        run.save()
        result.run_id = run.pk
        audit_record(
            actor=actor,
            action="enterprise.import",
            obj=run,
            changes={
                "file": run.file_name,
                "status": run.status,
                "strict": run.strict,
                "encoding": run.encoding,
                "rows": result.rows_total,
                "imported": result.rows_ok,
                "failed": result.rows_failed,
            },
        )
    return result
