"""Writes of the policies domain: save, publish, withdraw, confirm a match, run the matching.

Every service checks permissions first (when an ``actor`` is given), writes in one transaction
and records one audit row. Notifications are queued with ``notify`` (delivered after commit).
"""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core.audit import audit_record
from onestop.core.errors import Conflict, DomainError, FieldError, ValidationFailed
from onestop.core.models import Agency, User
from onestop.core.notifications import notify, register_kind
from onestop.core.permissions import require
from onestop.core.queueing import enqueue_with_commit
from onestop.enterprises.models import Membership
from onestop.policies.fields import ENTERPRISE_SCHEMA, enterprise_facts
from onestop.policies.matching import (
    ANALYZE_AFTER,
    analyze,
    benefit_value,
    changes_prune,
    policy_formula,
    policy_sync,
    relaxed_commit,
    screen_refresh,
)
from onestop.policies.models import (
    MatchRun,
    MatchRunStatus,
    Policy,
    PolicyMatch,
    PolicyStatus,
    TakeupMode,
)
from onestop.policies.permissions import can_edit_policy, can_issue_for
from onestop.rules import RuleError, parse_formula, parse_rule

MATCH_FOUND = register_kind(
    "policies.match_found",
    title=_("Support you may receive: %(policy)s"),
    body=_(
        "%(enterprise)s meets the conditions of the support policy “%(policy)s”. "
        "Open the link to see why and to take it up."
    ),
)

#: Fields ``policy_save`` accepts (besides ``code`` and ``agency`` on creation).
POLICY_FIELDS = (
    "title_zh", "title_en", "summary_zh", "summary_en", "legal_basis", "issued_on",
    "valid_from", "valid_to", "rule", "benefit_formula", "benefit_unit", "benefit_note_zh",
    "benefit_note_en", "takeup_mode", "budget", "sources", "uncertain_zh", "uncertain_en",
    "not_in_rule_zh", "not_in_rule_en", "source_file",
)  # fmt: skip


def rule_field_error(field: str, exc: RuleError) -> FieldError:
    return FieldError(
        field,
        _("Line %(line)s, column %(column)s: %(message)s")
        % {"line": exc.line, "column": exc.column, "message": exc.message},
        f"rule_{exc.code}",
    )


def policy_problems(values: dict[str, Any]) -> list[FieldError]:
    """What is wrong with a policy's fields (rule and formula parsed, dates in order...)."""
    errors: list[FieldError] = []
    for name in ("title_zh", "title_en"):
        if not str(values.get(name) or "").strip():
            errors.append(FieldError(name, _("This field is required."), "required"))
    try:
        parse_rule(str(values.get("rule") or ""), ENTERPRISE_SCHEMA)
    except RuleError as exc:
        errors.append(rule_field_error("rule", exc))
    formula = str(values.get("benefit_formula") or "")
    if formula.strip():
        try:
            parse_formula(formula, ENTERPRISE_SCHEMA)
        except RuleError as exc:
            errors.append(rule_field_error("benefit_formula", exc))
    valid_from, valid_to = values.get("valid_from"), values.get("valid_to")
    if not isinstance(valid_from, dt.date):
        errors.append(FieldError("valid_from", _("Give the date the policy starts."), "required"))
    elif isinstance(valid_to, dt.date) and valid_to < valid_from:
        errors.append(
            FieldError("valid_to", _("The end date is before the start date."), "date_order")
        )
    if values.get("takeup_mode") not in TakeupMode.values:
        errors.append(
            FieldError(
                "takeup_mode",
                _("Choose automatic or apply."),
                "invalid_choice",
            )
        )
    budget = values.get("budget")
    if budget is not None and budget < 0:
        errors.append(FieldError("budget", _("The budget cannot be negative."), "negative"))
    return errors


