"""One tab of the browser, doing what a person does: open an address, find a field by its label,
name or CSS selector, type into it, click, read what the page says, take a screenshot.

Fields are found in the page by a small script (FIND) the way a person finds them: by the text of
their <label> (or aria-label, placeholder, a fieldset's legend), ignoring spaces, colons and the
asterisk of a required mark; by their `name`; or by a CSS selector. A visible match wins over a
hidden one, so a field that appears after a choice is found once it shows.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from forms.i18n import tr
from sync.browser.devtools import Browser, BrowserProblem, TooSlow

LOCATOR_KINDS = ("label", "name", "css", "text")
NAVIGATION_GRACE = 1.0  # seconds after a click for a new page to start loading, if it does
POLL = 0.25

FIND = r"""((by, what) => {
  const norm = s => (s || '').replace(/[\s:：*＊]/g, '');
  const want = norm(what);
  const shown = el => !!el && el.getClientRects().length > 0;
  const best = list => list.find(shown) || list[0] || null;
  const own = el => { const c = el.cloneNode(true);
    c.querySelectorAll('input,select,textarea,option').forEach(x => x.remove());
    return norm(c.textContent); };
  if (by === 'css') return best([...document.querySelectorAll(what)]);
  if (by === 'name') return best([...document.getElementsByName(what)]);
  if (by === 'text') return best([...document.querySelectorAll(
      'button,a,input[type=submit],input[type=button],[role=button]')]
    .filter(el => norm(el.textContent || el.value) === want));
  const found = [];
  for (const label of document.querySelectorAll('label'))
    if (own(label) === want && label.control) found.push(label.control);
  for (const el of document.querySelectorAll('input:not([type=hidden]),textarea,select'))
    if (norm(el.getAttribute('aria-label')) === want || norm(el.placeholder) === want) found.push(el);
  for (const legend of document.querySelectorAll('legend'))
    if (norm(legend.textContent) === want) found.push(legend.parentElement);
  return best(found);
})"""


LABEL_OF = r"""const own = l => { const c = l.cloneNode(true);
  c.querySelectorAll('input,select,textarea,option').forEach(x => x.remove()); return c.textContent; };
const label = (el.labels && el.labels[0]) || el.closest('label');
const legend = el.closest('fieldset') && el.closest('fieldset').querySelector('legend');
return (label && own(label)) || el.getAttribute('aria-label') || el.placeholder
  || (legend && legend.textContent) || '';"""


def find_script(by: str, what: str) -> str:
    """A script whose value is the element `by` (label, name, css, text) `what` finds, or null."""
    if by not in LOCATOR_KINDS:
        raise ValueError(by)
    return f"{FIND}({json.dumps(by)}, {json.dumps(what)})"


class NotFound(BrowserProblem):
    """No element on the page answers to a recipe's locator; names it for the person."""

    def __init__(self, by: str, what: str):
        super().__init__(tr("页面上找不到“{what}”（按 {by} 查找）").format(what=what, by=by))
        self.by = by
        self.what = what


