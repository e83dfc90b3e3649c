"""Forms for the administrator's settings and imports (GOV.UK widgets, declared fields only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovRadioInput, GovSubmitInput, GovTextInput
from wtforms import HiddenField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from portal.blueprints.casework_forms import options
from portal.models import SettingType
from portal.services.import_format import KINDS


class SettingForm(FlaskForm):
    urn = StringField(
        "URN (optional)",
        widget=GovTextInput(),
        validators=[Optional(), Regexp(r"^\s*\d{6}\s*$", message="URN must be 6 digits, like 123456")],
        description="The setting's 6-digit Unique Reference Number. Alternative provision may have none.",
    )
    name = StringField(
        "Name", widget=GovTextInput(), validators=[DataRequired("Enter the setting's name"), Length(max=200)]
    )
    setting_type = RadioField(
        "Type of setting",
        widget=GovRadioInput(),
        choices=options([(t.value, t.label) for t in SettingType]),
        validators=[InputRequired("Select the type of setting")],
    )
    local_authority_area = StringField(
        "Local authority area (optional)",
        widget=GovTextInput(),
        validators=[Length(max=120)],
        description="The council area the setting is in, for example Cumbria",
    )
    submit = SubmitField("Save the setting", widget=GovSubmitInput())


class ImportForm(FlaskForm):
    kind = RadioField(
        "What does the file hold?",
        widget=GovRadioInput(),
        choices=options(list(KINDS.items())),
        validators=[InputRequired("Select what the file holds")],
    )
    document = FileField(
        "CSV file",
        widget=GovFileInput(),
        validators=[FileRequired("Select a CSV file")],
        description="A CSV export from your social care system, smaller than 5 MB",
    )
    submit = SubmitField("Upload and preview", widget=GovSubmitInput())


class ConfirmImportForm(FlaskForm):
    #: The plan previewed (portal.services.import_plans.Plan.fingerprint).
    fingerprint = HiddenField()
    submit = SubmitField("Import these records", widget=GovSubmitInput())
