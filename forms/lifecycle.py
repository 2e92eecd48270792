"""Record steps with validation: draft → edit → finalize → correct → void (DESIGN §5–§6).

`Records` joins the form engine (defaults, validation, summary) to the store (transactions,
audit). The shells call this, never the store's record writes directly, so nothing invalid
becomes final. A record always validates against the form version it was entered with.
"""

from __future__ import annotations

import copy
import datetime
from collections import OrderedDict

from forms.engine import (
    Context,
    Message,
    Outcome,
    defaults,
    evaluate,
    record_date,
    summary,
    with_calculated,
)
from forms.i18n import ntr, tr
from forms.loader import parse_form
from forms.model import Form
from forms.photo_checks import annotate
from forms.store import Record, Store, times


class RecordInvalid(Exception):
    """The record has errors, so the step (finalize/correct) was not done; `.messages` lists them."""

    def __init__(self, messages: list[Message]):
        self.messages = list(messages)
        lines = [f"- {m.field + '：' if m.field else ''}{m.text}" for m in self.messages]
        super().__init__(
            ntr(
                "记录有 {count} 处错误，没有保存为定稿。请改正后再试：\n",
                "记录有 {count} 处错误，没有保存为定稿。请改正后再试：\n",
                len(self.messages),
            ).format(count=len(self.messages))
            + "\n".join(lines)
        )


