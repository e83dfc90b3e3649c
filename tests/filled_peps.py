"""A PEP with every question of its template answered, generated from the authority's own
configuration, so the same builder works for every shipped authority (and for any new one).

Each answer carries a distinctive token ("V0042") so a test can find it again in a printed
document. Sections are saved through the real service (``sections.save_section``), each by a
person allowed to edit it at some step of the workflow; the PEP's history is a real path through
the authority's workflow, its PP+ requests are decided by the Virtual School and it is graded.
Used by tests/integration/test_pep_documents.py and scripts/benchmark_documents.py.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from portal import clock
from portal.authorities.forms import FieldConfig, FieldType
from portal.authorities.process import TransitionConfig
from portal.authorities.schema import AuthorityConfig, Role
from portal.extensions import db
from portal.models import Authority, Pep, PepStateChange, QaReview, User
from portal.services import pp_plus, sections, workflow
from portal.services.authorities import config_for
from portal.services.pp_plus_decisions import DecisionInput, decide
from tests.factories import make_child, make_pep, make_setting, make_user

CHILD_FIRST, CHILD_LAST = "Philippa", "Documentson"
DATE_OF_BIRTH = dt.date(2011, 7, 19)
SCHOOL = "Quillfeather Academy"
SENTENCE = "The plan records steady progress with reading, and the adults agree on the next steps. "
DECLINE_REASON = "Declined: already funded by the school budget"
QA_FEEDBACK = "Feedback from the Virtual School: a clear and child-centred plan"


@dataclass
class FilledPep:
    pep: Pep
    config: AuthorityConfig
    people: dict[Role, User]
    #: section key -> the answers saved.
    answers: dict[str, dict[str, Any]]
    #: The transitions the history records, in order.
    path: list[TransitionConfig] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)


def expected_text(config: FieldConfig, value: Any) -> str:
    """How a person reads an answer, worked out here independently of the portal's code."""
    match config.type:
        case FieldType.DATE:
            day = dt.date.fromisoformat(value)
            return f"{day.day} {day:%B %Y}"
        case FieldType.YES_NO:
            return "Yes" if value else "No"
        case FieldType.CHOICE:
            return next(c.label for c in config.choices if c.value == value)
        case FieldType.PERCENTAGE:
            return f"{value}%"
        case FieldType.MONEY:
            return f"£{Decimal(value):,.2f}"
    return str(value)


class Values:
    """Distinctive, valid answers: ``long`` makes free text as long as the field allows."""

    def __init__(self, *, rows: int = 2, long: bool = False) -> None:
        self.rows, self.long = rows, long
        self.counter = itertools.count(1)

    def value(self, config: FieldConfig) -> Any:
        n = next(self.counter)
        token = f"V{n:04d}"
        match config.type:
            case FieldType.TEXT:
                return f"{token} {config.label.lower()}"[: config.max_length or 200].strip()
            case FieldType.LONG_TEXT:
                limit = config.max_length or 4000
                text = f"{token} answer to {config.label.lower()}. "
                if self.long:
                    text += SENTENCE * 40
                    text = text[: min(limit, 1500)]
                return text[:limit].strip()
            case FieldType.DATE:
                return (clock.today() + dt.timedelta(days=40 + n % 300)).isoformat()
            case FieldType.YES_NO:
                return n % 2 == 0
            case FieldType.CHOICE:
                return config.choices[n % len(config.choices)].value
            case FieldType.PERCENTAGE:
                return 50 + n % 50
            case FieldType.NUMBER:
                return 1000 + n
            case FieldType.MONEY:
                return f"{5 + n % 40}.{n % 100:02d}"
            case FieldType.ROWS:
                return [{c.key: self.value(c) for c in config.columns} for _ in range(self.rows)]
        raise AssertionError(config.type)


def workflow_path(config: AuthorityConfig) -> list[TransitionConfig]:
    """The shortest way from the first step to a final one, returns for improvement excluded."""
    start = config.initial_step.key
    came_from: dict[str, tuple[str, TransitionConfig] | None] = {start: None}
    queue = deque([start])
    while queue:
        step = queue.popleft()
        if config.step(step).final:  # type: ignore[union-attr]
            path = []
            while came_from[step] is not None:
                step, transition = came_from[step]  # type: ignore[misc]
                path.append(transition)
            return list(reversed(path))
        for transition in config.workflow.transitions_from(step):
            if transition.to not in came_from and not transition.returns_for_improvement:
                came_from[transition.to] = (step, transition)
                queue.append(transition.to)
    raise AssertionError("no path to a final step")


