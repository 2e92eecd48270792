"""What the browser-kind tests share: a web-form target for the stand-in platform made from the
worked-example recipes of docs/recipes/, its account in the in-memory keyring, a meeting with
photos, and a person at the laptop who answers the run's questions as a script says."""

from __future__ import annotations

from pathlib import Path

from sync import secrets as keyring_secrets
from sync.browser.run import Run, RunReport
from tests.sync.engine_setup import OPERATOR, Village
from tests.sync.headless import start
from tests.sync.standin_platform import PASSWORD, USER, StandinPlatform

RECIPES = Path(__file__).resolve().parents[2] / "docs" / "recipes"
EXAMPLE_ORIGIN = "http://127.0.0.1:8701"
# A PNG that is a picture (1×1, grey): what a phone's photo is to the upload button.
PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
    "0000000a49444154789c636800000082008177cd72b60000000049454e44ae426082"
)


def recipe_for(platform: StandinPlatform, name: str, change: dict[str, str] | None = None) -> str:
    """A worked-example recipe pointed at this stand-in (`change`: text replaced, first place only)."""
    text = (RECIPES / name).read_text(encoding="utf-8").replace(EXAMPLE_ORIGIN, platform.url)
    for old, new in (change or {}).items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def browser_target(village: Village, platform: StandinPlatform, name: str, **change: str):
    """A `browser` target filling the stand-in, its account and password in the keyring."""
    store = village.store
    target = store.add_target(
        "县党员教育管理系统",
        "browser",
        options={"recipe": recipe_for(platform, name, change), "allow_plain_http": "yes"},
    )
    for secret, value in (("user", platform.user), ("password", platform.password)):
        keyring_secrets.set_secret(store, target, secret, value)
    return store.target(target.id)


def meeting_with_photos(village: Village, n: int = 1, photos: int = 2, **values):
    """A final 三会一课 record with `photos` photos, held on 2026-11-0n."""
    store = village.store
    draft, _ = village.records.new("sanhui-yike", village.branch_id, {"meeting_type": "支部委员会"}, OPERATOR)
    added = [
        store.add_attachment(draft.uuid, PHOTO + bytes([n, k]), name=f"IMG_{n}{k}.png") for k in range(photos)
    ]
    data = {
        **draft.data,
        "title": f"2026年11月长坪村党支部第{n}次支部委员会",
        "host": "王建国",
        "topics": "学习二十届四中全会精神",
        "content": "一、传达学习；\n二、研究部署冬季党员教育。",
        "held_at": f"2026-11-0{n}T09:30",
        "photos": [{"sha256": p.sha256, "name": p.name} for p in added],
        **values,
    }
    village.records.save_draft(draft.uuid, data, OPERATOR)
    record, _ = village.records.finalize(draft.uuid, OPERATOR)
    return record


class ScriptedPerson:
    """The person at the laptop: every line said is kept; pauses are answered `True` (done);
    `submit` presses the form's button when told the form is ready (as a person checking it
    would), `stop_at` asks to stop when a line with that text is said."""

    def __init__(self, submit: bool = False, stop_at: str = ""):
        self.lines: list[str] = []
        self.pauses: list[str] = []
        self.submit = submit
        self.stop_at = stop_at
        self.run: Run | None = None
        self._stop = False

    def say(self, text: str) -> None:
        self.lines.append(text)
        if self.stop_at and self.stop_at in text:
            self._stop = True
        if self.submit and text.startswith("已填好") and self.run and self.run.session:
            page = self.run.session.page
            page.act(lambda: page.click("text", "保存"))

    def pause(self, text: str) -> bool:
        self.pauses.append(text)
        return not self._stop

    def stopped(self) -> bool:
        return self._stop


def run_entries(village: Village, target, person: ScriptedPerson, folder: Path, **kwargs) -> RunReport:
    """One run in a headless Chromium whose profile lives in `folder`."""
    run = Run(village.store, target.id, OPERATOR, person, open_browser=lambda: start(folder), **kwargs)
    person.run = run
    return run.run()


__all__ = [
    "PASSWORD",
    "PHOTO",
    "USER",
    "ScriptedPerson",
    "browser_target",
    "meeting_with_photos",
    "recipe_for",
    "run_entries",
]
