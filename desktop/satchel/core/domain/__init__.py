"""Frozen dataclasses, enums and pure rules; no I/O."""
