"""What every command works with: the open data folder, who is typing, and lookups by the names
people type (a branch by name or code, a form by id).

Loaded with every command module when the parser is built, so forms/ modules are imported inside
the functions: `--help` and `--version` must not pay for SQLite, YAML and Jinja2.
"""

from __future__ import annotations

import contextlib
import getpass
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.cli.exits import CliError

if TYPE_CHECKING:
    from desktop.session import Session
    from forms.model import Form


# Commands that only read the data folder (or copy it out). On a folder that does not exist, holds
# no data yet, cannot be a data folder or lost its database they say so and create nothing;
# every other command may start a new data folder.
READ_ONLY = frozenset(
    {
        "desktop.cli.forms:forms_list",
        "desktop.cli.branches:branches_list",
        "desktop.cli.branches:members_list",
        "desktop.cli.records:list_",
        "desktop.cli.records:show",
        "desktop.cli.targets:targets_list",
        "desktop.cli.deliveries:deliveries_list",
        "desktop.cli.status:status",
        "desktop.cli.deploy:backup",
        "desktop.cli.deploy:export",
        "desktop.cli.deploy:profile_export",
        "desktop.cli.hub:status",
        "desktop.cli.hub:conflicts",
    }
)


def require_data_for(handler: str, data_dir: Path) -> None:
    """Before a command that only reads: the data must already be there (see READ_ONLY)."""
    if handler in READ_ONLY:
        from forms.store import require_existing_data

        require_existing_data(data_dir)


@contextlib.contextmanager
def open_session(data_dir: Path, *, show_recovery: bool = True) -> Iterator[Session]:
    """The store, catalog and record steps for `data_dir`, closed again when the command ends.
    A recovery key not yet confirmed as written down is shown (or its reminder said) first."""
    from desktop.session import Session

    session = Session.open(data_dir)
    if show_recovery:
        show_new_recovery_key(session.store)
    try:
        yield session
    finally:
        session.close()


def operator(args, session: Session) -> str:
    """Who is typing: --operator, else $YICI_OPERATOR, else the saved setting, else the login name."""
    for name in (getattr(args, "operator", None), os.environ.get("YICI_OPERATOR"), session.operator):
        if name and name.strip():
            return name.strip()
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in some containers and services
        return "未知录入人"


def find_branch(session: Session, name_or_code: str):
    """The branch with this name or code, or a CliError that lists the branches there are."""
    branch = session.store.find_branch(name_or_code)
    if branch is None:
        names = "、".join(b.name for b in session.store.branches()) or "（还没有支部）"
        raise CliError(
            f"找不到支部“{name_or_code}”。现有支部：{names}", "可用 `yici branches add 名称` 添加支部。"
        )
    return branch


def find_form(session: Session, form_id: str) -> Form:
    """The latest version of a form, or a CliError that lists the forms there are."""
    from forms.catalog import UnknownForm

    try:
        return session.catalog.get(form_id)
    except UnknownForm:
        ids = "、".join(f.id for f in session.catalog.all())
        raise CliError(
            f"找不到表单“{form_id}”。可用的表单：{ids}",
            "可用 `yici forms list` 查看，或用 `yici forms add FILE` 安装。",
        ) from None


def record_form(session: Session, record) -> Form:
    """The form version a record was entered with (old versions come from the store)."""
    return session.records.form(record.form_id, record.form_version)


def passphrase_from(file: str | None, what: str = "口令") -> str | None:
    """A passphrase from the file a person named (--passphrase-file; `-` for stdin): the first
    line, without its line break. Never taken as a command-line value (shell history)."""
    import sys

    if not file:
        return None
    try:
        text = sys.stdin.readline() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(f"无法读取{what}文件 {file}：{exc}") from None
    line = text.splitlines()[0] if text.splitlines() else ""
    if not line:
        raise CliError(f"{what}文件 {file} 是空的。")
    return line


def read_line(prompt: str) -> str:
    """One line typed at the terminal (with `prompt`), or read from standard input."""
    import sys

    if sys.stdin.isatty():
        return input(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def ask_at_terminal(purpose: str, data_dir: Path) -> str | None:
    """How the command line asks for the data folder's passphrase (forms/store/keys.py): typed at
    the terminal without echo, twice for a new one; nothing when no person is at a terminal."""
    import sys

    if not sys.stdin.isatty():
        return None
    if purpose == "new":
        first = getpass.getpass(
            f"此电脑没有系统钥匙串。请为数据文件夹 {data_dir} 设置口令（至少 8 个字符）："
        )
        if getpass.getpass("再输入一次：") != first:
            raise CliError("两次输入的口令不一样，没有新建数据。")
        return first
    return getpass.getpass(f"请输入数据文件夹 {data_dir} 的口令：")


def show_new_recovery_key(store) -> None:
    """While the person has not confirmed writing it down, at every command on a terminal: the
    folder's recovery key. With no terminal (a script, a service whose output is kept in logs)
    the key is never printed: the command that made it says once where to see it, and later ones
    say nothing (a script's output stays its own; the window shows the key at its next start)."""
    import sys

    if store.new_recovery_key and (sys.stderr.isatty() or store.key_made_now):
        tell_recovery_key(store.new_recovery_key)
    store.new_recovery_key = None


def tell_recovery_key(text: str) -> None:
    """The recovery key on the terminal (standard error), never into output that is not one:
    there, only where to see it."""
    import sys

    from desktop.cli.output import err

    if not sys.stderr.isatty():
        err(
            "数据已加密，但这个数据文件夹的恢复密钥还没有确认抄写好。"
            "请在终端（命令行窗口）里运行 `yici key recovery` 查看并抄写或打印，"
            "抄好后运行 `yici key recovery --confirm`。"
        )
        return
    err(
        "",
        "=" * 60,
        "数据已加密。这是这个数据文件夹的恢复密钥：",
        "",
        f"    {text}",
        "",
        "请打印或抄写下来，放在安全的地方（不要和电脑放在一起）。",
        "换电脑或系统钥匙串丢失时，用 `yici key unlock --recovery-key` 凭它打开数据。",
        "抄好后请运行 `yici key recovery --confirm`；在那之前，每个命令都会再显示它。",
        "=" * 60,
        "",
    )