def policy_save(
    *,
    actor: User | None,
    policy: Policy | None = None,
    code: str | None = None,
    agency: Agency | None = None,
    **values: Any,
) -> Policy:
    """Create a draft (``policy`` None: give ``code`` and ``agency``) or change a policy.

    The rule (and the benefit formula) is checked: a bad one is refused with its line and
    column. ``rule_version`` goes up when the rule or the benefit formula changes.
    """
    unknown = set(values) - set(POLICY_FIELDS)
    if unknown:
        raise TypeError(f"unknown policy fields: {sorted(unknown)}")
    if policy is None:
        if agency is None or not code:
            raise ValidationFailed(
                [FieldError("code" if not code else "agency", _("This field is required."))]
            )
        if actor is not None:
            require(can_issue_for(actor, agency.pk))
    elif actor is not None:
        require(can_edit_policy(actor, policy))
    current = {name: getattr(policy, name) for name in POLICY_FIELDS} if policy else {}
    merged = {**{"takeup_mode": TakeupMode.APPLY}, **current, **values}
    for name in ("legal_basis", "sources"):
        merged[name] = merged.get(name) or []
    for name in POLICY_FIELDS:
        if name not in merged or merged[name] is None:
            field = Policy._meta.get_field(name)
            if not getattr(field, "null", False):
                merged[name] = field.get_default()  # type: ignore[union-attr]
    errors = policy_problems(merged)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        if policy is None:
            if Policy.objects.filter(code=code).exists():
                raise ValidationFailed(
                    [FieldError("code", _("A policy with this code exists."), "duplicate")]
                )
            assert agency is not None
            policy = Policy.objects.create(code=str(code), agency=agency, **merged)
            audit_record(actor=actor, action="policies.policy_create", obj=policy,
                         changes={"code": code, "rule": merged["rule"]})  # fmt: skip
            return policy
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        changes = {
            name: [str(getattr(policy, name)), str(merged[name])]
            for name in POLICY_FIELDS
            if getattr(policy, name) != merged[name]
        }
        if not changes:
            return policy
        bump = "rule" in changes or "benefit_formula" in changes
        for name in POLICY_FIELDS:
            setattr(policy, name, merged[name])
        if bump:
            policy.rule_version += 1
            changes["rule_version"] = [str(policy.rule_version - 1), str(policy.rule_version)]
        policy.save()
        audit_record(actor=actor, action="policies.policy_change", obj=policy, changes=changes)
    return policy


def policy_publish(*, actor: User | None, policy: Policy) -> Policy:
    """Publish a draft (or a withdrawn policy again); its rule is checked once more."""
    if actor is not None:
        require(can_edit_policy(actor, policy))
    errors = policy_problems({name: getattr(policy, name) for name in POLICY_FIELDS})
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        if policy.status == PolicyStatus.PUBLISHED:
            return policy
        before = policy.status
        policy.status = PolicyStatus.PUBLISHED
        policy.published_at = timezone.now()
        policy.matched_generation = None  # screened afresh: changes may have been pruned
        policy.save(update_fields=["status", "published_at", "matched_generation", "updated_at"])
        audit_record(actor=actor, action="policies.policy_publish", obj=policy,
                     changes={"status": [before, policy.status]})  # fmt: skip
        _enqueue_match(policy.pk)
    return policy


def _enqueue_match(policy_id: int) -> None:
    from onestop.policies.tasks import match_policies

    enqueue_with_commit(match_policies, policy_id=policy_id)


def policy_withdraw(*, actor: User | None, policy: Policy) -> Policy:
    """Withdraw a published policy: no new matches; stored matches and take-ups stay."""
    if actor is not None:
        require(can_edit_policy(actor, policy))
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        if policy.status == PolicyStatus.WITHDRAWN:
            return policy
        if policy.status != PolicyStatus.PUBLISHED:
            raise Conflict("policy_not_published", _("Only a published policy can be withdrawn."))
        policy.status = PolicyStatus.WITHDRAWN
        policy.save(update_fields=["status", "updated_at"])
        audit_record(actor=actor, action="policies.policy_withdraw", obj=policy,
                     changes={"status": [PolicyStatus.PUBLISHED, policy.status]})  # fmt: skip
    return policy


