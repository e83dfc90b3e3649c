"""The engine API every view uses: what a user may do to a PEP now, and doing it.

A transition is all-or-nothing: the guard is checked, the state changes, the history and audit
rows are written, effects run (e-mail queued, setting given access, next PEP started) and the
deadlines are recomputed in one transaction. If anything fails, nothing is kept.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select, update
from sqlalchemy.orm.exc import StaleDataError

from portal import clock
from portal.authorities import engine
from portal.authorities.phases import phase_for
from portal.authorities.process import EffectKind, TransitionConfig
from portal.authorities.schema import AuthorityConfig
from portal.authorities.vocabulary import PepKind, Role, Term
from portal.extensions import db
from portal.models import Authority, Child, Pep, PepDeadline, PepStateChange, QaReview, User
from portal.models.types import utcnow
from portal.services import audit, notifications, people
from portal.services.authorities import config_for
from portal.services.pep_facts import (
    config_of,
    editing_roles,
    facts_for,
    latest_entries,
    roles_for_pep,
    step_facts,
)


class TransitionRefusedError(Exception):
    """The transition cannot be taken; ``reasons`` say why, in words the user can act on."""

    def __init__(self, reasons: list[str]) -> None:
        self.reasons = reasons
        super().__init__("; ".join(reasons))


def options(user: User, pep: Pep, today: dt.date | None = None) -> list[engine.TransitionOption]:
    """The transitions ``user`` could take on ``pep`` now, each with what it still lacks."""
    return engine.transition_options(
        config_of(pep), facts_for(pep, today or clock.today()), roles_for_pep(user, pep)
    )


def may_edit_section(user: User, pep: Pep, section: str, today: dt.date | None = None) -> bool:
    facts = step_facts(pep, today or clock.today())
    return engine.can_edit_section(config_of(pep), facts, section, editing_roles(user, pep, section))


def due_dates(pep: Pep, today: dt.date | None = None) -> list[engine.Due]:
    return engine.deadlines(config_of(pep), facts_for(pep, today or clock.today()))


def perform(user: User, pep: Pep, key: str, *, comment: str = "", today: dt.date | None = None) -> Pep:
    """Take transition ``key`` on ``pep`` as ``user``, or raise TransitionRefusedError."""
    today = today or clock.today()
    config = config_of(pep)
    transition = config.workflow.transition(key)
    if transition is None or pep.state not in transition.from_steps:
        raise TransitionRefusedError(["This action is not available at the PEP's current step"])
    if not roles_for_pep(user, pep) & set(transition.roles):
        raise TransitionRefusedError(["You cannot take this action on this PEP"])
    facts = facts_for(pep, today)
    missing = engine.unmet_guards(config, transition, facts) + _effect_blockers(pep, transition)
    if transition.needs_comment and not comment.strip():
        missing.append("Explain why, so the people who receive it know what to do")
    if missing:
        raise TransitionRefusedError(missing)
    try:
        _move(pep, transition, user, comment.strip(), today)
        _apply_effects(pep, transition, config, today)
        refresh_deadlines(pep, today)
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise TransitionRefusedError(
            ["Someone else changed this PEP meanwhile. Reload it and try again"]
        ) from None
    except Exception:
        db.session.rollback()
        raise
    return pep


def _effect_blockers(pep: Pep, transition: TransitionConfig) -> list[str]:
    """What would stop the transition's effects from reaching anyone, e.g. a setting with nobody
    to receive the PEP: refused up front, with who can put it right."""
    if not any(e.kind is EffectKind.DELEGATE_TO_SETTING for e in transition.effects):
        return []
    setting = pep.child.current_setting
    if setting is None:
        return []  # the setting_recorded guard, where configured, says so
    if not people.users_with_role(Role.DESIGNATED_TEACHER, setting_id=setting.id):
        return [
            f"{setting.name} has no designated teacher in PEP Portal. Ask your authority's PEP Portal "
            "administrator to add one, then try again"
        ]
    return []


def _move(pep: Pep, transition: TransitionConfig, user: User, comment: str, today: dt.date) -> None:
    config = config_of(pep)
    previous = pep.state
    pep.state = transition.to
    final = config.step(transition.to).final  # type: ignore[union-attr]
    if final:
        pep.finalised_at = utcnow()
    if final or engine.needs_grade(config, transition.to):
        _resolve_returns(pep)
    db.session.add(
        PepStateChange(
            pep_id=pep.id,
            from_state=previous,
            to_state=transition.to,
            transition_key=transition.key,
            actor_id=user.id,
            comment=comment or None,
            occurred_on=today,
        )
    )
    audit.record(
        "pep.transition",
        actor=user,
        authority_id=pep.authority_id,
        subject=pep,
        transition=transition.key,
        from_state=previous,
        to_state=transition.to,
    )
    db.session.flush()  # the optimistic lock on the PEP is checked here


def _resolve_returns(pep: Pep) -> None:
    """A returned PEP came back for QA or was finalised: the return is over (kept in history)."""
    db.session.execute(
        update(QaReview)
        .where(QaReview.pep_id == pep.id, QaReview.returned.is_(True), QaReview.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )


def _apply_effects(pep: Pep, transition: TransitionConfig, config: AuthorityConfig, today: dt.date) -> None:
    for effect in transition.effects:
        match effect.kind:
            case EffectKind.DELEGATE_TO_SETTING:
                pep.setting_id = pep.child.current_setting_id
                # No setting: the child's education contact stands in for it (source 000).
                pep.education_contact_id = None if pep.setting_id else pep.child.education_contact_id
            case EffectKind.NOTIFY:
                notifications.queue_about_pep(pep, effect.roles, effect.message or "")
            case EffectKind.SEND_COPY:
                notifications.queue_about_pep(pep, effect.roles, "copy")
            case EffectKind.REMIND_CHILD_COPY:
                notifications.queue_about_pep(pep, effect.roles, "child_copy")
            case EffectKind.START_NEXT_PEP:
                agreed = _agreed_date(pep, effect.next_meeting_field)
                start_next_pep(pep, config, agreed, effect.provisional_meeting, today)


def _agreed_date(pep: Pep, field_path: str | None) -> dt.date | None:
    if not field_path:
        return None
    section, field = field_path.split(".")
    entry = latest_entries(pep).get(section)
    value = entry.answers.get(field) if entry else None
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def start_next_pep(
    pep: Pep, config: AuthorityConfig, agreed: dt.date | None, provisional, today: dt.date
) -> Pep | None:
    """Start the next term's termly review, with the agreed meeting date or a provisional one."""
    calendar = config.work_calendar
    following = calendar.next_term(pep.academic_year, pep.term)
    if following is None:
        audit.record(
            "pep.next_not_started",
            actor=None,
            authority_id=pep.authority_id,
            subject=pep,
            reason="no term dates for the next term",
        )
        return None
    meeting = agreed or (calendar.shift(following.starts, provisional) if provisional else None)
    return start_pep(
        pep.child,
        kind=PepKind.TERMLY_REVIEW,
        academic_year=following.academic_year,
        term=following.term,
        actor=None,
        meeting_date=meeting,
        today=today,
        commit=False,
    )


