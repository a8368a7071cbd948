"""Reads of the policies domain, for the pages (P2) and the API.

Near misses are computed on demand for one enterprise with the explaining evaluator (all
published policies against the enterprise's current register record); the matching run
stores only the eligible results for the whole register (plus rows that were eligible once).
A near miss is a policy the enterprise fails on exactly one of the rule's top-level
conditions (a rule ``a && b && c`` with one of them unmet).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from onestop.enterprises import changes
from onestop.enterprises.models import Enterprise
from onestop.policies.fields import ENTERPRISE_SCHEMA, enterprise_facts, enterprise_rule
from onestop.policies.matching import benefit_value, eligible_screen, policy_formula
from onestop.policies.models import Policy, PolicyMatch, PolicyStatus
from onestop.rules import Explanation, RuleError, explain, parse_rule
from onestop.rules.evaluate import holds


@dataclass
class PolicyExplanation:
    """Why (or why not) an enterprise qualifies for a policy, clause by clause."""

    policy: Policy
    passed: bool
    explanation: Explanation
    benefit: Decimal | None = None
    clauses: list[Explanation] = field(default_factory=list)
    failing: list[Explanation] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "eligible": self.passed,
            "benefit": None if self.benefit is None else str(self.benefit),
            "clauses": [
                {"text": c.text, "passed": c.passed, "sentence": c.sentence} for c in self.clauses
            ],
            "explanation": self.explanation.as_dict(),
        }


@dataclass
class SupportItem:
    policy: Policy
    match: PolicyMatch | None
    passed: bool
    benefit: Decimal | None
    clauses: list[Explanation]
    failing: list[Explanation]


def _top_parts(explanation: Explanation) -> list[Explanation]:
    return explanation.parts if explanation.kind == "all" else [explanation]


def explain_facts(policy: Policy, facts: dict[str, Any]) -> PolicyExplanation:
    rule = enterprise_rule(policy.rule)
    explanation = explain(rule, facts)
    clauses = explanation.clauses()
    benefit = benefit_value(policy_formula(policy), facts) if explanation.passed else None
    return PolicyExplanation(
        policy=policy,
        passed=explanation.passed,
        explanation=explanation,
        benefit=benefit,
        clauses=clauses,
        failing=[c for c in clauses if not c.passed],
    )


def explain_for_enterprise(policy: Policy, enterprise: Enterprise) -> PolicyExplanation:
    """The policy's rule against the enterprise's current record, in the active language:
    each clause with a sentence ("Operating revenue 2020 fell 22 % from ...; the rule needs a
    fall of at least 30 %: not met.")."""
    return explain_facts(policy, enterprise_facts(enterprise))


def _in_force(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def support_for_enterprise(
    enterprise: Enterprise, *, day: dt.date | None = None
) -> tuple[list[SupportItem], list[SupportItem]]:
    """(eligible, near misses) among the published policies, explained now.

    Eligible: the stored eligible matches, plus any policy the enterprise meets now but the
    last run has not stored yet (``match`` None). Near misses: one top-level condition unmet.
    ``day`` (optional) keeps only policies in force that day.
    """
    policies = Policy.objects.filter(status=PolicyStatus.PUBLISHED).select_related("agency")
    if day is not None:
        policies = policies.filter(_in_force(day))
    matches = {
        m.policy_id: m
        # The ids as a list: one probe of the (policy, enterprise) index per policy.
        for m in PolicyMatch.objects.filter(
            enterprise=enterprise, policy_id__in=list(policies.values_list("pk", flat=True))
        )
    }
    facts = enterprise_facts(enterprise)
    eligible: list[SupportItem] = []
    near: list[SupportItem] = []
    for policy in policies.order_by("-valid_from", "code"):
        result = explain_facts(policy, facts)
        match = matches.get(policy.pk)
        item = SupportItem(
            policy=policy,
            match=match,
            passed=result.passed,
            benefit=result.benefit if result.passed else None,
            clauses=result.clauses,
            failing=result.failing,
        )
        if result.passed:
            if match is not None and match.benefit is not None and item.benefit is None:
                item.benefit = match.benefit
            eligible.append(item)
        else:
            parts = _top_parts(result.explanation)
            if len(parts) > 1 and sum(1 for p in parts if not p.passed) == 1:
                near.append(item)
    return eligible, near


def rule_check(source: str) -> list[RuleError]:
    """The rule's problems (at most one: the first), each with line, column and message."""
    try:
        parse_rule(source, ENTERPRISE_SCHEMA)
    except RuleError as exc:
        return [exc]
    return []


def register_changes_waiting() -> changes.Pending:
    """Register changes the screening table does not show yet (the next run takes them in)."""
    return changes.pending()


def rule_preview(source: str, *, sample: int = 10) -> tuple[int, list[Enterprise]]:
    """How many enterprises of the screening table the rule accepts, and a few of them.

    Reads the screening table as the last matching run left it (refreshed each run)."""
    policy = Policy(rule=source)
    screened = eligible_screen(policy)
    count = screened.count()
    ids = list(screened.order_by("pk").values_list("pk", flat=True)[:sample])
    return count, list(Enterprise.objects.filter(pk__in=ids).order_by("pk"))


def policy_takeup_stats(policy: Policy) -> dict[str, Any]:
    """Eligible, notified, confirmed, the amount confirmed, and confirmations per district
    (code -> count) and per month ("2020-03" -> count)."""
    matches = PolicyMatch.objects.filter(policy=policy, eligible=True)
    totals = matches.aggregate(
        eligible=Count("pk"),
        notified=Count("pk", filter=Q(notified_at__isnull=False)),
        confirmed=Count("pk", filter=Q(confirmed_at__isnull=False)),
        amount=Sum("benefit", filter=Q(confirmed_at__isnull=False)),
    )
    confirmed = PolicyMatch.objects.filter(policy=policy, confirmed_at__isnull=False)
    by_district: Counter[str] = Counter(
        dict(
            confirmed.values("enterprise__district")
            .annotate(n=Count("pk"))
            .values_list("enterprise__district", "n")
        )
    )
    by_month = {
        month.strftime("%Y-%m"): n
        for month, n in confirmed.annotate(
            month=TruncMonth("confirmed_at", tzinfo=timezone.get_current_timezone())
        )
        .values("month")
        .annotate(n=Count("pk"))
        .order_by("month")
        .values_list("month", "n")
        if month is not None
    }
    return {
        "eligible": totals["eligible"] or 0,
        "notified": totals["notified"] or 0,
        "confirmed": totals["confirmed"] or 0,
        "amount": totals["amount"] or Decimal("0"),
        "by_district": dict(sorted(by_district.items())),
        "by_month": by_month,
    }


def published_policies() -> QuerySet[Policy]:
    return Policy.objects.filter(status=PolicyStatus.PUBLISHED).select_related("agency")


def matches_of_policy(policy: Policy) -> QuerySet[PolicyMatch]:
    return PolicyMatch.objects.filter(policy=policy, eligible=True).select_related("enterprise")


def evaluate_facts(source: str, facts: dict[str, Any]) -> bool:
    return holds(parse_rule(source, ENTERPRISE_SCHEMA).root, facts)
