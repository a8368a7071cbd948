"""The rule schema "enterprise": the whitelisted fields policy rules may read.

Rules write ``enterprise.<field>``. Each field has a type, a label in both languages (gettext)
and, for codes, the allowed values and their names. Per-year figures are fields of their own
(``enterprise.revenue_2020``, ``enterprise.employees_2019``, ``enterprise.assets_2021``) for
the years in ``YEARS``; ``enterprise.employees`` is the latest year's head count.

Two readers of the same facts:

- ``enterprise_facts(enterprise)`` builds the record the explaining evaluator reads, from the
  register (``Enterprise`` and its ``EnterpriseYear`` rows);
- the SQL side screens ``EnterpriseScreen`` (one narrow row per enterprise, refreshed from the
  register by ``onestop.policies.matching.screen_refresh``) whose columns are exactly these
  fields (``FieldSpec.lookup``).

Missing values: an empty code (size not determinable, no district...) is a missing value;
a comparison with a missing value is false. ``enterprise.tags`` is always a list (maybe empty).
"""

from __future__ import annotations

import csv
import functools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import get_language
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from onestop.enterprises.districts import DISTRICTS, district_name
from onestop.enterprises.models import Ownership, SizeClass
from onestop.enterprises.tags import TAGS, tag_name
from onestop.rules import FieldSpec, FieldType, Rule, RuleSchema, parse_rule

#: The years whose figures rules can read (one column per measure and year in the screen).
YEARS = tuple(range(2018, 2027))
#: measure in rules -> (EnterpriseYear field, label)
MEASURES = {
    "revenue": ("operating_revenue", "operating revenue %(year)s (10,000 CNY)"),
    "employees": ("employees", "employees %(year)s"),
    "assets": ("total_assets", "total assets %(year)s (10,000 CNY)"),
}
MEASURE_NAMES = {
    "revenue": _("operating revenue"),
    "employees": _("the number of employees"),
    "assets": _("total assets"),
}
ROOT = "enterprise"


@functools.cache
def _industry_rows() -> dict[str, dict[str, str]]:
    path = Path(__file__).parents[1] / "access" / "data" / "gbt4754_2017.csv"
    with path.open(encoding="utf-8") as handle:
        return {row["code"]: row for row in csv.DictReader(handle)}


@functools.cache
def _industry_names() -> dict[str, tuple[str, str, str]]:
    """code -> (level, Chinese name, English name) from GB/T 4754-2017 (access/data)."""
    return {
        code: (row["level"], row["name_zh"], row["name_en"])
        for code, row in _industry_rows().items()
    }


def industry_parts(class_code: str) -> tuple[str, str] | None:
    """(division, section) of a GB/T 4754-2017 class code; None if it is not a class."""
    rows = _industry_rows()
    row = rows.get(class_code)
    if row is None or row["level"] != "class":
        return None
    division = class_code[:2]
    return division, rows[division]["parent"]


def _industry_codes(level: str) -> tuple[str, ...]:
    return tuple(code for code, row in _industry_names().items() if row[0] == level)


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def industry_label(code: str) -> str:
    """ "餐饮业 (62)" / "Catering Services (62)"; the code alone when unknown."""
    row = _industry_names().get(code)
    if row is None:
        return code
    name = (row[2] or row[1]) if _english() else row[1]
    return f"{name} ({code})"


def _choice_label(labels: Mapping[str, Any]) -> Callable[[str], str]:
    def label(value: str) -> str:
        found = labels.get(value)
        return f"{found} ({value})" if found is not None else value

    return label


def _district_label(code: str) -> str:
    return f"{district_name(code)} ({code})" if code in DISTRICTS else code


def _tag_label(code: str) -> str:
    return tag_name(code) if code in TAGS else code


def _year_label(template: str, year: int) -> Any:
    return lazy(lambda: _g(template) % {"year": year}, str)()


