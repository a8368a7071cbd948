from hypothesis import given
from hypothesis import strategies as st

from onestop.enterprises.validators import (
    CREDIT_CODE_ALPHABET,
    credit_code_check_character,
    credit_code_problem,
)

# A published example of a valid code (used in many guides to the GB 32100-2015 checksum).
KNOWN_VALID = "91350100M000100Y43"

body = st.text(alphabet=CREDIT_CODE_ALPHABET, min_size=17, max_size=17)


def test_known_valid_code_passes():
    assert credit_code_problem(KNOWN_VALID) is None


def test_wrong_length_and_forbidden_letters_are_explained():
    assert "18" in (credit_code_problem("123") or "")
    assert "I" in (credit_code_problem("91350100M000100YI3") or "")


@given(body)
def test_computed_check_character_always_validates(first_17):
    assert credit_code_problem(first_17 + credit_code_check_character(first_17)) is None


@given(body, st.sampled_from(CREDIT_CODE_ALPHABET))
def test_any_other_check_character_is_rejected(first_17, wrong):
    if wrong != credit_code_check_character(first_17):
        assert credit_code_problem(first_17 + wrong) is not None
