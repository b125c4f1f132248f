"""Settings layering: built-in defaults < machine defaults < user < machine policy."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from satchel.core.errors import KnownError, ValidationError
from satchel.core.settings import OPTIONS, Settings, SettingsFiles


@pytest.fixture
def files(tmp_path: Path) -> SettingsFiles:
    (tmp_path / "etc").mkdir()
    return SettingsFiles(tmp_path / "user.toml", tmp_path / "etc/defaults.toml",
                         tmp_path / "etc/policy.toml")  # fmt: skip


def test_built_in_defaults_apply_without_any_file(files: SettingsFiles) -> None:
    settings = Settings(files)
    assert all(settings.value(o.key) == o.default for o in OPTIONS)
    assert not any(settings.is_locked(o.key) for o in OPTIONS)
    assert settings.problems == []


def test_each_layer_overrides_the_one_below(files: SettingsFiles) -> None:
    assert files.machine_defaults and files.policy
    files.machine_defaults.write_text('[search]\ndelay_ms = 300\n[view]\nmode = "list"\n')
    files.user.write_text('version = 1\n"search.delay_ms" = 80\n"view.expiring_days" = 14\n')
    files.policy.write_text("[view]\nexpiring_days = 60\n")
    settings = Settings(files)
    assert settings.value("view.mode") == "list"  # machine default, user did not change it
    assert settings.value("search.delay_ms") == 80  # user beats machine default
    assert settings.value("view.expiring_days") == 60  # policy beats user
    assert settings.is_locked("view.expiring_days")
    assert not settings.is_locked("search.delay_ms")


def test_a_locked_key_cannot_be_changed(files: SettingsFiles) -> None:
    assert files.policy
    files.policy.write_text('"view.mode" = "grid"\n')
    settings = Settings(files)
    with pytest.raises(KnownError, match="set by your administrator"):
        settings.set("view.mode", "list")
    assert not files.user.exists()


def test_user_changes_persist_as_toml(files: SettingsFiles) -> None:
    Settings(files).set("search.delay_ms", 250)
    assert tomllib.loads(files.user.read_text()) == {"version": 1, "search.delay_ms": 250}
    assert Settings(files).value("search.delay_ms") == 250
    settings = Settings(files)
    settings.reset("search.delay_ms")
    assert Settings(files).value("search.delay_ms") == 150


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [("search.delay_ms", "fast", "whole number"), ("search.delay_ms", 99_999, "at most 2000"),
     ("view.mode", "tiles", "choose one of"), ("view.mode", True, "expected text"),
     ("nope", 1, "no setting called")],
)  # fmt: skip
def test_bad_values_are_refused_with_a_reason(files: SettingsFiles, key: str, value: object,
                                              message: str) -> None:  # fmt: skip
    with pytest.raises(ValidationError, match=message):
        Settings(files).set(key, value)  # type: ignore[arg-type]


def test_damaged_or_wrong_files_are_reported_and_ignored(files: SettingsFiles) -> None:
    assert files.policy and files.machine_defaults
    files.user.write_bytes(b"\xff\xfe not toml [[[")
    files.machine_defaults.write_text('"view.mode" = "tiles"\n"colour" = "red"\n')
    files.policy.write_text('"search.delay_ms" = 50\n')
    settings = Settings(files)
    assert settings.value("view.mode") == "grid"
    assert settings.value("search.delay_ms") == 50
    assert len(settings.problems) == 3
    assert any("could not be read" in p for p in settings.problems)
    assert any("unknown setting 'colour'" in p for p in settings.problems)


def test_a_newer_user_file_is_kept_not_rewritten(files: SettingsFiles) -> None:
    files.user.write_text('version = 99\n"view.mode" = "list"\n')
    settings = Settings(files)
    assert settings.value("view.mode") == "list"
    assert any("newer Satchel" in p for p in settings.problems)


def test_every_setting_is_documented_for_administrators() -> None:
    from satchel.core.settings import OPTIONS

    admin_page = (Path(__file__).resolve().parents[2] / "docs" / "ADMIN.md").read_text()
    missing = [o.key for o in OPTIONS if f"| `{o.key}` |" not in admin_page]
    assert not missing, f"docs/ADMIN.md has no row for {missing}"