def apply_form_data(match: PolicyMatch) -> dict[str, Any]:
    """The application form, filled in from the register (apply mode)."""
    enterprise = match.enterprise
    return {
        "policy": match.policy.code,
        "enterprise_name": enterprise.name_zh,
        "credit_code": enterprise.credit_code,
        "district": enterprise.district,
        "industry_code": enterprise.industry_code,
        "size_class": enterprise.size_class,
        "contact_name": enterprise.contact_name,
        "contact_phone": enterprise.contact_phone,
        "contact_email": enterprise.contact_email,
        "benefit": None if match.benefit is None else str(match.benefit),
        "benefit_unit": match.policy.benefit_unit,
    }


def policy_match_confirm(*, actor: User, match: PolicyMatch) -> dict[str, Any]:
    """One click take-up by a member of the enterprise.

    Automatic mode: the support is granted now (``granted_at``). Apply mode: the take-up is
    recorded and the pre-filled application form data is returned. Checked against the
    current register and rule first: an enterprise that no longer qualifies is refused.
    """
    require(Membership.objects.filter(user_id=actor.pk, enterprise_id=match.enterprise_id).exists())
    with transaction.atomic():
        match = (
            PolicyMatch.objects.select_for_update()
            .select_related("policy", "enterprise")
            .get(pk=match.pk)
        )
        policy = match.policy
        if policy.status != PolicyStatus.PUBLISHED:
            raise Conflict("policy_not_published", _("This policy is not open for take-up."))
        today = timezone.localdate()
        if policy.valid_to is not None and policy.valid_to < today:
            raise Conflict("policy_expired", _("This policy ended on %(date)s.")
                           % {"date": policy.valid_to.isoformat()})  # fmt: skip
        from onestop.rules.evaluate import holds

        facts = enterprise_facts(match.enterprise)
        if not holds(parse_rule(policy.rule, ENTERPRISE_SCHEMA).root, facts):
            raise DomainError(
                "not_eligible",
                _("According to the register, the enterprise no longer meets the conditions."),
                status=409,
            )
        form = apply_form_data(match)
        if match.confirmed_at is not None:
            return form
        now = timezone.now()
        match.confirmed_at, match.confirmed_by = now, actor
        match.benefit = benefit_value(policy_formula(policy), facts)
        if policy.takeup_mode == TakeupMode.AUTOMATIC:
            match.granted_at = now
        match.save(update_fields=["confirmed_at", "confirmed_by", "granted_at", "benefit"])
        form["benefit"] = None if match.benefit is None else str(match.benefit)
        audit_record(actor=actor, action="policies.match_confirm", obj=match,
                     changes={"policy": policy.code, "mode": policy.takeup_mode,
                              "granted": match.granted_at is not None})  # fmt: skip
    return form


def _link(match_id: int) -> str:
    try:
        return reverse("policies:support_match", kwargs={"match_id": match_id})
    except NoReverseMatch:  # pragma: no cover (pages not mounted)
        return ""


