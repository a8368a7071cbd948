"""Page forms of the applications domain. They check shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# What an officer can do to a case from the case page, and the service each one calls.
ACTIONS = (
    ("claim", _("Claim")),
    ("assign", _("Assign")),
    ("accept", _("Accept")),
    ("return", _("Return for correction")),
    ("start_review", _("Start review")),
    ("approve", _("Approve")),
    ("refuse", _("Refuse")),
    ("issue", _("Issue the certificate")),
)


class UploadForm(forms.Form):
    """One document, uploaded once for every case that needs it."""

    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("PDF, JPEG, PNG or OFD, up to 20 MB."),
        error_messages={
            "required": _("Choose a file to upload."),
            "empty": _("The file is empty. Choose the scan or photo of the document."),
            "invalid": _("No file was received. Choose the file again."),
        },
    )


class ReuseForm(forms.Form):
    """Use a document the applicant (or their enterprise) uploaded before."""

    document = forms.UUIDField(
        error_messages={"invalid": _("Choose one of the documents listed.")},
    )


class CorrectionForm(forms.Form):
    comment = forms.CharField(
        label=_("What you changed (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CaseActionForm(forms.Form):
    """One action on a case; ``version`` is the case's version the officer saw."""

    action = forms.ChoiceField(choices=ACTIONS)
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    correction_request = forms.CharField(
        label=_("What the applicant must correct"),
        required=False,
        max_length=4000,
        help_text=_("Say exactly which document or detail is wrong and what is needed instead."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    assignee = forms.IntegerField(label=_("Assign to"), required=False, min_value=1)
    reasons = forms.CharField(
        label=_("Reasons for refusing"),
        required=False,
        max_length=4000,
        help_text=_("The facts and the legal basis of the decision."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    appeal_info = forms.CharField(
        label=_("How to appeal"),
        required=False,
        max_length=2000,
        help_text=_(
            "Where and within how many days the applicant can apply for administrative "
            "reconsideration or bring a lawsuit. Left empty, the standard wording is used."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        action = data.get("action")
        if action == "return" and not (data.get("correction_request") or "").strip():
            self.add_error(
                "correction_request",
                _("Say what the applicant must correct: they will see exactly this text."),
            )
        if action == "refuse" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons for refusing."))
        return data


class QueueFilterForm(forms.Form):
    """Filters of the work queue (GET); an unknown value is an error, not ignored."""

    state = forms.ChoiceField(label=_("State"), required=False)
    assignee = forms.ChoiceField(
        label=_("Assigned to"),
        required=False,
        choices=[("", _("Anyone")), ("me", _("Me")), ("none", _("Nobody"))],
    )
    overdue = forms.BooleanField(label=_("Only overdue cases"), required=False)

    def __init__(self, *args: Any, states: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Any state")), *states]


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("Printed under the QR code on the certificate."),
        error_messages={"required": _("Enter the verification code printed on the certificate.")},
    )

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not code.replace("-", "").replace("_", "").isalnum():
            raise forms.ValidationError(
                _("A verification code has only letters, digits and dashes.")
            )
        return code
