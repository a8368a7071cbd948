import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english() -> object:
    """These tests read the explanations' English wording; the platform's default is Chinese."""
    with translation.override("en"):
        yield
