"""Which target kinds exist and what each needs, as the app tells forms/ at start.

forms/ never imports sync/ (DESIGN §4), yet the store must refuse a target of an unknown kind and
a deployment profile must say which secrets a target needs. So the app (the desktop start and the
command line) calls `sync.kinds.install()` once; it hands this module one `KindEntry` per kind
and a way to ask the keyring whether a secret is set. A kind's code is loaded only when a
question needs it (`KindEntry.load`), so installing costs nothing at start-up.

Nothing installed: every question but `is_installed` raises `KindsNotInstalled`. That is a
mistake in the program, not in the data: without the list the store cannot tell a real kind
from a typo, and guessing would let a misspelt target into the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from forms.i18n import tr


@dataclass
class TargetConfig:
    """A configured platform. Secrets are not here: they come from the keyring at send time."""

    id: int
    name: str
    kind: str
    url: str | None = None
    forms: list[str] = field(default_factory=list)  # empty = all forms
    branches: list[str] = field(default_factory=list)  # branch names; empty = all branches
    template: str | None = None  # Jinja2 source overriding the default
    options: dict[str, str] = field(default_factory=dict)
    enabled: bool = True
    uid: str = ""  # never reused: with the data folder's id it names the keyring entries


class OptionFacts(Protocol):
    """One option a kind understands (see sync/kind.py's `Option`)."""

    name: str

    def problem(self, value: str) -> str | None:
        """Why `value` is not valid for this option, in Chinese; None when it is."""
        ...


class KindFacts(Protocol):
    """What forms/ asks of a kind's code (every kind in sync/ offers it; see sync/kind.py).

    A kind whose required secrets depend on its options (rest: on `auth`) also offers
    `required_secrets_for(options) -> tuple[str, ...]`."""

    secret_names: tuple[str, ...]  # every keyring entry it may read
    required_secrets: tuple[str, ...]  # those it cannot send without
    options: tuple[OptionFacts, ...]  # every option it understands

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """Chinese messages for what is missing or wrong before anything is sent."""
        ...

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """The part of `config_problems` that does not depend on the secrets."""
        ...

    def addresses(self, target: TargetConfig) -> list[str]:
        """The URLs among the target's (non-secret) settings that records and secrets go to."""
        ...


@dataclass(frozen=True)
class KindEntry:
    """One target kind: its name, its title for people, and how to load its code."""

    name: str
    title: str
    load: Callable[[], KindFacts]


class KindsNotInstalled(RuntimeError):
    """Asked about target kinds before the app installed them (a program error)."""

    def __init__(self) -> None:
        super().__init__(
            "target kinds are not installed: call sync.kinds.install() at start "
            "(tests: the autouse fixture in tests/conftest.py does)"
        )


# secret_is_set(store, target, name): does this data folder's keyring entry hold that secret?
SecretIsSet = Callable[[Any, Any, str], bool]


@dataclass(frozen=True)
class _Registry:
    kinds: dict[str, KindEntry]
    secret_is_set: SecretIsSet


_installed: _Registry | None = None


def install(kinds: Iterable[KindEntry], secret_is_set: SecretIsSet) -> None:
    """Make these the known target kinds (in this order); `secret_is_set(store, target, name)`
    says whether the keyring holds that secret of the target in the store's data folder (False
    when there is no keyring). Replaces any earlier installation, so calling it twice is harmless."""
    global _installed
    _installed = _Registry({entry.name: entry for entry in kinds}, secret_is_set)


def uninstall() -> None:
    """Forget the installed kinds (for tests of what happens before `install`)."""
    global _installed
    _installed = None


def is_installed() -> bool:
    """Has the app installed the target kinds?"""
    return _installed is not None


def _registry() -> _Registry:
    if _installed is None:
        raise KindsNotInstalled()
    return _installed


def kind_names() -> tuple[str, ...]:
    """The names of every known kind, in the order they were installed."""
    return tuple(_registry().kinds)


def is_kind(name: str) -> bool:
    """Is `name` a known target kind?"""
    return name in _registry().kinds


def kind_title(name: str) -> str:
    """A kind's title for people (钉钉群机器人 …, in the chosen language); an unknown name is
    shown as it is."""
    entry = _registry().kinds.get(name)
    return tr(entry.title) if entry else name


def _kind(name: str) -> KindFacts | None:
    entry = _registry().kinds.get(name)
    return entry.load() if entry else None


def secret_names(kind: str) -> tuple[str, ...]:
    """Every secret a target of this kind may read from the keyring (() for unknown kinds)."""
    code = _kind(kind)
    return tuple(code.secret_names) if code else ()


def required_secrets(kind: str, options: Mapping[str, str] | None = None) -> tuple[str, ...]:
    """The secrets a target of this kind, with these options, cannot send without."""
    code = _kind(kind)
    if code is None:
        return ()
    by_options = getattr(code, "required_secrets_for", None)
    if by_options is not None:
        return tuple(by_options(dict(options or {})))
    return tuple(code.required_secrets)


def config_problems(config: TargetConfig, secrets: Mapping[str, str] | None = None) -> list[str]:
    """Chinese messages for what is wrong with a target's settings. forms/ never reads the
    keyring, so without `secrets` a secret the target still needs is among the problems."""
    code = _kind(config.kind)
    if code is None:
        return [_unknown_kind(config.kind)]
    return list(code.config_problems(config, dict(secrets or {})))


def settings_problems(config: TargetConfig) -> list[str]:
    """What is wrong with the target's own settings, whatever its secrets: its options (names
    and values) and what its kind checks without a secret. Shown even with no keyring."""
    code = _kind(config.kind)
    if code is None:
        return [_unknown_kind(config.kind)]
    found = option_problems(config.kind, config.options)
    return found + [p for p in code.settings_problems(config) if p not in found]


def _unknown_kind(kind: str) -> str:
    return tr("未知的平台类型“{kind}”，可选：{kind_names}").format(
        kind=kind, kind_names=", ".join(kind_names())
    )


def option_names(kind: str) -> tuple[str, ...]:
    """The options a kind understands, in the order it lists them (() for unknown kinds)."""
    code = _kind(kind)
    return tuple(option.name for option in code.options) if code else ()


def option_problems(kind: str, options: Mapping[str, Any] | None) -> list[str]:
    """Chinese messages for options this kind does not know (naming the ones it does) and for
    values an option does not take. The one check behind the window, the command line and
    deployment profiles. A blank value means "the default" and is always fine."""
    code = _kind(kind)
    if code is None:
        return [_unknown_kind(kind)]
    known = {option.name: option for option in code.options}
    found = []
    for name, value in (options or {}).items():
        option = known.get(str(name))
        if option is None:
            found.append(
                tr("{kind_title}没有“{name}”这个选项；可用的选项：{known}").format(
                    kind_title=kind_title(kind), name=name, known="、".join(known) or tr("（无）")
                )
            )
            continue
        text = "" if value is None else str(value).strip()
        problem = option.problem(text) if text else None
        if problem:
            found.append(
                tr("选项 {name} 的值“{text}”无效：{problem}").format(
                    name=name, text=text[:60], problem=problem
                )
            )
    return found


def addresses(config: TargetConfig) -> list[str]:
    """The URLs in the target's settings that its records and secrets go to (rest: the address,
    update_url, test_url); a robot's webhook is a secret and not among them."""
    code = _kind(config.kind)
    return [url for url in code.addresses(config) if url] if code else []


def record_problems(
    config: TargetConfig, facts: Mapping[str, object], data: Mapping[str, object]
) -> list[str]:
    """Chinese messages for why a record about to be made final cannot go to this target whole
    (an Excel cell would cut a value), or []. A kind that has no such limit does not offer
    `record_problems(target, facts, data)`; `facts` are the record's uuid, revision, form_id,
    branch, operator."""
    code = _kind(config.kind)
    check = getattr(code, "record_problems", None)
    return list(check(config, dict(facts), dict(data))) if check is not None else []


def waits_for_person(kind: str) -> bool:
    """Does a person carry this kind's deliveries to the platform (kind `copy`: typed in by
    hand)? Its deliveries wait as `awaiting_entry` from the start; the engine sends nothing.
    A kind says so with `by_hand = True`."""
    code = _kind(kind)
    return bool(getattr(code, "by_hand", False)) if code is not None else False


YES_WORDS = ("1", "true", "yes", "on", "是", "允许")
NO_WORDS = ("0", "false", "no", "off", "否", "不允许")
PLAIN_HTTP_OPTION = "allow_plain_http"


def is_yes(value: object) -> bool:
    """A yes/no option's value read as yes ("1", "true", "yes", "on", "是", "允许")."""
    return str(value or "").strip().lower() in YES_WORDS


def allows_plain_http(options: Mapping[str, Any] | None) -> bool:
    """Has a person allowed this target to send over plain http:// (a county intranet with no
    TLS)? Loopback addresses need no allowance."""
    return is_yes((options or {}).get(PLAIN_HTTP_OPTION))


def secret_is_set(store: Any, target: Any, name: str) -> bool:
    """Does this laptop's keyring hold the secret `name` of this target of the store's data
    folder? (Never its value.)"""
    return bool(_registry().secret_is_set(store, target, name))
