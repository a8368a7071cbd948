"""GB/T 4754-2017, the national industry classification: sections, divisions, groups, classes."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.models import BilingualMixin, Localized


class IndustryLevel(models.TextChoices):
    SECTION = "section", _("Section")
    DIVISION = "division", _("Division")
    GROUP = "group", _("Group")
    CLASS = "class", _("Class")


class IndustryClass(BilingualMixin, models.Model):
    """One node of the classification tree (a section, division, group or class)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=IndustryLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    # Empty when no sourced English name exists: pages then show the Chinese name and say so.
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    name_en_source = models.CharField(_("source of the English name"), max_length=40, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Search helpers, filled by the importer: full pinyin, initials, and segmented Chinese words.
    pinyin = models.CharField(max_length=600, blank=True, db_index=True)
    pinyin_initials = models.CharField(max_length=100, blank=True, db_index=True)
    search_words = models.TextField(blank=True)

    class Meta:
        verbose_name = _("industry")
        verbose_name_plural = _("industries")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.localized('name')}"

    name = Localized()
