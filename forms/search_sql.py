"""The SQL text the search steps of forms/migrations.py (m003, m005) build their triggers from.

Kept apart so that the schema steps stay readable; never edit these for a step that has shipped.
"""

from __future__ import annotations

# Text of a record for search: its summary plus every string value anywhere in its data
# (member names in lists, repeat rows...), without the JSON keys.
_BODY = "(SELECT group_concat(value, ' ') FROM json_tree({}.data) WHERE type = 'text')"
_FTS_DELETE = (
    "INSERT INTO records_fts(records_fts, rowid, summary, body) "
    "SELECT 'delete', id, summary, body FROM record_text WHERE id = old.id;"
)
_FTS_INSERT = (
    "INSERT INTO records_fts(rowid, summary, body) "
    "SELECT id, summary, body FROM record_text WHERE id = new.id;"
)


# Every character of a text as its own token, for the 1-2 character search (m005): CJK and
# ASCII letters/digits as themselves, any other ASCII character (space, punctuation) as
# "u<code>", so that a phrase of single characters matches exactly the adjacent characters a
# LIKE would and never across a space or a comma. Pure SQL (no app function), so triggers work
# from any connection. `substr` by position over a list of positions, because SQLite has no
# split; the positions come from json_each over a '[0,0,...]' array of the text's length.
_CHARS = (
    "coalesce((SELECT group_concat(tok, ' ') FROM (SELECT CASE WHEN unicode(ch) > 127 "
    "OR ch GLOB '[0-9A-Za-z]' THEN ch ELSE 'u' || unicode(ch) END AS tok FROM (SELECT key "
    "AS k, substr({0}, key + 1, 1) AS ch FROM json_each('[' || rtrim(replace(hex(zeroblob("
    "length({0}))), '00', '0,'), ',') || ']')) ORDER BY k)), '')"
)
_CHARS_DELETE = (
    "INSERT INTO records_chars(records_chars, rowid, summary, body) SELECT 'delete', "
    f"id, {_CHARS.format('summary')}, {_CHARS.format('body')} "
    "FROM record_text WHERE id = old.id;"
)
_CHARS_INSERT = (
    "INSERT INTO records_chars(rowid, summary, body) SELECT id, "
    f"{_CHARS.format('summary')}, {_CHARS.format('body')} "
    "FROM record_text WHERE id = new.id;"
)
