"""Applications for licences: one application per business plan, one case per agency procedure.

An ``Application`` belongs to an applicant (a user, and the enterprise they apply for when they
have one). It comes from a licence-finder plan (``journey`` + ``answers``); the access checker's
verdict at intake is kept as a snapshot. Its ``status`` is derived from its cases and stored
(``services_status.application_status``) so lists can filter on it.

A ``Case`` is one agency's procedure inside the application. Its ``state`` moves only through
the services in ``services_cases`` and ``services_decisions``; every transition passes the
``version`` the officer saw and bumps it (optimistic concurrency: "the case changed").
``due_on`` is a copy of the legal clock's due date so the officer queue can sort and filter
on one indexed table.

Documents are required once per application (``ApplicationDocument``, by requirement key) and
linked to every case that needs them (``CaseDocument``); the file itself is a core ``Document``
that later applications of the same enterprise can reuse.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.catalogue.models import Journey, PublicService, ServiceVersion
from onestop.core.models import Agency, BilingualMixin, Localized, User
from onestop.enterprises.models import Enterprise


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROGRESS = "in_progress", _("In progress")
    ACTION_NEEDED = "action_needed", _("Action needed")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


class CaseState(models.TextChoices):
    WAITING = "waiting", _("Waiting for earlier steps")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for correction")
    ACCEPTED = "accepted", _("Accepted")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    CERTIFICATE_ISSUED = "certificate_issued", _("Certificate issued")


# States in which the agency still has to act (the legal clock may be running).
OPEN_STATES = (
    CaseState.SUBMITTED,
    CaseState.ACCEPTED,
    CaseState.UNDER_REVIEW,
)
# States that end a case.
FINAL_STATES = (CaseState.APPROVED, CaseState.REFUSED, CaseState.CERTIFICATE_ISSUED)


class Application(models.Model):
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    applicant_user = models.ForeignKey(
        User, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant_enterprise = models.ForeignKey(
        Enterprise,
        verbose_name=_("applying enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    journey = models.ForeignKey(
        Journey,
        verbose_name=_("business journey"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    profile = models.JSONField(_("business profile"), default=dict, blank=True)
    plan = models.JSONField(
        _("procedures of the plan"),
        default=dict,
        blank=True,
        help_text=_("The services and their prerequisites, as planned at intake."),
    )
    access_check = models.JSONField(_("market-access check at intake"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    # NULL (not ""): the unique constraint below must ignore applications without a key.
    idempotency_key = models.CharField(  # noqa: DJ001
        _("idempotency key"), max_length=100, null=True, blank=True
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["applicant_user", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="one_application_per_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["applicant_user", "-created_at"], name="app_by_user"),
            models.Index(fields=["applicant_enterprise", "-created_at"], name="app_by_enterprise"),
        ]

    def __str__(self) -> str:
        return self.reference


class ApplicationDocument(BilingualMixin, models.Model):
    """A document the application needs, once, whichever cases need it."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    requirement = models.CharField(_("requirement"), max_length=200)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    obtainable_from_other_agency = models.BooleanField(
        _("the agency can obtain it from another agency"), default=False
    )
    document = models.ForeignKey(
        "core.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="application_uses",
    )
    attached_at = models.DateTimeField(_("attached at"), null=True, blank=True)
    attached_by = models.ForeignKey(
        User, verbose_name=_("attached by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "requirement"], name="requirement_once_per_application"
            )
        ]

    def __str__(self) -> str:
        return self.localized("name")

    name = Localized()


class Case(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="cases"
    )
    service = models.ForeignKey(
        PublicService, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+"
    )
    service_version = models.ForeignKey(
        ServiceVersion,
        verbose_name=_("service version applied for"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="cases"
    )
    state = models.CharField(
        _("state"), max_length=20, choices=CaseState.choices, default=CaseState.WAITING
    )
    prerequisites = models.ManyToManyField(
        "self",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="dependents",
    )
    clock = models.OneToOneField(
        "core.LegalClock",
        verbose_name=_("legal clock"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    silence_consent = models.BooleanField(_("silence means consent"), default=False)
    assignee = models.ForeignKey(
        User,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    correction_request = models.TextField(_("what to correct"), blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    appeal_info = models.TextField(_("how to appeal"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["application", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "service"], name="service_once_per_application"
            )
        ]
        indexes = [
            models.Index(fields=["agency", "state", "due_on"], name="case_queue"),
            models.Index(fields=["agency", "due_on", "id"], name="case_queue_all"),
            models.Index(fields=["agency", "assignee", "state", "due_on"], name="case_queue_mine"),
            models.Index(fields=["state", "due_on"], name="case_due"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}/{self.service_id}"


class CaseDocument(models.Model):
    """The case needs this application document (shared with the other cases needing it)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="case_documents"
    )
    application_document = models.ForeignKey(
        ApplicationDocument,
        verbose_name=_("application document"),
        on_delete=models.CASCADE,
        related_name="case_links",
    )

    class Meta:
        verbose_name = _("case document")
        verbose_name_plural = _("case documents")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "application_document"], name="document_once_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.application_document_id}"


class CaseEvent(models.Model):
    """A line of the case's timeline, shown to the applicant and the agency."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        User, verbose_name=_("who"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    action = models.CharField(_("action"), max_length=40)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["case", "at"], name="case_event_by_case")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class CaseAlert(models.Model):
    """A reminder or escalation already sent for a case: each is sent once (unique)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="alerts"
    )
    kind = models.CharField(_("kind"), max_length=40)
    due_on = models.DateField(_("due date it was about"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("case alert")
        verbose_name_plural = _("case alerts")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "due_on"], name="alert_once")
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind}"


class ServiceCaseRule(BilingualMixin, models.Model):
    """How cases of a service are handled, where the catalogue record says nothing.

    The catalogue data (procedures_beijing.json) has no field saying that silence means
    consent, so the flag lives here, per service, with the legal basis that grants it.
    """

    service = models.OneToOneField(
        PublicService,
        verbose_name=_("service"),
        on_delete=models.CASCADE,
        related_name="case_rule",
    )
    silence_consent = models.BooleanField(
        _("silence means consent"),
        default=False,
        help_text=_("The case is approved automatically when its time limit runs out."),
    )
    basis_zh = models.TextField(_("legal basis (Chinese)"), blank=True)
    basis_en = models.TextField(_("legal basis (English)"), blank=True)

    class Meta:
        verbose_name = _("case rule of a service")
        verbose_name_plural = _("case rules of services")

    def __str__(self) -> str:
        return str(self.service)

    basis = Localized()


class Certificate(BilingualMixin, models.Model):
    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    code = models.CharField(_("verification code"), max_length=40, unique=True)
    title_zh = models.CharField(_("title (Chinese)"), max_length=300)
    title_en = models.CharField(_("title (English)"), max_length=300)
    holder_zh = models.CharField(_("holder (Chinese)"), max_length=300)
    holder_en = models.CharField(_("holder (English)"), max_length=300)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=300)
    issuer_en = models.CharField(_("issuer (English)"), max_length=300)
    data = models.JSONField(_("data"), default=dict, blank=True)
    issued_on = models.DateField(_("issued on"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    issued_by = models.ForeignKey(
        User, verbose_name=_("issued by"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )  # fmt: skip
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.TextField(_("reason for revocation"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.number

    title = Localized()

    holder = Localized()

    issuer = Localized()

    @property
    def is_current(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.valid_to is None or self.valid_to >= timezone.localdate()
