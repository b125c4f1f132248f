"""Markdown tables for the benchmark reports: a name column, then figures right-aligned."""

from __future__ import annotations

from collections.abc import Sequence


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|---|" + "---:|" * (len(headers) - 1)]
    return lines + ["| " + " | ".join(row) + " |" for row in rows]
