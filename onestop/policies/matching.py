"""Screening the register inside the database.

1. ``screen_refresh()`` rebuilds ``EnterpriseScreen`` (one narrow row per enterprise, the rule
   fields as columns, per-year figures pivoted) from the register with ONE
   ``INSERT ... SELECT``; the SELECT is built by the ORM, its values are parameters.
2. ``policy_sync(policy)`` brings one policy's stored matches in line with its rule, with three
   set-based statements (insert the new eligible enterprises, mark rows that match again or
   at a new rule version, mark rows that no longer match), each a query built from the rule's
   compiled ``Q`` (``onestop.rules.sql``): no rule value ever enters the SQL text.

Both run inside the caller's transaction. The service ``policies_match_run`` (services.py)
calls them policy by policy, one transaction each, so a run killed half-way leaves every
policy either fully old or fully new, and the next run completes the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    DateTimeField,
    DecimalField,
    Exists,
    F,
    FloatField,
    IntegerField,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Cast, Coalesce, NullIf

from onestop.enterprises import changes
from onestop.enterprises.models import Enterprise
from onestop.policies.fields import MEASURES, YEARS, enterprise_rule
from onestop.policies.models import (
    EnterpriseScreen,
    Policy,
    PolicyMatch,
    ScreenChange,
    ScreenStaging,
)
from onestop.rules import Formula, parse_formula
from onestop.rules.evaluate import value_of
from onestop.rules.sql import to_q, value_expression

DELTA_LIMIT = 5_000  # changed enterprises a policy re-checks one by one (by id) at most
ANALYZE_AFTER = 20_000  # new rows after which the match table's statistics are refreshed
BENEFIT_LIMIT = 1e13  # beyond this a computed benefit is not stored (the column's range)


def screen_columns() -> list[str]:
    names = [
        "enterprise_id", "size", "industry", "industry_division", "industry_section",
        "district", "ownership", "registered_capital", "registered_on", "tags", "employees",
    ]  # fmt: skip
    names += [f"{measure}_{year}" for measure in MEASURES for year in YEARS]
    return names


def _screen_select() -> QuerySet[Any]:
    def year(column: str, y: int) -> Any:
        return Max(Cast(f"years__{column}", FloatField()), filter=Q(years__year=y))

    annotations: dict[str, Any] = {
        "s_size": NullIf("size_class", Value("")),
        "s_industry": NullIf("industry_code", Value("")),
        "s_division": NullIf("industry_division", Value("")),
        "s_section": NullIf("industry_section", Value("")),
        "s_district": NullIf("district", Value("")),
        "s_ownership": NullIf("ownership", Value("")),
        "s_capital": Cast("registered_capital", FloatField()),
        "s_tags": Coalesce(F("tags"), Value("")),
        "s_employees": Coalesce(
            *[year("employees", y) for y in reversed(YEARS)], output_field=FloatField()
        ),
    }
    order = ["pk", "s_size", "s_industry", "s_division", "s_section", "s_district",
             "s_ownership", "s_capital", "registered_on", "s_tags", "s_employees"]  # fmt: skip
    for measure, (column, _label) in MEASURES.items():
        for y in YEARS:
            annotations[f"s_{measure}_{y}"] = year(column, y)
            order.append(f"s_{measure}_{y}")
    return Enterprise.objects.order_by().annotate(**annotations).values_list(*order)


def _insert_select(model: Any, columns: list[str], queryset: QuerySet[Any]) -> int:
    """``INSERT INTO <model> (<columns>) <queryset's SELECT>``: the ORM wrote the SELECT and
    holds its values as parameters; table and column names come from our own models."""
    quote = connection.ops.quote_name
    select_sql, params = queryset.query.sql_with_params()
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(c) for c in columns)}) {select_sql}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount or 0)


def _column(name: str) -> str:
    field = EnterpriseScreen._meta.get_field(name)
    return str(getattr(field, "column", name))


def _clear(model: Any) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {table}")
        else:
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (our table name, no values)


def screen_refresh(*, generation: int = 0) -> int:
    """Bring the screening table in line with the register; returns how many enterprises
    changed (appeared, went, or changed a rule field). Each is recorded as a ``ScreenChange``
    of ``generation``, so policies already exact re-check only those.

    Only the enterprises in the register's change log are re-read (``enterprises.changes``),
    or the whole register when the log asks for it (a bulk load) or the screen is empty. They
    are pivoted into ``ScreenStaging`` (one INSERT ... SELECT), compared with the screening
    table column by column (NULL-safe), and only the changed rows are replaced. Run inside
    the caller's transaction: the change log rows taken in are deleted in it.
    """
    everything, claimed = changes.claim(generation)
    if not everything and not EnterpriseScreen.objects.exists():
        everything = Enterprise.objects.exists()
    if everything:
        changed = _refresh(generation, None)
    elif claimed.exists():
        changed = _refresh(generation, claimed)
    else:
        changed = 0
    changes.forget(generation)
    return changed


def _refresh(generation: int, only: QuerySet[Any] | None) -> int:
    """The refresh of the enterprises whose ids ``only`` selects, or of all (None)."""
    quote = connection.ops.quote_name
    names = screen_columns()
    columns = [quote(_column(name)) for name in names]
    _clear(ScreenStaging)
    select = _screen_select()
    if only is not None:
        select = select.filter(pk__in=only)
    _insert_select(ScreenStaging, names, select)
    screen, staging = quote(EnterpriseScreen._meta.db_table), quote(ScreenStaging._meta.db_table)
    change_table = quote(ScreenChange._meta.db_table)
    differs = " IS DISTINCT FROM " if connection.vendor == "postgresql" else " IS NOT "
    key = quote("enterprise_id")
    compared = " OR ".join(f"n.{c}{differs}s.{c}" for c in columns if c != key)
    gone = f"SELECT s.{key}, %s FROM {screen} s "  # noqa: S608 (our names; values are params)
    gone_params: list[Any] = [generation]
    if only is not None:  # only those in the log can have gone
        only_sql, only_params = only.query.sql_with_params()
        gone += f"WHERE s.{key} IN ({only_sql}) AND "
        gone_params += list(only_params)
    else:
        gone += "WHERE "
    gone += f"NOT EXISTS (SELECT 1 FROM {staging} n WHERE n.{key} = s.{key})"  # noqa: S608
    # Table and column names are ours (quoted); the generation and ids are parameters.
    sql = (
        f"INSERT INTO {change_table} ({key}, {quote('generation')}) "  # noqa: S608
        f"SELECT n.{key}, %s FROM {staging} n LEFT JOIN {screen} s ON s.{key} = n.{key} "
        f"WHERE s.{key} IS NULL OR {compared} UNION {gone}"
    )
    changed_ids = f"SELECT {key} FROM {change_table} WHERE {quote('generation')} = %s"  # noqa: S608
    ScreenChange.objects.filter(generation=generation).delete()  # a refresh run again
    with connection.cursor() as cursor:
        cursor.execute(sql, [generation, *gone_params])
        changed = int(cursor.rowcount or 0)
        if changed:
            delete = f"DELETE FROM {screen} WHERE {key} IN ({changed_ids})"  # noqa: S608
            cursor.execute(delete, [generation])
            cursor.execute(
                f"INSERT INTO {screen} ({', '.join(columns)}) SELECT {', '.join(columns)} "  # noqa: S608
                f"FROM {staging} WHERE {key} IN ({changed_ids})",
                [generation],
            )
    _clear(ScreenStaging)
    if changed > ANALYZE_AFTER:
        analyze(EnterpriseScreen)
    return changed


def relaxed_commit() -> None:
    """Inside a matching transaction on PostgreSQL: commit without waiting for the disk
    flush (``synchronous_commit off``). Matches are derived data: a server crash can lose
    only the last fraction of a second of them, and the next run recomputes them anyway.
    A killed matching process loses nothing (the server still flushes)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def analyze(model: Any) -> None:
    """Fresh planner statistics after a bulk change (PostgreSQL plans the matching's joins
    badly on stale ones; SQLite's planner needs none here)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def policy_formula(policy: Policy) -> Formula | None:
    if not policy.benefit_formula.strip():
        return None
    return parse_formula(policy.benefit_formula, enterprise_rule(policy.rule).schema)


def benefit_value(formula: Formula | None, record: dict[str, Any]) -> Decimal | None:
    """The benefit for one enterprise's facts (Python side), rounded to cents."""
    if formula is None:
        return None
    value = value_of(formula.root, record)
    if value is None or not abs(value) < BENEFIT_LIMIT:
        return None
    return Decimal(str(round(float(value), 2))).quantize(Decimal("0.01"))


