"""Cleaning register values, one field at a time, for the services, the importer and forms.

``RegisterCleaner`` holds the look-ups (industry classes, districts, tags) so a file of a million
rows checks each cell against an in-memory table. Each ``clean_<field>`` returns the cleaned
value or raises ``CellError`` with a translated message saying what was wrong and what is allowed.
Values may come as text (CSV), or as numbers and dates (XLSX cells).
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from onestop.enterprises.districts import DISTRICTS
from onestop.enterprises.models import Ownership
from onestop.enterprises.tags import TAGS, tags_to_db
from onestop.enterprises.validators import CREDIT_CODE_ALPHABET, credit_code_problem

FIRST_YEAR = 1990  # earliest year of figures the register accepts
FIRST_REGISTRATION = dt.date(1949, 10, 1)
MONEY_LIMIT = Decimal("99999999999999.99")  # max_digits=16, decimal_places=2
EMPLOYEE_LIMIT = 10_000_000
_CENT = Decimal("0.01")
_TAG_SPLIT = re.compile("[,;\uff0c\uff1b\u3001|\\s]+")  # also full-width , ; and 、
_PHONE = re.compile(r"^[0-9+\-() ]{5,40}$")
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y年%m月%d日")


_OWNERSHIP_ALIASES: dict[str, str] = {
    "domestic": Ownership.DOMESTIC.value,
    "内资": Ownership.DOMESTIC.value,
    "内资企业": Ownership.DOMESTIC.value,
    "foreign": Ownership.FOREIGN.value,
    "foreign-invested": Ownership.FOREIGN.value,
    "外资": Ownership.FOREIGN.value,
    "外商投资": Ownership.FOREIGN.value,
    "外商投资企业": Ownership.FOREIGN.value,
    "hmt": Ownership.HMT.value,
    "港澳台": Ownership.HMT.value,
    "港澳台投资": Ownership.HMT.value,
    "港澳台商投资企业": Ownership.HMT.value,
    "hong kong, macao or taiwan-invested": Ownership.HMT.value,
}


def _today() -> dt.date:
    return dt.date.today()


class CellError(Exception):
    def __init__(self, message: str, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


def _text(raw: Any) -> str:
    if type(raw) is str:
        return raw.strip()
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


_CODE_VALUES = {ch: i for i, ch in enumerate(CREDIT_CODE_ALPHABET)}
_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_valid(code: str) -> bool:
    """Fast yes/no for the importer's hot loop (``credit_code_problem`` says what is wrong)."""
    if len(code) != 18:
        return False
    values = _CODE_VALUES
    try:
        total = sum(map(operator.mul, map(values.__getitem__, code[:17]), _CODE_WEIGHTS))
        return values[code[17]] == (31 - total % 31) % 31
    except KeyError:
        return False


def industry_sections() -> dict[str, str]:
    """Every GB/T 4754-2017 class code in the database -> its section letter."""
    from onestop.access.models import IndustryClass

    rows = IndustryClass.objects.filter(level="class").values_list(
        "code", "parent__parent__parent__code"
    )
    return {code: section or "" for code, section in rows}


