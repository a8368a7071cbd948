"""Forms of the market-access pages."""
