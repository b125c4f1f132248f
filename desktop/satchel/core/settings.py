"""Settings, declared once: built-in defaults < machine defaults < user < machine policy.

User settings persist as TOML in the platform config folder. An administrator's policy
file presets keys and locks them (the UI shows them disabled, "Set by your
administrator"); a machine-defaults file presets keys the user may still change.
Window geometry is not here: the UI keeps it in QSettings.
"""

from __future__ import annotations

import logging
import os
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
import tomli_w

from satchel.core.blobs import write_atomic
from satchel.core.errors import KnownError, ValidationError
from satchel.core.paths import APP_AUTHOR, APP_NAME
from satchel.core.paths import default_library_dir as default_library_dir  # library.path's default
from satchel.core.paths import resources_dir as resources_dir  # the bundled icons and fonts

log = logging.getLogger("satchel.settings")

Value = bool | int | str


@dataclass(frozen=True)
class Option:
    """One setting: its key, type, default and the words the settings dialog shows."""

    key: str
    default: Value
    label: str
    description: str
    choices: tuple[str, ...] = ()  # for text options with a fixed set of values
    minimum: int | None = None
    maximum: int | None = None
    roles: frozenset[str] = frozenset({"rep", "marketer", "admin"})  # who the dialog shows it

    def concerns(self, role: str) -> bool:
        """Whether people with `role` see this setting (a rep never imports or backs up)."""
        return role in self.roles

    def check(self, value: object) -> Value:
        """The value if it fits this option, else `ValidationError` with a sentence."""
        kind = type(self.default)
        if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
            raise ValidationError([f"{self.label}: expected {_KIND_WORDS[kind]}."])
        if self.choices and value not in self.choices:
            raise ValidationError([f"{self.label}: choose one of {', '.join(self.choices)}."])
        if isinstance(value, int) and not isinstance(value, bool):
            if self.minimum is not None and value < self.minimum:
                raise ValidationError([f"{self.label}: at least {self.minimum}."])
            if self.maximum is not None and value > self.maximum:
                raise ValidationError([f"{self.label}: at most {self.maximum}."])
        if isinstance(value, str) and len(value) > 1000:
            raise ValidationError([f"{self.label}: at most 1,000 characters."])
        return value


_KIND_WORDS = {bool: "yes or no", int: "a whole number", str: "text"}

OPTIONS: tuple[Option, ...] = (
    Option("library.path", "", "Library folder",
           "Where your library lives. Empty: the standard folder for this computer."),
    Option("search.delay_ms", 150, "Search-as-you-type delay",
           "Milliseconds to wait after a keystroke before searching.", minimum=0, maximum=2000),
    Option("view.mode", "grid", "Results view", "Show results as a thumbnail grid or a list.",
           choices=("grid", "list")),
    Option("view.expiring_days", 30, "Expiring soon: days ahead",
           "How far ahead “Expiring soon” looks for expiry and review dates.",
           minimum=1, maximum=365),
    Option("profile.default_role", "admin", "Role of a new library's owner",
           "The role the first profile of a new library gets (whoever creates a library "
           "owns it, unless the administrator presets a role).",
           choices=("rep", "marketer", "admin"), roles=frozenset({"admin"})),
    Option("profile.user", "", "Who acts on the command line",
           "The email of the profile `satchel` commands act as when --user is not given "
           "(empty: the library's only profile).", ),
    Option("import.status", "draft", "Status of imported assets",
           "Whether new imports start as drafts or published.", choices=("draft", "published"),
           roles=frozenset({"marketer", "admin"})),
    Option("requests.review_days", 2, "Review target for requests",
           "Working days marketing has to decide a request before it shows as overdue.",
           minimum=1, maximum=30, roles=frozenset({"marketer", "admin"})),
    Option("hub.url", "", "Team hub address",
           "The team hub this laptop meets (postgresql://you@hub.example.com/satchel); "
           "empty: this library works alone. The password is never kept here."),
    Option("hub.sync_minutes", 10, "Sync with the hub every (minutes)",
           "How often the desktop meets the team hub in the background; 0: only when "
           "you choose Sync Now.", minimum=0, maximum=1440),
    Option("sync.keep_files", "all", "Files kept on this laptop",
           "all: every file of the team's library; kept: only templates, the collections "
           "named below and what you open (the rest is fetched when you open it).",
           choices=("all", "kept")),
    Option("sync.keep_collections", "", "Collections kept on this laptop",
           "Names of the collections whose files this laptop keeps when only kept files "
           "are, separated by commas (an administrator may preset them for a role or "
           "territory)."),
    Option("reports.pseudonymize", False, "Pseudonyms for reps in reports",
           "Exports and reports name reps by a stable pseudonym (Rep 3f2a9c), never by "
           "name; an administrator's policy may require it.",
           roles=frozenset({"marketer", "admin"})),
    Option("insights.unused_days", 90, "Unused after (days)",
           "An asset published for a month or more with no use in this many days is "
           "listed as unused in the insights and the weekly pack.", minimum=7, maximum=730,
           roles=frozenset({"marketer", "admin"})),
    Option("feedback.outcome_days", 14, "Ask for an account's outcome after (days)",
           "How long after collateral was used with an account the rep is asked how it "
           "went.", minimum=1, maximum=365),
    Option("backups.keep", 10, "Backups to keep", "Older automatic backups are removed.",
           minimum=1, maximum=100, roles=frozenset({"admin"})),
)  # fmt: skip
BY_KEY = {option.key: option for option in OPTIONS}

