"""Negative lists as dated editions: an Edition holds Items, each tied to industry codes.

Shares are percentages (0-100). An item may cover a whole industry class (``full``) or only part
of it (``partial``): then its ``question`` decides, so the checker asks instead of over-blocking.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.models import BilingualMixin, Localized


class Scope(models.TextChoices):
    NATIONAL = "national", _("Nationwide")
    FTZ = "ftz", _("Pilot free trade zones")


class Measure(models.TextChoices):
    PROHIBITED = "prohibited", _("Prohibited")
    CHINESE_CONTROL = "chinese_control", _("Chinese control")
    CHINESE_RELATIVE_CONTROL = "chinese_relative_control", _("Chinese relative control")
    EQUITY_CAP = "equity_cap", _("Foreign equity cap")
    JV_ONLY = "jv_only", _("Joint ventures only")
    OTHER_RESTRICTION = "other_restriction", _("Other restriction")


class Coverage(models.TextChoices):
    FULL = "full", _("the whole class")
    PARTIAL = "partial", _("part of the class")


class Edition(BilingualMixin, models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    decree_zh = models.CharField(_("decree (Chinese)"), max_length=200)
    decree_en = models.CharField(_("decree (English)"), max_length=200)
    promulgated = models.DateField(_("promulgated"), null=True, blank=True)
    effective = models.DateField(_("in force from"))
    repeal = models.DateField(_("repealed on"), null=True, blank=True)
    repeal_uncertain = models.BooleanField(_("repeal date uncertain"), default=False)
    # {"edition": "2021", "decree": {"zh","en"}, "effective": "2022-01-01", "uncertain": bool}
    superseded_by = models.JSONField(_("superseded by"), default=dict, blank=True)
    # [{"key": "individual_business_banned", "kind": "rule"|"information", "text": {"zh","en"}}]
    notes = models.JSONField(_("general notes"), default=list, blank=True)
    interpretation = models.JSONField(_("interpretation notes"), default=dict, blank=True)
    source = models.JSONField(_("source"), default=dict, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("negative-list edition")
        verbose_name_plural = _("negative-list editions")
        ordering = ["scope", "effective"]

    def __str__(self) -> str:
        return self.localized("title")

    title = Localized()

    decree = Localized()


class Item(BilingualMixin, models.Model):
    edition = models.ForeignKey(
        Edition, verbose_name=_("edition"), on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveIntegerField(_("number"))
    key = models.SlugField(_("key"), max_length=60)
    section_zh = models.CharField(_("section (Chinese)"), max_length=200)
    section_en = models.CharField(_("section (English)"), max_length=200)
    measure = models.CharField(_("measure"), max_length=30, choices=Measure.choices)
    # Percentages, 0-100.
    max_foreign_share = models.DecimalField(
        _("maximum foreign share"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    min_chinese_share = models.DecimalField(
        _("minimum Chinese share"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    max_single_foreign_share = models.DecimalField(
        _("maximum share of one foreign investor"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    summary_zh = models.TextField(_("summary (Chinese)"))
    summary_en = models.TextField(_("summary (English)"))
    # [{"key", "subject": {"zh","en"}, "measure", "max_foreign_share", "min_chinese_share",
    #   "max_single_foreign_share", "requirements": [{"zh","en"}], "exceptions": {"zh","en"}}]
    sub_measures = models.JSONField(_("sub-measures"), default=list, blank=True)
    requirements = models.JSONField(_("other requirements"), default=list, blank=True)
    # {"key", "text": {"zh","en"}, "options": [{"value", "label": {"zh","en"}, "applies"}]}
    question = models.JSONField(_("clarifying question"), default=dict, blank=True)
    transition = models.JSONField(_("transition"), default=dict, blank=True)
    national_number = models.PositiveIntegerField(_("number in the national list"), null=True)
    uncertain = models.BooleanField(_("uncertain"), default=False)
    uncertain_note_zh = models.TextField(_("uncertainty note (Chinese)"), blank=True)
    uncertain_note_en = models.TextField(_("uncertainty note (English)"), blank=True)
    compiler_note = models.TextField(_("compiler's note"), blank=True)

    class Meta:
        verbose_name = _("negative-list item")
        verbose_name_plural = _("negative-list items")
        ordering = ["edition", "number"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "number"], name="access_item_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.edition.code} #{self.number} {self.key}"

    summary = Localized()

    section = Localized()

    @property
    def localized_uncertain_note(self) -> str:
        return self.localized("uncertain_note")


class ItemIndustry(models.Model):
    """One GB/T 4754 code an item touches, and whether it covers the whole class."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="industries")
    code = models.CharField(_("industry code"), max_length=4, db_index=True)
    coverage = models.CharField(_("coverage"), max_length=10, choices=Coverage.choices)

    class Meta:
        verbose_name = _("item industry")
        verbose_name_plural = _("item industries")
        ordering = ["item", "code"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="access_item_industry_unique")
        ]

    def __str__(self) -> str:
        return f"{self.item_id} {self.code} ({self.coverage})"
