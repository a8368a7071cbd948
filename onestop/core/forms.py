"""Page forms. They check shapes; the services check the rules.

A service's field errors land on the matching form fields.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import ValidationFailed
from onestop.core.roles import InvestorKind


def add_domain_errors(form: forms.Form, exc: ValidationFailed) -> None:
    """Put a service's field errors on the matching form fields (others on the form itself)."""
    for error in exc.errors:
        name = error.field if error.field in form.fields else None
        form.add_error(name, str(error.message))


class EnterpriseRegistrationForm(forms.Form):
    enterprise_name_zh = forms.CharField(
        label=_("Enterprise name in Chinese"),
        max_length=200,
        help_text=_("As on the business licence."),
    )
    enterprise_name_en = forms.CharField(
        label=_("Enterprise name in English (optional)"), max_length=200, required=False
    )
    credit_code = forms.CharField(
        label=_("Unified social credit code"),
        max_length=18,
        min_length=18,
        help_text=_("18 characters, on the business licence."),
    )
    display_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email address"), help_text=_("We send a link to confirm it."))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only numbers, not a common password."),
    )


class InvestorRegistrationForm(forms.Form):
    investor_kind = forms.ChoiceField(
        label=_("You invest as"), choices=InvestorKind.choices, widget=forms.RadioSelect
    )
    display_name = forms.CharField(label=_("Your name, or your company's name"), max_length=150)
    country = forms.CharField(label=_("Country or region"), max_length=80)
    email = forms.EmailField(label=_("Email address"), help_text=_("We send a link to confirm it."))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 10 characters; not only numbers, not a common password."),
    )


class LoginForm(AuthenticationForm):
    """Sign in with email and password; an unverified address cannot sign in yet."""

    error_messages = {
        "invalid_login": _(
            "The email address or password is not right. The password is case-sensitive."
        ),
        "inactive": _("This account is disabled."),
        "unverified": _(
            "Please confirm your email address first: open the link we sent you, or ask for a "
            "new one."
        ),
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("Email address")
        self.fields["username"].widget = forms.EmailInput(
            attrs={"autocomplete": "email", "autofocus": True}
        )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.email_verified_at is None:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class ResendVerificationForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100, help_text=_("What it is for."))
    days = forms.IntegerField(label=_("Valid for (days)"), min_value=1, max_value=365, initial=90)


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who (name or email contains)"), required=False)
    action = forms.CharField(label=_("Action starts with"), required=False)
    object_type = forms.CharField(label=_("Object type"), required=False)
    object_id = forms.CharField(label=_("Object id"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
