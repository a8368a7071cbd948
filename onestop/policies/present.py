"""What the policy pages show, built from the engine's selectors (``onestop.policies.selectors``).

The pages never evaluate rules themselves: the selectors explain, count and sum; this module
only shapes their answers for the templates (cards, reasons, charts, localized legal basis).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from onestop.enterprises.districts import district_name
from onestop.enterprises.models import Enterprise, SizeClass
from onestop.policies import selectors
from onestop.policies.charts import BarChart, ChartItem, bar_chart
from onestop.policies.fields import industry_label
from onestop.policies.models import MatchRun, MatchRunStatus, Policy, PolicyMatch
from onestop.policies.services import apply_form_data


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def legal_basis(policy: Policy) -> list[dict[str, Any]]:
    """The policy's legal basis in the active language (the other language when one is empty)."""
    english = _english()
    rows = []
    for entry in policy.legal_basis or []:
        if not isinstance(entry, Mapping):
            continue
        zh, en = entry.get("title_zh") or "", entry.get("title_en") or ""
        rows.append(
            {
                "title": (en or zh) if english else (zh or en),
                "number": entry.get("number") or "",
                "item": entry.get("item") or "",
                "url": entry.get("url") or "",
                "uncertain": bool(entry.get("number_uncertain") or entry.get("uncertain")),
            }
        )
    return rows


def money(amount: Decimal | int | None, unit: str = "") -> str:
    if amount is None:
        return ""
    shown = number_format(Decimal(amount), decimal_pos=2, use_l10n=True, force_grouping=True)
    shown = shown.removesuffix(".00")
    return f"{shown} {unit}".strip()


# ----- support for one enterprise ----------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    text: str
    met: bool


@dataclass
class SupportCard:
    policy: Policy
    match: PolicyMatch | None
    met: list[Reason]
    unmet: list[Reason]
    benefit: Decimal | None = None
    near: bool = False
    legal_basis: list[dict[str, Any]] = field(default_factory=list)
    record: list[dict[str, str]] = field(default_factory=list)

    @property
    def confirmed_at(self) -> dt.datetime | None:
        return self.match.confirmed_at if self.match is not None else None

    @property
    def ended(self) -> bool:
        """The policy's validity is over: it is shown, but can no longer be taken up."""
        end = self.policy.valid_to
        return end is not None and end < timezone.localdate()

    @property
    def benefit_shown(self) -> str:
        return money(self.benefit, self.policy.benefit_unit)

    @property
    def reference(self) -> str:
        """The confirmation's reference: stable, short, readable over the phone."""
        if self.match is None or self.match.confirmed_at is None:
            return ""
        return f"ZC-{timezone.localtime(self.match.confirmed_at):%Y%m%d}-{self.match.pk:06d}"


@dataclass
class Support:
    eligible: list[SupportCard]
    near: list[SupportCard]


def _reasons(clauses: Iterable[Any]) -> tuple[list[Reason], list[Reason]]:
    """Met and unmet reasons from the explanation's clauses (objects or dicts)."""
    met: list[Reason] = []
    unmet: list[Reason] = []
    for clause in clauses:
        if isinstance(clause, Mapping):
            text, passed = clause.get("sentence") or clause.get("text") or "", clause.get("passed")
        else:
            text = getattr(clause, "sentence", "") or getattr(clause, "text", "")
            passed = getattr(clause, "passed", False)
        if not text:
            continue
        (met if passed else unmet).append(Reason(str(text), bool(passed)))
    return met, unmet


def _card(item: Any, *, near: bool) -> SupportCard:
    policy = item.policy
    met, unmet = _reasons(item.clauses)
    return SupportCard(
        policy=policy,
        match=getattr(item, "match", None),
        met=met,
        unmet=unmet,
        benefit=getattr(item, "benefit", None),
        near=near,
        legal_basis=legal_basis(policy),
    )


def support_for(enterprise: Enterprise) -> Support:
    eligible, near = selectors.support_for_enterprise(enterprise)
    return Support(
        eligible=[_card(item, near=False) for item in eligible],
        near=[_card(item, near=True) for item in near],
    )


def _record(match: PolicyMatch) -> list[dict[str, str]]:
    """The application as the engine fills it in from the register (apply mode)."""
    data = apply_form_data(match)
    rows = [
        (_("Enterprise"), data.get("enterprise_name") or match.enterprise.name),
        (_("Unified social credit code"), data.get("credit_code")),
        (_("District"), district_name(data["district"]) if data.get("district") else ""),
        (_("Industry"), industry_label(data["industry_code"]) if data.get("industry_code") else ""),
        (_("Size"), SizeClass(data["size_class"]).label if data.get("size_class") else ""),
        (_("Contact person"), data.get("contact_name")),
        (_("Contact phone"), data.get("contact_phone")),
        (_("Contact email"), data.get("contact_email")),
    ]
    return [
        {"label": str(label), "value": str(value) if value else _("Not in the register")}
        for label, value in rows
    ]


def card_for_match(match: PolicyMatch) -> SupportCard:
    """One match explained now (the enterprise's current record against the current rule)."""
    explanation = selectors.explain_for_enterprise(match.policy, match.enterprise)
    met, unmet = _reasons(explanation.clauses)
    benefit = match.benefit
    if benefit is None:
        benefit = getattr(explanation, "benefit", None)
    return SupportCard(
        policy=match.policy,
        match=match,
        met=met,
        unmet=unmet,
        benefit=benefit,
        near=not match.eligible,
        legal_basis=legal_basis(match.policy),
        record=_record(match),
    )


