"""Passwords for hub logins: made here, sent to the server only as a SCRAM-SHA-256
verifier (RFC 5802 and 7677, the format PostgreSQL stores), so no password is ever in
the server's memory or logs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

ITERATIONS = 4096  # PostgreSQL's default scram_iterations


def new_password() -> str:
    """A one-time password to hand to the person (about 120 bits)."""
    return secrets.token_urlsafe(15)


def verifier(password: str, salt: bytes | None = None) -> str:
    """`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>` for `password`."""
    salt = secrets.token_bytes(16) if salt is None else salt
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ITERATIONS)
    client_key = hmac.digest(salted, b"Client Key", "sha256")
    stored_key = hashlib.sha256(client_key).digest()
    server_key = hmac.digest(salted, b"Server Key", "sha256")

    def b64(data: bytes) -> str:
        return base64.b64encode(data).decode()

    return f"SCRAM-SHA-256${ITERATIONS}:{b64(salt)}${b64(stored_key)}:{b64(server_key)}"
