"""Insights: the figures marketing acts on, computed from the library's records by SQL
aggregates (docs/INSIGHTS.md defines each). Below the services, beside sync."""
