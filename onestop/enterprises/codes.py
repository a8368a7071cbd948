"""Making valid unified social credit codes (GB 32100-2015), for the generator and tests.

Layout: registration authority (1: "9" = market regulation), entity type (1: "1" = enterprise),
administrative division (6: GB/T 2260), organisation code (9: 8 characters and the GB 11714
check character), check character (1, over the first 17).
"""

from __future__ import annotations

from onestop.enterprises.validators import CREDIT_CODE_ALPHABET, credit_code_check_character

_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_BODY_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def organisation_check_character(first_8: str) -> str:
    """GB 11714 check character of an 8-character organisation code body."""

    def value(ch: str) -> int:
        return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10

    remainder = 11 - sum(value(ch) * w for ch, w in zip(first_8, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def credit_code_from_number(number: int, *, district: str = "110105") -> str:
    """A valid credit code derived from ``number`` (distinct numbers give distinct codes)."""
    body = []
    n = number
    for _ in range(8):
        n, digit = divmod(n, len(_ORG_BODY_ALPHABET))
        body.append(_ORG_BODY_ALPHABET[digit])
    if n:
        raise ValueError("number too large for an 8-character organisation code")
    org = "".join(reversed(body))
    org += organisation_check_character(org)
    # The organisation check character may be "X", which is not in the credit-code alphabet.
    if org[-1] not in CREDIT_CODE_ALPHABET:
        org = org[:-1] + "0"
    first_17 = f"91{district}{org}"
    return first_17 + credit_code_check_character(first_17)
