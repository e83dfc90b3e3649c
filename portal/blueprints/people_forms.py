"""Forms for managing people: inviting, giving a role, and accepting an invitation (GOV.UK widgets,
declared fields only). Choices are set by the view from the authority's configuration."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import EmailField, PasswordField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, InputRequired, Length, ValidationError

from portal.authorities.vocabulary import SETTING_ROLES

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def full_name_field() -> StringField:
    return StringField(
        "Full name",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter their full name"),
            Length(max=200, message="Full name must be 200 characters or fewer"),
        ],
    )


def email_field() -> EmailField:
    return EmailField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter their email address"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
            Email(EMAIL_FORMAT),
        ],
        description="The invitation link is sent here. They sign in with this address",
    )


class RoleForm(FlaskForm):
    """A role in the authority, or at one of its settings (then the setting is required)."""

    # Choices are checked here with GOV.UK wording, not WTForms' "Not a valid choice".
    role = SelectField(
        "Role",
        widget=GovSelect(),
        coerce=str,
        choices=[],
        validate_choice=False,
        validators=[DataRequired("Select a role")],
    )
    setting_id = SelectField(
        "Setting",
        widget=GovSelect(),
        coerce=str,
        choices=[],
        validate_choice=False,
        description="Only for a designated teacher or setting staff: the school, nursery or college",
    )
    submit = SubmitField("Give the role", widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        offered = {choice.value for choice in self.role.choices if choice.value}  # type: ignore[union-attr]
        if self.role.data and self.role.data not in offered:
            self.role.errors = [*self.role.errors, "Select a role from the list"]
            return False
        if self.role.data in SETTING_ROLES and not self.setting_id.data:
            self.setting_id.errors = [*self.setting_id.errors, "Select the setting for this role"]
            return False
        return valid


class InviteForm(RoleForm):
    full_name = full_name_field()
    email = email_field()
    submit = SubmitField("Send the invitation", widget=GovSubmitInput())


class ColleagueInviteForm(FlaskForm):
    """A designated teacher invites a colleague to their own setting."""

    full_name = full_name_field()
    email = email_field()
    role = RadioField(
        "Role at the setting",
        widget=GovRadioInput(),
        choices=[],
        validate_choice=False,
        validators=[InputRequired("Select the role at the setting")],
    )
    submit = SubmitField("Send the invitation", widget=GovSubmitInput())

    def validate_role(self, field: RadioField) -> None:
        if field.data not in {choice.value for choice in field.choices}:  # type: ignore[union-attr]
            raise ValidationError("Select the role at the setting")


class AcceptInvitationForm(FlaskForm):
    password = PasswordField(
        "Create a password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter a password")],
        description="At least 12 characters. A phrase of several words is easy to remember and hard to guess",
    )
    confirm_password = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[DataRequired("Enter the password again")],
    )
    submit = SubmitField("Create account", widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if (
            self.password.data
            and self.confirm_password.data
            and self.password.data != self.confirm_password.data
        ):
            self.confirm_password.errors = [*self.confirm_password.errors, "The passwords do not match"]
            return False
        return valid


class AcceptRoleForm(FlaskForm):
    """A signed-in user accepts a role offered to their address."""

    submit = SubmitField("Accept the role", widget=GovSubmitInput())
