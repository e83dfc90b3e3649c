"""The platform administrator's forms: a new authority, and the invitation of its administrator."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import EmailField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length

from portal.blueprints.people_forms import email_field, full_name_field


class NewAuthorityForm(FlaskForm):
    template = SelectField(
        "Start from the process of",
        widget=GovSelect(),
        choices=[],
        validators=[DataRequired("Select the authority whose process to start from")],
        description="Everything is copied except the authority's name and contacts; change the rest later.",
    )
    name = StringField(
        "Name of the authority",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the name of the authority"), Length(max=200)],
        description="For example, Anyshire County Council",
    )
    short_name = StringField(
        "Short name",
        widget=GovTextInput(),
        validators=[DataRequired("Enter a short name"), Length(max=200)],
        description="For example, Anyshire",
    )
    slug = StringField(
        "Name in web addresses",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the name in web addresses"), Length(max=80)],
        description="Lower-case letters and numbers, with hyphens between words, for example anyshire",
    )
    virtual_school_name = StringField(
        "Name of the Virtual School",
        widget=GovTextInput(),
        validators=[DataRequired("Enter the name of the Virtual School"), Length(max=200)],
    )
    contact_email = EmailField(
        "Virtual School contact e-mail",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the Virtual School's contact e-mail"),
            Email("Enter an e-mail address in the correct format, like name@example.org"),
            Length(max=254),
        ],
    )
    submit = SubmitField("Create the authority", widget=GovSubmitInput())


class FirstAdministratorForm(FlaskForm):
    full_name = full_name_field()
    email = email_field()
    submit = SubmitField("Send the invitation", widget=GovSubmitInput())
