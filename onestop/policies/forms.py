"""Page forms of the policies domain. They check shapes; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onestop.core.models import Agency
from onestop.policies.models import Policy, TakeupMode

RULE_ATTRS = {"rows": 6, "spellcheck": "false", "autocomplete": "off", "class": "policies-code"}


def _unix_lines(text: str) -> str:
    """Browsers send a text box's line ends as CRLF; rules are stored with LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


class PolicyForm(forms.Form):
    """A draft policy as its officer edits it (the code and agency only when creating)."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=80,
        help_text=_(
            "Letters, digits and hyphens, e.g. bj-2020-rent-relief. It cannot change later."
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Issuing agency"),
        queryset=Agency.objects.order_by("code"),
        empty_label=None,
        to_field_name="code",
    )
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=300)
    title_en = forms.CharField(label=_("Title in English"), max_length=300)
    summary_zh = forms.CharField(
        label=_("Summary in Chinese"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    summary_en = forms.CharField(
        label=_("Summary in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    rule = forms.CharField(
        label=_("Who qualifies (rule)"),
        widget=forms.Textarea(attrs=RULE_ATTRS),
        help_text=_(
            "CEL over the enterprise register, e.g. enterprise.industry_division == '62' "
            "&& enterprise.size in ['micro', 'small']."
        ),
    )
    not_in_rule_zh = forms.CharField(
        label=_("Conditions the register cannot show, in Chinese (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Enterprises are told that the agency checks these."),
    )
    not_in_rule_en = forms.CharField(
        label=_("Conditions the register cannot show, in English (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    benefit_formula = forms.CharField(
        label=_("Benefit formula (optional)"),
        required=False,
        widget=forms.Textarea(attrs={**RULE_ATTRS, "rows": 2}),
        help_text=_("CEL giving the amount for one enterprise. Empty if there is no amount."),
    )
    benefit_unit = forms.CharField(
        label=_("Unit of the amount"),
        required=False,
        max_length=40,
        help_text=_("For example 10,000 CNY."),
    )
    benefit_note_zh = forms.CharField(
        label=_("What the enterprise gets, in Chinese"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    benefit_note_en = forms.CharField(
        label=_("What the enterprise gets, in English"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    takeup_mode = forms.ChoiceField(
        label=_("How enterprises take it up"),
        choices=TakeupMode.choices,
        widget=forms.RadioSelect,
    )
    budget = forms.DecimalField(
        label=_("Budget in 10,000 CNY (optional)"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        help_text=_("For example 2020-02-01."),
        widget=forms.DateInput(format="%Y-%m-%d"),
    )
    valid_to = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d"),
        help_text=_("For example 2020-12-31. Empty if open-ended."),
    )

    basis_title_zh = forms.CharField(
        label=_("Legal basis: document title in Chinese"), required=False, max_length=500
    )
    basis_title_en = forms.CharField(
        label=_("Legal basis: document title in English"), required=False, max_length=500
    )
    basis_number = forms.CharField(
        label=_("Document number"),
        required=False,
        max_length=100,
        help_text=_("For example 京政办发〔2020〕7号."),  # noqa: RUF001
    )
    basis_item = forms.CharField(label=_("Article or item"), required=False, max_length=200)
    basis_url = forms.URLField(
        label=_("Link to the document"), required=False, max_length=500, assume_scheme="https"
    )

    BASIS = ("title_zh", "title_en", "number", "item", "url")
    EDITABLE = (
        "title_zh", "title_en", "summary_zh", "summary_en", "rule", "not_in_rule_zh",
        "not_in_rule_en", "benefit_formula",
        "benefit_unit", "benefit_note_zh", "benefit_note_en", "takeup_mode", "budget",
        "valid_from", "valid_to",
    )  # fmt: skip

    def __init__(self, *args: Any, creating: bool, agencies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # While the officer types (and pauses), htmx posts the form to the live check, which
        # answers with the rule's problems or the count of matching enterprises.
        self.fields["rule"].widget.attrs.update(
            {
                "hx-post": reverse("policies:rule_check"),
                "hx-trigger": "input changed delay:700ms",
                "hx-target": "#rule-check",
                "hx-sync": "this:replace",
            }
        )
        if not creating:
            del self.fields["code"]
            del self.fields["agency"]
        elif agencies is not None:
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]

    @classmethod
    def initial_from(cls, policy: Policy) -> dict[str, Any]:
        initial = {name: getattr(policy, name) for name in cls.EDITABLE}
        first = policy.legal_basis[0] if policy.legal_basis else {}
        if isinstance(first, dict):
            initial.update({f"basis_{key}": first.get(key, "") for key in cls.BASIS})
        return initial

    def clean_rule(self) -> str:
        return _unix_lines(self.cleaned_data["rule"])

    def clean_benefit_formula(self) -> str:
        return _unix_lines(self.cleaned_data["benefit_formula"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end < start:
            self.add_error(
                "valid_to",
                _("The end date must be the same as or after the start date (%(start)s).")
                % {"start": start.isoformat()},
            )
        return data

    def values(self, policy: Policy | None) -> dict[str, Any]:
        """The editable fields, as the service takes them. The legal basis fields are its
        first document; further documents (from the policy's data file) are kept."""
        values = {name: self.cleaned_data[name] for name in self.EDITABLE}
        basis = list(policy.legal_basis) if policy is not None and policy.legal_basis else []
        first = basis[0] if basis and isinstance(basis[0], dict) else {}
        entered = {key: self.cleaned_data[f"basis_{key}"].strip() for key in self.BASIS}
        rest = basis[1:]
        if any(entered.values()):
            unchanged = first.get("number", "") == entered["number"]
            kept = {k: v for k, v in first.items() if unchanged or k != "number_uncertain"}
            values["legal_basis"] = [{**kept, **entered}, *rest]
        else:
            values["legal_basis"] = rest
        return values


class ApplyForm(forms.Form):
    """An apply-mode policy's application is filled in from the register; the enterprise checks
    it and declares it true. (Wrong facts are corrected in the register, not here.)"""

    declaration = forms.BooleanField(
        label=_("I declare that the information about my enterprise is true and complete."),
        error_messages={"required": _("Tick the declaration to send the application.")},
    )


class RuleCheckForm(forms.Form):
    """The rule box alone, for the live count while the officer types."""

    rule = forms.CharField(required=False, max_length=20_000)