def _benefit_expression(formula: Formula | None) -> Any:
    if formula is None:
        return Value(None, output_field=DecimalField(max_digits=16, decimal_places=2))
    expr = value_expression(formula.root)
    from django.db.models import Case, When
    from django.db.models.lookups import GreaterThan, LessThan

    return Case(
        When(
            LessThan(expr, Value(BENEFIT_LIMIT)) & GreaterThan(expr, Value(-BENEFIT_LIMIT)),
            then=expr,
        ),
        default=Value(None, output_field=FloatField()),
        output_field=FloatField(),
    )


def eligible_screen(policy: Policy) -> QuerySet[EnterpriseScreen]:
    """The screening rows of the enterprises the policy's rule accepts (SQL, parameterised)."""
    return EnterpriseScreen.objects.filter(to_q(enterprise_rule(policy.rule)))


NEW_MATCH_VALUES = ("m_policy", "pk", "m_version", "m_eligible", "m_explanation", "m_missing",
                    "m_benefit", "m_at")  # fmt: skip


def screen_counts(policies: list[Policy]) -> dict[int, int]:
    """How many enterprises each policy's rule accepts, for all of them in ONE pass over the
    screening table (``COUNT(*) FILTER (WHERE <rule>)`` per policy; parameterised)."""
    from django.db.models import Count

    if not policies:
        return {}
    totals = EnterpriseScreen.objects.aggregate(
        **{f"p{p.pk}": Count("pk", filter=to_q(enterprise_rule(p.rule))) for p in policies}
    )
    return {p.pk: int(totals[f"p{p.pk}"] or 0) for p in policies}


