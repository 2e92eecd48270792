"""Finding records: filters by branch, form, status, month and day range, and text search over
Chinese and other text through two full-text indices (see `_filters` for how they are joined)."""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Mapping
from typing import Any

from forms.i18n import tr
from forms.store.connection import Connection
from forms.store.errors import NotAllowed, guarded
from forms.store.records import STATUSES
from forms.store.rows import RECORD_COLUMNS, Record, record_from, where_equal

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_DAY = re.compile(r"^\d{4}-\d\d-\d\d$")
# Above this many text matches a page walks the list order instead of sorting the matches.
_MANY_MATCHES = 2000


def _where(where: list[str]) -> str:
    return (" WHERE " + " AND ".join(where)) if where else ""


def _split_terms(text: str | None) -> tuple[list[str], list[str]]:
    """Search terms (split on spaces) of 3+ characters, and of 1-2 characters."""
    long_terms: list[str] = []
    short_terms: list[str] = []
    for term in (text or "").split():
        (long_terms if len(term) >= 3 else short_terms).append(term)
    return long_terms, short_terms


def _day(value: Any, what: str) -> str:
    text = str(value)
    try:
        if _DAY.match(text):
            _dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise NotAllowed(
        tr(
            "{what}应写成 YYYY-MM-DD（例如 2026-11-05），而不是“{value}”。 / A day must be YYYY-MM-DD."
        ).format(what=what, value=value)
    )


def _chars_query(terms: list[str]) -> str:
    """An FTS5 query on `records_chars` matching every term as a substring: each term a phrase
    of its characters, mapped as migrations._CHARS maps the text (quotes cannot occur)."""
    return " AND ".join(
        '"'
        + " ".join(ch if ord(ch) > 127 or (ch.isascii() and ch.isalnum()) else f"u{ord(ch)}" for ch in term)
        + '"'
        for term in terms
    )