def _fields() -> list[FieldSpec]:
    def f(name: str, kind: FieldType, label: Any, **extra: Any) -> FieldSpec:
        return FieldSpec(f"{ROOT}.{name}", kind, label, column=name, **extra)

    specs = [
        f("size", FieldType.STRING, _("size class"), choices=tuple(SizeClass.values),
          value_label=_choice_label(dict(SizeClass.choices))),
        f("industry", FieldType.STRING, _("industry class (GB/T 4754)"),
          choices=_industry_codes("class"), value_label=industry_label),
        f("industry_division", FieldType.STRING, _("industry division (GB/T 4754)"),
          choices=_industry_codes("division"), value_label=industry_label),
        f("industry_section", FieldType.STRING, _("industry section (GB/T 4754)"),
          choices=_industry_codes("section"), value_label=industry_label),
        f("district", FieldType.STRING, _("district"), choices=tuple(DISTRICTS),
          value_label=_district_label),
        f("ownership", FieldType.STRING, _("ownership"), choices=tuple(Ownership.values),
          value_label=_choice_label(dict(Ownership.choices))),
        f("registered_capital", FieldType.NUMBER, _("registered capital (10,000 CNY)")),
        f("registered_on", FieldType.DATE, _("registration date")),
        f("tags", FieldType.STRING_LIST, _("tags"), choices=tuple(TAGS),
          value_label=_tag_label, list_storage="commas"),
        f("employees", FieldType.NUMBER, _("employees (latest year)")),
    ]  # fmt: skip
    for measure, (_column, template) in MEASURES.items():
        for year in YEARS:
            label = _year_label(template, year)
            name = MEASURE_NAMES[measure]
            specs.append(f(f"{measure}_{year}", FieldType.NUMBER, label, measure=name, year=year))
    return specs


ENTERPRISE_SCHEMA = RuleSchema.of("enterprise", _fields(), max_length=4000, max_nodes=300)
#: Benefit formulas: the same fields, a number as the result.
FIELD_PATHS = tuple(ENTERPRISE_SCHEMA.fields)


@functools.lru_cache(maxsize=4096)
def enterprise_rule(source: str) -> Rule:
    """A policy rule parsed and checked once per process (rules are immutable text)."""
    return parse_rule(source, ENTERPRISE_SCHEMA)


def _number(value: Any) -> float | None:
    if value is None:
        return None
    return float(value) if isinstance(value, Decimal) else value


def facts_from_values(values: Mapping[str, Any], years: Iterable[Mapping[str, Any]]) -> dict:
    """The record for the evaluator from plain values: ``values`` holds the Enterprise's
    fields (``size_class``, ``industry_code``, ...); ``years`` one mapping per year row
    (``year``, ``employees``, ``operating_revenue``, ``total_assets``)."""
    record: dict[str, Any] = {
        f"{ROOT}.size": values.get("size_class") or None,
        f"{ROOT}.industry": values.get("industry_code") or None,
        f"{ROOT}.industry_division": values.get("industry_division") or None,
        f"{ROOT}.industry_section": values.get("industry_section") or None,
        f"{ROOT}.district": values.get("district") or None,
        f"{ROOT}.ownership": values.get("ownership") or None,
        f"{ROOT}.registered_capital": _number(values.get("registered_capital")),
        f"{ROOT}.registered_on": values.get("registered_on"),
        f"{ROOT}.tags": [t for t in (values.get("tags") or "").split(",") if t],
        f"{ROOT}.employees": None,
    }
    by_year = {int(row["year"]): row for row in years}
    for measure, (column, _label) in MEASURES.items():
        for year in YEARS:
            row = by_year.get(year)
            record[f"{ROOT}.{measure}_{year}"] = None if row is None else _number(row[column])
    for year in reversed(YEARS):  # the latest year that has a head count
        if record[f"{ROOT}.employees_{year}"] is not None:
            record[f"{ROOT}.employees"] = record[f"{ROOT}.employees_{year}"]
            break
    return record


ENTERPRISE_VALUES = (
    "size_class", "industry_code", "industry_division", "industry_section", "district",
    "ownership", "registered_capital", "registered_on", "tags",
)  # fmt: skip
YEAR_VALUES = ("year", "employees", "operating_revenue", "total_assets")


def enterprise_facts(enterprise: Any) -> dict[str, Any]:
    """The record the explaining evaluator reads for one ``Enterprise``."""
    values = {name: getattr(enterprise, name) for name in ENTERPRISE_VALUES}
    years = enterprise.years.filter(year__in=YEARS).values(*YEAR_VALUES)
    return facts_from_values(values, years)
