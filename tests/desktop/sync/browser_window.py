"""What the window's browser tests share: a web-form platform of the stand-in (the worked-example
recipes of docs/recipes/) with its account in the in-memory keyring, and a headless Chromium
started for a dialog the way the app would start the cadre's own browser."""

from __future__ import annotations

from pathlib import Path

import pytest

from sync import secrets as keyring_secrets
from tests.sync.browser_setup import recipe_for
from tests.sync.headless import start
from tests.sync.standin_platform import StandinPlatform

NAME = "县党员教育管理系统"


@pytest.fixture
def standin():
    server = StandinPlatform()
    yield server
    server.close()


def web_form_target(session, platform: StandinPlatform, recipe: str, name: str = NAME, **change: str):
    """A `browser` target filling `platform` with a worked-example recipe, account in the keyring."""
    store = session.store
    target = store.add_target(
        name, "browser", options={"recipe": recipe_for(platform, recipe, change), "allow_plain_http": "是"}
    )
    for secret, value in (("user", platform.user), ("password", platform.password)):
        keyring_secrets.set_secret(store, target, secret, value)
    return store.target(target.id)


def headless(folder: Path):
    """What a dialog opens instead of the cadre's browser: headless Chromium with its profile in
    `folder`."""
    return lambda: start(folder)


def recipe_line(platform: StandinPlatform, recipe: str, text: str) -> int:
    """The line of the recipe holding `text` (as the problems name it)."""
    lines = recipe_for(platform, recipe).splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)
