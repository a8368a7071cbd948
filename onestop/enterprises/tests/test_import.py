"""Register import: encodings, XLSX, per-row/column report, upsert, strict, CLI."""
# ruff: noqa: RUF001 - agencies write Chinese headers with full-width brackets, as here

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from onestop.core.models import AuditEntry
from onestop.enterprises.codes import credit_code_from_number
from onestop.enterprises.importer import ImportResult, import_register_file
from onestop.enterprises.models import Enterprise, EnterpriseYear, ImportRun, ImportStatus
from onestop.enterprises.reading import detect_encoding

pytestmark = pytest.mark.usefixtures("industries")

A = credit_code_from_number(5001, district="110105")
B = credit_code_from_number(5002, district="110108")
C = credit_code_from_number(5003, district="110101")
BAD_CODE = A[:17] + ("0" if A[17] != "0" else "1")

HEADER_ZH = [
    "统一社会信用代码",
    "企业名称",
    "英文名称",
    "成立日期",
    "所属区",
    "行业代码",
    "投资类型",
    "注册资本（万元）",
    "标签",
    "年度",
    "从业人员（人）",
    "营业收入（万元）",
    "资产总额（万元）",
]
GOOD_ROWS = [
    [A, "示范餐饮有限公司", "Demo Catering", "2015-06-01", "110105", "6210", "内资", "100", "",
     "2020", "8", "80", "50"],
    [B, "示范科技有限公司", "Demo Tech", "2012/03/15", "海淀区", "6513", "foreign", "1,000",
     "high_tech,zhongguancun", "2020", "120", "5000", "3000"],
    [C, "东城小卖部", "", "20180101", "Dongcheng", "5211", "", "", "", "2020", "3", "20.5", ""],
]  # fmt: skip


