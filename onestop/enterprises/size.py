"""Enterprise size class (large / medium / small / micro) under the 2011 SME standard.

The 2011 standard (its document number is in the data file), as encoded in
data/sme_size_thresholds_2011.json (with its sources):

- an enterprise is an SME when it is under the industry ceiling on ANY indicator (OR), so it is
  LARGE when it reaches the ceiling on ALL of its industry's indicators;
- MEDIUM and SMALL need ALL of the tier's lower bounds (AND); failing one drops a tier;
- MICRO when below the small-tier bound on ANY indicator (OR).

The NBS 2017 statistical method states the same bounds with the ceilings as the large tier's
lower bounds; the tests check the two tables agree.

``classify`` is pure and fast (the generator and the importer call it for every row). It returns
the class and a compact, language-neutral ``basis`` that ``basis_text`` renders in the active
language ("Micro: catering (2020 figures): employees 8 < 10 and operating revenue 80 < 100 ...").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any, cast

from django.utils.translation import get_language
from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).parent / "data" / "sme_size_thresholds_2011.json"

INDICATORS = ("employees", "operating_revenue", "total_assets")
TIERS_DOWN = ("large", "medium", "small")  # tried in this order; none met -> micro

Number = int | float | Decimal


@dataclass(frozen=True)
class Group:
    """One industry group of the standard with its lower bounds per tier."""

    id: str
    name_zh: str
    name_en: str
    indicators: tuple[str, ...]
    # tier -> indicator -> lower bound (">="); "large" is the 2011 SME ceiling
    bounds: dict[str, dict[str, int]]


@cache
def standard() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA_FILE.read_text("utf-8"))
    return data


def _bounds(industry: dict[str, Any], tier: str) -> dict[str, int]:
    block = industry[tier]
    expected_op = "<" if tier == "sme_ceiling" else ">="
    bounds: dict[str, int] = {}
    for condition in block["conditions"]:
        if condition["op"] != expected_op:
            raise ValueError(f"{industry['id']} {tier}: unexpected operator {condition['op']}")
        bounds[condition["indicator"]] = condition["value"]
    return bounds


@cache
def groups() -> dict[str, Group]:
    """The standard's 16 industry groups by id, read from the data file."""
    result: dict[str, Group] = {}
    for industry in standard()["sme_2011"]["industries"]:
        result[industry["id"]] = Group(
            id=industry["id"],
            name_zh=industry["name_zh"],
            name_en=industry["name_en"],
            indicators=tuple(industry["indicators"]),
            bounds={
                "large": _bounds(industry, "sme_ceiling"),
                "medium": _bounds(industry, "medium"),
                "small": _bounds(industry, "small"),
            },
        )
    return result


@cache
def _code_map() -> tuple[dict[str, str], dict[str, str], dict[str, str], frozenset[str]]:
    """(class -> group, 3-digit group -> group, division -> group, classes not covered)."""
    by_class: dict[str, str] = {}
    by_group: dict[str, str] = {}
    by_division: dict[str, str] = {}
    sme = standard()["sme_2011"]
    for industry in sme["industries"]:
        codes = industry["gbt4754_2017"]
        for code in codes.get("classes", []):
            by_class[code] = industry["id"]
        for code in codes.get("groups", []):
            by_group[code] = industry["id"]
        for code in codes.get("divisions", []):
            by_division[code] = industry["id"]
    not_covered = frozenset(sme["not_covered"].get("classes", []))
    return by_class, by_group, by_division, not_covered


@cache
def industry_group(industry_code: str) -> str | None:
    """The standard's group for a GB/T 4754-2017 class code; None when the standard does not
    cover it (finance, education, health, public administration, railway, 7040 ...)."""
    by_class, by_group, by_division, not_covered = _code_map()
    code = (industry_code or "").strip()
    if not code or code in not_covered:
        return None
    return by_class.get(code) or by_group.get(code[:3]) or by_division.get(code[:2])


def _classify_complete(
    group: Group, values: dict[str, Number], basis: dict[str, Any]
) -> tuple[str, dict[str, Any]]:
    """``classify`` when every indicator is known (the common case, kept lean for bulk loads)."""
    small = group.bounds["small"]
    below_small = [
        [name, "<", small[name], _plain(value)]
        for name, value in values.items()
        if value < small[name]
    ]
    if below_small:
        basis["size"] = "micro"
        basis["rule"] = "any_below"
        basis["checks"] = below_small
        return "micro", basis
    not_higher: list[list[Any]] = []
    for tier in TIERS_DOWN:
        bounds = group.bounds[tier]
        failed = [
            [name, "<", bounds[name], _plain(value)]
            for name, value in values.items()
            if value < bounds[name]
        ]
        if not failed:
            basis["size"] = tier
            basis["rule"] = "all_at_least"
            basis["checks"] = [
                [name, ">=", bounds[name], _plain(value)] for name, value in values.items()
            ]
            if not_higher:
                basis["not_higher"] = not_higher
            return tier, basis
        not_higher = failed
    raise AssertionError("unreachable: the small tier is met when no indicator is below it")


def _plain(value: Number) -> int | float:
    """A JSON-friendly number: int when whole, else float."""
    if isinstance(value, int):
        return value
    as_float = float(value)
    return int(as_float) if as_float.is_integer() else as_float


