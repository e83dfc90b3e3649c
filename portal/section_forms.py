"""A PEP section as an HTML form, driven by the authority's field configuration.

Sections differ per authority and phase, so their forms are built from configuration rather than
declared as classes: :func:`parse` reads exactly the declared fields from the posted form (nothing
else is bound) into answers, with GOV.UK-worded errors; :func:`form_values` turns stored answers
back into what the inputs show. Rows ("add another target") work without JavaScript: the add and
remove buttons post the form, which is shown again with the change and nothing saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from werkzeug.datastructures import MultiDict

from portal.authorities.answers import Answers
from portal.authorities.forms import FieldConfig, FieldType, SectionConfig

MAX_ROWS = 30


@dataclass
class ParsedSection:
    answers: Answers
    #: Field path ("attendance_percentage", "targets.1.by_when") -> message.
    errors: dict[str, str] = field(default_factory=dict)
    #: What the inputs should show again, exactly as typed.
    values: dict[str, Any] = field(default_factory=dict)


def input_id(path: str, field_type: FieldType | None = None) -> str:
    """The HTML id of a field's first input, for error summary links."""
    html = path.replace(".", "-")
    return f"{html}-day" if field_type is FieldType.DATE else html


def row_count(section: SectionConfig, form: MultiDict[str, str], key: str) -> int:
    try:
        return max(0, min(int(form.get(f"{key}-rows", "0")), MAX_ROWS))
    except ValueError:
        return 0


def parse(section: SectionConfig, form: MultiDict[str, str]) -> ParsedSection:
    parsed = ParsedSection(answers={})
    for config in section.fields:
        if config.type is FieldType.ROWS:
            rows = []
            for index in range(row_count(section, form, config.key)):
                row: dict[str, Any] = {}
                for column in config.columns:
                    path = f"{config.key}.{index}.{column.key}"
                    value = _parse_value(column, form, path, parsed)
                    if value is not None:
                        row[column.key] = value
                if row:
                    rows.append(row)
            parsed.values[config.key] = len(rows)
            if rows:
                parsed.answers[config.key] = rows
        else:
            value = _parse_value(config, form, config.key, parsed)
            if value is not None:
                parsed.answers[config.key] = value
    return parsed


def _parse_value(config: FieldConfig, form: MultiDict[str, str], path: str, parsed: ParsedSection) -> Any:
    name = input_id(path)
    label = config.label
    if config.type is FieldType.DATE:
        parts = {part: form.get(f"{name}-{part}", "").strip() for part in ("day", "month", "year")}
        parsed.values[path] = parts
        if not any(parts.values()):
            return None
        missing = [part for part, value in parts.items() if not value]
        if missing:
            parsed.errors[path] = f"{label} must include a {' and '.join(missing)}"
            return None
        try:
            return dt.date(int(parts["year"]), int(parts["month"]), int(parts["day"])).isoformat()
        except ValueError:
            parsed.errors[path] = f"{label} must be a real date"
            return None
    raw = form.get(name, "")
    raw = raw.strip() if config.type is not FieldType.LONG_TEXT else raw.strip("\r\n ")
    parsed.values[path] = raw
    if raw == "":
        return None
    match config.type:
        case FieldType.YES_NO:
            if raw not in ("yes", "no"):
                parsed.errors[path] = f"Select yes or no for {label.lower()}"
                return None
            return raw == "yes"
        case FieldType.PERCENTAGE | FieldType.NUMBER | FieldType.MONEY:
            cleaned = raw.removeprefix("£").removesuffix("%").replace(",", "").strip()
            try:
                number = Decimal(cleaned)
            except InvalidOperation:
                parsed.errors[path] = f"{label} must be a number"
                return None
            if config.type is FieldType.MONEY:
                return str(number)
            return int(number) if number == number.to_integral_value() else float(number)
    return raw


def form_values(section: SectionConfig, answers: Answers | None) -> dict[str, Any]:
    """What the inputs show for stored answers (the inverse of :func:`parse`)."""
    answers = answers or {}
    values: dict[str, Any] = {}
    for config in section.fields:
        if config.type is FieldType.ROWS:
            rows = answers.get(config.key) or []
            values[config.key] = len(rows)
            for index, row in enumerate(rows):
                for column in config.columns:
                    values[f"{config.key}.{index}.{column.key}"] = _display(column, row.get(column.key))
        else:
            values[config.key] = _display(config, answers.get(config.key))
    return values


def _display(config: FieldConfig, value: Any) -> Any:
    if value is None:
        return {"day": "", "month": "", "year": ""} if config.type is FieldType.DATE else ""
    if config.type is FieldType.DATE:
        try:
            day = dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            return {"day": "", "month": "", "year": ""}
        return {"day": str(day.day), "month": str(day.month), "year": str(day.year)}
    if config.type is FieldType.YES_NO:
        return "yes" if value else "no"
    return str(value)


def display_answer(config: FieldConfig, value: Any) -> str:
    """A stored answer as a person reads it."""
    if value in (None, "", []):
        return "Not answered"
    match config.type:
        case FieldType.DATE:
            try:
                day = dt.date.fromisoformat(value)
            except (TypeError, ValueError):
                return str(value)
            return f"{day.day} {day:%B %Y}"
        case FieldType.YES_NO:
            return "Yes" if value else "No"
        case FieldType.CHOICE:
            return next((c.label for c in config.choices if c.value == value), str(value))
        case FieldType.PERCENTAGE:
            return f"{value}%"
        case FieldType.MONEY:
            return f"£{Decimal(str(value)):,.2f}"
    return str(value)