def write_csv(
    path: Path, rows: list[list[str]], encoding: str, header: list[str] = HEADER_ZH
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def read_report(path: str) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    ("encoding", "detected"), [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk")]
)
def test_csv_in_each_encoding_lands_with_sizes(
    tmp_path: Path, encoding: str, detected: str
) -> None:
    path = write_csv(tmp_path / "register.csv", GOOD_ROWS, encoding)
    assert detect_encoding(path) == detected
    result = import_register_file(path)
    assert (result.status, result.rows_total, result.rows_ok, result.rows_failed) == (
        ImportStatus.DONE,
        3,
        3,
        0,
    )
    catering = Enterprise.objects.get(credit_code=A)
    assert catering.name_zh == "示范餐饮有限公司"  # the Chinese survived the encoding
    assert (catering.size_class, catering.size_year) == ("micro", 2020)
    tech = Enterprise.objects.get(credit_code=B)
    assert tech.district == "110108" and tech.ownership == "foreign"
    assert tech.tags == ",high_tech,zhongguancun,"
    assert tech.registered_capital == Decimal("1000.00")
    assert tech.size_class == "medium"  # software: 120 >= 100 and 5000 >= 1000
    shop = Enterprise.objects.get(credit_code=C)
    assert shop.district == "110101" and shop.registered_on == dt.date(2018, 1, 1)
    assert shop.industry_section == "F" and shop.size_class == "micro"
    run = ImportRun.objects.get()
    assert run.encoding == {"utf-8": "UTF-8", "utf-8-sig": "UTF-8 (BOM)", "gbk": "GBK"}[detected]
    assert AuditEntry.objects.filter(action="enterprise.import").count() == 1


def test_bad_rows_are_listed_by_row_and_column_and_not_imported(tmp_path: Path) -> None:
    rows = [
        GOOD_ROWS[0],
        [BAD_CODE, "坏代码公司", "", "", "110105", "6210", "", "", "", "2020", "5", "10", "1"],
        [B, "负人数公司", "", "", "110108", "6513", "", "", "", "2020", "-3", "10", "1"],
        [C, "未知行业公司", "", "", "110101", "9999", "", "", "", "2020", "5", "10", "1"],
        [credit_code_from_number(5004), "坏数字", "", "", "", "6210", "", "", "", "2020", "5",
         "十万", "1"],
        [credit_code_from_number(5005), "坏日期", "", "2019-02-30", "", "6210", "", "", "",
         "2020", "5", "10", "1"],
        [credit_code_from_number(5006), "两处错误", "", "", "上海", "6210", "", "", "", "2020",
         "5", "-1", "1"],
    ]  # fmt: skip
    path = write_csv(tmp_path / "agency.csv", rows, "gbk")
    result = import_register_file(path)
    assert result.status == ImportStatus.DONE
    assert (result.rows_total, result.rows_ok, result.rows_failed) == (7, 1, 6)
    assert list(Enterprise.objects.values_list("credit_code", flat=True)) == [A]
    report = read_report(result.report_path)
    found = {(int(r["row"]), r["column"], r["value"], r["code"]) for r in report}
    assert found == {
        (3, "统一社会信用代码", BAD_CODE, "invalid_credit_code"),
        (4, "从业人员（人）", "-3", "negative"),
        (5, "行业代码", "9999", "unknown_industry"),
        (6, "营业收入（万元）", "十万", "invalid_number"),
        (7, "成立日期", "2019-02-30", "invalid_date"),
        (8, "所属区", "上海", "unknown_district"),
        (8, "营业收入（万元）", "-1", "negative"),
    }
    assert all(r["message"] for r in report)
    assert Path(result.report_path) == tmp_path / "agency.errors.csv"
    run = ImportRun.objects.get()
    assert (run.rows_ok, run.rows_failed, len(run.errors)) == (1, 6, 7)


def test_strict_imports_nothing_when_a_row_is_bad(tmp_path: Path) -> None:
    rows = [*GOOD_ROWS, [BAD_CODE, "坏代码", "", "", "", "6210", "", "", "", "2020", "5", "1", "1"]]
    result = import_register_file(write_csv(tmp_path / "f.csv", rows, "utf-8"), strict=True)
    assert result.status == ImportStatus.REJECTED
    assert result.rows_ok == 0 and result.rows_failed == 1
    assert not Enterprise.objects.exists()
    good = import_register_file(write_csv(tmp_path / "g.csv", GOOD_ROWS, "utf-8"), strict=True)
    assert good.status == ImportStatus.DONE and good.rows_ok == 3
    assert Enterprise.objects.count() == 3 and EnterpriseYear.objects.count() == 3


def test_reimport_upserts_and_keeps_other_years(tmp_path: Path) -> None:
    import_register_file(write_csv(tmp_path / "2020.csv", GOOD_ROWS[:1], "utf-8"))
    header = ["credit_code", "name_zh", "industry_code", "year", "employees", "operating_revenue"]
    rows = [[A, "示范餐饮（更名）", "6210", "2019", "40", "900"]]
    result = import_register_file(write_csv(tmp_path / "2019.csv", rows, "utf-8", header))
    assert result.rows_ok == 1
    enterprise = Enterprise.objects.get(credit_code=A)
    assert enterprise.name_zh == "示范餐饮（更名）"
    assert enterprise.name_en == "Demo Catering"  # column absent: left alone
    years = dict(enterprise.years.values_list("year", "employees"))
    assert years == {2019: 40, 2020: 8}
    # The size still follows the latest year (2020: micro), not the 2019 row just imported.
    assert (enterprise.size_class, enterprise.size_year) == ("micro", 2020)
    assert Enterprise.objects.count() == 1


def test_year_option_for_files_without_a_year_column(tmp_path: Path) -> None:
    header = ["credit_code", "name_zh", "industry_code", "employees", "operating_revenue"]
    path = write_csv(tmp_path / "f.csv", [[A, "甲", "6210", "12", "150"]], "utf-8", header)
    failed = import_register_file(path)
    assert failed.status == ImportStatus.FAILED and "year" in failed.message
    result = import_register_file(path, default_year=2020)
    assert result.rows_ok == 1
    assert EnterpriseYear.objects.get().year == 2020
    assert Enterprise.objects.get().size_class == "small"


def test_missing_required_column_fails_the_file(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "f.csv", [["x", "6210"]], "utf-8", ["企业名称", "行业代码"])
    result = import_register_file(path)
    assert result.status == ImportStatus.FAILED
    assert "统一社会信用代码" in result.message
    assert ImportRun.objects.get().status == ImportStatus.FAILED


def test_many_batches_report_progress_on_the_run(tmp_path: Path) -> None:
    rows = [
        [credit_code_from_number(7000 + i), f"企业{i}", "6210", "2020", str(i % 30), "50"]
        for i in range(23)
    ]
    header = ["credit_code", "name_zh", "industry_code", "year", "employees", "operating_revenue"]
    seen: list[int] = []
    result = import_register_file(
        write_csv(tmp_path / "f.csv", rows, "utf-8", header), batch_size=5, progress=seen.append
    )
    assert result.rows_ok == 23
    assert seen == [5, 5, 5, 5, 3]
    assert Enterprise.objects.count() == 23
    run = ImportRun.objects.get()
    assert (run.rows_total, run.rows_done, run.percent) == (23, 23, 100)


def test_xlsx_with_numbers_and_dates(tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Credit code", "Name (Chinese)", "Registration date", "District", "Industry",
                  "Year", "Employees", "Operating revenue", "Total assets"])  # fmt: skip
    sheet.append([A, "示范餐饮", dt.datetime(2015, 6, 1), 110105, 6210, 2020, 8, 80.5, 50])
    sheet.append([B, "农场", dt.date(2010, 1, 1), "110117", 111, 2020, 3, 40, 10])
    sheet.append([C, "负数", None, None, 6210, 2020, -2, 10, 1])
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    result = import_register_file(path)
    assert (result.rows_ok, result.rows_failed) == (2, 1)
    assert result.errors[0]["row"] == 4 and result.errors[0]["column"] == "Employees"
    catering = Enterprise.objects.get(credit_code=A)
    assert catering.registered_on == dt.date(2015, 6, 1)
    assert catering.district == "110105"
    assert catering.years.get().operating_revenue == Decimal("80.50")
    farm = Enterprise.objects.get(credit_code=B)
    assert farm.industry_code == "0111"  # Excel dropped the leading zero
    assert farm.size_basis["group"] == "agriculture"
    assert ImportRun.objects.get().encoding == "XLSX"