def _notify_new(policy: Policy, *, now: dt.datetime) -> int:
    """Notify the members of each enterprise newly eligible (once per match).

    A match whose enterprise has no member yet stays unnotified: the first run after someone
    joins notifies them.
    """
    pending = PolicyMatch.objects.filter(
        policy_id=policy.pk, eligible=True, notified_at__isnull=True
    ).values("enterprise_id")
    members = Membership.objects.filter(enterprise_id__in=pending)
    recipients: dict[int, list[int]] = defaultdict(list)
    for enterprise_id, user_id in members.values_list("enterprise_id", "user_id"):
        recipients[enterprise_id].append(user_id)
    if not recipients:
        return 0
    matches = PolicyMatch.objects.filter(
        policy_id=policy.pk, eligible=True, notified_at__isnull=True,
        enterprise_id__in=list(recipients),
    ).select_related("enterprise")  # fmt: skip
    done: list[int] = []
    for match in matches:
        enterprise = match.enterprise
        name_en = enterprise.name_en or enterprise.name_zh
        notify(
            recipient_ids=recipients[enterprise.pk],
            kind=MATCH_FOUND,
            params={
                "policy": {"zh": policy.title_zh, "en": policy.title_en},
                "enterprise": {"zh": enterprise.name_zh, "en": name_en},
            },
            link=_link(match.pk),
        )  # fmt: skip
        done.append(match.pk)
    PolicyMatch.objects.filter(pk__in=done).update(notified_at=now)
    return len(done)


def _interrupt_stale_runs() -> None:
    MatchRun.objects.filter(status=MatchRunStatus.RUNNING).update(status=MatchRunStatus.INTERRUPTED)


def policies_match_run(
    *,
    actor: User | None = None,
    policy: Policy | None = None,
    after_policy: Any = None,
) -> MatchRun:
    """Screen the whole register against every published policy (or one policy).

    Steps: refresh the screening table (recording which enterprises changed); then, one
    transaction per policy: bring the stored matches in line with the rule (insert new, mark
    no-longer-eligible rows ``eligible=False``, move everything to the current rule version;
    a policy already exact for its rule re-checks only the changed enterprises), then notify
    the members of newly eligible enterprises (inbox + email, after commit, once per match).
    Idempotent: a second run changes nothing. A run killed half-way is marked interrupted by
    the next, which completes the rest. Withdrawn policies keep their matches; drafts are
    never screened.

    ``after_policy`` (tests) is called after each policy's transaction commits.
    """
    started = time.perf_counter()
    with transaction.atomic():
        _interrupt_stale_runs()
        last = MatchRun.objects.aggregate(g=Max("generation"))["g"] or 0
        run = MatchRun.objects.create(
            started_at=timezone.now(), actor=actor, policy=policy, generation=last + 1
        )
    with transaction.atomic():
        relaxed_commit()
        run.changed = screen_refresh(generation=run.generation)
        MatchRun.objects.filter(pk=run.pk).update(changed=run.changed)
    policies: Iterable[Policy]
    if policy is not None:
        policies = [policy] if policy.status == PolicyStatus.PUBLISHED else []
    else:
        policies = list(Policy.objects.filter(status=PolicyStatus.PUBLISHED).order_by("pk"))
    for item in policies:
        with transaction.atomic():
            relaxed_commit()
            now = timezone.now()
            item.refresh_from_db(fields=["matched_version", "matched_generation"])
            result = policy_sync(item, now=now, generation=run.generation)
            notified = _notify_new(item, now=now)
            MatchRun.objects.filter(pk=run.pk).update(
                policies_done=F("policies_done") + 1,
                added=F("added") + result.added + result.back,
                removed=F("removed") + result.removed,
                notified=F("notified") + notified,
            )
        if after_policy is not None:
            after_policy(item)
    with transaction.atomic():
        changes_prune()
        run.refresh_from_db()
        if run.added > ANALYZE_AFTER:  # planner statistics after a bulk change
            analyze(PolicyMatch)
        run.eligible = (
            Policy.objects.filter(pk__in=[p.pk for p in policies]).aggregate(
                n=Sum("eligible_count")
            )["n"]
            or 0
        )
        run.status = MatchRunStatus.DONE
        run.finished_at = timezone.now()
        run.seconds = round(time.perf_counter() - started, 3)
        run.save()
        audit_record(actor=actor, action="policies.match_run", obj=run,
                     changes={"policies": run.policies_done, "added": run.added,
                              "removed": run.removed, "notified": run.notified})  # fmt: skip
    return run