SETTINGS_VERSION = 1
# Upgrades of the user file, from the version in the key to the next one.
MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {
    0: lambda values: values,  # files written before versioning
}


@dataclass(frozen=True)
class SettingsFiles:
    """Where the three layers are read from."""

    user: Path
    machine_defaults: Path | None = None
    policy: Path | None = None


def default_files() -> SettingsFiles:
    """The platform locations (SATCHEL_MACHINE_CONFIG moves the machine files, for
    administrators trying a policy out and for tests)."""
    user = Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)) / "settings.toml"
    machine = os.environ.get("SATCHEL_MACHINE_CONFIG")
    if machine:
        folder = Path(machine)
    elif sys.platform == "win32":
        folder = Path(os.environ.get("PROGRAMDATA", r"C:\ProgramData")) / APP_NAME
    elif sys.platform == "darwin":
        folder = Path("/Library/Application Support") / APP_NAME
    else:
        folder = Path("/etc/satchel")
    return SettingsFiles(user, folder / "defaults.toml", folder / "policy.toml")


@dataclass(frozen=True)
class EffectiveSetting:
    """One setting as `admin policy show` and the diagnostics bundle report it."""

    key: str
    value: Value
    source: str
    locked: bool


class Settings:
    """The effective settings and which of them the administrator has locked."""

    def __init__(self, files: SettingsFiles) -> None:
        self.files = files
        self.problems: list[str] = []  # sentences about unreadable or invalid files
        self._machine = self._read_layer(files.machine_defaults)
        self._policy = self._read_layer(files.policy)
        self._registry: dict[str, Value] = {}
        if sys.platform == "win32":  # Group Policy writes the registry; it wins over the file
            self._registry = self._valid(_registry_policy(), "the Windows policy")
            self._policy.update(self._registry)
        self._user = self._read_layer(files.user, user=True)

    @classmethod
    def default(cls) -> Settings:
        """The settings from this computer's standard locations."""
        return cls(default_files())

    def value(self, key: str) -> Value:
        """The effective value of a declared key."""
        option = BY_KEY[key]
        for layer in (self._policy, self._user, self._machine):
            if key in layer:
                return layer[key]
        return option.default

    def kept_files(self) -> tuple[bool, frozenset[str]]:
        """(whether every team file is kept on this laptop, the names of the collections
        whose files are), from sync.keep_files and sync.keep_collections."""
        names = str(self.value("sync.keep_collections")).split(",")
        kept = frozenset(name.strip() for name in names if name.strip())
        return self.value("sync.keep_files") == "all", kept

    def source(self, key: str) -> str:
        """Where the effective value of `key` comes from, as an administrator reads it:
        "policy /etc/satchel/policy.toml", "user …", "machine default …" or "default"."""
        if key in self._registry:
            return rf"policy HKLM\Software\Policies\{APP_NAME}\{key}"
        for name, layer, path in (("policy", self._policy, self.files.policy),
                                  ("user", self._user, self.files.user),
                                  ("machine default", self._machine,
                                   self.files.machine_defaults)):  # fmt: skip
            if key in layer:
                return f"{name} {path}"
        return "default"

    def effective(self) -> list[EffectiveSetting]:
        """Every declared setting: its value, where it comes from, whether it is locked."""
        return [EffectiveSetting(o.key, self.value(o.key), self.source(o.key),
                                 self.is_locked(o.key)) for o in OPTIONS]  # fmt: skip

    def is_locked(self, key: str) -> bool:
        """True if the machine policy sets this key (users cannot change it)."""
        return key in self._policy

    def set(self, key: str, value: Value) -> None:
        """Change and save a user setting (refused for locked keys and bad values)."""
        if key not in BY_KEY:
            raise ValidationError([f"There is no setting called {key!r}."])
        if self.is_locked(key):
            raise KnownError(f"{BY_KEY[key].label} is set by your administrator.")
        self._user[key] = BY_KEY[key].check(value)
        self._save()

    def reset(self, key: str) -> None:
        """Forget the user's value, falling back to machine defaults or the built-in one."""
        if self._user.pop(key, None) is not None:
            self._save()

    def _save(self) -> None:
        data = {"version": SETTINGS_VERSION, **dict(sorted(self._user.items()))}
        try:
            write_atomic(self.files.user, tomli_w.dumps(data).encode())
        except OSError as error:
            raise KnownError(
                f"Your settings could not be saved to {self.files.user} "
                f"({error.strerror or error})."
            ) from None

    def _read_layer(self, path: Path | None, user: bool = False) -> dict[str, Value]:
        if path is None or not path.is_file():
            return {}
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
            self.problems.append(f"{path} could not be read and was ignored ({error}).")
            log.warning("settings file %s unreadable: %s", path, error)
            return {}
        if user:
            version = data.pop("version", 0)
            if not isinstance(version, int) or version > SETTINGS_VERSION:
                self.problems.append(f"{path} is from a newer Satchel; its values were kept.")
            else:
                for step in range(version, SETTINGS_VERSION):
                    data = MIGRATIONS[step](data)
        return self._valid(_flatten(data), str(path))

    def _valid(self, values: Mapping[str, object], source: str) -> dict[str, Value]:
        valid = {}
        for key, value in values.items():
            option = BY_KEY.get(key)
            if option is None:
                self.problems.append(f"{source}: unknown setting {key!r} was ignored.")
                continue
            try:
                valid[key] = option.check(value)
            except ValidationError as error:
                self.problems.append(f"{source}: {error} The value was ignored.")
        return valid


def _flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, object]:
    """`{"search": {"delay_ms": 1}}` and `{"search.delay_ms": 1}` both mean the same key."""
    flat: dict[str, object] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _registry_policy() -> dict[str, object]:  # pragma: no cover - Windows only
    """Values under HKLM\\Software\\Policies\\Satchel (value name = setting key)."""
    if sys.platform != "win32":  # winreg exists on Windows only (this tells the type checker)
        return {}
    import winreg

    values: dict[str, object] = {}
    try:
        with winreg.OpenKey(winreg.HKEY_LOCAL_MACHINE, rf"Software\Policies\{APP_NAME}") as key:
            for index in range(winreg.QueryInfoKey(key)[1]):
                name, value, kind = winreg.EnumValue(key, index)
                option = BY_KEY.get(name)
                if option is not None and isinstance(option.default, bool) and kind == 4:
                    value = bool(value)
                values[name] = value
    except OSError:
        pass
    return values
