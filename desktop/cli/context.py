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
def open_session(data_dir: Path) -> Iterator[Session]:
    """The store, catalog and record steps for `data_dir`, closed again when the command ends."""
    from desktop.session import Session

    session = Session.open(data_dir)
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
