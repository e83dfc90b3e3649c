"""A PEP's history: every saved version of each section, who saved it and when, and the steps it
took. What changed between two versions of a section is services/section_comparison.py.

Section entries are never updated (each save adds a version), so the history is read, not kept.
The page costs a fixed number of queries whatever the number of versions: one for the entries
with who saved them, one for the step changes with who took them, and one each to load those
people's roles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import Role
from portal.extensions import db
from portal.models import Pep, PepSectionEntry, User
from portal.navigation import ROLE_ORDER
from portal.services import paging, pep_facts, section_diff
from portal.services.section_diff import QuestionComparison, Status

TIMELINE_PER_PAGE = 25


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
    return PepHistory(sections=histories, steps=steps, timeline=paging.paginate_list(events, page, per_page))


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
                saved_at=entry.saved_at,
                completed=entry.completed,
                previous=previous.version if previous else None,
                changed=(
                    sum(
                        1
                        for q in section_diff.questions(section, previous.answers, entry.answers)
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
    steps = []
    for change in reversed(pep_facts.history(pep)):  # newest first
        transition = config.workflow.transition(change.transition_key) if change.transition_key else None
        steps.append(
            StepChange(
                occurred_at=change.occurred_at,
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


# --- Comparing two versions of a section ---------------------------------------------------------


class SectionNotFoundError(LookupError):
    """The PEP's template has no such section (or the reader may not read it)."""


class VersionNotFoundError(LookupError):
    """The section has no such saved version."""


# --- The history ---------------------------------------------------------------------------------


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
        questions=section_diff.questions(section, entries[from_version].answers, entries[to_version].answers),
    )
