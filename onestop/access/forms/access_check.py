"""The access check's form: every input travels in the query string, so a result is a link."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.core.errors import ValidationFailed

ANSWER_PREFIX = "answer_"


class AccessCheckForm(forms.Form):
    industry = forms.CharField(
        label=_("Industry code"),
        help_text=_("The GB/T 4754-2017 code of the business activity, e.g. 8760 for cinemas."),
        max_length=4,
        required=False,
    )
    foreign_share = forms.DecimalField(
        label=_("Foreign share (%)"),
        help_text=_("All foreign investors together, from 0 to 100."),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
    )
    single_share = forms.DecimalField(
        label=_("Largest single foreign investor (%)"),
        help_text=_("Leave empty if there is one foreign investor."),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
    )
    form = forms.ChoiceField(
        label=_("Legal form"),
        choices=[
            ("company", _("Company")),
            ("partnership", _("Partnership")),
            ("individual_business", _("Individual business (个体工商户)")),
        ],
        initial="company",
        widget=forms.RadioSelect,
    )
    place = forms.ChoiceField(
        label=_("Place"),
        choices=[
            ("outside_ftz", _("Outside a pilot free trade zone")),
            ("inside_ftz", _("Inside a pilot free trade zone")),
        ],
        initial="outside_ftz",
        widget=forms.RadioSelect,
    )
    date = forms.DateField(
        label=_("Date"),
        help_text=_("The date the investment is made. Leave empty for today."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean_industry(self) -> str:
        # The search step's radio buttons send ``industry``; the "I know the code" box sends
        # ``industry_code``.
        code = self.cleaned_data.get("industry") or self.data.get("industry_code") or ""
        code = str(code).strip().upper()
        if not code:
            raise forms.ValidationError(_("Choose the activity, or give its industry code."))
        return code

    def answers(self) -> dict[str, str]:
        """Answers to clarifying questions: ``answer_<question key>=<value>``."""
        return {
            key[len(ANSWER_PREFIX) :]: value
            for key, value in self.data.items()
            if key.startswith(ANSWER_PREFIX) and value
        }

    def check_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "activities": [data["industry"]],
            "foreign_share": data["foreign_share"],
            "single_share": data.get("single_share"),
            "form": data["form"],
            "place": data["place"],
            "date": data.get("date") or None,
            "answers": self.answers(),
        }

    def add_check_errors(self, exc: ValidationFailed) -> None:
        for error in exc.errors:
            name = error.field.split(".")[0]
            name = {"activities": "industry"}.get(name, name)
            if name not in self.fields:
                name = None  # type: ignore[assignment]
            self.add_error(name, str(error.message))
