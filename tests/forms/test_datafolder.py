"""Which data folder is used: explicit, environment, portable folder, user data folder."""

from __future__ import annotations

import sys

import platformdirs

from forms import datafolder
from forms.datafolder import resolve_data_dir


def test_explicit_wins_over_everything(tmp_path, monkeypatch):
    monkeypatch.setenv("YICI_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir(tmp_path / "given") == tmp_path / "given"
    assert resolve_data_dir(str(tmp_path / "given")) == tmp_path / "given"


def test_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("YICI_DATA_DIR", str(tmp_path / "env"))
    assert resolve_data_dir() == tmp_path / "env"


def test_portable_folder_beside_the_frozen_executable(tmp_path, monkeypatch):
    monkeypatch.delenv("YICI_DATA_DIR", raising=False)
    (tmp_path / "yici.exe").write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "yici.exe"))
    user_dir = platformdirs.user_data_dir("Yici", appauthor=False)
    assert str(resolve_data_dir()) == user_dir  # no yici-data folder: not portable
    (tmp_path / "yici-data").mkdir()
    assert resolve_data_dir() == (tmp_path / "yici-data").resolve()


def test_portable_folder_beside_the_script_when_not_frozen(tmp_path, monkeypatch):
    monkeypatch.delenv("YICI_DATA_DIR", raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    script = tmp_path / "yici"
    script.write_text("")
    (tmp_path / "yici-data").mkdir()
    monkeypatch.setattr(sys, "argv", [str(script)])
    assert resolve_data_dir() == (tmp_path / "yici-data").resolve()


def test_user_data_dir_otherwise(monkeypatch):
    monkeypatch.delenv("YICI_DATA_DIR", raising=False)
    monkeypatch.setattr(sys, "argv", ["-c"])
    monkeypatch.setattr(datafolder, "_program_dir", lambda: None)
    assert str(resolve_data_dir()) == platformdirs.user_data_dir("Yici", appauthor=False)
