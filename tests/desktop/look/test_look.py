"""A test that looks like a person: on a real X server at the screens cadres have, every window and
dialog at every text size and language, with a roster of long names, shows every text whole and
every button on the screen.

One process per screen (tests/desktop/look/tour.py loops text sizes and languages), run side by
side. The 150% screen is Qt's own scaling (QT_SCALE_FACTOR=1.5): the same device-pixel-ratio path
a desktop set to 144 dpi takes, without needing a resource database on the test server.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
SCREENS = {
    "1024x768": ((1024, 768), {}),
    "1366x768": ((1366, 768), {}),
    "1920x1080 at 150%": ((1920, 1080), {"QT_SCALE_FACTOR": "1.5"}),
}
# Windows the tour must have opened at each size and language: a tour that stopped early fails.
EXPECTED = (
    "main window",
    "settings",
    "branches and rosters",
    "roster import",
    "targets",
    "new target",
    "cadence",
    "deliveries",
    "entries to enter",
    "copy entry",
    "delivery details",
    "run in the browser",
    "run in the browser, paused",
    "run in the browser, ended",
    "recipe test",
    "targets, web form chosen",
    "delivery details with screenshots",
    "screenshot",
    "error",
    "about",
    "first run",
    "join the township hub",
    "conflict with the township hub",
    "editor new sanhui-yike",
    "editor draft 支部委员会",
    "finalize",
    "void",
    "history",
    "editor final 支部委员会",
    "editor visit with photos",
    "editor visit, its photos",
    "photo viewer",
    "phone folder",
    "photo place",
    "recovery key to open the data",
    "recovery key of a backup",
)
TIMEOUT = 300


class XServer:
    """A virtual X screen of the given size, on a display number the server picks itself."""

    def __init__(self, width: int, height: int):
        read, write = os.pipe()
        self.process = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        if not number:
            self.process.kill()
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, dict]:
    """Each screen's tour report (tour.py's JSON), the tours run side by side."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (apt-get install xvfb; .ci/run and ./dev install it)")
    folder = tmp_path_factory.mktemp("look")
    servers: list[XServer] = []
    children = {}
    try:
        for name, ((width, height), extra) in SCREENS.items():
            server = XServer(width, height)
            servers.append(server)
            out = folder / f"{width}x{height}.json"
            env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "YICI_", "LC_"))}
            env.update(
                DISPLAY=server.display,
                QT_QPA_PLATFORM="xcb",
                LANG="C.UTF-8",
                PYTHONPATH=str(REPO),
                **extra,
            )
            env.pop("WAYLAND_DISPLAY", None)
            child = subprocess.Popen(
                [sys.executable, "-m", "tests.desktop.look.tour", "--out", str(out)],
                cwd=REPO,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                encoding="utf-8",
                errors="replace",
            )
            children[name] = (child, out)
        found = {}
        for name, (child, out) in children.items():
            output, _ = child.communicate(timeout=TIMEOUT)
            assert child.returncode == 0 and out.exists(), f"the tour at {name} failed:\n{output[-4000:]}"
            found[name] = json.loads(out.read_text(encoding="utf-8"))
        return found
    finally:
        for child, _ in children.values():
            if child.poll() is None:
                child.kill()
        for server in servers:
            server.stop()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_window_opened_on_a_real_x_screen(reports, screen):
    report = reports[screen]
    assert report["platform"] == "xcb"
    (width, height), extra = SCREENS[screen]
    scale = float(extra.get("QT_SCALE_FACTOR", 1))
    assert report["screen"] == [round(width / scale), round(height / scale)]
    for size in ("standard", "large", "xlarge"):
        for language in ("zh_CN", "en"):
            seen = {
                line.split(" ", 1)[1] for line in report["seen"] if line.startswith(f"{size}/{language} ")
            }
            missing = [name for name in EXPECTED if name not in seen]
            assert not missing, f"{screen} {size}/{language}: the tour did not open {missing}"


@pytest.mark.parametrize("screen", list(SCREENS))
def test_no_text_is_cut_and_every_button_is_on_screen(reports, screen):
    problems = reports[screen]["problems"]
    shown = "\n".join(problems[:60]) + (f"\n… and {len(problems) - 60} more" if len(problems) > 60 else "")
    assert not problems, (
        f"At {screen}, {len(problems)} things a person would see cut or cannot reach:\n{shown}"
    )