def _fts_query(terms: list[str]) -> str:
    """An FTS5 query matching every term as a literal substring (quotes escaped)."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


def _plain_filters(branch_id, form_id, status, month, since, until) -> tuple[list, list]:
    where, args = where_equal({"branch_id": branch_id, "form_id": form_id})
    if form_id is not None and status is not None and branch_id is None:
        # `+`: not the form's index, which has no status (m010), whatever ANALYZE says of it;
        # the status index carries the form, so the filter is answered from it alone.
        where[where.index("form_id = ?")] = "+form_id = ?"
    if status is not None:
        if status not in STATUSES:
            raise NotAllowed(
                tr("状态只能是 {statuses}，不能是“{status}”。 / Unknown status {status!r}.").format(
                    statuses=", ".join(STATUSES), status=status
                )
            )
        where.append("status = ?")
        args.append(status)
    if month is not None:
        if not _MONTH.match(str(month)):
            raise NotAllowed(
                tr("月份应写成 YYYY-MM（例如 2026-11），而不是“{month}”。 / Month must be YYYY-MM.").format(
                    month=month
                )
            )
        where.append("occurred_on BETWEEN ? AND ?")  # a range the indices can use
        args += [f"{month}-01", f"{month}-31"]
    if since is not None:
        where.append("occurred_on >= ?")
        args.append(_day(since, tr("起始日期")))
    if until is not None:
        where.append("occurred_on <= ?")
        args.append(_day(until, tr("截止日期")))
    return where, args


class SearchMixin(Connection):
    """Store methods that list, count and search records."""

    def _filters(
        self, branch_id, form_id, status, month, text, since=None, until=None, page: bool = False
    ) -> tuple[str, list]:
        where, args = _plain_filters(branch_id, form_id, status, month, since, until)
        long_terms, short_terms = _split_terms(text)
        if not (long_terms or short_terms):
            return _where(where), args
        # Trigram FTS finds any substring of 3+ characters, Chinese included; `records_chars`
        # (one token per character, m005) finds any substring as a phrase, so it takes every
        # term as soon as one is 1-2 characters long (one index is much quicker than two).
        # How to join them to the other filters depends on how many records match the text:
        # - few: start from the full-text matches (a lookup per match);
        # - many, for a page: walk the list index in order and stop at the page's end
        #   (`+id`: id not used as a lookup key; with short terms each row's text checked);
        # - many, for a count or an id list with other filters: the matches' ids gathered once,
        #   and each row the other filters leave (read from an index alone) checked against
        #   them (`+id`). A lookup per match reads the record rows themselves, each page
        #   decrypted: at 100,000 records a common character with "final" took 95 ms that way,
        #   22-32 ms so (tests/benchmarks/bench_store.py);
        # - many, with no other filter: a lookup per match.
        matches = self._text_count(long_terms, short_terms)
        if matches <= _MANY_MATCHES:
            mode = "lookup"
        elif page:
            mode = "walk"
        else:
            mode = "probe" if where else "lookup"
        if not short_terms:
            where.append(
                f"{'id' if mode == 'lookup' else '+id'} IN "
                "(SELECT rowid FROM records_fts WHERE records_fts MATCH ?)"
            )
            args.append(_fts_query(long_terms))
        elif mode in ("lookup", "probe"):
            where.append(
                f"{'id' if mode == 'lookup' else '+id'} IN "
                "(SELECT rowid FROM records_chars WHERE records_chars MATCH ?)"
            )
            args.append(_chars_query(long_terms + short_terms))
        else:
            for term in long_terms + short_terms:
                like = "%" + re.sub(r"([\\%_])", r"\\\1", term) + "%"
                where.append(
                    "EXISTS (SELECT 1 FROM record_text t WHERE t.id = records.id AND "
                    "(t.summary LIKE ? ESCAPE '\\' OR t.body LIKE ? ESCAPE '\\'))"
                )
                args += [like, like]
        return _where(where), args

    def _text_count(self, long_terms: list[str], short_terms: list[str]) -> int:
        """How many records contain every term, from a full-text index alone (one FTS row per
        record; counting inside FTS5 is several times faster than listing rowids)."""
        table, query = (
            ("records_chars", _chars_query(long_terms + short_terms))
            if short_terms
            else ("records_fts", _fts_query(long_terms))
        )
        return self.conn.execute(f"SELECT count(*) FROM {table} WHERE {table} MATCH ?", [query]).fetchone()[0]

    @guarded
    def records(
        self,
        *,
        branch_id: int | None = None,
        form_id: str | None = None,
        status: str | None = None,
        month: str | None = None,
        text: str | None = None,
        since: str | None = None,
        until: str | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[Record]:
        """Records matching every given filter, newest (by day it happened) first.
        `since` / `until` ('YYYY-MM-DD', both included) bound the day it happened."""
        where, args = self._filters(
            branch_id, form_id, status, month, text, since, until, page=limit is not None
        )
        sql = (
            f"SELECT {RECORD_COLUMNS} FROM records{where} ORDER BY occurred_on DESC, id DESC LIMIT ? OFFSET ?"
        )
        return [
            record_from(r) for r in self.conn.execute(sql, args + [-1 if limit is None else limit, offset])
        ]

    @guarded
    def count_records(
        self,
        *,
        branch_id: int | None = None,
        form_id: str | None = None,
        status: str | None = None,
        month: str | None = None,
        text: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> int:
        """How many records match the filters (the same filters as `records`)."""
        long_terms, short_terms = _split_terms(text)
        plain, _ = _plain_filters(branch_id, form_id, status, month, since, until)
        if (long_terms or short_terms) and not plain:
            return self._text_count(long_terms, short_terms)
        where, args = self._filters(branch_id, form_id, status, month, text, since, until)
        return self.conn.execute(f"SELECT count(*) FROM records{where}", args).fetchone()[0]

    @guarded
    def record_uuids(
        self,
        *,
        branch_id: int | None = None,
        form_id: str | None = None,
        status: str | None = None,
        month: str | None = None,
        text: str | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[str]:
        """Just the uuids of matching records, in list order (for on-demand table models)."""
        where, args = self._filters(branch_id, form_id, status, month, text, since, until)
        return [
            r[0]
            for r in self.conn.execute(
                f"SELECT uuid FROM records{where} ORDER BY occurred_on DESC, id DESC", args
            )
        ]

    @guarded
    def records_for_cadence(
        self, branch_id: int, since: str | Mapping[str, str] | None = None
    ) -> list[tuple[str, str, str, dict]]:
        """What forms.cadence.due_items needs of a branch, in one indexed query: its final
        records as (form_id, status, occurred_on, data), newest first. `since` is a day
        ('YYYY-MM-DD', included) or {form_id: day} (other forms left out); None for all."""
        where = ["branch_id = ?", "status = 'final'", "occurred_on IS NOT NULL"]
        args: list[Any] = [branch_id]
        if isinstance(since, Mapping):
            if not since:
                return []
            days = {form: _day(day, tr("起始日期")) for form, day in since.items()}
            where.append("occurred_on >= ?")  # the index range; forms narrow it below
            args.append(min(days.values()))
            where.append("(" + " OR ".join("(form_id = ? AND occurred_on >= ?)" for _ in days) + ")")
            for form, day in days.items():
                args += [form, day]
        elif since is not None:
            where.append("occurred_on >= ?")
            args.append(_day(since, tr("起始日期")))
        return [
            (r[0], r[1], r[2], json.loads(r[3]))
            for r in self.conn.execute(
                f"SELECT form_id, status, occurred_on, data FROM records WHERE {' AND '.join(where)} "
                "ORDER BY occurred_on DESC, id DESC",
                args,
            )
        ]