@dataclass
class SyncResult:
    added: int = 0
    back: int = 0
    removed: int = 0


def policy_sync(policy: Policy, *, now: dt.datetime, generation: int = 0) -> SyncResult:
    """Make the stored matches of ``policy`` exactly its rule's result on the screen table.

    If the matches are already exact for this rule version as of an earlier screening
    generation, only the enterprises changed since then are re-checked (``ScreenChange``);
    otherwise every enterprise is. Records the generation the matches are now exact for.
    """
    rule_q = to_q(enterprise_rule(policy.rule))
    formula = policy_formula(policy)
    version = policy.rule_version
    screen = EnterpriseScreen.objects.all()
    matches = PolicyMatch.objects.filter(policy_id=policy.pk)
    # A policy with no stored matches yet (the first run): the insert below is the whole
    # result, with its benefits; the corrections after it would only re-read what it wrote.
    # (Ordered by the index, so PostgreSQL probes it rather than scanning the table for the
    # first row of this policy, which LIMIT 1 alone invites.)
    delta_only = False
    first = policy.matched_generation is None and not list(
        matches.order_by("enterprise_id").values_list("enterprise_id", flat=True)[:1]
    )
    if not first and policy.matched_version == version and policy.matched_generation is not None:
        delta = ScreenChange.objects.filter(generation__gt=policy.matched_generation)
        count = delta.values("enterprise_id").distinct()[: DELTA_LIMIT + 1].count()
        if not count:
            Policy.objects.filter(pk=policy.pk).update(matched_generation=generation)
            return SyncResult()
        delta_only = count <= DELTA_LIMIT
        if delta_only:  # else: so many changed that screening all is cheaper
            # A subquery, not the ids as parameters: a thousand parameters cost more to
            # prepare, per statement, than the statement takes to run.
            changed = delta.values("enterprise_id")
            screen = screen.filter(pk__in=changed)
            matches = matches.filter(enterprise_id__in=changed)
    eligible = screen.filter(rule_q)
    if not first:
        existing = PolicyMatch.objects.filter(policy_id=policy.pk, enterprise_id=OuterRef("pk"))
        eligible = eligible.exclude(Exists(existing))
    new = (
        eligible.order_by()
        .annotate(
            m_policy=Value(policy.pk, output_field=IntegerField()),
            m_version=Value(version, output_field=IntegerField()),
            m_eligible=Value(True),
            m_explanation=Value({}, output_field=JSONField()),
            m_missing=Value([], output_field=JSONField()),
            m_benefit=_benefit_expression(formula),
            m_at=Value(now, output_field=DateTimeField()),
        )
        .values_list(*NEW_MATCH_VALUES)
    )
    columns = ["policy_id", "enterprise_id", "rule_version", "eligible", "explanation",
               "missing", "benefit", "matched_at"]  # fmt: skip
    result = SyncResult(added=_insert_select(PolicyMatch, columns, new))
    if first:  # (statistics: the run refreshes them once at its end)
        Policy.objects.filter(pk=policy.pk).update(
            matched_version=version, matched_generation=generation, eligible_count=result.added
        )
        return result
    if result.added > ANALYZE_AFTER:  # the statements below join on the new rows
        analyze(PolicyMatch)
    accepted = EnterpriseScreen.objects.filter(rule_q, pk=OuterRef("enterprise_id"))
    result.back = (
        matches.filter(Q(eligible=False) | ~Q(rule_version=version))
        .filter(Exists(accepted))
        .update(eligible=True, rule_version=version, matched_at=now, explanation={}, missing=[])
    )
    result.removed = (
        matches.filter(Q(eligible=True) | ~Q(rule_version=version))
        .exclude(Exists(accepted))
        .update(eligible=False, rule_version=version, explanation={}, missing=[])
    )
    if formula is not None:
        benefit = (
            EnterpriseScreen.objects.filter(pk=OuterRef("enterprise_id"))
            .annotate(b=_benefit_expression(formula))
            .values("b")[:1]
        )
        matches.filter(eligible=True).update(benefit=Subquery(benefit))
    else:
        matches.filter(benefit__isnull=False).update(benefit=None)
    eligible_count: Any
    if delta_only:  # every row was at this version: the changes are exactly these
        eligible_count = F("eligible_count") + result.added + result.back - result.removed
    else:
        eligible_count = PolicyMatch.objects.filter(policy_id=policy.pk, eligible=True).count()
    Policy.objects.filter(pk=policy.pk).update(
        matched_version=version, matched_generation=generation, eligible_count=eligible_count
    )
    return result


def changes_prune() -> int:
    """Forget screening changes every published policy has already taken in."""
    from django.db.models import Min

    from onestop.policies.models import PolicyStatus

    published = Policy.objects.filter(status=PolicyStatus.PUBLISHED)
    if published.filter(matched_generation__isnull=True).exists():
        return 0
    oldest = published.aggregate(g=Min("matched_generation"))["g"]
    newest = ScreenChange.objects.aggregate(g=Max("generation"))["g"]
    if oldest is None or newest is None or oldest >= newest:
        # All taken in: empty the table (TRUNCATE on PostgreSQL: a million deleted rows
        # would otherwise stay as dead tuples that every policy's delta query reads).
        count = ScreenChange.objects.count()
        _clear(ScreenChange)
        return count
    return int(ScreenChange.objects.filter(generation__lte=oldest).delete()[0])
