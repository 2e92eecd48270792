"""The township's page: server-rendered pages in Chinese for the township party committee.

Which branch is behind (branches × periods, from forms/cadence.py, the desktop's own rules), each
branch's records, roster and attendance, each record readable and printable in its paper layout,
Excel exports; behind a login of the hub's administrators. Plain HTML and CSS, no script, nothing
fetched from elsewhere: it works in the old browsers of government offices. docs/HUB.md, "The
township's page", describes it for IT staff.
"""
