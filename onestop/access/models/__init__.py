"""Market access: the industry classification and the negative lists."""

from onestop.access.models.industries import IndustryClass, IndustryLevel

__all__ = ["IndustryClass", "IndustryLevel"]
