"""The rules of the house (DESIGN §4, STYLE.md), read from the source itself.

- forms/ never imports sync/, desktop/, hub/ or Qt; sync/ and hub/ never import desktop/ or Qt —
  anywhere in a file, inside functions too;
- no import cycles inside a room;
- no command module of the command line imports another command module;
- every module opens with a docstring saying its one job and is short enough to read in one
  sitting (~400 lines; translations, data and tests aside).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ROOMS = ("forms", "sync", "desktop", "hub", "resources")
FORBIDDEN = {
    "forms": ("sync", "desktop", "hub", "PySide6", "shiboken6"),
    "sync": ("desktop", "hub", "PySide6", "shiboken6"),
    "hub": ("desktop", "PySide6", "shiboken6"),
}
MAX_LINES = 400
# The command line's shared helpers; every other module in desktop/cli/ is one command group.
CLI_SHARED = {
    "desktop.cli",
    "desktop.cli.__main__",
    "desktop.cli.usage",
    "desktop.cli.output",
    "desktop.cli.exits",
    "desktop.cli.logs",
    "desktop.cli.context",
    "desktop.cli.delivery_status",
    "desktop.cli.record_text",
    "desktop.cli.record_input",
    "desktop.cli.record_photos",
    "desktop.cli.target_input",
    "desktop.cli.target_status",
    "desktop.cli.target_test",
    "desktop.cli.browser_person",
    "desktop.cli.paper_output",
}


def _modules(room: str) -> dict[str, Path]:
    """{dotted name: file} of every module in a room."""
    found = {}
    for path in sorted((ROOT / room).rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _all_modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for room in ROOMS:
        found.update(_modules(room))
    return found


def imports(path: Path, name: str, modules: dict[str, Path]) -> list[tuple[int, str]]:
    """(line, imported module) for every import statement anywhere in the file."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.append((node.lineno, full if full in modules else base))
    return out


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_a_room_never_imports_what_it_must_not(room):
    modules = _modules(room)
    if room != "hub":
        assert modules, f"{room}/ has no modules"
    bad = [
        f"{path.relative_to(ROOT)}:{line} imports {target}"
        for name, path in modules.items()
        for line, target in imports(path, name, modules)
        if target.split(".")[0] in FORBIDDEN[room]
    ]
    assert bad == []


@pytest.mark.parametrize("room", ["forms", "sync", "hub"])
def test_no_import_cycles_in_a_room(room):
    modules = _modules(room)
    graph = {
        name: sorted({t for _, t in imports(path, name, modules) if t in modules and t != name})
        for name, path in modules.items()
    }
    cycles = []
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in graph[name]:
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target) :] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[name] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_no_command_module_imports_another():
    modules = _modules("desktop")
    commands = {n for n in modules if n.startswith("desktop.cli.") and n not in CLI_SHARED}
    assert commands, "the command line should have command modules"
    bad = [
        f"{modules[name].relative_to(ROOT)}:{line} imports {target}"
        for name in commands
        for line, target in imports(modules[name], name, modules)
        if target in commands and target != name
    ]
    assert bad == []


def test_every_module_says_its_job_and_is_short():
    problems = []
    for path in _all_modules().values():
        text = path.read_text(encoding="utf-8")
        lines = text.count("\n")
        if lines > MAX_LINES:
            problems.append(f"{path.relative_to(ROOT)}: {lines} lines (at most {MAX_LINES})")
        if not ast.get_docstring(ast.parse(text)):
            problems.append(f"{path.relative_to(ROOT)}: no docstring saying its job")
    assert problems == []


def test_the_rule_checker_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def late():\n    from sync.kinds import kind_for\n    import PySide6\n", encoding="utf-8"
    )
    assert [t for _, t in imports(sample, "forms.sample", {})] == ["sync.kinds", "PySide6"]
