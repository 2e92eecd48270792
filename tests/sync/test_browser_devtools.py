"""Finding and starting the cadre's browser: Edge before Chrome under Program Files on Windows,
Chromium first on Linux, YICI_BROWSER over both; a program that cannot start or quits at once is
said in Chinese, and the profile folder Yici made is removed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from sync.browser.devtools import Browser, BrowserProblem, find_program


def _program(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 3\n")
    path.chmod(0o755)
    return path


def test_on_windows_edge_is_found_before_chrome_wherever_it_is_installed(tmp_path):
    x86, local = tmp_path / "Program Files (x86)", tmp_path / "AppData" / "Local"
    chrome = _program(local / "Google" / "Chrome" / "Application" / "chrome.exe")
    environ = {"ProgramFiles(x86)": str(x86), "LOCALAPPDATA": str(local), "PATH": ""}
    assert find_program(environ, "win32") == str(chrome)
    edge = _program(x86 / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    assert find_program(environ, "win32") == str(edge)


def test_on_linux_chromium_comes_first_and_yici_browser_names_another(tmp_path):
    bin_dir = tmp_path / "bin"
    chrome = _program(bin_dir / "google-chrome")
    assert find_program({"PATH": str(bin_dir)}, "linux") == str(chrome)
    chromium = _program(bin_dir / "chromium")
    assert find_program({"PATH": str(bin_dir)}, "linux") == str(chromium)
    uos = _program(tmp_path / "opt" / "browser" / "browser")  # a Chromium-based browser of its own name
    assert find_program({"PATH": str(bin_dir), "YICI_BROWSER": str(uos)}, "linux") == str(uos)
    assert find_program({"PATH": "", "YICI_BROWSER": str(tmp_path / "none")}, "linux") is None


def test_a_program_that_cannot_start_or_quits_at_once_is_said_in_chinese(tmp_path):
    with pytest.raises(BrowserProblem) as missing:
        Browser(str(tmp_path / "no-such-browser"), tmp_path / "a")
    assert missing.value.message.startswith("无法启动浏览器")
    before = set(os.listdir(tempfile.gettempdir()))
    with pytest.raises(BrowserProblem) as quits:
        Browser(str(_program(tmp_path / "quits")), headless=True)
    assert quits.value.message.startswith("浏览器没有启动")
    assert {
        n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith("yici-browser-")
    } == set()
