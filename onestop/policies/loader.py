"""Policies from dated YAML files (onestop/policies/data/<code>.yaml), all or nothing.

``read_policy_files(directory)`` reads and checks every file: required keys and their types,
dates, the rule and the benefit formula (parsed against the enterprise schema), the agency,
and the file's test cases (each case's enterprise record is evaluated and must give the
stated ``eligible`` and ``benefit``). Any problem in any file: ``ValidationFailed`` listing
each as ``<file>: <field>: <message>`` and nothing is written.

``policies_load(actor=..., directory=..., publish=...)`` then creates or updates every policy
in one transaction (missing issuing agencies are created from the file's ``agency`` block).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.utils.translation import gettext as _

from onestop.core.errors import FieldError, ValidationFailed
from onestop.core.models import Agency, User
from onestop.core.services import agency_create
from onestop.enterprises.tags import TAGS
from onestop.policies.fields import ENTERPRISE_SCHEMA, facts_from_values, industry_parts
from onestop.policies.models import Policy, PolicyStatus, TakeupMode
from onestop.rules import Formula, Rule, RuleError, parse_formula, parse_rule
from onestop.rules.evaluate import holds

DATA_DIR = Path(__file__).parent / "data"
REQUIRED = ("code", "dated", "title", "summary", "agency", "valid_from", "rule",
            "takeup", "sources", "cases")  # fmt: skip
KNOWN = (*REQUIRED, "legal_basis", "issued_on", "valid_to", "not_in_rule", "benefit", "budget",
         "uncertain")  # fmt: skip
CASE_FIELDS = (
    "size_class",
    "industry_code",
    "industry_division",
    "industry_section",
    "district",
    "ownership",
    "registered_capital",
    "registered_on",
    "tags",
    "years",
)
YEAR_FIELDS = ("employees", "operating_revenue", "total_assets")


@dataclass
class PolicyFile:
    path: Path
    values: dict[str, Any]  # policy_save fields
    code: str
    agency: dict[str, str]
    rule: Rule | None = None
    formula: Formula | None = None
    cases: list[dict[str, Any]] = field(default_factory=list)


class _Problems:
    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[FieldError] = []

    def add(self, where: str, message: str, code: str = "invalid") -> None:
        self.errors.append(FieldError(f"{self.name}: {where}", message, code))


def _pair(data: Any, key: str, problems: _Problems, *, required: bool = True) -> dict[str, str]:
    value = data.get(key)
    if value is None and not required:
        return {"zh": "", "en": ""}
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) for k in ("zh", "en")):
        problems.add(key, _("Give both languages: zh and en (text)."), "bilingual")
        return {"zh": "", "en": ""}
    return {"zh": value["zh"].strip(), "en": value["en"].strip()}


def _date(data: Any, key: str, problems: _Problems, *, required: bool) -> dt.date | None:
    value = data.get(key)
    if value is None:
        if required:
            problems.add(key, _("A date (YYYY-MM-DD) is required."), "required")
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        problems.add(key, _("Not a date: write YYYY-MM-DD."), "date")
        return None


def _decimal(value: Any, where: str, problems: _Problems) -> Decimal | None:
    if value is None:
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.add(where, _("Not a number."), "number")
        return None
    if not number.is_finite():
        problems.add(where, _("Not a number."), "number")
        return None
    return number


def case_values(enterprise: Any, where: str, problems: _Problems) -> dict[str, Any] | None:
    """A test case's enterprise record as register values (division/section derived)."""
    if not isinstance(enterprise, dict):
        problems.add(where, _("The enterprise is a mapping of register fields."))
        return None
    unknown = set(enterprise) - set(CASE_FIELDS)
    if unknown:
        problems.add(
            where,
            _("Unknown fields: %(fields)s (known: %(known)s).")
            % {"fields": ", ".join(sorted(unknown)), "known": ", ".join(CASE_FIELDS)},
        )
        return None
    values = {k: v for k, v in enterprise.items() if k != "years"}
    code = str(values.get("industry_code") or "")
    values["industry_code"] = code
    if code:
        parts = industry_parts(code)
        if parts is None:
            problems.add(where, _("'%(code)s' is not a GB/T 4754-2017 class.") % {"code": code})
            return None
        values.setdefault("industry_division", parts[0])
        values.setdefault("industry_section", parts[1])
    tags = values.get("tags") or []
    if not isinstance(tags, list) or any(t not in TAGS for t in tags):
        problems.add(where, _("Tags must be a list of: %(tags)s.") % {"tags": ", ".join(TAGS)})
        return None
    values["tags"] = f",{','.join(sorted(tags))}," if tags else ""
    if "registered_on" in values and values["registered_on"] is not None:
        values["registered_on"] = _date(values, "registered_on", problems, required=False)
    values["registered_capital"] = _decimal(values.get("registered_capital"), where, problems)
    years: list[dict[str, Any]] = []
    for year, figures in (enterprise.get("years") or {}).items():
        if not isinstance(year, int) or not isinstance(figures, dict):
            problems.add(where, _("years: write {2020: {employees: 10, ...}}."))
            return None
        if set(figures) - set(YEAR_FIELDS):
            problems.add(
                where, _("Year figures are: %(known)s.") % {"known": ", ".join(YEAR_FIELDS)}
            )
            return None
        row: dict[str, Any] = {"year": year}
        for name in YEAR_FIELDS:
            row[name] = _decimal(figures.get(name), where, problems)
            if name == "employees" and row[name] is not None:
                row[name] = int(row[name])
        years.append(row)
    values["years"] = years
    return values


