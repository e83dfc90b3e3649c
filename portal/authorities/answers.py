"""Checking a section's answers against its configured fields and rules.

Answers are stored as JSON: text as strings, dates as ISO strings, yes/no as booleans, numbers,
percentages and money as numbers (money as a string of pounds and pence), rows as lists of
objects. The same checks decide whether a section's mandatory questions are answered (the
engine's ``sections_complete`` guard) and, later, what a form shows next to each field.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from portal.authorities.forms import (
    FieldConfig,
    FieldType,
    MinRows,
    SectionConfig,
    SectionRule,
    WithinPupilPremium,
)

Answers = dict[str, Any]


def is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, str) and not value.strip())


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def value_problem(field: FieldConfig, value: Any) -> str | None:
    """Why a non-blank value is not acceptable for the field, in GOV.UK wording, or None."""
    label = field.label
    match field.type:
        case FieldType.TEXT | FieldType.LONG_TEXT:
            if not isinstance(value, str):
                return f"{label} must be text"
            if field.max_length and len(value) > field.max_length:
                return f"{label} must be {field.max_length} characters or fewer"
        case FieldType.DATE:
            try:
                dt.date.fromisoformat(str(value))
            except ValueError:
                return f"{label} must be a real date"
        case FieldType.YES_NO:
            if not isinstance(value, bool):
                return f"Select yes or no for {label.lower()}"
        case FieldType.CHOICE:
            if value not in {c.value for c in field.choices}:
                return f"Select an option for {label.lower()}"
        case FieldType.PERCENTAGE:
            number = _number(value)
            if number is None or not Decimal(0) <= number <= Decimal(100):
                return f"{label} must be a number between 0 and 100"
        case FieldType.NUMBER:
            if _number(value) is None:
                return f"{label} must be a number"
        case FieldType.MONEY:
            number = _number(value)
            if number is None or number < 0 or number.as_tuple().exponent < -2:  # type: ignore[operator]
                return f"{label} must be an amount in pounds and pence, like 150 or 150.50"
        case FieldType.ROWS:
            if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
                return f"{label} must be a list of rows"
    return None


def _field_problems(field: FieldConfig, value: Any, prefix: str = "") -> dict[str, str]:
    key = f"{prefix}{field.key}"
    if is_blank(value):
        return (
            {
                key: f"Enter {field.label.lower()}"
                if field.type is not FieldType.ROWS
                else f"Add {field.label.lower()}"
            }
            if field.required
            else {}
        )
    if problem := value_problem(field, value):
        return {key: problem}
    problems: dict[str, str] = {}
    if field.type is FieldType.ROWS:
        for index, row in enumerate(value):
            for column in field.columns:
                problems |= _field_problems(column, row.get(column.key), f"{key}.{index}.")
    return problems


def requested_total(rule: WithinPupilPremium, answers: Answers) -> Decimal:
    value = answers.get(rule.field)
    amounts = (
        [row.get(rule.column) for row in value or [] if isinstance(row, dict)] if rule.column else [value]
    )
    return sum((n for a in amounts if (n := _number(a)) is not None), Decimal(0))


def _rule_problem(rule: SectionRule, answers: Answers, pp_plus_per_term: Decimal | None) -> str | None:
    if isinstance(rule, WithinPupilPremium):
        if pp_plus_per_term is None or requested_total(rule, answers) <= pp_plus_per_term:
            return None
        return rule.message.replace("{amount}", f"£{pp_plus_per_term:,.2f}")
    if isinstance(rule, MinRows):
        rows = answers.get(rule.field) or []
        matching = [
            r for r in rows if isinstance(r, dict) and all(r.get(k) == v for k, v in rule.where.items())
        ]
        return rule.message if len(matching) < rule.min else None
    trigger = answers.get(rule.when)
    if is_blank(trigger):
        return None
    if rule.below is not None:
        number = _number(trigger)
        applies = number is not None and number < Decimal(str(rule.below))
    else:
        applies = trigger == rule.equals
    return rule.message if applies and is_blank(answers.get(rule.field)) else None


def section_problems(
    section: SectionConfig, answers: Answers | None, pp_plus_per_term: Decimal | None = None
) -> dict[str, str]:
    """Every problem with a section's answers: field key (or ``rows.0.column``) -> message.

    An empty result means every mandatory question is answered and every rule is met.
    ``pp_plus_per_term`` is the authority's PP+ amount, for within_pp_plus rules.
    """
    answers = answers or {}
    problems: dict[str, str] = {}
    for field in section.fields:
        problems |= _field_problems(field, answers.get(field.key))
    for rule in section.rules:
        if (message := _rule_problem(rule, answers, pp_plus_per_term)) and rule.field not in problems:
            problems[rule.field] = message
    return problems


def is_complete(
    section: SectionConfig, answers: Answers | None, pp_plus_per_term: Decimal | None = None
) -> bool:
    return not section_problems(section, answers, pp_plus_per_term)
