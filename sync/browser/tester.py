"""The recipe tester: open the platform's form, fill it with a sample record, stop before
submitting, and list every field that could not be filled (the IT staff's check of a recipe,
from `yici targets test NAME` and the window's 测试 button). Nothing is ever submitted and no
delivery is touched.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.catalog import Catalog
from forms.expressions import ExpressionError, compile_expression
from forms.i18n import tr
from forms.paper.page_context import sample_data
from forms.store import Store
from forms.store.attachments import plain_copies
from sync.browser.devtools import BrowserGone, BrowserProblem
from sync.browser.filling import FieldProblem, is_empty
from sync.browser.kind import KIND, recipe_of
from sync.browser.recipe import Recipe, RecipeProblem
from sync.browser.run import BROWSER_LOCK, PROFILE, RunBusy, browser_opener, target_secrets
from sync.browser.session import Person, RunProblem, Session, origin_of
from sync.copy_fields import variables
from sync.lock import try_lock

SAMPLE_TEXT = "测试（请勿提交）"
# A 1×1 grey PNG: what the upload button is given in place of a record's photos.
SAMPLE_PHOTO = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108000000003a7e9b55"
    "0000000a49444154789c636800000082008177cd72b60000000049454e44ae426082"
)


@dataclass
class TrialReport:
    """What the tester found: the fields filled, those it could not fill, a screenshot of the
    filled form, and why it could not reach the form at all."""

    filled: list[str] = field(default_factory=list)
    missing: list[FieldProblem] = field(default_factory=list)
    # Fields shown only after a choice the sample did not make (its choices take the first option).
    unchecked: list[str] = field(default_factory=list)
    screenshot: bytes | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem and not self.missing

    def summary(self) -> str:
        if self.problem:
            return self.problem
        said = tr("已试填 {filled} 个字段，没有提交").format(filled=len(self.filled))
        if self.unchecked:
            said += tr("；{labels} 只在选择某些选项后出现，样例没有选到，未检查").format(
                labels="、".join(self.unchecked)
            )
        if not self.missing:
            return said + tr("；所有字段都找到了")
        lines = [said + tr("；以下 {count} 个字段没能填写：").format(count=len(self.missing))]
        return "\n".join(lines + [f"  - {m.message}" for m in self.missing])


def _sample(form: Any) -> dict[str, Any]:
    return sample_data(form) if form else {}


def _values_given(recipe: Recipe, form: Any) -> int:
    """How many of the recipe's fields a made-up record of `form` gives a value."""
    names = variables({}, _sample(form))
    count = 0
    for f in recipe.fields:
        try:
            count += not is_empty(compile_expression(f.value.expression).evaluate(names))
        except ExpressionError:
            pass
    return count


def sample_names(store: Store, target: Any, recipe: Recipe, operator: str = "") -> dict[str, Any]:
    """What the recipe's expressions see for a made-up record: of the target's form (of the
    installed form the recipe's fields fit best when the target takes every form); every text
    says it is a test, choices take their first option."""
    catalog = Catalog(store.data_dir)
    forms = [catalog.get(name) for name in target.forms] if target.forms else catalog.all()
    form = max(forms, key=lambda f: _values_given(recipe, f), default=None)
    data = _sample(form)

    def made_up(value: Any) -> Any:
        if value in ("x", "y"):
            return SAMPLE_TEXT
        if value == "x\ny":
            return SAMPLE_TEXT + "\n" + SAMPLE_TEXT
        if isinstance(value, list):
            return [made_up(v) for v in value]
        return value

    data = {key: made_up(value) for key, value in data.items()}
    branches = store.branches()
    facts = {
        "uuid": "0" * 32,
        "revision": 1,
        "form_id": form.id if form else "",
        "form_title": form.title if form else "",
        "branch": branches[0].name if branches else SAMPLE_TEXT,
        "operator": operator,
        "status": "final",
        "is_correction": False,
    }
    return variables(facts, data)


def try_recipe(
    store: Store,
    target: str | int,
    person: Person,
    *,
    operator: str = "",
    open_browser: Any = None,
    keep_open: bool = True,
) -> TrialReport:
    """Fill the target's form with a sample record and stop before submitting; with `keep_open`
    the person looks at it in the browser until they continue."""
    report = TrialReport()
    found = store.target(target)
    try:
        recipe = recipe_of(found.config())
    except RecipeProblem as exc:
        report.problem = tr("配方有误：{problems}").format(problems="；".join(str(p) for p in exc.problems))
        return report
    held = try_lock(store.data_dir, BROWSER_LOCK)
    if held is None:
        raise RunBusy()
    session: Session | None = None
    with held, plain_copies("test") as uploads:
        sample = uploads / "样例照片.png"
        sample.write_bytes(SAMPLE_PHOTO)
        try:
            secrets = target_secrets(store, found, recipe)
            origins = {origin_of(url) for url in KIND.addresses(found.config())}
            opener = open_browser or browser_opener(store.data_dir)
            session = Session(recipe, secrets, person, opener, origins)
            session.start()
            session.reach_form()
            person.say(tr("正在用样例记录试填（不会提交）"))
            names = sample_names(store, found, recipe, operator)
            problems = session.fill(names, lambda value: [sample], keep_going=True)
            after = {(f.find.what, f.line) for f in recipe.fields if f.after}
            report.unchecked = [p.label for p in problems if p.missing and (p.label, p.line) in after]
            report.missing = [p for p in problems if p.label not in report.unchecked]
            report.filled = [label for label, _ in session.typed]
            shot = session.shot("before")
            report.screenshot = shot.png if shot else None
            if keep_open:
                person.pause(tr("浏览器中是用样例填好的表单（没有提交）。看过后点“继续”关闭浏览器"))
        except (RunProblem, BrowserProblem) as exc:
            if not isinstance(exc, BrowserGone) or not report.filled:
                report.problem = session.scrub(exc.message) if session else exc.message
        finally:
            if session is not None:
                session.close()
            shutil.rmtree(Path(store.data_dir) / PROFILE, ignore_errors=True)
    return report


__all__ = ["SAMPLE_TEXT", "TrialReport", "sample_names", "try_recipe"]
