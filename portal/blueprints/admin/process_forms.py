"""Forms for publishing, rolling back, importing and editing an authority's process as a whole."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovFileInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import HiddenField, RadioField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal.blueprints.casework_forms import GovDateField, options

#: An authority file is about 50 KB; anything far larger is not one.
MAX_TOML_BYTES = 512 * 1024

MOVE_CHOICES = options(
    [
        ("keep", "Keep open PEPs on the version they started under"),
        ("move", "Move open PEPs on to the new version"),
    ]
)


class PublishForm(FlaskForm):
    note = TextAreaField(
        "What changed and why",
        widget=GovCharacterCount(),
        validators=[DataRequired("Enter what changed and why"), Length(max=500)],
        description="People reading the version history will see this.",
    )
    open_peps = RadioField(
        "PEPs already in progress",
        widget=GovRadioInput(),
        choices=MOVE_CHOICES,
        default="keep",
        validators=[InputRequired("Select what happens to PEPs already in progress")],
    )
    #: The draft's lock_version when the page was shown: publishing what someone changed since is refused.
    draft_lock = HiddenField()
    submit = SubmitField("Publish", widget=GovSubmitInput())


class RollBackForm(FlaskForm):
    note = TextAreaField(
        "Why are you rolling back?",
        widget=GovCharacterCount(),
        validators=[DataRequired("Enter why you are rolling back"), Length(max=500)],
    )
    open_peps = RadioField(
        "PEPs already in progress",
        widget=GovRadioInput(),
        choices=MOVE_CHOICES,
        default="keep",
        validators=[InputRequired("Select what happens to PEPs already in progress")],
    )
    submit = SubmitField("Roll back to this version", widget=GovSubmitInput())


class ImportForm(FlaskForm):
    toml_file = FileField(
        "Process file (.toml)",
        widget=GovFileInput(),
        description="A file exported from PEP Portal, or written to the same format.",
    )
    submit = SubmitField("Check the file", widget=GovSubmitInput())


class TomlForm(FlaskForm):
    toml = TextAreaField(
        "The process as TOML",
        widget=GovTextArea(),
        validators=[DataRequired("Enter the process"), Length(max=MAX_TOML_BYTES)],
    )
    draft_lock = HiddenField()
    submit = SubmitField("Check and keep these changes", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """A button that posts nothing but the CSRF token (start editing, discard the draft)."""

    submit = SubmitField("Continue", widget=GovSubmitInput())


class SampleChildForm(FlaskForm):
    """The sample child whose deadlines the review page shows (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    kind = RadioField("Kind of PEP", widget=GovRadioInput(), choices=[], default="initial")
    emergency = RadioField(
        "Emergency placement",
        widget=GovRadioInput(),
        choices=options([("no", "No"), ("yes", "Yes")]),
        default="no",
    )
    became_looked_after_on = GovDateField("Became looked after on", required_message=None)
    meeting_date = GovDateField("PEP meeting on", required_message=None)
    submit = SubmitField("Show the deadlines", widget=GovSubmitInput())
