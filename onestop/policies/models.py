"""Support policies, their matches with enterprises, and the record of each matching run.

A ``Policy`` carries an eligibility rule in CEL over the enterprise rule schema
(``onestop.policies.fields``) and an optional benefit formula. ``PolicyMatch`` is one
(policy, enterprise) result of screening the register: the matching run stores the
enterprises that are eligible (``eligible=True``); a stored row whose enterprise no longer
qualifies is kept with ``eligible=False`` (its notification and take-up history stays).
Near misses for one enterprise's page are computed on demand by the explaining evaluator
(``selectors.support_for_enterprise``), not stored for the whole register.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.models import Agency, BilingualMixin, Localized


class TakeupMode(models.TextChoices):
    AUTOMATIC = "automatic", _("Automatic (granted once the enterprise confirms)")
    APPLY = "apply", _("Apply (with a pre-filled form)")


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Policy(BilingualMixin, models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("issuing agency"), on_delete=models.PROTECT, related_name="policies"
    )
    # [{"title_zh", "title_en", "number", "item", "url"}]
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    rule = models.TextField(_("eligibility rule (CEL)"))
    rule_version = models.PositiveIntegerField(_("rule version"), default=1)
    benefit_formula = models.TextField(_("benefit formula (CEL)"), blank=True)
    benefit_unit = models.CharField(_("benefit unit"), max_length=40, blank=True)
    benefit_note_zh = models.TextField(_("benefit note (Chinese)"), blank=True)
    benefit_note_en = models.TextField(_("benefit note (English)"), blank=True)
    takeup_mode = models.CharField(
        _("take-up"), max_length=16, choices=TakeupMode.choices, default=TakeupMode.APPLY
    )
    budget = models.DecimalField(
        _("budget (10,000 CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(
        _("status"), max_length=16, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT
    )
    # [{"title", "url", "accessed"}] where the facts come from; notes on anything uncertain.
    sources = models.JSONField(_("sources"), default=list, blank=True)
    # Conditions of the policy the register does not hold: checked by the agency on take-up.
    not_in_rule_zh = models.TextField(_("conditions outside the rule (Chinese)"), blank=True)
    not_in_rule_en = models.TextField(_("conditions outside the rule (English)"), blank=True)
    uncertain_zh = models.TextField(_("uncertain points (Chinese)"), blank=True)
    uncertain_en = models.TextField(_("uncertain points (English)"), blank=True)
    source_file = models.CharField(_("loaded from"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    # Set by the matching run: the stored matches are exact for this rule version as of
    # this screening generation (see ScreenChange).
    matched_version = models.PositiveIntegerField(_("matched rule version"), null=True, blank=True)
    matched_generation = models.PositiveIntegerField(
        _("matched screening generation"), null=True, blank=True
    )
    # Kept by the matching run (exact: each run adjusts it by what it changed), so a run
    # need not count millions of stored rows for its report.
    eligible_count = models.PositiveIntegerField(_("eligible enterprises"), default=0)

    class Meta:
        verbose_name = _("support policy")
        verbose_name_plural = _("support policies")
        ordering = ["-valid_from", "code"]

    def __str__(self) -> str:
        return self.localized("title")

    title = Localized()
    summary = Localized()
    benefit_note = Localized()
    uncertain = Localized()
    not_in_rule = Localized()


class PolicyMatch(models.Model):
    """One (policy, enterprise) screening result at a given rule version."""

    # Matches are derived data written in bulk by the matching run (INSERT ... SELECT from
    # the screening table, which holds only existing enterprises): one index, the unique
    # (policy, enterprise), which also serves "this enterprise's matches among these
    # policies" (one probe per policy). An (enterprise, ...) index would cost the first run
    # a third of its time (random inserts into a 13.8 M-entry tree). No database-level
    # foreign-key checks (PostgreSQL checks each inserted row at commit); deleting a policy
    # or an enterprise still deletes its matches (Django's cascade).
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("policy"),
        on_delete=models.CASCADE,
        related_name="matches",
        db_index=False,
        db_constraint=False,
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="policy_matches",
        db_index=False,
        db_constraint=False,
    )
    rule_version = models.PositiveIntegerField(_("rule version"))
    eligible = models.BooleanField(_("eligible"), default=True)
    # Clause by clause (``Explanation.as_dict``); empty for rows written by the bulk run
    # until someone asks (the explaining evaluator fills it on demand).
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    missing = models.JSONField(_("failing clauses"), default=list, blank=True)
    benefit = models.DecimalField(
        _("benefit"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    matched_at = models.DateTimeField(_("matched at"))
    notified_at = models.DateTimeField(_("notified at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy match")
        verbose_name_plural = _("policy matches")
        ordering = ["policy", "enterprise"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "enterprise"], name="one_match_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.policy.code} / {self.enterprise_id}"


class MatchRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    INTERRUPTED = "interrupted", _("Interrupted")


class MatchRun(models.Model):
    """One screening of the register: when, by whom, for which policy (or all), what came out.

    A run that was killed stays ``running`` until the next run marks it ``interrupted``;
    each policy is screened in its own transaction, so a rerun completes the work.
    """

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=MatchRunStatus.choices, default=MatchRunStatus.RUNNING
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    policy = models.ForeignKey(
        Policy,
        verbose_name=_("policy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="runs",
    )
    generation = models.PositiveIntegerField(_("screening generation"), default=0)
    changed = models.PositiveIntegerField(_("enterprises changed"), default=0)
    policies_done = models.PositiveIntegerField(_("policies screened"), default=0)
    eligible = models.PositiveIntegerField(_("eligible matches"), default=0)
    added = models.PositiveIntegerField(_("new matches"), default=0)
    removed = models.PositiveIntegerField(_("matches no longer eligible"), default=0)
    notified = models.PositiveIntegerField(_("enterprises notified"), default=0)
    seconds = models.FloatField(_("duration (s)"), null=True, blank=True)

    class Meta:
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.status}"


class EnterpriseScreen(models.Model):
    """One narrow row per enterprise: the fields rules read, for screening in the database.

    Columns are named as the rule fields (``onestop.policies.fields``); per-year figures are
    columns ``revenue_<year>``, ``employees_<year>``, ``assets_<year>`` (added below for
    ``fields.YEARS``). Rebuilt from the register at the start of each matching run
    (``matching.screen_refresh``); never edited by hand. Numbers are doubles, as rules see them.
    """

    enterprise = models.OneToOneField(
        "enterprises.Enterprise",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
        db_constraint=False,
    )
    size = models.CharField(max_length=8, null=True)  # noqa: DJ001 (NULL = not known)
    industry = models.CharField(max_length=4, null=True)  # noqa: DJ001
    industry_division = models.CharField(max_length=2, null=True)  # noqa: DJ001
    industry_section = models.CharField(max_length=1, null=True)  # noqa: DJ001
    district = models.CharField(max_length=16, null=True)  # noqa: DJ001
    ownership = models.CharField(max_length=16, null=True)  # noqa: DJ001
    registered_capital = models.FloatField(null=True)
    registered_on = models.DateField(null=True)
    tags = models.CharField(max_length=300, default="")
    employees = models.FloatField(null=True)

    class Meta:
        verbose_name = _("screening row")
        verbose_name_plural = _("screening rows")
        indexes = [
            models.Index(fields=["industry_division", "size"], name="screen_division_size"),
            models.Index(fields=["size"], name="screen_size"),
            models.Index(fields=["district"], name="screen_district"),
        ]

    def __str__(self) -> str:
        return str(self.enterprise_id)


class ScreenStaging(models.Model):
    """The register pivoted afresh by a refresh, compared with ``EnterpriseScreen`` to find
    the enterprises whose rule fields changed; emptied after each refresh."""

    enterprise_id = models.BigIntegerField(primary_key=True)
    size = models.CharField(max_length=8, null=True)  # noqa: DJ001
    industry = models.CharField(max_length=4, null=True)  # noqa: DJ001
    industry_division = models.CharField(max_length=2, null=True)  # noqa: DJ001
    industry_section = models.CharField(max_length=1, null=True)  # noqa: DJ001
    district = models.CharField(max_length=16, null=True)  # noqa: DJ001
    ownership = models.CharField(max_length=16, null=True)  # noqa: DJ001
    registered_capital = models.FloatField(null=True)
    registered_on = models.DateField(null=True)
    tags = models.CharField(max_length=300, default="")
    employees = models.FloatField(null=True)

    class Meta:
        verbose_name = _("screening staging row")
        verbose_name_plural = _("screening staging rows")

    def __str__(self) -> str:
        return str(self.enterprise_id)


class ScreenChange(models.Model):
    """An enterprise whose screening row changed (or went) in refresh ``generation``.

    A policy whose matches are exact at generation g (``Policy.matched_generation``) and whose
    rule has not changed since needs to re-check only the enterprises changed after g. Rows
    are deleted once every published policy has passed their generation.
    """

    enterprise_id = models.BigIntegerField()
    generation = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("screening change")
        verbose_name_plural = _("screening changes")
        constraints = [
            models.UniqueConstraint(
                fields=["generation", "enterprise_id"], name="one_change_per_generation"
            )
        ]

    def __str__(self) -> str:
        return f"{self.generation}: {self.enterprise_id}"


def _add_year_columns() -> None:
    from onestop.policies.fields import MEASURES, YEARS

    for model in (EnterpriseScreen, ScreenStaging):
        for measure in MEASURES:
            for year in YEARS:
                model.add_to_class(f"{measure}_{year}", models.FloatField(null=True))


_add_year_columns()
