"""Platform core: agencies, users and their roles, the audit log, notifications, API tokens."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from onestop.core.roles import InvestorKind, OfficerLevel, Role


class BilingualMixin:
    """Pick the Chinese or English value of a ``<field>_zh`` / ``<field>_en`` pair."""

    def localized(self, field: str, language: str | None = None) -> str:
        language = language or get_language() or "zh-hans"
        zh = getattr(self, f"{field}_zh", "") or ""
        en = getattr(self, f"{field}_en", "") or ""
        if language.startswith("en"):
            return en or zh
        return zh or en


class Localized:
    """A read-only attribute giving ``<name>_zh`` or ``<name>_en`` in the active language.

    ``title = Localized()`` on a BilingualMixin model replaces a hand-written property.
    """

    def __set_name__(self, owner: type, name: str) -> None:
        self.field = name

    def __get__(self, obj: BilingualMixin | None, objtype: type | None = None) -> Any:
        if obj is None:
            return self
        return obj.localized(self.field)


class Agency(BilingualMixin, models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    level = models.CharField(_("level"), max_length=40, blank=True)
    district = models.CharField(
        _("district code"), max_length=6, blank=True, help_text=_("GB/T 2260 code, if any")
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.localized("name")

    name = Localized()


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def get_by_natural_key(self, username: str | None) -> User:
        # Addresses are stored in lower case; sign-in must not depend on how they are typed.
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        extra.setdefault("role", Role.CITY_ADMIN)
        extra.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **extra)


class User(AbstractUser):
    """A person using the platform. Signs in with the email address."""

    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(pgettext_lazy("person", "name"), max_length=150)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    officer_level = models.CharField(
        _("officer level"), max_length=16, choices=OfficerLevel.choices, blank=True
    )
    investor_kind = models.CharField(
        _("investor type"), max_length=16, choices=InvestorKind.choices, blank=True
    )
    country = models.CharField(_("country or region"), max_length=80, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
        default="zh-hans",
    )
    email_verified_at = models.DateTimeField(_("email verified at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="officer_needs_agency",
                condition=~models.Q(role="officer") | models.Q(agency__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} <{self.email}>"

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_role(self, *roles: str) -> bool:
        return self.is_active and self.role in roles


class AuditEntry(models.Model):
    """One write made through a service. Append-only: no update or delete path exists.

    Database triggers (see migration 0002) refuse UPDATE and DELETE even from raw SQL.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("who (as recorded)"), max_length=300, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("changed fields"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AuditLogIsAppendOnly


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit entry."""


class Notification(BilingualMixin, models.Model):
    """A message in a user's inbox, stored in both languages."""

    recipient = models.ForeignKey(
        User, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=64)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    body_zh = models.TextField(_("message (Chinese)"), blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.localized("title")

    title = Localized()

    body = Localized()


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 digest of the secret is stored."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.expires_at > now


class ClockUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    DAYS = "days", _("calendar days")


class ClockState(models.TextChoices):
    RUNNING = "running", _("running")
    PAUSED = "paused", _("paused")
    STOPPED = "stopped", _("stopped")


class LegalClock(models.Model):
    """A statutory time limit (e.g. 20 working days to decide a licence), with pauses.

    Written only through onestop.core.clocks (inside the caller's service transaction).
    """

    limit = models.PositiveIntegerField(_("time limit"))
    unit = models.CharField(
        _("unit"), max_length=16, choices=ClockUnit.choices, default=ClockUnit.WORKING_DAYS
    )
    started_on = models.DateField(_("started on"))
    due_on = models.DateField(_("due on"))
    paused_on = models.DateField(_("paused on"), null=True, blank=True)
    paused_total = models.PositiveIntegerField(
        _("days paused"), default=0, help_text=_("Days credited for pauses, in the clock's unit")
    )
    stopped_on = models.DateField(_("stopped on"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=ClockState.choices, default=ClockState.RUNNING
    )

    class Meta:
        verbose_name = _("legal clock")
        verbose_name_plural = _("legal clocks")
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                name="legal_clock_paused_has_date",
                condition=~models.Q(state="paused") | models.Q(paused_on__isnull=False),
            ),
            models.CheckConstraint(
                name="legal_clock_stopped_has_date",
                condition=~models.Q(state="stopped") | models.Q(stopped_on__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.limit} {self.unit} from {self.started_on}, due {self.due_on} ({self.state})"


class Document(models.Model):
    """An uploaded file (PDF, JPEG, PNG or OFD), kept under ONESTOP_PRIVATE_MEDIA_ROOT.

    Written only through onestop.core.documents.document_upload; served only by the
    core:document_download view after an access check. Owned by an enterprise, or (for
    accounts without one, e.g. investors) by a user.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner_enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("owner enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    owner_user = models.ForeignKey(
        User,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    uploaded_by = models.ForeignKey(
        User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    storage_name = models.CharField(_("storage name"), max_length=100, unique=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at"]
        constraints = [
            models.CheckConstraint(
                name="document_has_one_owner",
                condition=(
                    models.Q(owner_enterprise__isnull=False, owner_user__isnull=True)
                    | models.Q(owner_enterprise__isnull=True, owner_user__isnull=False)
                ),
            ),
            # "Submit once": the same content is stored once per owner.
            models.UniqueConstraint(
                fields=["owner_enterprise", "sha256"],
                condition=models.Q(owner_enterprise__isnull=False),
                name="document_once_per_enterprise",
            ),
            models.UniqueConstraint(
                fields=["owner_user", "sha256"],
                condition=models.Q(owner_user__isnull=False),
                name="document_once_per_user",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
