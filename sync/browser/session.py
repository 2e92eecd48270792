"""One sitting at a platform's web form: the browser opened, logged in once, then for each record
a look at the platform's list (is it there already?), the form filled, a screenshot, the submit
(by the person, or by Yici with `auto_submit`), and the platform's word that it took the record.

The account and password are typed only into a page of the platform the recipe names (the origin
the secrets were entered for) and never appear in a message: every text that leaves this module
has them cut out (`scrub`). No screenshot is kept of a page that shows the password.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from sync.browser.devtools import Browser, BrowserProblem
from sync.browser.filling import FieldProblem, as_text, fill_field
from sync.browser.page import Page
from sync.browser.recipe import Locator, Recipe, Step
from sync.template_filters import show

STEP_SECONDS = 15.0  # a `wait` step, a login's answer
SUBMIT_SECONDS = 30.0  # the platform's answer to an automatic submit
PERSON_SECONDS = 30 * 60.0  # a person checking the form before they press submit
PAGE_TEXT = 300  # characters of a page's words kept in a message


class Person(Protocol):
    """Whoever sits at the laptop during a run (the window's run dialog, the command line)."""

    def say(self, text: str) -> None:
        """Progress, one line."""

    def pause(self, text: str) -> bool:
        """Wait until the person did what `text` asks in the browser; False stops the run."""

    def stopped(self) -> bool:
        """Whether the person asked to stop (asked while waiting for them to submit)."""


@dataclass(frozen=True)
class Shot:
    """A screenshot: `kind` before/after submitting or `found`; the page's address."""

    kind: str
    png: bytes
    url: str


class RunProblem(BrowserProblem):
    """The run cannot go on: the login failed, a step or a field is not where the recipe says.
    `attention` when the target's settings or recipe need a person (not this record)."""

    def __init__(self, message: str, attention: bool = True):
        super().__init__(message)
        self.attention = attention


def scrubber(secrets: dict[str, str]) -> Callable[[str], str]:
    """A function cutting every secret value out of a text."""
    values = sorted({v for v in secrets.values() if v}, key=len, reverse=True)

    def scrub(text: str) -> str:
        for value in values:
            text = text.replace(value, "***")
        return text

    return scrub


def secret_title(name: str) -> str:
    """账号 / 密码 for the recipe's secret names, as the window labels them."""
    return {"user": tr("账号"), "password": tr("密码")}.get(name, name)


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{(parts.hostname or '').lower()}{port}"


class Session:
    """A browser at one platform for one run; `close()` ends it and forgets everything."""

    def __init__(
        self,
        recipe: Recipe,
        secrets: dict[str, str],
        person: Person,
        open_browser: Callable[[], Browser],
        origins: set[str],
    ):
        self.recipe = recipe
        self.secrets = secrets
        self.person = person
        self.origins = origins  # where the account and password may be typed
        self.scrub = scrubber(secrets)
        self.password = secrets.get(recipe.login.password.secret, "") if recipe.login else ""
        self.browser = open_browser()
        self.page = Page(self.browser)
        self.home = recipe.start_url
        self.typed: list[tuple[str, str]] = []  # (the label the page shows, the value) as filled

    def close(self) -> None:
        self.browser.close()

    # ----------------------------------------------------------------------------- getting in

    def start(self) -> None:
        """Open the start page and log in."""
        self.person.say(tr("正在打开 {url}").format(url=self.recipe.start_url))
        self.page.goto(self.recipe.start_url)
        self.log_in()
        self.home = self.page.url()

    def _login_shown(self) -> bool:
        login = self.recipe.login
        return login is not None and self.page.shown(login.password.find.by, login.password.find.what)

    def log_in(self) -> None:
        """Type the account and password (only on the platform's own pages), let the person
        handle a captcha when the recipe pauses, press the login button, and check it worked."""
        login = self.recipe.login
        if login is None or not self.page.wait_until(self._login_shown, 5):
            return
        where = origin_of(self.page.url())
        if where not in self.origins:
            raise RunProblem(
                tr(
                    "登录页在 {where}，不是配方中平台的地址（{origins}）：为安全起见没有填写账号和密码"
                ).format(where=where, origins="、".join(sorted(self.origins)))
            )
        missing = [s.secret for s in (login.user, login.password) if not self.secrets.get(s.secret)]
        if missing:
            raise RunProblem(
                tr("还没有填写账号或密码（{names}）：请在“推送平台”里点“填写密钥…”").format(
                    names="、".join(secret_title(name) for name in missing)
                )
            )
        self.person.say(tr("正在登录"))
        for entry in (login.user, login.password):
            self.page.fill_text(entry.find.by, entry.find.what, self.secrets[entry.secret])
        if login.pause and not self.person.pause(login.pause):
            raise RunProblem(tr("已停止：没有完成登录"), attention=False)
        if self._login_shown() and self.page.exists(login.submit.by, login.submit.what):
            self.page.act(lambda: self.page.click(login.submit.by, login.submit.what))
        if self.page.wait_until(lambda: not self._login_shown(), STEP_SECONDS):
            return
        said = self.scrub(self.page.text())[:PAGE_TEXT].strip()
        raise RunProblem(tr("登录没有成功，平台仍显示登录页：{said}").format(said=" ".join(said.split())))

    def reach_form(self) -> None:
        """From the page after login, the recipe's steps to the form (logging in again when the
        platform ended the session meanwhile)."""
        self.page.goto(self.home)
        if self._login_shown():
            self.log_in()
        for step in self.recipe.steps:
            self._step(step)

    def _step(self, step: Step) -> None:
        if step.action == "goto":
            self.page.goto(step.url)
        elif step.action == "click" and step.find:
            find = step.find
            if not self.page.wait_until(lambda: self.page.shown(find.by, find.what), STEP_SECONDS / 3):
                raise RunProblem(
                    tr("配方第 {line} 行：页面上找不到要点击的“{what}”，平台可能改了页面，请更新配方").format(
                        line=step.line, what=find.what
                    )
                )
            self.page.act(lambda: self.page.click(find.by, find.what))
        elif step.action == "wait":
            if not self.page.wait_until(lambda: step.text in self.page.text(), STEP_SECONDS):
                raise RunProblem(
                    tr("配方第 {line} 行：等了 {seconds} 秒，页面上没有出现“{text}”").format(
                        line=step.line, seconds=int(STEP_SECONDS), text=step.text
                    )
                )
        elif step.action == "pause" and not self.person.pause(step.text):
            raise RunProblem(tr("已停止"), attention=False)

    # ------------------------------------------------------------------------------ a record

    def value(self, source: str, names: dict[str, Any]) -> Any:
        try:
            return compile_expression(source).evaluate(names)
        except ExpressionError as exc:
            raise RunProblem(
                tr("表达式 {source} 无法计算：{message}").format(source=source, message=exc.message),
                attention=False,
            ) from None

    def find_entered(self, names: dict[str, Any]) -> Shot | None:
        """The platform's list holding a row with this record's title and date (a screenshot of
        it), or None; only with a recipe's `duplicate_check`."""
        check = self.recipe.duplicate_check
        if check is None:
            return None
        title, day = (show(self.value(source, names)).strip() for source in (check.title, check.date))
        self.person.say(tr("正在平台列表中查找“{title}”").format(title=title))
        self.page.goto(check.url)
        if self._login_shown():
            self.log_in()
            self.page.goto(check.url)
        search, button = check.search, check.button
        if search:
            self._use(search, check.line)
            self.page.fill_text(search.by, search.what, title)
            if button:
                self._use(button, check.line)
                self.page.act(lambda: self.page.click(button.by, button.what))
            else:  # no button: Enter in the search box, as a person would
                submit = "el.form && el.form.requestSubmit();"
                self.page.act(lambda: self.page.on_element(search.by, search.what, submit))
        found = self.page.evaluate(ROW_SCRIPT % (_js(title), _js(day)))
        return self.shot("found") if found else None

    def _use(self, find: Locator, line: int) -> None:
        if not self.page.wait_until(lambda: self.page.shown(find.by, find.what), STEP_SECONDS / 3):
            raise RunProblem(
                tr("配方第 {line} 行：列表页上找不到“{what}”，请更新配方").format(line=line, what=find.what)
            )

    def fill(
        self, names: dict[str, Any], files: Callable[[Any], list[Path]], *, keep_going: bool = False
    ) -> list[FieldProblem]:
        """Fill the form's fields in the recipe's order. The first problem stops it, unless
        `keep_going` (the recipe tester), which returns every field that could not be filled."""
        problems: list[FieldProblem] = []
        self.typed = []
        for field in self.recipe.fields:
            value = self.value(field.value.expression, names)
            try:
                if fill_field(self.page, field, value, files):
                    label = self.page.label_of(field.find.by, field.find.what) or field.find.what
                    self.typed.append((label, as_text(value)))
            except FieldProblem as problem:
                if not keep_going:
                    raise
                problems.append(problem)
        return problems

    def submit(self) -> None:
        """Press the recipe's submit button (only with `auto_submit`)."""
        find = self.recipe.submit
        if not self.page.exists(find.by, find.what):
            raise RunProblem(tr("页面上找不到提交按钮“{what}”，请更新配方").format(what=find.what))
        self.page.act(lambda: self.page.click(find.by, find.what), SUBMIT_SECONDS)

    def succeeded(self) -> bool:
        """Whether the page says the platform took the record (every sign the recipe names)."""
        success = self.recipe.success
        if success.url and not re.search(success.url, self.page.url()):
            return False
        return not success.text or success.text in self.page.text()

    def wait_for_success(self, seconds: float) -> bool:
        """Whether success shows within `seconds`; False at once when the person stops."""
        return (
            self.page.wait_until(lambda: self.person.stopped() or self.succeeded(), seconds)
            and self.succeeded()
        )

    def page_words(self) -> str:
        """What the page says now, shortened, without secrets (for a refused record's message)."""
        return " ".join(self.scrub(self.page.text()).split())[:PAGE_TEXT]

    def shot(self, kind: str) -> Shot | None:
        """A screenshot of the whole page, unless the page shows the password anywhere (then
        none is kept: proof must never carry it)."""
        if self.password and self.page.evaluate(SHOWS_SECRET % _js(self.password)):
            return None
        return Shot(kind, self.page.screenshot_bytes(full=True), self.page.url())


def _js(text: str) -> str:
    return json.dumps(text)


# A row of the list (a table row, a list item) holding both texts, spaces aside.
ROW_SCRIPT = r"""(() => { const norm = s => (s || '').replace(/\s/g, '');
  const title = norm(%s), day = norm(%s);
  return [...document.querySelectorAll('tr, li, [role=row]')]
    .some(r => { const t = norm(r.innerText); return t.includes(title) && t.includes(day); }); })()"""

# The page's words, title, address and every field's value except password boxes (shown as dots).
SHOWS_SECRET = r"""(() => { const s = %s;
  const texts = [document.body ? document.body.innerText : '', document.title, location.href];
  for (const el of document.querySelectorAll('input, textarea, select'))
    if (el.type !== 'password') texts.push(el.value || '');
  return texts.some(t => t.includes(s)); })()"""
