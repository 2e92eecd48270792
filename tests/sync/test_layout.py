"""The sync room has no secret scrubbing or URL masking of its own: forms/secrecy.py is the one
policy (module size and docstrings: tests/test_house_rules.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from forms.secrecy import Scrubber
from sync.kind import PERMANENT, Attempt
from sync.robot import scrubbed

SYNC = Path(__file__).resolve().parents[2] / "sync"
MODULES = sorted(p for p in SYNC.glob("*.py") if p.read_text(encoding="utf-8").strip())
# What forms/secrecy.py owns: a definition of any of these in sync/ would be a second copy.
POLICY_NAMES = {"Scrubber", "_Scrubber", "scrub", "mask_url_secrets", "mask", "masked", "MaskingFormatter"}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_secrets_policy_of_its_own(path):
    defined = {
        node.name for node in ast.walk(_tree(path)) if isinstance(node, (ast.ClassDef, ast.FunctionDef))
    }
    assert not defined & POLICY_NAMES
    assert not (SYNC / "masking.py").exists()


def test_robots_scrub_short_secrets_and_webhook_tokens_like_everyone_else():
    webhook = "https://oapi.dingtalk.com/robot/send?access_token=ab12cd34ef56ab12cd34ef56"
    secrets = {"webhook": webhook, "sign_secret": "k9Xz2"}  # five characters: still a secret
    echoed = f"签名 k9Xz2 不对；地址 {webhook}；令牌 ab12cd34ef56ab12cd34ef56"
    attempt = scrubbed(Attempt(PERMANENT, echoed, payload=echoed), secrets)
    for text in (attempt.message, attempt.payload):
        assert "k9Xz2" not in text and "ab12cd34ef56ab12cd34ef56" not in text
        assert text == Scrubber(secrets.values())(echoed)
