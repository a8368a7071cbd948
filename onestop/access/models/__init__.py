"""Market access: the industry classification and the negative lists."""

from onestop.access.models.industries import IndustryClass, IndustryLevel
from onestop.access.models.negative_lists import (
    Coverage,
    Edition,
    Item,
    ItemIndustry,
    Measure,
    Scope,
)

__all__ = [
    "Coverage",
    "Edition",
    "IndustryClass",
    "IndustryLevel",
    "Item",
    "ItemIndustry",
    "Measure",
    "Scope",
]
