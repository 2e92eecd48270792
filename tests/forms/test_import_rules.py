"""The rules of the house for forms/ (DESIGN §4), read from the source itself: no import of
sync/, desktop/ or Qt anywhere in forms/ (inside functions too), and no import cycles."""
from __future__ import annotations

import ast
from pathlib import Path

FORMS = Path(__file__).resolve().parents[2] / "forms"
FORBIDDEN = ("sync", "desktop", "hub", "PySide6", "shiboken6")


def _modules() -> dict[str, Path]:
    """{dotted name: file} of every module in forms/."""
    found = {}
    for path in sorted(FORMS.rglob("*.py")):
        parts = list(path.relative_to(FORMS.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _imports(path: Path, name: str, modules: dict[str, Path]) -> list[tuple[int, str]]:
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


def test_forms_never_imports_sync_desktop_or_qt():
    modules = _modules()
    assert "forms.store.core" in modules and "forms.target_kinds" in modules
    bad = [f"{path.relative_to(FORMS.parent)}:{line} imports {target}"
           for name, path in modules.items()
           for line, target in _imports(path, name, modules)
           if target.split(".")[0] in FORBIDDEN]
    assert bad == []


def test_forms_has_no_import_cycles():
    modules = _modules()
    graph = {name: sorted({t for _, t in _imports(path, name, modules) if t in modules and t != name})
             for name, path in modules.items()}
    cycles = []
    state: dict[str, int] = {}            # 1 = on the current path, 2 = done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for target in graph[name]:
            if state.get(target) == 1:
                cycles.append(" -> ".join(path[path.index(target):] + [target]))
            elif target not in state:
                visit(target, path + [target])
        state[name] = 2

    for name in graph:
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_rule_checker_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def late():\n    from sync.kinds import kind_for\n    import PySide6\n",
                      encoding="utf-8")
    assert [t for _, t in _imports(sample, "forms.sample", {})] == ["sync.kinds", "PySide6"]
