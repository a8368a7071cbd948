"""Public services (procedures) with dated versions, and business journeys.

A ``PublicService`` is the stable identity (identifier, competent agency). What it says —
titles, documents, fees, time limits, its rule — lives in ``ServiceVersion`` rows: a change
is a new version with the date it takes effect; old versions stay readable. ``current``
points at the version in force.

Lists inside a version (legal basis, documents, sources) are JSON lists of plain records
whose shape is checked by ``onestop.catalogue.content`` when a version is saved.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.core.models import Agency, BilingualMixin, Localized, User


class Online(models.TextChoices):
    FULL = "full", _("Fully online")
    PARTIAL = "partial", _("Partly online")
    NO = "no", _("Not online")


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("calendar days")
    IMMEDIATE = "immediate", _("on the spot")


class PublicService(models.Model):
    identifier = models.SlugField(_("identifier"), max_length=80, unique=True)
    agency = models.ForeignKey(
        Agency, verbose_name=_("competent agency"), on_delete=models.PROTECT, related_name="+"
    )
    current = models.OneToOneField(
        "ServiceVersion",
        verbose_name=_("version in force"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_text = models.TextField(_("search text"), blank=True, editable=False)

    class Meta:
        verbose_name = _("public service")
        verbose_name_plural = _("public services")
        ordering = ["identifier"]

    def __str__(self) -> str:
        return str(self.current) if self.current else self.identifier


class ServiceVersion(BilingualMixin, models.Model):
    service = models.ForeignKey(
        PublicService,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="versions",
    )
    number = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("in force from"))
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        User, verbose_name=_("recorded by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    change_note = models.CharField(_("what changed"), max_length=300, blank=True)

    kind = models.CharField(_("kind"), max_length=40, blank=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    agency_note = models.TextField(_("note on the agency"), blank=True)
    legal_basis = models.JSONField(_("legal basis"), default=list, blank=True)
    documents = models.JSONField(_("documents"), default=list, blank=True)
    output_zh = models.CharField(_("output (Chinese)"), max_length=300, blank=True)
    output_en = models.CharField(_("output (English)"), max_length=300, blank=True)
    fee_cny = models.DecimalField(
        _("fee (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True,
        help_text=_("Empty: not known."),
    )  # fmt: skip
    fee_note = models.TextField(_("note on the fee"), blank=True)
    statutory_limit = models.JSONField(_("statutory time limit"), default=dict, blank=True)
    committed_limit = models.JSONField(_("committed time limit"), default=dict, blank=True)
    waiting_period = models.JSONField(_("waiting period"), default=dict, blank=True)
    online = models.CharField(_("online"), max_length=10, choices=Online.choices, blank=True)
    counter_visits = models.PositiveSmallIntegerField(_("counter visits"), null=True, blank=True)
    channel_note = models.TextField(_("note on channels"), blank=True)
    applies_when_zh = models.TextField(_("applies when (Chinese)"), blank=True)
    applies_when_en = models.TextField(_("applies when (English)"), blank=True)
    rule = models.TextField(_("condition (CEL rule over the business profile)"), blank=True)
    prerequisites = models.JSONField(_("prerequisites"), default=list, blank=True)
    satisfies = models.JSONField(
        _("stands in for"), default=list, blank=True,
        help_text=_("Identifiers of services this one replaces as a prerequisite."),
    )  # fmt: skip
    uncertain = models.BooleanField(_("record not confirmed"), default=False)
    uncertain_notes = models.TextField(_("what is not confirmed"), blank=True)
    sources = models.JSONField(_("sources"), default=list, blank=True)

    class Meta:
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        ordering = ["service", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["service", "number"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        return self.localized("title")

    title = Localized()

    description = Localized()

    output = Localized()

    applies_when = Localized()


class Journey(BilingualMixin, models.Model):
    """A business life event: a questionnaire and the candidate services."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    notes_en = models.TextField(_("notes (English)"), blank=True)
    notes_zh = models.TextField(_("notes (Chinese)"), blank=True)
    questions = models.JSONField(_("questions"), default=list)
    fixed = models.JSONField(_("answers implied by the journey"), default=dict, blank=True)
    includes = models.JSONField(_("included journeys"), default=list, blank=True)
    checks = models.JSONField(_("consistency checks"), default=list, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("business journey")
        verbose_name_plural = _("business journeys")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.localized("name")

    name = Localized()


class Requirement(models.TextChoices):
    ALWAYS = "always", _("always")
    CONDITIONAL = "conditional", _("when its condition holds")
    OPTIONAL = "optional", _("optional, when its condition holds")


class JourneyService(BilingualMixin, models.Model):
    journey = models.ForeignKey(
        Journey, verbose_name=_("journey"), on_delete=models.CASCADE, related_name="candidates"
    )
    service = models.ForeignKey(
        PublicService, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    requirement = models.CharField(_("requirement"), max_length=12, choices=Requirement.choices)
    condition_en = models.TextField(_("condition (English)"), blank=True)
    condition_zh = models.TextField(_("condition (Chinese)"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("candidate service")
        verbose_name_plural = _("candidate services")
        ordering = ["journey", "position"]
        constraints = [
            models.UniqueConstraint(fields=["journey", "service"], name="service_once_per_journey")
        ]

    def __str__(self) -> str:
        return f"{self.journey.code}: {self.service.identifier}"
