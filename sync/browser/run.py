"""A run: the records waiting for one web-form platform, entered in one browser sitting, with
the ledger kept as the run goes.

For each delivery: the platform's list is searched first (when the recipe can), and a record
found there is marked delivered with a screenshot of the list, never entered again. Otherwise the
delivery is marked `sending`, the form is filled, a screenshot is taken, and the form is
submitted (by Yici with `auto_submit`, else by the person after checking it). The platform's sign
of success makes it delivered, with a screenshot after. A field the page lacks stops the run and
marks the platform as needing attention, naming the field. Whatever cut the run short (the browser
closed, the process killed), a delivery left `sending` is recovered at the end of the run or at
the start of the next (forms/store/browser_entries.py). One run at a time per data folder.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forms.i18n import tr
from forms.store import Delivery, Store
from forms.store.attachments import plain_copies
from sync import secret_binding
from sync import secrets as keyring_secrets
from sync.browser.devtools import Browser, BrowserGone, BrowserProblem
from sync.browser.filling import FieldProblem
from sync.browser.kind import KIND, recipe_of
from sync.browser.recipe import Recipe, RecipeProblem
from sync.browser.session import (
    PERSON_SECONDS,
    SUBMIT_SECONDS,
    Person,
    RunProblem,
    Session,
    Shot,
    origin_of,
    scrubber,
)
from sync.copy_fields import variables
from sync.copy_photos import safe_name
from sync.kind import Outgoing
from sync.lock import try_lock
from sync.outgoing import Parcels
from sync.photo_copies import FileProblem, sent_name

BROWSER_LOCK = ".yici-browser.lock"
PROFILE = "browser"  # the browser's profile folder in the data folder, emptied at each run


class RunBusy(Exception):
    """Another run is at a platform's web form for this data folder."""

    def __init__(self) -> None:
        self.message = tr("另一个窗口或命令正在浏览器中录入，请等它结束后再试。")
        super().__init__(self.message)


@dataclass
class RunReport:
    """What a run did, for the person: counts, a line per record, and why it stopped early."""

    entered: int = 0
    found: int = 0
    refused: int = 0
    left: int = 0  # not submitted, or left for the next run
    lines: list[str] = field(default_factory=list)
    problem: str = ""

    def summary(self) -> str:
        if self.problem and not (self.entered or self.found or self.refused or self.left):
            return self.problem
        said = tr(
            "已录入 {entered} 条，平台上已有 {found} 条，被平台拒绝 {refused} 条，未录入 {left} 条"
        ).format(entered=self.entered, found=self.found, refused=self.refused, left=self.left)
        return f"{said}。{self.problem}" if self.problem else said


def browser_opener(data_dir: Path, headless: bool = False) -> Callable[[], Browser]:
    """Starts the laptop's browser with a fresh profile inside the data folder."""

    def open_browser() -> Browser:
        profile = Path(data_dir) / PROFILE
        shutil.rmtree(profile, ignore_errors=True)
        return Browser(folder=profile, headless=headless)

    return open_browser


def target_secrets(store: Store, target: Any, recipe: Recipe) -> dict[str, str]:
    """The account and password from the keyring, checked to be going where they were entered
    for (RunProblem otherwise, or when there is no keyring)."""
    if not recipe.secrets:
        return {}
    config = target.config()
    try:
        secrets = keyring_secrets.secrets_for(store, config, recipe.secrets)
    except keyring_secrets.NoKeyring as exc:
        raise RunProblem(exc.message) from None
    unsafe = secret_binding.sending_problem(target, KIND, config, secrets)
    if unsafe:
        raise RunProblem(unsafe)
    return secrets


