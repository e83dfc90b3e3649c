"""Forms for the social worker's case actions (GOV.UK widgets, declared fields only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovDateInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import DateField, RadioField, SelectChoice, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError


def options(pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    """Choices as WTForms 3.3 wants them (value, label)."""
    return [SelectChoice(value=value, label=label) for value, label in pairs]


class GovDateField(DateField):
    """Day, month and year boxes, with GOV.UK error wording."""

    def __init__(self, label: str, *, required_message: str | None, **kwargs: Any) -> None:
        """``required_message`` None makes the date optional."""
        super().__init__(
            label,
            format="%d %m %Y",
            widget=GovDateInput(),
            validators=[InputRequired(required_message)] if required_message is not None else [Optional()],
            **kwargs,
        )
        self.label_text = label

    def process_formdata(self, valuelist: list[str]) -> None:
        if not valuelist:
            # Not in the submitted data at all (e.g. a GET form's first showing): the widget
            # unpacks raw_data into day, month and year, so leave it unset rather than empty.
            self.raw_data, self.data = None, None
            return
        if not any(v.strip() for v in valuelist):
            self.data = None
            return
        try:
            super().process_formdata([v.strip() for v in valuelist])
        except ValueError:
            self.data = None
            raise ValueError(f"{self.label_text} must be a real date") from None


def not_in_future(form: FlaskForm, field: DateField) -> None:
    if field.data and field.data > dt.date.today():
        raise ValidationError(f"{field.label.text} must be today or in the past")


class BecameLookedAfterForm(FlaskForm):
    first_name = StringField(
        "First name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the child's first name"), Length(max=100)],
    )
    last_name = StringField(
        "Last name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the child's last name"), Length(max=100)],
    )
    date_of_birth = GovDateField("Date of birth", required_message="Enter the child's date of birth")
    became_looked_after_on = GovDateField(
        "Date they became looked after", required_message="Enter the date they became looked after"
    )
    emergency_placement = RadioField(
        "Was this an emergency placement?",
        widget=GovRadioInput(),
        choices=options([("yes", "Yes"), ("no", "No")]),
        validators=[InputRequired("Select yes if this was an emergency placement")],
    )
    setting_id = SelectField("Education setting", widget=GovSelect(), coerce=str, choices=[])
    case_reference = StringField(
        "Case reference",
        widget=GovTextInput(),
        validators=[Length(max=40)],
        description="The reference in your social care system, if you have it",
    )
    submit = SubmitField("Record and start the initial PEP", widget=GovSubmitInput())

    def validate_became_looked_after_on(self, field: DateField) -> None:
        not_in_future(self, field)


class StartPepForm(FlaskForm):
    kind = RadioField(
        "Kind of PEP",
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired("Select the kind of PEP")],
    )
    term = SelectField("Term", widget=GovSelect(), choices=[], validators=[DataRequired("Select a term")])
    submit = SubmitField("Start the PEP", widget=GovSubmitInput())


class MeetingForm(FlaskForm):
    meeting_date = GovDateField(
        "Date of the PEP meeting", required_message="Enter the date of the PEP meeting"
    )
    submit = SubmitField("Save the meeting date", widget=GovSubmitInput())


class TransferForm(FlaskForm):
    # The service checks the choice and explains a refusal (e.g. a social worker of another authority).
    social_worker = SelectField(
        "New social worker",
        widget=GovSelect(),
        coerce=str,
        choices=[],
        validate_choice=False,
        validators=[DataRequired("Select the new social worker")],
    )
    submit = SubmitField("Transfer the case", widget=GovSubmitInput())


class EducationContactForm(FlaskForm):
    education_contact = SelectField(
        "Education contact", widget=GovSelect(), coerce=str, choices=[], validate_choice=False
    )
    submit = SubmitField("Save the education contact", widget=GovSubmitInput())


class MoveSettingForm(FlaskForm):
    setting_id = SelectField("New education setting", widget=GovSelect(), coerce=str, choices=[])
    submit = SubmitField("Move and start a transition PEP", widget=GovSubmitInput())


class LeftCareForm(FlaskForm):
    left_care_on = GovDateField("Date they left care", required_message="Enter the date they left care")
    # Choices are portal/leaving_care.py's reasons; the service refuses any other.
    reason = RadioField(
        "Why they left care",
        widget=GovRadioInput(),
        choices=[],
        validate_choice=False,
        validators=[InputRequired("Select why they left care")],
    )
    submit = SubmitField("Record that they left care", widget=GovSubmitInput())
