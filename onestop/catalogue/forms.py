"""The back-office form for a new version of a service (the fields officers change most)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.catalogue.models import ServiceVersion, TimeUnit

UNITS = [("", _("No limit known")), *TimeUnit.choices]


class ServiceVersionForm(forms.Form):
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    description_zh = forms.CharField(
        label=_("Description in Chinese"), required=False, widget=forms.Textarea
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea
    )
    applies_when_zh = forms.CharField(
        label=_("When it applies, in Chinese"), required=False, widget=forms.Textarea
    )
    applies_when_en = forms.CharField(
        label=_("When it applies, in English"), required=False, widget=forms.Textarea
    )
    rule = forms.CharField(
        label=_("Condition as a rule"),
        required=False,
        widget=forms.Textarea,
        help_text=_("CEL over the business profile, e.g. 'catering' in profile.activities. "
                    "Leave empty if the service always applies."),
    )  # fmt: skip
    fee_cny = forms.DecimalField(
        label=_("Fee in yuan"), required=False, min_value=0, decimal_places=2,
        help_text=_("Empty if not known; 0 if free."),
    )  # fmt: skip
    statutory_value = forms.IntegerField(label=_("Time limit in law"), required=False, min_value=0)
    statutory_unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, required=False)
    committed_value = forms.IntegerField(label=_("Time promised"), required=False, min_value=0)
    committed_unit = forms.ChoiceField(label=_("Unit"), choices=UNITS, required=False)
    valid_from = forms.DateField(
        label=_("In force from"), help_text=_("For example 2021-06-30."), initial=dt.date.today
    )
    change_note = forms.CharField(label=_("What changed"), max_length=300)

    @staticmethod
    def initial_from(version: ServiceVersion) -> dict[str, Any]:
        names = ("title_zh", "title_en", "description_zh", "description_en",
                 "applies_when_zh", "applies_when_en", "rule", "fee_cny")  # fmt: skip
        initial: dict[str, Any] = {name: getattr(version, name) for name in names}
        for kind in ("statutory", "committed"):
            limit = getattr(version, f"{kind}_limit") or {}
            initial[f"{kind}_value"] = limit.get("value")
            initial[f"{kind}_unit"] = limit.get("unit", "")
        initial["valid_from"] = dt.date.today()
        return initial

    def content(self, version: ServiceVersion) -> dict[str, Any]:
        """The new version's content: the old one with the edited fields replaced."""
        from onestop.catalogue.content import VERSION_FIELDS

        data = self.cleaned_data
        content = {name: getattr(version, name) for name in VERSION_FIELDS}
        for name in ("title_zh", "title_en", "description_zh", "description_en",
                     "applies_when_zh", "applies_when_en", "rule", "fee_cny"):  # fmt: skip
            content[name] = data[name]
        for kind in ("statutory", "committed"):
            old = dict(getattr(version, f"{kind}_limit") or {})
            unit, value = data[f"{kind}_unit"], data[f"{kind}_value"]
            if not unit:
                content[f"{kind}_limit"] = {}
                continue
            if (old.get("unit"), old.get("value")) != (unit, value):
                old.pop("uncertain", None)  # an officer's new figure is the agency's own
            content[f"{kind}_limit"] = {**old, "unit": unit, "value": value}
        return content