class Page:
    """One tab, spoken to through the browser's DevTools connection."""

    def __init__(self, browser: Browser, url: str = "about:blank"):
        self.browser = browser
        self.tab = browser.new_tab(url)
        for domain in ("Page", "Network", "Runtime"):
            self.call(f"{domain}.enable")
        self.frame = self.call("Page.getFrameTree")["frameTree"]["frame"]["id"]

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """One DevTools command to this tab."""
        return self.browser.call(method, tab=self.tab, **params)

    def size(self, width: int, height: int) -> None:
        """The window's inner size in CSS pixels (a screen of 1024×768 and so on)."""
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def load(self, action: Callable[[], object], timeout: float | None = None) -> None:
        """Do `action` (a navigation, a click) and wait until the page it leads to has loaded."""
        self.browser.forget("Page.loadEventFired", self.tab)
        action()
        self.browser.wait_for("Page.loadEventFired", self.tab, timeout)

    def act(self, action: Callable[[], object], timeout: float | None = None) -> None:
        """Do `action` (a click, a key) and, when it starts loading a new page in this tab,
        wait until that page has loaded; a click that only changes the page returns at once."""
        for event in ("Page.frameStartedLoading", "Page.loadEventFired"):
            self.browser.forget(event, self.tab)
        action()
        try:
            self.browser.wait_for(
                "Page.frameStartedLoading",
                self.tab,
                NAVIGATION_GRACE,
                where=lambda e: e.get("params", {}).get("frameId") == self.frame,
            )
        except TooSlow:
            return
        self.browser.wait_for("Page.loadEventFired", self.tab, timeout)

    def goto(self, url: str) -> None:
        """Open an address in this tab and wait for the page to load."""

        def navigate() -> None:
            answer = self.call("Page.navigate", url=url)
            if answer.get("errorText"):
                raise BrowserProblem(
                    tr("无法打开 {url}：{reason}").format(url=url, reason=answer["errorText"])
                )

        self.load(navigate)

    def world(self) -> int:
        """A fresh isolated world on the page: the same document, but JavaScript of Yici's own,
        whose built-ins (String.includes, querySelectorAll …) the page's scripts cannot replace.
        Made anew for each evaluation: a navigation ends the last one."""
        return int(
            self.call("Page.createIsolatedWorld", frameId=self.frame, worldName="yici")["executionContextId"]
        )

    def evaluate(self, expression: str, by_value: bool = True) -> Any:
        """The value of a JavaScript expression run on the page in Yici's isolated world
        (`by_value` False: the protocol's handle on it, for a node)."""
        answer = self.call(
            "Runtime.evaluate",
            expression=expression,
            contextId=self.world(),
            returnByValue=by_value,
            awaitPromise=by_value,
        )
        if "exceptionDetails" in answer:
            details = answer["exceptionDetails"]
            said = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserProblem(f"{expression[:80]}: {said}")
        return answer["result"].get("value") if by_value else answer["result"]

    def url(self) -> str:
        """The address the tab shows now."""
        return str(self.evaluate("location.href"))

    def text(self) -> str:
        """The page's visible text."""
        return str(self.evaluate("document.body ? document.body.innerText : ''"))

    def exists(self, by: str, what: str) -> bool:
        """Whether the page has an element this locator finds."""
        return bool(self.evaluate(f"!!{find_script(by, what)}"))

    def shown(self, by: str, what: str) -> bool:
        """Whether the page shows an element this locator finds (not hidden)."""
        found = find_script(by, what)
        script = f"(() => {{ const el = {found}; return !!el && el.getClientRects().length > 0; }})()"
        return bool(self.evaluate(script))

    def wait_until(self, test: Callable[[], bool], seconds: float) -> bool:
        """Whether `test` comes true within `seconds`, asked every quarter second."""
        deadline = time.monotonic() + seconds
        while not test():
            if time.monotonic() >= deadline:
                return False
            time.sleep(POLL)
        return True

    def label_of(self, by: str, what: str) -> str:
        """The words a person reads beside the element found (its label, aria-label,
        placeholder or the legend of its group), without a required mark or colon; '' if none."""
        text = self.on_element(by, what, LABEL_OF)
        return str(text or "").strip().rstrip("*＊:：").strip()

    def origin(self) -> str:
        """scheme://host:port of the page shown now."""
        return str(self.evaluate("location.origin"))

    def on_element(self, by: str, what: str, body: str) -> Any:
        """Run `body` (a function of `el`) on the element found; NotFound when there is none."""
        answer = self.evaluate(
            f"(() => {{ const el = {find_script(by, what)}; if (!el) return [false];"
            f" return [true, (el => {{ {body} }})(el)]; }})()"
        )
        if not answer or not answer[0]:
            raise NotFound(by, what)
        return answer[1]

    def fill_text(self, by: str, what: str, text: str) -> None:
        """Replace a text field's value with `text`, typed as a keyboard's input method would,
        so the page's own scripts see input and change events."""
        self.on_element(
            by, what, "el.scrollIntoView({block: 'center'}); el.focus(); if (el.select) el.select();"
        )
        if text:
            self.call("Input.insertText", text=text)
        else:
            self.on_element(by, what, "el.value = ''; el.dispatchEvent(new Event('input', {bubbles: true}));")
        self.on_element(by, what, "el.dispatchEvent(new Event('change', {bubbles: true}));")

    def value(self, by: str, what: str) -> Any:
        """A field's value as the page holds it (checked for a checkbox or radio)."""
        return self.on_element(
            by, what, "return (el.type === 'checkbox' || el.type === 'radio') ? el.checked : el.value;"
        )

    def click(self, by: str, what: str) -> None:
        """A mouse click in the middle of the element found."""
        box = self.on_element(
            by,
            what,
            "el.scrollIntoView({block: 'center'}); const r = el.getBoundingClientRect();"
            " return [r.left + r.width / 2, r.top + r.height / 2];",
        )
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1], button="left", clickCount=1)

    def screenshot(self, path: Path, full: bool = False) -> Path:
        """A PNG of the window (`full`: of the whole page) written to `path`."""
        path.write_bytes(self.screenshot_bytes(full))
        return path

    def screenshot_bytes(self, full: bool = False) -> bytes:
        """A PNG of the window (`full`: of the whole page)."""
        shot = self.call("Page.captureScreenshot", format="png", captureBeyondViewport=full)
        return base64.b64decode(shot["data"])

    def cookies(self, url: str) -> list[dict[str, Any]]:
        """The cookies the browser would send to `url`."""
        return list(self.call("Network.getCookies", urls=[url])["cookies"])
