"""A PEP's history: every saved version of each section, who saved it and when, the steps it took,
and what changed between two versions of a section.

Section entries are never updated (each save adds a version), so the history is read, not kept.
The page costs a fixed number of queries whatever the number of versions: one for the entries
with who saved them, one for the step changes with who took them, and one each to load those
people's roles.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.authorities.forms import FieldConfig, FieldType, SectionConfig
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, PepSectionEntry, PepStateChange, User
from portal.navigation import ROLE_ORDER
from portal.section_forms import display_answer
from portal.services import paging, pep_facts

LONDON = ZoneInfo("Europe/London")
TIMELINE_PER_PAGE = 25

Status = Literal["added", "removed", "changed", "unchanged"]


class SectionNotFoundError(LookupError):
    """The PEP's template has no such section (or the reader may not read it)."""


class VersionNotFoundError(LookupError):
    """The section has no such saved version."""


# --- The history ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One saved version of one section."""

    section_key: str
    number: int
    saved_by: str
    #: Their role for this PEP (as the authority calls it), where they still hold one.
    role: str | None
    #: In London time.
    saved_at: dt.datetime
    completed: bool
    #: The version before this one, if any, and how many questions changed since it.
    previous: int | None
    changed: int | None


@dataclass(frozen=True)
class SectionHistory:
    key: str
    title: str
    #: Newest first.
    versions: list[Version]


@dataclass(frozen=True)
class StepChange:
    occurred_at: dt.datetime
    actor: str | None
    role: str | None
    from_step: str | None
    to_step: str
    #: The transition taken, as the process names it; none for where the PEP started.
    transition: str | None
    comment: str | None


@dataclass(frozen=True)
class TimelineEvent:
    """A save or a step change, for a single timeline of the PEP, newest first."""

    at: dt.datetime
    kind: Literal["saved", "step"]
    section_title: str | None = None
    version: Version | None = None
    step: StepChange | None = None


@dataclass(frozen=True)
class PepHistory:
    #: Every section of the PEP's template that was asked for, in template order.
    sections: list[SectionHistory]
    steps: list[StepChange]
    #: Saves and step changes together, newest first, one page of them.
    timeline: paging.Page[TimelineEvent]

    @property
    def saved(self) -> bool:
        return any(s.versions for s in self.sections)

    @property
    def unsaved(self) -> list[SectionHistory]:
        return [s for s in self.sections if not s.versions]


def readable_sections(user: User, pep: Pep) -> list[str]:
    """The sections of the PEP's template ``user`` may read, as on the PEP page: people who may
    not read a section do not see its history either."""
    config = pep_facts.config_of(pep)
    roles = pep_facts.roles_for_pep(user, pep)
    if pep_facts.delegated_sections(user, pep):
        roles.add(Role.DESIGNATED_TEACHER)
    return [
        key
        for key in config.sections_for(pep.phase)
        if config.sections[key].readable_by(roles) or config.sections[key].owner_in(pep.state) in roles
    ]


def history(
    pep: Pep,
    *,
    sections: Iterable[str] | None = None,
    page: int = 1,
    per_page: int = TIMELINE_PER_PAGE,
    include_steps: bool = True,
) -> PepHistory:
    """Every version of every section of the PEP's template (or of ``sections``, in template
    order), newest first per section, and the PEP's step changes; the two merged into a timeline."""
    config = pep_facts.config_of(pep)
    template = config.sections_for(pep.phase)
    wanted = template if sections is None else [k for k in template if k in set(sections)]
    entries = _entries(pep, wanted)
    by_section: dict[str, list[PepSectionEntry]] = {key: [] for key in wanted}
    for entry in entries:
        by_section[entry.section_key].append(entry)
    histories = [
        SectionHistory(key=key, title=config.sections[key].title, versions=_versions(config, pep, key, rows))
        for key, rows in by_section.items()
    ]
    steps = _steps(config, pep) if include_steps else []
    events = [
        TimelineEvent(at=v.saved_at, kind="saved", section_title=s.title, version=v)
        for s in histories
        for v in s.versions
    ] + [TimelineEvent(at=s.occurred_at, kind="step", step=s) for s in steps]
    events.sort(key=lambda e: e.at, reverse=True)
    return PepHistory(sections=histories, steps=steps, timeline=_page(events, page, per_page))


def section_versions(pep: Pep, section_key: str) -> list[Version]:
    """The saved versions of one section, newest first (one query, and one for roles)."""
    config = pep_facts.config_of(pep)
    return _versions(config, pep, section_key, _entries(pep, [section_key]))


def _entries(pep: Pep, sections: Sequence[str]) -> list[PepSectionEntry]:
    """Oldest first within each section."""
    if not sections:
        return []
    return list(
        db.session.scalars(
            select(PepSectionEntry)
            .where(PepSectionEntry.pep_id == pep.id, PepSectionEntry.section_key.in_(list(sections)))
            .options(joinedload(PepSectionEntry.saved_by).selectinload(User.memberships))
            .order_by(PepSectionEntry.section_key, PepSectionEntry.version)
        ).unique()
    )


