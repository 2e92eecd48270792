"""Read form definitions (YAML, DESIGN §5) and say precisely what is wrong with them.

The YAML is composed into nodes (forms/yaml_lines.py) rather than loaded as plain data, so that
every problem carries the line of the key or value it is about; form_reader.py walks the nodes,
field_options.py reads the options that depend on a field's type. `check_text` never raises;
`parse_form` raises FormProblem listing every problem at once.
"""

from __future__ import annotations

from forms.i18n import tr
from forms.loader.form_reader import CADENCE_KEYS, CHECK_KEYS, TOP_KEYS, FormReader, say
from forms.model import Form
from forms.yaml_lines import Limits, Problem, YamlRefused, compose, read_text, short

__all__ = [
    "CADENCE_KEYS",
    "CHECK_KEYS",
    "FORM_LIMITS",
    "TOP_KEYS",
    "FormProblem",
    "Problem",
    "check_text",
    "load_form",
    "parse_form",
]

# The largest built-in form is about 5 KB and 360 nodes; these leave room for forms a hundred
# times larger, yet refuse a hostile file before it costs more than a fraction of a second.
FORM_LIMITS = Limits(max_chars=500_000, max_nodes=30_000, max_depth=64)


class FormProblem(Exception):
    """A form definition that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


def _read(text: str, file: str) -> tuple[Form | None, list[Problem]]:
    if not isinstance(text, str):
        return None, [Problem(file, 0, say(tr("表单文件内容不是文字"), "form text is not a string"))]
    try:
        root = compose(text, file, FORM_LIMITS)
    except YamlRefused as exc:
        return None, [exc.problem]
    if root is None:
        return None, [Problem(file, 1, say(tr("表单文件是空的"), "form file is empty"))]
    reader = FormReader(file)
    form = reader.form(root, text)
    return form, reader.problems


def check_text(text: str, file: str = "<string>") -> list[Problem]:
    """Every problem in a form definition; an empty list means it can be used. Never raises."""
    try:
        return _read(text, file)[1]
    except Exception as exc:  # noqa: BLE001 - promised never to raise; report rather than crash
        return [Problem(file, 0, say(tr("无法检查表单"), f"cannot check form: {short(exc)}"))]


def parse_form(text: str, file: str = "<string>") -> Form:
    """The Form defined by `text`; raises FormProblem listing every problem."""
    try:
        form, problems = _read(text, file)
    except Exception as exc:  # noqa: BLE001
        raise FormProblem(
            [Problem(file, 0, say(tr("无法检查表单"), f"cannot check form: {short(exc)}"))]
        ) from exc
    if problems or form is None:
        raise FormProblem(problems or [Problem(file, 0, say(tr("表单无法使用"), "form cannot be used"))])
    return form


def load_form(path) -> Form:
    """Read a form file (UTF-8); any problem, including an unreadable file, is a FormProblem."""
    try:
        text = read_text(path, FORM_LIMITS)
    except YamlRefused as exc:
        raise FormProblem([exc.problem]) from None
    return parse_form(text, str(path))
