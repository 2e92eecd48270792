"""Which forms exist: the built-in library plus forms installed into the data folder.

A broken installed file must not stop the app: it is left out and its problems are kept in
`Catalog.problems` for the shells to show.
"""

from __future__ import annotations

from pathlib import Path

from forms.atomic import write_atomically
from forms.i18n import tr
from forms.loader import FormProblem, Problem, load_form, parse_form
from forms.model import Form

LIBRARY_DIR = Path(__file__).resolve().parent / "library"


class UnknownForm(KeyError):
    """No form with that id (or version); the message says what is available."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # KeyError would quote the message
        return self.message


def _same_text(a: str, b: str) -> bool:
    return a.replace("\r\n", "\n").strip() == b.replace("\r\n", "\n").strip()


class Catalog:
    """Forms by id and version. `library_dir` is for tests; the app uses the built-in folder."""

    def __init__(self, data_dir: Path | str | None = None, *, library_dir: Path | str | None = None):
        self.data_dir = Path(data_dir) if data_dir is not None else None
        self.library_dir = Path(library_dir) if library_dir is not None else LIBRARY_DIR
        self.problems: list[Problem] = []
        self._forms: dict[tuple[str, int], Form] = {}
        self.reload()

    @property
    def installed_dir(self) -> Path | None:
        """<data_dir>/forms, where installed definitions are copied."""
        return self.data_dir / "forms" if self.data_dir is not None else None

    def reload(self) -> None:
        """Read the library and installed folders again."""
        self._forms.clear()
        self.problems = []
        for folder in (self.library_dir, self.installed_dir):
            if folder is None or not folder.is_dir():
                continue
            for path in sorted(folder.glob("*.yaml")):
                try:
                    self._add(load_form(path))
                except FormProblem as exc:
                    self.problems.extend(exc.problems)

    def _add(self, form: Form) -> None:
        known = self._forms.get((form.id, form.version))
        if known is not None and not _same_text(known.source, form.source):
            # The first one read (built-in before installed) wins; say so rather than guess.
            self.problems.append(
                Problem(
                    form.path,
                    0,
                    (
                        tr(
                            "表单 {id} 第{version}版已存在且内容不同，已忽略此文件 / "
                            "form {id} v{version} already exists with different content; file ignored"
                        ).format(id=form.id, version=form.version)
                    ),
                )
            )
            return
        self._forms.setdefault((form.id, form.version), form)

    def all(self) -> list[Form]:
        """The latest version of each form, sorted by id."""
        latest: dict[str, Form] = {}
        for (form_id, version), form in self._forms.items():
            if form_id not in latest or version > latest[form_id].version:
                latest[form_id] = form
        return [latest[k] for k in sorted(latest)]

    def versions(self, form_id: str) -> list[int]:
        """Known versions of a form, oldest first."""
        return sorted(v for (i, v) in self._forms if i == form_id)

    def get(self, form_id: str, version: int | None = None) -> Form:
        """A form by id (latest version unless one is named); UnknownForm if absent."""
        versions = self.versions(form_id)
        if not versions:
            available = "、".join(f.id for f in self.all()) or tr("（无）")
            raise UnknownForm(
                tr("没有表单“{form_id}”。现有表单：{available} / unknown form {form_id!r}").format(
                    form_id=form_id, available=available
                )
            )
        if version is None:
            return self._forms[(form_id, versions[-1])]
        try:
            return self._forms[(form_id, int(version))]
        except (KeyError, TypeError, ValueError):
            raise UnknownForm(
                tr(
                    "表单“{form_id}”没有第{version}版（现有：{versions}） / "
                    "form {form_id!r} has no version {version}"
                ).format(form_id=form_id, version=version, versions=", ".join(map(str, versions)))
            ) from None

    def add(self, form: Form) -> None:
        """Make a form known for this session only (e.g. an old version remembered by the store)."""
        self._add(form)

    def install(self, path: Path | str) -> Form:
        """Check a form file and copy it to <data_dir>/forms/<id>-v<version>.yaml, with the print
        layout beside it (`x.print.html` beside `x.yaml`) as <id>-v<version>.print.html.

        Installing the same text again changes nothing but the layout (a layout may be improved
        without a new form version). A different definition must carry a higher version than
        every one already known, else FormProblem says which version to use. A layout with
        problems stops the install before anything is copied.
        """
        # Here, not at the top: the catalog is read at every start, a layout only when installing.
        from forms.paper.layouts import LayoutProblem, check_layout, layout_beside

        folder = self._folder_to_install_into()
        form = load_form(path)
        layout = layout_beside(Path(path))
        if layout is not None and not layout.is_file():
            layout = None
        if layout is not None:
            problems = check_layout(layout, form)
            if problems:
                raise LayoutProblem(problems)
        installed = self._install(form, str(path), folder)
        if layout is not None and Path(installed.path).parent == folder:
            target = folder / f"{installed.id}-v{installed.version}.print.html"
            write_atomically(target, layout.read_bytes().decode("utf-8-sig"), prefix=".install-")
        return installed

    def install_text(self, text: str, file: str = "<string>") -> Form:
        """Check a form definition given as text (a deployment profile carries them) and install
        it as `install` does; `file` names it in problems."""
        folder = self._folder_to_install_into()
        return self._install(parse_form(text, file), file, folder)

    def _folder_to_install_into(self) -> Path:
        if self.installed_dir is None:
            raise ValueError(tr("没有数据文件夹，无法安装表单 / no data folder to install into"))
        return self.installed_dir

    def _install(self, form: Form, file: str, folder: Path) -> Form:
        same = self._forms.get((form.id, form.version))
        if same is not None and _same_text(same.source, form.source):
            return same
        versions = self.versions(form.id)
        if versions and form.version <= versions[-1]:
            line = _version_line(form.source)
            raise FormProblem(
                [
                    Problem(
                        file,
                        line,
                        (
                            tr(
                                "表单 {id} 已有第{versions}版，与此文件内容不同；"
                                "请把 version 改为 {number} 再安装 / "
                                "form {id} already has version {versions}; "
                                "set version to {number}"
                            ).format(id=form.id, versions=versions[-1], number=versions[-1] + 1)
                        ),
                    )
                ]
            )
        target = folder / f"{form.id}-v{form.version}.yaml"
        write_atomically(target, form.source, prefix=".install-")
        installed = load_form(target)
        self._forms[(installed.id, installed.version)] = installed
        return installed


def _version_line(source: str) -> int:
    for number, line in enumerate(source.splitlines(), start=1):
        if line.startswith("version"):
            return number
    return 0
