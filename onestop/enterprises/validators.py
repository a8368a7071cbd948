"""Unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters; the last is a check character over the first 17.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The code alphabet leaves out I, O, Z, S and V so they cannot be mistaken for digits.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_character(first_17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(first_17, _WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def credit_code_problem(code: str) -> str | None:
    """Return what is wrong with ``code`` (translated), or None when it is valid."""
    if len(code) != 18:
        message = _("A credit code has exactly 18 characters; this one has %(count)s.")
        return str(message) % {"count": len(code)}
    bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})
    if bad:
        return str(
            _(
                "These characters cannot appear in a credit code: %(chars)s. Allowed are the "
                "digits 0-9 and capital letters other than I, O, Z, S and V."
            )
            % {"chars": " ".join(bad)}
        )
    if code[17] != credit_code_check_character(code[:17]):
        return str(
            _(
                "The last character (the check character) does not match the first 17: please "
                "check the code against the business licence."
            )
        )
    return None


def validate_credit_code(value: str) -> None:
    problem = credit_code_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")
