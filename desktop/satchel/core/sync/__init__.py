"""Offline sync (DESIGN §3.6): the laptop keeps working on its own library and meets
the team through the hub — the outbox pushed with idempotency keys, rows above the
cursor pulled in pages, each page applied with its cursor in one local transaction.
"""
