"""Pages of the market-access domain. One module per subject."""