class Run:
    """One run over one target's waiting deliveries (`only`: these record uuids)."""

    def __init__(
        self,
        store: Store,
        target: str | int,
        operator: str,
        person: Person,
        *,
        open_browser: Callable[[], Browser] | None = None,
        only: set[str] | None = None,
    ):
        self.store = store
        self.target = store.target(target)
        self.operator = operator
        self.person = person
        self.open_browser = open_browser or browser_opener(store.data_dir)
        self.only = only
        self.report = RunReport()
        self.uploads: Path | None = None  # while a run goes on: the folder of the files it uploads
        self.retry_safe = False
        self.session: Session | None = None  # while the browser is open

    def waiting(self) -> list[Delivery]:
        return [
            d
            for d in self.store.entries_waiting()
            if d.target_id == self.target.id and (self.only is None or d.record_uuid in self.only)
        ]

    def run(self) -> RunReport:
        held = try_lock(self.store.data_dir, BROWSER_LOCK)
        if held is None:
            raise RunBusy()
        with held:
            try:
                recipe = recipe_of(self.target.config())
            except RecipeProblem as exc:
                self.report.problem = tr("配方有误：{problems}").format(
                    problems="；".join(str(p) for p in exc.problems)
                )
                return self.report
            self.retry_safe = recipe.duplicate_check is not None
            self.store.recover_browser_entries(self.target.id, self.retry_safe)
            waiting = self.waiting()
            if not waiting:
                self.report.problem = tr("没有等待录入“{name}”的记录").format(name=self.target.name)
                return self.report
            try:
                with plain_copies("upload") as self.uploads:
                    self._sitting(recipe, waiting)
            finally:
                self.store.recover_browser_entries(self.target.id, self.retry_safe)
                shutil.rmtree(Path(self.store.data_dir) / PROFILE, ignore_errors=True)
        return self.report

    def _sitting(self, recipe: Recipe, waiting: list[Delivery]) -> None:
        secrets: dict[str, str] = {}
        session: Session | None = None
        try:
            secrets = target_secrets(self.store, self.target, recipe)
            origins = {origin_of(url) for url in KIND.addresses(self.target.config())}
            session = self.session = Session(recipe, secrets, self.person, self.open_browser, origins)
            session.start()
            for number, delivery in enumerate(waiting, 1):
                if self.person.stopped():
                    break
                self.person.say(tr("第 {number}/{count} 条").format(number=number, count=len(waiting)))
                if not self._one(session, recipe, delivery):
                    break
        except RunProblem as exc:
            self._stop(exc.message, exc.attention, secrets)
        except BrowserGone:
            self._stop(tr("浏览器已关闭，录入停止"), False, secrets)
        except BrowserProblem as exc:
            self._stop(exc.message, False, secrets)
        finally:
            if session is not None:
                self.session = None
                session.close()
        self.report.left = len(self.waiting()) + self._sending()

    def _sending(self) -> int:
        return len(self.store.deliveries(target_id=self.target.id, state="sending"))

    def _stop(self, message: str, attention: bool, secrets: dict[str, str]) -> None:
        message = scrubber(secrets)(message)
        self.report.problem = message
        if attention:
            self.store.set_target_attention(self.target.id, message)

    def _one(self, session: Session, recipe: Recipe, delivery: Delivery) -> bool:
        """Enter one delivery; False when the run should stop here."""
        item = self._item(delivery)
        names = variables(item.facts(), item.data)
        record = self.store.record(delivery.record_uuid)
        title = " · ".join(p for p in (item.branch, record.summary or record.occurred_on or "") if p)
        found = session.find_entered(names)
        if found is not None:
            self._finish(delivery, "found", tr("平台上已有这条记录，没有重复录入"), [found])
            self.report.found += 1
            self.report.lines.append(tr("{title}：平台上已有，未重复录入").format(title=title))
            return True
        self.store.start_browser_entry(delivery.id)
        try:
            session.reach_form()
            self.person.say(tr("正在填写：{title}").format(title=title))
            session.fill(names, lambda value: self._files(item, value))
        except (FieldProblem, RunProblem) as exc:  # nothing was submitted: it waits again
            attention = getattr(exc, "attention", True) or isinstance(exc, FieldProblem)
            self._finish(delivery, "not_submitted", session.scrub(exc.message), [])
            raise RunProblem(exc.message, attention) from None
        before = session.shot("before")
        if recipe.auto_submit and self.person.stopped():  # asked to stop while it was filling
            self._finish(delivery, "not_submitted", tr("没有提交"), [s for s in (before,) if s])
            self.report.lines.append(tr("{title}：没有提交").format(title=title))
            return False
        if recipe.auto_submit:
            self.person.say(tr("正在提交"))
            session.submit()
            ok = session.wait_for_success(SUBMIT_SECONDS)
        else:
            self.person.say(
                tr("已填好，请在浏览器中核对，无误后点“{button}”").format(button=recipe.submit.what)
            )
            ok = session.wait_for_success(PERSON_SECONDS)
        after = session.shot("after") if ok or recipe.auto_submit else None  # something was submitted
        shots = [s for s in (before, after) if s]
        payload = json.dumps([list(pair) for pair in session.typed], ensure_ascii=False, indent=1)
        if ok:
            self._finish(
                delivery,
                "entered",
                tr("已在平台录入（{how}）").format(
                    how=tr("自动提交")
                    if recipe.auto_submit
                    else tr("{operator} 核对后提交").format(operator=self.operator)
                ),
                shots,
                payload,
            )
            self.report.entered += 1
            self.report.lines.append(tr("{title}：已录入").format(title=title))
            return True
        if self.person.stopped() or not recipe.auto_submit:
            self._finish(delivery, "not_submitted", tr("没有提交"), shots)
            self.report.lines.append(tr("{title}：没有提交").format(title=title))
            return False
        words = session.page_words()
        if session.find_entered(names) is not None:  # saved, though the page did not say so
            self._finish(delivery, "entered", tr("已在平台录入（在列表中核对到）"), shots, payload)
            self.report.entered += 1
            return True
        self._finish(delivery, "refused", tr("平台没有接受：{words}").format(words=words), shots, payload)
        self.report.refused += 1
        self.report.lines.append(tr("{title}：平台没有接受").format(title=title))
        return True

    def _finish(
        self, delivery: Delivery, ending: str, message: str, shots: list[Shot], payload: str = ""
    ) -> None:
        self.store.finish_browser_entry(
            delivery.id,
            self.operator,
            ending,
            message,
            payload=payload,
            proofs=[(s.kind, s.png, s.url) for s in shots],
        )

    def _item(self, delivery: Delivery) -> Outgoing:
        source = self.store.delivery_sources([delivery.id])[delivery.id]
        return Parcels(self.store).outgoing(self.target.config(), {}, delivery, source)

    def _files(self, item: Outgoing, value: Any) -> list[Path]:
        """A files value's files written out for the upload button, named as they were added: photos
        as clean copies (a HEIC as .jpg). A file that cannot go stops the run (nothing submitted)."""
        files = [
            v
            for v in (value if isinstance(value, list) else [value])
            if isinstance(v, dict) and isinstance(v.get("sha256"), str)
        ]
        assert self.uploads is not None, "files are written only while a run goes on"
        paths = []
        for number, file in enumerate(files, 1):
            if item.attachment is None:
                break
            name = str(file.get("name") or number)
            try:  # a photo's clean copy (sync/photo_copies.py), named for what it is now
                data = item.attachment(file["sha256"])
            except FileProblem as exc:
                raise RunProblem(
                    tr("照片/附件“{name}”无法上传：{problem}").format(name=name, problem=exc), attention=False
                ) from None
            path = self.uploads / f"{number:02d}-{safe_name(sent_name(name, data))}"
            path.write_bytes(data)
            paths.append(path)
        return paths
