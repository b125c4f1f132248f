"""Satchel: offline-first collateral library."""
