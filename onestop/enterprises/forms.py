"""Forms of the register pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from onestop.enterprises.districts import DISTRICTS
from onestop.enterprises.models import SizeClass


class RegisterSearchForm(forms.Form):
    q = forms.CharField(label=_("Name or credit code"), required=False, max_length=200, strip=True)
    district = forms.ChoiceField(label=_("District"), required=False)
    size = forms.ChoiceField(label=_("Size class"), required=False)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        from onestop.enterprises.districts import district_name

        self.fields["district"].choices = [("", _("All districts"))] + [  # type: ignore[attr-defined]
            (code, district_name(code)) for code in DISTRICTS
        ]
        self.fields["size"].choices = [("", _("All sizes")), *SizeClass.choices]  # type: ignore[attr-defined]


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Register file"),
        help_text=_(
            "CSV (UTF-8 or GBK) or XLSX. First row: column names in Chinese or English, e.g. "
            "统一社会信用代码, 企业名称, 行业代码, 所属区, 年度, 从业人员, 营业收入, 资产总额."
        ),
    )
    year = forms.IntegerField(
        label=_("Year of the figures (if the file has no year column)"),
        required=False,
        min_value=1990,
        max_value=2100,
    )
    strict = forms.BooleanField(
        label=_("Strict: import nothing if any row has an error"), required=False
    )
