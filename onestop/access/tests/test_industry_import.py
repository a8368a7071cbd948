"""Importing GB/T 4754: all or nothing with errors per row, idempotent, one audit row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from onestop.access.models import IndustryClass
from onestop.access.selectors import industry_search
from onestop.access.services import industries_import
from onestop.access.services.industries import SHIPPED_CSV
from onestop.core.errors import ValidationFailed
from onestop.core.models import AuditEntry

pytestmark = pytest.mark.django_db

BRANCH = [
    {"code": "H", "level": "section", "parent": "", "name_zh": "住宿和餐饮业",
     "name_en": "Accommodation and Catering", "name_en_source": "nbs_style"},
    {"code": "62", "level": "division", "parent": "H", "name_zh": "餐饮业",
     "name_en": "Catering Services", "name_en_source": "translation"},
    {"code": "621", "level": "group", "parent": "62", "name_zh": "正餐服务"},
    {"code": "6210", "level": "class", "parent": "621", "name_zh": "正餐服务"},
]  # fmt: skip


def _rows(*changes: dict[str, str]) -> list[dict[str, str]]:
    return [dict(row) for row in BRANCH] + [dict(change) for change in changes]


def _fields(exc: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, str]:
    return {error.field: error.code for error in exc.value.errors}


# ----- the shipped table ------------------------------------------------------------------


def test_the_shipped_table_imports_whole(classification):
    assert len(classification.created) == IndustryClass.objects.count() == 1971
    counts = {
        level: IndustryClass.objects.filter(level=level).count()
        for level in ("section", "division", "group", "class")
    }
    assert counts == {"section": 20, "division": 97, "group": 473, "class": 1381}
    with SHIPPED_CSV.open(encoding="utf-8") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == 1971


def test_search_helpers_are_computed(classification):
    catering = IndustryClass.objects.get(code="62")
    assert catering.parent is not None and catering.parent.code == "H"
    assert catering.pinyin == "can yin ye"
    assert catering.pinyin_initials == "cyy"
    assert "餐饮" in catering.search_words.split()
    printing = IndustryClass.objects.get(code="7517")  # 三维(3D)打印技术推广服务
    assert printing.pinyin.startswith("san wei da yin")


def test_one_audit_row_for_the_whole_import(classification):
    entries = AuditEntry.objects.filter(action="industries.import")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor is None
    assert entry.object_type == "access.industryclass"
    assert entry.changes["created"] == 1971
    assert entry.changes["source"] == "gbt4754_2017.csv"


def test_importing_again_changes_nothing_and_writes_nothing(classification):
    before = list(IndustryClass.objects.values_list("id", "code", "name_zh", "pinyin"))
    audit = AuditEntry.objects.count()
    call_command("import_industries", verbosity=0)
    assert list(IndustryClass.objects.values_list("id", "code", "name_zh", "pinyin")) == before
    assert AuditEntry.objects.count() == audit


def test_a_changed_name_is_updated_once_and_searchable_at_once():
    industries_import(rows=_rows())
    assert [n.code for n in industry_search("正餐")][:2] == ["621", "6210"]
    renamed = _rows()
    renamed[3]["name_zh"] = "中餐正餐服务"
    report = industries_import(rows=renamed)
    assert report.updated == ["6210"] and not report.created and report.unchanged == 3
    assert IndustryClass.objects.get(code="6210").pinyin == "zhong can zheng can fu wu"
    assert [n.code for n in industry_search("中餐")] == ["6210"]
    assert AuditEntry.objects.filter(action="industries.import").count() == 2


def test_a_class_can_be_added_under_a_parent_already_in_the_table():
    industries_import(rows=_rows())
    report = industries_import(
        rows=[{"code": "6211", "level": "class", "parent": "621", "name_zh": "快餐服务"}]
    )
    assert report.created == ["6211"]
    added = IndustryClass.objects.select_related("parent").get(code="6211")
    assert added.parent is not None and added.parent.code == "621"


# ----- bad files: nothing is imported -----------------------------------------------------


@pytest.mark.parametrize(
    ("bad_row", "field", "code"),
    [
        ({"code": "6220", "level": "class", "parent": "629", "name_zh": "快餐"},
         "rows.5.parent", "unknown_parent"),
        ({"code": "6220", "level": "kind", "parent": "621", "name_zh": "快餐"},
         "rows.5.level", "invalid_level"),
        ({"code": "6210", "level": "class", "parent": "621", "name_zh": "重复"},
         "rows.5.code", "duplicate_code"),
        ({"code": "62111", "level": "class", "parent": "621", "name_zh": "快餐"},
         "rows.5.code", "invalid_code"),
        ({"code": "6310", "level": "class", "parent": "621", "name_zh": "快餐"},
         "rows.5.parent", "parent_mismatch"),
        ({"code": "6220", "level": "class", "parent": "62", "name_zh": "快餐"},
         "rows.5.parent", "unknown_parent"),
        ({"code": "6211", "level": "class", "parent": "621", "name_zh": ""},
         "rows.5.name_zh", "required"),
        ({"code": "6211", "level": "class", "parent": "621", "name_zh": "快餐",
          "name_en": "Fast food"}, "rows.5.name_en_source", "required"),
        ({"code": "S", "level": "section", "parent": "R", "name_zh": "公共管理"},
         "rows.5.parent", "unexpected_parent"),
        ({"code": "", "level": "class", "parent": "621", "name_zh": "快餐"},
         "rows.5.code", "required"),
    ],
)  # fmt: skip
def test_one_bad_row_rejects_the_whole_file(bad_row, field, code):
    with pytest.raises(ValidationFailed) as exc:
        industries_import(rows=_rows(bad_row))
    assert _fields(exc) == {field: code}
    assert exc.value.status == 422
    assert not IndustryClass.objects.exists()
    assert not AuditEntry.objects.filter(action="industries.import").exists()


def test_every_problem_is_reported_with_its_row():
    rows = _rows(
        {"code": "6220", "level": "class", "parent": "699", "name_zh": "快餐"},
        {"code": "62", "level": "division", "parent": "H", "name_zh": "重复"},
    )
    rows[2]["level"] = "groupe"
    with translation.override("en"), pytest.raises(ValidationFailed) as exc:
        industries_import(rows=rows)
    assert _fields(exc) == {
        "rows.3.level": "invalid_level",
        "rows.4.parent": "unknown_parent",  # its parent, row 3, is not a valid group
        "rows.5.parent": "unknown_parent",
        "rows.6.code": "duplicate_code",
    }
    assert "4 problems" in str(exc.value.message)


def test_a_failed_import_leaves_the_table_as_it_was():
    industries_import(rows=_rows())
    before = list(IndustryClass.objects.values_list("code", "name_zh"))
    changed = _rows({"code": "6220", "level": "class", "parent": "999", "name_zh": "快餐"})
    changed[0]["name_zh"] = "改名"
    with pytest.raises(ValidationFailed):
        industries_import(rows=changed)
    assert list(IndustryClass.objects.values_list("code", "name_zh")) == before


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        industries_import(rows=[])
    assert _fields(exc) == {"rows": "empty"}


# ----- the command ------------------------------------------------------------------------


def _write_csv(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(
            fh,
            fieldnames=["code", "level", "parent", "name_zh", "name_en", "name_en_source", "note"],
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_the_command_imports_a_file(tmp_path, capsys):
    call_command("import_industries", str(_write_csv(tmp_path / "branch.csv", _rows())))
    assert "4 created" in capsys.readouterr().out
    assert IndustryClass.objects.count() == 4


def test_the_command_lists_the_bad_rows_and_imports_nothing(tmp_path):
    path = _write_csv(
        tmp_path / "bad.csv",
        _rows({"code": "6220", "level": "class", "parent": "699", "name_zh": "快餐"}),
    )
    with pytest.raises(CommandError) as exc:
        call_command("import_industries", str(path))
    assert "rows.5.parent" in str(exc.value)
    assert not IndustryClass.objects.exists()


def test_the_command_refuses_a_file_without_the_columns(tmp_path):
    path = tmp_path / "wrong.csv"
    path.write_text("id,title\n1,x\n", encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("import_industries", str(path))
    assert "code" in str(exc.value)
    with pytest.raises(CommandError):
        call_command("import_industries", str(tmp_path / "missing.csv"))