def start_pep(
    child: Child,
    *,
    kind: PepKind,
    academic_year: int,
    term: Term,
    actor: User | None,
    meeting_date: dt.date | None = None,
    today: dt.date | None = None,
    commit: bool = True,
) -> Pep | None:
    """Create a PEP at the first step of the authority's current process; None if it exists."""
    today = today or clock.today()
    existing = db.session.scalar(
        select(Pep).where(
            Pep.child_id == child.id, Pep.academic_year == academic_year, Pep.term == term, Pep.kind == kind
        )
    )
    if existing is not None:
        return None
    authority = db.session.get(Authority, child.authority_id)
    assert authority is not None
    config = config_for(authority)
    setting = child.current_setting
    pep = Pep(
        authority_id=authority.id,
        child_id=child.id,
        academic_year=academic_year,
        term=term,
        kind=kind,
        # The template follows the child's year group in the PEP's academic year.
        phase=phase_for(
            config, child.year_group(dt.date(academic_year, 9, 1)), setting.setting_type if setting else None
        ),
        state=config.initial_step.key,
        meeting_date=meeting_date,
        config_version_id=authority.current_config_version_id,
    )
    pep.child = child
    pep.authority = authority
    db.session.add(pep)
    db.session.flush()
    db.session.add(
        PepStateChange(
            pep_id=pep.id, to_state=pep.state, actor_id=actor.id if actor else None, occurred_on=today
        )
    )
    audit.record("pep.started", actor=actor, authority_id=authority.id, subject=pep, kind=kind.value)
    db.session.flush()
    refresh_deadlines(pep, today)
    if commit:
        db.session.commit()
    return pep


def refresh_deadlines(pep: Pep, today: dt.date) -> None:
    """Store the PEP's deadlines as the engine computes them now, so lists can query them."""
    dues = {due.rule.key: due for due in engine.deadlines(config_of(pep), facts_for(pep, today))}
    stored = {
        row.rule_key: row
        for row in db.session.scalars(select(PepDeadline).where(PepDeadline.pep_id == pep.id))
    }
    for key, row in stored.items():
        if key not in dues:
            db.session.delete(row)
    for key, due in dues.items():
        row = stored.get(key) or PepDeadline(pep_id=pep.id, rule_key=key)
        row.label = due.rule.label
        row.responsible = due.rule.responsible
        row.due_on = due.due_on
        row.explanation = due.explanation[:300]
        row.met_on = due.met_on
        db.session.add(row)
    # Kept on the PEP so lists order by it from an index instead of computing it for every PEP.
    pep.next_due_on = min((d.due_on for d in dues.values() if d.due_on and not d.is_met), default=None)
    db.session.flush()
