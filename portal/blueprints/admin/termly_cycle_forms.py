"""The termly cycle form: ``termly_cycle`` in the authority's process, in plain words.

The form checks only what it must to build the table (a number is a number, a choice is made); the
schema checks the rest (e.g. at most 400, a submission date to close on) with the files' messages.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput
from wtforms import HiddenField, RadioField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from portal.authorities.process import Direction
from portal.authorities.schema import AuthorityConfig
from portal.authorities.termly_cycle import TermlyCycle, WindowEnd
from portal.blueprints.admin.deadline_forms import UNIT_LABELS, NumberField
from portal.blueprints.admin.oversight_forms import YES_NO
from portal.blueprints.casework_forms import options

WINDOW_END_LABELS = {
    WindowEnd.SUBMISSION_DATE: "On the term's submission date",
    WindowEnd.HALF_TERM: "At half term (PEPs in the first half of term)",
    WindowEnd.TERM_END: "At the end of term",
}


class TermlyCycleForm(FlaskForm):
    start_peps = RadioField(
        "Start each term's PEPs automatically",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired("Select yes if each term's PEPs start automatically")],
    )
    window_ends = RadioField(
        "When the PEP window closes",
        widget=GovRadioInput(),
        choices=options([(end.value, label) for end, label in WINDOW_END_LABELS.items()]),
        validators=[InputRequired("Select when the PEP window closes")],
    )
    notify = SelectMultipleField(
        "Who is told when a PEP is started",
        widget=GovCheckboxesInput(),
        choices=[],
        validate_choice=False,
    )
    meeting_amount = NumberField(
        "How long after the start of term",
        message="Enter the provisional meeting date as a whole number, like 3",
    )
    meeting_unit = SelectField("Counted in", widget=GovSelect(), choices=[], validate_choice=False)
    share_previous_pep = RadioField(
        "Let the people working on a PEP read the child's previous finalised PEP",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired("Select yes if the people working on a PEP may read the previous PEP")],
    )
    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())

    def fill_choices(self, config: AuthorityConfig) -> None:
        self.notify.choices = options([(role.value, config.role_label(role)) for role in config.roles])
        self.meeting_unit.choices = options(
            [("", "No provisional date"), *((u.value, label.lower()) for u, label in UNIT_LABELS.items())]
        )

    def validate_notify(self, field: SelectMultipleField) -> None:
        offered = {choice.value for choice in field.choices}
        if any(role not in offered for role in field.data or []):
            raise ValidationError("Select who is told from the list")

    def validate_meeting_amount(self, field: NumberField) -> None:
        typed = bool(field.raw_data and field.raw_data[0].strip())
        if not typed and self.meeting_unit.data:
            raise ValidationError("Enter how long after the start of term the provisional meeting is")

    def validate_meeting_unit(self, field: SelectField) -> None:
        offered = {choice.value for choice in field.choices}
        if (field.data or "") not in offered:
            raise ValidationError("Select what the provisional meeting date is counted in from the list")
        if self.meeting_amount.data is not None and not field.data:
            raise ValidationError("Select what the provisional meeting date is counted in")

    # --- Between the form and the document -----------------------------------------------------

    def load(self, cycle: TermlyCycle) -> None:
        self.start_peps.data = "yes" if cycle.start_peps else "no"
        self.window_ends.data = cycle.window_ends.value
        self.notify.data = [role.value for role in cycle.notify]
        meeting = cycle.provisional_meeting
        self.meeting_amount.data = meeting.amount if meeting else None
        self.meeting_unit.data = meeting.unit.value if meeting else ""
        self.share_previous_pep.data = "yes" if cycle.share_previous_pep else "no"

    def termly_cycle(self, shown: dict[str, Any]) -> dict[str, Any]:
        """The table as the draft document holds it, starting from ``shown`` (the table as it is).

        Roles told already stay in their order and newly ticked ones follow in the order of the
        authority's roles, so keeping the page unchanged changes nothing.
        """
        chosen = set(self.notify.data or [])
        before = [role for role in shown.get("notify", []) if role in chosen]
        added = [c.value for c in self.notify.choices if c.value in chosen and c.value not in before]
        meeting = None
        if self.meeting_amount.data is not None and self.meeting_unit.data:
            meeting = {
                "amount": self.meeting_amount.data,
                "unit": self.meeting_unit.data,
                "direction": Direction.AFTER.value,
            }
        return {
            **shown,
            "start_peps": self.start_peps.data == "yes",
            "provisional_meeting": meeting,
            "notify": before + added,
            "window_ends": self.window_ends.data,
            "share_previous_pep": self.share_previous_pep.data == "yes",
        }