def case_facts(values: dict[str, Any]) -> dict[str, Any]:
    return facts_from_values(values, values.get("years") or [])


def _check_cases(spec: PolicyFile, raw: Any, problems: _Problems) -> None:
    from onestop.policies.matching import benefit_value

    if not isinstance(raw, list) or not raw:
        problems.add("cases", _("Give at least one test case."), "required")
        return
    for number, case in enumerate(raw, start=1):
        where = f"cases[{number}]"
        if not isinstance(case, dict) or "enterprise" not in case or "eligible" not in case:
            problems.add(where, _("A case has: name, enterprise, eligible (and benefit)."))
            continue
        values = case_values(case["enterprise"], where, problems)
        if values is None or spec.rule is None:
            continue
        facts = case_facts(values)
        got = holds(spec.rule.root, facts)
        if got is not bool(case["eligible"]):
            problems.add(
                where,
                _("Case '%(name)s': the rule gives eligible=%(got)s, the case expects %(want)s.")
                % {"name": case.get("name", number), "got": got, "want": bool(case["eligible"])},
                "case_failed",
            )
            continue
        if "benefit" in case:
            want = _decimal(case["benefit"], where, problems)
            benefit = benefit_value(spec.formula, facts) if got else None
            if want != benefit:
                problems.add(where, _("Case '%(name)s': the benefit is %(got)s, the case expects "
                                      "%(want)s.") % {"name": case.get("name", number),
                                      "got": benefit, "want": want}, "case_failed")  # fmt: skip
                continue
        spec.cases.append({"name": case.get("name", str(number)), "values": values, **case})


