"""Reaching the hub: its URL made safe by default, and the server's refusals turned into
the sentences people read.

The hub is PostgreSQL reached with SQLAlchemy and psycopg 3 (the `hub` extra). Off
localhost the connection verifies the server's certificate and name
(`sslmode=verify-full`) unless the URL says otherwise.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import Engine, create_engine, exc

from satchel.core.errors import KnownError, NotFoundError, PermissionDeniedError, ValidationError

LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})


class HubError(KnownError):
    """The hub cannot be reached, or refused a connection."""


class HubConflictError(KnownError):
    """The hub's data moved on meanwhile (someone decided first, an edit is stale)."""


def hub_url(url: str) -> str:
    """`url` for SQLAlchemy with psycopg 3, with certificate checks on off localhost."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("postgresql", "postgres", "postgresql+psycopg"):
        raise ValidationError(["A hub address starts with postgresql://, e.g. "
                               "postgresql://you@hub.example.com/satchel."])  # fmt: skip
    query = dict(parse_qsl(parts.query))
    if "sslmode" not in query and (parts.hostname or "") not in LOCAL_HOSTS:
        query["sslmode"] = "verify-full"
        query.setdefault("sslrootcert", "system")  # the operating system's trusted CAs
    return urlunsplit(("postgresql+psycopg", parts.netloc, parts.path, urlencode(query), ""))


def where(url: str) -> str:
    """The hub's host and database, for sentences (never the password)."""
    parts = urlsplit(url)
    return f"{parts.hostname or 'localhost'}{parts.path or ''}"


def connect(url: str, **options: Any) -> Engine:
    """An engine for the hub (no connection is made until it is used)."""
    try:
        import psycopg  # noqa: F401 - only to say clearly when the extra is missing
    except ImportError:
        raise HubError("The team hub needs the hub extra: install satchel[hub].") from None
    from satchel.core.hub.credentials import filled

    return create_engine(hub_url(filled(url)), pool_pre_ping=True,
                         connect_args={"application_name": "satchel", "connect_timeout": 10},
                         **options)  # fmt: skip


@contextlib.contextmanager
def hub_errors(url: str) -> Iterator[None]:
    """Turn the server's answers into KnownErrors: connection problems, and the
    refusals the hub's functions raise (their messages are already sentences)."""
    try:
        yield
    except exc.DBAPIError as error:
        raise translate(error, url) from error


SQLSTATES: dict[str, type[KnownError]] = {
    "42501": PermissionDeniedError,  # insufficient privilege, and our role checks
    "SA403": PermissionDeniedError,  # the append-only audit trail
    "SA404": NotFoundError,
    "SA409": HubConflictError,
}


def translate(error: exc.DBAPIError, url: str) -> KnownError | exc.DBAPIError:
    original = error.orig
    state = getattr(original, "sqlstate", None)
    diag = getattr(original, "diag", None)
    message = (getattr(diag, "message_primary", None) or str(original)).strip()
    if state == "SA422":
        return ValidationError([message])
    if state in SQLSTATES:
        return SQLSTATES[state](message)
    if state == "28P01" or "password authentication failed" in message:
        return HubError(f"The hub at {where(url)} refused the login: the name or password "
                        "is wrong.")  # fmt: skip
    if "no password supplied" in message:
        return HubError(f"The hub at {where(url)} needs your password: sign in once with "
                        "satchel hub login URL EMAIL, or set PGPASSWORD.")  # fmt: skip
    if isinstance(error, exc.OperationalError):
        first = str(original).strip().splitlines()[0] if str(original).strip() else "no answer"
        # A connection cut in the middle of an answer is an SSL error too, but no
        # certificate problem: the network dropped.
        cut = any(sign in first for sign in ("unexpected eof", "closed the connection",
                                             "consuming input failed", "connection reset"))  # fmt: skip
        if not cut and ("certificate" in first or "SSL" in first):
            return HubError(f"The hub at {where(url)} could not be verified ({first}); name "
                            "its CA with sslrootcert=FILE in the hub address.")  # fmt: skip
        return HubError(f"The hub at {where(url)} cannot be reached: {first}.")
    return error
