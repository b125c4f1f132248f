"""The demo library: believable collateral for a fictional company, built by code."""