class Records:
    """The record lifecycle over a `Store` and a `Catalog` (forms by id and version)."""

    def __init__(self, store: Store, catalog):
        self.store = store
        self.catalog = catalog
        self._forms: dict[tuple[str, int], Form] = {}
        # The last validation of each draft saved here: (data, context) -> outcome. Finalizing
        # a draft nobody changed since (same data, roster, clock minute, last values) reuses
        # it rather than validating again; `evaluate` is pure, so the answer is the same.
        self._checked: OrderedDict[str, tuple[dict, Context, Outcome]] = OrderedDict()

    def form(self, form_id: str, version: int | None = None) -> Form:
        """The form a record uses: its remembered definition for a stored version, else the
        catalog's (latest when `version` is None)."""
        if version is None:
            return self.catalog.get(form_id)
        key = (form_id, int(version))
        if key not in self._forms:
            source = self.store.stored_form_source(form_id, version)
            self._forms[key] = (
                parse_form(source, f"<{form_id} v{version}>")
                if source
                else self.catalog.get(form_id, version)
            )
        return self._forms[key]

    def context(self, branch_id: int, form: Form) -> Context:
        """Roster, clock and this branch's previous values of the form, for defaults and checks."""
        now = times.clock().replace(tzinfo=None)
        return Context(
            roster=self.store.members(branch_id),
            today=now.date(),
            now=now.replace(second=0, microsecond=0),
            last=self.store.last_values(branch_id, form.id),
        )

    def new(
        self, form_id: str, branch_id: int, values: dict, operator: str, *, final: bool = False
    ) -> tuple[Record, Outcome]:
        """Start a record: defaults for keys not given, then `values`. With `final=True` it is
        saved final in one step, or not at all if it has errors (RecordInvalid)."""
        form = self.form(form_id)
        context = self.context(branch_id, form)
        start = annotate(self.store, form, {**defaults(form, context), **(values or {})}, "")
        outcome = evaluate(form, start, context)
        if final and outcome.errors:
            raise RecordInvalid(outcome.errors)
        # A draft keeps what was typed (a field hidden for now keeps its text) with its
        # calculations as computed; a final record keeps the engine's clean values.
        data = outcome.values if final else with_calculated(form.fields, start, outcome.values)
        record = self.store.create_record(
            form,
            branch_id,
            data,
            operator,
            occurred_on=record_date(form, outcome.values),
            summary=summary(form, outcome.values),
            status="final" if final else "draft",
        )
        if not final:
            self._remember_check(record.uuid, data, context, outcome)
        return record, outcome

    def save_draft(self, uuid: str, values: dict, operator: str) -> Outcome:
        """Save a draft's values as typed (replacing the previous ones), calculations as
        computed; returns the messages to show, which do not block saving a draft."""
        record = self.store.record(uuid)
        form = self.form(record.form_id, record.form_version)
        context = self.context(record.branch_id, form)
        values = annotate(self.store, form, values, record.uuid)
        outcome = evaluate(form, values, context)
        values = with_calculated(form.fields, values, outcome.values)
        self.store.save_draft(
            record.uuid,
            values,
            operator,
            occurred_on=record_date(form, outcome.values),
            summary=summary(form, outcome.values),
        )
        self._remember_check(record.uuid, values, context, outcome)
        return outcome

    def finalize(self, uuid: str, operator: str) -> tuple[Record, Outcome]:
        """Make a draft final if it has no errors (warnings do not block)."""
        record = self.store.record(uuid)
        form = self.form(record.form_id, record.form_version)
        context = self.context(record.branch_id, form)
        checked = self._checked.pop(record.uuid, None)
        # Another record may have taken one of its photos since it was saved: looked up again.
        data = annotate(self.store, form, record.data, record.uuid)
        if checked is not None and checked[0] == data and checked[1] == context:
            outcome = checked[2]
        else:
            outcome = evaluate(form, data, context)
        if outcome.errors:
            raise RecordInvalid(outcome.errors)
        final = self.store.finalize(
            record.uuid,
            operator,
            data=outcome.values,
            occurred_on=record_date(form, outcome.values),
            summary=summary(form, outcome.values),
        )
        return final, outcome

    def correct(self, uuid: str, values: dict, operator: str, note: str = "") -> tuple[Record, Outcome]:
        """Correct a final record with new values (a new revision) if they have no errors."""
        record = self.store.record(uuid)
        form = self.form(record.form_id, record.form_version)
        values = annotate(self.store, form, values, record.uuid)
        outcome = evaluate(form, values, self.context(record.branch_id, form))
        if outcome.errors:
            raise RecordInvalid(outcome.errors)
        corrected = self.store.correct(
            record.uuid,
            outcome.values,
            operator,
            note=note,
            occurred_on=record_date(form, outcome.values),
            summary=summary(form, outcome.values),
        )
        return corrected, outcome

    def resolve_hub_conflict(
        self, uuid: str, keep: str, operator: str, values: dict | None = None
    ) -> tuple[Record, Outcome | None]:
        """Resolve a conflict with the township hub (forms/store/hub_conflicts.py): 'mine',
        'theirs', or 'merged' with `values`, which are checked against the record's form
        first like a correction (RecordInvalid on errors). The outcome is None but for 'merged'."""
        if keep == "theirs":
            self._check_theirs(uuid)
        if keep != "merged":
            return self.store.resolve_hub_conflict(uuid, keep, operator=operator), None
        record = self.store.record(uuid)
        form = self.form(record.form_id, record.form_version)
        outcome = evaluate(form, values or {}, self.context(record.branch_id, form))
        if outcome.errors:
            raise RecordInvalid(outcome.errors)
        resolved = self.store.resolve_hub_conflict(
            record.uuid,
            "merged",
            operator=operator,
            data=outcome.values,
            occurred_on=record_date(form, outcome.values),
            summary=summary(form, outcome.values),
        )
        return resolved, outcome

    def _check_theirs(self, uuid: str) -> None:
        """The hub's version came over the network: it is taken only when it is a valid record of
        the form with a real date (RecordInvalid otherwise); a void one is taken as a void."""
        theirs = self.store.hub_conflict(uuid).theirs
        if theirs.get("status") == "void":
            return
        record = self.store.record(uuid)
        form = self.form(record.form_id, record.form_version)
        data = theirs.get("data")
        outcome = evaluate(form, data if isinstance(data, dict) else {}, self.context(record.branch_id, form))
        errors = list(outcome.errors)
        occurred_on = theirs.get("occurred_on")
        try:
            if occurred_on is not None:
                datetime.date.fromisoformat(occurred_on)
        except (TypeError, ValueError):
            errors.append(
                Message(
                    "occurred_on", "error", tr("乡镇平台上的版本日期不对：{value}").format(value=occurred_on)
                )
            )
        if not isinstance(data, dict) or errors:
            raise RecordInvalid(errors or [Message("", "error", tr("乡镇平台上的版本没有内容"))])

    def _remember_check(self, uuid: str, data: dict, context: Context, outcome: Outcome) -> None:
        # Copies: the caller may change the values or the outcome it was handed.
        self._checked[uuid] = (
            copy.deepcopy(data),
            context,
            Outcome(copy.deepcopy(outcome.values), list(outcome.messages)),
        )
        self._checked.move_to_end(uuid)
        while len(self._checked) > 64:
            self._checked.popitem(last=False)

    def void(self, uuid: str, reason: str, operator: str) -> Record:
        """Void a draft or final record with a reason."""
        return self.store.void(uuid, reason, operator)

    def delete_draft(self, uuid: str, operator: str) -> None:
        """Delete a draft (final records are voided, never deleted)."""
        self.store.delete_draft(uuid, operator)