@dataclass
class RegisterCleaner:
    sections: dict[str, str]

    @classmethod
    def load(cls) -> RegisterCleaner:
        return cls(sections=industry_sections())

    # --- identity ---------------------------------------------------------------------------

    @staticmethod
    def clean_credit_code(raw: Any) -> str:
        code = _text(raw).upper()
        if credit_code_valid(code):
            return code
        if not code:
            raise CellError(_("Enter the unified social credit code (18 characters)."), "required")
        problem = credit_code_problem(code)
        if problem:
            raise CellError(problem, "invalid_credit_code")
        return code

    @staticmethod
    def clean_name_zh(raw: Any) -> str:
        name = _text(raw)
        if not name:
            raise CellError(_("Enter the enterprise's registered Chinese name."), "required")
        if len(name) > 200:
            raise CellError(_("A name has at most 200 characters."), "too_long")
        return name

    @staticmethod
    def clean_name_en(raw: Any) -> str:
        name = _text(raw)
        if len(name) > 200:
            raise CellError(_("A name has at most 200 characters."), "too_long")
        return name

    # --- register facts ---------------------------------------------------------------------

    @staticmethod
    def clean_registered_on(raw: Any) -> dt.date | None:
        value: dt.date | None
        if isinstance(raw, dt.datetime):
            value = raw.date()
        elif isinstance(raw, dt.date):
            value = raw
        else:
            text = _text(raw)
            if not text:
                return None
            value = None
            if len(text) == 10 and text[4] == "-":
                try:
                    value = dt.date.fromisoformat(text)
                except ValueError:
                    value = None
            for fmt in () if value is not None else _DATE_FORMATS:
                try:
                    value = dt.datetime.strptime(text, fmt).date()
                    break
                except ValueError:
                    continue
            if value is None:
                raise CellError(
                    _("Not a date: %(value)s. Write it as YYYY-MM-DD, e.g. 2015-06-01.")
                    % {"value": text},
                    "invalid_date",
                )
        if value is None or not FIRST_REGISTRATION <= value <= _today():
            raise CellError(
                _("The registration date must be between %(first)s and today.")
                % {"first": FIRST_REGISTRATION.isoformat()},
                "date_out_of_range",
            )
        return value

    @staticmethod
    def clean_district(raw: Any) -> str:
        text = _text(raw)
        if not text:
            return ""
        if text in DISTRICTS:
            return text
        lowered = text.lower()
        for code, (zh, en) in DISTRICTS.items():
            if text in {zh, zh.removesuffix("区")} or lowered in {
                en.lower(),
                en.lower().removesuffix(" district"),
            }:
                return code
        raise CellError(
            _(
                "Unknown district: %(value)s. Use a Beijing district's GB/T 2260 code "
                "(110101 to 110119, e.g. 110105 for Chaoyang) or its name."
            )
            % {"value": text},
            "unknown_district",
        )

    def clean_industry_code(self, raw: Any) -> tuple[str, str, str]:
        """(class code, division, section); ("", "", "") when blank."""
        text = _text(raw)
        if not text:
            return "", "", ""
        code = text.zfill(4) if text.isdigit() and len(text) < 4 else text
        section = self.sections.get(code)
        if section is None:
            raise CellError(
                _(
                    "Unknown industry: %(value)s is not a class of GB/T 4754-2017. Enter a "
                    "four-digit class code, e.g. 6210 for restaurants."
                )
                % {"value": text},
                "unknown_industry",
            )
        return code, code[:2], section

    @staticmethod
    def clean_ownership(raw: Any) -> str:
        text = _text(raw)
        if not text:
            return Ownership.DOMESTIC
        value = _OWNERSHIP_ALIASES.get(text.lower())
        if value is None:
            raise CellError(
                _(
                    "Unknown ownership: %(value)s. Allowed: domestic (内资), foreign "
                    "(外商投资), hmt (港澳台投资)."
                )
                % {"value": text},
                "unknown_ownership",
            )
        return str(value)

    @staticmethod
    def clean_money(raw: Any) -> Decimal | None:
        if type(raw) is str and raw and "," not in raw:
            try:  # the common case: a plain number as text
                value = Decimal(raw)
            except InvalidOperation:
                pass
            else:
                if value.is_finite() and 0 <= value <= MONEY_LIMIT:
                    return value  # the column (2 decimal places) rounds any further digits
        if raw is None or raw == "":
            return None
        if isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, int | float):
            value = Decimal(str(raw))
        else:
            text = _text(raw).replace(",", "").replace("\uff0c", "")  # full-width comma
            if not text:
                return None
            try:
                value = Decimal(text)
            except InvalidOperation:
                raise CellError(
                    _("Not a number: %(value)s. Enter an amount in 10,000 CNY, e.g. 125.5.")
                    % {"value": text},
                    "invalid_number",
                ) from None
        if not value.is_finite():
            raise CellError(_("Enter a finite amount."), "invalid_number")
        if value < 0:
            raise CellError(
                _("The amount cannot be negative (%(value)s).") % {"value": _text(raw)},
                "negative",
            )
        if value > MONEY_LIMIT:
            raise CellError(_("The amount is too large."), "too_large")
        return value.quantize(_CENT)

    @staticmethod
    def clean_employees(raw: Any) -> int | None:
        if type(raw) is str and raw.isdigit() and len(raw) < 8:
            return int(raw)  # the common case: digits only (isdigit rules out a minus sign)
        if raw is None or raw == "":
            return None
        if isinstance(raw, bool):
            raise CellError(_("Enter a whole number of employees."), "invalid_number")
        if isinstance(raw, int):
            value = raw
        else:
            text = _text(raw).replace(",", "")
            if not text:
                return None
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise CellError(
                    _("Not a number: %(value)s. Enter a whole number of employees, e.g. 12.")
                    % {"value": text},
                    "invalid_number",
                ) from None
            if not number.is_finite() or number != number.to_integral_value():
                raise CellError(
                    _("Enter a whole number of employees (not %(value)s).") % {"value": text},
                    "invalid_number",
                )
            value = int(number)
        if value < 0:
            raise CellError(
                _("The number of employees cannot be negative (%(value)s).") % {"value": value},
                "negative",
            )
        if value > EMPLOYEE_LIMIT:
            raise CellError(_("The number of employees is too large."), "too_large")
        return value

    @staticmethod
    def clean_year(raw: Any) -> int:
        if type(raw) is str and len(raw) == 4 and raw.isdigit():
            year = int(raw)
            if FIRST_YEAR <= year <= _today().year:
                return year
        text = _text(raw)
        if not text:
            raise CellError(_("Enter the year the figures are for."), "required")
        if not text.isdigit():
            raise CellError(
                _("Not a year: %(value)s. Enter four digits, e.g. 2020.") % {"value": text},
                "invalid_year",
            )
        year = int(text)
        last = dt.date.today().year
        if not FIRST_YEAR <= year <= last:
            raise CellError(
                _("The year must be between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": last},
                "year_out_of_range",
            )
        return year

    @classmethod
    def clean_tags_db(cls, raw: Any) -> str:
        """Tags as stored (",a,b,")."""
        if raw is None or raw == "":
            return ""
        return tags_to_db(cls.clean_tags(raw))

    @staticmethod
    def clean_tags(raw: Any) -> list[str]:
        if raw is None or raw == "":
            return []
        if isinstance(raw, list | tuple | set):
            parts = [str(p).strip() for p in raw]
        else:
            parts = _TAG_SPLIT.split(_text(raw))
        result = []
        for part in parts:
            if not part:
                continue
            code = part if part in TAGS else None
            if code is None:
                for key, (zh, en) in TAGS.items():
                    if part == zh or part.lower() == en.lower():
                        code = key
                        break
            if code is None:
                raise CellError(
                    _("Unknown tag: %(value)s. Allowed: %(allowed)s.")
                    % {"value": part, "allowed": ", ".join(TAGS)},
                    "unknown_tag",
                )
            result.append(code)
        return sorted(set(result))

    @staticmethod
    def clean_contact_name(raw: Any) -> str:
        text = _text(raw)
        if len(text) > 100:
            raise CellError(_("At most 100 characters."), "too_long")
        return text

    @staticmethod
    def clean_contact_phone(raw: Any) -> str:
        text = _text(raw)
        if text and not _PHONE.match(text):
            raise CellError(
                _("Not a telephone number: %(value)s. Use digits, spaces, +, - and brackets.")
                % {"value": text},
                "invalid_phone",
            )
        return text

    @staticmethod
    def clean_contact_email(raw: Any) -> str:
        text = _text(raw)
        if text:
            try:
                validate_email(text)
            except ValidationError:
                raise CellError(
                    _("Not an e-mail address: %(value)s.") % {"value": text}, "invalid_email"
                ) from None
        return text
