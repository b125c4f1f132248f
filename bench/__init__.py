"""Benchmarks (`make bench`): the figures DESIGN.md §5 names, on generated data."""
