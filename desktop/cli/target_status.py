"""What a target still needs before it can send: which secrets it uses and whether each is set
(never their values; a webhook shown masked), the problems its kind finds in its settings, and
the next steps to print after adding one.

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


def secrets_state(target) -> tuple[dict[str, dict], str | None]:
    """({name: {'set': bool, 'shown': masked webhook or None}}, problem) without any secret value."""
    from forms.secrecy import masked
    from sync import secrets as keyring_secrets

    names = applicable_secrets(target)
    if not names:
        return {}, None
    try:
        found = keyring_secrets.secrets_for(target.id, names)
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


def target_problems(kind, target, secrets: dict[str, str]) -> list[str]:
    """What the kind finds missing or wrong in the target's settings and these secrets."""
    try:
        return kind.config_problems(target.config(), secrets)
    except Exception as exc:  # a kind's bug must not hide that the target was saved
        return [f"无法检查设置（{type(exc).__name__}）"]


def report_problems(problems: list[str], heading: str = "还需处理才能发送：") -> None:
    """The problems on stderr under `heading`; nothing when there are none."""
    if problems:
        err(heading, *(f"  · {p}" for p in problems))


def next_steps(kind, target) -> None:
    """What to run next for a new target: save its secrets, then send a test message."""
    # Robots need their webhook (signing is optional); REST needs what its `auth` names.
    needed = tuple(kind.required_secrets) or applicable_secrets(target)
    steps = [f"`yici targets secret {target.name} --name {n}`（从标准输入保存 {n}）" for n in needed]
    steps.append(f"`yici targets test {target.name}`（发一条测试消息）")
    err("下一步：" + "，然后 ".join(steps))
