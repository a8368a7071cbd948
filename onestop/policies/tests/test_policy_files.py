"""The policy files (onestop/policies/data/*.yaml): every file loads, and each of its test
cases (an enterprise record in, eligible and benefit out) holds, in Python and in SQL."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from onestop.core.errors import ValidationFailed
from onestop.enterprises.models import Enterprise, EnterpriseYear
from onestop.policies.fields import enterprise_facts
from onestop.policies.loader import DATA_DIR, policies_load, read_policy_files
from onestop.policies.matching import benefit_value, eligible_screen, screen_refresh
from onestop.policies.models import Policy, PolicyStatus
from onestop.rules.evaluate import holds

SPECS = read_policy_files()
# The demo's two open-ended demonstration policies (onestop/demo/data/policies) carry cases too.
DEMO_SPECS = read_policy_files(Path(__file__).parents[2] / "demo" / "data" / "policies")
CASES = [(spec.code, case) for spec in SPECS + DEMO_SPECS for case in spec.cases]


def test_at_least_ten_real_policies_with_sources() -> None:
    assert len(SPECS) >= 10
    for spec in SPECS:
        assert spec.values["sources"], spec.code
        assert all(str(s["url"]).startswith("http") for s in spec.values["sources"])
        assert spec.values["title_zh"] and spec.values["title_en"]
    codes = {spec.code for spec in SPECS}
    assert "bj-2020-rent-waiver-mar-apr" in codes


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "case"), CASES, ids=[f"{c}:{k['name']}" for c, k in CASES])
def test_case_holds_in_python_and_in_sql(code: str, case: dict) -> None:
    spec = next(s for s in SPECS + DEMO_SPECS if s.code == code)
    values = dict(case["values"])
    years = values.pop("years")
    given = {k: v for k, v in values.items() if v is not None}
    enterprise = Enterprise.objects.create(
        credit_code="91110105MA0CASE01X", name_zh="用例企业", **given
    )
    for row in years:
        EnterpriseYear.objects.create(enterprise=enterprise, **row)
    facts = enterprise_facts(enterprise)
    assert spec.rule is not None
    assert holds(spec.rule.root, facts) is bool(case["eligible"])
    screen_refresh()
    policy = Policy(rule=spec.values["rule"])
    assert eligible_screen(policy).filter(pk=enterprise.pk).exists() is bool(case["eligible"])
    if "benefit" in case and case["eligible"]:
        assert benefit_value(spec.formula, facts) == Decimal(str(case["benefit"]))


@pytest.mark.django_db
def test_load_all_then_again_changes_nothing() -> None:
    report = policies_load(actor=None, publish=True)
    assert len(report.created) == len(SPECS)
    assert Policy.objects.filter(status=PolicyStatus.PUBLISHED).count() == len(SPECS)
    rent = Policy.objects.get(code="bj-2020-rent-waiver-mar-apr")
    assert rent.valid_from == dt.date(2020, 3, 1) and rent.agency.code == "bj_gov_office"
    assert rent.legal_basis[0]["number"] == "京政办发〔2020〕15号"  # noqa: RUF001
    again = policies_load(actor=None, publish=True)
    assert again.created == [] and again.updated == []
    assert len(again.unchanged) == len(SPECS)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.mark.django_db
def test_one_bad_file_loads_nothing_and_names_file_and_field(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    path = folder / "bj-2020-tax-payment-deferral.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("enterprise.size in", "enterprise.sise in"), encoding="utf-8")
    broken = folder / "bj-2020-rent-waiver-feb.yaml"
    broken.write_text(
        broken.read_text(encoding="utf-8").replace("eligible: true", "eligible: false", 1),
        encoding="utf-8",
    )
    with pytest.raises(ValidationFailed) as caught:
        policies_load(actor=None, directory=folder)
    fields = [error.field for error in caught.value.errors]
    assert "bj-2020-tax-payment-deferral.yaml: rule (line 1, column 1)" in fields
    assert "bj-2020-rent-waiver-feb.yaml: cases[1]" in fields
    assert Policy.objects.count() == 0


@pytest.mark.django_db
def test_command_reports_problems(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "zz-bad.yaml").write_text("code: [unclosed", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("load_policies", str(folder))
    assert "zz-bad.yaml: file" in str(caught.value)
    call_command("load_policies", str(DATA_DIR), "--publish")
    assert Policy.objects.filter(status=PolicyStatus.PUBLISHED).count() == len(SPECS)
