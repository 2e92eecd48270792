"""Kind `browser`: Yici fills a platform's own web form in the browser already on the laptop.

A target holds a recipe (sync/browser/recipe.py; docs/PLATFORMS.md) in its option `recipe`, and the
platform's account and password in the keyring as its secrets `user` and `password`, bound to the
recipe's addresses like every secret. Its deliveries wait as `awaiting_entry` from the moment they
are queued (`by_hand`): a person starts a run (the window's 在浏览器中录入, `yici browser run`),
so they are there for a captcha and, unless the recipe says `auto_submit`, press submit themselves
(sync/browser/run.py). The engine never opens a browser by itself. Until a run, the same values
can be copied by hand (the copy panel reads the recipe's fields).
"""

from __future__ import annotations

from typing import Any

from forms.i18n import tr, tr_noop
from sync.browser.recipe import Recipe, RecipeProblem, parse_recipe
from sync.copy_fields import Field
from sync.kind import ATTENTION, DELIVERED, PHOTO_OPTIONS, PLAIN_HTTP, Attempt, Option, Outgoing, TargetConfig

AWAITING = "awaiting_entry"
SECRET_NAMES = ("user", "password")
RECIPE_NAME = tr_noop("配方")  # how messages name a recipe kept in a target (lines as in the file)


def recipe_text(target: TargetConfig) -> str:
    return str((target.options or {}).get("recipe") or "")


def recipe_of(target: TargetConfig) -> Recipe:
    """The target's checked recipe; RecipeProblem (lines as in the file it came from) otherwise."""
    return parse_recipe(recipe_text(target), f"{tr(RECIPE_NAME)}（{target.name}）")


def recipe_problem(text: str) -> str | None:
    """Why a recipe text cannot be used (every problem with its line), or None."""
    if not text.strip():
        return tr("请写配方（YAML），见 docs/PLATFORMS.md")
    try:
        recipe = parse_recipe(text, tr(RECIPE_NAME))
    except RecipeProblem as exc:
        return "；".join(str(p) for p in exc.problems)
    wrong = [name for name in recipe.secrets if name not in SECRET_NAMES]
    if wrong:
        return tr("配方中的密钥名只能是 user（账号）和 password（密码），不能是“{names}”").format(
            names="、".join(wrong)
        )
    return None


def copy_fields(target: TargetConfig) -> list[Field]:
    """The recipe's fields as a copy list (label = how the recipe finds it): the copy panel
    shows them when a person types the record in by hand instead."""
    return [field.value for field in recipe_of(target).fields]


class BrowserKind:
    """A platform's web form, filled by Yici in a run a person starts."""

    name = "browser"
    by_hand = True  # forms/target_kinds.py: deliveries wait for a person's run
    idempotent = False  # a form submitted twice is two records; runs recover their own
    secret_names = SECRET_NAMES
    required_secrets: tuple[str, ...] = ()
    rate_limits: tuple[tuple[int, float], ...] = ()
    # The upload button gets clean copies of the photos (sync/photo_copies.py; sync/browser/run.py).
    options = (Option("recipe", check=recipe_problem), PLAIN_HTTP, *PHOTO_OPTIONS)

    def required_secrets_for(self, options: dict[str, str]) -> tuple[str, ...]:
        """The account and password when the recipe logs in."""
        try:
            recipe = parse_recipe(str(options.get("recipe") or ""), tr(RECIPE_NAME))
        except RecipeProblem:
            return ()
        return recipe.secrets

    def addresses(self, target: TargetConfig) -> list[str]:
        """Every address the recipe opens: the secrets are bound to them."""
        try:
            recipe = recipe_of(target)
        except RecipeProblem:
            return []
        urls = [recipe.start_url] + [s.url for s in recipe.steps if s.url]
        if recipe.duplicate_check:
            urls.append(recipe.duplicate_check.url)
        return list(dict.fromkeys(urls))

    def settings_problems(self, target: TargetConfig) -> list[str]:
        """The recipe must be there and right (secrets are checked when a run starts)."""
        problem = recipe_problem(recipe_text(target))
        return [problem] if problem else []

    def config_problems(self, target: TargetConfig, secrets: dict[str, str]) -> list[str]:
        """The recipe, and the account and password it logs in with."""
        problems = self.settings_problems(target)
        if problems:
            return problems
        missing = [name for name in self.required_secrets_for(target.options) if not secrets.get(name)]
        if missing:
            problems.append(
                tr(
                    "还没有填写账号或密码（{names}）："
                    "请在“推送平台”里点“填写密钥…”，或运行 yici targets secret"
                ).format(
                    names="、".join({"user": tr("账号"), "password": tr("密码")}.get(n, n) for n in missing)
                )
            )
        return problems

    def send(self, item: Outgoing, http: Any = None) -> Attempt:
        """Nothing is sent by the engine: the delivery waits for a person's run."""
        return Attempt(AWAITING, tr("等待在浏览器中录入"))

    def send_test(self, target: TargetConfig, secrets: dict[str, str], http: Any = None) -> Attempt:
        """The recipe and the secrets are checked; the browser test itself is the recipe tester
        (sync/browser/tester.py), which the command line and the window open instead."""
        problems = self.config_problems(target, secrets)
        if problems:
            return Attempt(ATTENTION, "；".join(problems))
        count = len(recipe_of(target).fields)
        return Attempt(DELIVERED, tr("配方无误，共 {count} 个字段").format(count=count))


KIND = BrowserKind()

__all__ = ["AWAITING", "BrowserKind", "KIND", "SECRET_NAMES", "copy_fields", "recipe_of", "recipe_problem"]
