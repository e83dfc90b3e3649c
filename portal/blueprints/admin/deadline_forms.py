"""The deadline rule form: one rule of ``deadlines`` in the authority's process, in plain words.

The form checks only what it must to build a rule (a number is a number, a choice is made); the
schema checks the rest (e.g. at most 400, a reminder before the due date) with the files' messages.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovCheckboxInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.authorities.deadline_rules import Event
from portal.authorities.process import Direction, Unit
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import PepKind
from portal.blueprints.casework_forms import options

UNIT_LABELS = {
    Unit.WORKING_DAYS: "Working days",
    Unit.SCHOOL_DAYS: "School days",
    Unit.SCHOOL_WEEKS: "School weeks",
    Unit.CALENDAR_DAYS: "Calendar days",
}
EMERGENCY_CHOICES = {"both": None, "yes": True, "no": False}


def event_choices() -> list[tuple[str, str]]:
    return [
        (event.value, "The PEP reached a step" if event is Event.STEP_ENTERED else event.phrase.capitalize())
        for event in Event
    ]


class NumberField(IntegerField):
    """A whole number typed in a text box, with GOV.UK wording when it is not one."""

    def __init__(self, label: str, *, message: str, **kwargs: Any) -> None:
        super().__init__(label, widget=GovTextInput(), **kwargs)
        self.message = message

    def process_formdata(self, valuelist: list[str]) -> None:
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError:
                self.data = None
                raise ValueError(self.message) from None
        else:
            self.data = None


class DeadlineForm(FlaskForm):
    label = StringField(
        "Name of the deadline",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the name of the deadline"), Length(max=120)],
    )
    event = SelectField(
        "Counted from",
        widget=GovSelect(),
        choices=options(event_choices()),
        validators=[DataRequired("Select what the deadline is counted from")],
    )
    step = SelectField("Step", widget=GovSelect(), choices=[], validate_choice=False)
    offset_amount = NumberField(
        "How many",
        message="Enter the amount as a whole number, like 10",
        validators=[InputRequired("Enter how many days or weeks")],
    )
    offset_unit = RadioField(
        "Counted in",
        widget=GovRadioInput(),
        choices=options([(u.value, label) for u, label in UNIT_LABELS.items()]),
        validators=[InputRequired("Select what the deadline is counted in")],
    )
    offset_direction = RadioField(
        "Before or after",
        widget=GovRadioInput(),
        choices=options([(Direction.AFTER.value, "After"), (Direction.BEFORE.value, "Before")]),
        validators=[InputRequired("Select before or after")],
    )
    kinds = SelectMultipleField(
        "Kinds of PEP",
        widget=GovCheckboxesInput(),
        choices=options([(kind.value, kind.label) for kind in PepKind]),
        validators=[DataRequired("Select the kinds of PEP the deadline applies to")],
    )
    emergency = RadioField(
        "Placements",
        widget=GovRadioInput(),
        choices=options(
            [
                ("both", "Emergency and planned placements"),
                ("yes", "Only emergency placements"),
                ("no", "Only planned placements"),
            ]
        ),
        validators=[InputRequired("Select which placements the deadline applies to")],
    )
    met_at_step = SelectField(
        "Met when the PEP reaches",
        widget=GovSelect(),
        choices=[],
        validators=[DataRequired("Select the step that meets the deadline")],
    )
    responsible = SelectField(
        "Who must act by then",
        widget=GovSelect(),
        choices=[],
        validators=[DataRequired("Select who must act by then")],
    )
    remind_amount = NumberField(
        "Send a reminder this long before the due date",
        message="Enter the reminder as a whole number, like 2",
    )
    remind_unit = SelectField("Reminder counted in", widget=GovSelect(), choices=[], validate_choice=False)
    overdue_notice = BooleanField(
        "Tell the people who must act when the deadline passes and it is not met",
        widget=GovCheckboxInput(),
    )
    overdue_copy_to = SelectMultipleField(
        "Also tell, when the deadline passes",
        widget=GovCheckboxesInput(),
        choices=[],
        validate_choice=False,
    )
    note = TextAreaField("Note", widget=GovCharacterCount(), validators=[Length(max=1000)])
    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())

    def fill_choices(self, config: AuthorityConfig) -> None:
        steps = [(step.key, step.label) for step in config.workflow.steps]
        self.step.choices = options([("", "Not needed"), *steps])
        self.met_at_step.choices = options(steps)
        roles = [(role.value, conf.label) for role, conf in config.roles.items()]
        self.responsible.choices = options(roles)
        self.overdue_copy_to.choices = options(roles)
        self.remind_unit.choices = options(
            [("", "No reminder"), *((u.value, label.lower()) for u, label in UNIT_LABELS.items())]
        )

    def validate_step(self, field: SelectField) -> None:
        if self.event.data == Event.STEP_ENTERED and not field.data:
            raise ValidationError("Select the step the deadline is counted from")

    def validate_remind_amount(self, field: IntegerField) -> None:
        typed = bool(field.raw_data and field.raw_data[0].strip())
        if not typed and self.remind_unit.data:
            raise ValidationError("Enter how long before the due date to send the reminder")

    def validate_remind_unit(self, field: SelectField) -> None:
        if self.remind_amount.data is not None and not field.data:
            raise ValidationError("Select what the reminder is counted in")

    def validate_overdue_copy_to(self, field: SelectMultipleField) -> None:
        offered = {choice.value for choice in field.choices}
        if any(role not in offered for role in field.data or []):
            raise ValidationError("Select who else to tell from the list")

    # --- Between the form and the document -----------------------------------------------------

    def load(self, rule: dict[str, Any]) -> None:
        self.label.data = rule["label"]
        self.event.data = rule["event"]
        self.step.data = rule.get("step") or ""
        self.offset_amount.data = rule["offset"]["amount"]
        self.offset_unit.data = rule["offset"]["unit"]
        self.offset_direction.data = rule["offset"]["direction"]
        self.kinds.data = list(rule["kinds"])
        emergency = rule.get("emergency")
        self.emergency.data = "both" if emergency is None else ("yes" if emergency else "no")
        self.met_at_step.data = rule["met_at_step"]
        self.responsible.data = rule["responsible"]
        remind = rule.get("remind")
        self.remind_amount.data = remind["amount"] if remind else None
        self.remind_unit.data = remind["unit"] if remind else ""
        self.overdue_notice.data = rule.get("overdue_notice", True)
        self.overdue_copy_to.data = list(rule.get("overdue_copy_to", []))
        self.note.data = rule.get("note", "")

    def rule(self, key: str) -> dict[str, Any]:
        """The rule as the draft document holds it (field names, JSON values)."""
        remind = None
        if self.remind_amount.data is not None and self.remind_unit.data:
            remind = {"amount": self.remind_amount.data, "unit": self.remind_unit.data, "direction": "before"}
        return {
            "key": key,
            "label": self.label.data.strip(),
            "event": self.event.data,
            "step": (self.step.data or None) if self.event.data == Event.STEP_ENTERED else None,
            "offset": {
                "amount": self.offset_amount.data,
                "unit": self.offset_unit.data,
                "direction": self.offset_direction.data,
            },
            "kinds": list(self.kinds.data),
            "emergency": EMERGENCY_CHOICES.get(self.emergency.data),
            "met_at_step": self.met_at_step.data,
            "responsible": self.responsible.data,
            "remind": remind,
            "overdue_notice": bool(self.overdue_notice.data),
            "overdue_copy_to": list(self.overdue_copy_to.data or []),
            "note": (self.note.data or "").strip(),
        }