def _versions(
    config: AuthorityConfig, pep: Pep, key: str, entries: Sequence[PepSectionEntry]
) -> list[Version]:
    """``entries`` oldest first; the versions come back newest first."""
    section = config.sections.get(key)
    versions = []
    previous: PepSectionEntry | None = None
    for entry in entries:
        versions.append(
            Version(
                section_key=key,
                number=entry.version,
                saved_by=entry.saved_by.full_name,
                role=role_label(config, entry.saved_by, pep),
                saved_at=london(entry.saved_at),
                completed=entry.completed,
                previous=previous.version if previous else None,
                changed=(
                    sum(
                        1
                        for q in _questions(section, previous.answers, entry.answers)
                        if q.status != "unchanged"
                    )
                    if previous
                    else None
                ),
            )
        )
        previous = entry
    return versions[::-1]


def _steps(config: AuthorityConfig, pep: Pep) -> list[StepChange]:
    changes = db.session.scalars(
        select(PepStateChange)
        .where(PepStateChange.pep_id == pep.id)
        .options(joinedload(PepStateChange.actor).selectinload(User.memberships))
        .order_by(PepStateChange.occurred_at.desc(), PepStateChange.id.desc())
    ).unique()
    steps = []
    for change in changes:
        transition = config.workflow.transition(change.transition_key) if change.transition_key else None
        steps.append(
            StepChange(
                occurred_at=london(change.occurred_at),
                actor=change.actor.full_name if change.actor else None,
                role=role_label(config, change.actor, pep) if change.actor else None,
                from_step=config.step_label(change.from_state) if change.from_state else None,
                to_step=config.step_label(change.to_state),
                transition=transition.label if transition else change.transition_key,
                comment=change.comment or None,
            )
        )
    return steps


def role_label(config: AuthorityConfig, user: User, pep: Pep) -> str | None:
    """The role ``user`` holds for this PEP now, as the authority names it (from memberships
    already loaded: no query)."""
    roles = pep_facts.roles_for_pep(user, pep)
    if not roles and any(
        m.role is Role.SETTING_STAFF and m.setting_id == pep.setting_id and m.setting_id is not None
        for m in user.memberships
    ):
        roles = {Role.SETTING_STAFF}
    if not roles:
        return None
    return config.role_label(min(roles, key=ROLE_ORDER.index))


def london(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(LONDON)


def _page(events: list[TimelineEvent], page: int, per_page: int) -> paging.Page[TimelineEvent]:
    pages = max(1, -(-len(events) // per_page))
    number = min(max(1, page), pages)
    start = (number - 1) * per_page
    return paging.Page(
        items=events[start : start + per_page], total=len(events), number=number, per_page=per_page
    )


# --- Comparing two versions of a section ---------------------------------------------------------


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


@dataclass(frozen=True)
class SectionComparison:
    key: str
    title: str
    before: Version
    after: Version
    questions: list[QuestionComparison]

    @property
    def changed(self) -> list[QuestionComparison]:
        return [q for q in self.questions if q.status != "unchanged"]

    @property
    def unchanged(self) -> list[QuestionComparison]:
        return [q for q in self.questions if q.status == "unchanged"]

    def count(self, status: Status) -> int:
        return sum(1 for q in self.questions if q.status == status)


def compare(
    pep: Pep,
    section_key: str,
    from_version: int,
    to_version: int,
    *,
    versions: Sequence[Version] | None = None,
) -> SectionComparison:
    """Every question of the section in both versions: before, after and what changed.

    Raises :class:`SectionNotFoundError` for a section not in the PEP's template and
    :class:`VersionNotFoundError` for a version the section does not have. ``versions`` (from
    :func:`section_versions`) saves reading who saved them again.
    """
    config = pep_facts.config_of(pep)
    if section_key not in config.sections_for(pep.phase):
        raise SectionNotFoundError(section_key)
    entries = {
        e.version: e
        for e in db.session.scalars(
            select(PepSectionEntry).where(
                PepSectionEntry.pep_id == pep.id,
                PepSectionEntry.section_key == section_key,
                PepSectionEntry.version.in_([from_version, to_version]),
            )
        )
    }
    if from_version not in entries or to_version not in entries:
        raise VersionNotFoundError(f"{section_key} has no version {from_version} or {to_version}")
    known = {v.number: v for v in versions or section_versions(pep, section_key)}
    section = config.sections[section_key]
    return SectionComparison(
        key=section_key,
        title=section.title,
        before=known[from_version],
        after=known[to_version],
        questions=_questions(section, entries[from_version].answers, entries[to_version].answers),
    )


def _questions(
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
