"""Forms for the term dates editor: one academic year's terms, a closure day, submission dates."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSubmitInput
from wtforms import Field, HiddenField, RadioField, SubmitField
from wtforms.validators import InputRequired, ValidationError

from portal.authorities.vocabulary import Term
from portal.blueprints.admin.deadline_forms import NumberField
from portal.blueprints.casework_forms import GovDateField, options

PARTS = ("starts", "ends", "half_term_starts", "half_term_ends")


def _part_label(term: Term, part: str) -> str:
    return {
        "starts": f"Start of the {term} term",
        "ends": f"End of the {term} term",
        "half_term_starts": f"Start of the {term} half term",
        "half_term_ends": f"End of the {term} half term",
    }[part]


class AcademicYearForm(FlaskForm):
    """Three terms, each with its dates and an optional half term (``autumn_starts``, ...)."""

    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())

    def term_fields(self, term: Term) -> list[Field]:
        return [self[f"{term}_{part}"] for part in PARTS]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for term in Term:
            starts, ends = self[f"{term}_half_term_starts"], self[f"{term}_half_term_ends"]
            if starts.data and not ends.data and not ends.errors:
                ends.errors = [*ends.errors, f"Enter when the {term} half term ends"]
                valid = False
            if ends.data and not starts.data and not starts.errors:
                starts.errors = [*starts.errors, f"Enter when the {term} half term starts"]
                valid = False
        return valid

    def load(self, year: dict[str, Any]) -> None:
        for term in year["terms"]:
            half = term.get("half_term") or {}
            values = [term["starts"], term["ends"], half.get("starts"), half.get("ends")]
            for field, value in zip(self.term_fields(Term(term["term"])), values, strict=True):
                field.data = dt.date.fromisoformat(value) if value else None

    def terms(self) -> list[dict[str, Any]]:
        terms = []
        for term in Term:
            starts, ends, half_starts, half_ends = (f.data for f in self.term_fields(term))
            half = {"starts": half_starts.isoformat(), "ends": half_ends.isoformat()} if half_starts else None
            terms.append(
                {
                    "starts": starts.isoformat(),
                    "ends": ends.isoformat(),
                    "term": term.value,
                    "half_term": half,
                }
            )
        return terms


for _term in Term:
    for _part in PARTS:
        _label = _part_label(_term, _part)
        required = None if _part.startswith("half") else f"Enter the {_label[0].lower()}{_label[1:]}"
        setattr(
            AcademicYearForm,
            f"{_term}_{_part}",
            GovDateField(_label, required_message=required),
        )


class ClosureForm(FlaskForm):
    closure = GovDateField("Closure day", required_message="Enter the closure day")
    draft_lock = HiddenField()
    submit = SubmitField("Add this closure day", widget=GovSubmitInput())
    #: The closure days already listed (ISO dates).
    existing: tuple[str, ...] = ()

    def validate_closure(self, field: GovDateField) -> None:
        if field.data and field.data.isoformat() in self.existing:
            raise ValidationError("That day is already a closure day")


class SubmissionDatesForm(FlaskForm):
    """A day and month per term (``autumn_day``, ``autumn_month``, ...), or none at all."""

    use = RadioField(
        "Do PEPs have a submission date each term?",
        widget=GovRadioInput(),
        choices=options([("yes", "Yes, a date each term"), ("no", "No")]),
        validators=[InputRequired("Select yes if PEPs have a submission date each term")],
    )
    draft_lock = HiddenField()
    submit = SubmitField("Keep this change", widget=GovSubmitInput())

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.use.data != "yes":
            return valid
        for term in Term:
            day, month = self[f"{term}_day"], self[f"{term}_month"]
            if day.errors or month.errors:
                valid = False
                continue
            if day.data is None or month.data is None:
                day.errors = [f"Enter the day and month of the {term} submission date"]
                valid = False
                continue
            try:
                dt.date(2024, month.data, day.data)  # a leap year: 29 February is a real day
            except ValueError:
                day.errors = [f"The {term} submission date must be a real day of the year"]
                valid = False
        return valid

    def load(self, submission_dates: dict[str, str]) -> None:
        self.use.data = "yes" if submission_dates else "no"
        for term, month_day in submission_dates.items():
            month, day = month_day.split("-")
            self[f"{term}_day"].data, self[f"{term}_month"].data = int(day), int(month)

    def dates(self) -> dict[str, str]:
        if self.use.data != "yes":
            return {}
        return {t.value: f"{self[f'{t}_month'].data:02d}-{self[f'{t}_day'].data:02d}" for t in Term}


for _term in Term:
    setattr(SubmissionDatesForm, f"{_term}_day", NumberField("Day", message="Enter the day as a number"))
    setattr(
        SubmissionDatesForm, f"{_term}_month", NumberField("Month", message="Enter the month as a number")
    )
