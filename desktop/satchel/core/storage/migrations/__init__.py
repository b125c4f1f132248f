"""Alembic migration scripts for the library database."""
