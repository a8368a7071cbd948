"""Reads of the market-access domain. One module per subject, re-exported here."""

from onestop.access.selectors.industries import (
    IndustryDetail,
    IndustryNode,
    industry_ancestors_codes,
    industry_closest,
    industry_get,
    industry_index_invalidate,
    industry_node,
    industry_search,
    industry_sections,
)

__all__ = [
    "IndustryDetail",
    "IndustryNode",
    "industry_ancestors_codes",
    "industry_closest",
    "industry_get",
    "industry_index_invalidate",
    "industry_node",
    "industry_search",
    "industry_sections",
]
