"""What a target still needs before it can send: which secrets it uses and whether each is set
(never their values; a webhook shown masked), the problems in its own settings (shown even when
there is no keyring), the warning for plain http, and the next steps to print after adding one.

forms/ and sync/ are imported inside the functions: building the parser must stay quick.
"""

from __future__ import annotations

from desktop.cli.output import err

# --- secrets ----------------------------------------------------------------------------------------


def applicable_secrets(target) -> tuple[str, ...]:
    """The secret names this target actually uses (REST: the one its `auth` option needs)."""
    from forms import target_kinds

    if target.kind == "rest":
        return target_kinds.required_secrets(target.kind, target.options)
    return target_kinds.secret_names(target.kind)


def read_secrets(store, target) -> dict[str, str] | None:
    """The secrets the target uses, from this data folder's keyring entries; None without a keyring."""
    from sync import secrets as keyring_secrets

    names = applicable_secrets(target)
    if not names:
        return {}
    try:
        return keyring_secrets.secrets_for(store, target, names)
    except keyring_secrets.NoKeyring:
        return None


def secrets_state(store, target) -> tuple[dict[str, dict], str | None]:
    """({name: {'set': bool, 'shown': masked webhook or None}}, problem) without any secret value."""
    from forms.secrecy import masked
    from sync import secrets as keyring_secrets

    names = applicable_secrets(target)
    if not names:
        return {}, None
    try:
        found = keyring_secrets.secrets_for(store, target, names)
    except keyring_secrets.NoKeyring as exc:
        return {name: {"set": None, "shown": None} for name in names}, exc.message
    state = {}
    for name in names:
        value = found.get(name)
        shown = masked(value) if value and "://" in value else None
        state[name] = {"set": bool(value), "shown": shown}
    return state, None


def secrets_text(state: dict[str, dict], problem: str | None) -> str:
    """The secrets state as one table cell: each name, set or not."""
    if problem:
        return "钥匙串不可用"
    if not state:
        return "不需要"
    parts = []
    for name, info in state.items():
        word = "已设置" if info["set"] else "未设置"
        parts.append(f"{name} {word}" + (f"（{info['shown']}）" if info["shown"] else ""))
    return "；".join(parts)


# --- settings -----------------------------------------------------------------------------------------


def target_problems(kind, target, secrets: dict[str, str] | None) -> list[str]:
    """What is missing or wrong in the target's settings and these secrets; with `secrets` None
    (no keyring) the problems of its own settings alone, which no keyring can fix."""
    from forms import target_kinds

    try:
        found = target_kinds.settings_problems(target.config())
        if secrets is not None:
            found += [p for p in kind.config_problems(target.config(), secrets) if p not in found]
        return found
    except Exception as exc:  # a kind's bug must not hide that the target was saved
        return [f"无法检查设置（{type(exc).__name__}）"]


def plain_http_warning(target) -> str | None:
    """The plain-http warning every view of a target shows (sync/secret_binding.py), or None."""
    from sync.secret_binding import plain_http_warning as warning

    return warning(target)


def warn_plain_http(target) -> None:
    """The plain-http warning on stderr, when the target sends over plain http."""
    warning = plain_http_warning(target)
    if warning:
        err(f"⚠ {target.name}：{warning}")


def tidy_keyring(store) -> str | None:
    """Delete keyring entries no target can reach any more (removed, or made for an old address).
    None when done, "" with no keyring (nothing can be there), else the keyring's refusal (they
    are deleted on its next use)."""
    from sync import secrets as keyring_secrets

    try:
        keyring_secrets.tidy(store)
    except keyring_secrets.KeyringFailed as exc:
        return exc.message
    except keyring_secrets.NoKeyring:
        return ""
    return None


def report_problems(problems: list[str], heading: str = "还需处理才能发送：") -> None:
    """The problems on stderr under `heading`; nothing when there are none."""
    if problems:
        err(heading, *(f"  · {p}" for p in problems))


def next_steps(kind, target) -> None:
    """What to run next for a new target: save its secrets, then send a test message."""
    # Robots need their webhook (signing is optional); REST needs what its `auth` names.
    needed = tuple(kind.required_secrets) or applicable_secrets(target)
    steps = [f"`yici targets secret {target.name} --name {n}`（从标准输入保存 {n}）" for n in needed]
    what = "在浏览器中试填表单，不提交" if target.kind == "browser" else "发一条测试消息"
    steps.append(f"`yici targets test {target.name}`（{what}）")
    err("下一步：" + "，然后 ".join(steps))
