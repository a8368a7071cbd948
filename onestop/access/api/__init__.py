"""API routers of the market-access domain. One module per subject, mounted in onestop/api.py."""
