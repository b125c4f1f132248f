"""A throwaway PostgreSQL server for the hub's tests and benchmark: its own data folder,
a free port on 127.0.0.1, TLS on with a CA made for it, scram-sha-256 passwords.

The server refuses to run as root, so as root (CI) it runs as the `postgres` user in a
folder that user owns. Nothing here is mocked: it is Debian's PostgreSQL, started and
stopped with its own tools.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "satchel_test_super"


class NoServer(Exception):
    """No PostgreSQL server can be started here (the reason says why)."""


def _binaries() -> Path:
    found = sorted((str(p) for p in Path("/usr/lib/postgresql").glob("*/bin/initdb")), key=_major)
    if not found:
        on_path = shutil.which("initdb")
        if on_path is None:
            raise NoServer("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        return Path(on_path).parent
    return Path(found[-1]).parent


def _major(path: str) -> int:
    return int(Path(path).parts[-3]) if Path(path).parts[-3].isdigit() else 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class HubServer:
    """A running server; `url(user, password)` connects to its `satchel` database."""

    folder: Path
    port: int
    password: str  # the superuser's
    ca_file: Path
    bin_dir: Path
    as_user: str | None  # who runs the server (None: this process's user)

    def url(self, user: str = SUPERUSER, password: str | None = None,
            database: str = "satchel") -> str:  # fmt: skip
        secret = self.password if password is None and user == SUPERUSER else password
        auth = f"{user}:{secret}@" if secret else f"{user}@"
        return (f"postgresql://{auth}localhost:{self.port}/{database}"
                f"?sslmode=verify-full&sslrootcert={self.ca_file}")  # fmt: skip

    def stop(self) -> None:
        self.shut_down()
        shutil.rmtree(self.folder, ignore_errors=True)

    def shut_down(self) -> None:
        """Stop the server, keeping its data (`start_again` brings it back)."""
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-m", "fast",
                   "-w", "stop"], check=False)  # fmt: skip

    def start_again(self) -> None:
        self._run([str(self.bin_dir / "pg_ctl"), "-D", str(self.folder / "data"), "-l",
                   str(self.folder / "server.log"), "-w", "start"])  # fmt: skip

    def _run(self, command: list[str], check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run_as(self.as_user, command, check)


def _run_as(user: str | None, command: list[str], check: bool = True,
            ) -> subprocess.CompletedProcess[str]:  # fmt: skip
    if user is not None:
        command = ["runuser", "-u", user, "--", *command]
    done = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    if check and done.returncode != 0:
        raise NoServer(f"{Path(command[0 if user is None else 4]).name} failed: "
                       f"{(done.stderr or done.stdout).strip()[-600:]}")  # fmt: skip
    return done


def _make_certificates(folder: Path) -> Path:
    """A test CA and a server certificate for localhost signed by it; returns the CA."""
    if shutil.which("openssl") is None:
        raise NoServer("openssl is not installed (the tests make their TLS certificates with it)")

    def openssl(*args: str) -> None:
        subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=folder)

    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            "/CN=Satchel test CA", "-keyout", "ca.key", "-out", "ca.crt")  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "server.key", "-out", "server.csr")  # fmt: skip
    (folder / "san.ext").write_text("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt")  # fmt: skip
    (folder / "server.key").chmod(0o600)
    return folder / "ca.crt"


def start(settings: dict[str, str] | None = None) -> HubServer:
    """Start a fresh server (raises NoServer with the reason when it cannot)."""
    bin_dir = _binaries()
    as_user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise NoServer(
                "running as root and there is no postgres user to run the server"
            ) from None
        as_user = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="satchel-hub-"))
    folder.chmod(0o755)
    password = secrets.token_urlsafe(18)
    ca_file = _make_certificates(folder)
    (folder / "ca.crt").chmod(0o644)
    (folder / "pw").write_text(password + "\n")
    if as_user is not None:
        shutil.chown(folder, as_user)
        for item in folder.iterdir():
            shutil.chown(item, as_user)
    data = folder / "data"
    port = free_port()
    server = HubServer(folder, port, password, ca_file, bin_dir, as_user)
    try:
        _run_as(as_user, [str(bin_dir / "initdb"), "-D", str(data), "-U", SUPERUSER,
                          "--pwfile", str(folder / "pw"), "--auth", "scram-sha-256",
                          "-E", "UTF8", "--locale", "C.UTF-8"])  # fmt: skip
        config = {
            "listen_addresses": "'127.0.0.1'",
            "port": str(port),
            "unix_socket_directories": f"'{folder}'",
            "ssl": "on",
            "ssl_cert_file": f"'{folder / 'server.crt'}'",
            "ssl_key_file": f"'{folder / 'server.key'}'",
            "password_encryption": "'scram-sha-256'",
            "fsync": "off",  # a throwaway server: durability is PostgreSQL's, not under test
            "max_connections": "300",
            **(settings or {}),
        }
        with open(data / "postgresql.conf", "a") as conf:
            conf.writelines(f"{key} = {value}\n" for key, value in config.items())
        # Every connection over TLS with a password; a plain one is refused.
        (data / "pg_hba.conf").write_text(
            "local all all scram-sha-256\n"
            "hostssl all all 127.0.0.1/32 scram-sha-256\n"
            "hostnossl all all 127.0.0.1/32 reject\n"
        )
        _run_as(as_user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                          str(folder / "server.log"), "-w", "start"])  # fmt: skip
        environment = {**os.environ, "PGPASSWORD": password}
        subprocess.run([str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U",
                        SUPERUSER, "satchel"], check=True, env=environment,
                       capture_output=True)  # fmt: skip
    except (NoServer, subprocess.CalledProcessError, OSError) as error:
        server.stop()
        raise NoServer(f"the test server did not start: {error}") from error
    return server


def many_assets_sql(count: int, pages: int) -> str:
    """SQL, for the hub's owner, adding `count` published assets with a version each (its
    file's row only, as if still on its way in parts) and `pages` pages of text: a team
    library of realistic size in seconds, numbered with the hub's own revisions."""
    return f"""
SET session_replication_role = replica;
CREATE TEMP TABLE new_assets ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, g FROM generate_series(1, {count}) g;
INSERT INTO satchel.assets (id, title, summary, kind, product, audience, region, language,
                            owner, status, rev)
SELECT id, 'Gateway ' || g || ' datasheet: ' || (ARRAY['predictive maintenance',
       'remote monitoring', 'energy savings', 'line efficiency', 'food safety'])[1 + g % 5]
       || ' for Product ' || g % 40,
       'Industrial gateway summary for plants', (ARRAY['brochure', 'datasheet', 'case study',
       'deck'])[1 + g % 4], 'Product ' || g % 40, 'IT', 'EMEA', 'en', 'Marketing', 'published',
       nextval('satchel.revisions')
  FROM new_assets ORDER BY g;
INSERT INTO satchel.blobs (sha256, size, file_type, chunk_count, complete, rev)
SELECT encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), 2000000, 'pdf', 2, true,
       nextval('satchel.revisions') FROM new_assets ORDER BY g;
INSERT INTO satchel.asset_versions (id, asset_id, number, blob_sha256, original_name,
                                    page_count, rev)
SELECT gen_random_uuid(), id, 1, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'),
       'file.pdf', {pages}, nextval('satchel.revisions') FROM new_assets ORDER BY g;
INSERT INTO satchel.page_texts (version_id, asset_id, page, text, rev)
SELECT v.id, v.asset_id, p, 'Predictive maintenance reduces downtime in food plants. '
       || repeat(md5(v.id::text || p) || ' ', 40), nextval('satchel.revisions')
  FROM satchel.asset_versions v JOIN new_assets n ON n.id = v.asset_id,
       generate_series(1, {pages}) p ORDER BY n.g, p;
"""
