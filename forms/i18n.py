"""The core's messages in the person's language: gettext's way, over a .po catalog (no Qt).

forms/ and sync/ write their messages in Chinese, the source language, and wrap each one a
person reads: `tr("找不到平台 {name}。").format(name=name)` (named placeholders, so a translation
may reorder them), `ntr("{n} 条记录", "{n} 条记录", n)` where English needs a plural, and
`tr_noop(...)` for tables built at import, translated with `tr(...)` where they are shown.
Content is not wrapped: words sent to a platform, form labels, keyword tables read from input.

The desktop picks the language once from its settings (`set_language`, called by
desktop/i18n.py); the command line never does and speaks Chinese, like its own texts. English
comes from resources/i18n/core_en.po, the file translators edit (Poedit and gettext's tools read
it). It is read as it is, on the first message asked for in English, a few milliseconds: no
compiled .mo to forget, and nothing loaded at all in Chinese or before the window's first paint.
`./dev i18n` adds new strings to it; tests/test_core_messages.py fails when a message a person
reads has no translation.
"""

from __future__ import annotations

from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parent.parent / "resources" / "i18n"
SOURCE_LANGUAGE = "zh_CN"

_language = SOURCE_LANGUAGE
_catalog: PoTranslations | None = None  # the current language's, read on first use


def catalog_path(language: str) -> Path:
    """Where the catalog for `language` ("en") is kept."""
    return CATALOG_DIR / f"core_{language}.po"


def set_language(language: str | None) -> bool:
    """Speak `language` from now on ("zh_CN", "en"); False (and Chinese) if it has no catalog."""
    global _catalog, _language
    _catalog, _language = None, SOURCE_LANGUAGE
    if not language or language == SOURCE_LANGUAGE:
        return True
    if not catalog_path(language).is_file():
        return False
    _language = language
    return True


def language() -> str:
    """The language the core speaks now."""
    return _language


def _current() -> PoTranslations | None:
    global _catalog
    if _language == SOURCE_LANGUAGE:
        return None
    if _catalog is None:
        _catalog = PoTranslations(read_po(catalog_path(_language).read_text(encoding="utf-8")))
    return _catalog


def tr(message: str) -> str:
    """`message` (Chinese) in the current language."""
    catalog = _current()
    return message if catalog is None else catalog.gettext(message)


def ntr(singular: str, plural: str, n: int) -> str:
    """The form of a message with a count `n` in the current language (Chinese has one)."""
    catalog = _current()
    if catalog is None:
        return singular if n == 1 else plural
    return catalog.ngettext(singular, plural, n)


def bilingual(chinese: str, english: str) -> str:
    """A "中文 / English" message as the core has always written them; in another language only
    `chinese`, which the caller has already translated with `tr`."""
    return f"{chinese} / {english}" if _language == SOURCE_LANGUAGE else chinese


def tr_noop(message: str) -> str:
    """Marks `message` for the catalog and returns it unchanged: translate it where it is shown."""
    return message


# --- the catalog -----------------------------------------------------------------------------


class PoTranslations:
    """Translations from parsed .po entries, asked like gettext's (`gettext`, `ngettext`); an
    untranslated message stays Chinese. English's plural rule: one, or other."""

    def __init__(self, entries: list[PoEntry]) -> None:
        self._one: dict[str, str] = {}
        self._many: dict[str, list[str]] = {}
        for entry in entries:
            if entry.plural is not None and all(entry.strings):
                self._many[entry.msgid] = entry.strings
            elif entry.plural is None and entry.strings and entry.strings[0]:
                self._one[entry.msgid] = entry.strings[0]

    def gettext(self, message: str) -> str:
        return self._one.get(message, message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = self._many.get(msgid1)
        if not forms:
            return msgid1 if n == 1 else msgid2
        return forms[0] if n == 1 or len(forms) == 1 else forms[1]  # English: one, other


class PoEntry:
    """One message of a .po file: its id, plural id, translations, and the lines before it."""

    def __init__(self, msgid: str, plural: str | None, strings: list[str], comments: list[str]) -> None:
        self.msgid = msgid
        self.plural = plural
        self.strings = strings
        self.comments = comments


def read_po(text: str) -> list[PoEntry]:
    """The entries of a .po file (msgid, msgid_plural, msgstr, msgstr[n]; the header skipped)."""
    import ast  # here: only English reads a catalog

    entries: list[PoEntry] = []
    fields: dict[str, str] = {}
    comments: list[str] = []
    last = ""

    def finish() -> None:
        if "msgid" in fields and fields["msgid"]:
            plural = fields.get("msgid_plural")
            if plural is None:
                strings = [fields.get("msgstr", "")]
            else:
                strings = [fields.get(f"msgstr[{i}]", "") for i in range(2)]
            entries.append(PoEntry(fields["msgid"], plural, strings, list(comments)))
        fields.clear()
        comments.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if "msgid" in fields:
                finish()
            comments.append(line)
        elif line.startswith('"'):
            fields[last] += ast.literal_eval(line)
        else:
            keyword, _, rest = line.partition(" ")
            if keyword == "msgid" and "msgid" in fields:
                finish()
            last = keyword
            fields[keyword] = ast.literal_eval(rest)
    finish()
    return entries
