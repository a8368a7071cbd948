"""Enterprise accounts and the SME register: register record, yearly figures, size class.

The size class (2011 SME standard) is computed by ``onestop.enterprises.size`` and stored by the
services whenever the figures or the industry change; ``size_basis`` keeps the rule that decided.
Money figures are in 10,000 CNY (万元), as the standard and the agencies' returns use them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from onestop.core.models import BilingualMixin, Localized
from onestop.enterprises.validators import validate_credit_code


class Ownership(models.TextChoices):
    DOMESTIC = "domestic", _("Domestic")
    FOREIGN = "foreign", _("Foreign-invested")
    HMT = "hmt", _("Hong Kong, Macao or Taiwan-invested")


class SizeClass(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Enterprise(BilingualMixin, models.Model):
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_credit_code],
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    # Indexed in Meta.indexes (plain b-trees: db_index on a CharField would add a second,
    # pattern-ops index on PostgreSQL, which the register's bulk loads would pay for).
    district = models.CharField(
        _("district"), max_length=16, blank=True, help_text=_("GB/T 2260 code")
    )
    industry_code = models.CharField(
        _("industry class"), max_length=4, blank=True, help_text=_("GB/T 4754-2017")
    )
    industry_division = models.CharField(_("industry division"), max_length=2, blank=True)
    industry_section = models.CharField(_("industry section"), max_length=1, blank=True)
    ownership = models.CharField(
        _("ownership"), max_length=16, choices=Ownership.choices, default=Ownership.DOMESTIC
    )
    registered_capital = models.DecimalField(
        _("registered capital (10,000 CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    tags = models.CharField(_("tags"), max_length=300, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.CharField(_("contact email"), max_length=254, blank=True)
    size_class = models.CharField(
        _("size class"), max_length=8, blank=True, choices=SizeClass.choices
    )
    size_year = models.PositiveSmallIntegerField(_("size class year"), null=True, blank=True)
    size_basis = models.JSONField(_("size class basis"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["credit_code"]
        indexes = [
            models.Index(fields=["district"], name="enterprise_district"),
            models.Index(fields=["industry_code"], name="enterprise_industry"),
            models.Index(fields=["industry_division"], name="enterprise_division"),
            models.Index(fields=["size_class"], name="enterprise_size"),
        ]

    def __str__(self) -> str:
        return self.localized("name")

    name = Localized()

    @property
    def tag_list(self) -> list[str]:
        return [t for t in (self.tags or "").split(",") if t]


class EnterpriseYear(models.Model):
    """One year's figures of an enterprise: one row per year, never overwritten by another."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("year"))
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    operating_revenue = models.DecimalField(
        _("operating revenue (10,000 CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    total_assets = models.DecimalField(
        _("total assets (10,000 CNY)"), max_digits=16, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("enterprise year")
        verbose_name_plural = _("enterprise years")
        ordering = ["enterprise", "year"]
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="one_figures_row_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.enterprise_id} {self.year}"


class RegisterChange(models.Model):
    """An enterprise whose record or figures changed since the matching run last read the
    register (``enterprise_id`` NULL: re-read everything). Written and read by
    ``onestop.enterprises.changes``; no foreign key, as a deleted enterprise is a change too."""

    enterprise_id = models.BigIntegerField(null=True)
    claimed_by = models.PositiveIntegerField(null=True)  # the refresh taking it in

    class Meta:
        verbose_name = _("register change")
        verbose_name_plural = _("register changes")
        indexes = [models.Index(fields=["claimed_by"], name="register_change_claimed")]

    def __str__(self) -> str:
        return f"{self.enterprise_id or '*'}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    REJECTED = "rejected", _("Rejected (strict: nothing imported)")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One import of a register file (CLI or back office): progress, outcome and row errors."""

    file_name = models.CharField(_("file name"), max_length=255)
    stored_file = models.CharField(_("stored file"), max_length=500, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    strict = models.BooleanField(_("strict"), default=False)
    default_year = models.PositiveSmallIntegerField(_("default year"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    encoding = models.CharField(_("encoding"), max_length=16, blank=True)
    rows_total = models.PositiveIntegerField(_("rows in file"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    rows_ok = models.PositiveIntegerField(_("rows imported"), default=0)
    rows_failed = models.PositiveIntegerField(_("rows with errors"), default=0)
    errors = models.JSONField(
        _("row errors (first ones)"),
        default=list,
        blank=True,
        help_text=_(
            "[{row, column, value, message, code, messages}], capped; the full report is a CSV file"
        ),
    )
    report_path = models.CharField(_("report file"), max_length=500, blank=True)
    message = models.TextField(_("message"), blank=True)
    message_texts = models.JSONField(
        _("message in each language"),
        default=dict,
        blank=True,
        help_text=_("{language code: message}; the page shows the reader's language"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {ImportStatus.DONE, ImportStatus.REJECTED, ImportStatus.FAILED}

    @property
    def percent(self) -> int:
        if not self.rows_total:
            return 100 if self.finished else 0
        return min(100, round(100 * self.rows_done / self.rows_total))


class MembershipRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MEMBER = "member", _("Member")


class Membership(models.Model):
    """A user's membership of an enterprise account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        _("role in the enterprise"),
        max_length=16,
        choices=MembershipRole.choices,
        default=MembershipRole.MEMBER,
    )
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise"], name="one_membership_per_pair")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise}"