def classify(
    industry_code: str,
    *,
    employees: Number | None,
    operating_revenue: Number | None,
    total_assets: Number | None,
    year: int | None = None,
) -> tuple[str, dict[str, Any]]:
    """(size class or "" when it cannot be determined, basis).

    basis keys: ``group`` (standard group id or None), ``year``, ``size``, ``rule`` (why:
    "all_at_least" - every bound of the tier met; "any_below" - micro, at least one indicator
    under the small bound; "missing" - a needed figure is absent; "not_covered"; "no_industry"),
    ``checks`` ([indicator, op, threshold, value] that decided), ``not_higher`` (the tier above's
    bounds that were missed, same form), ``missing`` (indicator names).
    """
    basis: dict[str, Any] = {"group": None, "year": year, "size": "", "rule": "no_industry"}
    if not industry_code:
        return "", basis
    group_id = industry_group(industry_code)
    if group_id is None:
        basis["rule"] = "not_covered"
        return "", basis
    group = groups()[group_id]
    basis["group"] = group_id
    figures: dict[str, Number | None] = {
        "employees": employees,
        "operating_revenue": operating_revenue,
        "total_assets": total_assets,
    }
    values = {name: figures[name] for name in group.indicators}
    if None not in values.values():
        return _classify_complete(group, cast(dict[str, Number], values), basis)
    missing = [name for name, value in values.items() if value is None]
    small = group.bounds["small"]
    below_small = [
        [name, "<", small[name], _plain(value)]
        for name, value in values.items()
        if value is not None and value < small[name]
    ]
    if below_small:
        # Micro needs only one indicator under the small bound (OR), so a missing one is moot.
        basis.update(size="micro", rule="any_below", checks=below_small)
        return "micro", basis
    if missing:
        basis.update(rule="missing", missing=missing)
        return "", basis
    not_higher: list[list[Any]] = []
    for tier in TIERS_DOWN:
        bounds = group.bounds[tier]
        failed = [
            [name, "<", bounds[name], _plain(value)]
            for name, value in values.items()
            if value is not None and value < bounds[name]
        ]
        if not failed:
            basis.update(
                size=tier,
                rule="all_at_least",
                checks=[
                    [name, ">=", bounds[name], _plain(value)]
                    for name, value in values.items()
                    if value is not None
                ],
            )
            if not_higher:
                basis["not_higher"] = not_higher
            return tier, basis
        not_higher = failed
    raise AssertionError("unreachable: below_small was empty so the small tier is met")


# --- Rendering the basis in the active language -------------------------------------------------


def _is_en(language: str | None) -> bool:
    return (language or get_language() or "zh-hans").startswith("en")


def group_name(group_id: str | None, language: str | None = None) -> str:
    if not group_id or group_id not in groups():
        return ""
    group = groups()[group_id]
    return group.name_en if _is_en(language) else group.name_zh


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{value:,}" if isinstance(value, int) else str(value)


def indicator_label(name: str) -> str:
    labels = {
        "employees": _("employees"),
        "operating_revenue": _("operating revenue"),
        "total_assets": _("total assets"),
    }
    return labels.get(name, name)


def _check_text(check: list[Any]) -> str:
    name, op, threshold, value = check
    symbol = {"<": "<", ">=": "≥"}.get(op, op)
    if name == "employees":
        return _("%(indicator)s %(value)s %(op)s %(threshold)s persons") % {
            "indicator": indicator_label(name),
            "value": _number(value),
            "op": symbol,
            "threshold": _number(threshold),
        }
    return _("%(indicator)s %(value)s %(op)s %(threshold)s (10,000 CNY)") % {
        "indicator": indicator_label(name),
        "value": _number(value),
        "op": symbol,
        "threshold": _number(threshold),
    }


def _join(parts: list[str]) -> str:
    return _(" and ").join(parts)


def size_label(size: str) -> str:
    from onestop.enterprises.models import SizeClass

    return str(SizeClass(size).label) if size in SizeClass.values else ""


def basis_text(basis: dict[str, Any] | None) -> str:
    """The rule that decided the size class, as one sentence in the active language."""
    if not basis:
        return _("No size class yet: the register has no figures for this enterprise.")
    rule = basis.get("rule")
    if rule == "no_industry":
        return _("No size class: the enterprise's industry is not recorded.")
    if rule == "not_covered":
        return _(
            "No size class: the 2011 SME standard does not cover this industry (for example "
            "finance, education, health or public administration)."
        )
    if rule == "no_figures":
        return _("No size class yet: the register has no figures for this enterprise.")
    context = {
        "group": group_name(basis.get("group")),
        "year": basis.get("year") or "",
    }
    if rule == "missing":
        return _(
            "No size class: the %(year)s figures lack %(missing)s, which the standard needs for "
            "%(group)s."
        ) % {**context, "missing": _join([indicator_label(m) for m in basis.get("missing", [])])}
    checks = _join([_check_text(c) for c in basis.get("checks", [])])
    size = size_label(basis.get("size", ""))
    if rule == "any_below":
        return _(
            "%(size)s: %(group)s, %(year)s figures: %(checks)s (micro needs only one indicator "
            "under the small-enterprise bound)."
        ) % {**context, "size": size, "checks": checks}
    text = _("%(size)s: %(group)s, %(year)s figures: %(checks)s (every bound of the tier met).") % {
        **context,
        "size": size,
        "checks": checks,
    }
    if basis.get("not_higher"):
        text += " " + _("Not one tier higher because %(checks)s.") % {
            "checks": _join([_check_text(c) for c in basis["not_higher"]])
        }
    return text
