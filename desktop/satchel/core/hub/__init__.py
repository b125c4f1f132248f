"""The team hub on PostgreSQL (DESIGN §3.6): its schema, roles and administration.

The server enforces the rules (roles, row-level security, SECURITY DEFINER functions,
the append-only audit chain); this package sets it up and talks to it.
"""
