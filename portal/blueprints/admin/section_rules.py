"""A section's rules, in plain words, on the section's page: add a "minimum rows" rule to a rows
field (e.g. at least 3 SMART targets, 1 of them academic) or remove a rule. With htmx only the
rules are swapped; without JavaScript each form posts and the page is shown again."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovSubmitInput, GovTextInput
from wtforms import HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from portal import access
from portal.authorities.forms import FieldConfig, FieldType, MinRows, RequiredWhen, SectionConfig
from portal.authorities.schema import AuthorityConfig, Role
from portal.blueprints.admin import bp
from portal.blueprints.admin.editor_support import keep_edit
from portal.blueprints.admin.section_editor import (
    draft_config,
    render_section_page,
)
from portal.blueprints.casework_forms import options
from portal.extensions import htmx
from portal.models import Authority

ADMIN = Role.AUTHORITY_ADMIN


class MinRowsForm(FlaskForm):
    field = SelectField("Rows of", widget=GovSelect(), choices=[])
    minimum = IntegerField(
        "Minimum number of rows",
        widget=GovTextInput(),
        validators=[
            InputRequired("Enter the minimum number of rows, like 3"),
            NumberRange(1, 100, message="Minimum number of rows must be between 1 and 100"),
        ],
    )
    where = SelectField(
        "Count only rows where (optional)", widget=GovSelect(), choices=[], validate_choice=False
    )
    message = StringField(
        "Message when there are too few",
        widget=GovTextInput(),
        validators=[
            DataRequired("Enter the message people see when there are too few rows"),
            Length(max=120, message="Message must be 120 characters or fewer"),
        ],
        description="For example: Set at least 3 SMART targets",
    )
    draft_lock = HiddenField()
    submit = SubmitField("Add this rule", widget=GovSubmitInput())


class RemoveRuleForm(FlaskForm):
    draft_lock = HiddenField()


def _choice_label(field: FieldConfig | None, value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    choice = next((c for c in field.choices if c.value == value), None) if field else None
    return choice.label if choice else str(value)


def describe_rule(section: SectionConfig, rule: Any) -> str:
    """A rule in plain words, e.g. "At least 1 row in SMART targets where Kind of target is
    Learning and attainment"."""
    field = section.field(rule.field)
    name = field.label if field else rule.field
    if isinstance(rule, MinRows):
        columns = {c.key: c for c in field.columns} if field else {}
        text = f"At least {rule.min} {'row' if rule.min == 1 else 'rows'} in {name}"
        conditions = [
            f"{columns[c].label if c in columns else c} is {_choice_label(columns.get(c), v)}"
            for c, v in rule.where.items()
        ]
        return text + (f" where {' and '.join(conditions)}" if conditions else "")
    if isinstance(rule, RequiredWhen):
        when = section.field(rule.when)
        when_name = when.label if when else rule.when
        condition = (
            f"is below {rule.below:g}" if rule.below is not None else f"is {_choice_label(when, rule.equals)}"
        )
        return f"{name} must be answered when {when_name} {condition}"
    total = f"the total of {name}" if rule.column else name
    return f"{total} must not be more than the Pupil Premium Plus amount for a term"


def _rows_fields(section: SectionConfig) -> list[FieldConfig]:
    return [f for f in section.fields if f.type is FieldType.ROWS]


def min_rows_form(section: SectionConfig, **kwargs: Any) -> MinRowsForm:
    form = MinRowsForm(prefix="rule", **kwargs)
    rows = _rows_fields(section)
    form.field.choices = options([(f.key, f.label) for f in rows])
    conditions = [("", "Every row")]
    for field in rows:
        for column in field.columns:
            for choice in column.choices:
                prefix = f"{field.label}: " if len(rows) > 1 else ""
                conditions.append(
                    (f"{column.key}={choice.value}", f"{prefix}{column.label} is {choice.label}")
                )
    form.where.choices = options(conditions)
    return form


def rules_context(
    authority: Authority,
    config: AuthorityConfig,
    key: str,
    lock: str,
    rule_form: MinRowsForm | None,
    rule_problems: list[str],
    oob_lock: bool = False,
) -> dict[str, Any]:
    section = config.sections[key]
    form = rule_form or min_rows_form(section)
    if rule_form is None:
        form.draft_lock.data = lock
    return {
        "rules": [(index, describe_rule(section, rule), rule) for index, rule in enumerate(section.rules)],
        "rule_form": form if _rows_fields(section) else None,
        "rule_problems": rule_problems,
        "rules_lock": lock,
        "oob_lock": oob_lock,
    }


def _rules_response(
    authority: Authority, key: str, form: MinRowsForm | None = None, problems: list[str] | None = None
) -> ResponseReturnValue:
    """With htmx, the rules alone (and the section form's new lock); else the whole page."""
    config, lock = draft_config(authority)
    if htmx:
        return render_template(
            "admin/_section_rules.html",
            authority=authority,
            key=key,
            **rules_context(authority, config, key, lock, form, problems or [], oob_lock=True),
        )
    from portal.blueprints.admin.section_editor_forms import fill_section_form, section_form

    section_edit = section_form(config, config.sections[key])
    fill_section_form(section_edit, config.sections[key], lock)
    return render_section_page(authority, config, key, section_edit, problems or [], form, problems)


def _section_or_404(config: AuthorityConfig, key: str) -> SectionConfig:
    section = config.sections.get(key)
    if section is None:
        abort(404)
    return section


@bp.post("/process/draft/sections/<key>/rules")
@access.authority_roles(ADMIN)
def add_section_rule(authority: Authority, key: str) -> ResponseReturnValue:
    config, _ = draft_config(authority)
    section = _section_or_404(config, key)
    form = min_rows_form(section)
    if not form.validate_on_submit():
        return _rules_response(authority, key, form)
    column, _, value = (form.where.data or "").partition("=")
    rule = {
        "kind": "min_rows",
        "field": form.field.data,
        "min": form.minimum.data,
        "where": {column: value} if column else {},
        "message": form.message.data.strip(),
    }

    def change(document: dict[str, Any]) -> None:
        document["sections"][key].setdefault("rules", []).append(rule)

    problems = keep_edit(authority, form.draft_lock.data, change, what=f"section {key}: rule added")
    if problems:
        return _rules_response(authority, key, form, problems)
    if htmx:
        return _rules_response(authority, key)
    flash("Rule added. Review your changes, then publish.", "success")
    return redirect(url_for("admin.edit_section_config", authority=authority, key=key, _anchor="rules"))


@bp.post("/process/draft/sections/<key>/rules/<int:index>/remove")
@access.authority_roles(ADMIN)
def remove_section_rule(authority: Authority, key: str, index: int) -> ResponseReturnValue:
    config, _ = draft_config(authority)
    section = _section_or_404(config, key)
    if index >= len(section.rules):
        abort(404)
    form = RemoveRuleForm()
    if not form.validate_on_submit():
        abort(400)

    def change(document: dict[str, Any]) -> None:
        del document["sections"][key]["rules"][index]

    problems = keep_edit(authority, form.draft_lock.data, change, what=f"section {key}: rule removed")
    if problems:
        return _rules_response(authority, key, problems=problems)
    if htmx:
        return _rules_response(authority, key)
    flash("Rule removed. Review your changes, then publish.", "success")
    return redirect(url_for("admin.edit_section_config", authority=authority, key=key, _anchor="rules"))
