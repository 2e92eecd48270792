"""Hiding the tokens that travel inside URLs, for everything Yici writes down or shows.

Webhook tokens travel in URLs (access_token=, key=, /hook/TOKEN) and requests puts the URL in its
exception text, so messages, logs and crash details pass through `mask_url_secrets`. Standard
library only: the desktop's crash hook uses it before anything heavy is loaded.
"""
from __future__ import annotations

import logging
import re

_QUERY_VALUE = re.compile(r"([?&][A-Za-z_]+=)[^&\s'\")]+")
_HOOK_PATH = re.compile(r"(/hook/)[^/?\s'\")]+")


def mask_url_secrets(text: str) -> str:
    """Replace query values and webhook path tokens in `text` with ***."""
    if "=" not in text and "/hook/" not in text:
        return text            # the common case, checked cheaply: nothing that could hold a token
    return _HOOK_PATH.sub(r"\1***", _QUERY_VALUE.sub(r"\1***", text))


class MaskingFormatter(logging.Formatter):
    """A log formatter whose output (message and traceback alike) has URL tokens masked."""

    def format(self, record: logging.LogRecord) -> str:
        return mask_url_secrets(super().format(record))
