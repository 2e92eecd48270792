"""Where the delivery states and target checks used to live; they are in forms/store/ now.

Kept only so the desktop and command-line code that imports `forms.deliveries` goes on working
while it moves to `forms.store`; import from `forms.store` in new code.
"""
from __future__ import annotations

from forms.secrecy import url_secret_keys
from forms.store.rows import Delivery, SourceRow, Target, where_equal
from forms.store.states import (AWAITING_UPLOAD, CANCELLED, DELIVERED, DELIVERY_STATES, FAILED,
                                PENDING, SENDING, STATE_TITLES, SUPERSEDED, UNCERTAIN,
                                UNCERTAIN_MESSAGE, DeliveryOutcome, DeliveryState)
from forms.store.targets import SECRET_OPTION_NAMES, secret_problems

__all__ = ["AWAITING_UPLOAD", "CANCELLED", "DELIVERED", "DELIVERY_STATES", "FAILED", "PENDING",
           "SENDING", "STATE_TITLES", "SUPERSEDED", "UNCERTAIN", "UNCERTAIN_MESSAGE", "Delivery",
           "DeliveryOutcome", "DeliveryState", "SECRET_OPTION_NAMES", "SourceRow", "Target",
           "secret_problems", "url_secret_keys", "where_equal"]
