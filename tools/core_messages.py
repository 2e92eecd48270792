"""Keep resources/i18n/core_<language>.po in step with the messages forms/ and sync/ wrap.

    python tools/core_messages.py          (or ./dev i18n)

Reads every `tr("…")`, `ntr("…", "…", n)` and `tr_noop("…")` in forms/ and sync/, adds the new
messages to each catalog with an empty translation, drops the ones no longer in the code, and
keeps every translation already made. Then fill in the empty `msgstr` lines; the tests fail while
one is empty (tests/test_core_messages.py).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from forms.i18n import CATALOG_DIR, PoEntry, read_po  # noqa: E402

PACKAGES = ("forms", "sync")
WRAPPERS = {"tr": 1, "tr_noop": 1, "ntr": 2}
LANGUAGES = ("en",)


@dataclass
class Found:
    """One message in the code: its text, its plural (for ntr) and where it is used."""

    msgid: str
    plural: str | None = None
    places: list[str] = field(default_factory=list)


def wrapped_calls(tree: ast.AST):
    """(call, wrapper name) for every tr/ntr/tr_noop call in `tree`."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in WRAPPERS:
            yield node, node.func.id


def extract(root: Path = ROOT) -> dict[str, Found]:
    """Every wrapped message in forms/ and sync/, in the order the files and lines give them."""
    found: dict[str, Found] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for call, name in sorted(wrapped_calls(tree), key=lambda c: (c[0].lineno, c[0].col_offset)):
                texts = call.args[: WRAPPERS[name]]
                if len(texts) < WRAPPERS[name] or not all(
                    isinstance(t, ast.Constant) and isinstance(t.value, str) for t in texts
                ):
                    continue  # tr(variable): a table's entry, marked where the table is written
                msgid = texts[0].value  # type: ignore[attr-defined]
                entry = found.setdefault(msgid, Found(msgid))
                if name == "ntr":
                    entry.plural = texts[1].value  # type: ignore[attr-defined]
                entry.places.append(f"{relative}:{call.lineno}")
    return found


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'"{escaped}"'


HEADER = (
    'msgid ""\n'
    'msgstr ""\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Language: {language}\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n'
)


def write_po(language: str, found: dict[str, Found], old: list[PoEntry]) -> str:
    """The catalog text: every message found, with its translation from `old` if it had one."""
    kept = {entry.msgid: entry for entry in old}
    parts = [
        f"# Yici: messages of forms/ and sync/ in {language}. Made by tools/core_messages.py; "
        "translate the msgstr lines.\n" + HEADER.format(language=language)
    ]
    for item in found.values():
        before = kept.get(item.msgid)
        lines = [f"#: {' '.join(item.places[:3])}"]
        lines.append(f"msgid {_quote(item.msgid)}")
        if item.plural is None:
            text = before.strings[0] if before and before.plural is None else ""
            lines.append(f"msgstr {_quote(text)}")
        else:
            lines.append(f"msgid_plural {_quote(item.plural)}")
            strings = before.strings if before and before.plural is not None else ["", ""]
            lines += [f"msgstr[{i}] {_quote(s)}" for i, s in enumerate(strings)]
        parts.append("\n".join(lines) + "\n")
    return "\n".join(parts)


def main() -> int:
    found = extract()
    for language in LANGUAGES:
        path = CATALOG_DIR / f"core_{language}.po"
        old = read_po(path.read_text(encoding="utf-8")) if path.exists() else []
        path.write_text(write_po(language, found, old), encoding="utf-8")
        entries = read_po(path.read_text(encoding="utf-8"))
        missing = sum(1 for e in entries if not all(e.strings))
        print(f"{path.relative_to(ROOT)}: {len(entries)} messages, {missing} to translate")
    return 0


if __name__ == "__main__":
    sys.exit(main())
