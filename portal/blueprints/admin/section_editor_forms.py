"""Forms for the structured editors of sections and the workflow.

The questions a form asks depend on the authority's process (its steps, roles, a section's
fields), so each form class is built for the configuration it edits. Field names are stable and
readable: ``owner_in_<step>``, ``<field>-label``, ``step-<key>-actors``, ``transition-<key>-roles``.
"""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from portal.authorities.forms import FieldType, SectionConfig
from portal.authorities.schema import AuthorityConfig
from portal.blueprints.casework_forms import options

YES_NO = options([("yes", "Yes"), ("no", "No")])
#: Field types whose answers have a maximum length.
HAS_MAX_LENGTH = {FieldType.TEXT, FieldType.LONG_TEXT}
SAME_AS_OWNER = ""


def in_order(before: list[str] | None, chosen: list[str] | None) -> list[str]:
    """The roles chosen, those already there first in their order (so an untouched list is not
    reported as a change), then the new ones."""
    chosen = list(chosen or [])
    return [r for r in before or [] if r in chosen] + [r for r in chosen if r not in (before or [])]


def role_choices(config: AuthorityConfig) -> list[Any]:
    return options([(role.value, config.role_label(role)) for role in config.roles])


class SectionForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the section's title"),
            Length(max=120, message="Title must be 120 characters or fewer"),
        ],
    )
    description = TextAreaField(
        "Description (optional)",
        widget=GovTextArea(),
        validators=[Length(max=1000, message="Description must be 1000 characters or fewer")],
        description="Shown under the section's title to everyone completing it.",
    )
    owner = SelectField("Who completes it", widget=GovSelect(), choices=[])
    readers_scope = RadioField(
        "Who may read it",
        widget=GovRadioInput(),
        choices=options(
            [("everyone", "Everyone who may see the PEP"), ("chosen", "Only the roles chosen below")]
        ),
        validators=[InputRequired("Select who may read the section")],
    )
    readers = SelectMultipleField(
        "Roles who may read it",
        widget=GovCheckboxesInput(),
        choices=[],
        description="Those who complete the section may always read it.",
    )
    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())

    #: Filled by :func:`section_form`: the per-step owner fields and the per-question fields.
    step_fields: list[tuple[str, str]]
    question_fields: list[dict[str, Any]]


def section_form(config: AuthorityConfig, section: SectionConfig, **kwargs: Any) -> SectionForm:
    """A form for ``section`` with an owner choice per step and a group of fields per question."""
    roles = role_choices(config)

    class Form(SectionForm):
        pass

    steps = [s for s in config.workflow.steps if not s.final]
    for step in steps:
        setattr(
            Form,
            f"owner_in_{step.key}",
            SelectField(
                step.label,
                widget=GovSelect(),
                choices=options([(SAME_AS_OWNER, "Same as the owner")]) + roles,
            ),
        )
    questions = []
    for field in section.fields:
        names = {"key": field.key, "config": field}
        setattr(
            Form,
            f"{field.key}-label",
            StringField(
                "Question",
                widget=GovTextInput(),
                validators=[
                    DataRequired(f"Enter the question for ‘{field.label}’"),
                    Length(max=120, message="Question must be 120 characters or fewer"),
                ],
            ),
        )
        setattr(
            Form,
            f"{field.key}-hint",
            TextAreaField(
                "Hint (optional)",
                widget=GovTextArea(),
                validators=[Length(max=1000, message="Hint must be 1000 characters or fewer")],
            ),
        )
        setattr(
            Form,
            f"{field.key}-required",
            RadioField(
                "Mandatory",
                widget=GovRadioInput(),
                choices=YES_NO,
                validators=[InputRequired(f"Select whether ‘{field.label}’ is mandatory")],
            ),
        )
        if field.type in HAS_MAX_LENGTH:
            setattr(
                Form,
                f"{field.key}-max_length",
                IntegerField(
                    "Maximum length in characters (optional)",
                    widget=GovTextInput(),
                    validators=[
                        Optional(),
                        NumberRange(1, 20000, message="Maximum length must be between 1 and 20000"),
                    ],
                ),
            )
        questions.append(names)
    form = Form(**kwargs)
    form.owner.choices = roles
    form.readers.choices = roles
    form.step_fields = [(f"owner_in_{s.key}", s.label) for s in steps]
    form.question_fields = questions
    return form


def fill_section_form(form: SectionForm, section: SectionConfig, lock: str) -> None:
    """Show the section as it is (a GET)."""
    form.title.data = section.title
    form.description.data = section.description
    form.owner.data = section.owner.value
    form.readers_scope.data = "everyone" if section.readers is None else "chosen"
    form.readers.data = [r.value for r in section.readers or []]
    for name, _ in form.step_fields:
        step = name.removeprefix("owner_in_")
        form[name].data = section.owners[step].value if step in section.owners else SAME_AS_OWNER
    for field in section.fields:
        form[f"{field.key}-label"].data = field.label
        form[f"{field.key}-hint"].data = field.hint
        form[f"{field.key}-required"].data = "yes" if field.required else "no"
        if f"{field.key}-max_length" in form:
            form[f"{field.key}-max_length"].data = field.max_length
    form.draft_lock.data = lock


def apply_section_form(form: SectionForm, section: dict[str, Any]) -> None:
    """Write what the administrator typed into the draft's section (a dict of the document)."""
    section["title"] = form.title.data.strip()
    section["description"] = (form.description.data or "").strip()
    section["owner"] = form.owner.data
    section["readers"] = (
        None if form.readers_scope.data == "everyone" else in_order(section.get("readers"), form.readers.data)
    )
    owners = dict(section.get("owners") or {})
    for name, _ in form.step_fields:
        step = name.removeprefix("owner_in_")
        if form[name].data == SAME_AS_OWNER:
            owners.pop(step, None)
        else:
            owners[step] = form[name].data
    section["owners"] = owners
    for field in section.get("fields", []):
        key = field["key"]
        if f"{key}-label" not in form:
            continue
        field["label"] = form[f"{key}-label"].data.strip()
        field["hint"] = (form[f"{key}-hint"].data or "").strip()
        field["required"] = form[f"{key}-required"].data == "yes"
        if f"{key}-max_length" in form:
            field["max_length"] = form[f"{key}-max_length"].data
