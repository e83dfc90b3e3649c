"""The workflow's words and people: each step's label, whose turn it is and who may edit in it;
each transition's button words, who may take it, whether it needs a comment, and its
description. Adding or removing steps and changing guards stays in the TOML editor. Every change
goes into the draft only if the whole process validates."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from portal import access
from portal.authorities.schema import AuthorityConfig, Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.editor_support import keep_edit
from portal.blueprints.admin.section_editor import draft_config
from portal.blueprints.admin.section_editor_forms import YES_NO, in_order, role_choices
from portal.blueprints.casework_forms import options
from portal.models import Authority

ADMIN = Role.AUTHORITY_ADMIN
EDITORS_SCOPE = options([("actors", "The roles whose turn it is"), ("chosen", "Only the roles chosen below")])


class WorkflowForm(FlaskForm):
    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())


def _label(name: str, what: str) -> StringField:
    return StringField(
        name,
        widget=GovTextInput(),
        validators=[
            DataRequired(f"Enter {what}"),
            Length(max=120, message=f"{name} must be 120 characters or fewer"),
        ],
    )


def workflow_form(config: AuthorityConfig, **kwargs: Any) -> WorkflowForm:
    """A form with a group of fields per step and per transition (names ``step-<key>-...`` and
    ``transition-<key>-...``)."""
    roles = role_choices(config)

    class Form(WorkflowForm):
        pass

    for step in config.workflow.steps:
        prefix = f"step-{step.key}"
        setattr(Form, f"{prefix}-label", _label("Name of the step", f"the name of step ‘{step.label}’"))
        setattr(
            Form, f"{prefix}-actors", SelectMultipleField("Whose turn it is", widget=GovCheckboxesInput())
        )
        if not step.final:
            setattr(
                Form,
                f"{prefix}-editors_scope",
                RadioField(
                    "Who may edit their sections in this step",
                    widget=GovRadioInput(),
                    choices=EDITORS_SCOPE,
                    validators=[InputRequired(f"Select who may edit in ‘{step.label}’")],
                ),
            )
            setattr(
                Form,
                f"{prefix}-editors",
                SelectMultipleField("Roles who may edit", widget=GovCheckboxesInput()),
            )
    for transition in config.workflow.transitions:
        prefix = f"transition-{transition.key}"
        setattr(Form, f"{prefix}-label", _label("Button words", f"the button words for ‘{transition.label}’"))
        setattr(Form, f"{prefix}-roles", SelectMultipleField("Who may take it", widget=GovCheckboxesInput()))
        setattr(
            Form,
            f"{prefix}-needs_comment",
            RadioField(
                "A written reason is needed",
                widget=GovRadioInput(),
                choices=YES_NO,
                validators=[InputRequired(f"Select whether ‘{transition.label}’ needs a written reason")],
            ),
        )
        setattr(
            Form,
            f"{prefix}-description",
            TextAreaField(
                "Description (optional)",
                widget=GovTextArea(),
                validators=[Length(max=1000, message="Description must be 1000 characters or fewer")],
            ),
        )
    form = Form(**kwargs)
    for field in form:
        if isinstance(field, SelectMultipleField):
            field.choices = roles
    return form


def fill_workflow_form(form: WorkflowForm, config: AuthorityConfig, lock: str) -> None:
    for step in config.workflow.steps:
        prefix = f"step-{step.key}"
        form[f"{prefix}-label"].data = step.label
        form[f"{prefix}-actors"].data = [r.value for r in step.actors]
        if not step.final:
            form[f"{prefix}-editors_scope"].data = "actors" if step.editors is None else "chosen"
            form[f"{prefix}-editors"].data = [r.value for r in step.editors or []]
    for transition in config.workflow.transitions:
        prefix = f"transition-{transition.key}"
        form[f"{prefix}-label"].data = transition.label
        form[f"{prefix}-roles"].data = [r.value for r in transition.roles]
        form[f"{prefix}-needs_comment"].data = "yes" if transition.needs_comment else "no"
        form[f"{prefix}-description"].data = transition.description
    form.draft_lock.data = lock


def apply_workflow_form(form: WorkflowForm, workflow: dict[str, Any]) -> None:
    """Write what was typed into the draft's workflow; steps or transitions the form does not know
    (added meanwhile in TOML) are left as they are."""
    for step in workflow["steps"]:
        prefix = f"step-{step['key']}"
        if f"{prefix}-label" not in form:
            continue
        step["label"] = form[f"{prefix}-label"].data.strip()
        step["actors"] = in_order(step["actors"], form[f"{prefix}-actors"].data)
        if f"{prefix}-editors_scope" in form:
            chosen = form[f"{prefix}-editors_scope"].data == "chosen"
            step["editors"] = (
                in_order(step.get("editors"), form[f"{prefix}-editors"].data) if chosen else None
            )
    for transition in workflow["transitions"]:
        prefix = f"transition-{transition['key']}"
        if f"{prefix}-label" not in form:
            continue
        transition["label"] = form[f"{prefix}-label"].data.strip()
        transition["roles"] = in_order(transition["roles"], form[f"{prefix}-roles"].data)
        transition["needs_comment"] = form[f"{prefix}-needs_comment"].data == "yes"
        transition["description"] = (form[f"{prefix}-description"].data or "").strip()


@bp.route("/process/draft/workflow", methods=["GET", "POST"])
@access.authority_roles(ADMIN)
def workflow(authority: Authority) -> ResponseReturnValue:
    config, lock = draft_config(authority)
    form = workflow_form(config)
    problems: list[str] = []
    if request.method == "GET":
        fill_workflow_form(form, config, lock)
    elif form.validate_on_submit():
        problems = keep_edit(
            authority,
            form.draft_lock.data,
            lambda document: apply_workflow_form(form, document["workflow"]),
            what="workflow steps and transitions",
        )
        if not problems:
            flash("The workflow changed. Review your changes, then publish.", "success")
            return redirect(url_for("admin.review_draft", authority=authority))
    return render_template(
        "admin/workflow_edit.html", authority=authority, config=config, form=form, config_problems=problems
    )
