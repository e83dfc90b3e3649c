"""The form for choosing how reminders and overdue notices arrive (GOV.UK radios)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from portal.blueprints.casework_forms import options
from portal.models import NoticeFrequency

FREQUENCY_LABELS = {
    NoticeFrequency.IMMEDIATE: "Each reminder as it happens",
    NoticeFrequency.WEEKLY_DIGEST: "One weekly digest (Monday)",
}
CHOOSE = "Select how you want to get reminders"


class NoticeFrequencyForm(FlaskForm):
    frequency = RadioField(
        "How do you want to get reminders and overdue notices?",
        widget=GovRadioInput(),
        choices=options([(value.value, label) for value, label in FREQUENCY_LABELS.items()]),
        # Checked below with GOV.UK wording instead of WTForms' "Not a valid choice".
        validate_choice=False,
        validators=[InputRequired(CHOOSE)],
    )
    submit = SubmitField("Save", widget=GovSubmitInput())

    def validate_frequency(self, field: RadioField) -> None:
        if field.data not in {value.value for value in NoticeFrequency}:
            raise ValidationError(CHOOSE)