def read_policy_file(path: Path, problems: _Problems) -> PolicyFile | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        problems.add("file", _("Cannot be read as YAML: %(error)s") % {"error": exc}, "yaml")
        return None
    if not isinstance(data, dict):
        problems.add("file", _("The file must hold a mapping of policy fields."), "yaml")
        return None
    for key in REQUIRED:
        if key not in data:
            problems.add(key, _("Required."), "required")
    for key in set(data) - set(KNOWN):
        problems.add(key, _("Unknown key (known: %(known)s).") % {"known": ", ".join(KNOWN)})
    code = str(data.get("code") or "")
    if code and code != path.stem:
        problems.add(
            "code", _("The code must equal the file name (%(name)s).") % {"name": path.stem}
        )
    title = _pair(data, "title", problems)
    summary = _pair(data, "summary", problems)
    uncertain = _pair(data, "uncertain", problems, required=False)
    not_in_rule = _pair(data, "not_in_rule", problems, required=False)
    agency = data.get("agency")
    if not isinstance(agency, dict) or not all(isinstance(agency.get(k), str) and agency.get(k)
                                               for k in ("code", "zh", "en")):  # fmt: skip
        problems.add("agency", _("Give the agency's code, zh and en name."), "required")
        agency = {"code": "", "zh": "", "en": ""}
    benefit = data.get("benefit") or {}
    if not isinstance(benefit, dict):
        problems.add("benefit", _("benefit holds formula, unit and note."))
        benefit = {}
    note = _pair(benefit, "note", problems, required=False) if benefit else {"zh": "", "en": ""}
    rule_text = str(data.get("rule") or "").strip()
    rule = formula = None
    try:
        rule = parse_rule(rule_text, ENTERPRISE_SCHEMA)
    except RuleError as exc:
        problems.add(
            f"rule (line {exc.line}, column {exc.column})", str(exc.message), f"rule_{exc.code}"
        )
    formula_text = str(benefit.get("formula") or "").strip()
    if formula_text:
        try:
            formula = parse_formula(formula_text, ENTERPRISE_SCHEMA)
        except RuleError as exc:
            problems.add(f"benefit.formula (line {exc.line}, column {exc.column})",
                         str(exc.message), f"rule_{exc.code}")  # fmt: skip
    takeup = data.get("takeup")
    if takeup not in TakeupMode.values:
        problems.add("takeup", _("automatic or apply."), "invalid_choice")
    sources = data.get("sources")
    if (
        not isinstance(sources, list)
        or not sources
        or not all(isinstance(s, dict) and s.get("url") for s in sources)
    ):
        problems.add("sources", _("Cite at least one source (title and url)."), "required")
    legal = data.get("legal_basis") or []
    if not isinstance(legal, list) or not all(isinstance(item, dict) for item in legal):
        problems.add("legal_basis", _("A list of {title_zh, title_en, number, item, url}."))
        legal = []
    valid_from = _date(data, "valid_from", problems, required=True)
    valid_to = _date(data, "valid_to", problems, required=False)
    if valid_from and valid_to and valid_to < valid_from:
        problems.add("valid_to", _("The end date is before the start date."), "date_order")
    _date(data, "dated", problems, required=True)
    values = {
        "title_zh": title["zh"], "title_en": title["en"],
        "summary_zh": summary["zh"], "summary_en": summary["en"],
        "legal_basis": legal, "issued_on": _date(data, "issued_on", problems, required=False),
        "valid_from": valid_from, "valid_to": valid_to, "rule": rule_text,
        "benefit_formula": formula_text, "benefit_unit": str(benefit.get("unit") or ""),
        "benefit_note_zh": note["zh"], "benefit_note_en": note["en"],
        "takeup_mode": takeup, "budget": _decimal(data.get("budget"), "budget", problems),
        "sources": sources if isinstance(sources, list) else [],
        "uncertain_zh": uncertain["zh"], "uncertain_en": uncertain["en"],
        "not_in_rule_zh": not_in_rule["zh"], "not_in_rule_en": not_in_rule["en"],
        "source_file": f"{path.name} ({data.get('dated')})",
    }  # fmt: skip
    spec = PolicyFile(path=path, values=values, code=code, agency=agency, rule=rule,
                      formula=formula)  # fmt: skip
    _check_cases(spec, data.get("cases"), problems)
    return spec


def read_policy_files(directory: Path = DATA_DIR) -> list[PolicyFile]:
    """Every ``*.yaml`` in ``directory``, checked; ``ValidationFailed`` lists all problems."""
    paths = sorted(directory.glob("*.yaml")) if directory.is_dir() else []
    if not paths:
        raise ValidationFailed(
            [FieldError(str(directory), _("No policy files (*.yaml) found here."), "empty")]
        )
    errors: list[FieldError] = []
    specs: list[PolicyFile] = []
    for path in paths:
        problems = _Problems(path.name)
        spec = read_policy_file(path, problems)
        errors.extend(problems.errors)
        if spec is not None:
            specs.append(spec)
    if errors:
        raise ValidationFailed(errors, _("Some policy files have problems; nothing was loaded."))
    return specs


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)


def policies_load(
    *, actor: User | None, directory: Path = DATA_DIR, publish: bool = False
) -> LoadReport:
    """Load every policy file of ``directory`` (all or nothing); ``publish`` publishes them."""
    from onestop.policies.services import policy_publish, policy_save

    specs = read_policy_files(directory)
    report = LoadReport()
    with transaction.atomic():
        for spec in specs:
            agency = Agency.objects.filter(code=spec.agency["code"]).first()
            if agency is None:
                agency = agency_create(
                    actor=actor,
                    code=spec.agency["code"],
                    name_zh=spec.agency["zh"],
                    name_en=spec.agency["en"],
                )
                report.agencies.append(agency.code)
            policy = Policy.objects.filter(code=spec.code).first()
            if policy is None:
                policy = policy_save(actor=actor, code=spec.code, agency=agency, **spec.values)
                report.created.append(spec.code)
            else:
                before = (policy.updated_at, policy.rule_version)
                policy = policy_save(actor=actor, policy=policy, **spec.values)
                changed = (policy.updated_at, policy.rule_version) != before
                (report.updated if changed else report.unchanged).append(spec.code)
            if publish and policy.status != PolicyStatus.PUBLISHED:
                policy_publish(actor=actor, policy=policy)
    return report
