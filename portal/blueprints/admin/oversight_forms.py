"""Forms for the funding and quality assurance editors."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCharacterCount,
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import (
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from portal.authorities.oversight import TuitionArranger
from portal.blueprints.admin.deadline_forms import NumberField
from portal.blueprints.casework_forms import options

YES_NO = options([("yes", "Yes"), ("no", "No")])


class FundingForm(FlaskForm):
    pp_plus_per_term = StringField(
        "PP+ a setting may request per child per term",
        widget=GovTextInput(),
        validators=[InputRequired("Enter the PP+ per term")],
    )
    per_target_costing = RadioField(
        "Are requests costed against individual targets?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired("Select yes if requests are costed against individual targets")],
    )
    minimum_grade = SelectField("Minimum QA grade for funding", widget=GovSelect(), choices=[])
    tuition_arranged_by = SelectMultipleField(
        "Who may arrange additional 1:1 tuition",
        widget=GovCheckboxesInput(),
        choices=[],
    )
    note = TextAreaField("Note", widget=GovCharacterCount(), validators=[Length(max=1000)])
    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())

    def validate_pp_plus_per_term(self, field: StringField) -> None:
        typed = (field.data or "").strip().removeprefix("£").replace(",", "")
        try:
            amount = Decimal(typed)
        except InvalidOperation:
            raise ValidationError(
                "Enter the PP+ per term as an amount of money, like 550 or 550.50"
            ) from None
        if not amount.is_finite():
            raise ValidationError("Enter the PP+ per term as an amount of money, like 550 or 550.50")
        if amount < 0:
            raise ValidationError("The PP+ per term must be £0 or more")
        if amount != amount.quantize(Decimal("0.01")):
            raise ValidationError("The PP+ per term must be in pounds and pence, like 550.50")

    def amount(self) -> str:
        return str(Decimal((self.pp_plus_per_term.data or "").strip().removeprefix("£").replace(",", "")))

    def fill_choices(self, scale: list[dict[str, Any]], virtual_school_name: str) -> None:
        self.minimum_grade.choices = options(
            [("", "No minimum: funding does not depend on the grade")]
            + [(g["key"], g["label"]) for g in scale]
        )
        self.tuition_arranged_by.choices = options(
            [
                (TuitionArranger.SETTING.value, "The setting"),
                (TuitionArranger.VIRTUAL_SCHOOL.value, virtual_school_name),
            ]
        )

    def load(self, funding: dict[str, Any]) -> None:
        self.pp_plus_per_term.data = f"{Decimal(funding['pp_plus_per_term']):.2f}"
        self.per_target_costing.data = "yes" if funding["per_target_costing"] else "no"
        self.minimum_grade.data = funding.get("minimum_grade") or ""
        self.tuition_arranged_by.data = list(funding["tuition_arranged_by"])
        self.note.data = funding.get("note", "")

    def funding(self) -> dict[str, Any]:
        return {
            "pp_plus_per_term": self.amount(),
            "per_target_costing": self.per_target_costing.data == "yes",
            "minimum_grade": self.minimum_grade.data or None,
            "tuition_arranged_by": list(self.tuition_arranged_by.data or []),
            "note": (self.note.data or "").strip(),
        }


class GradeRow(Form):
    key = HiddenField()
    label = StringField(
        "Name", widget=GovTextInput(), validators=[DataRequired("Enter the name of the grade")]
    )
    returns = RadioField(
        "Does this grade send the PEP back for improvement?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired("Select yes if this grade sends the PEP back for improvement")],
    )


class CriterionRow(Form):
    key = HiddenField()
    label = StringField("Criterion", widget=GovTextInput(), validators=[DataRequired("Enter the criterion")])
    description = TextAreaField(
        "Description (optional)", widget=GovCharacterCount(), validators=[Length(max=1000)]
    )


class QualityAssuranceForm(FlaskForm):
    """The whole ``qa`` table; the pressed button (``action``) may also add, remove or move a row."""

    scale = FieldList(FormField(GradeRow))
    new_grade_label = StringField("Name of a new grade", widget=GovTextInput(), validators=[Length(max=120)])
    criteria = FieldList(FormField(CriterionRow))
    new_criterion_label = StringField("A new criterion", widget=GovTextInput(), validators=[Length(max=120)])
    grade_each_criterion = RadioField(
        "Is each criterion graded on the scale too?",
        widget=GovRadioInput(),
        choices=YES_NO,
        validators=[InputRequired("Select yes if each criterion is graded on the scale")],
    )
    sampling_mode = RadioField(
        "Which PEPs does the Virtual School grade?",
        widget=GovRadioInput(),
        choices=options([("all", "Every PEP"), ("sample", "A sample")]),
        validators=[InputRequired("Select which PEPs the Virtual School grades")],
    )
    per_setting_per_term = NumberField(
        "At least this many PEPs per setting per term",
        message="Enter the sample size as a whole number, like 1",
    )
    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())

    def validate_per_setting_per_term(self, field: NumberField) -> None:
        typed = bool(field.raw_data and field.raw_data[0].strip())
        if self.sampling_mode.data == "sample" and not typed:
            raise ValidationError("Enter how many PEPs per setting per term are in the sample")

    def load(self, qa: dict[str, Any]) -> None:
        for grade in qa["scale"]:
            self.scale.append_entry({**grade, "returns": "yes" if grade["returns"] else "no"})
        for criterion in qa["criteria"]:
            self.criteria.append_entry(criterion)
        self.grade_each_criterion.data = "yes" if qa["grade_each_criterion"] else "no"
        self.sampling_mode.data = qa["sampling"]["mode"]
        self.per_setting_per_term.data = qa["sampling"].get("per_setting_per_term")

    def qa(self) -> dict[str, Any]:
        sample = self.sampling_mode.data == "sample"
        return {
            "scale": [
                {
                    "key": row.form.key.data,
                    "label": row.form.label.data.strip(),
                    "returns": row.form.returns.data == "yes",
                }
                for row in self.scale
            ],
            "criteria": [
                {
                    "key": row.form.key.data,
                    "label": row.form.label.data.strip(),
                    "description": (row.form.description.data or "").strip(),
                }
                for row in self.criteria
            ],
            "grade_each_criterion": self.grade_each_criterion.data == "yes",
            "sampling": {
                "mode": self.sampling_mode.data,
                "per_setting_per_term": self.per_setting_per_term.data if sample else None,
            },
        }
