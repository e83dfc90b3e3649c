"""What changed between two sets of a section's answers: question by question, rows cell by cell,
long text word by word. Pure: it reads no database, so the history counts changes with it too."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from portal.authorities.forms import FieldConfig, FieldType, SectionConfig
from portal.section_forms import display_answer

Status = Literal["added", "removed", "changed", "unchanged"]


@dataclass(frozen=True)
class WordChange:
    text: str
    kind: Literal["same", "added", "removed"]


@dataclass(frozen=True)
class CellComparison:
    key: str
    label: str
    before: str
    after: str
    status: Status
    #: A word-level diff of long text that changed.
    words: list[WordChange] | None = None


@dataclass(frozen=True)
class RowComparison:
    #: The row's number in each version (none where it does not exist there).
    before_number: int | None
    after_number: int | None
    status: Status
    cells: list[CellComparison]

    @property
    def number(self) -> int:
        return self.after_number or self.before_number or 0


@dataclass(frozen=True)
class QuestionComparison:
    key: str
    label: str
    type: str
    before: str
    after: str
    status: Status
    #: False for a question the PEP's form no longer asks (its process changed since).
    in_form: bool = True
    words: list[WordChange] | None = None
    rows: list[RowComparison] = field(default_factory=list)


def questions(
    section: SectionConfig | None, before: dict[str, Any], after: dict[str, Any]
) -> list[QuestionComparison]:
    """The form's questions in order, then any answered in a version but no longer asked."""
    fields = list(section.fields) if section else []
    known = {f.key for f in fields}
    extra = [k for k in dict.fromkeys([*before, *after]) if k not in known]
    result = [_question(f.key, f, before.get(f.key), after.get(f.key)) for f in fields]
    result += [_question(k, None, before.get(k), after.get(k)) for k in extra]
    return result


def _question(key: str, config: FieldConfig | None, before: Any, after: Any) -> QuestionComparison:
    status = _status(before, after)
    is_rows = (config.type is FieldType.ROWS) if config else _looks_like_rows(before, after)
    label = config.label if config else _words(key)
    kind = config.type.value if config else ("rows" if is_rows else "text")
    if is_rows:
        return QuestionComparison(
            key=key,
            label=label,
            type=kind,
            before=_row_count(before),
            after=_row_count(after),
            status=status,
            in_form=config is not None,
            rows=_rows(config, before, after) if status != "unchanged" else [],
        )
    return QuestionComparison(
        key=key,
        label=label,
        type=kind,
        before=_display(config, before),
        after=_display(config, after),
        status=status,
        in_form=config is not None,
        words=_word_diff(before, after) if status == "changed" and _is_long_text(config) else None,
    )


def _rows(config: FieldConfig | None, before: Any, after: Any) -> list[RowComparison]:
    """Rows matched by content (difflib), so removing the first row shows as one row removed,
    not every later row changed; rows in a replaced stretch are compared cell by cell."""
    old = [r for r in (before or []) if isinstance(r, dict)]
    new = [r for r in (after or []) if isinstance(r, dict)]
    columns = list(config.columns) if config else []
    known = {c.key for c in columns}
    extra = [k for row in [*old, *new] for k in row if k not in known]
    keys: list[tuple[str, FieldConfig | None]] = [(c.key, c) for c in columns] + [
        (k, None) for k in dict.fromkeys(extra)
    ]

    def row(i: int | None, j: int | None) -> RowComparison:
        a = old[i] if i is not None else {}
        b = new[j] if j is not None else {}
        cells = [_cell(k, c, a.get(k), b.get(k), whole_row=i is None or j is None) for k, c in keys]
        if i is None:
            status: Status = "added"
        elif j is None:
            status = "removed"
        else:
            status = "changed" if any(c.status != "unchanged" for c in cells) else "unchanged"
        return RowComparison(
            before_number=None if i is None else i + 1,
            after_number=None if j is None else j + 1,
            status=status,
            cells=cells,
        )

    matcher = difflib.SequenceMatcher(
        None, [_row_key(r) for r in old], [_row_key(r) for r in new], autojunk=False
    )
    result: list[RowComparison] = []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            result += [row(i, j) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        paired = min(i2 - i1, j2 - j1)
        result += [row(i1 + n, j1 + n) for n in range(paired)]
        result += [row(i, None) for i in range(i1 + paired, i2)]
        result += [row(None, j) for j in range(j1 + paired, j2)]
    return result


def _cell(
    key: str, config: FieldConfig | None, before: Any, after: Any, *, whole_row: bool
) -> CellComparison:
    status = _status(before, after)
    return CellComparison(
        key=key,
        label=config.label if config else _words(key),
        before=_display(config, before),
        after=_display(config, after),
        status=status,
        words=(
            _word_diff(before, after)
            if status == "changed" and not whole_row and _is_long_text(config)
            else None
        ),
    )


def _word_diff(before: Any, after: Any) -> list[WordChange]:
    """Long text word by word: runs of words kept, removed and added, in reading order."""
    old = re.findall(r"\S+|\s+", str(before or ""))
    new = re.findall(r"\S+|\s+", str(after or ""))
    parts: list[WordChange] = []

    def add(words: Sequence[str], kind: Literal["same", "added", "removed"]) -> None:
        text = "".join(words)
        if not text:
            return
        if parts and parts[-1].kind == kind:
            parts[-1] = WordChange(parts[-1].text + text, kind)
        else:
            parts.append(WordChange(text, kind))

    def change(words: Sequence[str], kind: Literal["added", "removed"]) -> None:
        """Spaces around a change are shown as kept, so only words are struck through or
        underlined; a change of spacing alone shows the new spacing."""
        text = "".join(words)
        core = text.strip()
        if not core:
            add([text] if kind == "added" else [], "same")
            return
        add([text[: len(text) - len(text.lstrip())]], "same")
        add([core], kind)
        add([text[len(text.rstrip()) :]], "same")

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            add(new[j1:j2], "same")
        else:
            change(old[i1:i2], "removed")
            change(new[j1:j2], "added")
    return parts


# --- Values -------------------------------------------------------------------------------------


def _blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _normal(value: Any) -> Any:
    """A value as compared: blanks are all alike, and a row's blank cells are no cells."""
    if _blank(value):
        return None
    if isinstance(value, list):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items() if not _blank(v)}
    return value


def _status(before: Any, after: Any) -> Status:
    if _normal(before) == _normal(after):
        return "unchanged"
    if _blank(before):
        return "added"
    if _blank(after):
        return "removed"
    return "changed"


def _row_key(row: dict[str, Any]) -> str:
    return json.dumps(_normal(row), sort_keys=True, default=str)


def _row_count(value: Any) -> str:
    count = len(value) if isinstance(value, list) else 0
    if not count:
        return "Not answered"
    return f"{count} {'row' if count == 1 else 'rows'}"


def _looks_like_rows(*values: Any) -> bool:
    return any(isinstance(v, list) and v and all(isinstance(r, dict) for r in v) for v in values)


def _is_long_text(config: FieldConfig | None) -> bool:
    return config is not None and config.type is FieldType.LONG_TEXT


def _display(config: FieldConfig | None, value: Any) -> str:
    if config is not None:
        return display_answer(config, value)
    if _blank(value):
        return "Not answered"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


def _words(key: str) -> str:
    """ "time_out_of_education" -> "Time out of education": a question the form no longer has."""
    text = key.replace("_", " ").strip()
    return text[:1].upper() + text[1:]
