"""The `yici` command line as a whole: version, help and usage errors in Chinese, no Qt without
the window, what happens without a display, a crash goes to the log, Chinese under a C locale.
Real subprocesses on a tmp data folder (fixture `yici`)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from forms.store import Store
from tests.helpers import bad, ok


def test_version_help_and_usage_errors(yici):
    assert ok(yici("--version")).stdout.strip() == "yici 0.1.0"
    helped = ok(yici("--help")).stdout
    assert "用法：yici" in helped and "records" in helped and "退出码" in helped
    assert "新建一条记录" in ok(yici("records", "new", "--help")).stdout

    missing = bad(yici("records", "new"), code=2)
    assert "用法错误：缺少必需的参数" in missing.stderr and "用法：yici records new" in missing.stderr
    assert "用法错误" in bad(yici("nonsense"), code=2).stderr
    assert "YYYY-MM" in bad(yici("records", "list", "--month", "11/2026"), code=2).stderr


def test_headless_commands_never_import_qt(yici_env, tmp_path):
    code = (
        "import sys\n"
        "from desktop.cli import main\n"
        "codes = [main(['branches', 'add', '甲村']), main(['forms', 'list']), main(['records', 'list']),\n"
        "         main(['status']), main(['records', 'show', 'nope-nope'])]\n"
        "print(codes, sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken'))))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=yici_env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.stdout.strip().splitlines()[-1] == "[0, 0, 0, 0, 1] []", result.stdout + result.stderr


def test_no_command_without_desktop_says_so(yici_env, tmp_path):
    # Stand in for a machine where the desktop part (or Qt) is missing.
    code = "import sys; sys.modules['desktop.app'] = None\nfrom desktop.cli import main\nsys.exit(main([]))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=yici_env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1 and "无法打开桌面窗口" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only Linux desktops can lack a display")
def test_no_command_without_a_display_says_so(yici_env, tmp_path):
    env = {k: v for k, v in yici_env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run(
        [sys.executable, "-m", "desktop.cli"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1 and "无法打开桌面窗口" in result.stderr


def test_unexpected_error_is_logged_not_shown(yici_env, data_dir, tmp_path):
    Store.open(data_dir).close()
    code = (
        "import sys\nimport forms.store\n"
        "def boom(*a, **k): raise RuntimeError('disk on fire')\n"
        "forms.store.Store.branches = boom\n"
        "from desktop.cli import main\nsys.exit(main(['branches', 'list']))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=yici_env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "程序内部错误" in result.stderr and "yici-cli.log" in result.stderr
    log = (data_dir / "logs" / "yici-cli.log").read_text(encoding="utf-8")
    assert "Traceback" in log and "disk on fire" in log


def test_c_locale_still_prints_chinese(yici, data_dir):
    Store.open(data_dir).close()
    result = ok(yici("forms", "list", env={"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "ascii"}))
    assert "三会一课" in result.stdout


def test_window_options_read_only_what_the_window_takes():
    from desktop.cli import window_options

    assert window_options([]) == {}
    assert window_options(["--data-dir", "/d"]) == {"data_dir": "/d"}
    assert window_options(["--data-dir=/d", "--operator", "张三"]) == {"data_dir": "/d", "operator": "张三"}
    # Anything else is the full parser's: a command, --help, a missing value, an abbreviation.
    for argv in (["records", "list"], ["--help"], ["--data-dir"], ["--data-dir", "--help"], ["--data", "/d"]):
        assert window_options(argv) is None


def test_the_window_starts_without_the_command_tree(yici_env, tmp_path):
    # Stand in for the desktop part so the window path stops where it would import Qt.
    code = (
        "import sys; sys.modules['desktop.app'] = None\n"
        "from desktop.cli import main\n"
        f"code = main(['--data-dir', {str(tmp_path / 'data')!r}])\n"
        "heavy = ('desktop.cli.', 'sync', 'argparse', 'forms.store')\n"
        "print(code, sorted(m for m in sys.modules if m.startswith(heavy)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=yici_env,
        cwd=tmp_path,
        timeout=60,
    )
    assert (
        result.stdout.strip().splitlines()[-1]
        == "1 ['desktop.cli.exits', 'desktop.cli.logs', 'desktop.cli.output']"
    ), result.stdout + result.stderr