# ----- the rule editor's check -------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    line: int
    column: int
    message: str
    line_text: str
    caret: str

    @property
    def text(self) -> str:
        return _("Line %(line)s, column %(column)s: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class RuleCheck:
    source: str
    errors: list[Problem] = field(default_factory=list)
    count: int = 0
    sample: list[dict[str, str]] = field(default_factory=list)
    as_of: dt.datetime | None = None  # when the register was last screened (the count's date)
    # Register changes since then, counted at the next matching run (everything: a bulk write).
    changed_since: int = 0
    changed_everything: bool = False

    @property
    def empty(self) -> bool:
        return not self.source.strip()

    @property
    def errors_text(self) -> str:
        return " ".join(problem.text for problem in self.errors)


def _problem(source: str, error: Any) -> Problem:
    line, column = int(getattr(error, "line", 1) or 1), int(getattr(error, "column", 1) or 1)
    lines = source.splitlines() or [""]
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    return Problem(
        line=line,
        column=column,
        message=str(getattr(error, "message", error)),
        line_text=text,
        caret=" " * (column - 1) + "^",
    )


def rule_check(source: str, *, sample: int) -> RuleCheck:
    """The rule's problems with their positions, or how many enterprises it matches and a few."""
    source = source.replace("\r\n", "\n").replace("\r", "\n")  # as browsers send text boxes
    check = RuleCheck(source=source)
    if check.empty:
        return check
    errors = selectors.rule_check(source)
    if errors:
        check.errors = [_problem(source, error) for error in errors]
        return check
    count, enterprises = selectors.rule_preview(source, sample=sample)
    check.count = count
    last = (
        MatchRun.objects.filter(status=MatchRunStatus.DONE, finished_at__isnull=False)
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    check.as_of = last
    waiting = selectors.register_changes_waiting()
    check.changed_everything = waiting.everything
    check.changed_since = waiting.enterprises
    check.sample = [
        {
            "name": enterprise.name,
            "credit_code": enterprise.credit_code,
            "district": district_name(enterprise.district) if enterprise.district else "",
        }
        for enterprise in list(enterprises)[:sample]
    ]
    return check


# ----- take-up statistics ------------------------------------------------------------------------


@dataclass
class ChartSection:
    chart: BarChart
    label_header: str
    value_header: str
    empty_text: str


def _series(raw: Any) -> list[tuple[str, int]]:
    """A series given as a mapping or as (key, value) pairs / dicts."""
    if not raw:
        return []
    if isinstance(raw, Mapping):
        return [(str(k), int(v)) for k, v in raw.items()]
    result = []
    for entry in raw:
        if isinstance(entry, Mapping):
            key = entry.get("district") or entry.get("month") or entry.get("key") or ""
            value = entry.get("confirmed", entry.get("count", entry.get("value", 0)))
            result.append((str(key), int(value or 0)))
        else:
            key, value = entry
            result.append((str(key), int(value or 0)))
    return result


def stats(policy: Policy) -> dict[str, Any]:
    raw = selectors.policy_takeup_stats(policy)
    eligible = int(raw.get("eligible") or 0)
    notified = int(raw.get("notified") or 0)
    confirmed = int(raw.get("confirmed") or 0)
    amount = raw.get("amount")
    figures = {
        "eligible": eligible,
        "notified": notified,
        "confirmed": confirmed,
        "amount_shown": money(amount or 0),
        "unit": policy.benefit_unit,
        "rate": number_format(
            Decimal(100 * confirmed) / Decimal(eligible), decimal_pos=1, use_l10n=True
        )
        if eligible
        else "0",
    }
    funnel = bar_chart(
        key="funnel",
        title=_("From eligible to confirmed"),
        desc=_(
            "%(eligible)s enterprises are eligible, %(notified)s were notified and "
            "%(confirmed)s confirmed."
        )
        % {"eligible": eligible, "notified": notified, "confirmed": confirmed},
        items=[
            ChartItem(_("Eligible"), eligible),
            ChartItem(_("Notified"), notified),
            ChartItem(_("Confirmed"), confirmed),
        ],
    )
    sections = [
        ChartSection(funnel, _("Stage"), _("Enterprises"), _("No enterprise is eligible yet.")),
    ]
    districts = _series(raw.get("by_district"))
    if districts or "by_district" in raw:
        items = [
            ChartItem(district_name(code) if code else _("Unknown"), n) for code, n in districts
        ]
        desc = "; ".join(f"{item.label}: {item.value}" for item in items)
        chart = bar_chart(
            key="by-district",
            title=_("Confirmed, by district"),
            desc=desc or _("None confirmed yet."),
            items=items,
        )
        sections.append(
            ChartSection(chart, _("District"), _("Confirmed"), _("None confirmed yet."))
        )
    months = _series(raw.get("by_month"))
    if months or "by_month" in raw:
        items = [ChartItem(month, n) for month, n in months]
        desc = "; ".join(f"{item.label}: {item.value}" for item in items)
        chart = bar_chart(
            key="by-month",
            title=_("Confirmed, by month"),
            desc=desc or _("None confirmed yet."),
            items=items,
        )
        sections.append(ChartSection(chart, _("Month"), _("Confirmed"), _("None confirmed yet.")))
    return {"figures": figures, "sections": sections}
