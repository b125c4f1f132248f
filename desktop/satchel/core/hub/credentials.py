"""Hub passwords in the operating system's keyring (via the `keyring` package), never in
the settings file. Where no keyring is available (a headless Linux box, for one) nothing
is kept and the caller says so; libpq's own PGPASSWORD and ~/.pgpass still work.
"""

from __future__ import annotations

import logging
from urllib.parse import quote, unquote, urlsplit, urlunsplit

log = logging.getLogger("satchel.hub")

SERVICE = "satchel-hub"


def account(url: str) -> str:
    """The keyring entry's name for a hub address: login, host, port and database."""
    parts = urlsplit(url)
    user = unquote(parts.username or "")
    return f"{user}@{parts.hostname or 'localhost'}:{parts.port or 5432}{parts.path or '/'}"


def with_user(url: str, login: str) -> str:
    """`url` with `login` as its user (and no password)."""
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, f"{quote(login, safe='')}@{host}", parts.path,
                       parts.query, ""))  # fmt: skip


def store(url: str, password: str) -> bool:
    """Keep the password for `url`'s login; False when no keyring is available."""
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(SERVICE, account(url), password)
    except KeyringError as error:
        log.info("no keyring for the hub password: %s", error)
        return False
    return True


def stored(url: str) -> str | None:
    """The kept password for `url`'s login, if a keyring holds one."""
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:
        return None
    try:
        return keyring.get_password(SERVICE, account(url))
    except KeyringError:
        return None


def filled(url: str) -> str:
    """`url` with the kept password when it names a login but no password."""
    parts = urlsplit(url)
    if not parts.username or parts.password is not None:
        return url
    password = stored(url)
    return url if password is None else with_password(url, password)


def has_password(url: str) -> bool:
    return urlsplit(url).password is not None


def login_of(url: str) -> str:
    """The login a hub address names ("" when none)."""
    return unquote(urlsplit(url).username or "")


def with_password(url: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{parts.username or ''}:{quote(password, safe='')}@{host}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
