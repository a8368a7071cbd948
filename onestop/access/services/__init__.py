"""Every write of the market-access domain. One module per subject, re-exported here."""

from onestop.access.services.industries import (
    IndustryImportReport,
    industries_import,
    industries_import_file,
)

__all__ = ["IndustryImportReport", "industries_import", "industries_import_file"]
