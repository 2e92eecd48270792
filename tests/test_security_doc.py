"""docs/SECURITY.md names the tests that prove each promise: every name must be a real test, so the
page cannot keep pointing at a test that was renamed or removed."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "SECURITY.md"

# "tests/x/test_y.py::test_z" names a test; a following "::test_w" means the same file.
_REFERENCE = re.compile(r"(tests/[\w/]+\.py)(?:::(test\w*))?|(?<![\w/.])::(test\w*)")


def named_tests(text: str) -> list[tuple[str, str | None]]:
    """(file, test or None) for each reference, in order."""
    found: list[tuple[str, str | None]] = []
    current = None
    for match in _REFERENCE.finditer(text):
        path, name, same_file = match.groups()
        if path:
            current = path
            found.append((path, name))
        elif current is not None:
            found.append((current, same_file))
    return found


def _test_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test")
    }


def test_every_test_named_in_the_security_page_exists():
    references = named_tests(DOC.read_text(encoding="utf-8"))
    assert len(references) > 50  # the page names its proofs; an empty match would prove nothing
    missing = []
    for path, name in references:
        file = ROOT / path
        if not file.is_file():
            missing.append(path)
        elif name is not None and name not in _test_names(file):
            missing.append(f"{path}::{name}")
    assert missing == []


def test_the_reader_follows_same_file_references():
    text = "tests/a/test_b.py::test_one, ::test_two and tests/c.py"
    assert named_tests(text) == [
        ("tests/a/test_b.py", "test_one"),
        ("tests/a/test_b.py", "test_two"),
        ("tests/c.py", None),
    ]