def test_cli_prints_the_encoding_and_the_errors(tmp_path: Path) -> None:
    rows = [GOOD_ROWS[0], [BAD_CODE, "坏", "", "", "", "6210", "", "", "", "2020", "5", "1", "1"]]
    path = write_csv(tmp_path / "f.csv", rows, "gbk")
    out = StringIO()
    call_command("import_enterprises", str(path), "--no-progress", stdout=out)
    text = out.getvalue()
    assert "(GBK)" in text
    assert "imported: 1" in text and "with errors (not imported): 1" in text
    assert f"row 3, 统一社会信用代码, '{BAD_CODE}'" in text
    assert "f.errors.csv" in text
    report = tmp_path / "custom.csv"
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_enterprises", str(path), "--strict", "--no-progress", "--report", str(report),
            stdout=StringIO(),
        )  # fmt: skip
    assert len(read_report(str(report))) == 1


def test_cli_generate_then_count(tmp_path: Path) -> None:
    out = StringIO()
    call_command(
        "generate_enterprises", "--count", "50", "--seed", "4", "--no-progress", stdout=out
    )
    assert "Generated 50 enterprises" in out.getvalue()
    assert Enterprise.objects.count() == 50


def test_same_enterprise_in_later_batches_keeps_the_latest_year(tmp_path: Path) -> None:
    """Into an empty register, a code seen in an earlier batch still has its stored years
    looked up: a 2019 row after the 2020 row does not decide the size."""
    header = ["credit_code", "name_zh", "industry_code", "year", "employees", "operating_revenue"]
    rows = [
        [A, "甲", "6210", "2020", "8", "80"],  # micro in 2020
        [B, "乙", "6210", "2020", "50", "500"],
        [A, "甲", "6210", "2019", "50", "500"],  # small in 2019, a later batch
    ]
    result = import_register_file(
        write_csv(tmp_path / "f.csv", rows, "utf-8", header), batch_size=1
    )
    assert result.rows_ok == 3
    enterprise = Enterprise.objects.get(credit_code=A)
    assert (enterprise.size_class, enterprise.size_year) == ("micro", 2020)
    assert sorted(enterprise.years.values_list("year", flat=True)) == [2019, 2020]


def _stored_run(result: ImportResult) -> ImportRun:
    assert result.run_id is not None
    return ImportRun.objects.get(pk=result.run_id)


def test_row_errors_and_the_outcome_are_kept_in_each_language(tmp_path: Path) -> None:
    """An import run in Chinese is read by an officer in English: both are stored."""
    from django.utils import translation

    rows = [GOOD_ROWS[0], [B, "负数", "", "", "", "6210", "", "", "", "2020", "-2", "1", "1"]]
    path = write_csv(tmp_path / "f.csv", rows, "utf-8")
    with translation.override("zh-hans"):
        result = import_register_file(path)
    error = _stored_run(result).errors[0]
    assert error["message"] == "从业人员人数不能为负数（-2）。"  # the importer's language
    assert error["messages"] == {
        "zh-hans": "从业人员人数不能为负数（-2）。",
        "en": "The number of employees cannot be negative (-2).",
    }

    (tmp_path / "nocode.csv").write_text("企业名称,年度\n某公司,2020\n", encoding="utf-8")
    with translation.override("zh-hans"):
        failed = import_register_file(tmp_path / "nocode.csv")
    run = _stored_run(failed)
    assert run.status == ImportStatus.FAILED
    assert run.message.startswith("缺少以下列：")
    assert run.message_texts["zh-hans"] == run.message
    assert run.message_texts["en"].startswith("Columns missing: 统一社会信用代码 / credit_code.")

    (tmp_path / "empty.csv").write_bytes(b"")
    with translation.override("en"):
        empty = import_register_file(tmp_path / "empty.csv")
    texts = _stored_run(empty).message_texts
    assert texts == {"zh-hans": "文件为空。", "en": "The file is empty."}