def fill_pep(
    authority: Authority, *, rows: int = 2, long: bool = False, finish: bool = True, tag: str = ""
) -> FilledPep:
    """``tag`` tells apart the people of several filled PEPs of one authority in one database."""
    config = config_for(authority)
    slug = authority.slug.replace("-", "")[:12] + tag
    school = make_setting(SCHOOL)
    people = {
        role: make_user(
            f"{role.label} Person", email=f"{role.value}.{slug}@docs.example", roles=[(role, authority)]
        )
        for role in (Role.SOCIAL_WORKER, Role.VIRTUAL_SCHOOL, Role.BUSINESS_SUPPORT, Role.AUTHORITY_ADMIN)
    }
    people[Role.DESIGNATED_TEACHER] = make_user(
        "Dora Designated", email=f"dt.{slug}@docs.example", roles=[(Role.DESIGNATED_TEACHER, school)]
    )
    people[Role.SOCIAL_WORKER].full_name = "Sam Socialworker"
    people[Role.VIRTUAL_SCHOOL].full_name = "Vera Virtualschool"
    db.session.commit()
    child = make_child(
        authority,
        CHILD_FIRST,
        CHILD_LAST,
        social_worker=people[Role.SOCIAL_WORKER],
        setting=school,
        date_of_birth=DATE_OF_BIRTH,
    )
    pep = make_pep(child, setting=school, meeting_date=clock.today() - dt.timedelta(days=3))
    values = Values(rows=rows, long=long)
    keys = config.sections_for(pep.phase)
    answers = {key: {f.key: values.value(f) for f in config.sections[key].fields} for key in keys}
    remaining = list(keys)
    for step in config.workflow.steps:
        pep.state = step.key
        db.session.commit()
        for person in people.values():
            for key in list(remaining):
                if workflow.may_edit_section(person, pep, key):
                    sections.save_section(person, pep, key, answers[key], base_version=0)
                    remaining.remove(key)
    assert remaining == [], f"nobody could edit {remaining}"
    filled = FilledPep(pep=pep, config=config, people=people, answers=answers)
    if finish:
        _history(filled)
        _decide_pp_plus(filled)
        _grade(filled)
    return filled


def _history(filled: FilledPep) -> None:
    pep, config = filled.pep, filled.config
    moment = dt.datetime(2026, 10, 1, 9, 30, tzinfo=dt.UTC)
    by_role = filled.people
    db.session.add(
        PepStateChange(
            pep_id=pep.id,
            from_state=None,
            to_state=config.initial_step.key,
            actor_id=by_role[Role.BUSINESS_SUPPORT].id,
            occurred_on=moment.date(),
            occurred_at=moment,
        )
    )
    filled.path = workflow_path(config)
    for number, transition in enumerate(filled.path, start=1):
        actor = next((by_role[r] for r in transition.roles if r in by_role), None)
        comment = f"Sign-off note {number}: {transition.label}"
        filled.comments.append(comment)
        moment += dt.timedelta(days=2, hours=1)
        db.session.add(
            PepStateChange(
                pep_id=pep.id,
                from_state=transition.from_steps[0],
                to_state=transition.to,
                transition_key=transition.key,
                actor_id=actor.id if actor else None,
                comment=comment,
                occurred_on=moment.date(),
                occurred_at=moment,
            )
        )
    pep.state = filled.path[-1].to
    pep.finalised_at = moment
    db.session.commit()


def _decide_pp_plus(filled: FilledPep) -> None:
    requests = pp_plus.requests_for(filled.pep)
    if not requests:
        return
    decide(
        filled.people[Role.VIRTUAL_SCHOOL],
        filled.pep,
        [
            DecisionInput(
                request_id=r.id,
                stamp=pp_plus.stamp(r),
                decision="approved" if index == 0 else "declined",
                reason="" if index == 0 else DECLINE_REASON,
            )
            for index, r in enumerate(requests)
        ],
    )


def _grade(filled: FilledPep) -> None:
    scale = filled.config.qa.scale
    reviewer = filled.people[Role.VIRTUAL_SCHOOL]
    # An older, worse grade first: the document shows the latest.
    db.session.add(
        QaReview(
            pep_id=filled.pep.id,
            reviewer_id=reviewer.id,
            grade=scale[-1].key,
            feedback="An earlier grade",
            created_at=dt.datetime(2026, 10, 20, 10, 0, tzinfo=dt.UTC),
        )
    )
    db.session.add(
        QaReview(
            pep_id=filled.pep.id,
            reviewer_id=reviewer.id,
            grade=scale[0].key,
            feedback=QA_FEEDBACK,
            created_at=dt.datetime(2026, 11, 2, 10, 0, tzinfo=dt.UTC),
        )
    )
    db.session.commit()
